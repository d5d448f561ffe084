"""REST v1 attachments (Cloud and Data Center): list, upload (new file, new version), the download
redirect, delete; and the download path that serves the bytes.

From the v1 spec (``Content - attachments``):

- ``GET /content/{id}/child/attachment``: ``start``, ``limit`` (25), ``filename``, ``mediaType``;
- ``POST`` the same path: multipart ``file`` (one or more), ``comment`` (one per file, in order),
  ``minorEdit``; a name the content already has is a 400. ``PUT``: create, or a new version of the
  attachment of that name. Both answer a ``ContentArray``;
- ``POST /content/{id}/child/attachment/{attachmentId}/data``: a new version by id; answers ``Content``;
- ``GET /content/{id}/child/attachment/{attachmentId}/download``: a 302 to the bytes (``version``:
  400 when past the latest);
- every multipart write needs ``X-Atlassian-Token: no-check`` ("otherwise it will be blocked. This
  protects against XSRF attacks"). Without it the answer is a 403 ``XSRF check failed`` in plain text
  (sooperset/mcp-atlassian#1207 and #1253 on Server; public clients quote the same text for Cloud).
  The spec's own examples write ``nocheck``, which Cloud accepts; Data Center accepts only
  ``no-check`` (#1207: "Confluence Server requires exactly "no-check"").

Data Center has no ``PUT`` on the list path: "Confluence Server/DC does not support PUT on the
attachment list endpoint — it returns 404 or 405" (sooperset/mcp-atlassian#1253, tested against a
Server): there a new version goes through ``…/{attachmentId}/data``.

Deleting on v1 is ``DELETE /content/att{n}`` (content delete; to the trash).
"""

from __future__ import annotations

from urllib.parse import unquote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from workbench.emulator.errors import ApiError, bad_request, not_found
from workbench.emulator.http import (
    account_of,
    endpoint,
    int_param,
    state_of,
    store_of,
    v1_error,
)
from workbench.emulator.paging import site_base
from workbench.emulator.routes_v1_dc import _window, v1_list
from workbench.emulator.shapes_attachments import attachment_v1, download_path, links_v1
from workbench.emulator.store_attachments import media_type_for
from workbench.emulator.store_content import BODY_KINDS

XSRF_HEADER = "x-atlassian-token"
MAX_FILES = 100


def _render(request: Request):
    store = store_of(request)
    base = site_base(request)
    dc = state_of(request).is_dc
    return lambda row: attachment_v1(store, row, base, dc=dc)


def _xsrf_refusal(request: Request) -> Response | None:
    token = (request.headers.get(XSRF_HEADER) or "").strip().lower()
    accepted = ("no-check",) if state_of(request).is_dc else ("no-check", "nocheck")
    if token in accepted:
        return None
    return PlainTextResponse("XSRF check failed", status_code=403)


async def list_attachments(request: Request) -> Response:
    start, limit = _window(request)
    rows = store_of(request).list_attachments(
        request.path_params["id"],
        filename=request.query_params.get("filename") or None,
        media_type=request.query_params.get("mediaType") or None,
        offset=start,
        limit=limit + 1,
    )
    return v1_list(request, rows, start, limit, _render(request))


async def _text(value: str | UploadFile) -> str:
    if isinstance(value, UploadFile):
        return (await value.read()).decode("utf-8", "replace")
    return value


async def _files(request: Request) -> tuple[list[UploadFile], list[str], bool]:
    if not (request.headers.get("content-type") or "").startswith("multipart/form-data"):
        raise bad_request("Send the file as multipart/form-data with a 'file' part.")
    try:
        form = await request.form(max_files=MAX_FILES)
    except Exception as exc:  # python-multipart's and Starlette's parse errors
        raise bad_request(f"The multipart body could not be read ({exc}).") from None
    files = [f for f in form.getlist("file") if isinstance(f, UploadFile)]
    if not files:
        raise bad_request(
            "No file was sent; the multipart body needs a 'file' part with a filename."
        )
    comments = [await _text(c) for c in form.getlist("comment")]
    if comments and len(comments) != len(files):
        raise bad_request(
            "Every file must have a comment, in the same order as the files, or none may have one."
        )
    minor = str(await _text(form.get("minorEdit") or "false")).strip().strip('"').lower() == "true"
    return files, comments, minor


async def _store_files(request: Request, container_id: str, *, new_version: bool) -> list[dict]:
    refusal = _xsrf_refusal(request)
    if refusal is not None:
        raise _Refused(refusal)
    store = store_of(request)
    container = store.get_page(container_id, kinds=BODY_KINDS)
    files, comments, minor = await _files(request)
    names = [f.filename or "" for f in files]
    if not new_version:
        for name in names:
            if store.list_attachments(container["id"], filename=name.strip(), limit=1):
                raise bad_request(
                    "Cannot add a new attachment with same file name as an existing attachment: "
                    f"{name}"
                )
    rows = []
    for index, upload in enumerate(files):
        blob = await run_in_threadpool(store.save_blob, upload.file)
        rows.append(
            store.add_attachment(
                container["id"],
                upload.filename or "",
                blob,
                media_type=media_type_for(upload.filename or "", upload.content_type),
                comment=comments[index] if comments else "",
                minor_edit=minor,
                author=account_of(request),
                new_version=new_version,
            )
        )
    return rows


