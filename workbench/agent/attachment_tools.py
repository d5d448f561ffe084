"""The agent's attachment tools: ``list_attachments`` and ``view_image``.

``list_attachments(page_id)``: a line per current attachment (id, name, type, size, version, date,
whether the page shows or links it), after the page's space is checked against the fence.

``view_image(page_id, name)``: for models that accept images (``[agent] images = true``), the image is
sent to the model as an image part of the next request (the Chat Completions ``image_url`` part with a
``data:`` URL, after the tool results: a tool message holds text only). It is bounded: PNG, JPEG, GIF
and WebP only; at most :data:`MAX_IMAGE_BYTES` as sent, larger or bigger-than-:data:`MAX_SIDE` images
are scaled down first (Pillow), and what still does not fit is refused with its size. The bytes are
streamed into memory only up to :data:`MAX_DOWNLOAD_BYTES`. A model that does not accept images is
told so plainly, and the tool is not offered to it.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Any

from workbench.agent.tool_host import ToolHost
from workbench.agent.world import one_line
from workbench.errors import UsageError

MAX_IMAGE_BYTES = (
    150_000  # as sent (base64 adds a third): leaves room under [agent] max_request_bytes
)
MAX_SIDE = 1024  # pixels, the longer side
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
SENDABLE = ("image/png", "image/jpeg", "image/gif", "image/webp")
LISTED = 100

NO_IMAGES = (
    "this model is not set up to receive images ([agent] images = false), so view_image is not "
    "available; say what the attachment's name, type and size tell, and that you cannot see it"
)


@dataclass(frozen=True, slots=True)
class ImageAnswer:
    """A tool answer with an image for the model: ``text`` for the tool message, ``part`` for the
    user message that carries the image."""

    text: str
    part: dict[str, Any]


class AttachmentTools(ToolHost):
    async def _tool_list_attachments(self, page_id: str) -> str:
        # lazy, for start-up: workbench.confluence.attachment_model loads on first use
        from workbench.confluence.attachment_model import size_text

        opened, key = await self.open(page_id)
        page = opened.page
        items = await self.client.list_attachments(page.id, kind=page.type)
        used = referenced_names(page.storage or "")
        head = f'page {page.id} "{one_line(page.title)}" | space {key} | {len(items)} attachment(s)'
        if not items:
            return head + "\nNo attachments."
        rows = []
        for item in items[:LISTED]:
            where = "shown/linked on the page" if item.title in used else "not referenced"
            rows.append(
                f"{item.id} | {one_line(item.title, 80)} | {one_line(item.media_type, 40)} | "
                f"{size_text(item.size)} | v{item.version} | {item.modified_at[:10]} | {where}"
            )
        more = f"\n({len(items) - LISTED} more not listed)" if len(items) > LISTED else ""
        images = any(i.is_image for i in items)
        tail = ""
        if images:
            tail = (
                "\nview_image(page_id, name) shows you an image."
                if self.accepts_images
                else f"\nNote: {NO_IMAGES}."
            )
        return head + "\n" + self.data("\n".join(rows), "attachment names") + more + tail

    async def _tool_view_image(self, page_id: str, name: str) -> str | ImageAnswer:
        if not self.accepts_images:
            raise UsageError(NO_IMAGES + ".")
        opened, _key = await self.open(page_id)
        page = opened.page
        found = await self.client.find_attachment(page.id, name, kind=page.type)
        if found is None:
            raise UsageError(
                f"page {page.id} has no attachment named {one_line(name, 80)!r}; "
                "list_attachments gives the names."
            )
        if not found.is_image:
            raise UsageError(
                f"{one_line(found.title, 80)} is {found.media_type or 'not an image'}, not an image; "
                "only images can be viewed."
            )
        if found.size > MAX_DOWNLOAD_BYTES:
            raise UsageError(
                f"{one_line(found.title, 80)} is {found.size:,} bytes, over the "
                f"{MAX_DOWNLOAD_BYTES:,} this tool reads; it was not fetched."
            )
        raw = await self.client.attachment_bytes(found, limit=MAX_DOWNLOAD_BYTES)
        media_type, data = fit_image(raw, found.media_type)
        url = f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"
        text = (
            f"The image {found.id} ({one_line(found.title, 80)}, {found.media_type}, "
            f"{found.size:,} bytes{'' if data is raw else f'; sent scaled down to {len(data):,} bytes'}) "
            "follows in the next message."
        )
        return ImageAnswer(text, {"type": "image_url", "image_url": {"url": url}})


def referenced_names(storage: str) -> set[str]:
    """The attachment names a page's storage shows or links (``ri:attachment ri:filename``)."""
    # lazy, for start-up: re and html load on first use
    import html
    import re

    return {
        html.unescape(m.group(1))
        for m in re.finditer(r'<ri:attachment\b[^>]*\bri:filename="([^"]*)"', storage)
    }


def fit_image(raw: bytes, media_type: str) -> tuple[str, bytes]:
    """``(media type, bytes)`` to send: ``raw`` when it is a sendable type within the bounds, else
    scaled down (Pillow) to :data:`MAX_SIDE` and re-encoded; a ``UsageError`` when it cannot fit."""
    media_type = (media_type or "").split(";")[0].strip().lower()
    try:
        # lazy, for start-up: Pillow loads on first use
        from PIL import Image, UnidentifiedImageError
    except ImportError:  # pragma: no cover - Pillow comes with textual-image
        Image = None  # type: ignore[assignment]  # noqa: N806
        UnidentifiedImageError = OSError  # type: ignore[assignment,misc]  # noqa: N806
    if Image is None:
        if media_type in SENDABLE and len(raw) <= MAX_IMAGE_BYTES:
            return media_type, raw
        raise UsageError("the image is too large to send, and nothing here can scale it down.")
    try:
        with Image.open(io.BytesIO(raw)) as image:
            width, height = image.size
            if (
                media_type in SENDABLE
                and len(raw) <= MAX_IMAGE_BYTES
                and max(width, height) <= MAX_SIDE
            ):
                return media_type, raw
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            if image.mode in ("RGBA", "LA", "P"):
                image.save(out, format="PNG", optimize=True)
                kind = "image/png"
            else:
                image.convert("RGB").save(out, format="JPEG", quality=80)
                kind = "image/jpeg"
            data = out.getvalue()
            if len(data) > MAX_IMAGE_BYTES:
                image.thumbnail((MAX_SIDE // 2, MAX_SIDE // 2))
                out = io.BytesIO()
                image.convert("RGB").save(out, format="JPEG", quality=70)
                kind, data = "image/jpeg", out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UsageError(
            f"the file could not be read as an image ({type(exc).__name__})."
        ) from None
    if len(data) > MAX_IMAGE_BYTES:
        raise UsageError(
            f"even scaled down the image is {len(data):,} bytes, over the {MAX_IMAGE_BYTES:,} that "
            "can be sent."
        )
    return kind, data
