"""Snapshots (120×40) of a page with live Jira macros and of the issue view, each text-checked
before the picture is taken (the words, not only the pixels). Fixed clock and site name as in
test_snapshots.py; update after reading snapshot_report.html (``--snapshot-update``)."""

from __future__ import annotations

import pytest

from workbench.tui.jira_issue import IssueScreen

from .helpers import settle, viewer_text, wait_until
from .test_snapshots import _app, _before


@pytest.fixture
def server(fixed_clock, local_confluence):
    return local_confluence("demo")


def _open(server, title: str, then):
    async def step(app, pilot):
        await then(app, pilot)

    return _before(server, step, page=title)


def test_a_page_with_live_jira_macros(server, snap_compare):
    async def check(app, pilot):
        shown = viewer_text(app)  # the macros sit in a table's cells: a line each, then wrapped
        assert "◆ PAY-1311 Webhook retries used the" in shown
        assert "◆ PAY-1329 Currency rounding in JPY" in shown
        assert shown.count("DONE") == 2

    app = _app(server)
    assert snap_compare(
        app, terminal_size=(120, 40), run_before=_open(server, "Release 2026.10", check)
    )


def test_the_issue_view(server, snap_compare):
    async def issue(app, pilot):
        app.main.query_one("#viewer").focus()
        await pilot.press("enter")
        await wait_until(app, pilot, lambda: isinstance(app.screen, IssueScreen))
        await settle(app, pilot)
        screen = app.screen
        assert str(screen.query_one("#issue-title").render()).startswith("PAY-1432  Automate")
        assert "assignee Marcus Oyelaran" in str(screen.query_one("#issue-fields").render())
        body = "\n".join(screen.query_one("#issue-body").plain_lines())
        assert "Description" in body and "Links" in body and "Comments (1)" in body

    app = _app(server)
    assert snap_compare(
        app,
        terminal_size=(120, 40),
        run_before=_open(server, "Runbook: Payments API latency", issue),
    )
