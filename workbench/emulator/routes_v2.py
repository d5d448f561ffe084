"""REST v2 routes (``/wiki/api/v2/...``): spaces, page lists, the pages-only tree listings, users; every
kind of content in :mod:`~workbench.emulator.routes_v2_content`, comments in
:mod:`~workbench.emulator.routes_v2_comments`."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workbench.emulator import shapes
from workbench.emulator.content_v2 import content_lister
from workbench.emulator.errors import bad_request
from workbench.emulator.http import (
    account_of,
    endpoint,
    int_list_param,
    int_param,
    json_body,
    list_param,
    store_of,
)
from workbench.emulator.paging import site_base, v2_list, window
from workbench.emulator.routes_properties import v2_property_routes
from workbench.emulator.routes_v2_attachments import attachment_routes
from workbench.emulator.routes_v2_comments import comment_routes
from workbench.emulator.routes_v2_content import content_list, content_routes
from workbench.emulator.routes_v2_inline import inline_routes
from workbench.emulator.space_access import check_view, visible_spaces
from workbench.emulator.store_content import PAGE

PREFIX = "/wiki/api/v2"


# -- spaces ------------------------------------------------------------------------------------
async def list_spaces(request: Request) -> Response:
    offset, limit = window(request)
    store = store_of(request)
    ids = int_list_param(request, "ids")
    seen = visible_spaces(store, account_of(request))  # getSpaces: only the spaces one may view
    if seen is not None:
        ids = [i for i in ids if i in seen] if ids else sorted(seen)
        if not ids:
            return v2_list(request, [], offset, limit, shapes.space_v2)
    rows = store.list_spaces(
        keys=list_param(request, "keys"),
        ids=ids,
        type=request.query_params.get("type") or None,
        status=request.query_params.get("status") or None,
        sort=request.query_params.get("sort") or "id",
        offset=offset,
        limit=limit + 1,
    )
    return v2_list(request, rows, offset, limit, shapes.space_v2)


async def get_space(request: Request) -> Response:
    space = store_of(request).get_space(request.path_params["id"])
    check_view(store_of(request), account_of(request), space)  # getSpaceById: 404 without view
    return JSONResponse(shapes.space_v2(space, base=site_base(request)))


async def space_pages(request: Request) -> Response:
    space = store_of(request).get_space(request.path_params["id"])
    check_view(store_of(request), account_of(request), space)  # getPagesInSpace: 404 without view
    depth = request.query_params.get("depth") or "all"
    if depth not in ("all", "root"):
        raise bad_request(f"Invalid depth '{depth}'; use 'all' or 'root'.")
    return content_list(request, PAGE, space_ids=[space["id"]], root_only=depth == "root")


# -- pages -------------------------------------------------------------------------------------
list_pages = content_lister(PAGE)


# -- tree --------------------------------------------------------------------------------------
async def children(request: Request) -> Response:
    """``GET /pages/{id}/children``: child *pages* only (``ChildPage``; deprecated in the current spec
    in favour of ``direct-children``, which lists every kind)."""
    store = store_of(request)
    page = store.get_page(request.path_params["id"], kinds=("page",))
    offset, limit = window(request)
    rows = store.list_pages(
        parent_id=page["id"],
        sort=request.query_params.get("sort") or "child-position",
        offset=offset,
        limit=limit + 1,
    )
    return v2_list(request, rows, offset, limit, shapes.child_v2)


async def descendants(request: Request) -> Response:
    """Breadth-first descendants of every kind down to ``depth`` (default 5), top-down, cursor-paged."""
    store = store_of(request)
    page = store.get_page(request.path_params["id"], kinds=("page",))
    max_depth = min(max(int_param(request, "depth", 5) or 5, 1), 5)
    offset, limit = window(request)
    found: list[dict[str, Any]] = []
    level, frontier = 1, [page["id"]]
    while frontier and level <= max_depth and len(found) < offset + limit + 1:
        marks = ",".join("?" * len(frontier))
        rows = store.query(
            "SELECT id, type, status, title, parent_id, position FROM pages "
            f"WHERE parent_id IN ({marks}) AND status IN ('current', 'archived') AND type != 'blogpost' "
            "ORDER BY parent_id, position, id",
            frontier,
        )
        found += [{**r, "depth": level} for r in rows]
        frontier, level = [r["id"] for r in rows], level + 1

    def render(row):
        return {
            "id": str(row["id"]),
            "status": row["status"],
            "title": row["title"],
            "type": row["type"],
            "parentId": str(row["parent_id"]),
            "depth": row["depth"],
            "childPosition": row["position"],
        }

    return v2_list(request, found[offset : offset + limit + 1], offset, limit, render)


async def users_bulk(request: Request) -> Response:
    data = await json_body(request)
    ids = data.get("accountIds") if isinstance(data, dict) else None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise bad_request("accountIds must be a list of account id strings.")
    rows = store_of(request).users(ids)
    return JSONResponse({"results": [shapes.user_v2(r) for r in rows], "_links": {}})


def routes() -> list[Route]:
    def r(path: str, fn, methods=("GET",)) -> Route:
        return Route(PREFIX + path, endpoint(fn, "v2"), methods=list(methods))

    return [
        r("/spaces", list_spaces),
        r("/spaces/{id}", get_space),
        r("/spaces/{id}/pages", space_pages),
        r("/pages", list_pages),
        r("/pages/{id}/children", children),
        r("/pages/{id}/descendants", descendants),
        r("/users-bulk", users_bulk, ("POST",)),
        *[Route(PREFIX + path, endpoint(fn, "v2"), methods=m) for path, fn, m in content_routes()],
        *[
            Route(PREFIX + path, endpoint(fn, "v2"), methods=m)
            for path, fn, m in v2_property_routes()
        ],
        *[Route(PREFIX + path, endpoint(fn, "v2"), methods=m) for path, fn, m in comment_routes()],
        *[Route(PREFIX + path, endpoint(fn, "v2"), methods=m) for path, fn, m in inline_routes()],
        *[
            Route(PREFIX + path, endpoint(fn, "v2"), methods=m)
            for path, fn, m in attachment_routes()
        ],
    ]
