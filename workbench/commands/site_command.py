"""What every command that talks to a site shares: its --profile (and --wait-rate-limit, --json)
options, running its work on a client, and printing.

The site comes from ``--profile`` or the ``CONFLUENCE_*`` environment variables (see
``workbench.auth.connect.open_client``). Server text in human output goes through
``textsafe.printable``; JSON escapes what a terminal could act on (``textsafe.json_text``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any, TypeVar

from workbench.textsafe import json_text, printable

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient

C = TypeVar("C", bound=AbstractAsyncContextManager[Any])  # a client: used in ``async with``


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
    json: str | None = None,
) -> argparse.ArgumentParser:
    """A subcommand that talks to one site: ``--profile`` (also accepted after the command, as in
    ``workbench spaces --profile work``; the root flag still works), with ``rate_limit_flag``
    ``--wait-rate-limit``, and with ``json`` (its help, e.g. "print JSON instead of a table")
    ``--json`` (``args.json``); its description ends with how the site is chosen (``site_help``)."""
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
    if json is not None:
        parser.add_argument("--json", action="store_true", help=json)
    return parser


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


# -- plumbing -------------------------------------------------------------------------------------
def run_on_site(
    args: argparse.Namespace, work: Callable[[ConfluenceClient], Awaitable[int]]
) -> int:
    # lazy, for start-up: workbench.auth.connect (with click, httpx …) loads on first use
    from workbench.auth.connect import open_client

    def connect() -> ConfluenceClient:
        options: dict[str, Any] = (
            {"wait_for_pause": True} if getattr(args, "wait_rate_limit", False) else {}
        )
        client = open_client(getattr(args, "profile", None), **options)
        if sys.stderr.isatty():
            client.on_wait = say_wait
        return client

    return run_with(connect, work)


def run_with(connect: Callable[[], C], work: Callable[[C], Awaitable[int]]) -> int:
    """Open a client (``connect()``, inside the event loop), run ``work`` on it, close it."""
    # lazy, for start-up: asyncio loads on first use
    import asyncio

    async def main() -> int:
        client = connect()
        async with client:
            return await work(client)

    return asyncio.run(main())


def say_wait(seconds: float, reason: str) -> None:
    """Tell a person at a terminal why the command pauses (rate limit, busy server)."""
    # lazy, for start-up: workbench.confluence.pauses loads on first use
    from workbench.confluence.pauses import duration

    if reason.startswith("paused by Confluence"):
        return  # not waiting: the error that follows says how long the pause lasts
    if seconds >= 1:
        print(f"workbench: {reason}; retrying in {duration(seconds)}…", file=sys.stderr, flush=True)


def print_json(data: Any) -> None:
    sys.stdout.write(json_text(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")


def write_text(text: str) -> None:
    """``text`` on standard output, ending in a newline unless it is empty."""
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")


def table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def one_line(text: str, width: int = 100) -> str:
    text = printable(" ".join(text.split()))
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
