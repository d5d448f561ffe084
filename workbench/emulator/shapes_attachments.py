"""JSON shapes of attachments, v2 (``AttachmentBulk``) and v1 (``Content`` of type ``attachment``).

Sources (see tests/contract/SOURCES.md, "Attachments"):

- v2: the spec's ``AttachmentBulk``/``AttachmentSingle``/``AttachmentVersion``; a recorded Cloud list
  item (aai-cli) gives ``downloadLink`` as
  ``/download/attachments/{pageId}/{name}?version=N&modificationDate=MS&cacheVersion=1&api=v2``,
  relative to ``_links.base``;
- v1: a recorded Cloud upload answer (aai-cli: ``type: attachment``, ``extensions`` with ``mediaType``,
  ``fileSize`` as a number, ``comment``, ``mediaTypeDescription``, ``fileId``,
  ``collectionName: contentId-<page>``, ``version.message`` = the comment) and markfluence's verified
  notes (``_links.download`` is the API path ``/rest/api/content/{page}/child/attachment/{id}/download``
  on Cloud, context-relative). Data Center keeps the classic ``/download/attachments/…`` link.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from workbench.emulator.flavour import context_of
from workbench.emulator.schema import parse_iso
from workbench.emulator.shapes_v1 import friendly, user_v1
from workbench.emulator.store_attachments import media_description


def att_id(row: dict[str, Any]) -> str:
    return f"att{row['id']}"


def download_path(row: dict[str, Any], *, version: bool = True) -> str:
    """``/download/attachments/{container}/{name}?version=N&modificationDate=…&api=v2`` (site-relative
    to ``_links.base``)."""
    millis = int(parse_iso(row["modified_at"]).timestamp() * 1000)
    path = f"/download/attachments/{row['container_id']}/{quote(row['title'])}"
    if not version:
        return path
    return f"{path}?version={row['version']}&modificationDate={millis}&cacheVersion=1&api=v2"


def webui_path(row: dict[str, Any]) -> str:
    """The attachment's place in the web UI: the container's attachments view with it previewed."""
    preview = quote(f"/{row['container_id']}/{att_id(row)}/{row['title']}", safe="")
    return f"/pages/viewpageattachments.action?pageId={row['container_id']}&preview={preview}"


def version_v2(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "createdAt": row["modified_at"],
        "message": row["comment"],
        "number": row["version"],
        "minorEdit": bool(row["minor_edit"]),
        "authorId": row["modified_by"],
    }


def attachment_v2(row: dict[str, Any]) -> dict[str, Any]:
    container_key = "blogPostId" if row.get("container_type") == "blogpost" else "pageId"
    download = download_path(row)
    return {
        "id": att_id(row),
        "status": row["status"],
        "title": row["title"],
        "createdAt": row["created_at"],
        container_key: str(row["container_id"]),
        "mediaType": row["media_type"],
        "mediaTypeDescription": media_description(row["media_type"]),
        "comment": row["comment"],
        "fileId": row["file_id"],
        "fileSize": row["size"],
        "webuiLink": webui_path(row),
        "downloadLink": download,
        "version": version_v2(row),
        "_links": {"webui": webui_path(row), "download": download},
    }


def attachment_version_v2(row: dict[str, Any]) -> dict[str, Any]:
    return {**version_v2(row), "attachment": {"id": att_id(row), "title": row["title"]}}


def attachment_v1(store, row: dict[str, Any], base: str, *, dc: bool) -> dict[str, Any]:
    """v1 ``Content`` of type ``attachment`` (``version`` and ``container`` always expanded: clients
    ask for them, and the upload answer carries ``version``)."""
    user = store.user(row["modified_by"]) or {
        "account_id": row["modified_by"],
        "display_name": row["modified_by"],
    }
    container = row["container_id"]
    if dc:
        download = download_path(row)
    else:
        download = f"/rest/api/content/{container}/child/attachment/{att_id(row)}/download"
    return {
        "id": att_id(row),
        "type": "attachment",
        "status": row["status"],
        "title": row["title"],
        "version": {
            "by": user_v1(user, base),
            "when": row["modified_at"],
            "friendlyWhen": friendly(row["modified_at"]),
            "message": row["comment"],
            "number": row["version"],
            "minorEdit": bool(row["minor_edit"]),
            "contentTypeModified": False,
        },
        "container": {
            "id": str(container),
            "type": row.get("container_type") or "page",
            "_links": {"self": f"{base}/rest/api/content/{container}"},
        },
        "metadata": {"comment": row["comment"], "mediaType": row["media_type"]},
        "extensions": {
            "mediaType": row["media_type"],
            "fileSize": row["size"],
            "comment": row["comment"],
            "mediaTypeDescription": media_description(row["media_type"]),
            "fileId": row["file_id"],
            "collectionName": f"contentId-{container}",
        },
        "_links": {
            "webui": webui_path(row),
            "download": download,
            "self": f"{base}/rest/api/content/{att_id(row)}",
        },
        "_expandable": {"space": "", "history": f"/rest/api/content/{att_id(row)}/history"},
    }


def links_v1(base: str) -> dict[str, str]:
    return {"base": base, "context": context_of(base)}
