"""A Jira that will not answer this login, through Pilot against the local site: the page stays
readable, each macro keeps its key and says what to do, the issue view says it in full, a JQL search
says it under the bar — no traceback, no error notification, nothing stuck.

- An OAuth login without Jira's scopes (``workbench.auth.oauth.WITHOUT_JIRA``): the gateway answers
  401 ``Unauthorized; scope does not match`` (Atlassian's KB "oAuth app throwing error Unauthorized;
  scope does not match", https://support.atlassian.com/jira/kb/oauth-app-throwing-error-unauthorized-scope-does-not-match;
  the local gateway: ``workbench.emulator.jira.http``), and the remedy is to log in again.
- A Jira that refuses the account (403, ``ErrorCollection``): the remedy is Jira access from a Jira
  administrator ("Access Jira: granted by the Jira Users global permission", the spec's
  ``x-atlassian-narrative`` Permissions); logging in again would not help.
"""

from __future__ import annotations

from dataclasses import replace

from workbench.tui.jira_issue import IssueScreen
from workbench.tui.widgets.cql_bar import CqlBar

from .helpers import SIZE, notes, open_page, settle, viewer_text, wait_until

RUNBOOK = "Runbook: Payments API latency"  # one macro: PAY-1432


async def _without_jira_scopes(server):
    """A stored OAuth profile whose grant covers Confluence only; the app on it (not started)."""
    from tests.auth.browser import demo_app, login
    from workbench.auth.oauth import WITHOUT_JIRA
    from workbench.auth.profiles import save_oauth_login
    from workbench.services.sites import default_site
    from workbench.tui.app import WorkbenchApp

    oauth = replace(demo_app(server), scopes=WITHOUT_JIRA)
    result, _page = await login(server, hint="Local Confluence", app=oauth)
    assert not isinstance(result, Exception), result
    profile = save_oauth_login(result, oauth)
    return WorkbenchApp(default_site(profile.name))


async def _macro_and_view(app, pilot, server) -> tuple[str, IssueScreen]:
    """The page's text once its macro is drawn, and the issue view opened from the macro."""
    await open_page(app, pilot, server, RUNBOOK)
    shown = " ".join(viewer_text(app).split())
    app.main.query_one("#viewer").focus()
    await pilot.press("enter")
    await wait_until(app, pilot, lambda: isinstance(app.screen, IssueScreen))
    await settle(app, pilot)
    return shown, app.screen


async def _jql(app, pilot, query: str) -> str:
    """The line under the bar after searching ``query``."""
    bar = app.main.query_one(CqlBar)
    bar.focus()
    bar.value = query
    await pilot.pause()
    await pilot.press("enter")
    await settle(app, pilot)
    box = app.main.query_one("#cql-error")
    return str(box.render()) if box.display else ""


async def test_a_login_without_jira_scopes_says_to_log_in_again(demo_server):
    app = await _without_jira_scopes(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(app, pilot, lambda: app.main is not None and app.main.workspace)
        await settle(app, pilot)
        shown, view = await _macro_and_view(app, pilot, demo_server)
        assert "Scale the deployment out while you investigate" in shown  # the page is readable
        assert "PAY-1432 (the login has no Jira scopes: run workbench login)" in shown, shown
        said = str(view.query_one("#issue-error").render())
        assert said.startswith(
            "The OAuth login does not include the Jira permission this request needs: it needs "
            "read:jira-work. Run 'workbench login' again"
        ), said
        assert "PAY-1432 could not be shown." in "\n".join(
            view.query_one("#issue-body").plain_lines()
        )
        # the actions say the same, and send nothing Jira would take
        await pilot.press("t")
        await settle(app, pilot)
        assert app.screen is view
        assert "needs read:jira-work" in str(view.query_one("#issue-error").render())
        await pilot.press("escape")
        await settle(app, pilot)
        line = await _jql(app, pilot, "jql: project = PAY")
        assert line.startswith("✗ Jira: The OAuth login does not include the Jira permission"), line
        assert "workbench login" in line
        assert app.main.query_one(CqlBar).value == "jql: project = PAY"  # the query is kept
        assert notes(app) == []  # said where it belongs, not as an error notification
    # every Jira request went through the gateway and was refused there: no Jira write happened
    jira = [e for e in demo_server.requests.entries() if e.path.startswith("/rest/api/3/")]
    assert jira and {e.status for e in jira} == {401}
    assert not [e for e in jira if e.method != "GET" and "search" not in e.path]


async def test_a_jira_that_refuses_the_account_says_to_ask_for_access(started, demo_server):
    app, pilot = started
    chaos = demo_server.state.extras["chaos"]
    # Jira's ErrorCollection (tests/specs/jira-cloud-platform-v3.openapi.json, ErrorCollection)
    words = {"errorMessages": ["You do not have access to this Jira."], "errors": {}}
    chaos.refuse(r"^/rest/api/3/", 403, body=words)
    shown, view = await _macro_and_view(app, pilot, demo_server)
    assert "PAY-1432 (no permission in Jira: ask a Jira admin)" in shown, shown
    said = str(view.query_one("#issue-error").render())
    assert said.startswith(
        "Jira refused issue PAY-1432 (403: You do not have access to this Jira.)."
    ), said
    assert "Jira administrator" in said and "workbench login" not in said
    await pilot.press("escape")
    await settle(app, pilot)
    line = await _jql(app, pilot, "jql: project = PAY")
    assert line.startswith("✗ Jira: Jira refused the search (403: You do not have access"), line
    assert notes(app) == []
    # Confluence still answers: the page pane and the tree are untouched by Jira's refusals
    assert app.main.workspace.current.page.title == RUNBOOK
