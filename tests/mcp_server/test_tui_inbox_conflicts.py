"""Conflicts resolvable from the inbox (Textual Pilot, a concurrent writer on the local Confluence):
approving goes through the editing session exactly as the agent panel's review does — a conflicted
merge opens the conflict view, markers left in write nothing and keep the person's text, the
resolution is written on top of the newer version, and a page that moves on once more while the
person resolves gives a new merge (nothing lost, nothing overwritten)."""

from __future__ import annotations

from textual.widgets import TextArea

from workbench.config import Settings
from workbench.inbox.store import Inbox
from workbench.services.sites import url_site
from workbench.tui.agent.review import ProposalReview
from workbench.tui.agent.screens import MarkdownEditScreen
from workbench.tui.app import WorkbenchApp
from workbench.tui.inbox import InboxScreen

from .test_tui_inbox import EDIT, _agent_proposes, _settle, _until

THEIRS = "Deploys happen on Thursdays."  # the concurrent writer's change of the same line
CONTACT = "The on-call engineer owns the rollback."


def _write(site, body: str) -> None:
    """Another person saves the page (the next version) while the proposal waits."""
    site.store.update_page(site.runbook, body, version=site.version(site.runbook) + 1)


async def _open_conflict(app, pilot, site) -> tuple[int, InboxScreen]:
    number = await _agent_proposes(
        site,
        "propose_edit",
        {"page_id": site.runbook, "base_version": 1, "edits": [EDIT], "summary": "deploy day"},
    )
    _write(site, site.body(site.runbook).replace("Deploys happen on Tuesdays.", THEIRS))
    await pilot.press("ctrl+g")
    await _settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, InboxScreen)
    await pilot.press("enter")
    await _settle(app, pilot)
    assert isinstance(app.focused, ProposalReview)
    await pilot.press("Y", "enter")
    await _until(
        pilot, lambda: isinstance(app.screen, MarkdownEditScreen), "the conflict view opens"
    )
    return number, screen


async def test_a_conflicted_merge_is_resolved_in_the_inbox_and_nothing_is_lost(site):
    app = WorkbenchApp(url_site(site.url, name="Local"), settings=Settings())
    async with app.run_test(size=(160, 45)) as pilot:
        await _settle(app, pilot)
        number, screen = await _open_conflict(app, pilot, site)
        view = app.screen
        text = view.query_one(TextArea).text
        # both sides are there, between the markers; nothing is written yet
        assert "<<<<<<<" in text and "Wednesdays" in text and "Thursdays" in text
        assert site.version(site.runbook) == 2 and Inbox().get(number).status == "pending"
        # ctrl+s with the markers left in: refused in place, the person's text stays, nothing sent
        view.query_one(TextArea).insert("My note while resolving.\n", (0, 0))
        edited = view.query_one(TextArea).text
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert app.screen is view and view.query_one(TextArea).text == edited
        assert site.version(site.runbook) == 2 and Inbox().get(number).status == "pending"
        # escape: the proposal stays pending, nothing written
        await pilot.press("escape")
        await _settle(app, pilot)
        assert app.screen is screen and Inbox().get(number).status == "pending"
        # approve again, resolve this time: the resolution goes on top of version 2
        await pilot.press("enter")
        await _settle(app, pilot)
        await pilot.press("Y", "enter")
        await _until(
            pilot, lambda: isinstance(app.screen, MarkdownEditScreen), "the conflict view opens"
        )
        resolved = _resolve(app.screen.query_one(TextArea).text, "Deploys happen on Fridays.")
        app.screen.query_one(TextArea).text = resolved
        await pilot.press("ctrl+s")
        await _until(
            pilot, lambda: Inbox().get(number).status == "merged", "the resolution is written"
        )
        await _settle(app, pilot)
        assert app.screen is screen and screen.items == []
    assert site.version(site.runbook) == 3
    body = site.body(site.runbook)
    assert "Deploys happen on Fridays." in body and "<<<<<<<" not in body
    assert "Thursdays" not in body and "Wednesdays" not in body
    item = Inbox().get(number)
    assert item.new_version == 3 and item.decided_by == "tui"


async def test_a_page_that_moves_on_while_the_person_resolves_gives_a_new_merge(site):
    app = WorkbenchApp(url_site(site.url, name="Local"), settings=Settings())
    async with app.run_test(size=(160, 45)) as pilot:
        await _settle(app, pilot)
        number, screen = await _open_conflict(app, pilot, site)
        resolved = _resolve(app.screen.query_one(TextArea).text, "Deploys happen on Fridays.")
        app.screen.query_one(TextArea).text = resolved
        # meanwhile a third person saves version 3 (another line)
        _write(site, site.body(site.runbook).replace(CONTACT, "The release manager owns it."))
        await pilot.press("ctrl+s")
        # nothing is written over version 3: the resolution merges cleanly onto it, for review
        await _until(
            pilot,
            lambda: (
                bool(screen.query(ProposalReview))
                and screen.query_one(ProposalReview).proposal.base_version == 3
            ),
            "the new merge is shown for review",
        )
        assert site.version(site.runbook) == 3 and Inbox().get(number).status == "pending"
        review = screen.query_one(ProposalReview)
        assert "merge cleanly on top of version 3" in review.note
        assert "Fridays" in review.proposal.after and "release manager" in review.proposal.after
        review.focus()
        await pilot.press("enter")
        await _until(pilot, lambda: Inbox().get(number).status == "merged", "the merge is written")
    assert site.version(site.runbook) == 4
    body = site.body(site.runbook)
    assert "Deploys happen on Fridays." in body and "The release manager owns it." in body
    assert Inbox().get(number).new_version == 4


def _resolve(text: str, keep: str) -> str:
    """The person's resolution: each conflict block becomes ``keep``."""
    out, inside = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("<<<<<<<"):
            inside = True
            out.append(keep + "\n")
        elif line.startswith(">>>>>>>"):
            inside = False
        elif not inside:
            out.append(line)
    return "".join(out)
