"""Attachments: list, download (streamed to disk), upload a file or a new version (exactly once),
delete to the trash.

Endpoints (``tests/specs``, the fact sheet and tests/contract/SOURCES.md, "Attachments"):

- list: Cloud v2 ``GET /pages/{id}/attachments`` (``/blogposts/{id}/…``; ``filename``, cursor paging);
  Data Center v1 ``GET /content/{id}/child/attachment`` (``start``/``limit``);
- upload: v1 only, on both (v2 has none): a new name ``POST /content/{id}/child/attachment``, a new
  version of an existing one ``POST /content/{id}/child/attachment/{attId}/data`` (by id: works on
  Cloud and on Data Center, which has no ``PUT`` there), multipart ``file`` + ``comment`` (sent as
  ``text/plain; charset=utf-8``, as the spec asks) + ``minorEdit``, header
  ``X-Atlassian-Token: no-check`` (``ClientCore._send`` adds it to every write);
- download: Cloud ``GET /rest/api/content/{id}/child/attachment/{attId}/download?version=N`` (an API
  path, so it works through the OAuth gateway too; it answers a redirect to the bytes, on Cloud to
  another host with its own token: httpx drops our credentials on a cross-origin redirect); Data
  Center the ``_links.download`` path under the context;
- delete: Cloud v2 ``DELETE /attachments/{id}``, Data Center v1 ``DELETE /content/{attId}`` (trash).

**Exactly once.** An upload whose answer is lost (connection dropped after sending, a 5xx) may or may
not have landed; it is settled by re-reading the page's attachment of that name: at the expected
version with our bytes (size, then SHA-256 of a streamed download) it landed; still at the version
we started from, it is sent once more; anything else is someone else's upload, reported as a
conflict and not repeated. Never a doubled version.

Downloading (streamed, paced by the client's transport) is in
:mod:`~workbench.confluence.attachment_download`.
"""

from __future__ import annotations

import asyncio
import mimetypes
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, BinaryIO

from workbench.confluence import attachment_model
from workbench.confluence.attachment_download import AttachmentDownloads, Progress, file_digest
from workbench.confluence.attachment_model import Attachment
from workbench.confluence.errors import (
    BadRequest,
    ConfluenceError,
    NetworkError,
    NotFound,
    ServerError,
    VersionConflict,
)
from workbench.confluence.http_errors import json_body
from workbench.confluence.models import PAGE
from workbench.confluence.reads import body_kind, collection, noun
from workbench.confluence.urls import segment
from workbench.confluence.writes import SETTLE_ROUNDS, is_ambiguous
from workbench.errors import UsageError
from workbench.textsafe import printable


def media_type_of(name: str) -> str:
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


class _CountingReader:
    """A binary file that reports how much of it has been read (the upload's progress)."""

    def __init__(self, handle: BinaryIO, total: int, progress: Progress | None) -> None:
        self.handle = handle
        self.total = total
        self.progress = progress
        self.done = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.done += len(chunk)
        if self.progress is not None and chunk:
            self.progress(min(self.done, self.total), self.total)
        return chunk

    def seek(self, offset: int, whence: int = 0) -> int:
        position = self.handle.seek(offset, whence)
        if whence == 0:
            self.done = position
        return position

    def tell(self) -> int:
        return self.handle.tell()

    def fileno(self) -> int:
        return self.handle.fileno()


