"""``workbench delete | restore | trash``: a page to the trash (or, ``--purge``, out of it for
good), back out of it (with the children that moved up when it was deleted) or to an old version,
and the list of a space's trash. See :mod:`workbench.commands.lifecycle` for what every lifecycle
command shares (say, ``--dry-run``, confirm, ``--json``)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from workbench.commands.cat import resolve_content
from workbench.commands.lifecycle_children import children_plan, forget, remember_delete
from workbench.commands.lifecycle_steps import confirm, named_page, quoted, report
from workbench.commands.site_command import print_json, run_on_site
from workbench.errors import UsageError
from workbench.services.moved_up import put_children_back
from workbench.textsafe import printable

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.models import Page


# -- delete --------------------------------------------------------------------------------------
def run_delete(args: argparse.Namespace) -> int:
    if args.purge:
        return run_on_site(args, lambda client: _purge(args, client))

    async def work(client: ConfluenceClient) -> int:
        # lazy, for start-up: workbench.confluence.lifecycle loads on first use
        from workbench.confluence.lifecycle import check_base

        page = await named_page(client, args.page)
        plan = await client.delete_plan(page.id, kind=page.type)
        check_base(plan.page, args.base_version)
        lines = [
            f"Delete {page.type} {printable(page.id)} {quoted(page.title)} (to the space's trash)."
        ]
        if plan.children:
            where = quoted(plan.parent.title) if plan.parent else "the space's top level"
            lines.append(f"Its {len(plan.children)} child page(s) move up under {where}:")
            lines += [f"  {quoted(c.title)} ({printable(c.id)})" for c in plan.children]
        if plan.links.pages:
            lines.append(
                f"{len(plan.links.pages)} page(s) link to it (those links will lead nowhere):"
            )
            lines += [f"  {quoted(p.title)} ({printable(p.id)})" for p in plan.links.pages]
        else:
            lines.append("No page was found linking to it.")
        more = " (more candidates were not checked)" if plan.links.more else ""
        lines.append(f"Links found by: {plan.links.method}; {plan.links.checked} checked{more}.")
        data = {"action": "delete", **plan.as_json()}
        if args.dry_run:
            return report(args, {**data, "dry_run": True}, "\n".join(lines))
        print("\n".join(lines), file=sys.stderr)
        if not confirm(args, "Move it to the trash?"):
            return 1
        await client.trash_page(
            page.id, base_version=args.base_version or plan.page.version.number, kind=page.type
        )
        if problem := remember_delete(client, plan):  # for the restore: the children go back
            print(f"workbench: {printable(problem)}", file=sys.stderr)
        return report(
            args,
            {**data, "dry_run": False, "trashed": True},
            f"Moved {quoted(page.title)} to the trash. Undo: workbench restore {printable(page.id)}",
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
    say = f"Delete {quoted(trashed.title)} from the trash for good (this cannot be undone)"
    if args.dry_run:
        return report(args, {**plan, "dry_run": True}, "Would: " + say)
    if not confirm(args, say + "?"):
        return 1
    await client.purge_from_trash(trashed.id, kind=kind)
    return report(args, {**plan, "dry_run": False}, f"Deleted {quoted(trashed.title)} for good.")


# -- restore -------------------------------------------------------------------------------------
def run_restore(args: argparse.Namespace) -> int:
    if args.version is None and (args.message or args.restore_title):
        raise UsageError("--message and --restore-title go with --version N.")

    async def work(client: ConfluenceClient) -> int:
        page_id, hint = await resolve_content(client, args.page)
        if args.version is not None:
            page = await named_page(client, args.page)
            say = (
                f"Save version {args.version} of {quoted(page.title)} as its new version "
                f"{page.version.number + 1}"
            )
            plan = {"action": "restore-version", "id": page.id, "version": args.version}
            if args.dry_run:
                return report(args, {**plan, "dry_run": True}, "Would: " + say)
            if not confirm(args, say + "?"):
                return 1
            done = await client.restore_version(
                page.id,
                args.version,
                base_version=page.version.number,
                message=args.message,
                restore_title=args.restore_title,
                kind=page.type,
            )
            return report(
                args,
                {**plan, "dry_run": False, "new_version": done.version.number},
                f"Restored version {args.version} of {quoted(done.title)} as version {done.version.number}.",
            )
        trashed, kind = await _trashed(client, page_id, hint)
        if trashed is None:
            raise UsageError(
                f"{printable(page_id)} is not in the trash (restore an old version with --version N)."
            )
        out: dict[str, Any] = {"action": "restore", "id": trashed.id, "title": trashed.title}
        say = f"Take {quoted(trashed.title)} out of the trash"
        back, lines = await children_plan(args, client, trashed.id)
        if back is not None:
            out["children_back"] = [c.as_json() for c in back.children]
        if args.dry_run:
            return report(args, {**out, "dry_run": True}, "\n".join(["Would: " + say, *lines]))
        if lines:
            print("\n".join(lines), file=sys.stderr)
        going = (
            f" and put {len(back.going)} child page(s) back under it" if back and back.going else ""
        )
        if not confirm(args, say + going + "?"):
            return 1
        restored = await client.restore_from_trash(trashed.id, kind=kind)
        said = [f"Restored {quoted(restored.title)} (version {restored.version.number})."]
        if back is not None:
            moved, left = await put_children_back(client, back)
            out["children_back"] = [c.as_json() for c in moved + left]
            if moved:
                said.append(f"{len(moved)} child page(s) back under it.")
            said += [f"{quoted(c.title)} stays: {printable(c.reason)}" for c in left]
        forget(client, trashed.id)
        return report(
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
