"""``workbench users SEARCH`` and ``workbench groups [USER]``: people and groups on the command line.

``users`` finds people by name (words the name starts with), email (where the site shows emails) or
account id (Data Center: the username). ``groups`` lists the site's groups, a user's groups, or with
``--members GROUP`` a group's members a page at a time. Server text goes through
``textsafe.printable``; ``--json`` prints data.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from workbench.commands.site_command import print_json, run_on_site, site_command, table
from workbench.errors import UsageError, WorkbenchError
from workbench.textsafe import printable

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.people import Group, Person


class NoSuchUser(WorkbenchError):
    exit_code = 5


def register(subparsers: argparse._SubParsersAction) -> None:
    def add(name: str, help_: str, description: str) -> argparse.ArgumentParser:
        return site_command(
            subparsers,
            name,
            help_,
            description,
            rate_limit_flag=False,
            json="print JSON instead of a table",
        )

    p = add(
        "users",
        "find people by name, email or account id",
        "Find people: SEARCH is words their name starts with (e.g. 'pri' or 'priya raman'), an email "
        "(found only where the site shows emails), or an account id (Data Center: the username).",
    )
    p.add_argument("search", metavar="SEARCH", nargs="+", help="name words, an email or an id")
    p.add_argument("--limit", type=int, default=25, metavar="N", help="at most N people (25)")
    p.set_defaults(handler=run_users)

    p = add(
        "groups",
        "list groups, a user's groups, or a group's members",
        "Without USER: the site's groups. With USER (as for 'workbench users'; it must match one "
        "person): that person's groups. With --members GROUP: the group's members, a page at a time.",
    )
    p.add_argument("user", metavar="USER", nargs="*", help="name words, an email or an id")
    p.add_argument("--members", metavar="GROUP", help="list the members of the group GROUP")
    p.add_argument(
        "--reach",
        metavar="GROUP",
        help="the spaces whose permissions name GROUP, with what it may do there (Cloud)",
    )
    p.add_argument("--start", type=int, default=0, metavar="N", help="with --members: skip N")
    p.add_argument("--limit", type=int, default=50, metavar="N", help="with --members: page size")
    p.set_defaults(handler=run_groups)


def _person_json(p: Person) -> dict[str, Any]:
    return {
        "account_id": p.account_id,
        "display_name": p.display_name,
        "email": p.email or None,
        "username": p.username or None,
    }


def _people_table(people: list[Person], dc: bool) -> str:
    if dc:
        rows = [[printable(p.display_name), printable(p.username)] for p in people]
        return table(rows, ["NAME", "USERNAME"])
    rows = [
        [printable(p.display_name), printable(p.email) or "(hidden)", printable(p.account_id)]
        for p in people
    ]
    return table(rows, ["NAME", "EMAIL", "ACCOUNT ID"])


def run_users(args: argparse.Namespace) -> int:
    search = " ".join(args.search).strip()
    if not search:
        raise UsageError("Give words of a name, an email or an account id to search for.")
    if args.limit < 1:
        raise UsageError("--limit must be 1 or more.")

    async def work(client: ConfluenceClient) -> int:
        people = await client.find_users(search, limit=args.limit)
        if args.json:
            print_json([_person_json(p) for p in people])
            return 0
        if not people:
            print(f"No user matches '{printable(search)}'.")
            return 0
        print(_people_table(people, client.is_dc))
        return 0

    return run_on_site(args, work)


async def one_person(client: ConfluenceClient, search: str) -> Person:
    """Exactly one person for ``search``; a clear error for none or several."""
    people = await client.find_users(search, limit=10)
    if not people:
        raise NoSuchUser(f"No user matches '{printable(search)}'.")
    exact = [p for p in people if p.display_name.lower() == search.lower()]
    if len(people) > 1 and len(exact) != 1:
        names = ", ".join(
            f"{printable(p.display_name)} ({printable(p.username or p.account_id)})" for p in people
        )
        raise UsageError(f"'{printable(search)}' matches several people: {names}. Be more exact.")
    return exact[0] if len(people) > 1 else people[0]


def _groups_out(groups: list[Group], as_json: bool, empty: str, dc: bool) -> None:
    if as_json:
        print_json([{"id": None if dc else g.id, "name": g.name} for g in groups])
    elif not groups:
        print(empty)
    elif dc:
        print(table([[printable(g.name)] for g in groups], ["GROUP"]))
    else:
        print(table([[printable(g.name), printable(g.id)] for g in groups], ["GROUP", "ID"]))


def run_groups(args: argparse.Namespace) -> int:
    who = " ".join(args.user).strip()
    if sum(map(bool, (who, args.members, args.reach))) > 1:
        raise UsageError("Give one of USER (their groups), --members GROUP or --reach GROUP.")
    if args.start < 0 or not 1 <= args.limit <= 200:
        raise UsageError("--start must be 0 or more and --limit between 1 and 200.")

    async def work(client: ConfluenceClient) -> int:
        if args.members:
            return await _members(client, args)
        if args.reach:
            return await _reach(client, args)
        if who:
            person = await one_person(client, who)
            groups = await client.user_groups(person)
            name = printable(person.display_name)
            _groups_out(groups, args.json, f"{name} is in no group.", client.is_dc)
            return 0
        _groups_out(await client.groups(), args.json, "The site has no groups.", client.is_dc)
        return 0

    return run_on_site(args, work)


async def _members(client: ConfluenceClient, args: argparse.Namespace) -> int:
    group = await client.group_named(args.members)
    page = await client.members_page(group, start=args.start, limit=args.limit)
    people = list(page.members)
    if args.json:
        print_json(
            {
                "group": {"id": None if client.is_dc else group.id, "name": group.name},
                "start": page.start,
                "members": [_person_json(p) for p in people],
                "next_start": page.start + len(people) if page.more else None,
            }
        )
        return 0
    if not people:
        print(f"{printable(group.name)} has no members" + (" here." if args.start else "."))
        return 0
    print(_people_table(people, client.is_dc))
    if page.more:
        print(f"More: workbench groups --members {args.members} --start {page.start + len(people)}")
    return 0


async def _reach(client: ConfluenceClient, args: argparse.Namespace) -> int:
    group = await client.group_named(args.reach)
    grants = sorted(await client.group_reach(group), key=lambda g: g.space.key.lower())
    if args.json:
        print_json(
            [
                {
                    "space_key": g.space.key,
                    "space_name": g.space.name,
                    "space_id": g.space.id,
                    "operations": list(g.operations),
                }
                for g in grants
            ]
        )
        return 0
    if not grants:
        print(f"No space's permissions name {printable(group.name)}.")
        return 0
    rows = [
        [printable(g.space.key), printable(g.space.name), ", ".join(g.operations)] for g in grants
    ]
    print(table(rows, ["SPACE", "NAME", "MAY"]))
    return 0
