"""``search_pages`` with the site unreachable: the local index answers, saying so (scripted model over
real HTTP, the index synced by ``workbench sync`` from the local Confluence, which is then stopped)."""

from __future__ import annotations

import pytest

from workbench.agent.loop import ToolFinished
from workbench.cli import main

from .helpers import call, last_tool_result, session_for


@pytest.fixture
def synced(site, env):
    """``site`` copied whole into the local index, then unreachable (``go_offline``: connections
    refused, and the port kept, so no other test's server can answer at this address)."""
    assert main(["sync", "--all"]) == 0
    site.server.go_offline()
    return site


def _search_then_report(cql: str, seen: list[str]):
    def report(body):
        seen.append(last_tool_result(body))
        return {"text": "Reported."}

    return [{"tool_calls": [call("search_pages", cql=cql, limit=10)]}, report]


async def test_the_index_answers_when_the_site_is_unreachable_and_says_so(synced, client, llm):
    seen: list[str] = []
    model = llm(_search_then_report('text ~ "rollback"', seen))
    session = session_for(client, model, profile="search-only")
    events = []
    await session.ask("Find the rollback runbook.", events.append)
    result = seen[0]
    assert result.startswith("OFFLINE: Confluence could not be reached")
    assert "local index (synced just now)" in result
    assert f"{synced.runbook}  [ENG]  Runbook  (v1," in result
    finished = [e for e in events if isinstance(e, ToolFinished)]
    assert [e.name for e in finished] == ["search_pages"]


async def test_offline_hits_stay_inside_the_allow_list(synced, client, llm):
    seen: list[str] = []
    model = llm(_search_then_report('text ~ "launch"', seen))
    session = session_for(client, model, profile="search-only", allow=("ENG",))
    await session.ask("Find the launch plan.", lambda e: None)
    assert "BLUEBIRD" not in seen[0] and synced.secret not in seen[0]
    assert "1 hit outside the allow-list not shown" in seen[0]


async def test_cql_the_index_cannot_answer_gives_the_network_error_and_why(synced, client, llm):
    seen: list[str] = []
    model = llm(_search_then_report('text ~ "rollback" or title ~ "plan"', seen))
    session = session_for(client, model, profile="search-only")
    await session.ask("Search.", lambda e: None)
    assert seen[0].startswith("error: ")
    assert "local index cannot answer this query" in seen[0] and "'or'" in seen[0]


async def test_without_an_index_the_network_error_is_all(site, client, llm):
    site.server.go_offline()
    seen: list[str] = []
    model = llm(_search_then_report('text ~ "rollback"', seen))
    session = session_for(client, model, profile="search-only")
    await session.ask("Search.", lambda e: None)
    assert seen[0].startswith("error: ") and "OFFLINE" not in seen[0]
