"""A person's decision on a stored proposal: approve (write it) or reject (with a reason the agent reads).

Approving is :func:`workbench.agent.apply.apply_proposal`, the agent panel's own path: an edit is
saved through the editing session on its pinned base (base+1, verified); if the page moved on,
nothing is written and the 3-way merge is returned. A clean merge is written only when the person
approves the merge itself (``merge=True``: the CLI's ``--merge``, the TUI's second review); a merge
with conflicts is never written from here. The whole decision happens under the proposal's lock,
so two people (or two windows) cannot both approve it, and the record says what came of it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.inbox.record import proposal_from_data
from workbench.inbox.store import (
    APPROVED,
    FAILED,
    MAX_REASON,
    MERGED,
    PENDING,
    REJECTED,
    Inbox,
    InboxError,
    Item,
    now_iso,
)

if TYPE_CHECKING:
    from workbench.agent.apply import ApplyResult
    from workbench.agent.audit import AuditLog
    from workbench.agent.fences import Fence
    from workbench.agent.proposals import Proposal
    from workbench.confluence.client import ConfluenceClient


class AlreadyDecided(InboxError):
    exit_code = 5


class WrongSite(InboxError):
    exit_code = 4


@dataclass(slots=True)
class Decision:
    """What approving did: the stored record afterwards, and the apply result (conflict, merge…)."""

    item: Item
    result: ApplyResult
    proposal: Proposal


def proposal_of(item: Item, accepted: Collection[int] | None = None) -> Proposal:
    """The stored proposal with hunks ``accepted`` (1-based numbers; ``None``: every hunk) accepted."""
    # lazy, for start-up: workbench.agent.proposals loads on first use
    from workbench.agent.proposals import ACCEPTED
    from workbench.agent.proposals import REJECTED as HUNK_REJECTED

    proposal = proposal_from_data(item.proposal, item.id)
    if accepted is None:
        proposal.set_all(ACCEPTED)
    else:
        wrong = sorted(n for n in accepted if not 1 <= n <= len(proposal.hunks))
        if wrong:
            raise InboxError(
                f"Proposal {item.id} has hunks 1–{len(proposal.hunks)}; there is no hunk {', '.join(map(str, wrong))}."
            )
        for hunk in proposal.hunks:
            hunk.state = ACCEPTED if hunk.index + 1 in accepted else HUNK_REJECTED
    return proposal


def check_site(item: Item, client: ConfluenceClient) -> None:
    # lazy, for start-up: workbench.agent.session loads on first use
    from workbench.agent.session import same_site

    if not same_site(item.site, client.base_url):
        raise WrongSite(
            f"Proposal {item.id} was made on {item.site}, not on {client.base_url}; approve it with that site "
            "(--profile NAME or CONFLUENCE_URL)."
        )


async def approve(
    inbox: Inbox,
    item_id: int,
    client: ConfluenceClient,
    fence: Fence,
    audit: AuditLog | None,
    *,
    by: str,
    accepted: Collection[int] | None = None,
    markdown: str | None = None,
    merge: bool = False,
) -> Decision:
    """Write proposal ``item_id`` (its accepted hunks, or ``markdown``, the person's hand-edited result).

    ``merge``: if the page moved on and the merge is clean, write the merge on top of *their* version."""
    # lazy, for start-up: workbench.agent.apply loads on first use
    from workbench.agent import apply

    with inbox.deciding(item_id) as item:
        if item.status != PENDING:
            raise AlreadyDecided(
                f"Proposal {item_id} is {describe_status(item)} already; nothing was written."
            )
        check_site(item, client)
        proposal = proposal_of(item, accepted)
        approval = "keystroke" if by == "tui" else "flag"
        result = await apply.apply_proposal(
            client, proposal, fence, audit, markdown=markdown, approval=approval
        )
        conflict = result.conflict
        if (
            result.status == apply.CONFLICT
            and conflict is not None
            and conflict.merge.clean
            and conflict.merge.text == conflict.theirs.markdown
        ):
            # the page already holds exactly this change (an approval that wrote it and was killed
            # before saying so, or a person who made the same edit): nothing to write, and it is done
            theirs = conflict.theirs.base_version
            result = apply.ApplyResult(
                apply.NOTHING,
                f"Version {theirs} of page {proposal.page_id} already contains these "
                "changes; nothing was written.",
                new_version=theirs,
                markdown=result.markdown,
            )
            _decided(item, APPROVED, by, result)
            item.note = result.message
            inbox.save(item)
            return Decision(item, result, proposal)
        if (
            result.status == apply.CONFLICT
            and merge
            and result.clean_merge
            and result.conflict is not None
        ):
            result = await apply.apply_merged(
                client,
                proposal,
                result.conflict,
                result.conflict.merge.text,
                fence,
                audit,
                approval=approval,
            )
            if result.status == apply.WRITTEN:
                _decided(item, MERGED, by, result)
                item.note = result.message
                inbox.save(item)
                return Decision(item, result, proposal)
        if result.status == apply.WRITTEN:
            _decided(item, APPROVED, by, result)
        elif result.status == apply.GONE:
            _decided(item, FAILED, by, result)
        item.note = result.message
        inbox.save(item)
        return Decision(item, result, proposal)


def reject(
    inbox: Inbox, item_id: int, reason: str, *, by: str, audit: AuditLog | None = None
) -> Item:
    """Mark ``item_id`` rejected with ``reason`` (the agent reads it with ``get_proposal``)."""
    reason = " ".join(reason.split())[:MAX_REASON]
    if not reason:
        raise InboxError("Say why it is rejected (--reason TEXT): the agent reads the reason.")
    with inbox.deciding(item_id) as item:
        if item.status != PENDING:
            raise AlreadyDecided(f"Proposal {item_id} is {describe_status(item)} already.")
        item.status, item.reason, item.decided, item.decided_by = REJECTED, reason, now_iso(), by
        inbox.save(item)
    if audit is not None:
        # lazy, for start-up: workbench.agent.apply, workbench.agent.fences loads on first use
        from workbench.agent.apply import record_refusal
        from workbench.agent.fences import Fence

        fence = Fence.build(
            item.profile if item.profile in ("search-only", "read-only", "propose") else None
        )
        record_refusal(
            audit.bound(approval="refused"),
            fence,
            proposal_from_data(item.proposal, item.id),
            f"rejected by the person: {reason}",
        )
    return item


def describe_status(item: Item) -> str:
    """The status in words, as the agent and the person read it."""
    if item.status == APPROVED:
        version = (
            f" as version {item.new_version}" if item.kind == "edit" and item.new_version else ""
        )
        return f"approved{version}"
    if item.status == MERGED:
        return f"approved and merged after a concurrent edit, as version {item.new_version}"
    if item.status == REJECTED:
        return f"rejected: {item.reason}"
    if item.status == FAILED:
        return f"not written: {item.note}"
    return "pending" + (f" ({item.note})" if item.note else "")


def _decided(item: Item, status: str, by: str, result: ApplyResult) -> None:
    item.status, item.decided, item.decided_by = status, now_iso(), by
    item.new_version = result.new_version
    # lazy, for start-up: workbench.confluence.models, workbench.services.pages loads on first use
    from workbench.confluence.models import Comment, Page
    from workbench.services.pages import OpenedPage

    written = result.written
    if isinstance(written, OpenedPage):
        written = written.page
    item.written_id = written.id if isinstance(written, Page | Comment) else None
