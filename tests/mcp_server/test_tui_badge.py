"""The status bar's inbox badge (Textual Pilot): the count of pending proposals, live as agents add
them through ``workbench mcp`` and as people decide them elsewhere; the inbox key as the person has
it; a click on the badge or the key opens the inbox."""

from __future__ import annotations

from textual.widgets import ListView

from workbench.config import Settings
from workbench.inbox.decide import reject
from workbench.inbox.store import Inbox
from workbench.services.sites import url_site
from workbench.tui.app import WorkbenchApp
from workbench.tui.inbox import InboxScreen
from workbench.tui.widgets.status import StatusBar

from .test_tui_inbox import EDIT, _agent_proposes, _settle, _until


def _bar(app) -> StatusBar:
    return app.main.query_one("#status", StatusBar)


async def test_the_badge_counts_proposals_as_they_arrive_and_as_they_are_decided(site):
    app = WorkbenchApp(url_site(site.url, name="Local"), settings=Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(app, pilot)
        bar = _bar(app)
        # nothing waits: no badge (the bar is as it always was)
        assert app.pending_proposals == 0 and bar.badge() == ""
        assert "proposal" not in str(bar.render())
        first = await _agent_proposes(
            site,
            "propose_edit",
            {"page_id": site.runbook, "base_version": 1, "edits": [EDIT], "summary": "day"},
        )
        await _until(pilot, lambda: bar.proposals == 1, "the badge shows the first proposal")
        assert app.pending_proposals == 1
        assert "✉ 1 proposal from agents · ctrl+g" in str(bar.render())
        await _agent_proposes(
            site, "propose_comment", {"page_id": site.runbook, "markdown": "Shipped?"}
        )
        await _until(pilot, lambda: bar.proposals == 2, "the badge counts the second one")
        assert "✉ 2 proposals from agents · ctrl+g" in str(bar.render())
        # decided elsewhere (`workbench proposals reject` in another terminal): the count follows
        reject(Inbox(), first, "not today", by="cli")
        await _until(pilot, lambda: bar.proposals == 1, "the badge follows a decision elsewhere")
        # ctrl+g opens the inbox with the one still waiting
        await pilot.press("ctrl+g")
        await _settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, InboxScreen) and len(screen.query_one(ListView).children) == 1
        await pilot.press("escape")
        await _settle(app, pilot)
        # a click on the badge opens it too
        start, end = bar._badge_at
        assert end > start
        await pilot.click(StatusBar, offset=(start + 2, 0))
        await _settle(app, pilot)
        assert isinstance(app.screen, InboxScreen)
        await pilot.press("escape")
        await _settle(app, pilot)
        # a click elsewhere on the bar does not
        await pilot.click(StatusBar, offset=(1, 0))
        await _settle(app, pilot)
        assert not isinstance(app.screen, InboxScreen)


async def test_the_badge_is_there_at_start_and_names_the_remapped_key(site):
    await _agent_proposes(
        site, "propose_comment", {"page_id": site.runbook, "markdown": "Before the app started"}
    )
    settings = Settings(keymap={"app.inbox": "f9"})
    app = WorkbenchApp(url_site(site.url, name="Local"), settings=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        bar = _bar(app)
        await _until(pilot, lambda: bar.proposals == 1, "the badge counts what waited already")
        assert str(bar.render()).endswith("✉ 1 proposal from agents · f9")
        await pilot.press("f9")
        await _settle(app, pilot)
        assert isinstance(app.screen, InboxScreen)
