"""REST v2 routes of pages and blog posts: one set of handlers bound to the kind (read, create,
update, versions, labels; the blog post lists), as the v2 spec gives them the same shapes bar the
tree members (``PageSingle`` / ``BlogPostSingle``). A request for a kind at another kind's endpoint
answers 404, as Cloud does (``/pages/{id}`` of a blog post is "not found")."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workbench.emulator import shapes
from workbench.emulator.content_v2 import SINGLE_FORMATS, content_list, content_lister, render
from workbench.emulator.errors import bad_request, not_found
from workbench.emulator.http import (
    account_of,
    body_format,
    body_format_name,
    id_field,
    int_param,
    json_body,
    list_param,
    object_body,
    storage_value,
    store_of,
    text_field,
)
from workbench.emulator.paging import v2_list, window
from workbench.emulator.space_access import check_change, check_view
from workbench.emulator.store_content import BLOGPOST, PAGE, kind_name


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
        check_view(store, account_of(request), row)  # getPageById: 404 without view permission
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
        # createPage: 404 when the user may not view the space or add to it
        check_change(store, account_of(request), space["id"], kind, "create")
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
        # updatePage: 404 when the user may not view the page or edit pages in its space
        check_change(store, account_of(request), current["space_id"], kind, "create")
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


list_blogposts = content_lister(BLOGPOST)
