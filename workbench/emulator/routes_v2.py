"""REST v2 routes (``/wiki/api/v2/...``): spaces, pages, tree, versions, labels, users."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workbench.emulator import shapes
from workbench.emulator.errors import bad_request, not_found
from workbench.emulator.http import (
    account_of,
    body_format,
    endpoint,
    id_field,
    int_list_param,
    int_param,
    json_body,
    list_param,
    object_body,
    storage_value,
    store_of,
    text_field,
)
from workbench.emulator.paging import site_base, v2_list, window
from workbench.emulator.routes_v2_comments import comment_routes
from workbench.emulator.routes_v2_inline import inline_routes

PREFIX = "/wiki/api/v2"


def _key_of(request: Request, space_id: int) -> str:
    cache: dict[int, str] = request.state.__dict__.setdefault("space_keys", {})
    if space_id not in cache:
        cache[space_id] = store_of(request).get_space(space_id)["key"]
    return cache[space_id]


def _page_renderer(request: Request, body: bool):
    return lambda row: shapes.page_v2(row, _key_of(request, row["space_id"]), body=body)


def _statuses(request: Request) -> tuple[str, ...]:
    statuses = tuple(list_param(request, "status")) or ("current", "archived")
    for status in statuses:
        if status not in ("current", "archived", "trashed", "deleted", "draft", "any"):
            raise bad_request(f"Invalid status '{status}'.")
    if "any" in statuses:
        return ("current", "archived", "trashed")
    return statuses


# -- spaces ------------------------------------------------------------------------------------
async def list_spaces(request: Request) -> Response:
    offset, limit = window(request)
    rows = store_of(request).list_spaces(
        keys=list_param(request, "keys"),
        ids=int_list_param(request, "ids"),
        type=request.query_params.get("type") or None,
        status=request.query_params.get("status") or None,
        sort=request.query_params.get("sort") or "id",
        offset=offset,
        limit=limit + 1,
    )
    return v2_list(request, rows, offset, limit, shapes.space_v2)


async def get_space(request: Request) -> Response:
    space = store_of(request).get_space(request.path_params["id"])
    return JSONResponse(shapes.space_v2(space, base=site_base(request)))


async def space_pages(request: Request) -> Response:
    space = store_of(request).get_space(request.path_params["id"])
    depth = request.query_params.get("depth") or "all"
    if depth not in ("all", "root"):
        raise bad_request(f"Invalid depth '{depth}'; use 'all' or 'root'.")
    return _page_list(request, space_ids=[space["id"]], root_only=depth == "root")


# -- pages -------------------------------------------------------------------------------------
async def list_pages(request: Request) -> Response:
    return _page_list(request, space_ids=int_list_param(request, "space-id"), ids=int_list_param(request, "id"))


def _page_list(request: Request, **filters: Any) -> Response:
    """A page of pages: ``title``, ``status``, ``sort``, ``body-format`` and paging from the query."""
    offset, limit = window(request)
    with_body = body_format(request, ("storage",))
    rows = store_of(request).list_pages(
        title=request.query_params.get("title"),
        statuses=_statuses(request),
        sort=request.query_params.get("sort") or "id",
        offset=offset,
        limit=limit + 1,
        with_body=with_body,
        **filters,
    )
    return v2_list(request, rows, offset, limit, _page_renderer(request, with_body))


async def create_page(request: Request) -> Response:
    data = object_body(await json_body(request))
    space_id = id_field(data, "spaceId", required=True)
    status = text_field(data, "status", required=False) or "current"
    if status not in ("current", "draft"):  # PageCreateRequest: status enum [current, draft]
        raise bad_request(f"Invalid status '{status}': a page is created as 'current' or 'draft'.")
    title = text_field(data, "title")
    parent_id = id_field(data, "parentId")
    root = request.query_params.get("root-level") == "true"
    if root and parent_id:
        raise bad_request("parentId must be omitted when root-level is true.")
    store = store_of(request)
    space = store.get_space(space_id)  # 404 when missing, as Confluence answers
    storage = storage_value(data.get("body")) if data.get("body") is not None else ""
    row = store.create_page(space["id"], title, storage, parent_id=parent_id, author=account_of(request), root=root,
                            status=status)
    return JSONResponse(shapes.page_v2(row, space["key"], body=True, base=site_base(request)))


async def get_page(request: Request) -> Response:
    store = store_of(request)
    with_body = body_format(request, ("storage",))
    trashed = "trashed" in list_param(request, "status")
    row = store.get_page(request.path_params["id"], version=int_param(request, "version"), trashed=trashed)
    out = shapes.page_v2(row, _key_of(request, row["space_id"]), body=with_body, base=site_base(request))
    if request.query_params.get("include-labels") == "true":
        labels = store.labels(row["id"])
        out["labels"] = {"results": [shapes.label_v2(label) for label in labels[:50]],
                         "meta": {"hasMore": len(labels) > 50, "cursor": ""}, "_links": {}}
    return JSONResponse(out)


async def update_page(request: Request) -> Response:
    data = object_body(await json_body(request))
    missing = [k for k in ("id", "status", "title", "body", "version") if data.get(k) in (None, "")]
    if missing:
        raise bad_request(f"Missing required field(s): {', '.join(missing)}.")
    if id_field(data, "id") != str(request.path_params["id"]):
        raise bad_request("The id in the body does not match the page id in the URL.")
    version = data["version"]
    if not isinstance(version, dict) or type(version.get("number")) is not int:
        raise bad_request("version.number is required and must be an integer.")
    if text_field(data, "status") != "current":
        raise bad_request("Only status 'current' is supported by the local Confluence.")
    title = text_field(data, "title")
    parent_id = id_field(data, "parentId")
    store = store_of(request)
    current = store.get_page(request.path_params["id"], trashed=True)
    if current["status"] == "trashed":  # status current on a trashed page restores it, content untouched
        row = store.restore_page(current["id"])
        return JSONResponse(shapes.page_v2(row, _key_of(request, row["space_id"]), body=True,
                                           base=site_base(request)))
    space_id = id_field(data, "spaceId")
    if space_id is not None and space_id != str(current["space_id"]):
        raise bad_request("A page cannot be moved to another space.")
    message = version.get("message") or ""
    if not isinstance(message, str):
        raise bad_request("version.message must be a string.")
    row = store.update_page(
        current["id"], storage_value(data["body"]), title=title, version=version["number"],
        author=account_of(request), message=message, parent_id=parent_id,
    )
    return JSONResponse(shapes.page_v2(row, _key_of(request, row["space_id"]), body=True, base=site_base(request)))


async def delete_page(request: Request) -> Response:
    purge = request.query_params.get("purge") == "true"
    store_of(request).delete_page(request.path_params["id"], purge=purge)
    return Response(status_code=204)


# -- tree --------------------------------------------------------------------------------------
async def children(request: Request) -> Response:
    store = store_of(request)
    page = store.get_page(request.path_params["id"])
    offset, limit = window(request)
    rows = store.list_pages(
        parent_id=page["id"], sort=request.query_params.get("sort") or "child-position",
        offset=offset, limit=limit + 1,
    )
    render = shapes.child_v2
    if request.url.path.endswith("/direct-children"):
        def render(row):  # noqa: E306 - direct-children items also carry their type
            return {**shapes.child_v2(row), "type": "page"}
    return v2_list(request, rows, offset, limit, render)


async def ancestors(request: Request) -> Response:
    limit = min(max(int_param(request, "limit", 25) or 25, 1), 250)
    chain = store_of(request).ancestors(request.path_params["id"])[-limit:]
    return JSONResponse({"results": [{"id": str(a["id"]), "type": "page"} for a in chain],
                         "_links": {"base": site_base(request)}})


async def descendants(request: Request) -> Response:
    """Breadth-first descendants down to ``depth`` (default 5), top-down, cursor-paged."""
    store = store_of(request)
    page = store.get_page(request.path_params["id"])
    max_depth = min(max(int_param(request, "depth", 5) or 5, 1), 5)
    offset, limit = window(request)
    found: list[dict[str, Any]] = []
    level, frontier = 1, [page["id"]]
    while frontier and level <= max_depth and len(found) < offset + limit + 1:
        marks = ",".join("?" * len(frontier))
        rows = store.query(
            "SELECT id, status, title, parent_id, position FROM pages "
            f"WHERE parent_id IN ({marks}) AND status IN ('current', 'archived') ORDER BY parent_id, position, id",
            frontier,
        )
        found += [{**r, "depth": level} for r in rows]
        frontier, level = [r["id"] for r in rows], level + 1

    def render(row):
        return {"id": str(row["id"]), "status": row["status"], "title": row["title"], "type": "page",
                "parentId": str(row["parent_id"]), "depth": row["depth"], "childPosition": row["position"]}

    return v2_list(request, found[offset: offset + limit + 1], offset, limit, render)


# -- versions and labels -----------------------------------------------------------------------
async def versions(request: Request) -> Response:
    with_body = body_format(request, ("storage",))
    offset, limit = window(request, maximum=50 if with_body else 250)
    sort = request.query_params.get("sort") or "-modified-date"
    if sort not in ("modified-date", "-modified-date"):
        raise bad_request(f"Invalid sort '{sort}'; use 'modified-date' or '-modified-date'.")
    rows = store_of(request).versions(
        request.path_params["id"], newest_first=sort.startswith("-"), offset=offset, limit=limit + 1,
        with_body=with_body,
    )
    return v2_list(request, rows, offset, limit, lambda r: shapes.page_version_v2(r, body=with_body))


async def version(request: Request) -> Response:
    store = store_of(request)
    try:
        number = int(request.path_params["number"])
    except ValueError:
        raise not_found("The version") from None
    row = store.version(request.path_params["id"], number)
    return JSONResponse(shapes.detailed_version_v2(row, store.contributors(row["page_id"], number)))


async def page_labels(request: Request) -> Response:
    offset, limit = window(request)
    rows = store_of(request).labels(request.path_params["id"], prefix=request.query_params.get("prefix") or None)
    return v2_list(request, rows[offset: offset + limit + 1], offset, limit, shapes.label_v2)


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
        r("/pages", create_page, ("POST",)),
        r("/pages/{id}", get_page),
        r("/pages/{id}", update_page, ("PUT",)),
        r("/pages/{id}", delete_page, ("DELETE",)),
        r("/pages/{id}/children", children),
        r("/pages/{id}/direct-children", children),
        r("/pages/{id}/ancestors", ancestors),
        r("/pages/{id}/descendants", descendants),
        r("/pages/{id}/versions", versions),
        r("/pages/{id}/versions/{number}", version),
        r("/pages/{id}/labels", page_labels),
        r("/users-bulk", users_bulk, ("POST",)),
        *[Route(PREFIX + path, endpoint(fn, "v2"), methods=m) for path, fn, m in comment_routes()],
        *[Route(PREFIX + path, endpoint(fn, "v2"), methods=m) for path, fn, m in inline_routes()],
    ]
