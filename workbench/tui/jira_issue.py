"""The Jira issue view: a macro's issue (``enter`` or a click on a live macro, ``enter`` on a JQL
result) — summary, status, type, priority, assignee, reporter, the description as Markdown (ADF
through :mod:`workbench.jira.adf_md`; Data Center's wiki markup through :mod:`workbench.jira.wiki`),
links and comments — with three actions, each confirmed before it is sent: transition (one of the
transitions Jira offers the issue now), comment (Markdown → ADF, sent exactly once), assign (a person
from Jira's assignable-user search). After an action the view reads the issue again, the page's
macro is drawn anew and the JQL results shown are searched again. Jira's refusals are shown in its
words under the header; nothing is lost (a comment that was not sent stays in its box).

Everything from Jira is text: titles and fields go through :mod:`workbench.tui.safe`, the body
through the viewer (:class:`~workbench.tui.widgets.document.DocumentView`, printable Markdown).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from workbench.errors import WorkbenchError
from workbench.textsafe import printable
from workbench.tui import safe
from workbench.tui.keys import key
from workbench.tui.panes.base import host
from workbench.tui.shown import hidden
from workbench.tui.theme import jira_status_style
from workbench.tui.widgets.document import DocumentView

if TYPE_CHECKING:
    from textual.widget import Widget

    from workbench.jira.client import JiraClient
    from workbench.jira.models import Issue
    from workbench.services.workspace import Workspace


HINT = "t transition · m comment · a assign · r reload · o web · esc close"


def open_issue(node: Widget, issue_key: str) -> None:
    """Open the issue view for ``issue_key`` over the main screen (from a macro or a JQL result);
    after an action there, the page shown draws that issue's macros anew and the JQL results shown
    are searched again."""
    ws = host(node).workspace
    if ws is None:
        node.notify("Not connected to the site yet.", severity="warning")
        return
    screen = node.screen

    def changed(changed_key: str) -> None:
        # lazy, for start-up: these load on first use
        from workbench.tui.jira_macros import refresh_issue
        from workbench.tui.jira_search import search_again
        from workbench.tui.panes.page_base import PageBase
        from workbench.tui.panes.results import ResultsPane

        for page in screen.query(PageBase):
            refresh_issue(page, changed_key)
        for results in screen.query(ResultsPane):
            search_again(results, changed_key)

    node.app.push_screen(IssueScreen(ws, issue_key, on_change=changed))


def _md(text: str) -> str:
    """A name or a summary as Markdown text (not markup of any kind)."""
    return "".join("\\" + ch if ch in "[]\\*_`<>#|⟦" else ch for ch in " ".join(text.split()))


_INLINE = re.compile(r"(?<!\\)⟦(mention|emoji|card|status|date):([^⟧]*)⟧")


def _viewable_node(match: re.Match[str]) -> str:
    """An ADF inline node's placeholder (:mod:`workbench.jira.adf_md`) as the viewer draws such
    things on a page: a mention, an emoji, a link, a status lozenge, a date."""
    kind, fields = match.group(1), match.group(2).split("|")
    if kind == "mention":
        name = fields[1] if len(fields) > 1 and fields[1] else "@" + fields[0]
        return f"⟦@{name.lstrip('@')}⟧"
    if kind == "emoji":
        return f"⟦:{fields[0].strip(':')}:⟧"
    if kind == "card":
        return f"<{fields[0]}>" if fields[0].startswith(("http://", "https://")) else fields[0]
    if kind == "status":
        colour = fields[1] if len(fields) > 1 else ""
        return f"⟦status {colour}: {fields[0]}⟧" if colour else f"⟦status: {fields[0]}⟧"
    try:  # a date: milliseconds since 1970
        when = datetime.fromtimestamp(int(fields[0]) / 1000, tz=UTC).date().isoformat()
    except (ValueError, OverflowError, OSError):
        return match.group(0)
    return f"⟦date: {when}⟧"


def viewable(markdown: str) -> str:
    """An issue's Markdown (description, comment) with its inline nodes drawn as the viewer draws a
    page's (the editor-facing placeholders are for round trips, not for reading)."""
    return _INLINE.sub(_viewable_node, markdown)


