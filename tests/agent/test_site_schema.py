"""The site's schema in the tool descriptions: the allowed spaces (discovered at session start,
refreshed by list_spaces) and a CQL guide whose every example the local Confluence runs, within a
stated byte budget."""

from __future__ import annotations

import json

import pytest

from workbench.agent.site_schema import CQL_GUIDE, SCHEMA_BUDGET, SiteSchema, with_site
from workbench.agent.tool_specs import tool_schemas

from .helpers import call, session_for


def _description(request: dict, name: str) -> str:
    return next(
        t["function"]["description"] for t in request["tools"] if t["function"]["name"] == name
    )


async def test_allowed_spaces_and_the_guide_reach_the_model(site, client, llm):
    site.store.create_space("~jdoe", "Jo Doe", type="personal")
    model = llm([{"text": "ok"}])
    session = session_for(client, model, allow=["ENG", "~JDOE"])
    await session.ask("Which spaces?")
    text = _description(model.requests[0], "search_pages")
    assert 'Spaces you may use: ENG (Engineering), "~jdoe" (Jo Doe).' in text
    assert "SECRET" not in text and "Secret projects" not in text
    assert CQL_GUIDE in text and "space=ENG AND" in text
    page = next(t for t in model.requests[0]["tools"] if t["function"]["name"] == "propose_page")
    assert page["function"]["parameters"]["properties"]["space_key"]["description"].startswith(
        "A key from"
    )


async def test_list_spaces_refreshes_the_descriptions(site, client, llm):
    model = llm([{"text": "ok"}, {"tool_calls": [call("list_spaces")]}, {"text": "ok"}])
    session = session_for(client, model)
    await session.ask("hi")  # discovered: ENG and SECRET
    assert "OPS" not in _description(model.requests[0], "search_pages")
    site.store.create_space("OPS", "Operations")
    await session.ask("Any new spaces?")
    assert "OPS (Operations)" not in _description(
        model.requests[1], "search_pages"
    )  # not asked yet
    assert "OPS (Operations)" in _description(
        model.requests[2], "search_pages"
    )  # after list_spaces


def test_the_schema_stays_within_its_byte_budget():
    plain = len(json.dumps(tool_schemas()))
    many = SiteSchema.of(
        (f"SPACE{n}", "A rather long space name that goes on and on " * 3) for n in range(300)
    )
    added = len(json.dumps(with_site(tool_schemas(), many))) - plain
    assert added <= SCHEMA_BUDGET
    text = _description({"tools": with_site(tool_schemas(), many)}, "search_pages")
    assert text.count("(A rather long space name th…)") >= 20 and "more (list_spaces)." in text
    few = SiteSchema.of([("ENG", "Engineering"), ("OPS", "Operations")])
    assert len(json.dumps(with_site(tool_schemas(), few))) - plain < 600
    nothing = _description({"tools": with_site(tool_schemas(), SiteSchema())}, "search_pages")
    assert "No space is allowed here." in nothing


@pytest.mark.parametrize(
    "cql",
    [
        'type=page AND space=ENG AND text ~ "deploy"',
        'title ~ "runbook"',
        'label = "ops"',
        "ancestor = {home}",
        'lastmodified >= now("-7d")',
        'space = "~jdoe"',
        "type=page AND space=ENG ORDER BY lastmodified DESC",
        'space = ENG AND NOT label = "ops"',
    ],
)
async def test_every_example_of_the_guide_runs(site, client, llm, cql):
    from workbench.agent.audit import AuditLog
    from workbench.agent.fences import Fence
    from workbench.agent.toolkit import Toolkit

    site.store.create_space("~jdoe", "Jo Doe", type="personal")
    site.store.add_labels(site.runbook, [("global", "ops")])
    kit = Toolkit(client, Fence.build("search-only", ()), AuditLog())
    result = await kit.call("search_pages", {"cql": cql.format(home=site.home_id)})
    assert result.ok and not result.text.startswith("error"), result.text
