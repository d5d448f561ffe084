"""What the local Jira refuses, and in which words: bad JQL, unknown issues, a transition the status
does not offer, bodies that are not ADF, missing credentials, an OAuth token without the Jira scope,
the removed search endpoint; and the Data Center flavour (v2 only, wiki markup)."""

from __future__ import annotations

import httpx
import pytest

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


@pytest.mark.parametrize(
    ("jql", "words"),
    [
        (
            "AND status = Done",
            "Error in the JQL Query: Expecting a field name but got 'AND'. You must surround 'AND' in "
            "quotation marks to use it as a field name. (line 1, character 1)",
        ),
        ("colour = red", "Field 'colour' does not exist or you do not have permission to view it."),
        ("project = NOPE", "The value 'NOPE' does not exist for the field 'project'."),
        ("status = Doing", "The value 'Doing' does not exist for the field 'status'."),
        ("key = ENG-999", "An issue with key 'ENG-999' does not exist for field 'key'."),
        ("project ~ ENG", "The operator '~' is not supported by the 'project' field."),
        ("summary ~ 'unterminated", "The quoted string 'unterminated has not been completed."),
        ("assignee = nobody()", "Unable to find JQL function 'nobody()'."),
        ("project = ENG status = Done", "Expecting either 'OR' or 'AND' but got 'status'."),
        ("created > yesterday", "Date value 'yesterday' for field 'created' is invalid."),
    ],
)
def test_bad_jql_is_a_400_in_jiras_words(http, jql, words):
    r = http.get("/search/jql", params={"jql": jql})
    assert r.status_code == 400
    body = r.json()
    assert body["errors"] == {}
    assert words in body["errorMessages"][0]


def test_jql_subset_finds_what_it_says(http):
    def keys(jql: str) -> list[str]:
        r = http.post("/search/jql", json={"jql": jql, "fields": ["summary"], "maxResults": 100})
        assert r.status_code == 200, r.text
        return [i["key"] for i in r.json()["issues"]]

    assert keys("project = PAY ORDER BY key") == ["PAY-1311", "PAY-1329", "PAY-1432"]
    assert keys("project = ENG AND status IN ('In Review', 'In Progress') ORDER BY key DESC") == [
        "ENG-3",
        "ENG-2",
    ]
    assert keys("assignee = currentUser()") == ["ENG-5"]
    assert keys("assignee IS EMPTY AND project = ENG") == ["ENG-4"]
    assert keys("text ~ 'pool' ORDER BY key") == ["ENG-3"]  # summary
    assert keys("text ~ 'reviewer question' ORDER BY key") == []  # words must all be found
    assert keys("comment ~ 'pool size'") == ["ENG-3"]  # comment text
    assert keys("description ~ JPY") == ["PAY-1329"]  # ADF text
    assert keys("labels = oncall ORDER BY key") == ["ENG-2", "PAY-1432"]
    assert keys("statusCategory = Done AND project = PAY ORDER BY key") == ["PAY-1311", "PAY-1329"]
    assert keys("issuetype = Bug AND NOT priority = Medium ORDER BY key") == ["ENG-3", "PAY-1311"]
    assert keys("assignee = 'Grace Liu'") == ["ENG-2"]
    # != never matches an empty field
    assert "ENG-4" not in keys("assignee != 'Grace Liu'")


def test_unknown_issue_and_wrong_transition(http):
    r = http.get("/issue/ENG-999")
    assert r.status_code == 404
    assert r.json()["errorMessages"] == [
        "Issue does not exist or you do not have permission to see it."
    ]
    r = http.post("/issue/ENG-1/transitions", json={"transition": {"id": "21"}})
    assert r.status_code == 400
    assert r.json()["errorMessages"] == ["Transition id '21' is not valid for this issue."]
    assert http.get("/issue/ENG-1").json()["fields"]["status"]["name"] == "Done"


def test_a_v3_body_must_be_adf(http):
    r = http.post("/issue/ENG-1/comment", json={"body": "plain text"})
    assert r.status_code == 400
    assert r.json()["errors"] == {
        "comment": "Operation value must be an Atlassian Document (see the Atlassian Document Format)"
    }
    assert http.get("/issue/ENG-1/comment").json()["total"] == 0


def test_the_old_search_is_gone_on_cloud(http):
    r = http.get("/search", params={"jql": "project = ENG"})
    assert r.status_code == 410
    assert r.json()["errorMessages"][0].startswith(
        "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API."
    )


def test_no_credentials_is_401(server):
    r = httpx.get(server.origin + "/rest/api/3/myself")
    assert r.status_code == 401
    assert r.json()["errorMessages"] == ["Client must be authenticated to access this resource."]
    r = httpx.get(server.origin + "/rest/api/3/myself", auth=("demo@example.com", "wrong"))
    assert r.status_code == 401


def test_the_gateway_needs_the_jira_scope(server):
    oauth = server.state.extras["oauth"]
    confluence_only = _token(oauth, "read:page:confluence offline_access")
    both = _token(oauth, "read:page:confluence read:jira-work read:jira-user")
    base = f"{server.origin}/ex/jira/{server.state.cloud_id}/rest/api/3"
    r = httpx.get(base + "/issue/ENG-1", headers={"Authorization": f"Bearer {confluence_only}"})
    assert r.status_code == 401 and r.json()["message"] == "Unauthorized; scope does not match"
    r = httpx.get(base + "/issue/ENG-1", headers={"Authorization": f"Bearer {both}"})
    assert r.status_code == 200
    assert r.json()["self"].startswith(base + "/issue/")
    # reading is not writing
    r = httpx.post(
        base + "/issue/ENG-1/comment",
        headers={"Authorization": f"Bearer {both}"},
        json={"body": {"type": "doc", "version": 1, "content": []}},
    )
    assert r.status_code == 401
    r = httpx.get(
        f"{server.origin}/ex/jira/not-a-site/rest/api/3/myself",
        headers={"Authorization": f"Bearer {both}"},
    )
    assert r.status_code == 404


def _token(oauth, scope: str) -> str:
    """An access token as the OAuth endpoints issue it after consent (the family of a code grant)."""
    import secrets

    from workbench.emulator.oauth import _Family

    family = secrets.token_hex(8)
    with oauth._lock:
        oauth._families[family] = _Family(
            "demo-client", scope, [s for s, _ in oauth.sites], oauth.account
        )
    return oauth._issue(family)["access_token"]


def test_data_center_serves_v2_with_wiki_markup(local_confluence):
    server = local_confluence(flavour="dc")
    auth = ("demo", "demo-password")
    r = httpx.get(server.origin + "/rest/api/2/issue/PAY-1329", auth=auth)
    assert r.status_code == 200
    description = r.json()["fields"]["description"]
    assert "{code:python}" in description and "JPY" in description
    r = httpx.post(
        server.origin + "/rest/api/2/issue/PAY-1329/comment",
        auth=auth,
        json={"body": "h3. Checked\n* one *bold* item\n* [a link|https://example.com]"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["body"] == "h3. Checked\n\n* one *bold* item\n* [a link|https://example.com]"
    assert httpx.get(server.origin + "/rest/api/3/myself", auth=auth).status_code == 404
    r = httpx.get(server.origin + "/rest/api/2/search", auth=auth, params={"jql": "project = PAY"})
    assert r.status_code == 200 and r.json()["total"] == 3
    r = httpx.get(
        server.origin + "/rest/api/2/myself", headers={"Authorization": "Bearer demo-token"}
    )
    assert r.status_code == 200 and r.json()["accountId"]
