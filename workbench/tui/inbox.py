"""The inbox screen: proposals agents made through ``workbench mcp``, reviewed and approved here.

``ctrl+g`` (or "inbox: proposals from agents" in the palette) opens it. The list shows the pending
proposals of every site (number, kind, target, agent, age, site) and follows the inbox on disk: a
proposal an MCP server stores while the screen is open appears within a second. ``enter`` opens the
same hunk review as the agent panel (``j``/``k``/``y``/``n``/``Y``/``N``/``e``/``enter``); approving
writes through :func:`workbench.inbox.decide.approve` (the editing session, base+1). If the page moved
on, nothing is written: a clean merge is shown as a new review (their version → merged, accepted) and
``enter`` writes it; a merge with conflicts is not written here (reject it with a reason so the agent
proposes again). ``r`` rejects with a reason the agent reads. While the app runs,
:func:`workbench.tui.inbox_watch.watch_inbox` says when new proposals arrive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, ListItem, ListView

from workbench.agent.proposals import ACCEPTED, EDIT, PENDING, Proposal
from workbench.errors import WorkbenchError
from workbench.tui import safe
from workbench.tui.agent.review import ProposalReview

if TYPE_CHECKING:
    from workbench.agent.proposals import Proposal
    from workbench.inbox.store import Inbox, Item

POLL_SECONDS = 1.0


class InboxScreen(ModalScreen[None]):
    """The pending proposals (left) and the review of the one opened (right)."""

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
        self.reviewing: Item | None = None
        self._signature: tuple[tuple[str, int], ...] | None = None
        self._edited: dict[int, str] = {}  # proposal → the person's hand-edited result
        self._merging: set[int] = set()  # proposals whose clean merge is under review
        self._accepted: dict[int, set[int]] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="inbox-dialog"):
            yield Label(
                safe.content(f"Proposals from agents · {self.inbox.path}"), id="inbox-title"
            )
            with Horizontal(id="inbox-body"):
                yield ListView(id="inbox-list")
                yield Container(id="inbox-review-slot")
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
        self._status(
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
                self._status(exc.message, error=True)
                return

            proposal.set_all(PENDING)
            self._edited.pop(item.id, None)
            self._merging.discard(item.id)
        self.reviewing = item
        slot = self.query_one("#inbox-review-slot", Container)
        await slot.remove_children()
        who = f"From {item.agent} ({item.profile}) on {item.site}, {item.created}."
        review = ProposalReview(proposal, note=f"{who} {note}".strip())
        await slot.mount(review)
        review.focus()

    def _close_review(self) -> None:
        self.reviewing = None
        self.query_one("#inbox-review-slot", Container).remove_children()
        self.query_one(ListView).focus()

    # -- the review's intents ----------------------------------------------------------------
    def on_proposal_review_closed(self, event: ProposalReview.Closed) -> None:
        event.stop()
        self._close_review()
        self._status("Put aside: it stays in the inbox.")

    def on_proposal_review_edit_requested(self, event: ProposalReview.EditRequested) -> None:
        event.stop()
        # lazy, for start-up: workbench.tui.agent.screens (with attr, rich …) loads on first use
        from workbench.tui.agent.screens import MarkdownEditScreen

        proposal, item = event.proposal, self.reviewing
        if item is None:
            return
        text = proposal.result() if proposal.accepted else proposal.after

        def edited(result: str | None) -> None:
            if result is None:
                return
            proposal.edit_by_hand(result)
            self._edited[item.id] = result
            self.query_one(ProposalReview).reload(
                proposal, note="Edited by hand; every hunk is accepted."
            )

        self.app.push_screen(
            MarkdownEditScreen(f"Edit the result · {proposal.target}", text), edited
        )

    def on_proposal_review_apply_requested(self, event: ProposalReview.ApplyRequested) -> None:
        event.stop()
        item, proposal = self.reviewing, event.proposal
        if item is None:
            return
        if not proposal.accepted:
            self._status("No hunk is accepted: press y (or Y for all) first.", error=True)
            return
        merging = item.id in self._merging
        if not merging:
            self._accepted[item.id] = {h.index + 1 for h in proposal.accepted}
        self.approve_worker(item.id, proposal, merging)

    @work(exclusive=True, group="inbox-approve", exit_on_error=False)
    async def approve_worker(self, item_id: int, proposal: Proposal, merging: bool) -> None:
        # lazy, for start-up: workbench.agent.apply, workbench.agent.audit … loads on first use
        from workbench.agent import apply
        from workbench.agent.audit import AuditLog
        from workbench.inbox.decide import approve

        client = _client(self.app)
        if client is None:
            self._status("Not connected to a site yet: open the site first.", error=True)
            return
        edited = self._edited.get(item_id)
        self._status("Writing…")
        try:
            decision = await approve(
                self.inbox,
                item_id,
                client,
                _fence(self.app),
                AuditLog(),
                by="tui",
                accepted=None if edited is not None else self._accepted.get(item_id),
                markdown=edited if not merging else None,
                merge=merging,
            )
        except WorkbenchError as exc:
            self._status(f"Not written: {exc.message}", error=True)
            return
        result = decision.result
        if result.status == apply.WRITTEN:
            self._written(decision.item, result)
        elif result.status == apply.CONFLICT and result.conflict is not None:
            await self._conflicted(decision.item, result)
        else:
            self._status(result.message, error=result.status == apply.GONE)
            if decision.item.status != "pending":
                self._close_review()
                self.reload()

    def _written(self, item: Item, result: Any) -> None:
        # lazy, for start-up: workbench.tui.messages loads on first use
        from workbench.tui.messages import PageSaved

        self._status(f"✓ {result.message}")
        self._merging.discard(item.id)
        if item.kind == "edit" and item.page_id and result.new_version is not None:
            # lazy, for start-up: workbench.tui.app loads on first use
            from workbench.tui.app import WorkbenchApp

            main = (
                self.app.main if isinstance(self.app, WorkbenchApp) else None
            )  # the viewer reloads it
            if main is not None:
                main.post_message(PageSaved(item.page_id, result.new_version))
        self._close_review()
        self.reload()

    async def _conflicted(self, item: Item, result: Any) -> None:
        conflict = result.conflict
        theirs = conflict.theirs
        if not conflict.merge.clean:
            self._status(
                f"{result.message} The merge has {conflict.merge.conflicts} conflict(s), so nothing is "
                "written here: press r to reject it with a reason, and the agent proposes again.",
                error=True,
            )
            return
        merged = Proposal(
            kind=EDIT,
            summary=f"{item.summary} (merged with version {theirs.base_version})",
            before=theirs.markdown,
            after=conflict.merge.text,
            page_id=item.page_id,
            title=theirs.page.title,
            space_key=item.space_key,
            base_version=theirs.base_version,
            base=theirs,
            id=item.id,
        )
        merged.set_all(ACCEPTED)
        self._merging.add(item.id)
        await self.open_review(
            item,
            merged,
            note=(
                f"The page changed since version {item.proposal.get('base_version')}. The accepted "
                f"changes merge cleanly on top of version {theirs.base_version}: review, then enter."
            ),
        )
        self._status(result.message)

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
                self._status(exc.message, error=True)
                return
            self._status(f"Rejected proposal {item.id}; the agent can read why.")
            if self.reviewing is not None and self.reviewing.id == item.id:
                self._close_review()
            self.reload()

        self.app.push_screen(ReasonScreen(item.id), answered)

    def action_close(self) -> None:
        self.dismiss(None)

    def _status(self, text: str, *, error: bool = False) -> None:
        label = self.query_one("#inbox-status", Label)
        label.update(safe.content(text))
        label.set_class(error, "-error")


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

    target = (
        f"page {item.page_id} '{item.title}'"
        if item.page_id
        else f"new '{item.title}' in {item.space_key}"
    )
    text = safe.text(f"{item.id:>3} {item.kind:<7} {target}", "bold")
    text.append_text(
        safe.text(
            f"\n    {item.agent} · {age(item.created)} ago · {urlsplit(item.site).netloc}", "dim"
        )
    )
    return text


def _client(app: Any):
    workspace = app.workspace
    return workspace.client if workspace is not None else None


def _fence(app: Any):
    # lazy, for start-up: workbench.agent.session loads on first use
    from workbench.agent.session import fence_for, site_profile_for

    spec = app.site
    profile = None
    if spec is not None:
        profile = (
            spec.profile
            if spec.profile is not None
            else site_profile_for(app.settings, url=spec.key)
        )
    return fence_for(app.settings, profile, None)
