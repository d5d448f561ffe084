"""The pictures of the page in the viewer: the image attachments its storage shows, fetched after
the page is on screen and drawn in place of their chips (``workbench.tui.images``).

Only pages that show an attachment as an image cost anything: one attachment list, then each image
(at most :data:`MAX_PICTURES`, each at most ``images.MAX_IMAGE_BYTES``) read and decoded once per
attachment version and kept for the session. A failure leaves the chips, and says nothing: the
page itself is what was asked for.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.confluence.models import Page
    from workbench.tui.panes.page_base import PageBase

MAX_PICTURES = 12


class PagePictures:
    def __init__(self, pane: PageBase) -> None:
        self.pane = pane
        self.decoded: dict[tuple[str, str], Any] = {}  # (page id, name) → image, newest version
        self.versions: dict[tuple[str, str], int] = {}

    def known(self, page: Page) -> dict[str, Any]:
        """Decoded images of ``page`` already at hand, by attachment name."""
        return {name: image for (pid, name), image in self.decoded.items() if pid == page.id}

    def load(self, page: Page) -> None:
        # lazy, for start-up: workbench.tui.images loads on first use
        from workbench.tui.images import referenced_images

        wanted = referenced_images(page.storage or "")[:MAX_PICTURES]
        if wanted:
            self.pane.run_worker(
                self._fetch(page, wanted),
                group="page-pictures",
                exclusive=True,
                exit_on_error=False,
            )

    async def _fetch(self, page: Page, wanted: list[str]) -> None:
        # lazy, for start-up: workbench.tui.images (with Pillow) loads on first use
        from workbench.tui.images import MAX_IMAGE_BYTES, decode

        ws = self.pane.host.workspace
        if ws is None:
            return
        try:
            items = await ws.client.list_attachments(page.id, kind=page.type)
        except WorkbenchError:
            return
        changed = False
        for item in items:
            key = (page.id, item.title)
            if (
                item.title not in wanted
                or not item.is_image
                or item.size > MAX_IMAGE_BYTES
                or self.versions.get(key) == item.version
            ):
                continue
            try:
                data = await ws.client.attachment_bytes(item, limit=MAX_IMAGE_BYTES)
            except WorkbenchError:
                continue
            image = await asyncio.to_thread(decode, data)
            self.versions[key] = item.version
            if image is not None:
                self.decoded[key] = image
                changed = True
        current = self.pane.current
        if changed and current is not None and current.page.id == page.id:
            viewer = self.pane.viewer
            viewer.images = self.known(page)
            viewer.restyle()
