"""Any kind of proposal is kept, listed, shown and decided by the inbox and ``workbench proposals``:
every field of a proposal survives the inbox (a kind or field added later too), and a kind this
version cannot apply is refused with a clear message when approved — never dropped, never written."""

from __future__ import annotations

import json
from dataclasses import fields

from textual.widgets import ListView

from workbench.agent.proposals import KINDS, Proposal
from workbench.cli import main
from workbench.config import Settings
from workbench.inbox.record import proposal_from_data, proposal_to_data
from workbench.inbox.store import Inbox
from workbench.services.sites import url_site
from workbench.tui.agent.review import ProposalReview
from workbench.tui.app import WorkbenchApp
from workbench.tui.inbox import InboxScreen

from .test_tui_inbox import _settle, _until

ARCHIVE = {  # what a later version might store: a kind, and a field, this one does not know
    "kind": "archive",
    "summary": "tidy the tree",
    "before": "parent: Engineering\n",
    "after": "parent: Archive\n",
    "title": "Runbook",
    "space_key": "ENG",
    "target_parent_id": "4242",
}


def test_every_field_of_a_proposal_survives_the_inbox():
    proposal = Proposal(
        kind="reply",
        summary="s",
        before="",
        after="Thanks!\n",
        page_id="12",
        page_kind="blogpost",  # a reply on a blog post stays one (was dropped before)
        title="Launch",
        space_key="ENG",
        parent_id="7",
        parent_title="Home",
        base_version=3,
        users={"u1": "Priya"},
        unknown_mentions=("Bob",),
        labels=("a", "b"),
        draft=True,
        comment_id="99",
        comment_inline=True,
    )
    again = proposal_from_data(json.loads(json.dumps(proposal_to_data(proposal))), 5)
    for f in fields(Proposal):
        if f.name not in ("base", "hunks", "id"):
            assert getattr(again, f.name) == getattr(proposal, f.name), f.name
    assert again.id == 5


def _store_unknown_kind(site) -> int:
    data = {**ARCHIVE, "page_id": site.runbook}
    return Inbox().add(site=site.url, agent="later-agent", profile="propose", proposal=data).id


def test_an_unknown_kind_is_listed_shown_refused_and_can_be_rejected(site, env, capsys):
    assert "archive" not in KINDS
    number = _store_unknown_kind(site)
    assert main(["proposals"]) == 0
    listed = capsys.readouterr().out
    assert "archive" in listed and f"page {site.runbook} 'Runbook'" in listed
    assert main(["proposals", "show", str(number)]) == 0
    shown = capsys.readouterr().out
    assert f"# proposal {number}: archive of page {site.runbook} 'Runbook' (ENG)" in shown
    assert "-parent: Engineering" in shown and "+parent: Archive" in shown
    assert main(["proposals", "approve", str(number)]) == 2
    err = capsys.readouterr().err
    assert (
        f"Proposal {number} is a 'archive' proposal, which this version of Confluence Workbench "
        "cannot apply" in err
    )
    assert "Traceback" not in err
    assert Inbox().get(number).status == "pending" and site.version(site.runbook) == 1
    # its fields are kept as stored, for the version that can apply it
    assert Inbox().get(number).proposal["target_parent_id"] == "4242"
    assert main(["proposals", "reject", str(number), "--reason", "not now"]) == 0
    assert Inbox().get(number).status == "rejected"


async def test_the_tui_inbox_shows_an_unknown_kind_and_refuses_to_approve_it(site):
    number = _store_unknown_kind(site)
    app = WorkbenchApp(url_site(site.url, name="Local"), settings=Settings())
    async with app.run_test(size=(160, 45)) as pilot:
        await _settle(app, pilot)
        await pilot.press("ctrl+g")
        await _settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, InboxScreen) and [i.id for i in screen.items] == [number]
        rows = screen.query_one(ListView).children
        await _until(pilot, lambda: bool(rows and rows[0].query("Label")), "the row is drawn")
        assert "archive" in str(rows[0].query_one("Label").render())
        await pilot.press("enter")
        await _settle(app, pilot)
        assert isinstance(app.focused, ProposalReview)
        await pilot.press("Y", "enter")
        status = screen.query_one("#inbox-status")
        await _until(pilot, lambda: "cannot apply" in str(status.render()), "the refusal")
        assert "is a 'archive' proposal" in str(status.render())
    assert Inbox().get(number).status == "pending" and site.version(site.runbook) == 1
