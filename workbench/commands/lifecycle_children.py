"""The children that moved up when a page was deleted, on the command line: ``workbench delete``
records them (:mod:`workbench.services.moved_up`), ``workbench restore`` says which go back under
the restored page and moves them (each a pinned move), ``--leave-children`` leaves them where they
are."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.commands.lifecycle_steps import quoted
from workbench.services.moved_up import (
    ChildrenBack,
    MovedUpRecord,
    children_back_plan,
)
from workbench.textsafe import printable

if TYPE_CHECKING:
    import argparse

    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.lifecycle import DeletePlan


def remember_delete(client: ConfluenceClient, plan: DeletePlan) -> str | None:
    """After a delete: keep which children moved up (for the restore). A problem to say, or None."""
    if not plan.children:
        return None
    record = MovedUpRecord.of(client)
    record.remember(
        plan.page.id, plan.page.title, plan.parent.id if plan.parent else "", plan.children
    )
    return record.problem


async def children_plan(
    args: argparse.Namespace, client: ConfluenceClient, page_id: str
) -> tuple[ChildrenBack | None, list[str]]:
    """Before a restore: the kept children of ``page_id`` and what happens to each, as lines."""
    record = MovedUpRecord.of(client)
    entry = record.get(page_id)
    lines = [printable(record.problem)] if record.problem else []
    if entry is None:
        return None, lines
    plan = await children_back_plan(client, entry)
    if args.leave_children:
        lines.append(
            f"{len(entry.children)} child page(s) moved up when it was deleted; they stay where "
            "they are (--leave-children)."
        )
        return None, lines
    if plan.going:
        lines.append(f"Its {len(plan.going)} child page(s) that moved up go back under it:")
        lines += [f"  {quoted(c.title)} ({printable(c.id)})" for c in plan.going]
    for child in plan.staying:
        lines.append(
            f"  {quoted(child.title)} ({printable(child.id)}) stays: {printable(child.reason)}"
        )
    return plan, lines


def forget(client: ConfluenceClient, page_id: str) -> None:
    MovedUpRecord.of(client).forget(page_id)
