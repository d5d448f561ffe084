"""The site's Jira schema: discovered from the local Jira over loopback, kept per site in the data
directory for a day, refreshed on demand (``workbench schema refresh``), written into the Jira tools'
descriptions only when the ``jira`` group is on and within its budget — and when Jira cannot be
reached the tools still work, saying the schema is not known."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from tests.cli.helpers import run, use_site
from workbench.agent.audit import AuditLog
from workbench.agent.fences import BUILT_IN_GROUPS, Fence, Profiles
from workbench.agent.jira_schema_text import JIRA_SCHEMA_BUDGET, schema_text, with_jira
from workbench.agent.tool_specs import tool_schemas
from workbench.agent.toolkit import Toolkit
from workbench.confluence.client import ConfluenceClient
from workbench.jira.client import JiraClient
from workbench.services import jira_schema
from workbench.services.jira_schema import JiraSchema, schema_for

AUTH = httpx.BasicAuth("demo@example.com", "demo-token")


@pytest.fixture
async def client(demo_server):
    async with ConfluenceClient(demo_server.base_url, auth=AUTH) as c:
        yield c


def kit_for(client, groups: set[str]) -> Toolkit:
    profiles = Profiles((*BUILT_IN_GROUPS.items(), ("triage", frozenset(groups))))
    return Toolkit(client, Fence.build("triage", (), profiles=profiles), AuditLog())


def project_reads(server) -> int:
    return len(server.requests.entries(method="GET", path_prefix="/rest/api/3/project/search"))


async def test_the_schema_is_discovered_and_kept_for_a_day(client, demo_server):
    found = await schema_for(client, JiraClient.beside(client))
    assert found.jira_error == "" and found.site == demo_server.base_url.rstrip("/")
    assert ["ENG", "Platform Engineering", ["Epic", "Story", "Task", "Bug", "Sub-task"]] in (
        found.projects
    )
    assert [p[0] for p in found.projects] == ["ENG", "PAY"]
    assert found.priorities == ["Highest", "High", "Medium", "Low", "Lowest"]
    assert ["In Review", "indeterminate"] in found.statuses
    assert found.fields == [
        ["customfield_10016", "Story point estimate", "number"],
        ["customfield_10040", "Customer impact", "string"],
    ]
    assert ["Blocks", "blocks", "is blocked by"] in found.link_types
    assert ["ENG", "Engineering"] in found.spaces or any(k == "ENG" for k, _ in found.spaces)
    path = jira_schema.schema_path(found.site)
    assert path.exists() and json.loads(path.read_text())["format"] == jira_schema.FORMAT

    # kept: the next session reads no schema from the site
    again = await schema_for(client, JiraClient.beside(client))
    assert again == found and project_reads(demo_server) == 1
    # a day later it is stale and read again
    data = json.loads(path.read_text())
    data["fetched"] = time.time() - jira_schema.MAX_AGE - 60
    path.write_text(json.dumps(data))
    await schema_for(client, JiraClient.beside(client))
    assert project_reads(demo_server) == 2
    # refresh reads it whatever its age
    await schema_for(client, JiraClient.beside(client), refresh=True)
    assert project_reads(demo_server) == 3


async def test_an_unreadable_kept_schema_is_set_aside_and_read_again(client, demo_server):
    path = jira_schema.schema_path(client.base_url)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json")
    found = await schema_for(client, JiraClient.beside(client))
    assert found.projects and path.with_name(path.name + ".unreadable").exists()


async def test_without_jira_the_schema_says_why_and_the_tools_still_work(local_confluence):
    server = local_confluence("demo")
    server.state.extras["jira"] = False
    async with ConfluenceClient(server.base_url, auth=AUTH) as client:
        found = await schema_for(client, JiraClient.beside(client))
        assert found.projects == [] and found.spaces  # the spaces are still read
        assert found.jira_error.startswith("There is no Jira at")
        kit = kit_for(client, {"jira", "jira_write"})
        await kit.discover_jira()
        tools = with_jira(tool_schemas(kit.fence.tools, lean=True), kit.jira_schema)
        search = next(t for t in tools if t["function"]["name"] == "jira_search")
        assert (
            "Jira's schema is not known (it could not be read: There is no Jira"
            in (search["function"]["description"])
        )
        result = await kit.call("jira_search", {"jql": "project = ENG"})
        assert not result.ok and "There is no Jira at" in result.text
    # within the hour the failure is kept: no session asks Jira again
    async with ConfluenceClient(server.base_url, auth=AUTH) as client:
        server.requests.clear()
        await schema_for(client, JiraClient.beside(client))
        assert not server.requests.entries(path_prefix="/rest/api/")


async def test_jira_down_now_keeps_the_older_schema_saying_so(client, demo_server):
    await schema_for(client, JiraClient.beside(client))
    demo_server.state.extras["jira"] = False
    found = await schema_for(client, JiraClient.beside(client), refresh=True)
    assert [p[0] for p in found.projects] == ["ENG", "PAY"]
    assert "the schema below was read just now" in found.jira_error
    assert "(Old: There is no Jira" in schema_text(found)


async def test_the_schema_is_in_the_jira_tools_only_when_the_jira_group_is_on(client, demo_server):
    kit = kit_for(client, {"search", "pages", "propose"})
    assert await kit.discover_jira() is None
    assert not demo_server.requests.entries(path_prefix="/rest/api/")  # nothing read
    kit = kit_for(client, {"jira", "jira_write"})
    schema = await kit.discover_jira()
    tools = {
        t["function"]["name"]: t["function"]["description"]
        for t in with_jira(tool_schemas(kit.fence.tools, lean=True), schema)
    }
    search = tools["jira_search"]
    assert "Projects: ENG (Platform Engineering), PAY (Payments)." in search
    assert "Issue types by project: ENG, PAY: Epic, Story, Task, Bug, Sub-task." in search
    assert "Statuses: In Progress, To Do, In Review, Done." in search  # the site's order
    assert "customfield_10016 Story point estimate (number)" in search
    assert "Link types: blocks/is blocked by" in search
    assert tools["propose_jira_fields"].endswith("Names and ids: see jira_search.")
    plain = {t["function"]["name"]: t["function"]["description"] for t in tool_schemas(None)}
    added = len(json.dumps(search)) - len(json.dumps(plain["jira_search"]))
    assert 0 < added <= JIRA_SCHEMA_BUDGET


def test_a_large_schema_stays_within_its_budget_and_says_how_many_more():
    schema = JiraSchema(
        site="https://x.example",
        projects=[[f"P{n}", f"Project number {n} with a long name", ["Task"]] for n in range(400)],
        statuses=[[f"Status {n}", "new"] for n in range(100)],
        fields=[[f"customfield_{10000 + n}", f"Field {n}", "string"] for n in range(300)],
        priorities=["High", "Low"],
        link_types=[["Blocks", "blocks", "is blocked by"]],
    )
    text = schema_text(schema)
    assert len(json.dumps(text)) <= JIRA_SCHEMA_BUDGET
    assert "more." in text and "P0 (Project number 0 with a lon…)" in text


def test_issue_types_are_given_per_project_and_shared_sets_are_listed_once():
    """A type one project has may not exist in another (a team-managed project has its own): each
    project's types, projects with the same set together, in the projects' order; a long set is
    cut with a count; hundreds of projects stay within the budget and say how many more."""
    scheme = ["Epic", "Story", "Task", "Bug", "Sub-task"]
    schema = JiraSchema(
        site="https://x.example",
        projects=[
            ["ENG", "Platform Engineering", scheme],
            ["OPS", "Operations", ["Incident", "Change", "Problem"]],
            ["PAY", "Payments", scheme],
            ["HR", "People team", []],
            ["BIG", "Big", [f"Type {n}" for n in range(14)]],
        ],
    )
    text = schema_text(schema)
    assert (
        "Issue types by project: ENG, PAY: Epic, Story, Task, Bug, Sub-task; OPS: Incident, "
        "Change, Problem; HR: none; BIG: Type 0, Type 1, Type 2, Type 3, Type 4, Type 5, Type 6, "
        "Type 7, Type 8, Type 9 +4 more."
    ) in text
    many = JiraSchema(
        site="https://x.example",
        projects=[[f"P{n}", f"Project {n}", [f"Kind {n}", "Task"]] for n in range(400)],
        statuses=[[f"Status {n}", "new"] for n in range(100)],
        fields=[[f"customfield_{10000 + n}", f"Field {n}", "string"] for n in range(300)],
    )
    text = schema_text(many)
    assert len(json.dumps(text)) <= JIRA_SCHEMA_BUDGET
    assert "Issue types by project: P0: Kind 0, Task; P1: Kind 1, Task;" in text
    assert "; … " in text and " more. Statuses:" in text


def test_workbench_schema_refresh_and_show(demo_server, monkeypatch, capsys):
    use_site(monkeypatch, demo_server.base_url)
    code, out, err = run(capsys, "schema", "refresh")
    assert code == 0, err
    assert out.startswith(
        f"Schema of {demo_server.base_url.rstrip('/')}, read just now: 2 projects,"
    )
    assert "  project ENG  Platform Engineering: Epic, Story, Task, Bug, Sub-task" in out
    assert "  field customfield_10016  Story point estimate (number)" in out
    code, out, err = run(capsys, "schema", "show", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["counts"]["projects"] == 2 and data["counts"]["custom_fields"] == 2
    assert project_reads(demo_server) == 1  # show used the kept schema


def test_workbench_schema_refresh_without_jira_says_so(local_confluence, monkeypatch, capsys):
    server = local_confluence("demo")
    server.state.extras["jira"] = False
    use_site(monkeypatch, server.base_url)
    code, out, err = run(capsys, "schema", "refresh")
    assert code == 1
    assert "0 projects" in out and "spaces: " in out
    assert err.startswith("Jira's schema could not be read: There is no Jira at")
    assert "The agent's Jira tools work without it." in err
