"""JQL in the search bar (``jql:``): coloured like CQL from the shared tokenizer, checked as typed
(a syntax error stops the search and says where; an unknown field or operator is a warning with its
position and Jira decides), run as ONE Jira search whose issues fill the results pane (key, status,
assignee, summary); ``enter`` on one opens the issue view."""

from __future__ import annotations

from rich.text import Text

from workbench.tui.jira_issue import IssueScreen
from workbench.tui.widgets.cql_bar import CqlBar

from .helpers import notes, settle, wait_until

SEARCH = "/rest/api/3/search/jql"


def _searches(server) -> int:
    return len([s for s in server.requests.entries() if s.path == SEARCH])


async def _type(app, pilot, query: str, *, enter: bool = True) -> None:
    bar = app.main.query_one(CqlBar)
    bar.focus()
    bar.value = query
    await pilot.pause()
    if enter:
        await pilot.press("enter")
    await settle(app, pilot)


def _line(app) -> str:
    box = app.main.query_one("#cql-error")
    return str(box.render()) if box.display else ""


async def test_a_jql_search_lists_issues_and_enter_opens_one(started, demo_server):
    app, pilot = started
    before = _searches(demo_server)
    await _type(app, pilot, "jql: project = PAY ORDER BY key")
    assert _searches(demo_server) - before == 1
    summary = str(app.main.query_one("#results-summary").render())
    assert summary.startswith("3 issues for project = PAY ORDER BY key — from Jira (JQL)"), summary
    listing = app.main.query_one("#results")
    rows = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
    assert [r.split()[0] for r in rows] == ["PAY-1311", "PAY-1329", "PAY-1432"]
    assert "DONE" in rows[0] and "Webhook retries used the wrong backoff" in rows[0]
    assert "IN PROGRESS" in rows[2] and "Marcus Oyelaran" in rows[2]
    assert listing.has_focus and _line(app) == ""
    listing.highlighted = 2
    await pilot.press("enter")
    await wait_until(app, pilot, lambda: isinstance(app.screen, IssueScreen))
    await settle(app, pilot)
    assert app.screen.issue is not None and app.screen.issue.key == "PAY-1432"
    assert notes(app) == []


async def test_invalid_jql_says_what_and_where_under_the_bar(started, demo_server):
    app, pilot = started
    before = _searches(demo_server)
    await _type(app, pilot, 'jql: summary ~ "retries')  # an unterminated string: not sent
    assert _line(app) == ('✗ The quoted string "retries has not been completed. (at character 16)')
    await _type(app, pilot, "jql: status = Done AND (key = PAY-1")  # a missing parenthesis
    assert _line(app) == "✗ Expecting ')' but got end of query. (at character 36)"
    assert _searches(demo_server) == before  # nothing was sent
    await _type(app, pilot, "jql: colour = red", enter=False)  # as typed: a warning with its place
    assert _line(app) == (
        "⚠ Field 'colour' does not exist or you do not have permission to view it. Sent as typed: "
        "Jira decides. (at character 6)"
    )
    await _type(
        app, pilot, "jql: status ~ Done", enter=False
    )  # an operator the field does not take
    assert _line(app) == (
        "⚠ The operator '~' is not supported by the 'status' field. Sent as typed: Jira decides. "
        "(at character 13)"
    )
    await pilot.press("enter")  # sent: Jira's own refusal replaces the warning
    await settle(app, pilot)
    assert _searches(demo_server) == before + 1
    assert _line(app).startswith("✗ Jira: Error in the JQL Query") or _line(app).startswith(
        "✗ Jira: The operator '~' is not supported"
    ), _line(app)
    assert app.main.query_one(CqlBar).value == "jql: status ~ Done"  # the query is kept


async def test_jql_is_coloured_from_the_theme_like_cql(started):
    app, pilot = started
    bar = app.main.query_one(CqlBar)
    colours = app.theme_variables
    text = Text('jql: project = "PAY" AND status != Done ORDER BY key')
    bar.highlighter.highlight(text)
    styled = {text.plain[s.start : s.end]: str(s.style) for s in text.spans}
    assert styled["jql:"] == f"bold {colours['text-secondary']}"
    assert styled["project"] == f"bold {colours['text-primary']}"
    assert styled['"PAY"'] == colours["text-success"]
    assert styled["AND"] == f"bold {colours['text-secondary']}"
    assert styled["!="] == f"bold {colours['text-warning']}"
    text = Text("jql: colour = red")
    bar.highlighter.highlight(text)
    assert any(
        text.plain[s.start : s.end] == "colour" and colours["error"] in str(s.style)
        for s in text.spans
    )
