"""REST v2 footer comments: list a page's root comments, get one, its replies, create and reply."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workbench.emulator import shapes
from workbench.emulator.errors import bad_request
from workbench.emulator.http import (
    account_of,
    body_format,
    id_field,
    json_body,
    object_body,
    storage_value,
    store_of,
)
from workbench.emulator.paging import site_base, v2_list, window


def _render(request: Request, with_body: bool):
    store = store_of(request)
    keys: dict[int, str] = {}

    def render(row):
        page = store.get_page(row["page_id"])
        if page["space_id"] not in keys:
            keys[page["space_id"]] = store.get_space(page["space_id"])["key"]
        return shapes.comment_v2(row, keys[page["space_id"]], body=with_body)

    return render


def page_comments(kind: str):
    """``GET /pages/{id}/footer-comments`` and ``GET /blogposts/{id}/footer-comments``: root comments."""

    async def handler(request: Request) -> Response:
        store_of(request).get_page(request.path_params["id"], kinds=(kind,))
        return await _root_comments(request)

    return handler


async def _root_comments(request: Request) -> Response:
    with_body = body_format(request, ("storage",))
    offset, limit = window(request)
    sort = request.query_params.get("sort") or "created-date"
    if sort not in ("created-date", "-created-date", "modified-date", "-modified-date"):
        raise bad_request(f"Invalid sort '{sort}'.")
    rows = store_of(request).comments(
        request.path_params["id"], newest_first=sort.startswith("-"), offset=offset, limit=limit + 1
    )
    return v2_list(request, rows, offset, limit, _render(request, with_body))


async def comment_children(request: Request) -> Response:
    with_body = body_format(request, ("storage",))
    offset, limit = window(request)
    store_of(request).footer_comment(request.path_params["id"])  # 404 for an inline comment's id
    rows = store_of(request).comment_children(
        request.path_params["id"], offset=offset, limit=limit + 1
    )
    return v2_list(request, rows, offset, limit, _render(request, with_body))


async def get_comment(request: Request) -> Response:
    with_body = body_format(request, ("storage",))
    row = store_of(request).footer_comment(request.path_params["id"])
    out = _render(request, with_body)(row)
    out["_links"]["base"] = site_base(request)
    return JSONResponse(out)


async def update_comment(request: Request) -> Response:
    data = object_body(await json_body(request))
    storage = storage_value(data.get("body"))
    version = data.get("version")
    if not isinstance(version, dict) or type(version.get("number")) is not int:
        raise bad_request(
            "version.number is required: send the comment's current version plus one."
        )
    store_of(request).footer_comment(request.path_params["id"])
    row = store_of(request).update_comment(
        request.path_params["id"], storage, version=version["number"]
    )
    return JSONResponse(_render(request, True)(row))


async def delete_comment(request: Request) -> Response:
    store_of(request).footer_comment(request.path_params["id"])
    store_of(request).delete_comment(request.path_params["id"])
    return Response(status_code=204)


async def create_comment(request: Request) -> Response:
    data = object_body(await json_body(request))
    storage = storage_value(data.get("body"))
    page_id, blog_id = id_field(data, "pageId"), id_field(data, "blogPostId")
    parent_id = id_field(data, "parentCommentId")
    if sum(1 for x in (page_id, blog_id, parent_id) if x) != 1:
        raise bad_request("A comment needs exactly one of pageId, blogPostId or parentCommentId.")
    container = page_id or blog_id
    if container:  # the container must be of the kind named (404 as for a missing page)
        store_of(request).get_page(container, kinds=("page",) if page_id else ("blogpost",))
        page_id = container
    row = store_of(request).add_comment(
        storage,
        page_id=page_id,
        parent_comment_id=parent_id,
        author=account_of(request),
    )
    out = _render(request, True)(row)
    out["_links"]["base"] = site_base(request)
    location = f"{site_base(request)}/api/v2/footer-comments/{row['id']}"
    return JSONResponse(out, status_code=201, headers={"Location": location})


def comment_routes():
    return [
        ("/pages/{id}/footer-comments", page_comments("page"), ["GET"]),
        ("/blogposts/{id}/footer-comments", page_comments("blogpost"), ["GET"]),
        ("/footer-comments", create_comment, ["POST"]),
        ("/footer-comments/{id}", get_comment, ["GET"]),
        ("/footer-comments/{id}", update_comment, ["PUT"]),
        ("/footer-comments/{id}", delete_comment, ["DELETE"]),
        ("/footer-comments/{id}/children", comment_children, ["GET"]),
    ]
