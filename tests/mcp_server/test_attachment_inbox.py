"""An attachment proposal from an agent (``workbench mcp``'s bridge) in the inbox: ``workbench
proposals show`` and the TUI inbox show the file's name, size and type (an SVG described as a
picture), approving it uploads it exactly once, and the agent's words stay text."""

from __future__ import annotations

import asyncio

from textual.widgets import ListView

from workbench.cli import main
from workbench.config import Settings
from workbench.inbox.store import Inbox
from workbench.services.sites import url_site
from workbench.tui.agent.review import ProposalReview
from workbench.tui.app import WorkbenchApp
from workbench.tui.inbox import InboxScreen

from .test_tui_inbox import _agent_proposes, _settle, _until

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
    '<rect width="120" height="40" fill="#eee"/><text x="10" y="25">[b]Failover[/b]</text></svg>\n'
)


def _files(site, page_id: str) -> dict[str, bytes]:
    store = site.store
    return {
        r["title"]: store.blob_path(r["sha256"]).read_bytes()
        for r in store.list_attachments(page_id)
    }


def test_proposals_show_names_the_file_and_approve_uploads_it_once(site, env, capsys):
    number = asyncio.run(
        _agent_proposes(
            site,
            "propose_attachment",
            {"page_id": site.runbook, "name": "latency.csv", "text": "a,b\n1,2\n"},
        )
    )
    assert main(["proposals", "show", str(number)]) == 0
    shown = capsys.readouterr().out
    assert (
        f"# proposal {number}: attachment 'latency.csv' (8 B, text/csv, new) on page "
        f"{site.runbook} 'Runbook' (ENG)" in shown
    )
    assert "+a,b\n+1,2\n" in shown and "# Attach latency.csv (8 B, text/csv)" in shown
    assert _files(site, site.runbook) == {}
    assert main(["proposals", "approve", str(number)]) == 0
    assert "Attached latency.csv" in capsys.readouterr().out
    assert _files(site, site.runbook) == {"latency.csv": b"a,b\n1,2\n"}
    assert main(["proposals", "approve", str(number)]) == 5  # decided: never a second upload
    assert [r["version"] for r in site.store.list_attachments(site.runbook)] == [1]


async def test_the_tui_inbox_shows_the_file_and_an_svg_in_words_then_uploads_it(site):
    number = await _agent_proposes(
        site,
        "propose_attachment",
        {"page_id": site.runbook, "name": "failover.svg", "text": SVG},
    )
    app = WorkbenchApp(url_site(site.url, name="Local"), settings=Settings())
    async with app.run_test(size=(160, 45)) as pilot:
        await _settle(app, pilot)
        await pilot.press("ctrl+g")
        await _settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, InboxScreen) and [i.id for i in screen.items] == [number]
        rows = screen.query_one(ListView).children
        await _until(pilot, lambda: bool(rows and rows[0].query("Label")), "the row is drawn")
        assert "attachment" in str(rows[0].query_one("Label").render())
        await pilot.press("enter")
        await _settle(app, pilot)
        review = app.focused
        assert isinstance(review, ProposalReview)
        header = str(review.query_one(".review-header").render())
        assert f"📎 failover.svg · {len(SVG.encode())} B · image/svg+xml · new file" in header
        # the picture in words; the agent's text is text ([b] is not markup)
        assert "SVG image 120×40: 1 rect, 1 text — “[b]Failover[/b]”" in header
        assert "enter upload accepted" in str(review.query_one(".review-footer").render())
        await pilot.press("Y", "enter")
        await _settle(app, pilot)
        await _until(pilot, lambda: Inbox().get(number).status == "approved", "the approval")
    assert _files(site, site.runbook) == {"failover.svg": SVG.encode()}
