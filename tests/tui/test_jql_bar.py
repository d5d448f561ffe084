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


async def _act_on(app, pilot, row: int):
    """``enter`` on result ``row``: the issue view, settled."""
    from workbench.tui.jira_issue import IssueScreen

    listing = app.main.query_one("#results")
    listing.focus()
    listing.highlighted = row
    await pilot.press("enter")
    await wait_until(app, pilot, lambda: isinstance(app.screen, IssueScreen))
    await settle(app, pilot)
    return app.screen


async def _confirm(app, pilot, view) -> None:
    """Yes in the confirmation that an action from ``view`` asks, then back on ``view``."""
    from workbench.tui.screens.modals import ConfirmScreen

    await wait_until(app, pilot, lambda: isinstance(app.screen, ConfirmScreen))
    await pilot.pause()
    await pilot.click("#yes")
    await wait_until(app, pilot, lambda: app.screen is view)
    await settle(app, pilot)


async def _transition(app, pilot, view, pick: int, meanwhile=None) -> None:
    from textual.widgets import OptionList

    from workbench.tui.screens.modals import PickScreen

    await pilot.press("t")
    await wait_until(app, pilot, lambda: isinstance(app.screen, PickScreen))
    await pilot.pause()
    if meanwhile is not None:
        meanwhile()
    app.screen.query_one("#pick", OptionList).highlighted = pick
    await pilot.press("enter")
    await _confirm(app, pilot, view)


def _rows(app) -> list[str]:
    listing = app.main.query_one("#results")
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_the_results_are_searched_again_after_an_action_from_them(started, demo_server):
    """A transition taken from a JQL result's issue view runs the query again (ONE search): the
    issue that no longer matches leaves the list; an assignment shows the new assignee on its row,
    and the row stays highlighted; the bar and the list keep the focus they had."""
    app, pilot = started
    await _type(app, pilot, "jql: project = PAY AND status != Done ORDER BY key")
    assert [r.split()[0] for r in _rows(app)] == ["PAY-1432"]
    view = await _act_on(app, pilot, 0)
    before = _searches(demo_server)
    await _transition(app, pilot, view, 1)  # Done → Done
    assert demo_server.store.jira_issue("PAY-1432")["status_name"] == "Done"
    assert _searches(demo_server) - before == 1
    await pilot.press("escape")
    await settle(app, pilot)
    assert _rows(app) == []  # it no longer matches the query
    summary = str(app.main.query_one("#results-summary").render())
    assert summary.startswith("0 issues for project = PAY AND status != Done ORDER BY key"), summary
    assert app.main.query_one("#results").has_focus

    # an assignment: the row is drawn anew, and the highlight stays on it
    from textual.widgets import OptionList

    from workbench.tui.jira_dialogs import AssignScreen

    await _type(app, pilot, "jql: project = PAY ORDER BY key")
    view = await _act_on(app, pilot, 1)  # PAY-1329
    assert view.issue is not None and view.issue.key == "PAY-1329"
    await pilot.press("a")
    await wait_until(app, pilot, lambda: isinstance(app.screen, AssignScreen))
    dialog = app.screen
    await pilot.press(*"priya")
    await settle(app, pilot)
    people = dialog.query_one("#jira-assign-people", OptionList)
    people.focus()
    people.highlighted = 1
    await pilot.press("enter")
    await _confirm(app, pilot, view)
    await pilot.press("escape")
    await settle(app, pilot)
    rows = _rows(app)
    assert [r.split()[0] for r in rows] == ["PAY-1311", "PAY-1329", "PAY-1432"]
    assert "Priya Raman" in rows[1], rows
    assert app.main.query_one("#results").highlighted == 1
    assert notes(app) == ["PAY-1432 moved to Done.", "PAY-1329 assigned to Priya Raman."]


async def test_a_refused_action_or_a_failed_search_again_keeps_the_results(started, demo_server):
    """Nothing changed, nothing searched: a cancelled or refused action sends no search. When the
    search after an action fails (Jira went away), the rows stay and the line above them says they
    may be out of date; the issue view is not disturbed."""
    from workbench.tui.jira_dialogs import JiraCommentScreen
    from workbench.tui.screens.modals import ConfirmScreen

    app, pilot = started
    await _type(app, pilot, "jql: project = PAY ORDER BY key")
    shown = _rows(app)
    view = await _act_on(app, pilot, 2)
    before = _searches(demo_server)
    await _transition(
        app,
        pilot,
        view,
        0,
        meanwhile=lambda: demo_server.store.jira_transition(
            "PAY-1432",
            "31",  # a colleague closes it while the transitions are listed
        ),
    )  # "Send to review": refused, Jira offers PAY-1432 only Reopen now
    assert view.query_one("#issue-error").display
    assert _searches(demo_server) == before  # nothing changed here: nothing searched
    # a comment goes through; the search after it is refused (403): the rows stay, and say so
    await pilot.press("m")
    await wait_until(app, pilot, lambda: isinstance(app.screen, JiraCommentScreen))
    app.screen.query_one("#jira-comment-text").text = "Closed by Grace."
    await pilot.press("ctrl+s")
    await wait_until(app, pilot, lambda: isinstance(app.screen, ConfirmScreen))
    await pilot.pause()
    demo_server.state.extras["chaos"].refuse(r"/rest/api/3/search/jql$", 403, "Not now.")
    await pilot.click("#yes")
    await wait_until(app, pilot, lambda: app.screen is view)
    await settle(app, pilot)
    assert len(demo_server.store.jira_comments("PAY-1432")) == 2
    assert app.screen is view and not view.query_one("#issue-error").display
    assert "Comment added to PAY-1432." in notes(app)
    await pilot.press("escape")
    await settle(app, pilot)
    assert _rows(app) == shown  # kept as they were
    summary = str(app.main.query_one("#results-summary").render())
    assert summary.startswith("3 issues for project = PAY ORDER BY key"), summary
    assert "not searched again after the change to PAY-1432: Jira refused" in summary, summary
    assert _line(app) == ""  # the bar is not an error: the search the person typed worked
