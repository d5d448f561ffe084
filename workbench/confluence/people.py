"""People and groups: find users (name, email where the site shows it, account id), a user's groups,
a group's members (paged), what a group reaches (spaces and permissions), and membership changes.

Cloud uses the v1 people endpoints (``/search/user`` with ``user.fullname ~``, ``/user?accountId=``,
``/user/memberof``, ``/group/by-name``, ``/group/{id}/membersByGroupId``, ``/group/userByGroupId``)
and v2 ``/spaces/{id}/permissions``. Data Center names users by username and groups by name
(``/user?username=``, ``/group/{name}/member``); it has no user search and no space permissions by
group in its REST API, and membership changes only from 8.4 on (``/user/{username}/group/{name}``):
where a site has no endpoint the client says so (:class:`NotAvailable`) instead of guessing.

Membership changes land exactly once: the request is sent once; when its answer is lost (a broken
connection, a 5xx) the membership is read back and decides — never a blind second request.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

from workbench.confluence import parse_v2
from workbench.confluence.core import V2_PAGE_SIZE, ClientCore
from workbench.confluence.errors import (
    ConfluenceError,
    NetworkError,
    NotAvailable,
    NotFound,
    PermissionDenied,
)
from workbench.confluence.models import Space
from workbench.confluence.parse_v2 import obj, sid
from workbench.confluence.urls import segment
from workbench.confluence.writes import is_ambiguous

#: Group members are listed 200 at a time at most (the v1 spec: "400 if given limit is greater than 200").
MEMBERS_PAGE = 200
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: Cloud account ids: ``557058:uuid``, ``70121:…`` or 24 hex digits.
_ACCOUNT_ID = re.compile(r"^(\d+:[0-9a-fA-F-]{8,}|[0-9a-f]{24})$")


@dataclass(frozen=True, slots=True)
class Person:
    account_id: str  # Cloud: the account id; Data Center: the user key
    display_name: str
    email: str = ""  # "" when the site does not show it
    username: str = ""  # Data Center only


@dataclass(frozen=True, slots=True)
class Group:
    id: str  # Data Center: the name (DC groups have no id)
    name: str


@dataclass(frozen=True, slots=True)
class SpaceGrant:
    """What a group may do in one space: operations as ``read space``, ``create page``…"""

    space: Space
    operations: tuple[str, ...]

    @property
    def administers(self) -> bool:
        return "administer space" in self.operations


@dataclass(frozen=True, slots=True)
class MembersPage:
    members: tuple[Person, ...]
    start: int
    more: bool  # another page follows (``start + len(members)``)


@dataclass(frozen=True, slots=True)
class MembershipChange:
    """What a membership change did: ``changed`` False when it already was so (nothing sent twice)."""

    person: Person
    group: Group
    added: bool  # True: added; False: removed
    changed: bool
    rechecked: bool = False  # the answer was lost and the membership was read back


def person(d: dict) -> Person:
    return Person(
        account_id=sid(d.get("accountId") or d.get("userKey") or d.get("username")),
        display_name=str(d.get("displayName") or d.get("publicName") or d.get("username") or ""),
        email=str(d.get("email") or ""),
        username=str(d.get("username") or ""),
    )


def group(d: dict) -> Group:
    name = str(d.get("name") or "")
    return Group(id=str(d.get("id") or name), name=name)


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(text.strip()))


def looks_like_account_id(text: str) -> bool:
    return bool(_ACCOUNT_ID.match(text.strip()))


class PeopleApi(ClientCore):
    # -- users --------------------------------------------------------------------------------
    async def find_users(self, query: str, *, limit: int = 25) -> list[Person]:
        """Users matching ``query``: an account id (Cloud) or username (Data Center) exactly, an email
        where the site shows emails, otherwise names whose words start with the words searched for.
        ``[]`` when nobody matches."""
        text = " ".join(query.split())
        if not text:
            return []
        if self.is_dc:
            return await self._dc_find(text)
        if looks_like_account_id(text):
            try:
                return [await self.user(text)]
            except NotFound:
                return []
        if is_email(text):
            # Cloud's user search matches names; an email is matched on the users its local part
            # finds, and only where the site shows their email (privacy settings may hide it).
            words = re.sub(r"[._+-]+", " ", text.split("@")[0]).strip()
            found = await self._search(words, limit=100) if words else []
            return [p for p in found if p.email.lower() == text.lower()][:limit]
        return await self._search(text, limit=limit)

    async def _search(self, words: str, *, limit: int) -> list[Person]:
        out: list[Person] = []
        # lazy, for start-up: workbench.confluence.cql (the CQL parser) loads on first use
        from workbench.confluence.cql import quote_string

        params = {"cql": f"user.fullname ~ {quote_string(words)}", "limit": min(limit, 100)}
        async for item in self._paginate(
            self.urls.v1("/search/user"), params, lambda d: d, what="the user search", search=True
        ):
            user = obj(item.get("user"))
            if user and user.get("accountType") != "app":
                out.append(person(user))
            if len(out) >= limit:
                break
        return out

    async def _dc_find(self, text: str) -> list[Person]:
        if is_email(text):
            raise NotAvailable(
                "Data Center's REST API does not look users up by email; give the username "
                "(the name they log in with)."
            )
        try:
            return [await self.user(text)]
        except NotFound:
            if " " in text:
                raise NotAvailable(
                    "Data Center's REST API has no search of users by name; give the exact "
                    "username (the name they log in with)."
                ) from None
            return []

    async def user(self, who: str) -> Person:
        """One user: Cloud by account id; Data Center by username (or user key). NotFound if none."""
        if self.is_dc:
            params = {"username": who}
        else:
            params = {"accountId": who}
        data = await self._get(self.urls.v1("/user"), params, what=f"user {who}")
        return person(data)

    # -- groups -------------------------------------------------------------------------------
    async def groups(self) -> list[Group]:
        """Every group of the site, by name."""
        return [
            g
            async for g in self._paginate(
                self.urls.v1("/group"), {"limit": MEMBERS_PAGE}, group, what="the groups"
            )
        ]

    async def group_named(self, name: str) -> Group:
        """A group by name (NotFound when there is none)."""
        if self.is_dc:
            url, params = self.urls.v1(f"/group/{segment(name)}"), None
        else:
            url, params = self.urls.v1("/group/by-name"), {"name": name}
        return group(await self._get(url, params, what=f"group {name}"))

    async def user_groups(self, who: Person | str) -> list[Group]:
        """The groups a user is a member of, by name."""
        key = _key(who, self.is_dc)
        params = {"username" if self.is_dc else "accountId": key, "limit": MEMBERS_PAGE}
        return [
            g
            async for g in self._paginate(
                self.urls.v1("/user/memberof"), params, group, what=f"the groups of {key}"
            )
        ]

    async def members_page(self, grp: Group, *, start: int = 0, limit: int = 50) -> MembersPage:
        """One page of a group's members (``start``/``limit``; at most 200 a page)."""
        limit = max(1, min(limit, MEMBERS_PAGE))
        data = await self._get(
            self._members_url(grp),
            {"start": max(0, start), "limit": limit},
            what=f"the members of {grp.name}",
        )
        results = data.get("results")
        items = (
            [person(d) for d in results if isinstance(d, dict)] if isinstance(results, list) else []
        )
        return MembersPage(tuple(items), start, bool(obj(data.get("_links")).get("next")))

    async def members(self, grp: Group) -> AsyncIterator[Person]:
        """Every member of a group, page after page."""
        async for p in self._paginate(
            self._members_url(grp),
            {"limit": MEMBERS_PAGE},
            person,
            what=f"the members of {grp.name}",
        ):
            yield p

    def _members_url(self, grp: Group) -> str:
        if self.is_dc:
            return self.urls.v1(f"/group/{segment(grp.name)}/member")
        return self.urls.v1(f"/group/{segment(grp.id)}/membersByGroupId")

    async def is_member(self, who: Person | str, grp: Group) -> bool:
        return any(g.id == grp.id or g.name == grp.name for g in await self.user_groups(who))

    # -- what a group reaches -----------------------------------------------------------------
    async def group_reach(self, grp: Group) -> list[SpaceGrant]:
        """The spaces whose permissions name the group, with what it may do there (Cloud: v2
        ``/spaces/{id}/permissions`` of every space the caller sees)."""
        if self.is_dc:
            raise NotAvailable(
                "Data Center's REST API does not list space permissions by group; see the space "
                "permissions in the administration pages."
            )
        spaces = [
            s
            async for s in self._paginate(
                self.urls.v2("/spaces"),
                {"limit": V2_PAGE_SIZE},
                parse_v2.space,
                what="spaces",
            )
        ]
        grants = await asyncio.gather(*(self._space_grant(s, grp) for s in spaces))
        return [g for g in grants if g is not None]

    async def _space_grant(self, space: Space, grp: Group) -> SpaceGrant | None:
        operations: list[str] = []
        async for item in self._paginate(
            self.urls.v2(f"/spaces/{segment(space.id)}/permissions"),
            {"limit": V2_PAGE_SIZE},
            lambda d: d,
            what=f"the permissions of space {space.key}",
        ):
            principal = obj(item.get("principal"))
            if principal.get("type") == "group" and str(principal.get("id")) == grp.id:
                op = obj(item.get("operation"))
                operations.append(f"{op.get('key', '')} {op.get('targetType', '')}".strip())
        return SpaceGrant(space, tuple(dict.fromkeys(operations))) if operations else None

    # -- membership changes -------------------------------------------------------------------
    async def remove_member(self, who: Person, grp: Group) -> MembershipChange:
        """Remove ``who`` from ``grp`` exactly once (site admins only: others get PermissionDenied)."""
        return await self._change(who, grp, add=False)

    async def add_member(self, who: Person, grp: Group) -> MembershipChange:
        """Add ``who`` to ``grp`` exactly once (site admins only)."""
        return await self._change(who, grp, add=True)

    async def _change(self, who: Person, grp: Group, *, add: bool) -> MembershipChange:
        verb = "add" if add else "remove"
        name = who.display_name or who.account_id
        what = f"adding {name} to {grp.name}" if add else f"removing {name} from {grp.name}"
        try:
            await self._send_change(who, grp, add=add, what=what)
        except PermissionDenied:
            raise PermissionDenied(
                f"Confluence refused {what}: only site admins can change group memberships.",
                status=403,
            ) from None
        except NotFound as exc:
            if self.is_dc:
                raise NotAvailable(
                    f"This Data Center has no REST endpoint to {verb} group members (it came with "
                    "8.4); change it in the user administration pages."
                ) from exc
            raise
        except ConfluenceError as exc:
            if not is_ambiguous(exc):
                raise
            try:
                member = await self.is_member(who, grp)
            except (NetworkError, ConfluenceError) as again:
                raise NetworkError(
                    f"No answer came back for {what}, and reading the membership back failed too: "
                    "it may or may not have happened. Check the group before trying again."
                ) from again
            if member != add:
                raise NetworkError(
                    f"No answer came back for {what}, and the membership is unchanged: it did not "
                    "happen. Nothing was sent twice; try again."
                ) from exc
            return MembershipChange(who, grp, add, True, rechecked=True)
        return MembershipChange(who, grp, add, True)

    async def _send_change(self, who: Person, grp: Group, *, add: bool, what: str) -> None:
        if self.is_dc:
            username = who.username or who.account_id
            url = self.urls.v1(f"/user/{segment(username)}/group/{segment(grp.name)}")
            await self._send("PUT" if add else "DELETE", url, what=what)
        elif add:
            await self._send(
                "POST",
                self.urls.v1("/group/userByGroupId"),
                params={"groupId": grp.id},
                json={"accountId": who.account_id},
                what=what,
            )
        else:
            await self._send(
                "DELETE",
                self.urls.v1("/group/userByGroupId"),
                params={"groupId": grp.id, "accountId": who.account_id},
                what=what,
            )


def _key(who: Person | str, dc: bool) -> str:
    if isinstance(who, str):
        return who
    return (who.username or who.account_id) if dc else who.account_id


__all__ = [
    "Group",
    "MembersPage",
    "MembershipChange",
    "PeopleApi",
    "Person",
    "SpaceGrant",
    "is_email",
]
