"""The TUI's local search (``tui/widgets/local_search.py``) through Textual's Pilot, over an index
synced from the local Confluence: results as you type, enter ranks all, a hit chosen is handed back
to open; a site without an index is said, not an empty box."""

from __future__ import annotations

import pytest
from textual.app import App
from textual.widgets import Label

from workbench.index.sites import resolve_site
from workbench.tui.widgets.local_search import LocalSearchScreen, index_path_for

LATENCY_RUNBOOK = "65539"


class Host(App):
    def __init__(self, path) -> None:
        super().__init__()
        self.path = path
        self.chosen: tuple[str, str] | None = None
        self.closed = False

    def on_mount(self) -> None:
        self.push_screen(LocalSearchScreen(self.path), self._done)

    def _done(self, chosen) -> None:
        self.chosen, self.closed = chosen, True


async def _answered(pilot, screen: LocalSearchScreen, text: str) -> None:
    for _ in range(400):  # bounded wait for the worker's answer (no timing asserted)
        await pilot.pause(0.02)
        if screen.answer is not None and screen.answer.query == text:
            return
    raise AssertionError("no answer")


@pytest.fixture
def synced(site, cli):
    site()
    assert cli("sync", "--all").code == 0


async def test_results_as_you_type_then_enter_then_a_hit_is_handed_back(synced):
    app = Host(resolve_site().path)
    async with app.run_test(size=(110, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, LocalSearchScreen)
        await pilot.press(*"paymen")
        await _answered(pilot, screen, "paymen")
        assert screen.hits and screen.hits[0].id == LATENCY_RUNBOOK
        status = str(screen.query_one("#local-status", Label).render())
        assert "local index, synced just now" in status
        await pilot.press(
            *"ts", "space", *"laten", "enter"
        )  # enter: every match ranked, the list focused
        await _answered(pilot, screen, "payments laten")
        assert screen.answer is not None and screen.answer.complete
        assert [h.id for h in screen.hits][:1] == [LATENCY_RUNBOOK], screen.answer
        await pilot.press("enter")
        await pilot.pause()
    assert app.chosen == (LATENCY_RUNBOOK, "page")


async def test_escape_closes_with_nothing_chosen(synced):
    app = Host(resolve_site().path)
    async with app.run_test() as pilot:
        await pilot.press("escape")
        await pilot.pause()
    assert app.closed and app.chosen is None


async def test_no_index_no_screen(site):
    site()
    assert index_path_for(None) is None  # the palette action says so instead of opening the box
