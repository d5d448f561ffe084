"""The inbox in the workbench (Textual Pilot): a proposal an agent makes while the app is open appears,
is reviewed hunk by hunk and approved there; a page changed since shows the merge first; reject asks why."""

from __future__ import annotations

import httpx
from textual.widgets import ListView

from workbench.config import Settings
from workbench.inbox.store import Inbox
from workbench.services.sites import url_site
from workbench.tui.agent.review import ProposalReview
from workbench.tui.app import WorkbenchApp
from workbench.tui.inbox import InboxScreen
from workbench.tui.widgets.status import StatusBar

EDIT = {"old": "Deploys happen on Tuesdays.", "new": "Deploys happen on Wednesdays."}


async def _settle(app, pilot) -> None:
    for _ in range(3):
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
    await pilot.pause()


async def _agent_proposes(site, name: str, arguments: dict) -> int:
    """What ``workbench mcp`` does for a client's call (another client, another session)."""
    from workbench.agent.fences import Fence
    from workbench.confluence.client import ConfluenceClient
    from workbench.mcp.bridge import McpBridge

    auth = httpx.BasicAuth("demo@example.com", "demo-token")
    async with ConfluenceClient(site.url, auth=auth, max_wait=1.0) as client:
        bridge = McpBridge(client, Fence.build("propose"))
        bridge.agent = "codex 0.9"
        answer = await bridge.call(name, arguments)
    assert not answer.is_error and answer.proposal_id is not None, answer.text
    return answer.proposal_id


async def _until(pilot, condition, what: str) -> None:
    """Wait for the screen's poll of the inbox (no time is asserted; the bound only ends a hung test)."""
    for _ in range(300):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"never happened: {what}")


async def test_a_proposal_arriving_while_open_is_approved_in_the_inbox(site):
    app = WorkbenchApp(url_site(site.url, name="Local"), settings=Settings())
    async with app.run_test(size=(160, 45)) as pilot:
        await _settle(app, pilot)
        app.open_page(site.runbook)
        await _settle(app, pilot)
        await pilot.press("ctrl+g")
        await _settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, InboxScreen) and screen.items == []
        number = await _agent_proposes(
            site,
            "propose_edit",
            {"page_id": site.runbook, "base_version": 1, "edits": [EDIT], "summary": "deploy day"},
        )
        listed = screen.query_one(ListView)
        # the row is there once its label is mounted (a ListItem is appended before its children)
        await _until(
            pilot,
            lambda: len(listed.children) == 1 and bool(listed.children[0].query("Label")),
            "the new proposal is listed",
        )
        assert "codex 0.9" in str(listed.children[0].query_one("Label").render())
        # the arrival is state, not a toast that may have expired: the app's count and the status
        # bar's badge (on the main screen under the inbox) follow the inbox on disk
        bar = app.main.query_one("#status", StatusBar)
        await _until(
            pilot,
            lambda: app.pending_proposals == 1 and bar.proposals == 1,
            "the app counts the proposal that arrived",
        )
        assert "✉ 1 proposal from agents" in str(bar.render())
        assert site.version(site.runbook) == 1
        await pilot.press("enter")
        await _settle(app, pilot)
        assert isinstance(app.focused, ProposalReview) and app.focused.proposal.id == number
        await pilot.press("y", "enter")
        await _settle(app, pilot)
        assert Inbox().get(number).status == "approved"
        assert not screen.query(ProposalReview) and len(listed.children) == 0
        await _until(pilot, lambda: bar.proposals == 0, "the badge goes once it is decided")
        assert "proposal" not in str(bar.render())
        await pilot.press("escape")
        await _settle(app, pilot)
        assert app.workspace.current.base_version == 2  # the viewer shows the written version
    assert site.version(site.runbook) == 2 and "Wednesdays" in site.body(site.runbook)
    assert Inbox().get(number).new_version == 2 and Inbox().get(number).decided_by == "tui"


async def test_a_page_changed_since_shows_the_merge_first_and_reject_asks_why(site):
    first = await _agent_proposes(
        site,
        "propose_edit",
        {"page_id": site.runbook, "base_version": 1, "edits": [EDIT], "summary": "deploy day"},
    )
    second = await _agent_proposes(
        site, "propose_comment", {"page_id": site.runbook, "markdown": "Shipped?"}
    )
    theirs = site.body(site.runbook).replace(
        "The on-call engineer owns the rollback.", "The release manager owns the rollback."
    )
    site.store.update_page(site.runbook, theirs, version=2)
    app = WorkbenchApp(url_site(site.url, name="Local"), settings=Settings())
    async with app.run_test(size=(160, 45)) as pilot:
        await _settle(app, pilot)
        await pilot.press("ctrl+g")
        await _settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, InboxScreen) and [i.id for i in screen.items] == [first, second]
        await pilot.press("enter")
        await _settle(app, pilot)
        assert isinstance(app.focused, ProposalReview)
        await pilot.press("Y", "enter")
        await _settle(app, pilot)
        # nothing written yet: the merge on top of version 2 is shown as a new review, accepted
        assert site.version(site.runbook) == 2
        review = screen.query_one(ProposalReview)
        assert review.proposal.base_version == 2 and "merge cleanly" in review.note
        await pilot.press("enter")
        await _settle(app, pilot)
        assert site.version(site.runbook) == 3
        body = site.body(site.runbook)
        assert "Wednesdays" in body and "The release manager owns the rollback." in body
        assert Inbox().get(first).status == "merged"
        # the comment: rejected with a reason
        await pilot.press("r")
        await _settle(app, pilot)
        await pilot.press(*"Not on this page", "enter")
        await _settle(app, pilot)
        assert (
            Inbox().get(second).status == "rejected"
            and Inbox().get(second).reason == "Not on this page"
        )
        assert screen.items == []
    assert not list(site.store.comments(site.runbook))
