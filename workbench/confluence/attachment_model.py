"""The ``Attachment`` model and its parsers for v2 (``AttachmentBulk``) and v1 (``Content`` of type
``attachment``) answers.

v2 items carry ``mediaType``, ``fileSize``, ``comment``, ``version`` and ``downloadLink`` at the top
level; v1 results carry them under ``extensions`` (and ``metadata``), with ``version.by`` naming the
person (tests/contract/SOURCES.md, "Attachments"). ``fileSize`` is a number in answers seen from the
REST API and a string in event payloads, so both are read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbench.confluence.parse_v2 import links, obj, sid


@dataclass(frozen=True, slots=True)
class Attachment:
    id: str  # "att123"
    title: str  # the file name
    media_type: str = ""
    size: int = 0
    version: int = 1
    author_id: str = ""
    author_name: str = ""  # v1 answers name the person; v2 answers give the account id only
    modified_at: str = ""  # when this version was uploaded
    created_at: str = ""
    comment: str = ""
    container_id: str = ""
    status: str = "current"
    file_id: str = ""
    download: str = ""  # the download link as the server sent it (relative to the site)

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")

    @property
    def who(self) -> str:
        return self.author_name or self.author_id


def _size(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def from_v2(d: dict) -> Attachment:
    version = obj(d.get("version"))
    container = d.get("pageId") or d.get("blogPostId") or d.get("customContentId")
    return Attachment(
        id=sid(d.get("id")),
        title=str(d.get("title") or ""),
        media_type=str(d.get("mediaType") or ""),
        size=_size(d.get("fileSize")),
        version=_size(version.get("number")) or 1,
        author_id=sid(version.get("authorId")),
        modified_at=str(version.get("createdAt") or ""),
        created_at=str(d.get("createdAt") or ""),
        comment=str(d.get("comment") or ""),
        container_id=sid(container),
        status=str(d.get("status") or "current"),
        file_id=sid(d.get("fileId")),
        download=str(d.get("downloadLink") or links(d).get("download") or ""),
    )


def from_v1(d: dict, container_id: str = "") -> Attachment:
    ext = obj(d.get("extensions"))
    meta = obj(d.get("metadata"))
    version = obj(d.get("version"))
    by = obj(version.get("by"))
    container = obj(d.get("container"))
    return Attachment(
        id=sid(d.get("id")),
        title=str(d.get("title") or ""),
        media_type=str(ext.get("mediaType") or meta.get("mediaType") or ""),
        size=_size(ext.get("fileSize")),
        version=_size(version.get("number")) or 1,
        author_id=sid(by.get("accountId") or by.get("userKey") or by.get("username")),
        author_name=str(by.get("displayName") or by.get("publicName") or ""),
        modified_at=str(version.get("when") or ""),
        comment=str(ext.get("comment") or meta.get("comment") or ""),
        container_id=sid(container.get("id")) or container_id,
        status=str(d.get("status") or "current"),
        file_id=sid(ext.get("fileId")),
        download=str(links(d).get("download") or ""),
    )


def size_text(size: int) -> str:
    """A file size for people: ``812 B``, ``4.2 KB``, ``3.1 MB`` (powers of 1024)."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover - the loop always returns
