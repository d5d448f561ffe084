"""A person's decision on a stored proposal: approve (write it) or reject (with a reason the agent reads).

Approving is :func:`workbench.agent.apply.apply_proposal`, the agent panel's own path: an edit is
saved through the editing session on its pinned base (base+1, verified); if the page moved on,
nothing is written and the 3-way merge is returned. A clean merge is written only when the person
approves the merge itself (``merge=True``: the CLI's ``--merge``). The TUI's inbox approves what the
person reviewed (:func:`approve_reviewed`), as the agent panel does: the stored proposal with the
hunks they accepted or edited by hand; after a concurrent edit, the clean merge on top of the newer
version (reviewed hunk by hunk again); or a conflicted merge they resolved in the conflict view. The
whole decision happens under the proposal's lock, so two people (or two windows) cannot both
approve it, and the record says what came of it. A proposal of a kind this version cannot apply is
listed and shown like any other, and refused with a message when approved (never dropped).
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
    from workbench.services.pages import Conflict


class AlreadyDecided(InboxError):
    exit_code = 5


class WrongSite(InboxError):
    exit_code = 4


class UnknownKind(InboxError):
    """A proposal of a kind this version of the workbench cannot apply (nothing is written)."""

    exit_code = 2


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
        _check_approvable(item, client)
        proposal = proposal_of(item, accepted)
        approval = "keystroke" if by == "tui" else "flag"
        result = await apply.apply_proposal(
            client, proposal, fence, audit, markdown=markdown, approval=approval
        )
        if (
            result.status == apply.CONFLICT
            and merge
            and result.clean_merge
            and result.conflict is not None
            and not _already_there(result)
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
            return _record(inbox, item, proposal, result, by, merged=True)
        return _record(inbox, item, proposal, result, by, merged=False)


async def approve_reviewed(
    inbox: Inbox,
    item_id: int,
    client: ConfluenceClient,
    fence: Fence,
    audit: AuditLog | None,
    reviewed: Proposal,
    *,
    resolved: str | None = None,
    conflict: Conflict | None = None,
    by: str = "tui",
) -> Decision:
    """Write what the person reviewed for stored proposal ``item_id``, as the agent panel does.

    ``reviewed`` is the stored proposal with the person's hunk decisions (or hand edit), or — after a
    concurrent edit — the clean merge as a proposal on top of *their* version (its own hunks
    reviewed). ``resolved`` with ``conflict``: the conflicted merge as the person resolved it in the
    conflict view, saved on top of the conflict's newer version. Each goes through the editing
    session (base+1, verified); if the page moved on again, nothing is written and the result
    carries the new merge. Written on another version than the stored base: status ``merged``."""
    # lazy, for start-up: workbench.agent.apply loads on first use
    from workbench.agent import apply

    with inbox.deciding(item_id) as item:
        _check_approvable(item, client)
        if reviewed.kind != item.kind or reviewed.page_id != item.page_id:
            raise InboxError(f"That review is not of proposal {item_id}; nothing was written.")
        approval = "keystroke" if by == "tui" else "flag"
        if resolved is not None and conflict is not None:
            result = await apply.apply_merged(
                client, reviewed, conflict, resolved, fence, audit, approval=approval
            )
        else:
            result = await apply.apply_proposal(client, reviewed, fence, audit, approval=approval)
        stored_base = item.proposal.get("base_version")
        merged = conflict is not None or reviewed.base_version != stored_base
        return _record(inbox, item, reviewed, result, by, merged=merged)


def _check_approvable(item: Item, client: ConfluenceClient) -> None:
    # lazy, for start-up: workbench.agent.proposals loads on first use
    from workbench.agent.proposals import KINDS

    if item.status != PENDING:
        raise AlreadyDecided(
            f"Proposal {item.id} is {describe_status(item)} already; nothing was written."
        )
    if item.kind not in KINDS:
        raise UnknownKind(
            f"Proposal {item.id} is a '{item.kind}' proposal, which this version of Confluence "
            f"Workbench cannot apply (it applies: {', '.join(KINDS)}); nothing was written. Reject "
            "it with a reason, or approve it with a newer version of the workbench."
        )
    check_site(item, client)


def _already_there(result: ApplyResult) -> bool:
    conflict = result.conflict
    return (
        conflict is not None
        and conflict.merge.clean
        and conflict.merge.text == conflict.theirs.markdown
    )


def _record(
    inbox: Inbox, item: Item, proposal: Proposal, result: ApplyResult, by: str, *, merged: bool
) -> Decision:
    """Store what came of an approval (under the caller's lock) and return the decision."""
    # lazy, for start-up: workbench.agent.apply loads on first use
    from workbench.agent import apply

    if result.status == apply.CONFLICT and _already_there(result) and result.conflict is not None:
        # the page already holds exactly this change (an approval that wrote it and was killed
        # before saying so, or a person who made the same edit): nothing to write, and it is done
        theirs = result.conflict.theirs.base_version
        result = apply.ApplyResult(
            apply.NOTHING,
            f"Version {theirs} of page {proposal.page_id} already contains these "
            "changes; nothing was written.",
            new_version=theirs,
            markdown=result.markdown,
        )
        _decided(item, APPROVED, by, result)
    elif result.status == apply.WRITTEN:
        _decided(item, MERGED if merged else APPROVED, by, result)
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
        from workbench.config import AGENT_PROFILES

        fence = Fence.build(item.profile if item.profile in AGENT_PROFILES else None)
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
    # lazy, for start-up: the models of Confluence, Jira and services.pages load on first use
    from workbench.confluence.models import Comment, Page
    from workbench.jira.models import Comment as JiraComment
    from workbench.jira.writes import Created, Worklog
    from workbench.services.pages import OpenedPage

    written = result.written
    if isinstance(written, OpenedPage):
        written = written.page
    if isinstance(written, Created):  # a new Jira issue: its key
        item.written_id = written.key
    else:
        kinds = Page | Comment | JiraComment | Worklog
        item.written_id = written.id if isinstance(written, kinds) else None
