"""What every page-lifecycle command does around its request: the page the person named, titles
quoted as the messages show them, the confirmation (``--yes``, or "y" at a terminal; without a
terminal nothing is changed) and the report (text, or ``--json``)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from workbench.commands.cat import read_content, resolve_content
from workbench.commands.site_command import print_json
from workbench.errors import UsageError
from workbench.textsafe import printable

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.models import Page


def quoted(text: str) -> str:
    return f"“{printable(text)}”"


def confirm(args: argparse.Namespace, question: str) -> bool:
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


def report(args: argparse.Namespace, data: dict[str, Any], text: str) -> int:
    if args.json:
        print_json(data)
    else:
        print(text)
    return 0


async def named_page(client: ConfluenceClient, text: str, *, body: bool = False) -> Page:
    page_id, hint = await resolve_content(client, text)
    page, _ = await read_content(
        client, page_id, hint, lambda kind: client.get_page(page_id, body=body, kind=kind)
    )
    return page
