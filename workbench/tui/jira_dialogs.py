"""The issue view's two dialogs that send something (each confirmed first):

- :class:`JiraCommentScreen`: a comment in Markdown, converted to ADF
  (:func:`workbench.jira.md_adf.markdown_to_adf`) and sent exactly once
  (:meth:`~workbench.jira.client.JiraClient.add_comment` reads the comments back when an answer is
  lost). When Jira refuses it, its words show in the dialog and the text stays in the box.
- :class:`AssignScreen`: the people Jira offers for the issue (``/user/assignable/search`` as you
  type), or nobody; the choice is confirmed, then sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from workbench.errors import WorkbenchError
from workbench.textsafe import printable
from workbench.tui import safe
from workbench.tui.keys import key
from workbench.tui.shown import hidden

if TYPE_CHECKING:
    from workbench.jira.client import JiraClient
    from workbench.jira.models import JiraUser

NOBODY = "__nobody__"


def _error_line(screen: ModalScreen, message: str) -> None:
    box = screen.query_one(".jira-error", Static)
    box.update(safe.text(message) if message else "")
    box.display = bool(message)


class JiraCommentScreen(ModalScreen[bool]):
    """Write a comment on a Jira issue; ``True`` once Jira has it."""

    BINDINGS = [
        key(
            "ctrl+s",
            "send",
            "Send",
            "jira_comment.send",
            "Send the comment to Jira (asks first; sent once)",
        ),
        key("escape", "cancel", "Cancel", "jira_comment.cancel", "Close without sending"),
    ]

    def __init__(self, jira: JiraClient, issue_key: str, text: str = "") -> None:
        super().__init__(classes="modal", id="jira-comment")
        self.jira, self.issue_key, self.text = jira, issue_key, text
        self.sending = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(
                safe.text(f"Comment on {self.issue_key} (Markdown) — ctrl+s sends, escape cancels"),
                classes="question",
            )
            yield TextArea(self.text, language="markdown", soft_wrap=True, id="jira-comment-text")
            yield hidden(Static("", classes="jira-error"))

    def on_mount(self) -> None:
        self.query_one("#jira-comment-text", TextArea).focus()

    def action_cancel(self) -> None:
        if not self.sending:
            self.dismiss(False)

    @work(exclusive=True, group="jira-comment", exit_on_error=False)
    async def action_send(self) -> None:
        # lazy, for start-up: the converter and the confirm dialog load on first use
        from workbench.jira.md_adf import markdown_to_adf
        from workbench.tui.screens.modals import ConfirmScreen

        if self.sending:
            return
        text = self.query_one("#jira-comment-text", TextArea).text
        if not text.strip():
            _error_line(self, "The comment is empty; nothing was sent.")
            return
        question = f"Send this comment to {self.issue_key}? ({len(text.strip())} characters)"
        if not await self.app.push_screen_wait(ConfirmScreen(question, yes="Send", no="Not yet")):
            return
        self.sending = True
        _error_line(self, "")
        try:
            await self.jira.add_comment(self.issue_key, markdown_to_adf(text))
        except WorkbenchError as exc:
            _error_line(self, f"Not sent: {exc.message} Your text is still here.")
            return
        finally:
            self.sending = False
        self.dismiss(True)


class AssignScreen(ModalScreen[str | None]):
    """Pick who the issue goes to (the display name, '' for nobody; None: cancelled)."""

    BINDINGS = [key("escape", "cancel", "Cancel", "jira_assign.cancel", "Close without assigning")]

    def __init__(self, jira: JiraClient, issue_key: str, current: str = "") -> None:
        super().__init__(classes="modal", id="jira-assign")
        self.jira, self.issue_key, self.current = jira, issue_key, current
        self.people: dict[str, JiraUser] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            now = f" (now {self.current})" if self.current else " (now unassigned)"
            yield Label(safe.text(f"Assign {self.issue_key}{now}"), classes="question")
            yield Input(placeholder="type a name to search", id="jira-assign-query")
            yield OptionList(id="jira-assign-people")
            yield hidden(Static("", classes="jira-error"))
            yield Label("enter chooses · escape cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#jira-assign-query", Input).focus()
        self.search("")

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Changed, "#jira-assign-query")
    def _typed(self, event: Input.Changed) -> None:
        self.search(event.value.strip())

    @on(Input.Submitted, "#jira-assign-query")
    def _submitted(self) -> None:
        people = self.query_one("#jira-assign-people", OptionList)
        if people.option_count:
            people.focus()
            people.highlighted = 0

    @work(exclusive=True, group="jira-assign-search", exit_on_error=False)
    async def search(self, query: str) -> None:
        try:
            found = await self.jira.assignable_users(self.issue_key, query)
        except WorkbenchError as exc:
            _error_line(self, exc.message)
            return
        _error_line(self, "")
        self.people = {f"u{i}": person for i, person in enumerate(found)}
        options = [Option(safe.text("Unassigned (nobody)", style="italic"), id=NOBODY)]
        for ident, person in self.people.items():
            label = safe.join(
                person.display_name, ("  " + person.email, "dim") if person.email else ""
            )
            options.append(Option(label, id=ident))
        box = self.query_one("#jira-assign-people", OptionList)
        box.clear_options()
        box.add_options(options)

    @on(OptionList.OptionSelected, "#jira-assign-people")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.assign(event.option.id or NOBODY)

    @work(exclusive=True, group="jira-assign", exit_on_error=False)
    async def assign(self, ident: str) -> None:
        # lazy, for start-up: workbench.tui.screens.modals loads on first use
        from workbench.tui.screens.modals import ConfirmScreen

        person = self.people.get(ident)
        who = person.display_name if person is not None else ""
        question = (
            f"Assign {self.issue_key} to {printable(who)}?"
            if person is not None
            else f"Leave {self.issue_key} unassigned?"
        )
        if not await self.app.push_screen_wait(ConfirmScreen(question, yes="Assign", no="Cancel")):
            return
        try:
            await self.jira.assign(self.issue_key, person)
        except WorkbenchError as exc:
            _error_line(self, exc.message)
            return
        self.dismiss(who)
