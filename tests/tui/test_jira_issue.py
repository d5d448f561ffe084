"""The Jira issue view, through Pilot against the local Jira: opened with enter on a page's macro;
its fields, description, links and comments; a transition confirmed and then visible in the view
and on the page (and nothing sent when cancelled); a comment sent once (and kept in its box when
Jira cannot take it); an assignment; an issue that does not exist said plainly."""

from __future__ import annotations

from textual.widgets import OptionList, TextArea

from workbench.tui.jira_dialogs import AssignScreen, JiraCommentScreen
from workbench.tui.jira_issue import IssueScreen
from workbench.tui.screens.modals import ConfirmScreen, PickScreen

from .helpers import notes, open_page, settle, viewer_text, wait_until

RUNBOOK = "Runbook: Payments API latency"  # one macro: PAY-1432


def _text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


def _body(screen) -> str:
    return "\n".join(screen.query_one("#issue-body").plain_lines())


async def _issue_view(app, pilot, server) -> IssueScreen:
    await open_page(app, pilot, server, RUNBOOK)
    app.main.query_one("#viewer").focus()
    await pilot.press("enter")
    await wait_until(app, pilot, lambda: isinstance(app.screen, IssueScreen))
    await settle(app, pilot)
    return app.screen


async def _answer(app, pilot, kind, *, yes: bool = True) -> None:
    await wait_until(app, pilot, lambda: isinstance(app.screen, kind))
    await pilot.pause()
    await pilot.click("#yes" if yes else "#no")


def _posts(server, path: str) -> int:
    return len(server.requests.entries(method="POST", path_prefix=path))


async def test_enter_on_a_macro_opens_the_issue(started, demo_server):
    app, pilot = started
    view = await _issue_view(app, pilot, demo_server)
    assert (
        _text(view, "#issue-title")
        == "PAY-1432  Automate the scale-out step of the latency runbook"
    )
    fields = _text(view, "#issue-fields")
    assert fields.startswith(" IN PROGRESS ")
    assert "type Task" in fields and "priority High" in fields
    assert "assignee Marcus Oyelaran" in fields and "reporter Priya Raman" in fields
    body = _body(view)
    assert "The runbook's scale-out step is still manual." in body
    assert "Owner: @Marcus Oyelaran" in body  # a mention, drawn as on a page
    assert "blocks ENG-3 Connection pool saturates under retry storms (In Review)" in body
    assert "Comments (1)" in body and "Draft job is on a branch." in body
    assert not view.query_one("#issue-error").display
    assert view.focused is view.query_one("#issue-body")  # j/k/space scroll it; t/m/a act


async def test_a_transition_is_confirmed_then_shown_in_the_view_and_on_the_page(
    started, demo_server
):
    app, pilot = started
    view = await _issue_view(app, pilot, demo_server)
    path = "/rest/api/3/issue/PAY-1432/transitions"
    await pilot.press("t")
    await wait_until(app, pilot, lambda: isinstance(app.screen, PickScreen))
    await pilot.pause()
    options = app.screen.query_one("#pick", OptionList)
    items = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    assert items == ["Send to review → In Review", "Done → Done", "Stop progress → To Do"]
    options.highlighted = 1
    await pilot.press("enter")
    await wait_until(app, pilot, lambda: isinstance(app.screen, ConfirmScreen))
    assert app.screen.question == "Move PAY-1432 from In Progress to Done (Done)?"
    await _answer(app, pilot, ConfirmScreen, yes=False)  # cancelled: nothing is sent
    await wait_until(app, pilot, lambda: app.screen is view)
    assert _posts(demo_server, path) == 0
    await pilot.press("t")
    await wait_until(app, pilot, lambda: isinstance(app.screen, PickScreen))
    await pilot.pause()
    app.screen.query_one("#pick", OptionList).highlighted = 1
    await pilot.press("enter")
    await _answer(app, pilot, ConfirmScreen)
    await wait_until(app, pilot, lambda: app.screen is view)
    await settle(app, pilot)
    assert _posts(demo_server, path) == 1
    assert demo_server.store.jira_issue("PAY-1432")["status_name"] == "Done"
    assert _text(view, "#issue-fields").startswith(" DONE ")
    assert "PAY-1432 moved to Done." in notes(app)
    await pilot.press("escape")
    await settle(app, pilot)
    shown = " ".join(viewer_text(app).split())  # the macro, as it wraps on the page
    assert "◆ PAY-1432 Automate the scale-out step of the latency runbook DONE" in shown


