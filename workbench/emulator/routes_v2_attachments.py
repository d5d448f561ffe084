"""REST v2 attachments (Cloud): a page's or blog post's attachments, one attachment, its versions,
delete to the trash. There is no upload in v2 (uploads are v1: :mod:`routes_v1_attachments`).

Paths and parameters from the v2 spec: ``GET /pages/{id}/attachments`` and
``GET /blogposts/{id}/attachments`` (``sort``, ``cursor``, ``status``, ``mediaType``, ``filename``,
``limit`` — default 50, at most 250), ``GET /attachments/{id}`` (``version``, ``include-version``,
``include-versions``), ``GET /attachments/{id}/versions``, ``DELETE /attachments/{id}`` (``purge``).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workbench.emulator.errors import bad_request
from workbench.emulator.http import int_param, store_of
from workbench.emulator.paging import site_base, v2_list, window
from workbench.emulator.shapes_attachments import attachment_v2, attachment_version_v2

DEFAULT_LIMIT = 50  # the spec's default for attachment lists (25 elsewhere)


def container_attachments(kind: str):
    async def handler(request: Request) -> Response:
        offset, limit = window(request, default=DEFAULT_LIMIT)
        rows = store_of(request).list_attachments(
            request.path_params["id"],
            filename=request.query_params.get("filename") or None,
            media_type=request.query_params.get("mediaType") or None,
            status=request.query_params.get("status") or None,
            sort=request.query_params.get("sort") or None,
            offset=offset,
            limit=limit + 1,
            kinds=(kind,),
        )
        return v2_list(request, rows, offset, limit, attachment_v2)

    return handler


async def get_attachment(request: Request) -> Response:
    store = store_of(request)
    row = store.attachment(request.path_params["id"], version=int_param(request, "version"))
    body = attachment_v2(row)
    if request.query_params.get("include-version") == "false":
        del body["version"]
    if request.query_params.get("include-versions") == "true":
        versions = store.attachment_versions(row["id"], limit=50)
        body["versions"] = {
            "results": [attachment_version_v2(v) for v in versions],
            "meta": {"hasMore": False},
            "_links": {},
        }
    body["_links"]["base"] = site_base(request)
    return JSONResponse(body)


async def attachment_versions(request: Request) -> Response:
    offset, limit = window(request)
    sort = request.query_params.get("sort") or "-modified-date"
    if sort not in ("modified-date", "-modified-date"):
        raise bad_request(f"Invalid sort '{sort}'; use modified-date or -modified-date.")
    rows = store_of(request).attachment_versions(
        request.path_params["id"],
        offset=offset,
        limit=limit + 1,
        newest_first=sort.startswith("-"),
    )
    return v2_list(request, rows, offset, limit, attachment_version_v2)


async def delete_attachment(request: Request) -> Response:
    purge = (request.query_params.get("purge") or "false").lower()
    if purge not in ("true", "false"):
        raise bad_request("purge must be true or false.")
    store_of(request).delete_attachment(request.path_params["id"], purge=purge == "true")
    return Response(status_code=204)


def attachment_routes():
    return [
        ("/pages/{id}/attachments", container_attachments("page"), ["GET"]),
        ("/blogposts/{id}/attachments", container_attachments("blogpost"), ["GET"]),
        ("/attachments/{id}", get_attachment, ["GET"]),
        ("/attachments/{id}", delete_attachment, ["DELETE"]),
        ("/attachments/{id}/versions", attachment_versions, ["GET"]),
    ]
