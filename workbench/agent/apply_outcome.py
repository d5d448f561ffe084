"""What applying a proposal comes to, shared by every applier (:mod:`workbench.agent.apply` and
``apply_*``): the result and its status, the refusal of a page that changed, the audit's ``write``
line for what was written or refused, and the steps every applier takes the same way — a fence
check whose refusal is recorded, a proposal whose text only describes it (no hand edits), the
result of a write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.agent.fences import FenceRefusal
from workbench.agent.proposals import NEW_PAGE
from workbench.errors import UsageError, WorkbenchError

if TYPE_CHECKING:
    from workbench.agent.audit import AuditLog
    from workbench.agent.fences import Fence
    from workbench.agent.proposals import Proposal
    from workbench.services.pages import Conflict
    from workbench.services.save_outcome import SaveOutcome

WRITTEN, CONFLICT, NOTHING, GONE = "written", "conflict", "nothing", "gone"


class ApplyConflict(WorkbenchError):
    """The page changed since the proposal's base; nothing was written."""

    exit_code = 3


@dataclass(slots=True)
class ApplyResult:
    status: str
    message: str
    new_version: int | None = None
    written: Any = None  # the Page / OpenedPage / Comment written
    conflict: Conflict | None = None
    markdown: str = ""  # what the person approved
    outcome: SaveOutcome | None = (
        None  # an edit's save outcome (services.save_outcome), for its remedies
    )

    @property
    def clean_merge(self) -> bool:
        return self.conflict is not None and self.conflict.merge.clean


def commit_message(proposal: Proposal) -> str:
    summary = proposal.summary.strip() or "edit"
    return f"Agent proposal approved in Confluence Workbench: {summary}"[:250]


def record_refusal(audit: AuditLog | None, fence: Fence, proposal: Proposal, why: str) -> None:
    """A ``write`` line for a proposal that was not written: no flag covered it, the person put it aside,
    or a fence refused it (``approval: refused``)."""
    if audit is None:
        return
    audit.record(
        "write",
        approval="refused",
        profile=fence.profile,
        tool=f"apply:{proposal.kind}",
        proposal=proposal.id,
        page=proposal.page_id,
        space=proposal.space_key,
        title=proposal.title if proposal.kind == NEW_PAGE else None,
        base_version=proposal.base_version,
        outcome=f"not written: {why}",
        diff_hash=proposal.diff_hash(),
    )


def audit_write(
    audit: AuditLog | None,
    fence: Fence,
    proposal: Proposal,
    text: str,
    new_version: int | None,
    outcome: str,
    *,
    page_id: str | None = None,
    base: int | None = None,
) -> None:
    if audit is None:
        return
    audit.record(
        "write",
        profile=fence.profile,
        tool=f"apply:{proposal.kind}",
        proposal=proposal.id,
        page=page_id or proposal.page_id,
        space=proposal.space_key,
        base_version=base if base is not None else proposal.base_version,
        new_version=new_version,
        hunks_accepted=len(proposal.accepted),
        hunks_total=len(proposal.hunks),
        outcome=outcome,
        diff_hash=proposal.diff_hash(text),
    )


def checked(
    audit: AuditLog | None, fence: Fence, proposal: Proposal, check: Callable[[], None]
) -> None:
    """Run a fence check (``fence.check_space(…)``, ``fence.check_tool(…)``); a refusal gets its
    ``write`` line in the audit, then is raised."""
    try:
        check()
    except FenceRefusal as exc:
        record_refusal(audit, fence, proposal, exc.message)
        raise


def refused(audit: AuditLog | None, fence: Fence, proposal: Proposal, why: str) -> ApplyConflict:
    """The conflict to raise for a proposal that is not written because what it read changed
    (``why``), with its audit line."""
    record_refusal(audit, fence, proposal, why)
    return ApplyConflict(why)


def only_as_described(proposal: Proposal, text: str, what: str, describes: str = "it") -> None:
    """A proposal whose text only describes the change is applied as proposed, never hand-edited."""
    if text != proposal.described:
        raise UsageError(
            f"{what} cannot be edited by hand (its text only describes {describes}); "
            "accept it or reject it, or ask the agent again."
        )


def written(
    audit: AuditLog | None,
    fence: Fence,
    proposal: Proposal,
    text: str,
    done: str,
    what: Any = None,
    new_version: int | None = None,
) -> ApplyResult:
    """The result of a write that landed (``done`` says what it was), with its audit line."""
    audit_write(audit, fence, proposal, text, new_version, done)
    return ApplyResult(WRITTEN, done, new_version, what, markdown=text)