async def test_a_comment_is_sent_once_and_a_refused_one_stays_in_its_box(started, demo_server):
    app, pilot = started
    view = await _issue_view(app, pilot, demo_server)
    path = "/rest/api/3/issue/PAY-1432/comment"
    await pilot.press("m")
    await wait_until(app, pilot, lambda: isinstance(app.screen, JiraCommentScreen))
    box = app.screen.query_one("#jira-comment-text", TextArea)
    box.text = "Merged the **scale-out** job; see `ops scale`."
    await pilot.press("ctrl+s")
    await _answer(app, pilot, ConfirmScreen)
    await wait_until(app, pilot, lambda: app.screen is view)
    await settle(app, pilot)
    assert _posts(demo_server, path) == 1
    stored = demo_server.store.jira_comments("PAY-1432")
    assert len(stored) == 2
    assert "Comments (2)" in _body(view) and "Merged the scale-out job; see ops scale." in _body(
        view
    )
    # Jira goes away: the comment is not sent, Jira's reason is shown, the text stays
    demo_server.state.extras["jira"] = False
    await pilot.press("m")
    await wait_until(app, pilot, lambda: isinstance(app.screen, JiraCommentScreen))
    dialog = app.screen
    dialog.query_one("#jira-comment-text", TextArea).text = "Second thoughts."
    await pilot.press("ctrl+s")
    await _answer(app, pilot, ConfirmScreen)
    await wait_until(
        app, pilot, lambda: app.screen is dialog and dialog.query_one(".jira-error").display
    )
    said = str(dialog.query_one(".jira-error").render())
    assert said.startswith("Not sent: There is no Jira at http://127.0.0.1:"), said
    assert said.endswith("Your text is still here.")
    assert dialog.query_one("#jira-comment-text", TextArea).text == "Second thoughts."
    assert len(demo_server.store.jira_comments("PAY-1432")) == 2


async def test_assign_from_the_people_jira_offers(started, demo_server):
    app, pilot = started
    view = await _issue_view(app, pilot, demo_server)
    await pilot.press("a")
    await wait_until(app, pilot, lambda: isinstance(app.screen, AssignScreen))
    dialog = app.screen
    await pilot.press(*"priya")
    await settle(app, pilot)
    people = dialog.query_one("#jira-assign-people", OptionList)
    shown = [str(people.get_option_at_index(i).prompt) for i in range(people.option_count)]
    assert shown[0] == "Unassigned (nobody)" and shown[1].startswith("Priya Raman"), shown
    people.focus()
    people.highlighted = 1
    await pilot.press("enter")
    await wait_until(app, pilot, lambda: isinstance(app.screen, ConfirmScreen))
    assert app.screen.question == "Assign PAY-1432 to Priya Raman?"
    await _answer(app, pilot, ConfirmScreen)
    await wait_until(app, pilot, lambda: app.screen is view)
    await settle(app, pilot)
    assert "assignee Priya Raman" in _text(view, "#issue-fields")
    assert "PAY-1432 assigned to Priya Raman." in notes(app)


async def test_an_issue_that_does_not_exist_is_said_plainly(started, demo_server):
    app, pilot = started
    app.push_screen(IssueScreen(app.main.workspace, "PAY-99999"))
    await wait_until(app, pilot, lambda: isinstance(app.screen, IssueScreen))
    await settle(app, pilot)
    said = _text(app.screen, "#issue-error")
    assert said.startswith("Issue PAY-99999 was not found, or you may not see it (404"), said
    assert "Traceback" not in said
    assert "PAY-99999 could not be shown." in _body(app.screen)


