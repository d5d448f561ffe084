"""``workbench spaces | search | cat | push``: content on the command line — their arguments here,
their work in :mod:`~workbench.commands.search`, :mod:`~workbench.commands.cat` and
:mod:`~workbench.commands.push`. ``site_command`` (:mod:`~workbench.commands.site_command`) is also
importable from here.

The site comes from ``--profile`` or the ``CONFLUENCE_*`` environment variables (see
``workbench.auth.connect.open_client``). Output is plain text for a terminal, or JSON with
``--json`` (``cat --format json``). Heavy imports happen inside the handlers.

Server text in human output (titles, names, keys, excerpts) goes through ``textsafe.printable``;
JSON escapes what a terminal could act on (``textsafe.json_text``); a page body is data, written as
it is to a file or pipe (``workbench.cli`` guards a terminal).
"""

from __future__ import annotations

import argparse

from workbench.commands.cat import run_cat
from workbench.commands.push import run_push
from workbench.commands.search import run_search, run_spaces
from workbench.commands.site_command import positive, site_command


def register(subparsers: argparse._SubParsersAction) -> None:
    def add(
        name: str, help_: str, description: str, json: str | None = None
    ) -> argparse.ArgumentParser:
        return site_command(subparsers, name, help_, description, json=json)

    p = add(
        "spaces",
        "list the spaces you can see",
        "List the spaces you can see (key, name, type).",
        json="print JSON instead of a table",
    )
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
        "--limit", type=positive, default=25, metavar="N", help="at most N results (default 25)"
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
        type=positive,
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
        type=positive,
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
