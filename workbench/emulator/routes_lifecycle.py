"""v1 routes of the page lifecycle: move/reorder, copy a page, copy a tree (a long task), restore a
version, and purge from the trash through v1 (``/wiki/rest/api/...``; Data Center serves the same
paths under its context path, bar the move — see below).

Shapes and codes are the v1 spec's (``tests/specs/confluence-cloud-v1.openapi.json``):
``PUT /content/{pageId}/move/{position}/{targetId}`` → 200 ``{"pageId": ContentId}``;
``POST /content/{id}/copy`` (``CopyPageRequest``) → 200 ``Content``;
``POST /content/{id}/pagehierarchy/copy`` (``CopyPageHierarchyRequest``) → 202 with the spec's
description example ``{"id": "1180606", "links": {"status": "/rest/api/longtask/1180606"}}``;
``GET /longtask/{id}`` → ``LongTaskStatusWithLinks`` (fields as a recorded real answer has them:
AtlassianPS/ConfluencePS issue #28, a finished task ``{"id", "name": {"key", "args"}, "elapsedTime",
"percentageComplete": 100, "successful": true, "messages": [{"translation", "args"}], "_links"}``; the
spec adds the required ``finished``, and ``additionalDetails.destinationId``);
``POST /content/{id}/version`` (``VersionRestore``) → 200 ``Version`` with ``content`` expanded
(its default); ``DELETE /content/{id}?status=trashed`` purges a trashed page ("you must also set
the status query parameter to trashed").

Data Center: the move endpoint is a Cloud addition (CONFSERVER-39042 "Add movePage to REST API"
was still "waiting for release" when read), so the DC flavour answers it like any unknown path;
Data Center moves a page to another parent with the content PUT's ``ancestors``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workbench.emulator import shapes_v1
from workbench.emulator.errors import bad_request
from workbench.emulator.http import (
    account_of,
    id_field,
    json_body,
    no_endpoint,
    object_body,
    state_of,
    storage_value,
    store_of,
)
from workbench.emulator.paging import context_path, site_base
from workbench.emulator.routes_v1_history import _version
from workbench.emulator.space_access import check_change
from workbench.emulator.store_content import BLOGPOST, DC_KINDS, TREE_KINDS


def _kinds(request: Request) -> tuple[str, ...]:
    return DC_KINDS if state_of(request).is_dc else (*TREE_KINDS, BLOGPOST)


def _flag(data: dict[str, Any], name: str) -> bool:
    value = data.get(name, False)
    if not isinstance(value, bool):
        raise bad_request(f"{name} must be true or false.")
    return value


async def move(request: Request) -> Response:
    if state_of(request).is_dc:
        return no_endpoint(request)
    params = request.path_params
    row = store_of(request).move_page(params["pageId"], params["position"], params["targetId"])
    return JSONResponse({"pageId": str(row["id"])})


async def copy_page(request: Request) -> Response:
    data = object_body(await json_body(request))
    destination = data.get("destination")
    if (
        not isinstance(destination, dict)
        or not destination.get("type")
        or not destination.get("value")
    ):
        raise bad_request("destination with its type and value is required.")
    title = data.get("pageTitle")
    if title is not None and (not isinstance(title, str) or not title.strip()):
        raise bad_request("pageTitle must be a non-empty string.")
    body = data.get("body")
    storage = storage_value(body, v1=True) if body is not None else None
    store = store_of(request)
    row = store.copy_page(
        request.path_params["id"],
        str(destination["type"]),
        str(destination["value"]),
        title=title,
        storage=storage,
        copy_labels=_flag(data, "copyLabels"),
        copy_properties=_flag(data, "copyProperties"),
        copy_attachments=_flag(data, "copyAttachments"),
        copy_permissions=_flag(data, "copyPermissions"),
        author=account_of(request),
    )
    expand = {"space", "history", "version"}  # "By default, the following objects are expanded"
    return JSONResponse(
        shapes_v1.content_v1(store, row, expand, site_base(request), kinds=_kinds(request))
    )


async def copy_hierarchy(request: Request) -> Response:
    data = object_body(await json_body(request))
    destination = id_field(data, "destinationPageId", required=True)
    options = data.get("titleOptions") or {}
    if not isinstance(options, dict) or not all(
        isinstance(options.get(k, ""), str) for k in ("prefix", "search", "replace")
    ):
        raise bad_request("titleOptions must be an object of prefix, search and replace strings.")
    task = store_of(request).copy_hierarchy(
        request.path_params["id"],
        destination,
        prefix=options.get("prefix", ""),
        search=options.get("search", ""),
        replace=options.get("replace", ""),
        copy_labels=_flag(data, "copyLabels"),
        copy_properties=_flag(data, "copyProperties"),
        copy_attachments=_flag(data, "copyAttachments"),
        copy_permissions=_flag(data, "copyPermissions"),
        author=account_of(request),
    )
    return JSONResponse(
        {"id": task["id"], "links": {"status": f"/rest/api/longtask/{task['id']}"}},
        status_code=202,
    )


async def long_task(request: Request) -> Response:
    store = store_of(request)
    task = store.long_task(request.path_params["id"])
    base = site_base(request)
    done = task["finished"]
    destination = task["destination"]
    space_key = store.get_space(task["space_id"])["key"]
    message = f"Copied {task['copied']} pages" if done else f"Copying {task['copied']} pages"
    return JSONResponse(
        {
            "id": task["id"],
            "name": {"key": "com.atlassian.confluence.pages.CopyPageHierarchyTask", "args": []},
            "elapsedTime": task["elapsed"],
            "percentageComplete": 100 if done else 50,
            "successful": True,
            "finished": done,
            "messages": [{"translation": message, "args": []}],
            "status": "STATUS_COPIED_PAGES" if done else "STATUS_COPYING_PAGES",
            "additionalDetails": {
                "destinationId": str(destination),
                "destinationUrl": f"/spaces/{space_key}/pages/{destination}",
                "totalPageNeedToCopy": task["copied"],
            },
            "_links": {
                "base": base,
                "context": context_path(request),
                "self": f"{base}/rest/api/longtask/{task['id']}",
            },
        }
    )


async def restore_version(request: Request) -> Response:
    data = object_body(await json_body(request))
    if data.get("operationKey") != "restore":
        raise bad_request("operationKey must be 'restore'.")
    params = data.get("params")
    if not isinstance(params, dict) or type(params.get("versionNumber")) is not int:
        raise bad_request("params.versionNumber is required and must be an integer.")
    message = params.get("message", "")
    if not isinstance(message, str):
        raise bad_request("params.message must be a string.")
    store = store_of(request)
    row = store.restore_version(
        request.path_params["id"],
        params["versionNumber"],
        message=message,
        restore_title=_flag(params, "restoreTitle"),
        author=account_of(request),
        kinds=_kinds(request),
    )
    version = store.version(row["id"], row["version"])
    out = _version(request, version, row)
    out["content"] = shapes_v1.content_v1(
        store, row, {"space", "version"}, site_base(request), kinds=_kinds(request)
    )
    out["_expandable"].pop("content", None)
    return JSONResponse(out)


async def delete_content(request: Request) -> Response:
    """v1 ``DELETE /content/{id}``: to the trash, or with ``status=trashed`` purged from it."""
    purge = request.query_params.get("status") == "trashed"
    store = store_of(request)
    row = store.get_page(request.path_params["id"], trashed=True, kinds=_kinds(request))
    # deleteContent: 404 without view permission, 403 without the delete permission of its space
    check_change(store, account_of(request), row["space_id"], row["type"], "delete")
    store.delete_page(request.path_params["id"], purge=purge, kinds=_kinds(request))
    return Response(status_code=204)


def lifecycle_routes() -> list[tuple[str, Any, list[str]]]:
    """``(path, handler, methods)`` under ``/wiki/rest/api``."""
    return [
        ("/content/{pageId}/move/{position}/{targetId}", move, ["PUT"]),
        ("/content/{id}/copy", copy_page, ["POST"]),
        ("/content/{id}/pagehierarchy/copy", copy_hierarchy, ["POST"]),
        ("/longtask/{id}", long_task, ["GET"]),
        ("/content/{id}/version", restore_version, ["POST"]),
        ("/content/{id}", delete_content, ["DELETE"]),
    ]
