"""Content properties: v1 ``/rest/api/content/{id}/property[/{key}]`` (Cloud v1 spec and Data Center)
and v2 ``/pages/{page-id}/properties[/{property-id}]`` and the same under ``/blogposts`` (v2 spec).

Shapes: v1 ``ContentProperty`` ``{id, key, value, version{when, message, number, minorEdit}, _links,
_expandable}`` in a ``ContentPropertyArray``; v2 ``ContentProperty`` ``{id, key, value, version}``.
An update must carry the current version plus one (409 otherwise, as for pages).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workbench.emulator.errors import bad_request
from workbench.emulator.http import account_of, json_body, object_body, state_of, store_of
from workbench.emulator.paging import context_path, site_base, v2_list, window
from workbench.emulator.store_content import BLOGPOST, DC_KINDS, PAGE, TREE_KINDS


def _kinds(request: Request) -> tuple[str, ...]:
    return DC_KINDS if state_of(request).is_dc else (*TREE_KINDS, BLOGPOST)


def property_v1(request: Request, content_id: int, row: dict[str, Any]) -> dict[str, Any]:
    base = site_base(request)
    return {
        "id": str(row["id"]),
        "key": row["key"],
        "value": row["value"],
        "version": {
            "when": row["modified_at"],
            "message": "",
            "number": row["version"],
            "minorEdit": False,
        },
        "_links": {
            "self": f"{base}/rest/api/content/{content_id}/property/{row['key']}",
            "base": base,
            "context": context_path(request),
        },
        "_expandable": {"content": f"/rest/api/content/{content_id}"},
    }


def property_v2(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "key": row["key"],
        "value": row["value"],
        "version": {
            "createdAt": row["modified_at"],
            "message": "",
            "number": row["version"],
            "minorEdit": False,
            "authorId": row["author_id"],
        },
    }


def _content(request: Request, kinds: tuple[str, ...] | None = None) -> dict[str, Any]:
    content_id = request.path_params.get("id") or request.path_params.get("content_id") or ""
    return store_of(request).get_page(content_id, kinds=kinds or _kinds(request))


def _value_of(data: dict[str, Any]) -> Any:
    if "value" not in data:
        raise bad_request("value is required (any JSON value).")
    return data["value"]


def _version_of(data: dict[str, Any]) -> int:
    version = data.get("version")
    if not isinstance(version, dict) or type(version.get("number")) is not int:
        raise bad_request("version.number is required: the property's current version plus one.")
    return version["number"]


# -- v1 ----------------------------------------------------------------------------------------
async def v1_list(request: Request) -> Response:
    row = _content(request)
    items = store_of(request).properties(row["id"], key=request.query_params.get("key"))
    base = site_base(request)
    return JSONResponse(
        {
            "results": [property_v1(request, row["id"], p) for p in items],
            "start": 0,
            "limit": max(len(items), 10),
            "size": len(items),
            "_links": {
                "self": f"{base}/rest/api/content/{row['id']}/property",
                "base": base,
                "context": context_path(request),
            },
        }
    )


async def v1_create(request: Request) -> Response:
    row = _content(request)
    data = object_body(await json_body(request))
    key = request.path_params.get("key") or data.get("key")
    if not isinstance(key, str):
        raise bad_request("key is required: the property's name.")
    made = store_of(request).create_property(
        row["id"], key, _value_of(data), author=account_of(request)
    )
    return JSONResponse(property_v1(request, row["id"], made))


async def v1_get(request: Request) -> Response:
    row = _content(request)
    return JSONResponse(
        property_v1(
            request, row["id"], store_of(request).property(row["id"], request.path_params["key"])
        )
    )


async def v1_update(request: Request) -> Response:
    row = _content(request)
    data = object_body(await json_body(request))
    store = store_of(request)
    key = request.path_params["key"]
    if not store.properties(row["id"], key=key):  # v1 PUT creates a missing property (version 1)
        made = store.create_property(row["id"], key, _value_of(data), author=account_of(request))
        return JSONResponse(property_v1(request, row["id"], made))
    updated = store.update_property(
        row["id"], key, _value_of(data), version=_version_of(data), author=account_of(request)
    )
    return JSONResponse(property_v1(request, row["id"], updated))


async def v1_delete(request: Request) -> Response:
    row = _content(request)
    store_of(request).delete_property(row["id"], request.path_params["key"])
    return Response(status_code=204)


def v1_property_routes():
    """Under ``/wiki/rest/api``."""
    return [
        ("/content/{id}/property", v1_list, ["GET"]),
        ("/content/{id}/property", v1_create, ["POST"]),
        ("/content/{id}/property/{key}", v1_get, ["GET"]),
        ("/content/{id}/property/{key}", v1_update, ["PUT"]),
        ("/content/{id}/property/{key}", v1_create, ["POST"]),
        ("/content/{id}/property/{key}", v1_delete, ["DELETE"]),
    ]


# -- v2 ----------------------------------------------------------------------------------------
def v2_routes_for(collection: str, kind: str):
    async def listing(request: Request) -> Response:
        row = _content(request, (kind,))
        offset, limit = window(request)
        items = store_of(request).properties(row["id"], key=request.query_params.get("key"))
        return v2_list(request, items[offset : offset + limit + 1], offset, limit, property_v2)

    async def create(request: Request) -> Response:
        row = _content(request, (kind,))
        data = object_body(await json_body(request))
        key = data.get("key")
        if not isinstance(key, str):
            raise bad_request("key is required: the property's name.")
        made = store_of(request).create_property(
            row["id"], key, _value_of(data), author=account_of(request)
        )
        return JSONResponse(property_v2(made))

    async def get_one(request: Request) -> Response:
        row = _content(request, (kind,))
        return JSONResponse(
            property_v2(
                store_of(request).property(
                    row["id"], property_id=request.path_params["property_id"]
                )
            )
        )

    async def update(request: Request) -> Response:
        row = _content(request, (kind,))
        data = object_body(await json_body(request))
        store = store_of(request)
        current = store.property(row["id"], property_id=request.path_params["property_id"])
        if data.get("key") not in (None, current["key"]):
            raise bad_request("A property's key cannot be changed.")
        updated = store.update_property(
            row["id"],
            current["key"],
            _value_of(data),
            version=_version_of(data),
            author=account_of(request),
        )
        return JSONResponse(property_v2(updated))

    async def delete(request: Request) -> Response:
        row = _content(request, (kind,))
        store = store_of(request)
        current = store.property(row["id"], property_id=request.path_params["property_id"])
        store.delete_property(row["id"], current["key"])
        return Response(status_code=204)

    return [
        (f"/{collection}/{{content_id}}/properties", listing, ["GET"]),
        (f"/{collection}/{{content_id}}/properties", create, ["POST"]),
        (f"/{collection}/{{content_id}}/properties/{{property_id}}", get_one, ["GET"]),
        (f"/{collection}/{{content_id}}/properties/{{property_id}}", update, ["PUT"]),
        (f"/{collection}/{{content_id}}/properties/{{property_id}}", delete, ["DELETE"]),
    ]


def v2_property_routes():
    """Under ``/wiki/api/v2``."""
    return [*v2_routes_for("pages", PAGE), *v2_routes_for("blogposts", BLOGPOST)]
