"""The review half of the agent panel: the proposals waiting, the one shown, hand edits, and applying
(with the clean-merge review and the conflict view when the page moved on).

:class:`ReviewQueue` is a widget of its own (the panel's ``#agent-review-slot``): it owns the queue,
the proposal under review, the merges it made and the risk gate's state, and it handles the intents
of the :class:`~workbench.tui.agent.review.ProposalReview` it shows. What it needs of the panel
around it — the client, the fence, the audit log, the transcript and the status line — is declared
once as :class:`ReviewHost`, which :class:`~workbench.tui.agent.panel.AgentPanel` implements.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from textual import work
from textual.containers import Container
from textual.widgets import Static

from workbench.agent.proposals import ACCEPTED, EDIT, Proposal
from workbench.errors import WorkbenchError
from workbench.tui.agent.review import ProposalReview, edit_result_by_hand, second_enter

if TYPE_CHECKING:
    from workbench.agent.audit import AuditLog
    from workbench.agent.fences import Fence
    from workbench.confluence.client import ConfluenceClient
    from workbench.services.pages import Conflict


class ReviewHost(Protocol):
    """What :class:`ReviewQueue` is given by the panel that holds it."""

    @property
    def fence(self) -> Fence | None: ...

    def client(self) -> ConfluenceClient | None: ...

    def audit_log(self) -> AuditLog | None: ...

    def note(self, text: str, cls: str = "msg-note") -> Static:
        """Add a line to the transcript."""
        ...

    def status(self, text: str, *, error: bool = False) -> None:
        """Show ``text`` on the status line."""
        ...

    def reviewing_changed(self, reviewing: bool) -> None:
        """A review opened (``True``) or the last one closed: make room, or go back to the prompt."""
        ...


class ReviewQueue(Container):
    """The proposals waiting for the person, shown one by one."""

    def __init__(self, host: ReviewHost, *, id: str | None = None, classes: str = "") -> None:
        super().__init__(id=id, classes=classes)
        self.host = host
        self.queue: list[Proposal] = []
        self.reviewing: Proposal | None = None
        self._merges: dict[int, Proposal] = {}  # merge proposal id -> the proposal it came from
        self._risk_confirmed: tuple[int, str] | None = None  # (proposal, result) said yes to twice

    @property
    def waiting(self) -> int:
        """Proposals not decided yet: the queue and the one shown."""
        return len(self.queue) + (self.reviewing is not None)

    def add(self, proposal: Proposal) -> None:
        """A new proposal joins the queue; it is shown at once when nothing else is."""
        self.queue.append(proposal)
        if self.reviewing is None:
            self.show_next()

    def show_next(self, note: str = "") -> None:
        self.remove_children()
        if not self.queue:
            self.reviewing = None
            self.add_class("-empty")
            self.host.reviewing_changed(False)
            return
        self.reviewing = self.queue.pop(0)
        self.remove_class("-empty")
        self.host.reviewing_changed(True)
        review = ProposalReview(self.reviewing, note=note)
        self.mount(review)
        self.call_after_refresh(review.focus)

    def show_proposal(self, proposal: Proposal, note: str = "") -> None:
        """Review ``proposal`` now (ahead of any queued ones)."""
        if self.reviewing is not None:
            self.queue.insert(0, self.reviewing)
        self.queue.insert(0, proposal)
        self.show_next(note)

    # -- the review's intents ----------------------------------------------------------------
    def on_proposal_review_closed(self, event: ProposalReview.Closed) -> None:
        # lazy, for start-up: workbench.agent.apply loads on first use
        from workbench.agent.apply import record_refusal

        event.stop()
        fence = self.host.fence
        if fence is not None:
            record_refusal(self.host.audit_log(), fence, event.proposal, "put aside in the review")
        self.host.note(f"Proposal {event.proposal.id} put aside (not applied).")
        self.show_next()

    def on_proposal_review_edit_requested(self, event: ProposalReview.EditRequested) -> None:
        event.stop()
        edit_result_by_hand(self, event.proposal)

    def on_proposal_review_apply_requested(self, event: ProposalReview.ApplyRequested) -> None:
        event.stop()
        proposal = event.proposal
        if not proposal.accepted:
            self.host.status("No hunk is accepted: press y (or Y for all) first.", error=True)
            return
        if not self._confirmed_risks(proposal):
            return
        left_out = len(proposal.hunks) - len(proposal.accepted)
        if left_out:
            self.host.note(
                f"Applying {len(proposal.accepted)} hunk(s); {left_out} not accepted are left out."
            )
        self.apply_worker(proposal)

    def _confirmed_risks(self, proposal: Proposal) -> bool:
        warning, self._risk_confirmed = second_enter(proposal, self._risk_confirmed)
        if warning:
            self.host.status(warning, error=True)
        return warning is None

    # -- writing -----------------------------------------------------------------------------
    @work(exclusive=True, group="agent-apply", exit_on_error=False)
    async def apply_worker(
        self, proposal: Proposal, merged: str | None = None, conflict: Conflict | None = None
    ) -> None:
        # lazy, for start-up: workbench.agent.apply, workbench.agent.approval loads on first use
        from workbench.agent.apply import CONFLICT, WRITTEN, apply_merged, apply_proposal
        from workbench.agent.approval import KEYSTROKE

        host = self.host
        client, fence, audit = host.client(), host.fence, host.audit_log()
        if client is None or fence is None:
            host.status("Not connected to a site: nothing was written.", error=True)
            return
        host.status("Writing…")
        try:
            if conflict is not None and merged is not None:
                result = await apply_merged(
                    client, proposal, conflict, merged, fence, audit, approval=KEYSTROKE
                )
            else:
                result = await apply_proposal(client, proposal, fence, audit, approval=KEYSTROKE)
        except WorkbenchError as exc:
            host.status(f"Not written: {exc.message}", error=True)
            return
        if result.status == WRITTEN:
            self._written(proposal, result)
        elif result.status == CONFLICT and result.conflict is not None:
            self._conflicted(proposal, result.conflict, result.message)
        else:
            host.status(result.message)

    def _written(self, proposal: Proposal, result: Any) -> None:
        # lazy, for start-up: workbench.tui.messages loads on first use
        from workbench.tui.messages import PageSaved

        self.host.note(f"✓ {result.message}", cls="msg-written")
        self.host.status(result.message)
        page_id = proposal.page_id or getattr(result.written, "id", None)
        if proposal.kind == EDIT and result.new_version is not None and page_id:
            self.post_message(PageSaved(page_id, result.new_version))
        if self.reviewing is proposal:
            self.show_next()

    def _conflicted(self, proposal: Proposal, conflict: Conflict, message: str) -> None:
        theirs = conflict.theirs
        origin = self._merges.get(proposal.id, proposal)
        self.host.note(f"⚠ {message}")
        if conflict.merge.clean and conflict.merge.text == theirs.markdown:
            if self.reviewing is proposal:
                self.show_next()
            self.host.note(
                f"Version {theirs.base_version} already contains these changes; nothing to write."
            )
            return
        if conflict.merge.clean:
            merged = Proposal(
                kind=EDIT,
                summary=f"{origin.summary} (merged with version {theirs.base_version})",
                before=theirs.markdown,
                after=conflict.merge.text,
                page_id=proposal.page_id,
                title=theirs.page.title,
                space_key=proposal.space_key,
                base_version=theirs.base_version,
                base=theirs,
                users=origin.users,  # people the agent named who are on neither version of the page
            )
            merged.set_all(ACCEPTED)
            self._merges[merged.id] = origin
            if self.reviewing is proposal:
                self.reviewing = None
            self.show_proposal(
                merged,
                note=f"The page changed since version {proposal.base_version}. Your accepted "
                f"changes merge cleanly on top of version {theirs.base_version}: review, then enter.",
            )
            return
        # lazy, for start-up: workbench.tui.agent.screens (with attr, rich …) loads on first use
        from workbench.tui.agent.screens import MarkdownEditScreen

        def resolved(text: str | None) -> None:
            if text is None:
                self.host.status("The merge was not saved; the proposal is still here.")
                return
            self.apply_worker(origin, merged=text, conflict=conflict)

        self.app.push_screen(
            MarkdownEditScreen(
                f"Resolve {conflict.merge.conflicts} conflict(s) with version {theirs.base_version} of "
                f"'{theirs.page.title}'",
                conflict.merge.text,
                hint="Keep what you want between <<<<<<< mine / ======= / >>>>>>> theirs, delete the markers, "
                "then ctrl+s.",
            ),
            resolved,
        )
