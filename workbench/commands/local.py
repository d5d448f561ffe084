"""The command line's reads from the local index (no network, no login):

- ``workbench search --local QUERY [--all-sites]``: ranked results with snippets (``index.search``);
- ``workbench cat --offline PAGE`` — and ``workbench cat`` when the site cannot be reached: the page
  as the last sync saw it, marked offline with its version and age (``index.offline``);
- ``workbench sync --status``: every site's index in one list, with how fresh each is.

Server text goes through ``textsafe.printable`` (human output) or ``textsafe.json_text`` (JSON).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from workbench.commands.site_command import print_json
from workbench.errors import UsageError, WorkbenchError
from workbench.textsafe import printable

if TYPE_CHECKING:
    from pathlib import Path

    from workbench.index.query import LocalQuery
    from workbench.index.search import LocalAnswer, LocalHit
    from workbench.index.sites import IndexInfo, SiteRef


def _age(synced_at: float | None, now: float) -> str:
    # lazy, for start-up: workbench.confluence.pauses loads on first use
    from workbench.confluence.pauses import duration

    if synced_at is None:
        return "never finished"
    seconds = max(0.0, now - synced_at)
    return "just now" if seconds < 60 else f"{duration(seconds)} ago"


# -- search --local -------------------------------------------------------------------------------
def run_local_search(args: argparse.Namespace) -> int:
    # lazy, for start-up: workbench.index.query, workbench.index.sites loads on first use
    from workbench.index.query import local_query
    from workbench.index.sites import known_sites, resolve_site

    typed = " ".join(args.cql) if isinstance(args.cql, list) else str(args.cql)
    query = local_query(typed)
    if query.empty:
        raise UsageError('Nothing to search for: add words (text ~ "…", title ~ "…") or a label.')
    if args.all_sites:
        found = known_sites()
        if not found:
            raise UsageError(
                "No site has a local index yet; run 'workbench sync SPACE' (or --all) first."
            )
        targets = [(info.name or info.key or info.path.stem, info.path) for info in found]
    else:
        site = resolve_site(getattr(args, "profile", None))
        targets = [(site.name, site.path)]
    answers = [(name, _search_one(path, query, args.limit)) for name, path in targets]
    now = time.time()
    if args.json:
        print_json(
            {
                "query": typed,
                "local": True,
                "sites": [
                    {
                        "site": name,
                        "synced_at": _iso(answer.synced_at),
                        "matches": answer.matches,
                        "took_ms": answer.took_ms,
                        "results": [_hit_json(h) for h in answer.hits],
                    }
                    for name, answer in answers
                ],
            }
        )
        return 0
    for name, answer in answers:
        print(
            f"workbench: from the local index of {printable(name)} (last sync {_age(answer.synced_at, now)}): "
            f"{answer.matches} match{'es' if answer.matches != 1 else ''} in {answer.took_ms:.0f} ms.",
            file=sys.stderr,
        )
        if len(answers) > 1:
            print(f"== {printable(name)}")
        _print_hits(answer)
    return 0


def _search_one(path: Path, query: LocalQuery, limit: int) -> LocalAnswer:
    # lazy, for start-up: sqlite3, workbench.index.files, workbench.index.search loads on first use
    import sqlite3

    from workbench.index.files import index_failure
    from workbench.index.search import LocalSearch

    search = LocalSearch(path)
    try:
        return search.answer(query, limit=limit)
    except sqlite3.Error as exc:
        raise index_failure(path, exc, "searching it") from None
    finally:
        search.close()


def _print_hits(answer: LocalAnswer) -> None:
    if not answer.hits:
        print("No results.")
        return
    id_width = max(len(h.id) for h in answer.hits)
    key_width = max(len(printable(h.space_key)) for h in answer.hits)
    for h in answer.hits:
        kind = f"  ({printable(h.type)})" if h.type != "page" else ""
        print(
            f"{h.id.rjust(id_width)}  {printable(h.space_key).ljust(key_width)}  {printable(h.plain_title)}{kind}"
        )
        if h.plain_excerpt:
            text = printable(h.plain_excerpt)
            print(f"{' ' * id_width}  {text if len(text) <= 100 else text[:99].rstrip() + '…'}")
    shown = len(answer.hits)
    print(
        f"\n{shown} of {answer.matches} results."
        if answer.matches > shown
        else f"\n{shown} results."
    )


def _hit_json(h: LocalHit) -> dict[str, Any]:
    return {
        "id": h.id,
        "type": h.type,
        "title": h.plain_title,
        "space_key": h.space_key,
        "space_name": h.space_name,
        "excerpt": h.plain_excerpt,
        "last_modified": h.last_modified,
        "version": h.version,
        "url": h.url,
        "score": h.score,
        "title_highlighted": h.title_hl,
        "excerpt_highlighted": h.excerpt,
    }


def _iso(epoch: float | None) -> str | None:
    # lazy, for start-up: workbench.index.records loads on first use
    from workbench.index.records import iso

    return iso(int(epoch * 1000)) if epoch is not None else None


# -- cat --offline --------------------------------------------------------------------------------
def run_offline_cat(args: argparse.Namespace, site: SiteRef | None = None, reason: str = "") -> int:
    """Print the indexed copy of ``args.page``; ``reason``: why the site was not asked (else --offline)."""
    # lazy, for start-up: workbench.index.offline, workbench.index.sites loads on first use
    from workbench.index.offline import open_offline
    from workbench.index.sites import resolve_site

    site = site or resolve_site(getattr(args, "profile", None))
    page = open_offline(site, args.page, version=args.page_version)
    if args.format == "json":
        data = page.as_json()
        if reason:
            data["offline_reason"] = reason
        print_json(data)
    elif args.format == "storage":
        _write(page.storage)
    else:
        # lazy, for start-up: workbench.convert loads on first use
        from workbench.convert import storage_to_markdown

        _write(storage_to_markdown(page.storage, users=dict(page.people) or None))
    why = f" ({printable(reason)})" if reason else ""
    print(
        f'workbench: OFFLINE copy{why} of page {page.id} "{printable(page.title)}", version {page.version}, '
        f"{page.age()}, from the local index of {printable(page.site)}. It may be out of date; to save "
        f"edits once the site is back: workbench push {page.id} FILE.md --base-version {page.version} "
        "(a newer version on the site is caught there).",
        file=sys.stderr,
    )
    return 0


def cat_with_fallback(args: argparse.Namespace, online: Callable[[], int]) -> int:
    """``online()`` (the usual cat); when the site cannot be reached and the page is indexed, the
    indexed copy instead, saying so. Without an index, the network error as it was."""
    # lazy, for start-up: workbench.confluence.errors, workbench.index.sites loads on first use
    from workbench.confluence.errors import NetworkError, ServerError
    from workbench.index.sites import resolve_site

    try:
        return int(online())
    except (NetworkError, ServerError) as exc:
        try:
            site = resolve_site(getattr(args, "profile", None))
        except WorkbenchError:
            raise exc from None
        if not site.indexed:
            raise
        try:
            return run_offline_cat(
                args, site, reason=f"the site could not be reached: {exc.message}"
            )
        except WorkbenchError:
            raise exc from None


def _write(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")


# -- sync --status --------------------------------------------------------------------------------
def run_status(args: argparse.Namespace) -> int:
    # lazy, for start-up: workbench.index.sites, workbench.index.snapshot loads on first use
    from workbench.index.sites import index_dir, known_sites
    from workbench.index.snapshot import on_disk

    found = known_sites()
    now = time.time()
    if args.json:
        print_json([_info_json(info) for info in found])
        return 0
    if not found:
        print(
            f"No local index yet (they go in {index_dir()}); 'workbench sync SPACE' or --all makes one."
        )
        return 0
    for info in found:
        size = sum(
            p.stat().st_size for p in info.path.parent.glob(info.path.name + "*") if p.is_file()
        )
        print(
            f"{printable(info.name or info.key)}  {info.pages} pages in {len(info.spaces)} spaces "
            f"({', '.join(printable(s) for s in info.spaces)}), {size / 1e6:.1f} MB, "
            f"last sync {_age(info.synced_at, now)}"
        )
        print(f"  {on_disk(info.path)}")
    return 0


def _info_json(info: IndexInfo) -> dict[str, Any]:
    # lazy, for start-up: workbench.index.snapshot loads on first use
    from workbench.index.snapshot import on_disk

    return {
        "site": info.name,
        "url": info.key,
        "path": str(on_disk(info.path)),
        "spaces": list(info.spaces),
        "pages": info.pages,
        "synced_at": _iso(info.synced_at),
    }
