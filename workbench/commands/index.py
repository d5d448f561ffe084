"""``workbench sync``: copy whole spaces into the local index (search and read them offline).

The index is ``<data dir>/index/<site>.sqlite3`` (see ``workbench.index``). Progress goes to stderr
(one line redrawn in place on a terminal), or with ``--json`` as JSON lines on stdout. A sync that
is interrupted (Ctrl-C, kill, a lost network) keeps what it indexed; the next one goes on from there.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.index.events import Event


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "sync",
        help="copy whole spaces into the local index (search and read offline)",
        description="Copy spaces of a site into the local index: every page and blog post with its text, "
        "labels, version and storage, for 'workbench search --local' and 'workbench cat --offline'. "
        "The first sync reads everything; later ones only what changed (and what was deleted or "
        "moved). Personal spaces, drafts and the trash are left out unless a personal space is "
        "named. An interrupted sync keeps its work; run it again to go on.",
    )
    p.add_argument(
        "spaces",
        metavar="SPACE",
        nargs="*",
        help="space keys (default: the spaces already indexed)",
    )
    p.add_argument(
        "--all",
        dest="all_spaces",
        action="store_true",
        help="every space you can see (not personal ones)",
    )
    p.add_argument(
        "--include-personal", action="store_true", help="with --all: personal spaces too"
    )
    p.add_argument(
        "--full",
        action="store_true",
        help="also check every page of each space against the site (finds moves and deletions "
        "the quick pass cannot see; done by itself once a week)",
    )
    p.add_argument(
        "--profile",
        metavar="SITE",
        default=argparse.SUPPRESS,
        help="stored site profile to sync (see 'workbench sites')",
    )
    p.add_argument(
        "--json", action="store_true", help="progress and the result as JSON lines on stdout"
    )
    p.add_argument(
        "--status",
        action="store_true",
        help="list every site's local index (spaces, pages, size, last sync) and sync nothing",
    )
    p.set_defaults(handler=run_sync)


def run_sync(args: argparse.Namespace) -> int:
    # lazy, for start-up: asyncio, sqlite3, workbench.index.sites … loads on first use
    import asyncio
    import sqlite3

    from workbench.index.files import index_failure
    from workbench.index.sites import resolve_site

    if args.status:
        # lazy, for start-up: workbench.commands.local loads on first use
        from workbench.commands.local import run_status

        return run_status(args)
    site = resolve_site(getattr(args, "profile", None))
    try:
        return asyncio.run(_sync(args, site))
    except sqlite3.Error as exc:
        raise index_failure(site.path, exc, "syncing") from None
    except KeyboardInterrupt:
        print(
            "workbench: sync interrupted; what it indexed is kept, and 'workbench sync' goes on from there.",
            file=sys.stderr,
        )
        return 130


async def _sync(args: argparse.Namespace, site) -> int:
    # lazy, for start-up: asyncio, workbench.auth.connect … (with click, httpx …) loads on first use
    import asyncio

    from workbench.auth.connect import open_client
    from workbench.index.events import Waiting
    from workbench.index.files import WriterLock
    from workbench.index.progress import JsonLines, ProgressPrinter, space_summary
    from workbench.index.snapshot import on_disk
    from workbench.index.store import SiteIndex
    from workbench.index.sync import sync_site
    from workbench.textsafe import printable

    printer: ProgressPrinter | None = None
    lines: JsonLines | None = None
    tell: Callable[[Event], None]
    if args.json:
        tell = lines = JsonLines(sys.stdout)
    else:
        tty = sys.stderr.isatty()
        # on a terminal the line is redrawn with a carriage return, which the guard would show: the
        # raw stream gets it (every piece of server text in the line went through printable)
        tell = printer = ProgressPrinter(
            sys.__stderr__ if tty and sys.__stderr__ is not None else sys.stderr, tty=tty
        )

    def on_event(event: Event) -> None:
        tell(event)

    # The sync waits out rate limits (with a countdown) instead of failing: it is resumable anyway.
    client = open_client(getattr(args, "profile", None), wait_for_pause=True)
    client.on_wait = lambda seconds, reason: (
        on_event(Waiting(seconds, reason)) if seconds >= 1 else None
    )
    ticker = asyncio.create_task(printer.run()) if printer is not None else None
    try:
        async with client:
            with WriterLock(site.path), SiteIndex(site.path) as index:
                try:
                    result = await sync_site(
                        client,
                        index,
                        site,
                        spaces=args.spaces,
                        all_spaces=args.all_spaces,
                        include_personal=args.include_personal,
                        full=args.full,
                        on_event=on_event,
                    )
                except WorkbenchError as exc:
                    if not index.spaces():
                        raise
                    stopped = WorkbenchError(
                        f"{exc.message} The sync stopped; what it indexed is kept, and "
                        "'workbench sync' goes on from there."
                    )
                    stopped.exit_code = exc.exit_code
                    raise stopped from None
    finally:
        if ticker is not None:
            ticker.cancel()
    if lines is not None:
        lines.write(result.as_json())
        return 0
    if not result.spaces:
        print("Nothing to sync.", file=sys.stderr)
    elif printer is None:
        for space in result.spaces:
            print(space_summary(space))
    print(
        f"Synced {len(result.spaces)} space{'s' if len(result.spaces) != 1 else ''} of {printable(site.name)} "
        f"in {result.seconds:.1f} s ({result.requests} requests). Index: {on_disk(site.path)}",
        file=sys.stderr,
    )
    return 0
