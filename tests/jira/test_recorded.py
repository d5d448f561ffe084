"""The Jira client meets recorded answers nobody here wrote (tests/contract/SOURCES.md, "Jira"), served
over loopback: a search, an issue with an ADF description and odd links, transitions, and Jira
Cloud's own 400 for malformed JQL."""

from __future__ import annotations

import pytest

from tests.contract.replay import Answer, Replay, recorded
from workbench.confluence.errors import BadQuery
from workbench.jira.client import JiraClient

AUTH = ("someone@example.com", "token")


@pytest.fixture
def replay():
    answers = {
        ("POST", "/rest/api/3/search/jql"): Answer(
            200, recorded("jira_cli__cloud_search_jql.json")
        ),
        ("GET", "/rest/api/3/issue/TEST-1"): Answer(200, recorded("jira_cli__cloud_issue.json")),
        ("GET", "/rest/api/3/issue/TEST-1/transitions"): Answer(
            200, recorded("jira_cli__cloud_transitions.json")
        ),
    }
    with Replay(answers) as server:
        yield server


async def test_a_recorded_search_and_issue(replay):
    async with JiraClient(replay.origin, auth=AUTH, kind="cloud") as jira:
        issues = [i async for i in jira.search("project = TEST")]
        issue = await jira.issue("TEST-1")
        transitions = await jira.transitions("TEST-1")
    assert [(i.key, i.status, i.issue_type, i.priority) for i in issues] == [
        ("TEST-1", "To Do", "Bug", "Medium"),
        ("TEST-2", "In Progress", "Story", "High"),
        ("TEST-3", "Done", "Task", "Low"),
    ]
    assert issue.summary == "Bug summary" and issue.reporter == "Person A"
    assert issue.description_markdown == "Test description\n"
    # the second link's outwardIssue is an empty object: there is no issue to show, so no line for it
    assert [link.key for link in issue.links] == ["TEST-2"]
    assert [(t.id, t.name) for t in transitions] == [
        ("11", "To Do"),
        ("21", "In Progress"),
        ("31", "Done"),
    ]
    search = [s for s in replay.seen if s.path == "/rest/api/3/search/jql"]
    assert len(search) == 1 and search[0].auth == "basic"


async def test_jira_clouds_own_400_for_bad_jql():
    answers = {
        ("POST", "/rest/api/3/search/jql"): Answer(
            400, recorded("lighthouse__cloud_search_jql_400.json")
        )
    }
    with Replay(answers) as server:
        async with JiraClient(server.origin, auth=AUTH, kind="cloud") as jira:
            with pytest.raises(BadQuery) as info:
                [i async for i in jira.search(" AND (fixVersion in unreleasedVersions())")]
    assert info.value.message == (
        "Jira could not run that JQL: Error in the JQL Query: Expecting a field name but got 'AND'. You must "
        "surround 'AND' in quotation marks to use it as a field name. (line 1, character 3)"
    )
