"""REST v2 inline comments (``/wiki/api/v2/inline-comments``, ``/pages/{id}/inline-comments``,
``/blogposts/{id}/inline-comments``).

Shapes and parameters from ``tests/specs/confluence-cloud-v2.openapi.json``: CreateInlineCommentModel
(``pageId`` | ``parentCommentId``, ``body``, ``inlineCommentProperties`` {textSelection,
textSelectionMatchCount, textSelectionMatchIndex}) answered 201 with an InlineCommentModel and a
``Location`` header; PageInlineCommentModel lists with ``body-format``, ``resolution-status``,
``status`` and ``sort``; InlineCommentChildrenModel for replies; UpdateInlineCommentModel
(``version``, ``body``, ``resolved``). Adding a top level comment wraps its selection in an
``<ac:inline-comment-marker>`` in the page's storage without a new page version (see
``store_inline``).
"""

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
    list_param,
    object_body,
    storage_value,
    store_of,
)
from workbench.emulator.paging import site_base, v2_list, window
from workbench.emulator.store_inline import RESOLUTIONS

_SORTS = ("created-date", "-created-date", "modified-date", "-modified-date")


def _render(request: Request, with_body: bool):
    store = store_of(request)
    keys: dict[int, str] = {}

    def render(row):
        row = {
            **row,
            "resolution": store.resolution_of(row),
        }  # dangling is worked out, never stored
        page = store.get_page(row["page_id"])
        if page["space_id"] not in keys:
            keys[page["space_id"]] = store.get_space(page["space_id"])["key"]
        return shapes.inline_comment_v2(row, keys[page["space_id"]], body=with_body)

    return render


async def page_inline_comments(request: Request) -> Response:
    with_body = body_format(request, ("storage",))
    offset, limit = window(request)
    sort = request.query_params.get("sort") or "created-date"
    if sort not in _SORTS:
        raise bad_request(f"Invalid sort '{sort}'.")
    wanted = list_param(request, "resolution-status")
    unknown = [w for w in wanted if w not in RESOLUTIONS]
    if unknown:
        raise bad_request(
            f"Invalid resolution-status '{unknown[0]}'; use {', '.join(RESOLUTIONS)}."
        )
    statuses = list_param(request, "status")
    if statuses and "current" not in statuses:  # deleted comments are not kept by the local server
        return v2_list(request, [], offset, limit, _render(request, with_body))
    rows = store_of(request).inline_comments(
        request.path_params["id"],
        resolutions=wanted or None,
        newest_first=sort.startswith("-"),
        offset=offset,
        limit=limit + 1,
    )
    return v2_list(request, rows, offset, limit, _render(request, with_body))


async def blogpost_inline_comments(request: Request) -> Response:
    """``GET /blogposts/{id}/inline-comments`` (v2 spec: getBlogPostInlineComments, the same
    parameters and BlogPostInlineCommentModel items as a page's); 404 unless it is a blog post."""
    store_of(request).get_page(request.path_params["id"], kinds=("blogpost",))
    return await page_inline_comments(request)


async def inline_children(request: Request) -> Response:
    with_body = body_format(request, ("storage",))
    offset, limit = window(request)
    store = store_of(request)
    store.inline_comment(request.path_params["id"])  # 404 unless it is an inline comment
    rows = store.comment_children(request.path_params["id"], offset=offset, limit=limit + 1)
    return v2_list(request, rows, offset, limit, _render(request, with_body))


async def get_inline_comment(request: Request) -> Response:
    with_body = body_format(request, ("storage",))
    row = store_of(request).inline_comment(request.path_params["id"])
    out = _render(request, with_body)(row)
    out["_links"]["base"] = site_base(request)
    return JSONResponse(out)


async def create_inline_comment(request: Request) -> Response:
    data = object_body(await json_body(request))
    storage = storage_value(data.get("body"))
    page_id = id_field(data, "pageId") or id_field(data, "blogPostId")
    parent_id = id_field(data, "parentCommentId")
    if not page_id and not parent_id:
        raise bad_request("An inline comment needs a pageId (or blogPostId) or a parentCommentId.")
    selection, count, index = None, None, 0
    if not parent_id:
        props = data.get("inlineCommentProperties")
        if not isinstance(props, dict) or not isinstance(props.get("textSelection"), str):
            raise bad_request(
                "inlineCommentProperties.textSelection is required for a top level inline comment."
            )
        selection = props["textSelection"]
        for name in ("textSelectionMatchCount", "textSelectionMatchIndex"):
            if name in props and type(props[name]) is not int:
                raise bad_request(f"inlineCommentProperties.{name} must be an integer.")
        count = props.get("textSelectionMatchCount")
        index = props.get("textSelectionMatchIndex", 0)
    row = store_of(request).add_inline_comment(
        storage,
        page_id=None if parent_id else page_id,
        parent_comment_id=parent_id,
        selection=selection,
        match_count=count,
        match_index=index,
        author=account_of(request),
    )
    out = _render(request, True)(row)
    out["_links"]["base"] = site_base(request)
    location = f"{site_base(request)}/api/v2/inline-comments/{row['id']}"
    return JSONResponse(out, status_code=201, headers={"Location": location})


async def update_inline_comment(request: Request) -> Response:
    data = object_body(await json_body(request))
    store = store_of(request)
    row = store.inline_comment(request.path_params["id"])
    if "resolved" in data:
        if not isinstance(data["resolved"], bool):
            raise bad_request("resolved must be true or false.")
        store.resolve_inline_comment(row["id"], data["resolved"], by=account_of(request))
    if data.get("body") is not None:
        version = data.get("version")
        if not isinstance(version, dict) or type(version.get("number")) is not int:
            raise bad_request(
                "version.number is required: send the comment's current version plus one."
            )
        store.update_comment(row["id"], storage_value(data["body"]), version=version["number"])
    out = _render(request, True)(store.inline_comment(row["id"]))
    out["_links"]["base"] = site_base(request)
    return JSONResponse(out)


async def delete_inline_comment(request: Request) -> Response:
    store = store_of(request)
    store.inline_comment(request.path_params["id"])
    store.delete_comment(request.path_params["id"])
    return Response(status_code=204)


def inline_routes():
    return [
        ("/pages/{id}/inline-comments", page_inline_comments, ["GET"]),
        ("/blogposts/{id}/inline-comments", blogpost_inline_comments, ["GET"]),
        ("/inline-comments", create_inline_comment, ["POST"]),
        ("/inline-comments/{id}", get_inline_comment, ["GET"]),
        ("/inline-comments/{id}", update_inline_comment, ["PUT"]),
        ("/inline-comments/{id}", delete_inline_comment, ["DELETE"]),
        ("/inline-comments/{id}/children", inline_children, ["GET"]),
    ]
