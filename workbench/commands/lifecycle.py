"""``workbench rename | move | copy | delete | restore | trash``: the page lifecycle on the command line.

Every change first says what it will do (``--dry-run`` stops there), then asks for confirmation at a
terminal (``--yes`` answers for scripts; without a terminal and without ``--yes`` nothing is changed,
exit 2). ``--json`` prints what was planned or done as JSON. Exit codes as elsewhere: 2 bad input,
3 the page changed since ``--version`` (nothing changed), 4 no permission, 5 not found.
The requests each one sends are in ``docs/cli.md`` ("The page lifecycle").
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from workbench.commands.cat import read_content, resolve_content
from workbench.commands.lifecycle_children import (
    children_plan,
    forget,
    remember_delete,
)
from workbench.commands.site_command import SITE_HELP, print_json, run_on_site
from workbench.errors import UsageError
from workbench.services.moved_up import put_children_back
from workbench.textsafe import printable

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.models import Page


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


# -- helpers -------------------------------------------------------------------------------------
def _q(text: str) -> str:
    return f"“{printable(text)}”"


def _confirm(args: argparse.Namespace, question: str) -> bool:
    """True to go ahead: ``--yes``, or "y" at a terminal. Without a terminal: a usage error."""
    if args.yes:
        return True
    if sys.stdin is None or not sys.stdin.isatty():
        raise UsageError(
            "Not changed: confirm with --yes (or look first with --dry-run); no terminal to ask."
        )
    answer = input(f"{question} [y/N] ").strip().lower()
    if answer not in ("y", "yes"):
        print("Nothing changed.", file=sys.stderr)
        return False
    return True


def _report(args: argparse.Namespace, data: dict[str, Any], text: str) -> int:
    if args.json:
        print_json(data)
    else:
        print(text)
    return 0


async def _page(client: ConfluenceClient, text: str, *, body: bool = False) -> Page:
    page_id, hint = await resolve_content(client, text)
    page, _ = await read_content(
        client, page_id, hint, lambda kind: client.get_page(page_id, body=body, kind=kind)
    )
    return page


# -- rename --------------------------------------------------------------------------------------
def run_rename(args: argparse.Namespace) -> int:
    async def work(client: ConfluenceClient) -> int:
        page = await _page(client, args.page)
        base = args.base_version if args.base_version is not None else page.version.number
        plan = {"action": "rename", "id": page.id, "from": page.title, "to": args.title.strip()}
        plan["version"] = base
        say = f"Rename {page.type} {printable(page.id)} {_q(page.title)} → {_q(args.title.strip())}"
        say += f" (saved as version {base + 1})"
        if args.dry_run:
            return _report(args, {**plan, "dry_run": True}, "Would: " + say)
        if not _confirm(args, say + "?"):
            return 1
        done = await client.rename_page(page.id, args.title, base_version=base, kind=page.type)
        return _report(
            args,
            {**plan, "dry_run": False, "new_version": done.version.number},
            f"Renamed to {_q(done.title)} (version {done.version.number}).",
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
        page = await _page(client, args.page)
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
        say = f"Move {_q(page.title)} {words} {_q(target.title)}"
        if args.dry_run:
            return _report(
                args, {**plan, "dry_run": True}, "Would: " + say + " (with its children)"
            )
        if not _confirm(args, say + " (with its children)?"):
            return 1
        result = await client.move_page(
            page.id, target.id, position=position, base_version=args.base_version
        )
        where = _q(result.parent_title) if result.parent_title else "the space's top level"
        note = f", version {result.page.version.number}" if result.new_version else ""
        return _report(
            args,
            {**plan, "dry_run": False, **result.as_json()},
            f"Moved {_q(result.page.title)}: now under {where}{note}.",
        )

    return run_on_site(args, work)


# -- copy ----------------------------------------------------------------------------------------
def run_copy(args: argparse.Namespace) -> int:
    async def work(client: ConfluenceClient) -> int:
        page = await _page(client, args.page)
        parent = await _page(client, args.under)
        plan = await client.copy_plan(
            page.id, parent.id, title=args.title, tree=args.tree, prefix=args.prefix
        )
        lines = [f"Copy under {_q(plan.parent.title)} creates {len(plan.items)} page(s):"]
        for item in plan.items:
            taken = "   ✗ title already taken in that space" if item.clash else ""
            lines.append(
                f"  {'  ' * item.depth}{_q(item.title)}  (from {printable(item.source_id)}){taken}"
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
        if not _confirm(args, f"Create these {len(plan.items)} page(s)?"):
            return 1
        result = await client.copy(plan)
        note = f" {printable(result.note)}" if result.note else ""
        return _report(
            args,
            {"action": "copy", "dry_run": False, **plan.as_json(), "result": result.as_json()},
            f"Copied: {_q(result.title)} is page {printable(result.root_id)} ({result.created} page(s)).{note}",
        )

    return run_on_site(args, work)


# -- delete --------------------------------------------------------------------------------------
def run_delete(args: argparse.Namespace) -> int:
    if args.purge:
        return run_on_site(args, lambda client: _purge(args, client))

    async def work(client: ConfluenceClient) -> int:
        # lazy, for start-up: workbench.confluence.lifecycle loads on first use
        from workbench.confluence.lifecycle import check_base

        page = await _page(client, args.page)
        plan = await client.delete_plan(page.id, kind=page.type)
        check_base(plan.page, args.base_version)
        lines = [
            f"Delete {page.type} {printable(page.id)} {_q(page.title)} (to the space's trash)."
        ]
        if plan.children:
            where = _q(plan.parent.title) if plan.parent else "the space's top level"
            lines.append(f"Its {len(plan.children)} child page(s) move up under {where}:")
            lines += [f"  {_q(c.title)} ({printable(c.id)})" for c in plan.children]
        if plan.links.pages:
            lines.append(
                f"{len(plan.links.pages)} page(s) link to it (those links will lead nowhere):"
            )
            lines += [f"  {_q(p.title)} ({printable(p.id)})" for p in plan.links.pages]
        else:
            lines.append("No page was found linking to it.")
        more = " (more candidates were not checked)" if plan.links.more else ""
        lines.append(f"Links found by: {plan.links.method}; {plan.links.checked} checked{more}.")
        data = {"action": "delete", **plan.as_json()}
        if args.dry_run:
            return _report(args, {**data, "dry_run": True}, "\n".join(lines))
        print("\n".join(lines), file=sys.stderr)
        if not _confirm(args, "Move it to the trash?"):
            return 1
        await client.trash_page(
            page.id, base_version=args.base_version or plan.page.version.number, kind=page.type
        )
        if problem := remember_delete(client, plan):  # for the restore: the children go back
            print(f"workbench: {printable(problem)}", file=sys.stderr)
        return _report(
            args,
            {**data, "dry_run": False, "trashed": True},
            f"Moved {_q(page.title)} to the trash. Undo: workbench restore {printable(page.id)}",
        )

    return run_on_site(args, work)


async def _trashed(
    client: ConfluenceClient, page_id: str, hint: str | None
) -> tuple[Page | None, str]:
    """The trashed page (or blog post) ``page_id`` and its kind; None when it is not in the trash.
    A bare id (no ``hint``) that is no trashed page is looked for as a blog post on Cloud, where the
    two kinds have separate endpoints."""
    kind = hint or "page"
    trashed = await client.trashed_page(page_id, kind=kind)
    if trashed is None and hint is None and not client.is_dc:
        kind = "blogpost"
        trashed = await client.trashed_page(page_id, kind=kind)
    return trashed, kind


async def _purge(args: argparse.Namespace, client: ConfluenceClient) -> int:
    page_id, hint = await resolve_content(client, args.page)
    trashed, kind = await _trashed(client, page_id, hint)
    if trashed is None:
        raise UsageError(
            f"{printable(page_id)} is not in the trash: only a trashed page can be deleted for good."
        )
    plan = {"action": "purge", "id": trashed.id, "title": trashed.title}
    say = f"Delete {_q(trashed.title)} from the trash for good (this cannot be undone)"
    if args.dry_run:
        return _report(args, {**plan, "dry_run": True}, "Would: " + say)
    if not _confirm(args, say + "?"):
        return 1
    await client.purge_from_trash(trashed.id, kind=kind)
    return _report(args, {**plan, "dry_run": False}, f"Deleted {_q(trashed.title)} for good.")


# -- restore -------------------------------------------------------------------------------------
def run_restore(args: argparse.Namespace) -> int:
    if args.version is None and (args.message or args.restore_title):
        raise UsageError("--message and --restore-title go with --version N.")

    async def work(client: ConfluenceClient) -> int:
        page_id, hint = await resolve_content(client, args.page)
        if args.version is not None:
            page = await _page(client, args.page)
            say = (
                f"Save version {args.version} of {_q(page.title)} as its new version "
                f"{page.version.number + 1}"
            )
            plan = {"action": "restore-version", "id": page.id, "version": args.version}
            if args.dry_run:
                return _report(args, {**plan, "dry_run": True}, "Would: " + say)
            if not _confirm(args, say + "?"):
                return 1
            done = await client.restore_version(
                page.id,
                args.version,
                base_version=page.version.number,
                message=args.message,
                restore_title=args.restore_title,
                kind=page.type,
            )
            return _report(
                args,
                {**plan, "dry_run": False, "new_version": done.version.number},
                f"Restored version {args.version} of {_q(done.title)} as version {done.version.number}.",
            )
        trashed, kind = await _trashed(client, page_id, hint)
        if trashed is None:
            raise UsageError(
                f"{printable(page_id)} is not in the trash (restore an old version with --version N)."
            )
        out: dict[str, Any] = {"action": "restore", "id": trashed.id, "title": trashed.title}
        say = f"Take {_q(trashed.title)} out of the trash"
        back, lines = await children_plan(args, client, trashed.id)
        if back is not None:
            out["children_back"] = [c.as_json() for c in back.children]
        if args.dry_run:
            return _report(args, {**out, "dry_run": True}, "\n".join(["Would: " + say, *lines]))
        if lines:
            print("\n".join(lines), file=sys.stderr)
        going = (
            f" and put {len(back.going)} child page(s) back under it" if back and back.going else ""
        )
        if not _confirm(args, say + going + "?"):
            return 1
        restored = await client.restore_from_trash(trashed.id, kind=kind)
        said = [f"Restored {_q(restored.title)} (version {restored.version.number})."]
        if back is not None:
            moved, left = await put_children_back(client, back)
            out["children_back"] = [c.as_json() for c in moved + left]
            if moved:
                said.append(f"{len(moved)} child page(s) back under it.")
            said += [f"{_q(c.title)} stays: {printable(c.reason)}" for c in left]
        forget(client, trashed.id)
        return _report(
            args, {**out, "dry_run": False, "version": restored.version.number}, "\n".join(said)
        )

    return run_on_site(args, work)


# -- trash ---------------------------------------------------------------------------------------
def run_trash(args: argparse.Namespace) -> int:
    async def work(client: ConfluenceClient) -> int:
        space = await client.space_by_key(args.space)
        rows = await client.trash_list(space.id, space.key)
        if args.json:
            print_json(
                [
                    {"id": r.id, "type": r.type, "title": r.title, "modified_at": r.modified_at}
                    for r in rows
                ]
            )
            return 0
        if not rows:
            print(f"The trash of {printable(space.key)} is empty.")
            return 0
        # Confluence's answer has no deletion date (no such field in the v1 or v2 content
        # shapes): the date shown is the last version's, labelled so.
        print(f"{'id':>10}  {'type':<8}  {'last changed':<16}  title")
        for r in rows:
            when = printable(r.modified_at[:16].replace("T", " "))
            print(f"{printable(r.id):>10}  {r.type:<8}  {when:<16}  {printable(r.title)}")
        return 0

    return run_on_site(args, work)
