"""``search_pages`` when the site cannot be reached: the local index answers, and says so.

The index of the client's site (``workbench sync``; found by the base URL the client talks to, which
the sync records) answers the part of CQL it can (``index.query``: ``text ~``, ``title ~``,
``space =``, ``type =``, ``label =`` joined by ``and``), every match ranked. The result starts with a
line the model cannot miss: the answer is the local index's, how old it is and why Confluence was
not asked — so it neither takes stale hits for live ones nor stops trying the site. Hits outside
the allow-list are left out, as online. CQL the index cannot answer, or a site without an index,
gives back the network error with the reason.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from pathlib import Path

    from workbench.agent.fences import Fence
    from workbench.index.search import LocalAnswer


async def search_offline(
    base_url: str,
    cql: str,
    limit: int,
    error: WorkbenchError,
    fence: Fence,
    data: Callable[[str, str], str],
) -> str:
    """The tool's text for ``cql`` answered from the local index (``error``: why the site was not
    asked); raises ``error`` itself, with the reason added, when the index cannot answer."""
    # lazy, for start-up: workbench.index.query, workbench.index.sites loads on first use
    from workbench.index.query import local_query
    from workbench.index.sites import index_for_url

    path = index_for_url(base_url)
    if path is None:
        raise error
    try:
        query = local_query(cql)
    except WorkbenchError as exc:
        raise WorkbenchError(
            f"{error.message} The local index cannot answer this query instead: {exc.message}"
        ) from None
    answer = await asyncio.to_thread(_ask, path, query, limit)
    rows, hidden = [], 0
    for hit in answer.hits:
        if not fence.allows_space(hit.space_key):
            hidden += 1
            continue
        excerpt = " ".join(hit.plain_excerpt.split())[:200]
        rows.append(
            f"{hit.id}  [{hit.space_key}]  {hit.title}  (v{hit.version}, {hit.last_modified[:10]})"
            + (f" — {excerpt}" if excerpt else "")
        )
    head = (
        f"OFFLINE: Confluence could not be reached ({error.message}), so these hits are from the "
        f"local index ({_age(answer)}); pages may have changed since. get_page needs the site."
    )
    body = data("\n".join(rows), "search hits: id [space] title (version, date) — excerpt")
    text = f"{head}\n{body}" if rows else f"{head}\nNo results."
    if hidden:
        text += f"\n({hidden} hit{'s' if hidden != 1 else ''} outside the allow-list not shown)"
    return text


def _ask(path: Path, query, limit: int) -> LocalAnswer:
    # lazy, for start-up: workbench.index.search loads on first use
    from workbench.index.search import LocalSearch

    search = LocalSearch(path)
    try:
        return search.answer(query, limit=limit)
    finally:
        search.close()


def _age(answer: LocalAnswer) -> str:
    # lazy, for start-up: time, workbench.confluence.pauses loads on first use
    import time

    from workbench.confluence.pauses import duration

    if answer.synced_at is None:
        return "never fully synced"
    seconds = max(0.0, time.time() - answer.synced_at)
    return "synced just now" if seconds < 60 else f"last synced {duration(seconds)} ago"
