"""``workbench rename | move | copy | delete | restore | trash``: the page lifecycle on the command line.

Every change first says what it will do (``--dry-run`` stops there), then asks for confirmation at a
terminal (``--yes`` answers for scripts; without a terminal and without ``--yes`` nothing is changed,
exit 2). ``--json`` prints what was planned or done as JSON. Exit codes as elsewhere: 2 bad input,
3 the page changed since ``--version`` (nothing changed), 4 no permission, 5 not found.
The requests each one sends are in ``docs/cli.md`` ("The page lifecycle").

Here: the commands' arguments, ``rename``, ``move`` and ``copy``; the trash side (``delete``,
``restore``, ``trash``) is :mod:`~workbench.commands.lifecycle_trash`.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from workbench.commands.cat import resolve_content
from workbench.commands.lifecycle_steps import confirm, named_page, quoted, report
from workbench.commands.lifecycle_trash import run_delete, run_restore, run_trash
from workbench.commands.site_command import SITE_HELP, print_json, run_on_site
from workbench.errors import UsageError
from workbench.textsafe import printable

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient


def register(subparsers: argparse._SubParsersAction) -> None:
    def add(name: str, help_: str, description: str, *, change: bool = True) -> Any:
        p = subparsers.add_parser(name, help=help_, description=f"{description} {SITE_HELP}")
        p.add_argument("--profile", metavar="NAME", default=argparse.SUPPRESS, help="site profile")
        p.add_argument("--json", action="store_true", help="print JSON instead of text")
        if change:
            p.add_argument(
                "--dry-run", action="store_true", help="say what would happen; change nothing"
            )
            p.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
        return p

    def page_arg(p: Any) -> None:
        p.add_argument("page", metavar="PAGE", help="page id or URL")

    def version_arg(p: Any, what: str) -> None:
        p.add_argument(
            "--version",
            dest="base_version",
            type=int,
            metavar="N",
            help=f"refuse (exit 3) unless the page is still at version N: {what}",
        )

    p = add("rename", "give a page a new title", "Rename a page: one save pinned to its version.")
    page_arg(p)
    p.add_argument("title", metavar="TITLE", help="the new title")
    version_arg(p, "the rename is saved as version N + 1")
    p.set_defaults(handler=run_rename)

    p = add(
        "move",
        "move a page under another, or next to a sibling",
        "Move a page (with its children): --under PARENT, or --before/--after SIBLING to reorder "
        "or to place it next to a page elsewhere (Cloud).",
    )
    page_arg(p)
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--under", metavar="PAGE", help="the new parent: a page, or (Cloud) a folder (it goes last)"
    )
    where.add_argument("--before", metavar="PAGE", help="put it just before this page")
    where.add_argument("--after", metavar="PAGE", help="put it just after this page")
    version_arg(p, "checked before the move")
    p.set_defaults(handler=run_move)

    p = add(
        "copy",
        "copy a page (or a page tree) under another page",
        "Copy a page, or with --tree the page and everything below it, under --under PARENT.",
    )
    page_arg(p)
    p.add_argument("--under", metavar="PAGE", required=True, help="the copy's parent page")
    p.add_argument("--title", help="the copy's title (one page; default: the same, or 'Copy of …')")
    p.add_argument("--tree", action="store_true", help="copy the page with all its descendants")
    p.add_argument("--prefix", help="prefix for every copied title (--tree; default 'Copy of ')")
    p.set_defaults(handler=run_copy)

    p = add(
        "delete",
        "move a page to the trash",
        "Move a page to the space's trash (restore it with 'workbench restore'). Says first which "
        "children move up to its parent and which pages link to it.",
    )
    page_arg(p)
    version_arg(p, "checked before the delete")
    p.add_argument(
        "--purge",
        action="store_true",
        help="delete a page that is already in the trash for good (space admins; cannot be undone)",
    )
    p.set_defaults(handler=run_delete)

    p = add(
        "restore",
        "take a page out of the trash, or restore an old version",
        "Take a trashed page out of the trash; with --version N, save version N's text as the "
        "page's new version instead.",
    )
    page_arg(p)
    p.add_argument(
        "--version", dest="version", type=int, metavar="N", help="the old version to restore"
    )
    p.add_argument("--message", default="", help="the new version's message (--version)")
    p.add_argument("--restore-title", action="store_true", help="also bring back its title")
    p.add_argument(
        "--leave-children",
        action="store_true",
        help="leave the children that moved up when it was deleted where they are",
    )
    p.set_defaults(handler=run_restore)

    p = add("trash", "list a space's trash", "List a space's trashed pages.", change=False)
    p.add_argument("space", metavar="SPACE", help="space key")
    p.set_defaults(handler=run_trash)


# -- rename --------------------------------------------------------------------------------------
def run_rename(args: argparse.Namespace) -> int:
    async def work(client: ConfluenceClient) -> int:
        page = await named_page(client, args.page)
        base = args.base_version if args.base_version is not None else page.version.number
        plan = {"action": "rename", "id": page.id, "from": page.title, "to": args.title.strip()}
        plan["version"] = base
        say = f"Rename {page.type} {printable(page.id)} {quoted(page.title)} → {quoted(args.title.strip())}"
        say += f" (saved as version {base + 1})"
        if args.dry_run:
            return report(args, {**plan, "dry_run": True}, "Would: " + say)
        if not confirm(args, say + "?"):
            return 1
        done = await client.rename_page(page.id, args.title, base_version=base, kind=page.type)
        return report(
            args,
            {**plan, "dry_run": False, "new_version": done.version.number},
            f"Renamed to {quoted(done.title)} (version {done.version.number}).",
        )

    return run_on_site(args, work)


# -- move ----------------------------------------------------------------------------------------
def run_move(args: argparse.Namespace) -> int:
    position, target_text = (
        ("append", args.under)
        if args.under
        else ("before", args.before)
        if args.before
        else ("after", args.after)
    )

    async def work(client: ConfluenceClient) -> int:
        page = await named_page(client, args.page)
        target = await client.move_target((await resolve_content(client, target_text))[0])
        await client.check_move_target(page, target)  # refused before a dry run says "Would"
        words = {"append": "under", "before": "before", "after": "after"}[position]
        if target.type == "folder":  # Cloud: a folder as the parent (Confluence's move request)
            words = {"append": "into the folder", "before": "before the folder"}.get(
                position, "after the folder"
            )
        plan = {
            "action": "move",
            "id": page.id,
            "title": page.title,
            "position": position,
            "target": {"id": target.id, "title": target.title, "type": target.type},
        }
        say = f"Move {quoted(page.title)} {words} {quoted(target.title)}"
        if args.dry_run:
            return report(args, {**plan, "dry_run": True}, "Would: " + say + " (with its children)")
        if not confirm(args, say + " (with its children)?"):
            return 1
        result = await client.move_page(
            page.id, target.id, position=position, base_version=args.base_version
        )
        where = quoted(result.parent_title) if result.parent_title else "the space's top level"
        note = f", version {result.page.version.number}" if result.new_version else ""
        return report(
            args,
            {**plan, "dry_run": False, **result.as_json()},
            f"Moved {quoted(result.page.title)}: now under {where}{note}.",
        )

    return run_on_site(args, work)


# -- copy ----------------------------------------------------------------------------------------
def run_copy(args: argparse.Namespace) -> int:
    async def work(client: ConfluenceClient) -> int:
        page = await named_page(client, args.page)
        parent = await named_page(client, args.under)
        plan = await client.copy_plan(
            page.id, parent.id, title=args.title, tree=args.tree, prefix=args.prefix
        )
        lines = [f"Copy under {quoted(plan.parent.title)} creates {len(plan.items)} page(s):"]
        for item in plan.items:
            taken = "   ✗ title already taken in that space" if item.clash else ""
            lines.append(
                f"  {'  ' * item.depth}{quoted(item.title)}  (from {printable(item.source_id)}){taken}"
            )
        if args.dry_run or plan.clashes:
            if args.json:
                print_json({"action": "copy", "dry_run": True, **plan.as_json()})
            else:
                print("\n".join(lines))
            if plan.clashes:
                raise UsageError(
                    "Nothing was copied: some titles are taken; choose --title or --prefix."
                )
            return 0
        print("\n".join(lines), file=sys.stderr)
        if not confirm(args, f"Create these {len(plan.items)} page(s)?"):
            return 1
        result = await client.copy(plan)
        note = f" {printable(result.note)}" if result.note else ""
        return report(
            args,
            {"action": "copy", "dry_run": False, **plan.as_json(), "result": result.as_json()},
            f"Copied: {quoted(result.title)} is page {printable(result.root_id)} ({result.created} page(s)).{note}",
        )

    return run_on_site(args, work)