def issue_markdown(issue: Issue) -> str:
    """The issue's body for the viewer: description, links (each opens its issue), comments."""
    description = viewable(issue.description_markdown.strip()) or "_No description._"
    parts = ["## Description", "", description, ""]
    if issue.links:
        parts += ["## Links", ""]
        for link in issue.links:
            status = f" ({_md(link.status)})" if link.status else ""
            parts.append(
                f"- {_md(link.relation)} [{_md(link.key)}](jira:{link.key}) {_md(link.summary)}{status}"
            )
        parts.append("")
    parts += [f"## Comments ({len(issue.comments)})", ""]
    for comment in issue.comments:
        when = comment.created[:16].replace("T", " ")
        parts += [f"**{_md(comment.author or 'someone')}** · {_md(when)}", ""]
        parts += [viewable(comment.markdown.strip()) or "_(empty)_", ""]
    return "\n".join(parts)


class IssueScreen(ModalScreen[None]):
    """One Jira issue, read and acted on (see the module)."""

    BINDINGS = [
        key(
            "t",
            "transition",
            "Transition",
            "issue.transition",
            "Move the issue through one of its transitions (confirmed before it is sent)",
        ),
        key(
            "m",
            "comment",
            "Comment",
            "issue.comment",
            "Comment in Markdown (confirmed; sent once; kept in the box if it fails)",
        ),
        key(
            "a",
            "assign",
            "Assign",
            "issue.assign",
            "Assign the issue to a person Jira offers, or unassign (confirmed)",
        ),
        key("r", "reload", "Reload", "issue.reload", "Read the issue again"),
        key("o", "browser", "Browser", "issue.browser", "Open the issue in the web browser"),
        key("escape", "close", "Close", "issue.close", "Close the issue view"),
    ]

    def __init__(
        self, ws: Workspace, issue_key: str, *, on_change: Callable[[str], None] | None = None
    ) -> None:
        super().__init__(classes="modal", id="jira-issue")
        self.ws = ws
        self.issue_key = issue_key.upper()
        self.issue: Issue | None = None
        self.on_change = on_change
        self._jira: JiraClient | None = None

    @property
    def jira(self) -> JiraClient:
        if self._jira is None:
            # lazy, for start-up: workbench.tui.jira_macros loads on first use
            from workbench.tui.jira_macros import jira_of

            self._jira = jira_of(self.ws)
        return self._jira

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall", id="issue-dialog"):
            yield Label(safe.text(self.issue_key), classes="question", id="issue-title")
            yield Static("", id="issue-fields")
            yield hidden(Static("", id="issue-error"))
            yield DocumentView(id="issue-body")
            yield Label(HINT, classes="hint", id="issue-hint")

    def on_mount(self) -> None:
        self.query_one("#issue-body", DocumentView).loading = True
        self.load()

    # -- reading ------------------------------------------------------------------------------
    @work(exclusive=True, group="jira-issue", exit_on_error=False)
    async def load(self) -> None:
        body = self.query_one("#issue-body", DocumentView)
        try:
            issue = await self.jira.issue(self.issue_key)
        except WorkbenchError as exc:
            self.say(exc.message)
            body.loading = False
            if self.issue is None:
                body.show(f"_{_md(self.issue_key)} could not be shown._")
            return
        self.issue = issue
        body.loading = False
        self.query_one("#issue-title", Label).update(
            safe.join((issue.key, "bold"), "  ", (printable(issue.summary), "bold"))
        )
        self.query_one("#issue-fields", Static).update(self.fields_text(issue))
        body.show(issue_markdown(issue), keep_scroll=True)
        if self.focused is None:  # the view's own keys, and j/k/space scroll the body
            self.call_after_refresh(body.focus)

    def fields_text(self, issue: Issue) -> Text:
        variables = self.app.theme_variables
        text = Text()
        text.append(
            f" {printable(issue.status or 'no status').upper()} ",
            style=jira_status_style(variables, issue.status_category),
        )
        for name, value in (
            ("type", issue.issue_type),
            ("priority", issue.priority),
            ("assignee", issue.assignee or "unassigned"),
            ("reporter", issue.reporter),
        ):
            if value:
                text.append(f"  {name} ", style="dim")
                text.append(printable(value))
        if issue.labels:
            text.append("  labels ", style="dim")
            text.append(printable(", ".join(issue.labels)))
        return text

    def say(self, message: str = "") -> None:
        """Jira's words (a refusal, a failure) under the header; '' clears them."""
        box = self.query_one("#issue-error", Static)
        box.update(safe.text(message) if message else "")
        box.display = bool(message)

    def changed(self) -> None:
        """An action went through: read the issue again, and redraw the page's macro."""
        self.say()
        self.load()
        if self.on_change is not None:
            self.on_change(self.issue_key)

    # -- actions ------------------------------------------------------------------------------
    def action_close(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        self.load()

    def action_browser(self) -> None:
        # lazy, for start-up: workbench.tui.browser loads on first use
        from workbench.tui.browser import open_in_browser

        open_in_browser(self, f"{self.jira.root}/browse/{self.issue_key}")

    def action_follow_link(self, index: int) -> None:
        """A linked issue (Links): shown in this view."""
        links = self.query_one("#issue-body", DocumentView).links
        if 0 <= index < len(links) and links[index][1].startswith("jira:"):
            self.issue_key = links[index][1][5:].upper()
            self.issue = None
            self.say()
            self.load()

    def action_jira_issue(self) -> None:
        """``enter`` in the body: a linked issue on screen (a list when several)."""
        # lazy, for start-up: workbench.tui.jira_macros loads on first use
        from workbench.tui.jira_macros import jira_links_in_view
        from workbench.tui.screens.modals import LinksScreen

        body = self.query_one("#issue-body", DocumentView)
        indexes = jira_links_in_view(body)
        if len(indexes) == 1:
            self.action_follow_link(indexes[0])
        elif indexes:

            def chosen(index: int | None) -> None:
                if index is not None:
                    self.action_follow_link(indexes[index])

            self.app.push_screen(LinksScreen([body.links[i] for i in indexes]), chosen)

    @work(exclusive=True, group="jira-action", exit_on_error=False)
    async def action_transition(self) -> None:
        # lazy, for start-up: workbench.tui.screens.modals loads on first use
        from workbench.tui.screens.modals import ConfirmScreen, PickScreen

        try:
            offered = await self.jira.transitions(self.issue_key)
        except WorkbenchError as exc:
            self.say(exc.message)
            return
        if not offered:
            self.say(f"Jira offers {self.issue_key} no transition now.")
            return
        items = [f"{printable(t.name)} → {printable(t.to)}" for t in offered]
        index = await self.app.push_screen_wait(
            PickScreen(
                f"Move {self.issue_key} through which transition?", items, id="jira-transitions"
            )
        )
        if index is None:
            return
        chosen = offered[index]
        now = self.issue.status if self.issue is not None else "its status"
        question = f"Move {self.issue_key} from {now} to {chosen.to} ({chosen.name})?"
        if not await self.app.push_screen_wait(ConfirmScreen(question, yes="Move it", no="Cancel")):
            return
        try:
            await self.jira.transition(self.issue_key, chosen.id)
        except WorkbenchError as exc:
            self.say(exc.message)
            return
        self.notify(f"{self.issue_key} moved to {printable(chosen.to)}.")
        self.changed()

    def action_comment(self) -> None:
        # lazy, for start-up: workbench.tui.jira_dialogs loads on first use
        from workbench.tui.jira_dialogs import JiraCommentScreen

        def done(sent: Any) -> None:
            if sent:
                self.notify(f"Comment added to {self.issue_key}.")
                self.changed()

        self.app.push_screen(JiraCommentScreen(self.jira, self.issue_key), done)

    def action_assign(self) -> None:
        # lazy, for start-up: workbench.tui.jira_dialogs loads on first use
        from workbench.tui.jira_dialogs import AssignScreen

        def done(who: Any) -> None:
            if who is not None:
                self.notify(f"{self.issue_key} assigned to {printable(who) or 'nobody'}.")
                self.changed()

        current = self.issue.assignee if self.issue is not None else ""
        self.app.push_screen(AssignScreen(self.jira, self.issue_key, current), done)
