"""``workbench spaces | search | cat | push``: content on the command line.

The site comes from ``--profile`` or the ``CONFLUENCE_*`` environment variables (see
``workbench.auth.connect.open_client``). Output is plain text for a terminal, or JSON with
``--json`` (``cat --format json``). Heavy imports happen inside the handlers.

Server text in human output (titles, names, keys, excerpts) goes through ``textsafe.printable``;
JSON escapes what a terminal could act on (``textsafe.json_text``); a page body is data, written as
it is to a file or pipe (``workbench.cli`` guards a terminal).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from workbench.commands.inputs import read_text_input
from workbench.errors import UsageError, WorkbenchError
from workbench.textsafe import json_text, printable

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.models import SearchResult

SITE_HELP = (
    "The site comes from --profile NAME, or from CONFLUENCE_URL with CONFLUENCE_USERNAME + "
    "CONFLUENCE_API_TOKEN (Cloud) or CONFLUENCE_PERSONAL_TOKEN (Data Center)."
)


def site_command(
    subparsers: argparse._SubParsersAction,
    name: str,
    help_: str,
    description: str,
    *,
    rate_limit_flag: bool = True,
    site_help: str = SITE_HELP,
) -> argparse.ArgumentParser:
    """A subcommand that talks to one site: ``--profile`` (also accepted after the command, as in
    ``workbench spaces --profile work``; the root flag still works) and, with ``rate_limit_flag``,
    ``--wait-rate-limit``; its description ends with how the site is chosen (``site_help``)."""
    parser = subparsers.add_parser(name, help=help_, description=f"{description} {site_help}")
    parser.add_argument(
        "--profile",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="stored site profile to use (see 'workbench sites')",
    )
    if rate_limit_flag:
        parser.add_argument(
            "--wait-rate-limit",
            action="store_true",
            help="if Confluence asked for a long pause (rate limit), wait it out instead of "
            "failing at once with the time left ([network] wait_rate_limit)",
        )
    return parser


def register(subparsers: argparse._SubParsersAction) -> None:
    def add(name: str, help_: str, description: str) -> argparse.ArgumentParser:
        return site_command(subparsers, name, help_, description)

    p = add(
        "spaces", "list the spaces you can see", "List the spaces you can see (key, name, type)."
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(handler=run_spaces)

    p = add(
        "search",
        "search with CQL (or plain words)",
        "Search with CQL, e.g. workbench search 'type = page and text ~ \"release\"'. "
        "Plain words (workbench search release notes) are searched as text.",
    )
    p.add_argument(
        "cql",
        metavar="CQL",
        nargs="+",
        help="the CQL query (quote it for the shell), or plain words to search the text for",
    )
    p.add_argument(
        "--limit", type=_positive, default=25, metavar="N", help="at most N results (default 25)"
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument(
        "--local",
        action="store_true",
        help="answer from the local index ('workbench sync'), without the network: plain words, or "
        "CQL made of text ~, title ~, space =, type = and label = joined by 'and'",
    )
    p.add_argument(
        "--all-sites", action="store_true", help="with --local: every site with a local index"
    )
    p.set_defaults(handler=run_search)

    p = add(
        "cat",
        "print a page",
        "Print a page as Markdown (default), storage XHTML or JSON. "
        "PAGE is a page id, a page or space URL, a tiny link or a title.",
    )
    p.add_argument(
        "page",
        metavar="PAGE",
        help="page id, a page URL (…/spaces/KEY/pages/123/…, …/viewpage.action?pageId=123, "
        "/display/KEY/Title, a tiny link …/x/AbC), a space URL (its homepage) or a page title",
    )
    p.add_argument(
        "--format",
        choices=("md", "storage", "json"),
        default="md",
        help="output format (default md)",
    )
    p.add_argument(
        "--version",
        type=_positive,
        metavar="N",
        dest="page_version",
        help="print version N instead of the current one",
    )
    p.add_argument(
        "--offline",
        action="store_true",
        help="print the copy in the local index ('workbench sync'), without the network; the "
        "copy is also used, and said to be, when the site cannot be reached",
    )
    p.set_defaults(handler=run_cat)

    p = add(
        "push",
        "save a Markdown file as a new page version",
        "Save FILE.md as the next version of PAGE. --base-version is the version your file was "
        "made from (printed by 'workbench cat'); if the page changed since, nothing is written "
        "and the exit code is 3. Unchanged parts of the page (macros, layouts) are kept exactly.",
    )
    p.add_argument(
        "page", metavar="PAGE", help="page id, page URL (any form, tiny links too) or page title"
    )
    p.add_argument("file", metavar="FILE.md", help="the Markdown file ('-' reads standard input)")
    p.add_argument(
        "--base-version",
        type=_positive,
        required=True,
        metavar="N",
        help="the page version FILE.md was made from",
    )
    p.add_argument("--message", default="", metavar="MSG", help="version message")
    p.add_argument(
        "--minor",
        action="store_true",
        help="a minor edit: Confluence does not notify the page's watchers",
    )
    p.add_argument("--title", default=None, help="new title (default: keep the title)")
    p.add_argument(
        "--restore",
        action="store_true",
        help="if the page is in the trash, take it out and save on top of it",
    )
    p.add_argument(
        "--no-attachments",
        action="store_true",
        help="do not upload the local files FILE.md points at (relative image and link paths); "
        "by default new or changed ones are uploaded before the page is saved",
    )
    p.add_argument("--json", action="store_true", help="print the saved page as JSON")
    p.set_defaults(handler=run_push)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


# -- plumbing -------------------------------------------------------------------------------------
def _run(args: argparse.Namespace, work: Callable[[ConfluenceClient], Awaitable[int]]) -> int:
    # lazy, for start-up: asyncio, workbench.auth.connect (with click, httpx …) loads on first use
    import asyncio

    from workbench.auth.connect import open_client

    async def main() -> int:
        options: dict[str, Any] = (
            {"wait_for_pause": True} if getattr(args, "wait_rate_limit", False) else {}
        )
        client = open_client(getattr(args, "profile", None), **options)
        if sys.stderr.isatty():
            client.on_wait = _say_wait
        async with client:
            return await work(client)

    return asyncio.run(main())


def _say_wait(seconds: float, reason: str) -> None:
    """Tell a person at a terminal why the command pauses (rate limit, busy server)."""
    # lazy, for start-up: workbench.confluence.pauses loads on first use
    from workbench.confluence.pauses import duration

    if reason.startswith("paused by Confluence"):
        return  # not waiting: the error that follows says how long the pause lasts
    if seconds >= 1:
        print(f"workbench: {reason}; retrying in {duration(seconds)}…", file=sys.stderr, flush=True)


def _print_json(data: Any) -> None:
    sys.stdout.write(json_text(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")


def _write_text(text: str) -> None:
    """``text`` on standard output, ending in a newline unless it is empty."""
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")


def _table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def _one_line(text: str, width: int = 100) -> str:
    text = printable(" ".join(text.split()))
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# -- spaces ---------------------------------------------------------------------------------------
def run_spaces(args: argparse.Namespace) -> int:
    async def work(client: ConfluenceClient) -> int:
        spaces = [s async for s in client.spaces()]
        if args.json:
            _print_json(
                [
                    {
                        "id": s.id,
                        "key": s.key,
                        "name": s.name,
                        "type": s.type,
                        "status": s.status,
                        "homepage_id": s.homepage_id,
                        "description": s.description,
                        "url": client.urls.web(s.webui),
                    }
                    for s in spaces
                ]
            )
            return 0
        if not spaces:
            print("No spaces are visible to this user.")
            return 0
        rows = [
            [printable(cell) for cell in (s.key, s.name, s.type, s.id)]
            for s in sorted(spaces, key=lambda s: s.key.lower())
        ]
        print(_table(rows, ["KEY", "NAME", "TYPE", "ID"]))
        return 0

    return _run(args, work)


# -- search ---------------------------------------------------------------------------------------
def run_search(args: argparse.Namespace) -> int:
    if args.local or args.all_sites:
        # lazy, for start-up: workbench.commands.local loads on first use
        from workbench.commands.local import run_local_search

        return run_local_search(args)
    # lazy, for start-up: workbench.services.search loads on first use
    from workbench.services.search import to_cql

    query = " ".join(args.cql) if isinstance(args.cql, list) else args.cql
    check = to_cql(query)  # the same rule as the TUI's search bar
    if not check.cql:
        raise UsageError(
            "The search is empty. Example: workbench search 'type = page and text ~ \"release\"'."
        )
    cql = check.cql
    if check.plain:
        print(
            f"workbench: searching {printable(cql)} (plain words are searched as text; use CQL for more).",
            file=sys.stderr,
        )
    for message, position in check.warnings:  # hints only: Confluence decides
        print(
            f"workbench: note: {printable(message)} (at character {position + 1}); sent as typed, Confluence "
            "decides.",
            file=sys.stderr,
        )

    async def work(client: ConfluenceClient) -> int:
        results: list[SearchResult] = []
        total = None
        cursor = None
        for _ in range(1000):  # bounded; each round fetches up to 100
            page = await client.search_page(
                cql, limit=min(100, args.limit - len(results)), cursor=cursor
            )
            total = page.total_size if total is None else total
            results.extend(page.results[: args.limit - len(results)])
            if len(results) >= args.limit or not page.next_cursor or not page.results:
                break
            cursor = page.next_cursor
        if args.json:
            _print_json(
                {
                    "cql": cql,
                    "total_size": total,
                    "results": [
                        {
                            "id": r.id,
                            "type": r.type,
                            "title": r.plain_title,
                            "space_key": r.space_key,
                            "space_name": r.space_name,
                            "excerpt": r.plain_excerpt,
                            "last_modified": r.last_modified,
                            "url": r.url,
                            "title_highlighted": r.title_hl,
                            "excerpt_highlighted": r.excerpt,
                        }
                        for r in results
                    ],
                }
            )
            return 0
        if not results:
            print("No results.")
            return 0
        id_width = max(len(printable(r.id)) for r in results)
        key_width = max(len(printable(r.space_key)) for r in results)
        for r in results:
            print(
                f"{printable(r.id).rjust(id_width)}  {printable(r.space_key).ljust(key_width)}  "
                f"{printable(r.plain_title)}"
                + (f"  ({printable(r.type)})" if r.type not in ("page", "") else "")
            )
            if r.plain_excerpt:
                print(f"{' ' * id_width}  {_one_line(r.plain_excerpt)}")
        shown = (
            f"{len(results)} of {total}"
            if total is not None and total > len(results)
            else f"{len(results)}"
        )
        print(f"\n{shown} result{'s' if (total or len(results)) != 1 else ''}.")
        return 0

    return _run(args, work)


# -- cat ------------------------------------------------------------------------------------------
async def resolve_page_id(client: ConfluenceClient, text: str) -> str:
    """The page id for what the user typed (an id or a URL)."""
    return (await resolve_content(client, text))[0]


async def resolve_content(client: ConfluenceClient, text: str) -> tuple[str, str | None]:
    """``(id, kind)`` for what the user typed: ``kind`` is ``blogpost`` for a blog post's URL,
    ``page`` for a page's, None for a bare id (see :func:`read_content`). An id, a page URL or a tiny
    link needs no request; a space's address opens its homepage; a title is one search
    (``workbench.services.page_refs``)."""
    # lazy, for start-up: workbench.services.page_refs loads on first use
    from workbench.services.page_refs import resolve

    found = await resolve(client, text, titles=True)
    return found.page_id, found.kind


async def read_content(client: ConfluenceClient, content_id: str, kind: str | None, read):
    """``read(kind)`` for a page, or for a blog post: a bare id (``kind`` None) that is no page is
    tried once more as a blog post on Cloud, where the two have separate endpoints (ids are shared by
    every kind of content). Data Center serves both at ``/content/{id}``. Returns ``(result, kind)``."""
    # lazy, for start-up: workbench.confluence.errors loads on first use
    from workbench.confluence.errors import NotFound

    try:
        return await read(kind or "page"), kind or "page"
    except NotFound:
        if kind is not None or client.is_dc:
            raise
    try:
        return await read("blogpost"), "blogpost"
    except NotFound:
        raise NotFound(
            f"Page {content_id} was not found (nor a blog post with that id), or you may not see it.",
            status=404,
        ) from None


def _storage_to_markdown(storage: str, users: dict[str, str] | None = None) -> str:
    try:
        # lazy, for start-up: workbench.convert loads on first use
        from workbench.convert import storage_to_markdown
    except ImportError:
        raise WorkbenchError(
            "The Markdown converter is not available in this build; use --format storage."
        ) from None
    return storage_to_markdown(storage, users=users or None)


async def _mention_names(client: ConfluenceClient, storage: str) -> dict[str, str]:
    """Names for the people ``storage`` mentions: one users request (none without mentions)."""
    # lazy, for start-up: workbench.services.users loads on first use
    from workbench.services.users import UserDirectory

    return await UserDirectory(client).mapping_for_page(storage)


def page_json(page, client: ConfluenceClient, markdown: str | None = None) -> dict:
    # lazy, for start-up: dataclasses loads on first use
    from dataclasses import asdict

    data = asdict(page)
    data["url"] = page.url or client.urls.web(page.webui)
    if markdown is not None:
        data["markdown"] = markdown
    return data


def run_cat(args: argparse.Namespace) -> int:
    # lazy, for start-up: workbench.commands.local loads on first use
    from workbench.commands.local import cat_with_fallback, run_offline_cat

    if args.offline:
        return run_offline_cat(args)

    async def work(client: ConfluenceClient) -> int:
        # lazy, for start-up: workbench.confluence.errors loads on first use
        from workbench.confluence.errors import NotFound

        page_id, hint = await resolve_content(client, args.page)
        try:
            page, _ = await read_content(
                client,
                page_id,
                hint,
                lambda kind: client.get_page(page_id, version=args.page_version, kind=kind),
            )
        except NotFound:
            if args.page_version is None:
                raise
            await _explain_missing_version(client, page_id, args.page_version, "")
            raise
        storage = page.storage or ""
        if args.format == "json":
            _print_json(page_json(page, client))
        elif args.format == "storage":
            _write_text(storage)
        else:
            try:
                users = await _mention_names(client, storage)
            except WorkbenchError as exc:  # the page is still worth showing, with account ids
                print(
                    f"workbench: mentions show account ids ({printable(exc.message)})",
                    file=sys.stderr,
                )
                users = {}
            _write_text(_storage_to_markdown(storage, users))
        if args.format != "json":
            print(
                f'Page {printable(page.id)} "{printable(page.title)}", version {page.version.number}. To save '
                f"edits: workbench push {printable(page.id)} FILE.md --base-version {page.version.number}",
                file=sys.stderr,
            )
        return 0

    return cat_with_fallback(args, lambda: _run(args, work))


async def _explain_missing_version(
    client: ConfluenceClient, page_id: str, wanted: int, then: str
) -> None:
    """After a 404 for version ``wanted``: a ``UsageError`` when the page exists but is not there yet.

    Returns (so the caller re-raises the 404) when the version should exist; a missing page raises
    its own 404 here.
    """
    current = (await client.get_page(page_id, body=False)).version.number
    if wanted > current:
        raise UsageError(
            f"Page {page_id} has no version {wanted} (it is at version {current}){then}."
        )


# -- push -----------------------------------------------------------------------------------------
_MARKUP_START = re.compile(
    r"<(\?xml|!doctype|html|body|p|h[1-6]|div|table|ul|ol|pre|blockquote|ac:|ri:)[\s>/]",
    re.IGNORECASE,
)


def _check_markdown(text: str, path: str) -> None:
    """Refuse what is plainly not Markdown (storage XHTML, a page's JSON, a binary file) or empty.

    Pushed as Markdown, such a file would replace the page's content with its escaped source; an
    empty one (often the output of a 'workbench cat' that failed) would blank the page.
    """
    name = "standard input" if path == "-" else f"'{path}'"
    if not text.strip("\ufeff \t\r\n"):
        raise UsageError(f"{name} is empty, so nothing was sent: pushing it would blank the page.")
    if "\x00" in text:
        raise UsageError(f"{name} is a binary file, not Markdown; nothing was sent.")
    head = text.lstrip("\ufeff \t\r\n")
    if _MARKUP_START.match(head) or (head.startswith("<") and ("<ac:" in head or "<ri:" in head)):
        what, fix = "storage XHTML", f"convert it first (workbench convert to-md {path} > page.md)"
    elif head.startswith("{") and '"storage"' in head[:100_000]:
        what, fix = "a page's JSON", "push the Markdown that 'workbench cat PAGE' prints"
    else:
        return
    if path == "-":
        fix = fix.replace(f" {path} ", " ")
    raise UsageError(f"{name} looks like {what}, not Markdown, so nothing was sent; {fix}.")


def run_push(args: argparse.Namespace) -> int:
    markdown = read_text_input(
        args.file, "Markdown file"
    )  # before any network: a bad file costs nothing
    _check_markdown(markdown, args.file)
    source = "standard input" if args.file == "-" else args.file

    async def work(client: ConfluenceClient) -> int:
        # lazy, for start-up: workbench.confluence.errors … loads on first use
        from workbench.confluence.errors import VersionConflict
        from workbench.services import save_outcome as so
        from workbench.services.edit_session import EditSession
        from workbench.services.users import UserDirectory, settle_mentions

        page_id, hint = await resolve_content(client, args.page)
        base = args.base_version
        directory = UserDirectory(client)
        current, opened = await _push_base(
            client, page_id, hint, base, directory, restore=args.restore, source=source
        )
        text = (
            opened.markdown if markdown.rstrip("\n") == opened.markdown.rstrip("\n") else markdown
        )
        unknown = settle_mentions(text, opened.users).unknown
        if unknown:
            who = ", ".join(f"⟦@{name}⟧" for name in unknown)
            raise UsageError(
                f"{who} names nobody mentioned on version {base} of page {page_id}, so nothing was sent; "
                "write the person's account id instead (⟦@557058:…⟧), or remove the brackets for plain text."
            )
        if not args.no_attachments:
            text = await _push_attachments(client, page_id, opened.page.type, text, args.file)
        session = EditSession(
            client, _without_new_markers(opened, text), text=text, directory=directory
        )
        if args.title:
            session.rename(args.title)
        outcome = await session.save(message=args.message, minor_edit=args.minor, seen=current)
        if isinstance(outcome, so.Saved):
            page = outcome.opened.page
            if args.json:
                _print_json(page_json(page, client))
            else:
                url = page.url or client.urls.web(page.webui)
                minor = " (a minor edit: watchers were not notified)" if args.minor else ""
                print(
                    f'Saved page {printable(page.id)} "{printable(page.title)}" as version '
                    f"{page.version.number}{minor}." + (f" {printable(url)}" if url else "")
                )
                if outcome.note:
                    print(printable(outcome.note), file=sys.stderr)
            return 0
        if isinstance(outcome, so.NothingToSave):
            print(
                f"Nothing to push: {source} is the same as version {base} of page {page_id}; nothing was sent."
            )
            return 0
        if isinstance(outcome, so.NeedsMerge):
            now = outcome.conflict.theirs.base_version
            if outcome.comments_only:
                raise VersionConflict(
                    f"Inline comments were added to page {page_id} since version {base} was read, on text "
                    f"{source} changes; nothing was overwritten. Fetch it again with 'workbench cat' (it shows "
                    "them as ⟦comment⟧…⟦/comment⟧) and redo your changes around them.",
                    current=now,
                    provided=base + 1,
                )
            raise VersionConflict(
                f"Page {page_id} changed since version {base} (now {now}); nothing was overwritten. "
                "Fetch it again with 'workbench cat' and merge your changes.",
                current=now,
                provided=base + 1,
            )
        if isinstance(outcome, so.Gone):
            raise _gone_error(page_id, outcome.state, source)
        if isinstance(outcome, so.TitleTaken):
            raise UsageError(
                f'Another page in this space is titled "{printable(outcome.title)}" (id '
                f"{outcome.existing_id}), so nothing was saved. Choose another --title."
            )
        if isinstance(outcome, so.Unresolved):
            raise UsageError(
                f"{source} still has conflict markers (<<<<<<< ======= >>>>>>>): keep what you want "
                "between them and delete the markers; nothing was sent."
            )
        raise outcome.error

    return _run(args, work)


async def _push_base(
    client: ConfluenceClient,
    page_id: str,
    hint: str | None,
    base: int,
    directory,
    *,
    restore: bool,
    source: str,
):
    """(the current page, version ``base`` of it as Markdown, names as 'workbench cat' showed them).
    One request when ``base`` is the current version (the usual case), two otherwise. A page in the
    trash is taken out of it with ``restore``, and is an error (exit 5) without it."""
    # lazy, for start-up: workbench.confluence.errors, workbench.services.pages loads on first use
    from workbench.confluence.errors import NotFound
    from workbench.services.pages import open_page, view_of

    try:
        current, kind = await read_content(
            client, page_id, hint, lambda kind: client.get_page(page_id, kind=kind)
        )
    except NotFound:
        trashed = None
        for kind in [hint] if hint or client.is_dc else ["page", "blogpost"]:
            trashed = await client.trashed_page(page_id, kind=kind or "page")
            if trashed is not None:
                break
        if trashed is None:
            raise  # deleted for good, or never there: the 404 says so
        if not restore:
            raise _gone_error(page_id, "trashed", source) from None
        current, kind = await client.restore_page(page_id, kind=trashed.type), trashed.type
        print(
            f"Took page {page_id} out of the trash (version {current.version.number}, as it was).",
            file=sys.stderr,
        )
    if base > current.version.number:
        raise UsageError(
            f"Page {page_id} has no version {base} (it is at version {current.version.number}); "
            "nothing was sent. Pass the version 'workbench cat' printed as --base-version."
        )
    if base == current.version.number:
        return current, view_of(current, await directory.mapping_for_page(current.storage or ""))
    opened = await open_page(
        client, page_id, version=base, directory=directory, learn=True, kind=kind
    )
    return current, opened


async def _push_attachments(
    client: ConfluenceClient, page_id: str, kind: str, text: str, file: str
) -> str:
    """Upload the new or changed local files the Markdown points at, before the page is saved
    (``workbench.services.attachment_sync``); says on stderr what was sent. Returns the text with
    those targets written as ``attachment:name``."""
    # lazy, for start-up: pathlib, workbench.services.attachment_sync loads on first use
    from pathlib import Path

    from workbench.commands.attachments import _progress
    from workbench.services import attachment_sync as sync

    folder = Path.cwd() if file == "-" else Path(file).resolve().parent
    files = sync.local_files(text, folder)
    steps = await sync.plan(client, page_id, files, kind=kind)
    for step in await sync.upload(client, page_id, steps, kind=kind, progress=_progress):
        if step.result is not None:
            what = (
                "attached" if step.action == sync.NEW else f"new version {step.result.version} of"
            )
            print(f"Uploaded {printable(step.file.name)} ({what}).", file=sys.stderr)
    return sync.as_attachment_targets(text, files)


def _gone_error(page_id: str, state: str, source: str) -> WorkbenchError:
    # lazy, for start-up: workbench.confluence.errors loads on first use
    from workbench.confluence.errors import NotFound

    if state == "deleted":
        return NotFound(
            f"Page {page_id} was deleted (or you may not see it any more); nothing was written and "
            f"{source} is unchanged.",
            status=404,
        )
    if state == "restored":
        return NotFound(
            f"Page {page_id} was in the trash: Confluence took it out of the trash as it was instead of "
            f"saving, so nothing of {source} was written. Push again to save it on top.",
            status=404,
        )
    return NotFound(
        f"Page {page_id} is in the trash; nothing was written and {source} is unchanged. Run the same "
        "command with --restore to take it out of the trash and save on top of it.",
        status=404,
    )


def _without_new_markers(opened, text: str):
    """The base to save ``text`` from. A file with fewer inline-comment markers than the page was
    (almost always) made before those comments were added — adding one changes the storage without a
    new version — so the base is the page without its markers, and the save puts every marker back
    around its text (``services.markers``) instead of dropping them."""
    # lazy, for start-up: dataclasses, workbench.services.markers … loads on first use
    from dataclasses import replace

    from workbench.services.markers import count_markers, strip_storage_markers
    from workbench.services.pages import view_of

    if count_markers(text) >= count_markers(opened.markdown):
        return opened
    page = replace(opened.page, storage=strip_storage_markers(opened.page.storage or ""))
    return view_of(page, opened.users)
