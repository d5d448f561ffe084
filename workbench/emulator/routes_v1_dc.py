"""REST v1 list endpoints as Data Center serves them (offset paging with ``start``/``limit``).

Spaces by key, pages and blog posts of a space, content by title, children, comments and delete
(version history: :mod:`~workbench.emulator.routes_v1_history`; users and groups:
:mod:`~workbench.emulator.routes_people`). ``_links.next`` is relative to the context path
(``/rest/api/...?start=N``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workbench.emulator import shapes_v1
from workbench.emulator.errors import bad_request, not_found
from workbench.emulator.http import (
    expand_param,
    int_param,
    list_param,
    state_of,
    store_of,
)
from workbench.emulator.paging import canonical_path, context_path, site_base
from workbench.emulator.store_content import (
    BLOGPOST,
    BODY_KINDS,
    DC_KINDS,
    PAGE,
    TREE_KINDS,
)

MAX_LIMIT = 500


def _window(request: Request, default: int = 25) -> tuple[int, int]:
    start = int_param(request, "start", 0) or 0
    limit = int_param(request, "limit", default) or default
    if start < 0 or limit < 1:
        raise bad_request("start must be 0 or more and limit at least 1.")
    return start, min(limit, MAX_LIMIT)


def v1_list(request: Request, rows: list[Any], start: int, limit: int, render) -> JSONResponse:
    """An offset-paged v1 list from ``limit + 1`` fetched rows."""
    results = [render(r) for r in rows[:limit]]
    path = canonical_path(request).removeprefix("/wiki")
    links = {
        "base": site_base(request),
        "context": context_path(request),
        "self": f"{site_base(request)}{path}?{urlencode(list(request.query_params.multi_items()))}",
    }
    if len(rows) > limit:
        params = [
            (k, v) for k, v in request.query_params.multi_items() if k not in ("start", "limit")
        ]
        links["next"] = (
            f"{path}?{urlencode([*params, ('limit', str(limit)), ('start', str(start + limit))])}"
        )
    return JSONResponse(
        {"results": results, "start": start, "limit": limit, "size": len(results), "_links": links}
    )


async def list_spaces(request: Request) -> Response:
    start, limit = _window(request)
    expand = expand_param(request)
    rows = store_of(request).list_spaces(
        keys=list_param(request, "spaceKey"),
        type=request.query_params.get("type") or None,
        offset=start,
        limit=limit + 1,
    )
    return v1_list(
        request, rows, start, limit, lambda s: shapes_v1.space_v1(s, site_base(request), expand)
    )


async def get_space(request: Request) -> Response:
    space = store_of(request).space_by_key(request.path_params["key"])
    if space is None:
        raise not_found(f"The space '{request.path_params['key']}'")
    return JSONResponse(shapes_v1.space_v1(space, site_base(request), expand_param(request)))


def _kinds(request: Request) -> tuple[str, ...]:
    return DC_KINDS if state_of(request).is_dc else (*TREE_KINDS, BLOGPOST)


def _content_renderer(request: Request):
    store, expand, base, kinds = (
        store_of(request),
        expand_param(request),
        site_base(request),
        _kinds(request),
    )
    return lambda row: shapes_v1.content_v1(
        store, {**row, "body": row.get("body", "")}, expand, base, kinds=kinds
    )


def _content_type(value: str | None) -> str:
    kind = value or PAGE
    if kind not in BODY_KINDS:
        raise bad_request(f"type must be 'page' or 'blogpost', not '{kind}'.")
    return kind


async def space_content(request: Request) -> Response:
    """``GET /space/{key}/content/{type}`` (page or blogpost), ``depth=root|all``. Root pages as the
    site has them: on Data Center content under a Cloud-only kind (a folder) shows at that kind's place."""
    store = store_of(request)
    space = store.space_by_key(request.path_params["key"])
    if space is None:
        raise not_found(f"The space '{request.path_params['key']}'")
    kind = _content_type(request.path_params.get("type"))
    depth = request.query_params.get("depth") or "all"
    if depth not in ("all", "root"):
        raise bad_request("depth must be 'root' or 'all'.")
    start, limit = _window(request)
    if kind == PAGE and depth == "root" and state_of(request).is_dc:
        rows = [
            r
            for r in store.visible_children(
                space["id"], None, DC_KINDS, offset=start, limit=limit + 1
            )
        ]
    else:
        rows = store.list_pages(
            space_ids=[space["id"]],
            root_only=depth == "root" and kind == PAGE,
            statuses=("current",),
            sort="id" if kind == PAGE else "-created-date",
            offset=start,
            limit=limit + 1,
            with_body=True,
            types=(kind,),
        )
    return v1_list(request, rows, start, limit, _content_renderer(request))


