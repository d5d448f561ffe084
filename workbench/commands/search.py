"""``workbench spaces | search``: the spaces you can see, and CQL (or plain-word) search, from the site
or the local index."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from workbench.commands.site_command import one_line, print_json, run_on_site, table
from workbench.errors import UsageError
from workbench.textsafe import printable

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.models import SearchResult


# -- spaces ---------------------------------------------------------------------------------------
def run_spaces(args: argparse.Namespace) -> int:
    async def work(client: ConfluenceClient) -> int:
        spaces = [s async for s in client.spaces()]
        if args.json:
            print_json(
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
        print(table(rows, ["KEY", "NAME", "TYPE", "ID"]))
        return 0

    return run_on_site(args, work)


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
            print_json(
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
                print(f"{' ' * id_width}  {one_line(r.plain_excerpt)}")
        shown = (
            f"{len(results)} of {total}"
            if total is not None and total > len(results)
            else f"{len(results)}"
        )
        print(f"\n{shown} result{'s' if (total or len(results)) != 1 else ''}.")
        return 0

    return run_on_site(args, work)