class _Refused(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


def _content_array(request: Request, rows: list[dict]) -> JSONResponse:
    render = _render(request)
    return JSONResponse(
        {
            "results": [render(r) for r in rows],
            "start": 0,
            "limit": len(rows),
            "size": len(rows),
            "_links": links_v1(site_base(request)),
        }
    )


async def create_attachments(request: Request) -> Response:
    try:
        rows = await _store_files(request, request.path_params["id"], new_version=False)
    except _Refused as refused:
        return refused.response
    return _content_array(request, rows)


async def create_or_update_attachments(request: Request) -> Response:
    if state_of(request).is_dc:
        return v1_error(405, "Method Not Allowed")
    try:
        rows = await _store_files(request, request.path_params["id"], new_version=True)
    except _Refused as refused:
        return refused.response
    return _content_array(request, rows)


async def update_attachment_data(request: Request) -> Response:
    refusal = _xsrf_refusal(request)
    if refusal is not None:
        return refusal
    store = store_of(request)
    row = store.attachment(request.path_params["attachment"])
    if str(row["container_id"]) != request.path_params["id"]:
        raise not_found("The attachment")
    files, comments, minor = await _files(request)
    if len(files) != 1:
        raise bad_request("Send exactly one file to update an attachment's data.")
    upload = files[0]
    if upload.filename and upload.filename.strip() != row["title"]:
        raise bad_request(
            f"The file is named '{upload.filename}' but the attachment is '{row['title']}'."
        )
    blob = await run_in_threadpool(store.save_blob, upload.file)
    updated = store.add_attachment_version(
        row["id"],
        blob,
        media_type=media_type_for(row["title"], upload.content_type),
        comment=comments[0] if comments else "",
        minor_edit=minor,
        author=account_of(request),
        container_id=row["container_id"],
    )
    return JSONResponse(_render(request)(updated))


async def download_redirect(request: Request) -> Response:
    store = store_of(request)
    row = store.attachment(request.path_params["attachment"])
    if str(row["container_id"]) != request.path_params["id"]:
        raise not_found("The attachment")
    version = int_param(request, "version")
    if version is not None:
        if not 0 < version <= row["version"]:
            raise bad_request(
                f"Version {version} is not a version of this attachment (latest: {row['version']})."
            )
        row = store.attachment(row["id"], version=version)
    return Response(
        status_code=302, headers={"Location": f"{site_base(request)}{download_path(row)}"}
    )


async def get_attachment_content(request: Request) -> Response:
    row = store_of(request).attachment(request.path_params["number"])
    return JSONResponse(_render(request)(row))


async def delete_attachment_content(request: Request) -> Response:
    purge = request.query_params.get("status") == "trashed"  # v1: DELETE ?status=trashed purges
    store_of(request).delete_attachment(request.path_params["number"], purge=purge)
    return Response(status_code=204)


async def download_bytes(request: Request) -> Response:
    """``/download/attachments/{container}/{name}[?version=N]``: the bytes, streamed from the file."""
    store = store_of(request)
    name = unquote(request.path_params["name"])
    rows = store.list_attachments(request.path_params["container"], filename=name, limit=1)
    if not rows:
        raise not_found("The attachment")
    row = rows[0]
    version = int_param(request, "version")
    if version is not None and version != row["version"]:
        try:
            row = store.attachment(row["id"], version=version)
        except ApiError:
            raise not_found(f"Version {version} of the attachment") from None
    path = store.blob_path(row["sha256"])
    return FileResponse(
        path,
        media_type=row["media_type"],
        filename=row["title"],
        content_disposition_type="attachment",
        headers={"ETag": f'"{row["sha256"][:32]}"'},
    )


def attachment_routes_v1():
    """``(path under /rest/api, handler, methods)``; these go before the generic ``/content/{id}``."""
    return [
        ("/content/att{number:int}", get_attachment_content, ["GET"]),
        ("/content/att{number:int}", delete_attachment_content, ["DELETE"]),
        ("/content/{id}/child/attachment", list_attachments, ["GET"]),
        ("/content/{id}/child/attachment", create_attachments, ["POST"]),
        ("/content/{id}/child/attachment", create_or_update_attachments, ["PUT"]),
        ("/content/{id}/child/attachment/{attachment}/data", update_attachment_data, ["POST"]),
        ("/content/{id}/child/attachment/{attachment}/download", download_redirect, ["GET"]),
    ]


def download_routes() -> list[Route]:
    return [
        Route(
            "/wiki/download/attachments/{container}/{name:path}",
            endpoint(download_bytes, "v1"),
            methods=["GET", "HEAD"],
        )
    ]