async def test_a_transition_someone_else_made_first_is_refused_plainly(started, demo_server):
    app, pilot = started
    view = await _issue_view(app, pilot, demo_server)
    await pilot.press("t")
    await wait_until(app, pilot, lambda: isinstance(app.screen, PickScreen))
    await pilot.pause()
    demo_server.store.jira_transition("PAY-1432", "31")  # a colleague closes it meanwhile
    app.screen.query_one("#pick", OptionList).highlighted = 0  # Send to review
    await pilot.press("enter")
    await _answer(app, pilot, ConfirmScreen)
    await wait_until(
        app, pilot, lambda: app.screen is view and view.query_one("#issue-error").display
    )
    said = _text(view, "#issue-error")
    assert said == "PAY-1432 offers no transition 21; it offers: Reopen (51).", said
    assert demo_server.store.jira_issue("PAY-1432")["status_name"] == "Done"  # theirs, kept
    await pilot.press("r")
    await settle(app, pilot)
    assert _text(view, "#issue-fields").startswith(" DONE ")


async def test_enter_on_a_linked_issue_shows_it_in_the_view(started, demo_server):
    app, pilot = started
    view = await _issue_view(app, pilot, demo_server)
    await pilot.press("enter")  # the one linked issue: ENG-3
    await wait_until(app, pilot, lambda: view.issue is not None and view.issue.key == "ENG-3")
    await settle(app, pilot)
    assert _text(view, "#issue-title").startswith("ENG-3  Connection pool saturates")
    assert "is blocked by PAY-1432" in _body(view)


async def test_a_transition_that_needs_a_field_is_refused_in_jiras_words(started, demo_server):
    from workbench.emulator.jira.fields import add_to_screen

    add_to_screen(demo_server.store, 31, "customfield_10040")  # "Done" asks for Customer impact
    app, pilot = started
    view = await _issue_view(app, pilot, demo_server)
    await pilot.press("t")
    await wait_until(app, pilot, lambda: isinstance(app.screen, PickScreen))
    await pilot.pause()
    app.screen.query_one("#pick", OptionList).highlighted = 1  # Done
    await pilot.press("enter")
    await _answer(app, pilot, ConfirmScreen)
    await wait_until(
        app, pilot, lambda: app.screen is view and view.query_one("#issue-error").display
    )
    said = _text(view, "#issue-error")
    assert said == (
        "Jira refused the request for issue PAY-1432 (400: customfield_10040: Customer impact is "
        "required.)."
    ), said
    posts = demo_server.requests.entries(
        method="POST", path_prefix="/rest/api/3/issue/PAY-1432/transitions"
    )
    assert [p.status for p in posts] == [400]
    assert demo_server.store.jira_issue("PAY-1432")["status_name"] == "In Progress"  # nothing moved
    assert _text(view, "#issue-fields").startswith(" IN PROGRESS ")


async def test_enter_in_the_editor_preview_does_not_open_the_pages_issue(started, demo_server):
    """The preview (and the other writer's version) are DocumentViews too: ``enter`` there is not
    the viewer's "open the Jira issue on screen"."""
    app, pilot = started
    await open_page(app, pilot, demo_server, RUNBOOK)
    await pilot.press("e")
    await wait_until(app, pilot, lambda: app.main.query_one("#editor").has_focus)
    await pilot.press("alt+p")
    await settle(app, pilot)
    preview = app.main.editor_pane.preview
    assert app.main.editor_pane.previewing and "PAY-1432" in "\n".join(preview.plain_lines())
    preview.focus()
    await pilot.press("enter")
    await settle(app, pilot)
    assert not isinstance(app.screen, IssueScreen)
