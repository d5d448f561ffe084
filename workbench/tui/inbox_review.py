"""The inbox's review: approving what the person reviewed, exactly as the agent panel does.

:class:`InboxReviews` is the screen's ``#inbox-review-slot``: it owns the item under review and
the risk gate's state and handles the review's intents; what it needs of
:class:`~workbench.tui.inbox.InboxScreen` is declared as :class:`InboxHost`. ``enter`` in the review writes the accepted
hunks (or the hand edit, ``e``) through :func:`workbench.inbox.decide.approve_reviewed`: the editing
session on the pinned base (base+1, verified). A flagged result (it blanks the page, removes most of
it, adds an external image or link) needs a second ``enter``. If the page moved on meanwhile,
nothing is written and the 3-way merge decides what comes next:

- a clean merge is shown as a new review (their version → merged, every hunk accepted); ``enter``
  writes it on top of their version (status ``merged``);
- a merge with conflicts opens the conflict view (the merged text with ``<<<<<<< mine`` /
  ``=======`` / ``>>>>>>> theirs`` markers); ``ctrl+s`` writes the resolution on top of their
  version. Markers left in, or a page that moved on once more, write nothing: the person's text
  comes back in the conflict view (or as the next merge); escape leaves the proposal pending.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from textual import work
from textual.containers import Container
from textual.widgets import TextArea

from workbench.agent.proposals import ACCEPTED, EDIT, Proposal
from workbench.errors import WorkbenchError
from workbench.services.merge import has_conflict_markers
from workbench.tui.agent.review import ProposalReview, edit_result_by_hand, second_enter
from workbench.tui.agent.screens import MarkdownEditScreen

if TYPE_CHECKING:
    from workbench.inbox.store import Inbox, Item
    from workbench.services.pages import Conflict


class ConflictView(MarkdownEditScreen):
    """The conflict view: the merged text with markers; ``ctrl+s`` is refused while markers remain
    (the text stays as the person left it), escape gives up (the proposal stays pending)."""

    def action_done(self) -> None:
        if has_conflict_markers(self.query_one(TextArea).text):
            self.app.notify(
                "The text still has conflict markers (<<<<<<< ======= >>>>>>>): keep what you "
                "want between them and delete the markers, then ctrl+s. Nothing was sent.",
                severity="warning",
            )
            return
        super().action_done()


class InboxHost(Protocol):
    """What :class:`InboxReviews` is given by the inbox screen that holds it."""

    @property
    def inbox(self) -> Inbox: ...

    def status(self, text: str, *, error: bool = False) -> None:
        """Show ``text`` on the screen's status line."""
        ...

    def reload(self) -> None:
        """Read the inbox again (a proposal was decided)."""
        ...

    def review_closed(self) -> None:
        """The review went away: back to the list."""
        ...


