"""REST v2 routes of the content tree: folders, whiteboards, databases and smart links
(``/folders/{id}``, ``/whiteboards/{id}``, ``/databases/{id}``, ``/embeds/{id}``: ``FolderSingle`` &
co.) are created, read and deleted; every tree kind lists its ``direct-children`` of any kind in
Confluence's order (``childPosition``; the item is the newer spec's ``ChildrenResponse``, see
``shapes.direct_child_v2``) and its ``ancestors`` with their types. Deleting serves pages and blog
posts too."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workbench.emulator import shapes
from workbench.emulator.content_v2 import render
from workbench.emulator.http import (
    account_of,
    id_field,
    int_param,
    json_body,
    object_body,
    store_of,
    text_field,
)
from workbench.emulator.paging import site_base, v2_list, window
from workbench.emulator.space_access import check_change
from workbench.emulator.store_content import DATABASE, EMBED, FOLDER, TREE_KINDS, WHITEBOARD


def get_tree_item(kind: str):
    async def handler(request: Request) -> Response:
        row = store_of(request).get_page(request.path_params["id"], kinds=(kind,))
        return JSONResponse(render(request, row, single=True))

    return handler


def create_tree_item(kind: str):
    """``POST /folders`` ``{spaceId, title, parentId}`` (CreateFolderRequest), and the same members for
    whiteboards, databases and smart links (``embedUrl`` too: CreateSmartLinkRequest)."""

    async def handler(request: Request) -> Response:
        data = object_body(await json_body(request))
        space_id = id_field(data, "spaceId", required=True) or ""
        store = store_of(request)
        space = store.get_space(space_id)
        default_title = {
            FOLDER: "Untitled folder",
            WHITEBOARD: "Untitled whiteboard",
            DATABASE: "Untitled database",
            EMBED: "Untitled smart link",
        }[kind]
        title = text_field(data, "title", required=False) or default_title
        embed_url = text_field(data, "embedUrl", required=False) if kind == EMBED else None
        row = store.create_page(
            space["id"],
            title,
            "",
            parent_id=id_field(data, "parentId"),
            author=account_of(request),
            kind=kind,
            embed_url=embed_url,
        )
        return JSONResponse(render(request, row, single=True))

    return handler


def delete_content(kind: str):
    async def handler(request: Request) -> Response:
        purge = request.query_params.get("purge") == "true"
        store = store_of(request)
        row = store.get_page(request.path_params["id"], trashed=True, kinds=(kind,))
        # deletePage: 404 when the user may not view it or delete pages in its space
        check_change(store, account_of(request), row["space_id"], kind, "delete")
        store.delete_page(request.path_params["id"], purge=purge, kinds=(kind,))
        return Response(status_code=204)

    return handler


def direct_children(kind: str):
    """``GET /{collection}/{id}/direct-children``: children of every kind, in the parent's order."""

    async def handler(request: Request) -> Response:
        store = store_of(request)
        parent = store.get_page(request.path_params["id"], kinds=(kind,))
        offset, limit = window(request)
        sort = request.query_params.get("sort") or "child-position"
        if sort not in ("child-position", "-child-position"):
            sort_rows = store.list_pages(
                parent_id=parent["id"], sort=sort, offset=offset, limit=limit + 1, types=TREE_KINDS
            )
        else:
            sort_rows = store.children(
                parent["id"],
                types=TREE_KINDS,
                offset=offset,
                limit=limit + 1,
                descending=sort.startswith("-"),
            )
        return v2_list(request, sort_rows, offset, limit, shapes.direct_child_v2)

    return handler


def ancestors(kind: str):
    """``GET /{collection}/{id}/ancestors``: ``[{id, type}]`` highest first (v2 ``Ancestor``)."""

    async def handler(request: Request) -> Response:
        store = store_of(request)
        store.get_page(request.path_params["id"], kinds=(kind,))
        limit = min(max(int_param(request, "limit", 25) or 25, 1), 250)
        chain = store.ancestors(request.path_params["id"])[-limit:]
        return JSONResponse(
            {
                "results": [{"id": str(a["id"]), "type": a["type"]} for a in chain],
                "_links": {"base": site_base(request)},
            }
        )

    return handler
