"""What the command line's approval flags cover: exactly what the person asked for, nothing a page added.

``workbench agent PAGE "…" --approve`` approves edits to PAGE. Everything else the model proposed in
that turn — edits to other pages, new pages, comments — is printed and left as a proposal, unless
the person also gave the flag for that kind:

``--approve-new-pages``  new pages in PAGE's space;
``--approve-comments``   footer comments on PAGE, and replies to PAGE's comments.

Labels (``propose_labels``) are never approved by a flag: the person reviews them in the workbench.

Edits to other pages, new pages in another space and comments on other pages are never approved by a
flag: a page's text can make a model propose them, and nothing the person typed named them. A
flagged proposal (:mod:`workbench.agent.risk`: it blanks the page, removes most of it, or adds an
external image or link) is never approved by a flag either; a person reviews it (in the TUI).
Nothing is approved after a turn that did not finish (step or time limit, model error): what the
model proposed may be half of what it meant to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.agent.proposals import COMMENT, EDIT, NEW_PAGE, REPLY
from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.agent.proposals import Proposal

KEYSTROKE, FLAG, REFUSED = "keystroke", "flag", "refused"  # the audit's ``approval`` field


class NotApproved(WorkbenchError):
    """Proposals were printed but not written (no flag covered them, or they are flagged)."""

    exit_code = 6

    @classmethod
    def for_(cls, left: list[Decision], scope: ApprovalScope) -> NotApproved:
        count = len(left)
        what = f"{count} proposal{'s' if count != 1 else ''}"
        if not scope.any:
            return cls(
                f"Nothing was written: {what} printed above. Re-run with --approve to write the edits to page "
                f"{scope.page_id}, or review {'them' if count != 1 else 'it'} in the workbench."
            )
        return cls(
            f"{what} printed above {'were' if count != 1 else 'was'} not written (see '→ left as a "
            "proposal'); review them in the workbench."
        )


@dataclass(frozen=True, slots=True)
class ApprovalScope:
    """The approval flags of one command line, about one named page."""

    page_id: str
    space_key: str
    edits: bool = False  # --approve
    new_pages: bool = False  # --approve-new-pages
    comments: bool = False  # --approve-comments

    @property
    def any(self) -> bool:
        return self.edits or self.new_pages or self.comments


@dataclass(frozen=True, slots=True)
class Decision:
    proposal: Proposal
    approved: bool
    why: str  # which flag approved it, or why it is left as a proposal
    risks: tuple[str, ...] = ()


def decide(proposal: Proposal, scope: ApprovalScope, *, finished: bool = True) -> Decision:
    """Whether ``scope``'s flags approve ``proposal`` (and the reason, in words, either way)."""
    # lazy, for start-up: workbench.agent.risk loads on first use
    from workbench.agent.risk import risks

    flags = tuple(risks(proposal))
    same_space = (proposal.space_key or "").upper() == (scope.space_key or "").upper()

    def left(why: str) -> Decision:
        return Decision(proposal, False, why, flags)

    if proposal.kind == EDIT:
        if proposal.page_id != scope.page_id:
            return left(
                f"an edit to another page ({proposal.page_id}); --approve covers edits to page "
                f"{scope.page_id} only"
            )
        if not scope.edits:
            return left("not approved (--approve writes edits to this page)")
        wanted = "--approve"
    elif proposal.kind == NEW_PAGE:
        if not same_space:
            return left(
                f"a new page in another space ({proposal.space_key}); no flag approves that"
            )
        if not scope.new_pages:
            return left("a new page: --approve-new-pages creates new pages in this space")
        wanted = "--approve-new-pages"
    elif proposal.kind in (COMMENT, REPLY):
        noun = "a comment" if proposal.kind == COMMENT else "a reply"
        if proposal.page_id != scope.page_id:
            return left(
                f"{noun} on another page ({proposal.page_id}); --approve-comments covers page "
                f"{scope.page_id} only"
            )
        if not scope.comments:
            return left(f"{noun}: --approve-comments posts comments and replies on this page")
        wanted = "--approve-comments"
    else:
        return left(f"a {proposal.kind} proposal, which no flag approves")
    if flags:
        return left(
            "flagged (see above), so it is never approved by a flag; review it in the workbench"
        )
    if not finished:
        return left(
            "the turn did not finish, so nothing is approved; run it again or review it in the workbench"
        )
    return Decision(proposal, True, f"approved by {wanted}", flags)