class InboxReviews(Container):
    """The review of one inbox item, and approving it."""

    _views: ClassVar[int] = 0  # conflict views opened (each gets its own id)

    def __init__(self, host: InboxHost, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.host = host
        self.reviewing: Item | None = None
        self._risk_confirmed: tuple[int, str] | None = None  # (proposal, result) said yes to twice

    async def open_review(self, item: Item, proposal: Proposal, note: str = "") -> None:
        self.reviewing = item
        await self.remove_children()
        who = f"From {item.agent} ({item.profile}) on {item.site}, {item.created}."
        review = ProposalReview(proposal, note=f"{who} {note}".strip())
        await self.mount(review)
        review.focus()

    def close(self) -> None:
        """Put the review away (the item stays as it is now)."""
        self.reviewing = None
        self.remove_children()
        self.host.review_closed()

    # -- the review's intents ----------------------------------------------------------------
    def on_proposal_review_closed(self, event: ProposalReview.Closed) -> None:
        event.stop()
        self.close()
        self.host.status("Put aside: it stays in the inbox.")

    def on_proposal_review_edit_requested(self, event: ProposalReview.EditRequested) -> None:
        event.stop()
        edit_result_by_hand(self, event.proposal)

    def on_proposal_review_apply_requested(self, event: ProposalReview.ApplyRequested) -> None:
        event.stop()
        item, proposal = self.reviewing, event.proposal
        if item is None:
            return
        if not proposal.accepted:
            self.host.status("No hunk is accepted: press y (or Y for all) first.", error=True)
            return
        if self._confirmed_risks(proposal):
            self.approve_worker(item.id, proposal)

    def _confirmed_risks(self, proposal: Proposal) -> bool:
        warning, self._risk_confirmed = second_enter(proposal, self._risk_confirmed)
        if warning:
            self.host.status(warning, error=True)
        return warning is None

    # -- writing -----------------------------------------------------------------------------
    @work(exclusive=True, group="inbox-approve", exit_on_error=False)
    async def approve_worker(
        self,
        item_id: int,
        proposal: Proposal,
        resolved: str | None = None,
        conflict: Conflict | None = None,
    ) -> None:
        # lazy, for start-up: workbench.agent.apply, workbench.agent.audit … loads on first use
        from workbench.agent import apply
        from workbench.agent.audit import AuditLog
        from workbench.inbox.decide import approve_reviewed

        client = _client(self.app)
        if client is None:
            self.host.status("Not connected to a site yet: open the site first.", error=True)
            return
        self.host.status("Writing…")
        try:
            decision = await approve_reviewed(
                self.host.inbox,
                item_id,
                client,
                _fence(self.app),
                AuditLog(),
                proposal,
                resolved=resolved,
                conflict=conflict,
            )
        except WorkbenchError as exc:
            self.host.status(f"Not written: {exc.message}", error=True)
            if resolved is not None and conflict is not None:  # the person's resolution is kept
                self._resolve(item_id, proposal, conflict, resolved, problem=exc.message)
            return
        result = decision.result
        if result.status == apply.WRITTEN:
            self._written(decision.item, result)
        elif result.status == apply.CONFLICT and result.conflict is not None:
            await self._conflicted(decision.item, proposal, result.conflict, result.message)
        else:
            self.host.status(result.message, error=result.status == apply.GONE)
            if decision.item.status != "pending":
                self.close()
                self.host.reload()

    def _written(self, item: Item, result: Any) -> None:
        # lazy, for start-up: workbench.tui.messages loads on first use
        from workbench.tui.messages import PageSaved

        self.host.status(f"✓ {result.message}")
        if item.kind == EDIT and item.page_id and result.new_version is not None:
            # lazy, for start-up: workbench.tui.app loads on first use
            from workbench.tui.app import WorkbenchApp

            main = self.app.main if isinstance(self.app, WorkbenchApp) else None
            if main is not None:  # the viewer reloads the page
                main.post_message(PageSaved(item.page_id, result.new_version))
        self.close()
        self.host.reload()

    async def _conflicted(
        self, item: Item, reviewed: Proposal, conflict: Conflict, message: str
    ) -> None:
        theirs = conflict.theirs
        if conflict.merge.clean:
            merged = Proposal(
                kind=EDIT,
                summary=f"{item.summary} (merged with version {theirs.base_version})",
                before=theirs.markdown,
                after=conflict.merge.text,
                page_id=item.page_id,
                page_kind=reviewed.page_kind,
                title=theirs.page.title,
                space_key=reviewed.space_key,
                base_version=theirs.base_version,
                base=theirs,
                users=reviewed.users,  # people the agent named who are on neither version
                id=item.id,
            )
            merged.set_all(ACCEPTED)
            await self.open_review(
                item,
                merged,
                note=(
                    f"The page changed since version {reviewed.base_version}. The accepted changes "
                    f"merge cleanly on top of version {theirs.base_version}: review, then enter."
                ),
            )
            self.host.status(message)
            return
        self.host.status(message, error=True)
        self._resolve(item.id, reviewed, conflict, conflict.merge.text)

    def _resolve(
        self,
        item_id: int,
        reviewed: Proposal,
        conflict: Conflict,
        text: str,
        *,
        problem: str = "",
    ) -> None:
        """The conflict view: the merged text with markers; ``ctrl+s`` writes it, escape keeps it pending."""
        theirs = conflict.theirs

        def resolved(result: str | None) -> None:
            if result is None:
                self.host.status(
                    "The merge was not saved; the proposal stays in the inbox, pending."
                )
                return
            self.approve_worker(item_id, reviewed, resolved=result, conflict=conflict)

        hint = (
            "Keep what you want between <<<<<<< mine / ======= / >>>>>>> theirs, delete the "
            "markers, then ctrl+s."
        )
        InboxReviews._views += 1  # a fresh id: the last view may still be leaving the screen
        self.app.push_screen(
            ConflictView(
                f"Resolve {conflict.merge.conflicts} conflict(s) of proposal {item_id} with version "
                f"{theirs.base_version} of '{theirs.page.title}'",
                text,
                hint=f"{problem} {hint}".strip(),
                id=f"inbox-conflict-{InboxReviews._views}",
            ),
            resolved,
        )


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
