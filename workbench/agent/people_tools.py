"""The agent's tools about people: find users, a user's groups, a group's members (permission group
``users``), and proposals to remove someone from a group or add them (permission group ``admin``,
in no built-in profile: only a profile the person composes has it).

A membership proposal never writes. Its text shows who (name, email where the site shows it, account
id), which group, and what that group reaches — every space whose permissions name it, with the
operations — so the person sees what the change grants or takes away before approving. Applying
(:mod:`workbench.agent.apply_membership`) reads the membership again first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.agent.edits import ToolInputError
from workbench.agent.proposals import ADD_MEMBER, REMOVE_MEMBER, Proposal
from workbench.agent.tool_host import ToolHost
from workbench.agent.world import one_line
from workbench.confluence.errors import NotAvailable, NotFound

if TYPE_CHECKING:
    from workbench.confluence.people import Group, Person

MEMBERS_PAGE = 50
ACTIONS = {"remove": REMOVE_MEMBER, "add": ADD_MEMBER}


def person_line(p: Person) -> str:
    email = one_line(p.email, 80) if p.email else "email hidden"
    ident = p.username or p.account_id
    return f"{one_line(p.display_name, 80)} · {email} · {one_line(ident, 80)}"


class PeopleTools(ToolHost):
    """``find_users``, ``user_groups``, ``group_members``, ``propose_membership``."""

    async def _tool_find_users(self, query: str) -> str:
        text = " ".join(str(query or "").split())
        if not text:
            raise ToolInputError("Give words of a name, an email or an account id.")
        people = await self.client.find_users(text, limit=20)
        if not people:
            return f"No user matches '{one_line(text, 80)}'."
        rows = "\n".join(person_line(p) for p in people)
        return self.data(rows, "people: name · email · account id")

    async def _tool_user_groups(self, user: str) -> str:
        person = await self.one_person(user)
        groups = await self.client.user_groups(person)
        if not groups:
            return f"{one_line(person.display_name)} is in no group."
        return f"Groups of {one_line(person.display_name)}:\n" + self.data(
            "\n".join(one_line(g.name, 120) for g in groups), "group names"
        )

    async def _tool_group_members(self, group: str, start: int = 0) -> str:
        found = await self.one_group(group)
        page = await self.client.members_page(found, start=start, limit=MEMBERS_PAGE)
        if not page.members:
            return f"Group {one_line(found.name)} has no members" + (" here." if start else ".")
        more = (
            f"\nMore: group_members(group, start={start + len(page.members)})." if page.more else ""
        )
        rows = "\n".join(person_line(p) for p in page.members)
        return self.data(rows, f"members of {one_line(found.name)}") + more

    async def _tool_propose_membership(
        self, user: str, group: str, action: str = "remove", summary: str = ""
    ) -> Proposal:
        kind = ACTIONS.get(str(action))
        if kind is None:
            raise ToolInputError("action is remove or add.")
        person = await self.one_person(user)
        found = await self.one_group(group)
        member = await self.client.is_member(person, found)
        if kind == REMOVE_MEMBER and not member:
            raise ToolInputError(
                f"{one_line(person.display_name)} is not in group {one_line(found.name)}; "
                "nothing to remove."
            )
        if kind == ADD_MEMBER and member:
            raise ToolInputError(
                f"{one_line(person.display_name)} is in group {one_line(found.name)} already."
            )
        reach = await self.reach_lines(found)
        who = person_line(person)
        now = f"{who}: member of {one_line(found.name)}\n"
        not_now = f"{who}: not a member of {one_line(found.name)}\n"
        before, after = (now, not_now) if kind == REMOVE_MEMBER else (not_now, now)
        verb = "Remove" if kind == REMOVE_MEMBER else "Add"
        where = "from" if kind == REMOVE_MEMBER else "to"
        return Proposal(
            kind=kind,
            summary=summary.strip()
            or f"{verb} {one_line(person.display_name, 60)} {where} {one_line(found.name, 60)}",
            before=reach + before,
            after=reach + after,
            described=reach + after,
            person_id=person.account_id,
            person_name=person.display_name,
            person_username=person.username,
            group_id=found.id,
            group_name=found.name,
        )

    async def reach_lines(self, group: Group) -> str:
        """What the group reaches, as lines of text (or why that cannot be told)."""
        name = one_line(group.name)
        try:
            grants = await self.client.group_reach(group)
        except NotAvailable as exc:
            return f"What group {name} reaches: unknown ({exc.message})\n"
        if not grants:
            return f"Group {name} is named in no space's permissions.\n"
        lines = [f"Group {name} reaches {len(grants)} space(s):"]
        for g in sorted(grants, key=lambda g: g.space.key):
            flag = " (ADMINISTERS the space)" if g.administers else ""
            lines.append(
                f"  {one_line(g.space.key, 40)} {one_line(g.space.name, 60)}: "
                f"{', '.join(g.operations)}{flag}"
            )
        return "\n".join(lines) + "\n"

    async def one_person(self, user: str) -> Person:
        text = " ".join(str(user or "").split())
        if not text:
            raise ToolInputError("Give the person: an account id, or words of their name.")
        people = await self.client.find_users(text, limit=10)
        exact = [p for p in people if p.display_name.lower() == text.lower()]
        if len(exact) == 1:
            return exact[0]
        if len(people) == 1:
            return people[0]
        if not people:
            raise ToolInputError(f"No user matches '{one_line(text, 80)}'; try find_users.")
        names = "; ".join(person_line(p) for p in people[:5])
        raise ToolInputError(
            f"'{one_line(text, 80)}' matches several people ({names}); give the id."
        )

    async def one_group(self, group: str) -> Group:
        name = " ".join(str(group or "").split())
        if not name:
            raise ToolInputError("Give the group's name.")
        try:
            return await self.client.group_named(name)
        except NotFound:
            raise ToolInputError(
                f"There is no group named '{one_line(name, 80)}'; user_groups lists a person's groups."
            ) from None
