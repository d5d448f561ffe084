"""Attachment downloads: the bytes of an attachment streamed to a file (atomically), to a digest or
into memory, from Cloud's ``GET /rest/api/content/{id}/child/attachment/{attId}/download?version=N``
(an API path, so it works through the OAuth gateway too; it answers a redirect to the bytes, on Cloud
to another host with its own token: httpx drops our credentials on a cross-origin redirect) or Data
Center's ``_links.download`` path under the context.

**Downloads** go through their own httpx client (same login, same proxy rules) because the retry
transport reads every answer whole; but they are paced by that transport (``admit``/``settle``):
the site's long pause, the shared window and pace, and a 429 on a download pauses every request of
the client as any 429 does (and the other way round). The body is written in chunks to a temporary
file next to the target, then renamed over it, so a failed download leaves the old file (or
nothing) in place.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from workbench import __version__
from workbench.confluence.attachment_model import Attachment
from workbench.confluence.core import ClientCore, _network_transport
from workbench.confluence.errors import (
    NetworkError,
    ServerError,
)
from workbench.confluence.http_errors import error_for
from workbench.confluence.urls import segment
from workbench.errors import UsageError
from workbench.textsafe import printable

Progress = Callable[[int, int], None]  # (bytes done, bytes in all)

CHUNK = 1 << 16
DOWNLOAD_ATTEMPTS = 5
MAX_REDIRECTS = 3


def file_digest(path: str | Path) -> tuple[str, int]:
    """SHA-256 (hex) and size of a local file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class AttachmentDownloads(ClientCore):
    """Reading an attachment's bytes, through a client of its own paced by the shared transport."""

    _downloads: httpx.AsyncClient | None = None

    def download_url(self, attachment: Attachment) -> str:
        if not self.is_dc:
            return self.urls.v1(
                f"/content/{segment(attachment.container_id)}/child/attachment/"
                f"{segment(attachment.id)}/download?version={attachment.version}"
            )
        link = attachment.download
        if not link.startswith("/") or link.startswith("//"):
            raise ServerError(
                f"The download link of '{printable(attachment.title)}' is not a path on this site; "
                "it was not followed."
            )
        context = self.urls.context_path
        if context and link.startswith(context + "/"):
            link = link[len(context) :]
        return self.urls.base + link

    async def download_attachment(
        self, attachment: Attachment, target: str | Path, *, progress: Progress | None = None
    ) -> Path:
        """Stream the attachment's bytes into ``target`` (a file path); atomic: a temporary file
        next to it, renamed over it once complete. Returns the path written."""
        target = Path(target)
        folder = target.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"Cannot write to {folder}: {exc.strerror}.") from None
        handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:

                def sink(chunk: bytes) -> None:
                    out.write(chunk)

                def restart() -> None:
                    out.seek(0)
                    out.truncate()

                await self._stream(attachment, sink, restart, progress)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return target

    async def remote_digest(self, attachment: Attachment) -> str:
        """SHA-256 of the attachment's bytes, streamed (nothing kept)."""
        digest = [hashlib.sha256()]

        def restart() -> None:
            digest[0] = hashlib.sha256()

        await self._stream(attachment, lambda chunk: digest[0].update(chunk), restart, None)
        return digest[0].hexdigest()

    async def attachment_bytes(self, attachment: Attachment, *, limit: int) -> bytes:
        """The attachment's bytes in memory, for small files only: more than ``limit`` bytes is a
        ``UsageError`` as soon as they arrive (nothing more is read)."""
        buffer = bytearray()

        def sink(chunk: bytes) -> None:
            buffer.extend(chunk)
            if len(buffer) > limit:
                raise UsageError(
                    f"'{printable(attachment.title)}' is larger than {limit:,} bytes; it was not read."
                )

        await self._stream(attachment, sink, buffer.clear, None)
        return bytes(buffer)

    async def same_bytes(self, attachment: Attachment, path: str | Path) -> bool:
        """Does the attachment hold exactly the bytes of the local file? (size first, then SHA-256)"""
        sha, size = await asyncio.to_thread(file_digest, path)
        if attachment.size != size:
            return False
        return await self.remote_digest(attachment) == sha

    async def _stream(
        self,
        attachment: Attachment,
        sink: Callable[[bytes], Any],
        restart: Callable[[], Any],
        progress: Progress | None,
    ) -> None:
        url = self.download_url(attachment)
        what = f"attachment '{printable(attachment.title)}'"
        client = self._download_client()
        transport = self._transport  # its pacing, shared with every request of this client
        policy = transport.policy
        started = policy.clock()
        covered = 0.0
        failure: Exception | None = None
        for attempt in range(1, DOWNLOAD_ATTEMPTS + 1):
            if attempt > 1:
                restart()
            covered = await transport.admit(covered)
            settled = False  # the place taken is given back once, whatever happens
            again = False
            try:
                async with client.stream("GET", url) as response:
                    again = await transport.settle(response, attempt, started)
                    settled = True
                    if response.status_code >= 300:
                        await response.aread()
                        failure = error_for(response, what=what)
                        if again:
                            continue
                        raise failure
                    total = int(response.headers.get("content-length") or attachment.size or 0)
                    done = 0
                    async for chunk in response.aiter_bytes(CHUNK):
                        sink(chunk)
                        done += len(chunk)
                        if progress is not None:
                            progress(done, max(total, done))
                    if not total or done == total:
                        return
                    failure = NetworkError(
                        f"The download of {what} stopped after {done} of {total} bytes."
                    )
            except httpx.TooManyRedirects:
                raise ServerError(
                    f"The download of {what} was redirected too many times."
                ) from None
            except httpx.TransportError as exc:
                failure = NetworkError(
                    f"The download of {what} failed ({type(exc).__name__}); nothing was kept."
                )
                if not settled:  # no answer came: the transport's rule for a failed connection
                    settled = True
                    if not await transport.settle(None, attempt, started):
                        raise failure from None
                    continue
            finally:
                if not settled:  # cancelled, or no answer for another reason: the place is freed
                    transport.pacer.release()
            # the body was cut short after a good start: once more, after a backoff
            if attempt < DOWNLOAD_ATTEMPTS:
                await transport._wait(
                    min(policy.backoff(attempt), policy.max_wait), "the download was cut short"
                )
        assert failure is not None
        raise failure

    def _download_client(self) -> httpx.AsyncClient:
        if self._downloads is None:
            self._downloads = httpx.AsyncClient(
                auth=self._http.auth,
                transport=_network_transport(self.urls, httpx.Limits(max_connections=4)),
                timeout=self._timeouts[0],
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                headers={"User-Agent": f"confluence-workbench/{__version__}"},
            )
        return self._downloads

    async def aclose(self) -> None:
        await super().aclose()
        if self._downloads is not None:
            await self._downloads.aclose()
            self._downloads = None
