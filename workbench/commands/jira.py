"""``workbench jira search | show | comment``: Jira issues on the command line, with the login of the
Confluence site (``--profile`` or the ``CONFLUENCE_*`` environment; see
``workbench.auth.jira_connect``).

Server text in human output goes through ``textsafe.printable``; ``--json`` through
``textsafe.json_text``. Descriptions and comments are shown as Markdown (``workbench.jira.adf_md``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from workbench.commands.inputs import read_text_input
from workbench.commands.site_command import one_line, positive, print_json, run_with, site_command
from workbench.errors import UsageError
from workbench.textsafe import printable

if TYPE_CHECKING:
    from workbench.jira.client import JiraClient

SITE_HELP = (
    "Jira is reached with the login of the Confluence site: --profile NAME, or CONFLUENCE_URL with its "
    "credentials (JIRA_URL names Jira's address when it is not on the same host)."
)


def register(subparsers: argparse._SubParsersAction) -> None:
    jira = subparsers.add_parser(
        "jira",
        help="Jira issues on the same site: search, show, comment",
        description=f"Jira issues on the same site as your Confluence login. {SITE_HELP}",
    )
    sub = jira.add_subparsers(dest="jira_command", metavar="COMMAND")
    jira.set_defaults(handler=lambda args: _usage(jira))

    def add(name: str, help_: str, description: str) -> argparse.ArgumentParser:
        return site_command(
            sub, name, help_, description, rate_limit_flag=False, site_help=SITE_HELP
        )

    p = add(
        "search",
        "search issues with JQL",
        "Search issues with JQL, e.g. workbench jira search 'project = ENG AND status != Done ORDER BY key'.",
    )
    p.add_argument("jql", metavar="JQL", nargs="+", help="the JQL query (quote it for the shell)")
    p.add_argument(
        "--limit", type=positive, default=50, metavar="N", help="at most N issues (default 50)"
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(handler=run_search)

    p = add(
        "show",
        "show an issue",
        "Show an issue: its fields, description and comments as Markdown, and its links.",
    )
    p.add_argument("key", metavar="KEY", help="the issue key, e.g. ENG-12")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(handler=run_show)

    p = add(
        "comment",
        "comment on an issue from a Markdown file",
        "Add a comment to an issue, written in Markdown (FILE, or - for standard input).",
    )
    p.add_argument("key", metavar="KEY", help="the issue key, e.g. ENG-12")
    p.add_argument("file", metavar="FILE.md", help="the comment in Markdown ('-': standard input)")
    p.set_defaults(handler=run_comment)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _run(args: argparse.Namespace, work: Callable[[JiraClient], Awaitable[int]]) -> int:
    # lazy, for start-up: the client loads on first use
    from workbench.auth.jira_connect import open_jira

    return run_with(lambda: open_jira(getattr(args, "profile", None)), work)


# -- search ---------------------------------------------------------------------------------------
def run_search(args: argparse.Namespace) -> int:
    jql = " ".join(args.jql).strip()

    async def work(client: JiraClient) -> int:
        issues = [i async for i in client.search(jql, limit=args.limit)]
        if args.json:
            print_json([i.as_json() for i in issues])
            return 0
        if not issues:
            print("No issues match.")
            return 0
        rows = [
            [
                printable(i.key),
                one_line(i.status, 16),
                one_line(i.assignee or "-", 20),
                one_line(i.summary, 80),
            ]
            for i in issues
        ]
        widths = [
            max(len(r[c]) for r in [["KEY", "STATUS", "ASSIGNEE", "SUMMARY"], *rows])
            for c in range(3)
        ]
        for row in [["KEY", "STATUS", "ASSIGNEE", "SUMMARY"], *rows]:
            print(
                "  ".join(cell.ljust(w) for cell, w in zip(row[:3], widths, strict=True))
                + "  "
                + row[3]
            )
        return 0

    return _run(args, work)


# -- show -----------------------------------------------------------------------------------------
def run_show(args: argparse.Namespace) -> int:
    async def work(client: JiraClient) -> int:
        issue = await client.issue(args.key)
        if args.json:
            print_json(issue.as_json())
            return 0
        p = printable
        print(f"{p(issue.key)}  {p(issue.summary)}")
        facts = [
            ("Status", issue.status),
            ("Type", issue.issue_type),
            ("Priority", issue.priority),
            ("Assignee", issue.assignee or "Unassigned"),
            ("Reporter", issue.reporter),
            ("Labels", ", ".join(issue.labels)),
            ("Created", issue.created),
            ("Updated", issue.updated),
        ]
        for name, value in facts:
            if value:
                print(f"{name + ':':<10}{p(value)}")
        if issue.links:
            print("\nLinks:")
            for link in issue.links:
                print(f"  {p(link.relation)} {p(link.key)} ({p(link.status)}): {p(link.summary)}")
        print("\n" + (p(issue.description_markdown.rstrip(), multiline=True) or "(no description)"))
        if issue.comments:
            print(f"\nComments ({len(issue.comments)}):")
            for comment in issue.comments:
                print(f"\n— {p(comment.author)}, {p(comment.created)}")
                print(p(comment.markdown.rstrip(), multiline=True))
        return 0

    return _run(args, work)


# -- comment --------------------------------------------------------------------------------------
def run_comment(args: argparse.Namespace) -> int:
    # lazy, for start-up: the converters load on first use
    from workbench.jira.client import check_key
    from workbench.jira.md_adf import markdown_to_adf

    key = check_key(args.key)
    text = read_text_input(args.file, "Markdown file")
    if not text.strip():
        raise UsageError(f"The comment in '{args.file}' is empty; nothing was sent.")
    try:
        doc = markdown_to_adf(text)
    except ValueError as exc:
        raise UsageError(
            f"'{args.file}' holds a kept ADF node (```adf block or ⟦adf:…⟧) that is not valid JSON: {exc}. "
            "Fix it or remove it; nothing was sent."
        ) from None

    async def work(client: JiraClient) -> int:
        comment = await client.add_comment(key, doc)
        print(f"Commented on {key} (comment {printable(comment.id)}).")
        return 0

    return _run(args, work)
