"""Applying an approved group-membership proposal (remove someone from a group, or add them).

The one hunk is the whole change: accepted, it is applied; rejected or pending, nothing is sent. The
fence that applies it must hold the ``admin`` permission group (a person who switched to a profile
without it cannot apply one made earlier). The membership is read again first: if it already is as
proposed (someone else did it meanwhile), nothing is sent and the result says so. The change itself
goes through :meth:`~workbench.confluence.people.PeopleApi.remove_member` (or ``add_member``): sent
once, a lost answer settled by reading the membership back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.agent.apply_outcome import (
    NOTHING,
    ApplyResult,
    audit_write,
    checked,
    only_as_described,
    written,
)
from workbench.agent.proposals import REMOVE_MEMBER
from workbench.confluence.people import Group, Person

if TYPE_CHECKING:
    from workbench.agent.audit import AuditLog
    from workbench.agent.fences import Fence
    from workbench.agent.proposals import Proposal
    from workbench.confluence.client import ConfluenceClient


async def apply_membership(
    client: ConfluenceClient,
    proposal: Proposal,
    text: str,
    fence: Fence,
    audit: AuditLog | None,
) -> ApplyResult:
    if text == proposal.before or not proposal.accepted:
        return ApplyResult(NOTHING, "The change is not accepted, so nothing was sent.")
    only_as_described(proposal, text, "A group membership proposal")
    checked(audit, fence, proposal, lambda: fence.check_tool("propose_membership"))
    person = Person(proposal.person_id, proposal.person_name, username=proposal.person_username)
    group = Group(proposal.group_id, proposal.group_name)
    removing = proposal.kind == REMOVE_MEMBER
    member = await client.is_member(person, group)
    if member != removing:
        state = "is no longer in" if removing else "is already in"
        said = f"{person.display_name} {state} {group.name}; nothing was sent."
        audit_write(audit, fence, proposal, text, None, said)
        return ApplyResult(NOTHING, said)
    if removing:
        change = await client.remove_member(person, group)
        done = f"Removed {person.display_name} from {group.name}."
    else:
        change = await client.add_member(person, group)
        done = f"Added {person.display_name} to {group.name}."
    if change.rechecked:
        done += " (The answer was lost; the membership was read back to confirm it.)"
    return written(audit, fence, proposal, text, done, change)