class AttachmentsApi(AttachmentDownloads):
    # -- reading ------------------------------------------------------------------------------
    def attachments(
        self, page_id: str, *, kind: str = PAGE, filename: str | None = None
    ) -> AsyncIterator[Attachment]:
        """The current attachments of a page or blog post (``kind``), every page of the list."""
        kind = body_kind(kind)
        what = f"the attachments of {noun(kind)} {page_id}"
        if self.is_dc:
            return self._paginate(
                self.urls.v1(f"/content/{segment(page_id)}/child/attachment"),
                {"limit": 100, "expand": "version,container", "filename": filename},
                lambda d: attachment_model.from_v1(d, page_id),
                what=what,
            )
        return self._paginate(
            self.urls.v2(f"/{collection(kind)}/{segment(page_id)}/attachments"),
            {"limit": 250, "filename": filename},
            attachment_model.from_v2,
            what=what,
        )

    async def list_attachments(
        self, page_id: str, *, kind: str = PAGE, filename: str | None = None
    ) -> list[Attachment]:
        return [a async for a in self.attachments(page_id, kind=kind, filename=filename)]

    async def find_attachment(
        self, page_id: str, name: str, *, kind: str = PAGE
    ) -> Attachment | None:
        """The page's current attachment called ``name`` (exact name), or None."""
        for found in await self.list_attachments(page_id, kind=kind, filename=name):
            if found.title == name:
                return found
        return None

    # -- writing ------------------------------------------------------------------------------
    async def upload_attachment(
        self,
        page_id: str,
        path: str | Path,
        *,
        name: str | None = None,
        comment: str = "",
        minor_edit: bool = False,
        progress: Progress | None = None,
        kind: str = PAGE,
        new_version: bool = True,
    ) -> Attachment:
        """Attach a local file to a page or blog post, or add a version of the attachment of that
        name (``new_version=False``: a name already there is a ``BadRequest`` instead). Lands exactly
        once (see the module docstring). ``progress(sent, total)`` follows the upload."""
        kind = body_kind(kind)
        path = Path(path)
        name = name or path.name
        if not path.is_file():
            raise UsageError(f"{path} is not a file.")
        _sha, size = await asyncio.to_thread(file_digest, path)
        existing = await self.find_attachment(page_id, name, kind=kind)
        if existing is not None and not new_version:
            raise BadRequest(
                f"{noun(kind).capitalize()} {page_id} already has an attachment named "
                f"'{printable(name)}' (version {existing.version})."
            )
        failure: ConfluenceError | None = None
        for round_ in range(SETTLE_ROUNDS + 1):
            base = existing.version if existing is not None else 0
            try:
                return await self._upload_once(
                    page_id, path, name, existing, comment, minor_edit, progress, size
                )
            except BadRequest as exc:
                # a name taken between our look-up and the upload (or by our own earlier attempt
                # whose answer was lost): settle like an ambiguous answer
                if (
                    existing is not None
                    or "same file name" not in str(exc)
                    or round_ == SETTLE_ROUNDS
                ):
                    raise
                failure = exc
            except ConfluenceError as exc:
                if not is_ambiguous(exc) or round_ == SETTLE_ROUNDS:
                    raise
                failure = exc
            now = await self._settle_read(page_id, name, kind, failure)
            number = now.version if now is not None else 0
            if now is not None and number == base + 1 and await self.same_bytes(now, path):
                return now  # the lost answer was a success (or the same bytes were there already)
            if number != base:
                if isinstance(failure, BadRequest) and now is not None and new_version:
                    existing = now  # someone else's file of that name: add ours as a new version
                    continue
                raise VersionConflict(
                    f"The attachment '{printable(name)}' changed while it was being uploaded (now "
                    f"version {number}); it was not uploaded again. Check it and try once more.",
                    current=number,
                    provided=base + 1,
                )
            existing = now  # still where we started: the upload did not land; send it once more
        assert failure is not None
        raise failure

    async def _settle_read(
        self, page_id: str, name: str, kind: str, failure: ConfluenceError
    ) -> Attachment | None:
        try:
            return await self.find_attachment(page_id, name, kind=kind)
        except (NetworkError, ServerError) as exc:
            raise NetworkError(
                f"The upload of '{printable(name)}' may or may not have landed: no answer came back "
                "and re-reading the page's attachments failed too. List them before trying again."
            ) from exc

    async def _upload_once(
        self,
        page_id: str,
        path: Path,
        name: str,
        existing: Attachment | None,
        comment: str,
        minor_edit: bool,
        progress: Progress | None,
        size: int,
    ) -> Attachment:
        base = f"/content/{segment(page_id)}/child/attachment"
        url = self.urls.v1(base if existing is None else f"{base}/{segment(existing.id)}/data")
        what = f"attachment '{printable(name)}'"
        with open(path, "rb") as handle:
            reader = _CountingReader(handle, size, progress)
            files: list[tuple[str, Any]] = [("file", (name, reader, media_type_of(name)))]
            if comment:
                files.append(("comment", (None, comment.encode(), "text/plain; charset=utf-8")))
            response = await self._send(
                "POST",
                url,
                files=files,
                data={"minorEdit": "true" if minor_edit else "false"},
                what=what,
            )
        data = json_body(response, what=what)
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            items = [r for r in data["results"] if isinstance(r, dict)]
            data = items[0] if items else None
        if not isinstance(data, dict):
            raise ServerError(
                f"Confluence's answer for the upload of {what} was not an attachment."
            )
        return attachment_model.from_v1(data, page_id)

    async def delete_attachment(self, attachment: Attachment) -> None:
        """Move an attachment to the trash (a repeat after a lost answer is harmless)."""
        if self.is_dc:
            url = self.urls.v1(f"/content/{segment(attachment.id)}")
        else:
            url = self.urls.v2(f"/attachments/{segment(attachment.id)}")
        what = f"attachment '{printable(attachment.title)}'"
        try:
            await self._send("DELETE", url, what=what)
            return
        except ConfluenceError as exc:
            if not is_ambiguous(exc):
                raise
        try:
            await self._send("DELETE", url, what=what)
        except NotFound:
            return  # the first one landed: it is in the trash
