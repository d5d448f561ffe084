"""The review half of the agent panel: showing proposals one by one, hand edits, and applying
(with the clean-merge review and the conflict view when the page moved on). Mixed into
:class:`~workbench.tui.agent.panel.AgentPanel`, which provides the transcript helpers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.containers import Container, Vertical
from textual.widgets import Input, Static

from workbench.agent.proposals import ACCEPTED, EDIT, Proposal
from workbench.errors import WorkbenchError
from workbench.tui.agent.review import ProposalReview, edit_result_by_hand, second_enter

if TYPE_CHECKING:
    from workbench.agent.audit import AuditLog
    from workbench.agent.fences import Fence
    from workbench.agent.loop import AgentSession
    from workbench.confluence.client import ConfluenceClient
    from workbench.services.pages import Conflict


class ReviewMixin(Vertical):
    """The panel's review half. :class:`~workbench.tui.agent.panel.AgentPanel` provides the state
    declared here and the transcript helpers (``client()``, ``_note()``, ``_status()``)."""

    queue: list[Proposal]
    reviewing: Proposal | None
    fence: Fence | None
    session: AgentSession | None
    _audit: AuditLog | None
    _merges: dict[int, Proposal]

    def client(self) -> ConfluenceClient | None:
        raise NotImplementedError

    def _note(self, text: str, cls: str = "msg-note") -> Static:
        raise NotImplementedError

    def _status(self, text: str, *, error: bool = False) -> None:
        raise NotImplementedError

    _risk_confirmed: tuple[int, str] | None = (
        None  # (proposal, accepted result) the person said yes to
    )

    def show_next(self, note: str = "") -> None:
        slot = self.query_one("#agent-review-slot", Container)
        slot.remove_children()
        if not self.queue:
            self.reviewing = None
            slot.add_class("-empty")
            self.remove_class("-reviewing")
            self._widen(False)
            self.query_one(Input).focus()
            return
        self.reviewing = self.queue.pop(0)
        slot.remove_class("-empty")
        self.add_class("-reviewing")
        self._widen(True)
        review = ProposalReview(self.reviewing, note=note)
        slot.mount(review)
        self.call_after_refresh(review.focus)

    def _widen(self, wide: bool) -> None:
        """A diff needs room: while reviewing, the host slot (``#agent-slot``) takes half the screen."""
        host = self.parent
        if not isinstance(host, Container) or host.id != "agent-slot":
            return
        if wide:
            host.styles.width = "50%"
        else:
            host.styles.clear_rule("width")

    def show_proposal(self, proposal: Proposal, note: str = "") -> None:
        """Review ``proposal`` now (ahead of any queued ones)."""
        if self.reviewing is not None:
            self.queue.insert(0, self.reviewing)
        self.queue.insert(0, proposal)
        self.show_next(note)

    def on_proposal_review_closed(self, event: ProposalReview.Closed) -> None:
        # lazy, for start-up: workbench.agent.apply loads on first use
        from workbench.agent.apply import record_refusal

        event.stop()
        if self.fence is not None:
            record_refusal(self._audit_log(), self.fence, event.proposal, "put aside in the review")
        self._note(f"Proposal {event.proposal.id} put aside (not applied).")
        self.show_next()

    def _audit_log(self) -> AuditLog | None:
        return self.session.toolkit.audit if self.session is not None else self._audit

    def on_proposal_review_edit_requested(self, event: ProposalReview.EditRequested) -> None:
        event.stop()
        edit_result_by_hand(self, event.proposal)

    def on_proposal_review_apply_requested(self, event: ProposalReview.ApplyRequested) -> None:
        event.stop()
        proposal = event.proposal
        if not proposal.accepted:
            self._status("No hunk is accepted: press y (or Y for all) first.", error=True)
            return
        if not self._confirmed_risks(proposal):
            return
        left_out = len(proposal.hunks) - len(proposal.accepted)
        if left_out:
            self._note(
                f"Applying {len(proposal.accepted)} hunk(s); {left_out} not accepted are left out."
            )
        self.apply_worker(proposal)

    def _confirmed_risks(self, proposal: Proposal) -> bool:
        warning, self._risk_confirmed = second_enter(proposal, self._risk_confirmed)
        if warning:
            self._status(warning, error=True)
        return warning is None

    @work(exclusive=True, group="agent-apply", exit_on_error=False)
    async def apply_worker(
        self, proposal: Proposal, merged: str | None = None, conflict: Conflict | None = None
    ) -> None:
        # lazy, for start-up: workbench.agent.apply, workbench.agent.approval loads on first use
        from workbench.agent.apply import CONFLICT, WRITTEN, apply_merged, apply_proposal
        from workbench.agent.approval import KEYSTROKE

        client, fence, audit = self.client(), self.fence, self._audit_log()
        if client is None or fence is None:
            self._status("Not connected to a site: nothing was written.", error=True)
            return
        self._status("Writing…")
        try:
            if conflict is not None and merged is not None:
                result = await apply_merged(
                    client, proposal, conflict, merged, fence, audit, approval=KEYSTROKE
                )
            else:
                result = await apply_proposal(client, proposal, fence, audit, approval=KEYSTROKE)
        except WorkbenchError as exc:
            self._status(f"Not written: {exc.message}", error=True)
            return
        if result.status == WRITTEN:
            self._written(proposal, result)
        elif result.status == CONFLICT and result.conflict is not None:
            self._conflicted(proposal, result.conflict, result.message)
        else:
            self._status(result.message)

    def _written(self, proposal: Proposal, result: Any) -> None:
        # lazy, for start-up: workbench.tui.messages loads on first use
        from workbench.tui.messages import PageSaved

        self._note(f"✓ {result.message}", cls="msg-written")
        self._status(result.message)
        page_id = proposal.page_id or getattr(result.written, "id", None)
        if proposal.kind == EDIT and result.new_version is not None and page_id:
            self.post_message(PageSaved(page_id, result.new_version))
        if self.reviewing is proposal:
            self.show_next()

    def _conflicted(self, proposal: Proposal, conflict: Conflict, message: str) -> None:
        theirs = conflict.theirs
        origin = self._merges.get(proposal.id, proposal)
        self._note(f"⚠ {message}")
        if conflict.merge.clean and conflict.merge.text == theirs.markdown:
            if self.reviewing is proposal:
                self.show_next()
            self._note(
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
                note=f"The page changed since version {proposal.base_version}. Your accepted changes merge cleanly "
                f"on top of version {theirs.base_version}: review, then enter.",
            )
            return
        # lazy, for start-up: workbench.tui.agent.screens (with attr, rich …) loads on first use
        from workbench.tui.agent.screens import MarkdownEditScreen

        def resolved(text: str | None) -> None:
            if text is None:
                self._status("The merge was not saved; the proposal is still here.")
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
