"""Applying a proposal a person approved — the only place an agent proposal becomes a write.

An edit is saved through :class:`workbench.services.edit_session.EditSession`, like the TUI editor
and ``workbench push``: converted with the base version's storage (untouched macros stay byte for
byte), verified as version base+1, inline comments added since the base kept anchored. If the page
moved on since the base, nothing is written: the result carries a 3-way merge (base → accepted
Markdown with base → theirs) for the person to approve (:func:`apply_merged`) or resolve; a page
trashed or deleted meanwhile is status ``gone`` (nothing written, the text kept in the result).
New pages and comments are written as proposed. The
allow-list is checked again here, and every write (or refusal to write) gets an audit line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.agent.apply_attachment import apply_attachment
from workbench.agent.apply_jira import apply_jira
from workbench.agent.apply_lifecycle import apply_lifecycle
from workbench.agent.apply_membership import apply_membership
from workbench.agent.apply_outcome import (
    CONFLICT,
    GONE,
    NOTHING,
    WRITTEN,
    ApplyConflict,
    ApplyResult,
    audit_write,
    checked,
    commit_message,
    record_refusal,
)
from workbench.agent.fences import Fence
from workbench.agent.proposals import (
    ATTACHMENT,
    COMMENT,
    COPY,
    DELETE,
    EDIT,
    JIRA_KINDS,
    LABELS,
    MEMBERSHIP_KINDS,
    MOVE,
    NEW_PAGE,
    RENAME,
    REPLY,
    Proposal,
)
from workbench.errors import UsageError, WorkbenchError

__all__ = [  # what callers import from here (the appliers share them through apply_outcome)
    "CONFLICT",
    "GONE",
    "NOTHING",
    "WRITTEN",
    "ApplyConflict",
    "ApplyResult",
    "apply_merged",
    "apply_proposal",
    "commit_message",
    "record_refusal",
]

if TYPE_CHECKING:
    from workbench.agent.audit import AuditLog
    from workbench.confluence.client import ConfluenceClient
    from workbench.services.edit_session import EditSession
    from workbench.services.pages import Conflict, OpenedPage


async def apply_proposal(
    client: ConfluenceClient,
    proposal: Proposal,
    fence: Fence,
    audit: AuditLog | None = None,
    *,
    markdown: str | None = None,
    approval: str = "keystroke",
) -> ApplyResult:
    """Write the accepted part of ``proposal`` (or ``markdown``, the person's hand-edited result).

    ``approval`` is who approved it, for the audit: ``"keystroke"`` (the review) or ``"flag"`` (``--approve``)."""
    audit = _approved_by(audit, approval)
    text = proposal.result() if markdown is None else markdown
    if proposal.kind in MEMBERSHIP_KINDS:  # site-wide, not in one space: its own fence checks
        return await apply_membership(client, proposal, text, fence, audit)
    if proposal.kind in JIRA_KINDS:  # Jira, not a Confluence space: its own fence checks
        return await apply_jira(client, proposal, text, fence, audit)
    _check_fence(audit, fence, proposal)
    if proposal.kind == EDIT:
        if proposal.base is None:
            raise UsageError("This proposal has no base version to apply against.")
        if text == proposal.before:
            return ApplyResult(NOTHING, "No hunk is accepted, so nothing was written.")
        return await _save_edit(
            client, proposal, _edit_session(client, proposal, proposal.base, text), fence, audit
        )
    if proposal.kind == LABELS:
        return await _apply_labels(client, proposal, text, fence, audit)
    if proposal.kind in (MOVE, COPY, RENAME, DELETE):
        return await apply_lifecycle(client, proposal, text, fence, audit)
    if proposal.kind == ATTACHMENT:
        return await apply_attachment(client, proposal, text, fence, audit)
    if not text.strip():
        return ApplyResult(NOTHING, "Nothing is accepted, so nothing was written.")
    # lazy, for start-up: workbench.convert, workbench.services.users loads on first use
    from workbench.convert import markdown_to_storage
    from workbench.services.users import settle_mentions

    settled = settle_mentions(
        text, {}, proposal.users
    )  # names the proposal resolved map back to ids
    storage = markdown_to_storage(settled.markdown, users=settled.users or None)
    if proposal.kind == NEW_PAGE:
        return await _apply_new_page(client, proposal, text, storage, fence, audit)
    if proposal.kind == REPLY:
        return await _apply_reply(client, proposal, text, storage, fence, audit)
    if proposal.kind == COMMENT:
        comment = await client.add_comment(proposal.page_id or "", storage, kind=proposal.page_kind)
        audit_write(audit, fence, proposal, text, None, f"comment {comment.id} added")
        return ApplyResult(
            WRITTEN, f"Added a comment to page {proposal.page_id}.", None, comment, markdown=text
        )
    raise UsageError(f"Unknown proposal kind '{proposal.kind}'.")


async def _apply_new_page(
    client: ConfluenceClient,
    proposal: Proposal,
    text: str,
    storage: str,
    fence: Fence,
    audit: AuditLog | None,
) -> ApplyResult:
    """Create the page (as a draft when proposed so), then add its labels."""
    # lazy, for start-up: workbench.confluence.errors … loads on first use
    from workbench.confluence.errors import BadRequest
    from workbench.services.edit_session import title_taken

    space = await client.space_by_key(proposal.space_key)
    try:
        page = await client.create_page(
            space_id=space.id,
            title=proposal.title,
            storage=storage,
            parent_id=proposal.parent_id,
            status="draft" if proposal.draft else "current",
        )
    except BadRequest as exc:  # a title another page has: say so, and what helps (not "try again")
        other = await title_taken(client, space.id, proposal.title)
        if other is None:
            raise
        audit_write(
            audit, fence, proposal, text, None, f"not written: title taken by page {other.id}"
        )
        raise UsageError(
            f"Another page in {proposal.space_key} is titled '{proposal.title}' (id {other.id}), so "
            "nothing was created; ask the agent for another title."
        ) from exc
    made = f"Created page {page.id} '{page.title}' in {proposal.space_key}" + (
        " as a draft" if proposal.draft else ""
    )
    if proposal.labels:
        try:
            await client.add_labels(page.id, proposal.labels)
        except WorkbenchError as exc:  # the page exists: say so, and what is missing
            audit_write(
                audit,
                fence,
                proposal,
                text,
                page.version.number,
                f"created; labels failed: {exc.message}",
                page_id=page.id,
            )
            return ApplyResult(
                WRITTEN,
                f"{made}, but its labels were not added ({exc.message}).",
                1,
                page,
                markdown=text,
            )
        made += f", labelled {', '.join(proposal.labels)}"
    audit_write(audit, fence, proposal, text, page.version.number, "created", page_id=page.id)
    return ApplyResult(WRITTEN, made + ".", 1, page, markdown=text)


async def _apply_reply(
    client: ConfluenceClient,
    proposal: Proposal,
    text: str,
    storage: str,
    fence: Fence,
    audit: AuditLog | None,
) -> ApplyResult:
    """Post the reply under the comment it answers (footer or inline)."""
    page_id, parent = proposal.page_id or "", proposal.comment_id
    if proposal.comment_inline:
        comment = await client.add_inline_comment(
            page_id, storage, parent_id=parent, kind=proposal.page_kind
        )
    else:
        comment = await client.add_comment(
            page_id, storage, parent_id=parent, kind=proposal.page_kind
        )
    audit_write(audit, fence, proposal, text, None, f"reply {comment.id} to comment {parent}")
    return ApplyResult(
        WRITTEN, f"Replied to comment {parent} on page {page_id}.", None, comment, markdown=text
    )


async def _apply_labels(
    client: ConfluenceClient, proposal: Proposal, text: str, fence: Fence, audit: AuditLog | None
) -> ApplyResult:
    """Add and remove the accepted labels (labels have no versions: each change is idempotent)."""
    # lazy, for start-up: workbench.agent.world_proposals loads on first use
    from workbench.agent.world_proposals import labels_of

    before, after = labels_of(proposal.before), labels_of(text)
    adding, removing = sorted(after - before), sorted(before - after)
    if not adding and not removing:
        return ApplyResult(NOTHING, "No label change is accepted, so nothing was written.")
    page_id = proposal.page_id or ""
    if adding:
        await client.add_labels(page_id, adding, kind=proposal.page_kind)
    for name in removing:
        await client.remove_label(page_id, name, kind=proposal.page_kind)
    done = "; ".join(
        part
        for part in (
            f"added {', '.join(adding)}" if adding else "",
            f"removed {', '.join(removing)}" if removing else "",
        )
        if part
    )
    audit_write(audit, fence, proposal, text, None, f"labels {done}")
    return ApplyResult(WRITTEN, f"Labels of page {page_id}: {done}.", None, None, markdown=text)


async def apply_merged(
    client: ConfluenceClient,
    proposal: Proposal,
    conflict: Conflict,
    markdown: str,
    fence: Fence,
    audit: AuditLog | None = None,
    *,
    approval: str = "keystroke",
) -> ApplyResult:
    """Save the merge the person approved on top of *their* version (at most two requests)."""
    audit = _approved_by(audit, approval)
    _check_fence(audit, fence, proposal)
    session = _edit_session(client, proposal, conflict.base, markdown)
    session.conflict = conflict
    return await _save_edit(client, proposal, session, fence, audit)


def _edit_session(
    client: ConfluenceClient, proposal: Proposal, base: OpenedPage, text: str
) -> EditSession:
    # lazy, for start-up: workbench.services.edit_session … loads on first use
    from workbench.services.edit_session import EditSession
    from workbench.services.users import UserDirectory

    return EditSession(
        client, base, text=text, directory=UserDirectory.for_client(client), known=proposal.users
    )


async def _save_edit(
    client: ConfluenceClient,
    proposal: Proposal,
    session: EditSession,
    fence: Fence,
    audit: AuditLog | None,
) -> ApplyResult:
    """Save an edit through the editing session, and say what came of it as an :class:`ApplyResult`."""
    # lazy, for start-up: workbench.services.save_outcome loads on first use
    from workbench.services import save_outcome as so

    merging = session.conflict is not None
    base = session.base.base_version if session.base is not None else proposal.base_version
    text = session.text
    outcome = await session.save(message=commit_message(proposal))
    if isinstance(outcome, so.Saved):
        version = outcome.version
        merged = f" (merged with version {base})" if merging else f" (base {proposal.base_version})"
        audit_write(
            audit,
            fence,
            proposal,
            text,
            version,
            "written (merged)" if merging else "written",
            base=base if merging else None,
        )
        return ApplyResult(
            WRITTEN,
            f"Wrote version {version} of page {proposal.page_id}{merged}."
            + (f" {outcome.note}" if outcome.note else ""),
            new_version=version,
            written=outcome.opened,
            markdown=text,
            outcome=outcome,
        )
    if isinstance(outcome, so.NeedsMerge):
        theirs = outcome.conflict.theirs.base_version
        state = (
            "merges cleanly"
            if outcome.clean
            else f"has {outcome.conflict.merge.conflicts} conflict(s)"
        )
        audit_write(
            audit, fence, proposal, text, None, f"conflict: now version {theirs}, merge {state}"
        )
        return ApplyResult(
            CONFLICT, outcome.message, conflict=outcome.conflict, markdown=text, outcome=outcome
        )
    if isinstance(outcome, so.Gone):
        audit_write(audit, fence, proposal, text, None, f"not written: page {outcome.state}")
        return ApplyResult(GONE, outcome.message, markdown=text, outcome=outcome)
    if isinstance(outcome, so.NothingToSave):
        return ApplyResult(NOTHING, outcome.message, outcome=outcome)
    if isinstance(outcome, so.Unresolved):
        raise UsageError(outcome.message)
    if isinstance(outcome, so.TitleTaken):
        raise UsageError(outcome.message)
    audit_write(audit, fence, proposal, text, None, f"not written: {outcome.error.message}")
    raise outcome.error


def _approved_by(audit: AuditLog | None, approval: str) -> AuditLog | None:
    """The audit log whose ``write`` lines say who approved them."""
    return audit.bound(approval=approval) if audit is not None else None


def _check_fence(audit: AuditLog | None, fence: Fence, proposal: Proposal) -> None:
    checked(audit, fence, proposal, lambda: fence.check_space(proposal.space_key))
