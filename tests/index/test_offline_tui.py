"""Offline in the TUI (Pilot, the real app): the local Confluence is synced into the index, then stopped;
the app finds a page with the search bar (the index answers), opens the indexed copy marked offline
with its version and age, edits it — the draft is kept — and, once the same server is back on the
same port with the same data, saves it through the editing session: at base+1, or merged with what
someone saved meanwhile. Nothing is written while the site is away, and nothing is overwritten."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from tests.tui.helpers import make_app, save, settle, wait_until
from workbench.tui.panes.results import ResultsPane
from workbench.tui.widgets.editor import MdEditor

LATENCY_RUNBOOK = "65539"


@pytest.fixture
def offline_site(local_confluence, monkeypatch, tmp_path, cli):
    """The demo site with its data on disk, synced into the index by the CLI, then stopped;
    ``restart()`` brings the same server back (same port, same data)."""
    data = tmp_path / "emulator"
    server = local_confluence("demo", data_dir=data)
    version = int(server.store.get_page(LATENCY_RUNBOOK)["version"])
    monkeypatch.setenv("CONFLUENCE_URL", server.base_url)
    monkeypatch.setenv("CONFLUENCE_USERNAME", "demo@example.com")
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", "demo-token")
    assert cli("sync", "--all").code == 0
    port = server.port
    server.go_offline()

    class Site:
        base_url = server.base_url
        current = server
        base = version  # the runbook's version when it was synced

        def restart(self):
            self.current = local_confluence("demo", data_dir=data, port=port)
            assert self.current.base_url == self.base_url
            return self.current

    return Site()


async def _open_offline(app, pilot) -> None:
    """Find the runbook with the search bar (enter: Confluence is away, the index answers) and open it."""
    results = app.main.query_one(ResultsPane)
    await pilot.press("slash", *"payments latency", "enter")
    await wait_until(app, pilot, lambda: results.source == "local" and results.listing.has_focus)
    assert results.results[0].id == LATENCY_RUNBOOK
    await pilot.press("enter")
    await wait_until(app, pilot, lambda: app.main.page_pane.offline is not None)
    await settle(app, pilot)


def _header(app) -> str:
    return str(app.main.query_one("#page-header", Static).render())


async def _edit(app, pilot, change) -> MdEditor:
    await pilot.press("e")
    editor = app.main.query_one("#editor", MdEditor)
    await wait_until(app, pilot, lambda: editor.has_focus)
    editor.text = change(editor.text)
    await pilot.pause()
    return editor


async def test_an_indexed_page_opens_offline_and_its_edit_is_saved_when_the_site_is_back(
    offline_site,
):
    app = make_app(offline_site.current)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await _open_offline(app, pilot)
        base = offline_site.base
        assert "OFFLINE" in _header(app) and f"version {base}," in _header(app)
        assert "synced just now" in _header(app)
        assert "Runbook: Payments API latency" in _header(app)
        assert app.main.status.state == "offline"
        assert app.workspace.current.base_version == base
        await _edit(app, pilot, lambda t: t.rstrip("\n") + "\n\nWritten on the train.\n")
        await save(app, pilot)  # the site is away: not saved, the text kept as a draft
        assert app.main.has_unsaved()
        drafts = app.workspace.drafts.for_page(LATENCY_RUNBOOK)
        assert drafts and "Written on the train." in drafts[0].markdown
        assert drafts[0].base_version == base

        server = offline_site.restart()
        assert server.store.get_page(LATENCY_RUNBOOK)["version"] == base  # nothing written
        await save(app, pilot)
        row = server.store.get_page(LATENCY_RUNBOOK)
        assert row["version"] == base + 1 and "Written on the train." in row["body"]
        await wait_until(app, pilot, lambda: f"v{base + 1}" in _header(app))
        assert "OFFLINE" not in _header(app) and app.main.page_pane.offline is None
        assert app.workspace.drafts.for_page(LATENCY_RUNBOOK) == []
        assert not app.main.has_unsaved()


async def test_an_offline_edit_is_merged_with_what_was_saved_meanwhile(offline_site):
    app = make_app(offline_site.current)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await _open_offline(app, pilot)
        await _edit(app, pilot, lambda t: t.rstrip("\n") + "\n\nWritten on the train.\n")
        await save(app, pilot)
        assert app.main.has_unsaved()  # not saved while the site is away
        server = offline_site.restart()
        row = server.store.get_page(LATENCY_RUNBOOK)
        # someone else saves version 2 while this edit waited (the first paragraph only)
        server.store.update_page(
            LATENCY_RUNBOOK, row["body"].replace("</p>", " Checked by the on-call.</p>", 1)
        )
        await save(app, pilot)
        # the normal rules: the merge is shown for approval, then saved on top of theirs
        await wait_until(app, pilot, lambda: app.screen.id == "merge-approval")
        await pilot.press("enter")
        await settle(app, pilot)
        row = server.store.get_page(LATENCY_RUNBOOK)
        assert row["version"] == offline_site.base + 2  # on top of theirs
        assert "Checked by the on-call." in row["body"] and "Written on the train." in row["body"]


async def test_a_page_the_index_does_not_hold_gives_the_network_error(offline_site):
    app = make_app(offline_site.current)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.open_page("999999")
        await settle(app, pilot)
        assert app.main.page_pane.offline is None
        assert app.main.status.state == "offline"  # the network error is reported as before
        assert app.workspace.current is None
