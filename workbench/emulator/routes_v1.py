"""REST v1 routes (``/wiki/rest/api/...``): current user, content GET/PUT/POST as Data Center
serves them, labels, the CQL search (:mod:`~workbench.emulator.routes_search`) and the Data Center
lists (:mod:`~workbench.emulator.routes_v1_dc`)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workbench.emulator import shapes_v1
from workbench.emulator.errors import bad_request
from workbench.emulator.http import account_of, endpoint, int_param, json_body, store_of
from workbench.emulator.paging import site_base
from workbench.emulator.routes_search import search_routes
from workbench.emulator.routes_v1_dc import dc_routes

PREFIX = "/wiki/rest/api"


async def current_user(request: Request) -> Response:
    user = store_of(request).user(account_of(request))
    if user is None:
        user = {"account_id": account_of(request), "display_name": account_of(request), "email": "",
                "time_zone": "Etc/UTC"}
    return JSONResponse(shapes_v1.user_v1(user, site_base(request)))


def _expand(request: Request) -> set[str]:
    raw = request.query_params.get("expand") or ""
    return {part.strip() for part in raw.split(",") if part.strip()}


async def get_content(request: Request) -> Response:
    store = store_of(request)
    row = store.get_page(request.path_params["id"], version=int_param(request, "version"))
    return JSONResponse(shapes_v1.content_v1(store, row, _expand(request) or {"space", "version"},
                                             site_base(request)))


def _storage_v1(data: dict[str, Any]) -> str:
    body = data.get("body")
    storage = body.get("storage") if isinstance(body, dict) else None
    if not isinstance(storage, dict) or not isinstance(storage.get("value"), str):
        raise bad_request("body.storage.value is required.")
    if storage.get("representation", "storage") != "storage":
        raise bad_request("Only the storage representation is accepted.")
    return storage["value"]


async def update_content(request: Request) -> Response:
    data = await json_body(request)
    if not isinstance(data, dict):
        raise bad_request("The request body must be a JSON object.")
    version = data.get("version")
    if not isinstance(version, dict) or not isinstance(version.get("number"), int):
        raise bad_request("version.number is required: send the current version number plus one.")
    if not data.get("title"):
        raise bad_request("title is required.")
    if data.get("type") not in ("page", None):
        raise bad_request("Only pages can be updated on the local Confluence.")
    if data.get("type") is None:
        raise bad_request("type is required.")
    store = store_of(request)
    current = store.get_page(request.path_params["id"])
    parent = None
    if isinstance(data.get("ancestors"), list) and data["ancestors"]:
        parent = data["ancestors"][-1].get("id")
    row = store.update_page(
        current["id"], _storage_v1(data), title=data["title"], version=version["number"],
        author=account_of(request), message=str(version.get("message") or ""),
        minor_edit=bool(version.get("minorEdit")), parent_id=parent,
    )
    return JSONResponse(shapes_v1.content_v1(store, row, {"space", "version", "body.storage"}, site_base(request)))


async def create_content(request: Request) -> Response:
    """Data Center style create: pages (``space.key``, optional ``ancestors``) and footer comments."""
    data = await json_body(request)
    if not isinstance(data, dict):
        raise bad_request("The request body must be a JSON object.")
    store = store_of(request)
    if data.get("type") == "comment":
        container = data.get("container") or {}
        row = store.add_comment(_storage_v1(data), page_id=container.get("id"), author=account_of(request))
        return JSONResponse(shapes_v1.comment_v1(store, row, site_base(request)))
    if data.get("type") != "page":
        raise bad_request("type must be 'page' or 'comment'.")
    key = (data.get("space") or {}).get("key")
    space = store.space_by_key(key) if key else None
    if space is None:
        raise bad_request(f"No space with key '{key}'.")
    parent = None
    if isinstance(data.get("ancestors"), list) and data["ancestors"]:
        parent = data["ancestors"][-1].get("id")
    row = store.create_page(space["id"], data.get("title") or "", _storage_v1(data), parent_id=parent,
                            author=account_of(request))
    return JSONResponse(shapes_v1.content_v1(store, row, {"space", "version", "body.storage"}, site_base(request)))


async def get_labels(request: Request) -> Response:
    rows = store_of(request).labels(request.path_params["id"], prefix=request.query_params.get("prefix") or None)
    return JSONResponse(shapes_v1.labels_v1(rows))


async def add_labels(request: Request) -> Response:
    data = await json_body(request)
    items = data if isinstance(data, list) else [data]
    labels = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise bad_request('Each label must be an object like {"prefix": "global", "name": "release"}.')
        labels.append((item.get("prefix") or "global", item["name"]))
    rows = store_of(request).add_labels(request.path_params["id"], labels)
    return JSONResponse(shapes_v1.labels_v1(rows))


async def remove_label(request: Request) -> Response:
    store_of(request).remove_label(request.path_params["id"], request.path_params["label"])
    return Response(status_code=204)


async def remove_label_by_query(request: Request) -> Response:
    name = request.query_params.get("name")
    if not name:
        raise bad_request("The label name is required (?name=…).")
    store_of(request).remove_label(request.path_params["id"], name)
    return Response(status_code=204)


def routes() -> list[Route]:
    def r(path: str, fn, methods=("GET",)) -> Route:
        return Route(PREFIX + path, endpoint(fn, "v1"), methods=list(methods))

    return [
        *[Route(PREFIX + path, endpoint(fn, "v1"), methods=m) for path, fn, m in search_routes()],
        r("/user/current", current_user),
        r("/content", create_content, ("POST",)),
        r("/content/{id}", get_content),
        r("/content/{id}", update_content, ("PUT",)),
        r("/content/{id}/label", get_labels),
        r("/content/{id}/label", add_labels, ("POST",)),
        r("/content/{id}/label", remove_label_by_query, ("DELETE",)),
        r("/content/{id}/label/{label}", remove_label, ("DELETE",)),
        *[Route(PREFIX + path, endpoint(fn, "v1"), methods=m) for path, fn, m in dc_routes()],
    ]
