"""REST v2 routes for every kind of content (Confluence Cloud only).

Pages and blog posts (``/pages/{id}``, ``/blogposts/{id}`` and their versions, labels, footer
comments and properties) share one set of handlers bound to the kind, as the v2 spec gives them the
same shapes bar the tree members (``PageSingle`` / ``BlogPostSingle``). Folders, whiteboards,
databases and smart links (``/folders/{id}``, ``/whiteboards/{id}``, ``/databases/{id}``,
``/embeds/{id}``: ``FolderSingle`` & co.) can be created, read and deleted. Every tree kind lists its
``direct-children`` of any kind in Confluence's order (``childPosition``) and its ``ancestors`` with
their types; ``/pages/{id}/children`` (pages only, deprecated in the current spec) stays as it was.

Each answer's shape is the spec's (``tests/specs/confluence-cloud-v2.openapi.json``, 2025-02); the
``direct-children`` item is the newer spec's ``ChildrenResponse`` (see ``shapes.direct_child_v2``).
A request for a kind at another kind's endpoint answers 404, as Cloud does (``/pages/{id}`` of a
blog post is "not found").
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workbench.emulator import shapes
from workbench.emulator.errors import bad_request, not_found
from workbench.emulator.http import (
    account_of,
    body_format,
    body_format_name,
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
from workbench.emulator.render_view import render_view
from workbench.emulator.store_content import (
    BLOGPOST,
    DATABASE,
    EMBED,
    FOLDER,
    PAGE,
    TREE_KINDS,
    WHITEBOARD,
    kind_name,
)

#: v2 path collections and the kind each serves.
COLLECTIONS = {
    "pages": PAGE,
    "blogposts": BLOGPOST,
    "folders": FOLDER,
    "whiteboards": WHITEBOARD,
    "databases": DATABASE,
    "embeds": EMBED,
}
SINGLE_FORMATS = (
    "storage",
    "view",
    "export_view",
)  # of PrimaryBodyRepresentationSingle, those served here
LIST_FORMATS = ("storage",)


def space_key(request: Request, space_id: int) -> str:
    cache: dict[int, str] = request.state.__dict__.setdefault("space_keys", {})
    if space_id not in cache:
        cache[space_id] = store_of(request).get_space(space_id)["key"]
    return cache[space_id]


def render(
    request: Request, row: dict[str, Any], *, fmt: str | None = None, single: bool = False
) -> dict[str, Any]:
    """Any kind of content as the v2 API shapes it (``single``: the ``…Single`` form with ``_links.base``)."""
    key = space_key(request, row["space_id"])
    base = site_base(request) if single else None
    kind = row.get("type") or PAGE
    if kind == PAGE:
        out = shapes.page_v2(row, key, body=fmt == "storage", base=base)
    elif kind == BLOGPOST:
        out = shapes.blogpost_v2(row, key, body=fmt == "storage", base=base)
    else:
        return shapes.tree_item_v2(row, key, base=base)
    if fmt in ("view", "export_view"):
        html = render_view(
            row.get("body") or "",
            base=site_base(request),
            space_key=key,
            absolute=fmt == "export_view",
        )
        out["body"] = {fmt: {"representation": fmt, "value": html}}
    return out


def renderer(request: Request, fmt: str | None = None):
    return lambda row: render(request, row, fmt=fmt)


def statuses(request: Request) -> tuple[str, ...]:
    found = tuple(list_param(request, "status")) or ("current", "archived")
    for status in found:
        if status not in (
            "current",
            "archived",
            "trashed",
            "deleted",
            "draft",
            "any",
            "historical",
        ):
            raise bad_request(f"Invalid status '{status}'.")
    if "any" in found:
        return ("current", "archived", "trashed")
    return found


def content_list(request: Request, kind: str, **filters: Any) -> Response:
    """A page of pages or blog posts: ``title``, ``status``, ``sort``, ``body-format`` and paging."""
    offset, limit = window(request)
    fmt = body_format_name(request, LIST_FORMATS)
    rows = store_of(request).list_pages(
        title=request.query_params.get("title"),
        statuses=statuses(request),
        sort=request.query_params.get("sort") or "id",
        offset=offset,
        limit=limit + 1,
        with_body=fmt is not None,
        types=(kind,),
        **filters,
    )
    return v2_list(request, rows, offset, limit, renderer(request, fmt))


# -- pages and blog posts ----------------------------------------------------------------------
def get_body_content(kind: str):
    async def handler(request: Request) -> Response:
        store = store_of(request)
        fmt = body_format_name(request, SINGLE_FORMATS)
        trashed = "trashed" in list_param(request, "status")
        row = store.get_page(
            request.path_params["id"],
            version=int_param(request, "version"),
            trashed=trashed,
            kinds=(kind,),
        )
        out = render(request, row, fmt=fmt, single=True)
        if request.query_params.get("include-labels") == "true":
            labels = store.labels(row["id"])
            out["labels"] = {
                "results": [shapes.label_v2(label) for label in labels[:50]],
                "meta": {"hasMore": len(labels) > 50, "cursor": ""},
                "_links": {},
            }
        return JSONResponse(out)

    return handler


def create_body_content(kind: str):
    async def handler(request: Request) -> Response:
        data = object_body(await json_body(request))
        space_id = id_field(data, "spaceId", required=True) or ""
        status = text_field(data, "status", required=False) or "current"
        if status not in (
            "current",
            "draft",
        ):  # PageCreateRequest / BlogPostCreateRequest: [current, draft]
            raise bad_request(
                f"Invalid status '{status}': a {kind_name(kind)} is created as 'current' or 'draft'."
            )
        title = text_field(data, "title") or ""
        parent_id = id_field(data, "parentId") if kind == PAGE else None
        root = kind == PAGE and request.query_params.get("root-level") == "true"
        if root and parent_id:
            raise bad_request("parentId must be omitted when root-level is true.")
        store = store_of(request)
        space = store.get_space(space_id)  # 404 when missing, as Confluence answers
        storage = storage_value(data.get("body")) if data.get("body") is not None else ""
        row = store.create_page(
            space["id"],
            title,
            storage,
            parent_id=parent_id,
            author=account_of(request),
            root=root,
            kind=kind,
            status=status,
        )
        return JSONResponse(render(request, row, fmt="storage", single=True))

    return handler


def update_body_content(kind: str):
    async def handler(request: Request) -> Response:
        data = object_body(await json_body(request))
        missing = [
            k for k in ("id", "status", "title", "body", "version") if data.get(k) in (None, "")
        ]
        if missing:
            raise bad_request(f"Missing required field(s): {', '.join(missing)}.")
        if id_field(data, "id") != str(request.path_params["id"]):
            raise bad_request(
                f"The id in the body does not match the {kind_name(kind)} id in the URL."
            )
        version = data["version"]
        if not isinstance(version, dict) or type(version.get("number")) is not int:
            raise bad_request("version.number is required and must be an integer.")
        if text_field(data, "status") != "current":
            raise bad_request("Only status 'current' is supported by the local Confluence.")
        title = text_field(data, "title")
        parent_id = id_field(data, "parentId") if kind == PAGE else None
        store = store_of(request)
        current = store.get_page(request.path_params["id"], trashed=True, kinds=(kind,))
        if (
            current["status"] == "trashed"
        ):  # status current on trashed content restores it, content untouched
            return JSONResponse(
                render(request, store.restore_page(current["id"]), fmt="storage", single=True)
            )
        space_id = id_field(data, "spaceId")
        if space_id is not None and space_id != str(current["space_id"]):
            raise bad_request(f"A {kind_name(kind)} cannot be moved to another space.")
        message = version.get("message") or ""
        if not isinstance(message, str):
            raise bad_request("version.message must be a string.")
        row = store.update_page(
            current["id"],
            storage_value(data["body"]),
            title=title,
            version=version["number"],
            author=account_of(request),
            message=message,
            parent_id=parent_id,
            kinds=(kind,),
        )
        return JSONResponse(render(request, row, fmt="storage", single=True))

    return handler


def versions(kind: str):
    async def handler(request: Request) -> Response:
        with_body = body_format(request, ("storage",))
        offset, limit = window(request, maximum=50 if with_body else 250)
        sort = request.query_params.get("sort") or "-modified-date"
        if sort not in ("modified-date", "-modified-date"):
            raise bad_request(f"Invalid sort '{sort}'; use 'modified-date' or '-modified-date'.")
        store = store_of(request)
        store.get_page(request.path_params["id"], kinds=(kind,))
        rows = store.versions(
            request.path_params["id"],
            newest_first=sort.startswith("-"),
            offset=offset,
            limit=limit + 1,
            with_body=with_body,
        )
        return v2_list(
            request,
            rows,
            offset,
            limit,
            lambda r: shapes.page_version_v2(r, body=with_body, kind=kind),
        )

    return handler


def version(kind: str):
    async def handler(request: Request) -> Response:
        store = store_of(request)
        number_text = (
            request.path_params.get("number") or request.path_params.get("version_number") or ""
        )
        try:
            number = int(number_text)
        except ValueError:
            raise not_found("The version") from None
        store.get_page(request.path_params["id"], kinds=(kind,))
        row = store.version(request.path_params["id"], number)
        return JSONResponse(
            shapes.detailed_version_v2(row, store.contributors(row["page_id"], number))
        )

    return handler


def labels(kind: str):
    async def handler(request: Request) -> Response:
        offset, limit = window(request)
        store = store_of(request)
        store.get_page(request.path_params["id"], kinds=(kind,))
        rows = store.labels(
            request.path_params["id"], prefix=request.query_params.get("prefix") or None
        )
        return v2_list(request, rows[offset : offset + limit + 1], offset, limit, shapes.label_v2)

    return handler


def space_blogposts(request: Request) -> Response:
    space = store_of(request).get_space(request.path_params["id"])
    return content_list(request, BLOGPOST, space_ids=[space["id"]])


async def list_space_blogposts(request: Request) -> Response:
    return space_blogposts(request)


async def list_blogposts(request: Request) -> Response:
    return content_list(
        request,
        BLOGPOST,
        space_ids=int_list_param(request, "space-id"),
        ids=int_list_param(request, "id"),
    )


# -- folders, whiteboards, databases, smart links ----------------------------------------------
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
        store_of(request).delete_page(request.path_params["id"], purge=purge, kinds=(kind,))
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


def content_routes() -> list[tuple[str, Any, list[str]]]:
    """``(path, handler, methods)`` under ``/wiki/api/v2``."""
    out: list[tuple[str, Any, list[str]]] = []
    for collection, kind in (("pages", PAGE), ("blogposts", BLOGPOST)):
        out += [
            (f"/{collection}", create_body_content(kind), ["POST"]),
            (f"/{collection}/{{id}}", get_body_content(kind), ["GET"]),
            (f"/{collection}/{{id}}", update_body_content(kind), ["PUT"]),
            (f"/{collection}/{{id}}", delete_content(kind), ["DELETE"]),
            (f"/{collection}/{{id}}/versions", versions(kind), ["GET"]),
            (f"/{collection}/{{id}}/versions/{{number}}", version(kind), ["GET"]),
            (f"/{collection}/{{id}}/labels", labels(kind), ["GET"]),
        ]
    out += [
        ("/blogposts", list_blogposts, ["GET"]),
        ("/spaces/{id}/blogposts", list_space_blogposts, ["GET"]),
    ]
    for collection, kind in (
        ("folders", FOLDER),
        ("whiteboards", WHITEBOARD),
        ("databases", DATABASE),
        ("embeds", EMBED),
    ):
        out += [
            (f"/{collection}", create_tree_item(kind), ["POST"]),
            (f"/{collection}/{{id}}", get_tree_item(kind), ["GET"]),
            (f"/{collection}/{{id}}", delete_content(kind), ["DELETE"]),
        ]
    for collection, kind in (
        ("pages", PAGE),
        ("folders", FOLDER),
        ("whiteboards", WHITEBOARD),
        ("databases", DATABASE),
        ("embeds", EMBED),
    ):
        out += [
            (f"/{collection}/{{id}}/direct-children", direct_children(kind), ["GET"]),
            (f"/{collection}/{{id}}/ancestors", ancestors(kind), ["GET"]),
        ]
    return out
