"""Live Jira issue macros in the page viewer, through Pilot against the local Confluence and its Jira:
the demo page's macros filled in by ONE batched search counted at the server (after the page's own
request), cached on reopen, and every unhappy path a plain reason beside the key — Jira not
reachable, no Jira on the site, an issue key that does not exist, a macro of another Jira server."""

from __future__ import annotations

import socket

import httpx
import pytest

from workbench.confluence.errors import NetworkError
from workbench.jira.errors import jira_error_for
from workbench.tui.jira_issue import IssueScreen
from workbench.tui.jira_macros import macros_in, reason

from .helpers import (
    SIZE,
    dc_app,
    make_app,
    notes,
    open_page,
    page_id,
    settle,
    viewer_text,
    wait_until,
)

SEARCH = "/rest/api/3/search/jql"
SERVER_ID = "b2a7c1e3-6d54-3f8e-a9b0-1c2d3e4f5a6b"  # the demo's "System JIRA"


def _jira(key: str, server: str = "System JIRA", server_id: str = SERVER_ID) -> str:
    params = f'<ac:parameter ac:name="key">{key}</ac:parameter>'
    if server:
        params = (
            f'<ac:parameter ac:name="server">{server}</ac:parameter>'
            f'<ac:parameter ac:name="serverId">{server_id}</ac:parameter>' + params
        )
    return (
        f'<ac:structured-macro ac:name="jira" ac:schema-version="1">{params}</ac:structured-macro>'
    )


MIXED = (
    f"<p>Fixed by {_jira('PAY-1311')}.</p>"
    f"<p>Never filed: {_jira('PAY-99999')}.</p>"
    f"<p>Upstream: {_jira('CORE-7', 'Partner JIRA', '0f0e0d0c-0000-4000-8000-000000000001')}.</p>"
    f"<p>No server named: {_jira('ENG-3', server='')}.</p>"
)


@pytest.fixture
def mixed_page(demo_server):
    space = demo_server.store.space_by_key("ENG")
    demo_server.store.create_page(space["id"], "Jira odds and ends", MIXED)
    return demo_server


def _searches(server, before: int) -> list:
    return [s for s in server.requests.entries()[before:] if s.path == SEARCH]


async def test_the_demo_page_fills_its_macros_with_one_search(demo_server):
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        before = len(demo_server.requests.entries())
        await open_page(app, pilot, demo_server, "Release 2026.10")
        await settle(app, pilot)
        seen = demo_server.requests.entries()[before:]
        searches = _searches(demo_server, before)
        assert len(searches) == 1 and searches[0].method == "POST" and searches[0].status == 200
        # the page was asked for (and answered) before Jira was: the page does not wait for it
        pid = page_id(demo_server, "Release 2026.10")
        paths = [s.path for s in seen]
        assert paths.index(f"/wiki/api/v2/pages/{pid}") < paths.index(SEARCH)
        text = viewer_text(app)
        assert "◆ PAY-1311 Webhook retries used the" in text
        assert "◆ PAY-1329 Currency rounding in JPY" in text
        assert text.count("DONE") >= 2  # both statuses, drawn as lozenges
        viewer = app.main.query_one("#viewer")
        assert ("jira:PAY-1311" in {href for _t, href in viewer.links}) is True
        assert notes(app) == []


async def test_reopening_the_page_within_the_ttl_asks_jira_nothing(demo_server):
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, "Release 2026.10")
        await open_page(app, pilot, demo_server, "Runbook: Payments API latency")
        before = len(demo_server.requests.entries())
        await open_page(app, pilot, demo_server, "Release 2026.10")
        await settle(app, pilot)
        assert _searches(demo_server, before) == []
        assert "◆ PAY-1311 Webhook retries used the" in viewer_text(app)


