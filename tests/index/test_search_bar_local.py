"""The TUI's search bar answers from the local index as the person types, and from Confluence (CQL)
on enter — the line above the results says which; with the site unreachable, enter is answered by
the index, saying why (Pilot, the real app on the local Confluence, an index synced by the CLI)."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from tests.tui.helpers import make_app, notes, settle
from workbench.tui.panes.results import ResultsPane

LATENCY_RUNBOOK = "65539"


def _summary(app) -> str:
    return str(app.screen.query_one("#results-summary", Static).render())


async def _wait_for(pilot, condition, what: str) -> None:
    for _ in range(500):  # bounded wait for a worker's answer (no timing asserted)
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(what)


@pytest.fixture
def synced(site, cli):
    """The demo site, synced whole into the local index by the CLI."""
    server = site()
    assert cli("sync", "--all").code == 0
    return server


async def test_typing_answers_from_the_index_and_enter_from_confluence(synced):
    server = synced
    app = make_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        results = app.screen.query_one(ResultsPane)
        await pilot.press("slash", *"paymen")
        await _wait_for(pilot, lambda: results.source == "local", "no local answer")
        await _wait_for(
            pilot,
            lambda: results.results and results.results[0].id == LATENCY_RUNBOOK,
            f"not ranked first: {[r.title for r in results.results]}",
        )
        assert "local index, synced just now" in _summary(app)
        assert "enter asks Confluence" in _summary(app)
        assert "@@@hl@@@" in results.results[0].title_hl + results.results[0].excerpt
        assert app.screen.focused is app.screen.search_pane.bar  # typing goes on in the bar
        server.requests.clear()
        await pilot.press(*"ts", "enter")
        await _wait_for(pilot, lambda: results.source == "confluence", "enter did not ask CQL")
        await settle(app, pilot)
        assert "from Confluence (CQL)" in _summary(app)
        assert 'text ~ "payments"' in _summary(app)
        assert server.requests.entries("GET", "/wiki/rest/api/search")  # Confluence was asked
        assert results.source == "confluence"  # a late local answer did not replace it


async def test_a_cql_query_the_index_can_answer_is_answered_as_typed(synced):
    server = synced
    app = make_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        results = app.screen.query_one(ResultsPane)
        await pilot.press("slash", *'title ~ "latency"')
        await _wait_for(pilot, lambda: results.source == "local", "no local answer")
        assert [r.id for r in results.results][:1] == [LATENCY_RUNBOOK]
        # CQL the index cannot answer (or not yet finished) leaves no stale local answer shown
        await pilot.press(*" or")
        await _wait_for(pilot, lambda: not results.results, "stale local results kept")


async def test_enter_with_the_site_unreachable_is_answered_by_the_index(synced):
    server = synced
    app = make_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        server.go_offline()
        results = app.screen.query_one(ResultsPane)
        await pilot.press("slash", *"latency", "enter")
        await _wait_for(pilot, lambda: "could not be reached" in _summary(app), _summary(app))
        await settle(app, pilot)
        assert "local index" in _summary(app)
        assert [r.id for r in results.results][:1] == [LATENCY_RUNBOOK]
        assert app.screen.status.state == "offline"
        notes(app)


async def test_a_site_without_an_index_searches_confluence_only(site):
    server = site()
    app = make_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        results = app.screen.query_one(ResultsPane)
        await pilot.press("slash", *"latency")
        await settle(app, pilot)
        assert results.source == ""  # nothing local to show, nothing pretended
        await pilot.press("enter")
        await _wait_for(pilot, lambda: results.source == "confluence", "enter did not ask CQL")
