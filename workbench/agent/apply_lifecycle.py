"""Applying an approved move, copy, rename or delete proposal — through the client's lifecycle
methods (``workbench.confluence.lifecycle``), pinned to the version the agent saw.

The one hunk of such a proposal is the whole change: accepted, it is applied; rejected (or left
pending), nothing is written. A page that changed since ``base_version`` is refused with
:class:`~workbench.agent.apply.ApplyConflict` (nothing written); the fences are checked again here,
for the target space of a move or copy too, and a delete needs the ``delete`` group in the fence
that applies it.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from workbench.agent.apply_outcome import (
    NOTHING,
    ApplyConflict,
    ApplyResult,
    checked,
    only_as_described,
    record_refusal,
)
from workbench.agent.apply_outcome import written as written_result
from workbench.agent.proposals import COPY, DELETE, MOVE, RENAME
from workbench.confluence.errors import VersionConflict
from workbench.errors import UsageError

if TYPE_CHECKING:
    from workbench.agent.audit import AuditLog
    from workbench.agent.fences import Fence
    from workbench.agent.proposals import Proposal
    from workbench.confluence.client import ConfluenceClient

LIFECYCLE_KINDS = (MOVE, COPY, RENAME, DELETE)


async def apply_lifecycle(
    client: ConfluenceClient,
    proposal: Proposal,
    text: str,
    fence: Fence,
    audit: AuditLog | None,
) -> ApplyResult:
    if text == proposal.before or not proposal.accepted:
        return ApplyResult(NOTHING, "The change is not accepted, so nothing was written.")
    if proposal.kind != RENAME:
        only_as_described(proposal, text, f"A {proposal.kind} proposal")
    for key in {proposal.space_key, proposal.target_space} - {""}:
        checked(audit, fence, proposal, partial(fence.check_space, key))
    if proposal.kind == DELETE:
        checked(audit, fence, proposal, lambda: fence.check_tool("propose_delete"))
    page_id = proposal.page_id or ""
    base = proposal.base_version
    new_version: int | None = None
    written: object = None
    try:
        if proposal.kind == RENAME:
            page = await client.rename_page(
                page_id, text.strip(), base_version=base, kind=proposal.page_kind
            )
            done, new_version, written = (
                f"Renamed page {page_id} to \u201c{page.title}\u201d (version {page.version.number}).",
                page.version.number,
                page,
            )
        elif proposal.kind == MOVE:
            moved = await client.move_page(
                page_id, proposal.parent_id or "", position=proposal.position, base_version=base
            )
            new_version = moved.page.version.number if moved.new_version else None
            where = moved.parent_title or "the top level"
            done, written = f"Moved page {page_id} under \u201c{where}\u201d.", moved.page
        elif proposal.kind == COPY:
            plan = await client.copy_plan(
                page_id,
                proposal.parent_id or "",
                title=None if proposal.tree else (proposal.new_name or None),
                tree=proposal.tree,
                prefix=(proposal.new_name or None) if proposal.tree else None,
            )
            result = await client.copy(plan)
            done = (
                f"Copied page {page_id}: \u201c{result.title}\u201d is page {result.root_id} "
                f"({result.created} page(s))."
            )
            new_version, written = None, result
        elif proposal.kind == DELETE:
            await client.trash_page(page_id, base_version=base, kind=proposal.page_kind)
            done = f"Moved page {page_id} to the trash (restore: workbench restore {page_id})."
            new_version, written = None, None
        else:  # pragma: no cover - apply.py only sends these kinds here
            raise UsageError(f"Unknown proposal kind '{proposal.kind}'.")
    except VersionConflict as exc:
        record_refusal(audit, fence, proposal, exc.message)
        raise ApplyConflict(
            f"Page {page_id} changed since version {base}; nothing was written. "
            "Ask the agent again on the page as it is now."
        ) from exc
    return written_result(audit, fence, proposal, text, done, written, new_version)
