"""The page lifecycle: rename, move and reorder, delete to the trash (with what it breaks), the
trash, restore from it, restore an old version. Copying is in :mod:`lifecycle_copy`, finding the
pages that link to a page in :mod:`lifecycle_links`.

Each change is one version-pinned request where the API has one, and lands exactly once:

- **rename** and **move under another parent in the same space**: the v2 ``PUT /pages/{id}`` with
  the page's own body, the new ``title``/``parentId`` and ``version.number`` = the version read + 1
  (Data Center: v1 ``PUT /content/{id}`` with ``ancestors``) — a 409 if anyone saved meanwhile, and
  the settle-by-re-reading of ``update_page`` after a lost answer. It writes a new version (the
  PUT always does).
- **into a folder** (Cloud; Data Center has no folders): the same v1 move request (its target may be
  any content of the tree; the v2 PUT's ``parentId`` is "the parent page"), not pinnable, the page
  read back; a folder as the target is found by ``GET /folders/{id}`` after the page endpoint's 404.
- **reorder among siblings, move to another space** (Cloud only): v1
  ``PUT /content/{id}/move/{before|after|append}/{targetId}`` (answer ``{"pageId"}``). It takes no
  version, so it cannot be pinned: the version read first is checked, the request is idempotent
  (sent once more after a lost answer), and the page is read back to report where it is. Data
  Center has no such endpoint (CONFSERVER-39042): refused with a plain message, nothing sent.
- **delete**: ``DELETE /pages/{id}`` (to the trash; Data Center ``DELETE /content/{id}``); first
  :meth:`LifecycleApi.delete_plan` says which children move up to the page's parent and which
  pages link to it.
- **trash**: ``GET /spaces/{id}/pages?status=trashed`` (+ blog posts; Data Center
  ``GET /content?spaceKey=…&status=trashed``); **restore**: ``PUT`` with ``status: current``
  (:mod:`trash`), settled by re-reading after a lost answer.
- **restore a version**: the pinned PUT of that version's body as version current + 1 (what v1
  ``POST /content/{id}/version`` with ``operationKey: restore`` does, but pinned: that endpoint takes
  no base version and would restore over someone's newer save).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from workbench.confluence.bulk import BulkApi, ContentRecord
from workbench.confluence.errors import (
    ConfluenceError,
    NotAvailable,
    NotFound,
    VersionConflict,
)
from workbench.confluence.lifecycle_copy import CopyApi
from workbench.confluence.lifecycle_links import IncomingLinks, LinksApi
from workbench.confluence.models import BLOGPOST, PAGE, Page, PageSummary
from workbench.confluence.reads import collection, noun
from workbench.confluence.trash import TrashApi
from workbench.confluence.urls import segment
from workbench.confluence.writes import is_ambiguous
from workbench.errors import UsageError

POSITIONS = ("append", "before", "after")


@dataclass(frozen=True, slots=True)
class MoveResult:
    page: Page  # as it is after the move
    parent_title: str
    request: str  # "PUT /pages/{id} (pinned to version N)" or "PUT …/move/{position}/{target}"
    new_version: bool  # the move wrote a version (the pinned PUT does; the v1 move does not)
    target_kind: str = PAGE  # what it was moved under or next to: a page or a folder

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.page.id,
            "title": self.page.title,
            "parent_id": self.page.parent_id,
            "parent_title": self.parent_title,
            "space_id": self.page.space_id,
            "version": self.page.version.number,
            "request": self.request,
            "new_version": self.new_version,
            "target_kind": self.target_kind,
        }


@dataclass(frozen=True, slots=True)
class DeletePlan:
    page: Page
    parent: PageSummary | None  # where the children go (None: the space's top level)
    children: tuple[PageSummary, ...]  # move up to ``parent`` when the page is trashed
    links: IncomingLinks

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.page.id,
            "title": self.page.title,
            "version": self.page.version.number,
            "children_move_to": (
                {"id": self.parent.id, "title": self.parent.title} if self.parent else None
            ),
            "children": [{"id": c.id, "title": c.title, "type": c.type} for c in self.children],
            "links_from": self.links.as_json(),
        }


def check_base(page: Page, base_version: int | None) -> None:
    """Refuse before sending anything when the page moved on from the version the caller saw."""
    if base_version is not None and page.version.number != int(base_version):
        raise VersionConflict(
            f"{noun(page.type).capitalize()} {page.id} changed since version {base_version} "
            f"(now {page.version.number}); nothing was changed.",
            current=page.version.number,
            provided=int(base_version) + 1,
        )


class LifecycleApi(CopyApi, LinksApi, TrashApi, BulkApi):
    # -- rename ------------------------------------------------------------------------------
    async def rename_page(
        self, page_id: str, title: str, *, base_version: int | None = None, kind: str = PAGE
    ) -> Page:
        """A new title, as version base + 1 (the body and parent unchanged). Two requests."""
        title = title.strip()
        if not title:
            raise UsageError("A page's title cannot be empty.")
        page = await self.get_page(page_id, kind=kind)
        check_base(page, base_version)
        if page.title == title:
            raise UsageError(f"{noun(kind).capitalize()} {page_id} is already titled {title!r}.")
        return await self.update_page(
            page.id,
            title=title,
            storage=page.storage or "",
            base_version=page.version.number,
            message=f"Renamed from “{page.title}”",
            kind=kind,
            parent_id=page.parent_id if kind == PAGE else None,
        )

    # -- move --------------------------------------------------------------------------------
    async def move_target(self, target_id: str) -> Page | PageSummary:
        """What a page can be moved under or next to: a page, or (Cloud) a folder. One request
        (two for a folder: the page endpoint answers 404 first). Anything else is ``NotFound``."""
        try:
            return await self.get_page(target_id, body=False)
        except NotFound:
            if self.is_dc:
                raise
        try:
            return await self.folder(target_id)
        except NotFound:
            raise NotFound(
                f"No page or folder {target_id} was found (or you may not see it); a page moves "
                "under or next to a page or a folder.",
                status=404,
            ) from None

    async def check_move_target(self, page: Page, target: Page | PageSummary) -> None:
        """``UsageError`` when ``page`` cannot go under or next to ``target``: itself, or a page of
        its own subtree (one request: the target's ancestors)."""
        if target.id == page.id:
            raise UsageError("A page cannot be moved under or next to itself.")
        chain = await self.ancestors(target.id, kind=target.type or PAGE)
        if page.id in {a.id for a in chain}:
            raise UsageError(
                f"{target.title!r} is below {page.title!r}: a page cannot move into its own subtree."
            )

    async def move_page(
        self,
        page_id: str,
        target_id: str,
        *,
        position: str = "append",
        base_version: int | None = None,
    ) -> MoveResult:
        """Put a page under ``target_id`` (``append``) or next to it (``before``/``after``)."""
        if position not in POSITIONS:
            raise UsageError(f"Unknown position {position!r}: use append, before or after.")
        page = await self.get_page(page_id)
        check_base(page, base_version)
        if target_id == page.id:
            raise UsageError("A page cannot be moved under or next to itself.")
        target = await self.move_target(target_id)
        await self.check_move_target(page, target)
        into_page = target.type == PAGE
        if position == "append" and into_page and target.space_id == page.space_id:
            if page.parent_id == target.id:
                raise UsageError(f"{page.title!r} is already under {target.title!r}.")
            moved = await self.update_page(
                page.id,
                title=page.title,
                storage=page.storage or "",
                base_version=page.version.number,
                message=f"Moved under “{target.title}”",
                parent_id=target.id,
            )
            if moved.parent_id is None:  # a v1 answer without ``ancestors``: the PUT put it there
                moved = replace(moved, parent_id=target.id)
            request = (
                f"PUT content/{page.id} (pinned to version {page.version.number})"
                if self.is_dc
                else f"PUT /pages/{page.id} (pinned to version {page.version.number})"
            )
            return MoveResult(moved, target.title, request, True)
        if self.is_dc:
            raise NotAvailable(
                "Data Center has no REST request to reorder pages or move them to another space "
                "(only a new parent in the same space, which Workbench does with a pinned save); "
                "do this one in the browser."
            )
        if position == "append" and page.parent_id == target.id:
            raise UsageError(f"{page.title!r} is already in {target.title!r}.")
        # a folder (Cloud): Confluence's move request, which takes any content of the tree as its
        # target; the v2 PUT's parentId is "the parent page" (PageUpdateRequest), so not used here
        url = self.urls.v1(f"/content/{segment(page.id)}/move/{position}/{segment(target.id)}")
        await self._idempotent("PUT", url, what=f"the move of page {page.id}")
        after = await self.get_page(page.id)
        parent_title = target.title
        if position != "append":
            parent = await self._summary(after.parent_id)
            parent_title = parent.title if parent else ""
        return MoveResult(
            after,
            parent_title,
            f"PUT /rest/api/content/{page.id}/move/{position}/{target.id}",
            False,
            target.type or PAGE,
        )

    async def _summary(self, page_id: str | None) -> PageSummary | None:
        if not page_id:
            return None
        try:
            found = await self.move_target(page_id)
        except NotFound:  # not visible
            return PageSummary(id=page_id, title=f"content {page_id}")
        return PageSummary(id=found.id, title=found.title, space_id=found.space_id, type=found.type)

    # -- delete ------------------------------------------------------------------------------
    async def delete_plan(self, page_id: str, *, kind: str = PAGE) -> DeletePlan:
        """What trashing a page does: its children move up to its parent; pages linking to it
        keep links that no longer lead anywhere. Reads only."""
        page = await self.get_page(page_id, kind=kind)
        children: list[PageSummary] = []
        parent: PageSummary | None = None
        if kind != BLOGPOST:
            children = [c async for c in self.children(page.id)]
            chain = await self.ancestors(page.id)
            parent = chain[-1] if chain else None
        links = await self.incoming_links(page)
        return DeletePlan(page, parent, tuple(children), links)

    async def trash_page(
        self, page_id: str, *, base_version: int | None = None, kind: str = PAGE
    ) -> None:
        """Move a page to the trash; with ``base_version`` refused if it changed since (checked
        by one read first: Confluence's DELETE takes no version)."""
        if base_version is not None:
            check_base(await self.get_page(page_id, body=False, kind=kind), base_version)
        await self.delete_page(page_id, kind=kind)

    # -- trash -------------------------------------------------------------------------------
    async def trash_list(self, space_id: str, space_key: str) -> list[ContentRecord]:
        """The space's trashed pages and blog posts, newest change first."""
        rows = [r async for r in self.trashed(space_id, space_key)]
        return sorted(rows, key=lambda r: r.modified_at, reverse=True)

    async def restore_from_trash(self, page_id: str, *, kind: str = PAGE) -> Page:
        """Take a page out of the trash (content and version as they were); exactly once."""
        try:
            return await self.restore_page(page_id, kind=kind)
        except ConfluenceError as exc:
            if not is_ambiguous(exc):
                raise
            failure = exc
        page = await self._reread(
            self.get_page(page_id, kind=kind), failure, f"{noun(kind)} {page_id}"
        )
        if page.status != "current":
            raise failure
        return page

    async def purge_from_trash(self, page_id: str, *, kind: str = PAGE) -> None:
        """Delete a trashed page for good (Cloud v2 ``DELETE /pages/{id}?purge=true``, Data Center
        v1 ``DELETE /content/{id}?status=trashed``; space admins only). Refused (``UsageError``,
        nothing sent) unless the page is in the trash. Idempotent: a repeat after a lost answer
        finds it gone."""
        if await self.trashed_page(page_id, kind=kind) is None:
            raise UsageError(
                f"{noun(kind).capitalize()} {page_id} is not in the trash: only a trashed page can be "
                "deleted for good (delete it first)."
            )
        if self.is_dc:
            url = self.urls.v1(f"/content/{segment(page_id)}") + "?status=trashed"
        else:
            url = self.urls.v2(f"/{collection(kind)}/{segment(page_id)}") + "?purge=true"
        await self._idempotent(
            "DELETE", url, what=f"{noun(kind)} {page_id} in the trash", gone_ok=True
        )

    # -- restore a version -------------------------------------------------------------------
    async def restore_version(
        self,
        page_id: str,
        number: int,
        *,
        base_version: int | None = None,
        message: str = "",
        restore_title: bool = False,
        kind: str = PAGE,
    ) -> Page:
        """Version ``number``'s body (and title with ``restore_title``) saved as a new version,
        pinned to the current one. Three requests (the page, the old version, the PUT)."""
        page = await self.get_page(page_id, kind=kind)
        check_base(page, base_version)
        if number == page.version.number:
            raise UsageError(f"Version {number} is the current version of {noun(kind)} {page_id}.")
        if not 0 < number < page.version.number:
            raise UsageError(
                f"{noun(kind).capitalize()} {page_id} has versions 1 to {page.version.number}; "
                f"there is no version {number}."
            )
        old = await self.get_page(page_id, version=number, kind=kind)
        return await self.update_page(
            page.id,
            title=old.title if restore_title else page.title,
            storage=old.storage or "",
            base_version=page.version.number,
            message=message or f"Restored version {number}",
            kind=kind,
            parent_id=page.parent_id if kind == PAGE else None,
        )
