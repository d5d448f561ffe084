"""The comments a v1 content answer carries when asked: ``expand=descendants.comment`` (and
``children.comment``), as ``GET /wiki/rest/api/content/{id}`` serves them.

The v1 spec (``tests/specs/confluence-cloud-v1.openapi.json``, operation ``getContentById``,
parameter ``contentExpandWithSubExpandLimit``): "``descendants.comment`` returns all comments on
the content"; the member is ``Content.descendants`` (``ContentChildren``), its ``comment`` a
``ContentArray`` (``results``, ``start``, ``limit``, ``size``, ``_links``). The embedded list holds
the first page of what ``GET /content/{id}/descendant/comment`` lists (``getDescendantsOfType``:
``depth`` defaults to ``all``, ``limit`` to 25), so a page with more comments says so with a
``next`` link and a full ``size``. ``children.comment`` is the root level only (``getContentChildren
ByType`` for comments: "Comments are returned at the root level only"). Each comment is the
``comment_v1`` shape (body, version, ancestors, ``extensions.location``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: ``limit`` of the embedded list: the default ``limit`` of ``/content/{id}/descendant/{type}``.
EMBEDDED_LIMIT = 25


def comment_rows(store, page_id: int | str, *, all_depths: bool) -> list[dict[str, Any]]:
    """The page's comments, footer then inline roots, each followed by its replies (depth first)
    when ``all_depths`` — the order ``/content/{id}/child/comment?depth=all`` lists them in."""
    roots = store.comments(page_id, limit=10_000) + store.inline_comments(page_id, limit=10_000)
    rows: list[dict[str, Any]] = []
    for root in roots:
        rows.append(root)
        if all_depths:
            stack = list(reversed(store.comment_children(root["id"], limit=10_000)))
            while stack:
                reply = stack.pop()
                rows.append(reply)
                stack += list(reversed(store.comment_children(reply["id"], limit=10_000)))
    return rows


def embedded_comments(
    store,
    row: dict[str, Any],
    expand: set[str],
    base: str,
    shape: Callable[[dict[str, Any]], dict[str, Any]],
) -> dict[str, dict[str, Any]]:
    """``{"children": {...}}`` and/or ``{"descendants": {...}}`` for the comment expansions asked
    for in ``expand`` (``descendants.comment``, ``children.comment`` and their sub-expansions);
    ``shape`` makes one comment's JSON."""
    out: dict[str, dict[str, Any]] = {}
    for member, path, all_depths in (
        ("descendants", "descendant", True),
        ("children", "child", False),
    ):
        if not any(e == f"{member}.comment" or e.startswith(f"{member}.comment.") for e in expand):
            continue
        rows = comment_rows(store, row["id"], all_depths=all_depths)
        first = rows[:EMBEDDED_LIMIT]
        links = {"self": f"{base}/rest/api/content/{row['id']}/{path}/comment"}
        if len(rows) > EMBEDDED_LIMIT:
            links["next"] = (
                f"/rest/api/content/{row['id']}/{path}/comment?limit={EMBEDDED_LIMIT}"
                f"&start={EMBEDDED_LIMIT}"
            )
        out[member] = {
            "comment": {
                "results": [shape(r) for r in first],
                "start": 0,
                "limit": EMBEDDED_LIMIT,
                "size": len(first),
                "_links": links,
            },
            "_links": {"base": base},
        }
    return out