async def list_content(request: Request) -> Response:
    """``GET /content?type=page|blogpost&spaceKey=&title=``."""
    store = store_of(request)
    start, limit = _window(request)
    kind = request.query_params.get("type") or PAGE
    if kind not in BODY_KINDS:
        return v1_list(request, [], start, limit, lambda r: r)
    space_ids = None
    if request.query_params.get("spaceKey"):
        space = store.space_by_key(request.query_params["spaceKey"])
        if space is None:
            return v1_list(request, [], start, limit, lambda r: r)
        space_ids = [space["id"]]
    rows = store.list_pages(
        space_ids=space_ids,
        title=request.query_params.get("title"),
        statuses=tuple(list_param(request, "status")) or ("current",),
        sort="id",
        offset=start,
        limit=limit + 1,
        with_body=True,
        types=(kind,),
    )
    return v1_list(request, rows, start, limit, _content_renderer(request))


async def child_pages(request: Request) -> Response:
    """``GET /content/{id}/child/page``: child pages in the parent's order. On Data Center a page's
    children under a Cloud-only kind (a folder) are listed in its place: DC has no folders."""
    store = store_of(request)
    page = store.get_page(request.path_params["id"], kinds=_kinds(request))
    start, limit = _window(request)
    if state_of(request).is_dc:
        rows = store.visible_children(
            page["space_id"], page["id"], DC_KINDS, offset=start, limit=limit + 1
        )
    else:
        rows = store.list_pages(
            parent_id=page["id"],
            statuses=("current",),
            sort="child-position",
            offset=start,
            limit=limit + 1,
            with_body=True,
        )
    return v1_list(request, rows, start, limit, _content_renderer(request))


async def child_comments(request: Request) -> Response:
    """Comments of a page; ``location`` (inline, footer, resolved; repeatable) picks which roots."""
    store = store_of(request)
    start, limit = _window(request)
    locations = set(list_param(request, "location")) or {"footer", "inline", "resolved"}
    unknown = locations - {"footer", "inline", "resolved"}
    if unknown:
        raise bad_request(
            f"Unknown location '{sorted(unknown)[0]}'; use inline, footer or resolved."
        )
    roots = store.comments(request.path_params["id"], limit=10_000) if "footer" in locations else []
    if locations & {"inline", "resolved"}:
        inline = store.inline_comments(request.path_params["id"], limit=10_000)
        roots += [
            r
            for r in inline
            if ("resolved" if r["resolution"] == "resolved" else "inline") in locations
        ]
    rows: list[dict[str, Any]] = []
    for root in roots:
        rows.append(root)
        if request.query_params.get("depth") == "all":
            stack = list(reversed(store.comment_children(root["id"], limit=10_000)))
            while stack:
                reply = stack.pop()
                rows.append(reply)
                stack += list(reversed(store.comment_children(reply["id"], limit=10_000)))
    window = rows[start : start + limit + 1]
    return v1_list(
        request, window, start, limit, lambda r: shapes_v1.comment_v1(store, r, site_base(request))
    )


def dc_routes():
    return [
        ("/space", list_spaces, ["GET"]),
        ("/space/{key}", get_space, ["GET"]),
        ("/space/{key}/content/{type}", space_content, ["GET"]),
        ("/content", list_content, ["GET"]),
        ("/content/{id}/child/page", child_pages, ["GET"]),
        ("/content/{id}/child/comment", child_comments, ["GET"]),
    ]
