"""The inbox screen: proposals agents made through ``workbench mcp``, reviewed and approved here.

``ctrl+g`` (or "inbox: proposals from agents" in the palette) opens it. The list shows the pending
proposals of every site (number, kind, target, agent, age, site) and follows the inbox on disk: a
proposal an MCP server stores while the screen is open appears within a second. ``enter`` opens the
same hunk review as the agent panel (``j``/``k``/``y``/``n``/``Y``/``N``/``e``/``enter``); approving
writes through the editing session exactly as the panel does, a concurrent edit included (a clean
merge reviewed again, a conflicted one resolved in the conflict view: :mod:`workbench.tui.inbox_review`).
Any kind of proposal is listed and reviewed; one this version cannot apply is refused with a message
when approved. ``r`` rejects with a reason the agent reads. While the app runs, the status bar's
badge counts the pending proposals (:mod:`workbench.tui.inbox_watch`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, ListItem, ListView

from workbench.agent.proposals import PENDING, Proposal
from workbench.errors import WorkbenchError
from workbench.tui import safe
from workbench.tui.inbox_review import InboxReviews

if TYPE_CHECKING:
    from workbench.agent.proposals import Proposal
    from workbench.inbox.store import Inbox, Item

POLL_SECONDS = 1.0


class InboxScreen(ModalScreen[None]):
    """The pending proposals (left) and the review of the one opened (right: :class:`InboxReviews`,
    given this screen as its :class:`~workbench.tui.inbox_review.InboxHost`)."""

    DEFAULT_CSS = """
    InboxScreen { align: center middle; }
    InboxScreen > #inbox-dialog { width: 96%; height: 92%; border: round $accent; background: $surface; }
    #inbox-title { text-style: bold; padding: 0 1; }
    #inbox-body { height: 1fr; }
    #inbox-list { width: 40%; height: 1fr; }
    #inbox-review-slot { width: 1fr; height: 1fr; }
    #inbox-status, #inbox-hint { padding: 0 1; color: $text-muted; }
    #inbox-status.-error { color: $error; }
    """
    BINDINGS: ClassVar = [
        Binding("escape", "close", "Close", id="inbox.close", tooltip="Close the inbox"),
        Binding(
            "r", "reject", "Reject", id="inbox.reject", tooltip="Reject the proposal, with a reason"
        ),
    ]

    def __init__(self, inbox: Inbox | None = None) -> None:
        super().__init__(id="inbox")
        # lazy, for start-up: workbench.inbox.store loads on first use
        from workbench.inbox.store import Inbox

        self.inbox = inbox or Inbox()
        self.items: list[Item] = []
        self.reviews = InboxReviews(self, id="inbox-review-slot")
        self._signature: tuple[tuple[str, int], ...] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="inbox-dialog"):
            yield Label(
                safe.content(f"Proposals from agents · {self.inbox.path}"), id="inbox-title"
            )
            with Horizontal(id="inbox-body"):
                yield ListView(id="inbox-list")
                yield self.reviews
            yield Label("", id="inbox-status")
            yield Label("enter review · r reject with a reason · escape close", id="inbox-hint")

    def on_mount(self) -> None:
        self.reload()
        self.set_interval(POLL_SECONDS, self.poll)
        self.query_one(ListView).focus()

    # -- the list ----------------------------------------------------------------------------
    def poll(self) -> None:
        if self.inbox.signature() != self._signature:
            self.reload()

    def reload(self) -> None:
        # lazy, for start-up: workbench.inbox.store loads on first use
        from workbench.inbox.store import PENDING

        self._signature = self.inbox.signature()
        found, broken = self.inbox.scan()
        self.items = [item for item in found if item.status == PENDING]
        view = self.query_one(ListView)
        keep = view.index
        view.clear()
        for item in self.items:
            view.append(ListItem(Label(_row(item))))
        if self.items:
            view.index = min(keep or 0, len(self.items) - 1)
        note = f"{len(self.items)} pending" + (
            f"; {len(broken)} damaged file(s) left as they are" if broken else ""
        )
        self.status(
            note if self.items else "No pending proposals. Agents add them through 'workbench mcp'."
        )

    def selected(self) -> Item | None:
        index = self.query_one(ListView).index
        return self.items[index] if index is not None and 0 <= index < len(self.items) else None

    async def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        item = self.selected()
        if item is not None:
            await self.open_review(item)

    async def open_review(
        self, item: Item, proposal: Proposal | None = None, note: str = ""
    ) -> None:
        # lazy, for start-up: workbench.inbox.decide loads on first use
        from workbench.inbox.decide import proposal_of

        if proposal is None:
            try:
                proposal = proposal_of(item)
            except WorkbenchError as exc:
                self.status(exc.message, error=True)
                return

            proposal.set_all(PENDING)
        await self.reviews.open_review(item, proposal, note)

    @property
    def reviewing(self) -> Item | None:
        """The item under review, if any."""
        return self.reviews.reviewing

    # -- the review's host (InboxHost) ---------------------------------------------------------
    def review_closed(self) -> None:
        self.query_one(ListView).focus()

    def status(self, text: str, *, error: bool = False) -> None:
        label = self.query_one("#inbox-status", Label)
        label.update(safe.content(text))
        label.set_class(error, "-error")

    # -- reject ------------------------------------------------------------------------------
    def action_reject(self) -> None:
        item = self.reviewing or self.selected()
        if item is None:
            return

        def answered(reason: str | None) -> None:
            if reason is None:
                return
            # lazy, for start-up: workbench.agent.audit, workbench.inbox.decide loads on first use
            from workbench.agent.audit import AuditLog
            from workbench.inbox.decide import reject

            try:
                reject(self.inbox, item.id, reason, by="tui", audit=AuditLog())
            except WorkbenchError as exc:
                self.status(exc.message, error=True)
                return
            self.status(f"Rejected proposal {item.id}; the agent can read why.")
            if self.reviewing is not None and self.reviewing.id == item.id:
                self.reviews.close()
            self.reload()

        self.app.push_screen(ReasonScreen(item.id), answered)

    def action_close(self) -> None:
        self.dismiss(None)


class ReasonScreen(ModalScreen[str | None]):
    """Ask why a proposal is rejected (the agent reads it)."""

    DEFAULT_CSS = """
    ReasonScreen { align: center middle; }
    ReasonScreen > Vertical { width: 70; height: auto; border: round $warning; background: $surface; padding: 0 1; }
    """
    BINDINGS: ClassVar = [
        Binding(
            "escape", "dismiss(None)", "Cancel", id="inbox_reason.cancel", tooltip="Do not reject"
        )
    ]

    def __init__(self, number: int) -> None:
        super().__init__(id="inbox-reason")
        self.number = number

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Reject proposal {self.number}: why? (the agent reads this)")
            yield Input(placeholder="e.g. We keep release notes in Jira.", id="inbox-reason-input")
            yield Label("enter reject · escape cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.dismiss(event.value)


def _row(item: Item) -> Text:
    # lazy, for start-up: workbench.inbox.store loads on first use
    from workbench.inbox.store import age

    text = safe.text(f"{item.id:>3} {item.kind:<7} {item.target}", "bold")
    text.append_text(
        safe.text(
            f"\n    {item.agent} · {age(item.created)} ago · {urlsplit(item.site).netloc}", "dim"
        )
    )
    return text
