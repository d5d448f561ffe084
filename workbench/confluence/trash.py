"""Pages in the trash: tell a trashed page from a deleted one, and take one out of the trash.

A page moved to the trash answers 404 to a plain GET; ``status=trashed`` (v2) or ``status=trashed``
(v1; ``any`` also works) still finds it. A page purged from the trash is a 404 either way (so is a
page this user may not see: Confluence does not say which).

Restoring: the v2 PUT ``status: current`` on a trashed page "can be used to restore a 'trashed' or
'deleted' page to 'current' status. For restoration, page contents will not be updated and only the
page status will be changed" (PageUpdateRequest in ``tests/specs/confluence-cloud-v2.openapi.json``);
the v1 content update changes ``status`` likewise. Its version does not move, so what was typed on
top of it still has to be saved afterwards.
"""

from __future__ import annotations

from workbench.confluence import parse_v1, parse_v2
from workbench.confluence.errors import NotFound
from workbench.confluence.inline_comments import InlineCommentsApi
from workbench.confluence.models import PAGE, Page
from workbench.confluence.reads import DC_PAGE_EXPAND, body_kind, collection, noun
from workbench.confluence.urls import segment


class TrashApi(InlineCommentsApi):
    async def trashed_page(self, page_id: str, *, kind: str = PAGE) -> Page | None:
        """The page (or blog post) if it is in the trash, with its body; None when it is not there
        (deleted for good, never existed, or not visible to this user). One request."""
        what = f"{noun(kind)} {page_id} in the trash"
        try:
            if self.is_dc:
                body_kind(kind)
                data = await self._get(
                    self.urls.v1(f"/content/{segment(page_id)}"),
                    {"status": "trashed", "expand": DC_PAGE_EXPAND},
                    what=what,
                )
                page = parse_v1.page(data, self.base_url)
            else:
                data = await self._get(
                    self.urls.v2(f"/{collection(kind)}/{segment(page_id)}"),
                    {"status": "trashed", "body-format": "storage"},
                    what=what,
                )
                page = parse_v2.page(data, self.base_url, kind)
        except NotFound:
            return None
        return page if page.status == "trashed" else None

    async def restore_page(self, page_id: str, *, kind: str = PAGE) -> Page:
        """Take a trashed page (or blog post) out of the trash, content and version unchanged.
        ``NotFound`` when it is not in the trash. Two requests (read it, then restore it)."""
        page = await self.trashed_page(page_id, kind=kind)
        if page is None:
            raise NotFound(
                f"{noun(kind).capitalize()} {page_id} is not in the trash, so it cannot be restored.",
                status=404,
            )
        what = f"{noun(kind)} {page_id}"
        number = (
            page.version.number + 1
        )  # required by the request; a restore leaves the version as it is
        if self.is_dc:
            payload = {
                "id": page_id,
                "type": kind,
                "status": "current",
                "title": page.title,
                "version": {"number": number},
                "body": {"storage": {"value": page.storage or "", "representation": "storage"}},
            }
            data = await self._json(
                "PUT", self.urls.v1(f"/content/{segment(page_id)}"), json=payload, what=what
            )
            return parse_v1.page(data, self.base_url)
        payload = {
            "id": page_id,
            "status": "current",
            "title": page.title,
            "body": {"representation": "storage", "value": page.storage or ""},
            "version": {"number": number},
        }
        data = await self._json(
            "PUT", self.urls.v2(f"/{collection(kind)}/{segment(page_id)}"), json=payload, what=what
        )
        return parse_v2.page(data, self.base_url, kind)