async def test_unknown_key_other_server_and_no_server_named(mixed_page):
    server = mixed_page
    app = make_app(server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        before = len(server.requests.entries())
        await open_page(app, pilot, server, "Jira odds and ends")
        await settle(app, pilot)
        text = viewer_text(app)
        assert "Fixed by ◆ PAY-1311 Webhook retries used the wrong backoff  DONE" in text
        assert "Never filed: ◆ PAY-99999 (not found, or you may not see it)" in text
        assert "Upstream: ◆ CORE-7 (other Jira server)" in text
        assert "No server named: ◆ ENG-3 Connection pool saturates" in text
        # CORE-7 is never asked for; PAY-99999 makes Jira refuse once, the rest are then found
        searches = _searches(server, before)
        assert [s.status for s in searches] == [400, 200]
        assert all("Traceback" not in n for n in notes(app))


async def _release_page(server) -> tuple[str, list[str], str]:
    """The demo's release page as shown: its text, what was said, the connection's state."""
    app = make_app(server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, server, "Release 2026.10")
        await settle(app, pilot)
        return viewer_text(app), notes(app), app.main.status.state


async def test_jira_not_reachable_leaves_the_page_readable(demo_server, monkeypatch):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("JIRA_URL", f"http://127.0.0.1:{port}")
    text, said, state = await _release_page(demo_server)
    assert "◆ PAY-1311 (Jira not reachable)" in text
    assert "Released on" in text and "Currency rounding in JPY receipts" in text
    assert said == [] and state == "online"  # Confluence is fine: only Jira is away


async def test_a_site_without_jira_says_so_beside_each_key(demo_server):
    demo_server.state.extras["jira"] = False
    text, said, _state = await _release_page(demo_server)
    assert "◆ PAY-1311 (no Jira on this site)" in text
    assert "◆ PAY-1329 (no Jira on this site)" in text
    assert said == []


def _refusal(status: int, body: dict, path: str = SEARCH) -> Exception:
    request = httpx.Request("POST", "https://x.atlassian.net" + path)
    return jira_error_for(
        httpx.Response(status, json=body, request=request), what="the search", search=True
    )


def test_reasons_are_short_and_plain():
    # Jira's own refusals, through the client's own error mapping
    assert reason(_refusal(403, {"errorMessages": ["You do not have permission."]})) == (
        "no permission in Jira: ask a Jira admin"
    )
    scope = _refusal(401, {"code": 401, "message": "Unauthorized; scope does not match"})
    assert reason(scope) == "the login has no Jira scopes: run workbench login"
    assert reason(_refusal(401, {"errorMessages": ["Bad credentials"]})) == "Jira refused the login"
    assert reason(_refusal(404, {"code": 404, "message": "No Jira"})) == "no Jira on this site"
    assert reason(NetworkError("Could not connect to Jira")) == "Jira not reachable"


def test_which_macros_name_this_sites_jira():
    refs = macros_in(MIXED + _jira("pay-1329") + '<ac:structured-macro ac:name="jira" />')
    assert [(r.key, r.other_server) for r in refs] == [
        ("PAY-1311", False),
        ("PAY-99999", False),
        ("CORE-7", True),
        ("ENG-3", False),
        ("PAY-1329", False),
    ]


async def test_on_data_center_the_macros_come_from_rest_v2(local_confluence):
    server = local_confluence("demo", flavour="dc", context_path="/confluence")
    app = dc_app(server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        before = len(server.requests.entries())
        app.open_page(page_id(server, "Release 2026.10"))
        await settle(app, pilot)
        searches = [s for s in server.requests.entries()[before:] if "/search" in s.path]
        assert [(s.method, s.path, s.status) for s in searches] == [
            ("POST", "/rest/api/2/search", 200)
        ]
        text = viewer_text(app)
        assert "◆ PAY-1311 Webhook retries used the" in text and "DONE" in text
        # the issue view on Data Center: the description comes as wiki markup, shown as Markdown
        app.push_screen(IssueScreen(app.main.workspace, "PAY-1432"))
        await wait_until(app, pilot, lambda: isinstance(app.screen, IssueScreen))
        await settle(app, pilot)
        body = "\n".join(app.screen.query_one("#issue-body").plain_lines())
        assert "The runbook's scale-out step is still manual." in body
        assert "• Add a scale-out job to the ops CLI" in body
        assert not app.screen.query_one("#issue-error").display


def test_help_and_palette_list_the_jira_keys():
    from workbench.tui.keys import key_rows, palette_actions

    rows = {row.binding_id: row for row in key_rows()}
    for binding_id in (
        "viewer.jira_issue",
        "issue.transition",
        "issue.comment",
        "issue.assign",
        "issue.reload",
        "issue.browser",
        "issue.close",
        "jira_comment.send",
        "jira_assign.cancel",
    ):
        assert binding_id in rows, binding_id
    assert rows["viewer.jira_issue"].keys == "enter"
    assert rows["issue.transition"].area == "jira issue"
    palette = {a.action: a for a in palette_actions()}
    assert palette["jira_issue"].title == "viewer: jira issue"
    assert "(enter)" in palette["jira_issue"].help
