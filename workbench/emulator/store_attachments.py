"""Attachments of the local Confluence: files on pages and blog posts, with every version kept.

Metadata lives in the ``attachments`` / ``attachment_versions`` tables (schema 5); the bytes of each
version are a file named by its SHA-256 in ``attachments/`` next to the database (a temporary folder
for an in-memory store, removed when the store closes). Identical uploads share one file.

What Confluence does and the store follows:

- an attachment's id shares the content id sequence and is shown as ``att<id>`` (v1 and v2 answers,
  e.g. ``"id": "att3997705"`` in a recorded Cloud upload, tests/contract/SOURCES.md);
- a container has at most one current attachment of a name: ``POST …/child/attachment`` refuses a
  duplicate with 400 (the v1 spec: "Returned if the content already has an attachment with the same
  filename"), ``PUT`` makes a new version of it;
- deleting moves it to the trash; ``purge`` on a trashed one deletes it for good (v2 spec,
  ``DELETE /attachments/{id}``).
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any, BinaryIO

from workbench.emulator.errors import bad_request, not_found
from workbench.emulator.schema import DEMO_ACCOUNT_ID, iso, utcnow
from workbench.emulator.store_base import StoreBase
from workbench.emulator.store_content import BODY_KINDS

CHUNK = 1 << 16

# mediaTypeDescription as Cloud words it ("PNG Image", "Text File": recorded answers in
# tests/contract/SOURCES.md; "PDF Document": mcp-atlassian's fixtures); others by the same pattern.
_DESCRIPTIONS = {
    "image/png": "PNG Image",
    "image/jpeg": "JPEG Image",
    "image/gif": "GIF Image",
    "image/svg+xml": "SVG Image",
    "image/webp": "WebP Image",
    "text/plain": "Text File",
    "text/csv": "CSV File",
    "application/pdf": "PDF Document",
    "application/zip": "ZIP Archive",
    "application/json": "JSON File",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel Spreadsheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word Document",
}

_SORTS = {
    "created-date": "a.created_at, a.id",
    "-created-date": "a.created_at DESC, a.id DESC",
    "modified-date": "v.created_at, a.id",
    "-modified-date": "v.created_at DESC, a.id DESC",
}


def media_description(media_type: str) -> str:
    return _DESCRIPTIONS.get(media_type, "File")


def media_type_for(filename: str, declared: str | None) -> str:
    """The media type Confluence records: the part's declared type unless it is the generic
    ``application/octet-stream`` (what most clients send), else a guess from the name."""
    declared = (declared or "").split(";")[0].strip().lower()
    if declared and declared != "application/octet-stream":
        return declared
    guessed, _ = mimetypes.guess_type(filename)
    return guessed or "application/octet-stream"


def attachment_number(value: int | str) -> int:
    """``att123`` or ``123`` as the number 123; 404 for anything else."""
    text = str(value)
    text = text[3:] if text.startswith("att") else text
    if not text.isdigit() or len(text) > 18:
        raise not_found("The attachment")
    return int(text)


class AttachmentsMixin(StoreBase):
    """Attachment rows and their bytes (see the module docstring)."""

    path: str
    on_close: list
    _blob_root: Path | None = None

    # -- bytes --------------------------------------------------------------------------------
    def blob_dir(self) -> Path:
        with self.lock:
            if self._blob_root is None:
                if self.path == ":memory:":
                    root = Path(tempfile.mkdtemp(prefix="wb-attachments-"))
                    self.on_close.append(lambda: shutil.rmtree(root, ignore_errors=True))
                else:
                    root = Path(self.path).parent / "attachments"
                    root.mkdir(parents=True, exist_ok=True)
                self._blob_root = root
            return self._blob_root

    def save_blob(self, source: BinaryIO) -> tuple[str, int]:
        """Copy a stream into the blob folder chunk by chunk; ``(sha256, size)``."""
        folder = self.blob_dir()
        digest = hashlib.sha256()
        size = 0
        handle, temp = tempfile.mkstemp(dir=folder, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            sha = digest.hexdigest()
            os.replace(temp, folder / sha)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return sha, size

    def save_bytes(self, data: bytes) -> tuple[str, int]:
        # lazy, for start-up: io loads on first use
        import io

        return self.save_blob(io.BytesIO(data))

    def blob_path(self, sha: str) -> Path:
        path = self.blob_dir() / sha
        if not path.is_file():
            raise not_found("The attachment's file")
        return path

    # -- rows ---------------------------------------------------------------------------------
    _ROW = (
        "SELECT a.id, a.container_id, a.title, a.status, a.file_id, a.author_id, a.created_at, "
        "v.number AS version, v.media_type, v.size, v.sha256, v.comment, v.author_id AS modified_by, "
        "v.created_at AS modified_at, v.minor_edit, a.version AS latest, "
        "(SELECT p.type FROM pages p WHERE p.id = a.container_id) AS container_type "
        "FROM attachments a JOIN attachment_versions v ON v.attachment_id = a.id "
    )

    def attachment(
        self, attachment_id: int | str, *, version: int | None = None, trashed: bool = False
    ) -> dict[str, Any]:
        number = attachment_number(attachment_id)
        row = self.query_one(
            self._ROW + "WHERE a.id = ? AND v.number = COALESCE(?, a.version)", (number, version)
        )
        if row is None or (row["status"] == "trashed" and not trashed):
            if version is not None and self.query_one(
                "SELECT 1 FROM attachments WHERE id = ?", (number,)
            ):
                raise not_found(f"Version {version} of the attachment")
            raise not_found("The attachment")
        if (
            self.query_one(
                "SELECT 1 FROM pages WHERE id = ? AND status != 'trashed'", (row["container_id"],)
            )
            is None
            and not trashed
        ):
            raise not_found("The attachment")
        return row

    def list_attachments(
        self,
        container_id: int | str,
        *,
        filename: str | None = None,
        media_type: str | None = None,
        status: str | None = None,
        sort: str | None = None,
        offset: int = 0,
        limit: int = 50,
        kinds: tuple[str, ...] = BODY_KINDS,
    ) -> list[dict[str, Any]]:
        container = self.page_row(container_id, kinds=kinds)
        if sort and sort not in _SORTS:
            raise bad_request(f"Invalid sort '{sort}'; use one of {', '.join(_SORTS)}.")
        statuses = [status] if status else ["current"]
        if any(s not in ("current", "archived", "trashed") for s in statuses):
            raise bad_request(f"Invalid status '{status}'; use current, archived or trashed.")
        sql = self._ROW + "WHERE a.container_id = ? AND v.number = a.version AND a.status = ?"
        params: list[Any] = [container["id"], statuses[0]]
        if filename:
            sql += " AND a.title = ?"
            params.append(filename)
        if media_type:
            sql += " AND v.media_type = ?"
            params.append(media_type)
        sql += f" ORDER BY {_SORTS.get(sort or '', 'a.id')} LIMIT ? OFFSET ?"
        params += [limit, offset]
        return self.query(sql, params)

    def attachment_versions(
        self, attachment_id: int | str, *, offset: int = 0, limit: int = 50, newest_first=True
    ) -> list[dict[str, Any]]:
        row = self.attachment(attachment_id)
        order = "DESC" if newest_first else "ASC"
        return self.query(
            self._ROW + f"WHERE a.id = ? ORDER BY v.number {order} LIMIT ? OFFSET ?",
            (row["id"], limit, offset),
        )

    def add_attachment(
        self,
        container_id: int | str,
        filename: str,
        blob: tuple[str, int],
        *,
        media_type: str,
        comment: str = "",
        minor_edit: bool = False,
        author: str = DEMO_ACCOUNT_ID,
        when: str | None = None,
        new_version: bool = False,
        kinds: tuple[str, ...] = BODY_KINDS,
    ) -> dict[str, Any]:
        """Attach a file (version 1), or with ``new_version`` add a version to the attachment of
        that name when there is one (v1 ``PUT``). A duplicate name without ``new_version`` is the
        v1 ``POST``'s 400."""
        filename = _check_name(filename)
        with self.lock, self.transaction():
            container = self.page_row(container_id, kinds=kinds)
            existing = self.scalar(
                "SELECT id FROM attachments WHERE container_id = ? AND title = ? AND status = 'current'",
                (container["id"], filename),
            )
            if existing is not None:
                if not new_version:
                    raise bad_request(
                        "Cannot add a new attachment with same file name as an existing "
                        f"attachment: {filename}"
                    )
                return self.add_attachment_version(
                    existing,
                    blob,
                    media_type=media_type,
                    comment=comment,
                    minor_edit=minor_edit,
                    author=author,
                    when=when,
                )
            number = self.next_content_id()
            moment = when or iso(utcnow())
            self.db.execute(
                "INSERT INTO attachments(id, container_id, title, file_id, author_id, created_at, "
                "version) VALUES (?, ?, ?, ?, ?, ?, 1)",
                (number, container["id"], filename, str(uuid.uuid4()), author, moment),
            )
            self._insert_version(number, 1, blob, media_type, comment, author, moment, minor_edit)
        return self.attachment(number)

    def add_attachment_version(
        self,
        attachment_id: int | str,
        blob: tuple[str, int],
        *,
        media_type: str,
        comment: str = "",
        minor_edit: bool = False,
        author: str = DEMO_ACCOUNT_ID,
        when: str | None = None,
        container_id: int | str | None = None,
    ) -> dict[str, Any]:
        """A new version of an attachment (v1 ``POST …/child/attachment/{id}/data``)."""
        with self.lock, self.transaction():
            row = self.attachment(attachment_id)
            if container_id is not None and str(row["container_id"]) != str(container_id):
                raise not_found("The attachment")
            number = row["latest"] + 1
            moment = when or iso(utcnow())
            self._insert_version(
                row["id"], number, blob, media_type, comment, author, moment, minor_edit
            )
            self.db.execute("UPDATE attachments SET version = ? WHERE id = ?", (number, row["id"]))
        return self.attachment(row["id"])

    def delete_attachment(self, attachment_id: int | str, *, purge: bool = False) -> None:
        """To the trash; with ``purge`` a trashed attachment goes for good (its files too, unless
        another version anywhere has the same bytes)."""
        with self.lock, self.transaction():
            row = self.attachment(attachment_id, trashed=purge)
            if not purge:
                self.db.execute(
                    "UPDATE attachments SET status = 'trashed' WHERE id = ?", (row["id"],)
                )
                return
            if row["status"] != "trashed":
                raise bad_request("Only an attachment in the trash can be purged; delete it first.")
            shas = [
                r["sha256"]
                for r in self.query(
                    "SELECT sha256 FROM attachment_versions WHERE attachment_id = ?", (row["id"],)
                )
            ]
            self.db.execute("DELETE FROM attachment_versions WHERE attachment_id = ?", (row["id"],))
            self.db.execute("DELETE FROM attachments WHERE id = ?", (row["id"],))
            for sha in set(shas):
                if not self.scalar("SELECT 1 FROM attachment_versions WHERE sha256 = ?", (sha,)):
                    (self.blob_dir() / sha).unlink(missing_ok=True)

    def _insert_version(
        self,
        attachment_id: int,
        number: int,
        blob: tuple[str, int],
        media_type: str,
        comment: str,
        author: str,
        moment: str,
        minor_edit: bool,
    ) -> None:
        sha, size = blob
        self.db.execute(
            "INSERT INTO attachment_versions(attachment_id, number, media_type, size, sha256, "
            "comment, author_id, created_at, minor_edit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                attachment_id,
                number,
                media_type,
                size,
                sha,
                comment,
                author,
                moment,
                int(minor_edit),
            ),
        )


def _check_name(filename: str) -> str:
    name = (filename or "").strip()
    if not name:
        raise bad_request("The file has no name; send it as the 'file' part with a filename.")
    if "/" in name or "\\" in name or name in (".", ".."):
        raise bad_request(f"'{name}' is not a valid attachment name ('/' is not allowed).")
    return name
