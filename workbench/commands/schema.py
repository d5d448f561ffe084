"""``workbench schema refresh | show [--profile NAME] [--json]``: the site's Jira schema (projects and
their issue types, priorities, statuses, custom fields, link types) and Confluence spaces, as the
agent's Jira tools describe them (``workbench.services.jira_schema``; kept per site for a day).

``refresh`` reads it from the site now and keeps it; ``show`` prints the kept one (reading it first
when there is none). Jira that cannot be reached is said plainly (exit 1); the spaces are still
kept and the agent's tools work without Jira's part. Server text goes through ``textsafe``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from workbench.commands.content import site_command
from workbench.textsafe import json_text, printable

if TYPE_CHECKING:
    from workbench.services.jira_schema import JiraSchema


def register(subparsers: argparse._SubParsersAction) -> None:
    schema = subparsers.add_parser(
        "schema",
        help="the site's Jira schema and spaces, as the agent's Jira tools see them",
        description=(
            "The site's Jira schema (projects, issue types, priorities, statuses, custom fields, "
            "link types) and Confluence spaces, kept per site for a day and written into the "
            "agent's Jira tool descriptions."
        ),
    )
    sub = schema.add_subparsers(dest="schema_command", metavar="COMMAND")
    schema.set_defaults(handler=lambda args: _usage(schema))
    for name, help_, description in (
        ("refresh", "read the schema from the site now and keep it", "Read the schema now."),
        ("show", "print the kept schema", "Print the kept schema (read it first if none is kept)."),
    ):
        p = site_command(sub, name, help_, description, rate_limit_flag=False)
        p.add_argument("--json", action="store_true", help="print JSON instead of text")
        p.set_defaults(handler=run, refresh=name == "refresh")


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    # lazy, for start-up: asyncio and the clients load on first use
    import asyncio

    from workbench.auth.connect import open_client
    from workbench.auth.jira_connect import jira_url_for
    from workbench.config import load_settings
    from workbench.jira.client import JiraClient
    from workbench.services import jira_schema

    async def main() -> tuple[JiraSchema, str]:
        settings = load_settings()
        client = open_client(getattr(args, "profile", None), settings)
        async with client:
            jira = JiraClient.beside(client, jira_url_for(client.base_url, settings))
            found = await jira_schema.schema_for(client, jira, refresh=args.refresh)
        return found, str(jira_schema.schema_path(found.site))

    found, path = asyncio.run(main())
    if args.json:
        data: dict[str, Any] = {**found.as_json(), "path": path, "counts": found.counts()}
        sys.stdout.write(json_text(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")
    else:
        _print(found, path)
    if found.jira_error:
        print(
            printable(
                f"Jira's schema could not be read: {found.jira_error}. The agent's Jira tools work "
                "without it."
            ),
            file=sys.stderr,
        )
        return 1
    return 0


def _print(schema: JiraSchema, path: str) -> None:
    # lazy, for start-up: workbench.services.jira_schema loads on first use
    from workbench.services.jira_schema import age

    counts = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in schema.counts().items())
    print(printable(f"Schema of {schema.site}, read {age(schema.fetched)}: {counts}."))
    print(printable(f"Kept in {path}."))
    for key, name, types in schema.projects:
        print(printable(f"  project {key}  {name}: {', '.join(types)}"))
    if schema.priorities:
        print(printable(f"  priorities: {', '.join(schema.priorities)}"))
    if schema.statuses:
        print(printable(f"  statuses: {', '.join(f'{s} ({c})' for s, c in schema.statuses)}"))
    for fid, name, kind in schema.fields:
        print(printable(f"  field {fid}  {name} ({kind})"))
    for name, outward, inward in schema.link_types:
        print(printable(f"  link type {name}: {outward} / {inward}"))
    if schema.spaces:
        print(printable(f"  spaces: {', '.join(k for k, _ in schema.spaces)}"))
    if schema.spaces_error:
        print(printable(f"  spaces could not be read: {schema.spaces_error}"))
