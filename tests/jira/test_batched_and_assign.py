"""The Jira reads and the write the TUI adds, over loopback against the local Jira: many issues in
one batched search (unknown keys set aside, keys that are no keys refused before sending), the people
an issue can be assigned to (answers validated against Jira's spec), and assignment."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import DEMO_TOKEN, DEMO_USER
from tests.jira.spec import check
from workbench.confluence.errors import BadRequest, NotFound
from workbench.jira.client import JiraClient

SEARCH = "/rest/api/3/search/jql"


def _jira(server) -> JiraClient:
    return JiraClient(server.origin, auth=httpx.BasicAuth(DEMO_USER, DEMO_TOKEN))


async def test_issues_by_keys_is_one_search_for_a_whole_page(demo_server):
    before = len(demo_server.requests.entries())
    async with _jira(demo_server) as jira:
        got = await jira.issues_by_keys(["PAY-1311", "pay-1329", "PAY-1432", "PAY-1311"])
    seen = demo_server.requests.entries()[before:]
    assert [(s.method, s.path) for s in seen] == [("POST", SEARCH)]
    assert sorted(got.found) == ["PAY-1311", "PAY-1329", "PAY-1432"]
    assert got.missing == {}
    issue = got.found["PAY-1311"]
    assert (
        issue.summary and issue.status and issue.status_category in ("new", "indeterminate", "done")
    )


async def test_an_unknown_key_is_set_aside_and_the_rest_still_found(demo_server):
    before = len(demo_server.requests.entries())
    async with _jira(demo_server) as jira:
        got = await jira.issues_by_keys(["PAY-1311", "PAY-99999", "NOPE-1", "not a key"])
    assert sorted(got.found) == ["PAY-1311"]
    assert got.missing["PAY-99999"] == "not found, or you may not see it"
    assert got.missing["NOPE-1"] == "not found, or you may not see it"
    assert "is not an issue key" in got.missing["not a key"]
    searches = [s for s in demo_server.requests.entries()[before:] if s.path == SEARCH]
    # Jira refuses the whole query for each key it does not know; a key that is no key is never sent
    assert [s.status for s in searches] == [400, 400, 200]


async def test_only_unknown_keys_is_no_issue_and_no_error(demo_server):
    async with _jira(demo_server) as jira:
        got = await jira.issues_by_keys(["PAY-99999"])
    assert got.found == {} and list(got.missing) == ["PAY-99999"]


def test_assignable_users_answer_matches_the_spec(demo_server):
    with httpx.Client(
        base_url=demo_server.origin + "/rest/api/3", auth=(DEMO_USER, DEMO_TOKEN), timeout=10
    ) as http:
        r = http.get("/user/assignable/search", params={"issueKey": "ENG-1", "query": "ma"})
        assert r.status_code == 200, r.text
        check("/user/assignable/search", "get", 200, r.json())
        assert r.json() and all("ma" in u["displayName"].lower() for u in r.json())
        # the spec's 400s: no issue or project; neither (or both) of query and accountId
        assert http.get("/user/assignable/search", params={"query": "a"}).status_code == 400
        assert http.get("/user/assignable/search", params={"issueKey": "ENG-1"}).status_code == 400
        r = http.get("/user/assignable/search", params={"issueKey": "ENG-999", "query": ""})
        assert r.status_code == 404


async def test_assign_and_unassign(demo_server):
    async with _jira(demo_server) as jira:
        people = await jira.assignable_users("ENG-1", "")
        assert len(people) >= 3 and all(p.account_id and p.display_name for p in people)
        chosen = next(p for p in people if p.display_name.startswith("M"))
        await jira.assign("ENG-1", chosen)
        assert (await jira.issue("ENG-1")).assignee == chosen.display_name
        await jira.assign("ENG-1", None)
        assert (await jira.issue("ENG-1")).assignee == ""
        with pytest.raises(NotFound):
            await jira.assignable_users("ENG-999", "")
        with pytest.raises(BadRequest):
            await jira.assign("nope", chosen)
