"""Every Jira endpoint the local server implements answers with JSON that validates against Jira's
published OpenAPI spec (v3 paths; the v2 twins share the schemas with wiki-markup strings for bodies,
which the spec's ``additionalProperties`` fields allow)."""

from __future__ import annotations

import httpx
import pytest

from tests.jira.spec import check

AUTH = ("demo@example.com", "demo-token")


@pytest.fixture(scope="module")
def server():
    from workbench.emulator.runner import start_in_thread

    running = start_in_thread(seed="demo")
    yield running
    running.stop()


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server.origin + "/rest/api/3", auth=AUTH, timeout=10) as client:
        yield client


def test_schema_endpoints_match_the_spec(http):
    for path in (
        "/myself",
        "/serverInfo",
        "/project",
        "/issuetype",
        "/priority",
        "/status",
        "/field",
    ):
        r = http.get(path)
        assert r.status_code == 200, (path, r.text)
        check(path, "get", 200, r.json())
    r = http.get("/project/search", params={"maxResults": 1})
    check("/project/search", "get", 200, r.json())
    assert r.json()["isLast"] is False and r.json()["nextPage"]
    r = http.get("/project/ENG")
    check("/project/{projectIdOrKey}", "get", 200, r.json())
    r = http.get("/issueLinkType")
    check("/issueLinkType", "get", 200, r.json())
    names = {t["name"] for t in r.json()["issueLinkTypes"]}
    assert names == {"Blocks", "Cloners", "Duplicate", "Relates"}


def test_an_issue_with_every_field_matches_the_spec(http):
    r = http.get("/issue/ENG-3")
    assert r.status_code == 200
    body = r.json()
    check("/issue/{issueIdOrKey}", "get", 200, body)
    fields = body["fields"]
    assert fields["status"]["name"] == "In Review"
    assert fields["status"]["statusCategory"]["key"] == "indeterminate"
    assert fields["description"]["type"] == "doc"
    assert [c["author"]["displayName"] for c in fields["comment"]["comments"]] == [
        "Tomás Ferreira",
        "Grace Liu",
    ]
    assert fields["worklog"]["worklogs"][0]["timeSpent"] == "3h"
    # PAY-1432 blocks ENG-3: on ENG-3 the other end carries the type's inward words
    (link,) = fields["issuelinks"]
    assert link["inwardIssue"]["key"] == "PAY-1432" and link["type"]["inward"] == "is blocked by"
    for comment in fields["comment"]["comments"]:
        check("/issue/{issueIdOrKey}/comment/{id}", "get", 200, comment)
    r = http.get("/issue/PAY-1432", params={"fields": "issuelinks,summary"})
    (link,) = r.json()["fields"]["issuelinks"]
    assert link["outwardIssue"]["key"] == "ENG-3" and set(r.json()["fields"]) == {
        "issuelinks",
        "summary",
    }


def test_workflow_comments_and_worklogs_match_the_spec(http):
    r = http.get("/issue/ENG-4/transitions")
    check("/issue/{issueIdOrKey}/transitions", "get", 200, r.json())
    offered = {t["name"]: t["id"] for t in r.json()["transitions"]}
    assert offered == {"Start progress": "11", "Done": "31"}
    r = http.get("/issue/ENG-3/comment")
    check("/issue/{issueIdOrKey}/comment", "get", 200, r.json())
    assert r.json()["total"] == 2
    r = http.get("/issue/ENG-3/worklog")
    check("/issue/{issueIdOrKey}/worklog", "get", 200, r.json())
    r = http.post(
        "/issue/ENG-3/worklog",
        json={"timeSpent": "1h 30m", "started": "2026-12-01T09:00:00.000+0000"},
    )
    assert r.status_code == 201, r.text
    check("/issue/{issueIdOrKey}/worklog", "post", 201, r.json())
    assert r.json()["timeSpentSeconds"] == 5400 and r.json()["started"].startswith("2026-12-01T09")


def test_search_jql_matches_the_spec_and_pages_with_a_token(http):
    jql = "project = ENG ORDER BY key ASC"
    seen: list[str] = []
    token = None
    for _ in range(10):
        params = {"jql": jql, "fields": "summary,status,assignee", "maxResults": 2}
        if token:
            params["nextPageToken"] = token
        r = http.get("/search/jql", params=params)
        assert r.status_code == 200, r.text
        check("/search/jql", "get", 200, r.json())
        seen += [i["key"] for i in r.json()["issues"]]
        token = r.json().get("nextPageToken")
        if r.json()["isLast"]:
            assert token is None
            break
    assert seen[:5] == ["ENG-1", "ENG-2", "ENG-3", "ENG-4", "ENG-5"]
    r = http.post("/search/jql", json={"jql": "key = PAY-1311", "fields": ["summary"]})
    check("/search/jql", "post", 200, r.json())
    assert [i["fields"]["summary"] for i in r.json()["issues"]] == [
        "Webhook retries used the wrong backoff"
    ]
    # the default is ids only (the spec's default for fields)
    r = http.get("/search/jql", params={"jql": "key = PAY-1311"})
    assert r.json()["issues"][0]["fields"] == {}


def test_writes_answer_as_the_spec_says(http):
    r = http.post(
        "/issue",
        json={
            "fields": {
                "project": {"key": "ENG"},
                "summary": "Spec check",
                "issuetype": {"name": "Task"},
                "labels": ["spec"],
                "description": {"type": "doc", "version": 1, "content": []},
            }
        },
    )
    assert r.status_code == 201, r.text
    check("/issue", "post", 201, r.json())
    key = r.json()["key"]
    r = http.post(f"/issue/{key}/comment", json={"body": _doc("First comment")})
    assert r.status_code == 201
    check("/issue/{issueIdOrKey}/comment", "post", 201, r.json())
    comment_id = r.json()["id"]
    r = http.put(f"/issue/{key}/comment/{comment_id}", json={"body": _doc("Edited")})
    check("/issue/{issueIdOrKey}/comment/{id}", "put", 200, r.json())
    assert http.put(f"/issue/{key}", json={"fields": {"summary": "Renamed"}}).status_code == 204
    assert (
        http.post(f"/issue/{key}/transitions", json={"transition": {"id": "11"}}).status_code == 204
    )
    assert http.get(f"/issue/{key}").json()["fields"]["status"]["name"] == "In Progress"
    r = http.post(
        "/issueLink",
        json={
            "type": {"name": "Relates"},
            "inwardIssue": {"key": key},
            "outwardIssue": {"key": "ENG-1"},
        },
    )
    assert r.status_code == 201 and r.content == b""


def _doc(text: str) -> dict:
    return {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}],
    }
