"""``workbench attachments | attach | download``: a page's files on the command line.

- ``attachments PAGE [--json]``: name, size, type, version, who, when;
- ``attach PAGE FILE… [--comment TEXT] [--minor]``: each file becomes an attachment, or a new version
  of the attachment of that name (uploads land exactly once: ``workbench.confluence.attachments``);
- ``download PAGE NAME… [-o DIR]``: each attachment streamed into DIR (default: the current one),
  replacing a file of that name only once it is complete.

Every name is checked before anything is sent or written (a missing file or attachment: nothing is
done, exit 2 or 5). Server text goes through ``textsafe.printable``; JSON through ``json_text``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.commands.cat import read_content
from workbench.commands.site_command import print_json, run_on_site, site_command, table
from workbench.errors import UsageError
from workbench.textsafe import printable

if TYPE_CHECKING:
    from workbench.confluence.attachment_model import Attachment
    from workbench.confluence.client import ConfluenceClient

PROGRESS_FROM = 1 << 20  # show progress on a terminal for files of 1 MB and more


def register(subparsers: argparse._SubParsersAction) -> None:
    def add(
        name: str, help_: str, description: str, json: str | None = None
    ) -> argparse.ArgumentParser:
        parser = site_command(
            subparsers, name, help_, description, rate_limit_flag=False, json=json
        )
        parser.add_argument("page", metavar="PAGE", help="page or blog post id, or its URL")
        return parser

    p = add(
        "attachments",
        "list a page's attachments",
        "List the files attached to PAGE: name, size, type, version, who uploaded it and when.",
        json="print JSON instead of a table",
    )
    p.set_defaults(handler=run_attachments)

    p = add(
        "attach",
        "upload files to a page",
        "Attach each FILE to PAGE. A file whose name the page already has becomes a new version "
        "of that attachment. An upload whose answer is lost is checked, never sent twice.",
        json="print the attachments as JSON",
    )
    p.add_argument("files", metavar="FILE", nargs="+", help="the files to upload")
    p.add_argument("--comment", default="", metavar="TEXT", help="the comment of each upload")
    p.add_argument("--minor", action="store_true", help="a minor edit: Confluence notifies nobody")
    p.set_defaults(handler=run_attach)

    p = add(
        "download",
        "download a page's attachments",
        "Download the attachments NAME… of PAGE into DIR (default: the current directory). A file "
        "of the same name there is replaced only once the download is complete.",
    )
    p.add_argument("names", metavar="NAME", nargs="+", help="attachment names, as listed")
    p.add_argument("-o", "--output", default=".", metavar="DIR", help="where to write the files")
    p.set_defaults(handler=run_download)


def attachment_json(item: Attachment, authors: dict[str, str]) -> dict:
    return {
        "id": item.id,
        "title": item.title,
        "mediaType": item.media_type,
        "fileSize": item.size,
        "version": item.version,
        "author": authors.get(item.author_id) or item.who,
        "authorId": item.author_id,
        "when": item.modified_at,
        "comment": item.comment,
        "pageId": item.container_id,
    }


async def _listing(client: ConfluenceClient, text: str) -> tuple[str, str, list[Attachment]]:
    """``(page id, kind, attachments)`` for what the user typed (a page or a blog post)."""
    # lazy, for start-up: workbench.commands.cat loads the rest on first use
    from workbench.commands.cat import resolve_content

    content_id, kind = await resolve_content(client, text)

    async def read(which: str) -> list[Attachment]:
        return await client.list_attachments(content_id, kind=which)

    items, found_kind = await read_content(client, content_id, kind, read)
    return content_id, found_kind, items


async def _authors(client: ConfluenceClient, items: list[Attachment]) -> dict[str, str]:
    missing = [a.author_id for a in items if a.author_id and not a.author_name]
    if not missing:
        return {}
    # lazy, for start-up: workbench.confluence.errors loads on first use
    from workbench.confluence.errors import ConfluenceError

    try:
        users = await client.users(missing)
    except ConfluenceError:  # names are a nicety: the ids are shown instead
        return {}
    return {key: user.display_name for key, user in users.items() if user.display_name}


def run_attachments(args: argparse.Namespace) -> int:
    # lazy, for start-up: workbench.confluence.attachment_model loads on first use
    from workbench.confluence.attachment_model import size_text

    async def work(client: ConfluenceClient) -> int:
        page_id, _kind, items = await _listing(client, args.page)
        authors = await _authors(client, items)
        if args.json:
            print_json([attachment_json(a, authors) for a in items])
            return 0
        if not items:
            print(f"Page {page_id} has no attachments.")
            return 0
        rows = [
            [
                printable(a.title),
                size_text(a.size),
                printable(a.media_type),
                str(a.version),
                printable(authors.get(a.author_id) or a.who),
                printable(a.modified_at[:16].replace("T", " ")),
            ]
            for a in items
        ]
        print(table(rows, ["NAME", "SIZE", "TYPE", "VERSION", "BY", "WHEN"]))
        return 0

    return run_on_site(args, work)


def _progress(name: str):
    """A one-line progress report on stderr for a person at a terminal (None otherwise)."""
    if not sys.stderr.isatty():
        return None
    shown = printable(name)

    def report(done: int, total: int) -> None:
        if total < PROGRESS_FROM:
            return
        percent = done * 100 // max(total, 1)
        end = "\n" if done >= total else ""
        print(f"\r{shown}: {percent:3d}%", end=end, file=sys.stderr, flush=True)

    return report


def run_attach(args: argparse.Namespace) -> int:
    files = [Path(name) for name in args.files]
    for path in files:
        if not path.is_file():
            raise UsageError(f"{printable(str(path))} is not a file; nothing was uploaded.")
    names = [p.name for p in files]
    if len(set(names)) != len(names):
        raise UsageError("Two of the files have the same name; nothing was uploaded.")

    async def work(client: ConfluenceClient) -> int:
        # lazy, for start-up: workbench.confluence.attachment_model loads on first use
        from workbench.confluence.attachment_model import size_text

        page_id, kind, _items = await _listing(client, args.page)
        done = []
        for path in files:
            made = await client.upload_attachment(
                page_id,
                path,
                comment=args.comment,
                minor_edit=args.minor,
                progress=_progress(path.name),
                kind=kind,
            )
            done.append(made)
            if not args.json:
                what = "attached" if made.version == 1 else f"new version {made.version} of"
                print(
                    f"{what.capitalize()} {printable(made.title)} ({size_text(made.size)}) on page {page_id}."
                )
        if args.json:
            print_json([attachment_json(a, {}) for a in done])
        return 0

    return run_on_site(args, work)


def run_download(args: argparse.Namespace) -> int:
    folder = Path(args.output)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{printable(str(folder))} is not a directory.")

    async def work(client: ConfluenceClient) -> int:
        # lazy, for start-up: workbench.confluence.errors loads on first use
        from workbench.confluence.errors import NotFound

        page_id, _kind, items = await _listing(client, args.page)
        by_name = {a.title: a for a in items}
        missing = [n for n in args.names if n not in by_name]
        if missing:
            listed = ", ".join(printable(n) for n in missing)
            raise NotFound(
                f"Page {page_id} has no attachment named {listed}; nothing was downloaded. "
                f"'workbench attachments {page_id}' lists them.",
                status=404,
            )
        for name in args.names:
            _check_name(by_name[name].title)
        for name in dict.fromkeys(args.names):
            item = by_name[name]
            target = await client.download_attachment(
                item, folder / item.title, progress=_progress(item.title)
            )
            print(printable(str(target)))
        return 0

    return run_on_site(args, work)


def _check_name(name: str) -> None:
    """An attachment name is used as a file name: refuse one that would leave the folder."""
    if not name or "/" in name or "\\" in name or name in (".", "..") or "\0" in name:
        raise UsageError(
            f"The attachment name '{printable(name)}' cannot be used as a file name; nothing was "
            "written for it."
        )
