"""Write methods, each landing exactly once.

A write is retried by the transport only when the server provably did not run it (429, or no
connection). When the answer is lost instead (connection dropped or timed out after sending, or a
5xx), the client re-reads to learn whether the write landed:

- update: the page is at base+1 with our body → it landed, return it; still at base → send once
  more; anything else → ``VersionConflict`` (someone else saved);
- create: look the title up in the space;
- delete / labels: idempotent, sent once more (a 404 on a repeated delete means it is gone).

Updates take the base version the caller read and PUT base+1; the client never re-reads
"current" and adds one.
"""

from __future__ import annotations

from dataclasses import replace

from workbench.confluence import parse_v1, parse_v2
from workbench.confluence.errors import (
    BadRequest,
    ConfluenceError,
    NetworkError,
    NotFound,
    ServerError,
    VersionConflict,
)
from workbench.confluence.models import BLOGPOST, PAGE, Page
from workbench.confluence.network_errors import AmbiguousWrite
from workbench.confluence.reads import ReadApi, body_kind, collection, noun
from workbench.confluence.urls import segment
from workbench.errors import UsageError

#: Attempts of the "did it land?" loop after an ambiguous write (bounded, like every loop).
SETTLE_ROUNDS = 2


def is_ambiguous(exc: ConfluenceError) -> bool:
    """True when a write may have run although no success answer came back."""
    if isinstance(exc, AmbiguousWrite):
        return True
    return isinstance(exc, ServerError) and exc.status is not None and exc.status >= 500


def same_storage(a: str | None, b: str | None) -> bool:
    """Bodies equal up to whitespace between tags (servers may re-indent storage)."""
    return " ".join((a or "").split()) == " ".join((b or "").split())


def _with_body(page: Page, storage: str) -> Page:
    """``page`` carrying the storage just written when the server's answer left the body out."""
    return page if page.storage is not None else replace(page, storage=storage)


def _is_ours(page: Page, title: str, storage: str, message: str) -> bool:
    """Is version base+1 the one we sent? Same body (up to whitespace), or our non-empty version
    message (servers may canonicalise storage). When unsure the answer is no: the caller then
    sees a conflict and a merge of identical texts, never a lost or doubled write."""
    if page.title.strip() != title.strip():
        return False
    if same_storage(page.storage, storage):
        return True
    return bool(message) and page.version.message == message


class WriteApi(ReadApi):
    async def create_page(
        self,
        *,
        space_id: str,
        title: str,
        storage: str,
        parent_id: str | None = None,
        kind: str = PAGE,
        status: str = "current",
    ) -> Page:
        """Create a page (under ``parent_id``: a page or, on Cloud, a folder) or a blog post
        (``kind="blogpost"``: no parent, it goes to the space's blog). Lands exactly once.
        ``status="draft"`` creates it unpublished (v2 PageCreateRequest status, v1 Content status)."""
        if body_kind(kind) == BLOGPOST and parent_id:
            raise UsageError("A blog post has no parent page: it is created in the space's blog.")
        if status not in ("current", "draft"):
            raise UsageError(f"A page is created as 'current' or 'draft', not {status!r}.")
        thing = noun(kind)
        for round_ in range(SETTLE_ROUNDS + 1):
            try:
                return await self._create_once(space_id, title, storage, parent_id, kind, status)
            except ConfluenceError as exc:
                if not is_ambiguous(exc) or round_ == SETTLE_ROUNDS:
                    raise
                failure = exc
            existing = await self._reread(
                self.find_page(space_id, title, kind=kind, status=status),
                failure,
                f"{thing} '{title}'",
            )
            if existing is not None:
                if same_storage(existing.storage, storage):
                    return existing
                raise BadRequest(
                    f"A {thing} titled '{title}' now exists in the space with other content, so the "
                    f"create was not repeated. Pick another title or edit that {thing}.",
                )
        raise failure  # pragma: no cover - the loop always returns or raises

    async def _create_once(
        self,
        space_id: str,
        title: str,
        storage: str,
        parent_id: str | None,
        kind: str,
        status: str = "current",
    ) -> Page:
        what = f"{noun(kind)} '{title}'"
        if self.is_dc:
            payload: dict = {
                "type": kind,
                "status": status,
                "title": title,
                "space": {"key": space_id},
                "body": {"storage": {"value": storage, "representation": "storage"}},
            }
            if parent_id:
                payload["ancestors"] = [{"id": parent_id}]
            data = await self._json("POST", self.urls.v1("/content"), json=payload, what=what)
            page = parse_v1.page(data, self.urls.web_base)
        else:
            # v2 PageCreateRequest / BlogPostCreateRequest: spaceId required; a page's parentId may
            # name any content in the tree (ParentContentType: page, folder, whiteboard, …).
            payload = {
                "spaceId": space_id,
                "status": status,
                "title": title,
                "body": {"representation": "storage", "value": storage},
            }
            if parent_id:
                payload["parentId"] = parent_id
            data = await self._json(
                "POST", self.urls.v2(f"/{collection(kind)}"), json=payload, what=what
            )
            page = parse_v2.page(data, self.urls.web_base, kind)
        return _with_body(page, storage)

    async def update_page(
        self,
        page_id: str,
        *,
        title: str,
        storage: str,
        base_version: int,
        message: str = "",
        kind: str = PAGE,
        minor_edit: bool = False,
        parent_id: str | None = None,
    ) -> Page:
        """Write version ``base_version + 1`` of a page or blog post (``kind``). ``VersionConflict``
        if it moved on (409). ``parent_id`` also moves the page under that parent in its space (v2
        ``parentId``, v1 ``ancestors``), in the same pinned request.

        ``minor_edit=True`` asks Confluence not to notify watchers. The v2 PUT has no such field
        (its version object is ``number`` and ``message`` only), so on Cloud a minor edit goes through
        the v1 content update, whose ``version.minorEdit`` does it; Data Center is v1 throughout.

        The page returned carries a storage body: the one sent when the server's answer has none.
        """
        target = int(base_version) + 1
        thing = noun(body_kind(kind))
        for round_ in range(SETTLE_ROUNDS + 1):
            try:
                answer = await self._update_once(
                    page_id, title, storage, target, message, kind, minor_edit, parent_id
                )
                return _with_body(answer, storage)
            except VersionConflict as exc:
                now = f" (now {exc.current})" if exc.current is not None else ""
                raise VersionConflict(
                    f"{thing.capitalize()} {page_id} changed since version {base_version}{now}; "
                    "nothing was overwritten.",
                    current=exc.current,
                    provided=target,
                ) from exc
            except ConfluenceError as exc:
                if not is_ambiguous(exc) or round_ == SETTLE_ROUNDS:
                    raise
                failure = exc
            current = await self._reread(
                self.get_page(page_id, kind=kind), failure, f"{thing} {page_id}"
            )
            number = current.version.number
            moved = parent_id is None or current.parent_id == parent_id
            if number == target and moved and _is_ours(current, title, storage, message):
                return _with_body(current, storage)  # the lost answer was a success
            if number != int(base_version):
                raise VersionConflict(
                    f"{thing.capitalize()} {page_id} changed since version {base_version} (now {number}); "
                    "nothing was overwritten.",
                    current=number,
                    provided=target,
                )
            # still at base: the write did not land; send it once more
        raise failure  # pragma: no cover

    async def _update_once(
        self,
        page_id: str,
        title: str,
        storage: str,
        number: int,
        message: str,
        kind: str,
        minor_edit: bool = False,
        parent_id: str | None = None,
    ) -> Page:
        what = f"{noun(kind)} {page_id}"
        payload: dict
        if self.is_dc or minor_edit:
            payload = {
                "id": page_id,
                "type": kind,
                "status": "current",
                "title": title,
                "version": {"number": number, "message": message, "minorEdit": minor_edit},
                "body": {"storage": {"value": storage, "representation": "storage"}},
            }
            if parent_id is not None:
                payload["ancestors"] = [{"id": parent_id}]
            data = await self._json(
                "PUT", self.urls.v1(f"/content/{segment(page_id)}"), json=payload, what=what
            )
            page = parse_v1.page(data, self.urls.web_base)
        else:
            payload = {
                "id": page_id,
                "status": "current",
                "title": title,
                "body": {"representation": "storage", "value": storage},
                "version": {"number": number, "message": message},
            }
            if parent_id is not None:
                payload["parentId"] = parent_id
            url = self.urls.v2(f"/{collection(kind)}/{segment(page_id)}")
            data = await self._json("PUT", url, json=payload, what=what)
            page = parse_v2.page(data, self.urls.web_base, kind)
        return page

    async def delete_page(self, page_id: str, *, kind: str = PAGE) -> None:
        """Move a page or blog post (``kind``) to the trash."""
        if self.is_dc:
            body_kind(kind)
            url = self.urls.v1(f"/content/{segment(page_id)}")
        else:
            url = self.urls.v2(f"/{collection(kind)}/{segment(page_id)}")
        await self._idempotent("DELETE", url, what=f"{noun(kind)} {page_id}", gone_ok=True)

    async def _idempotent(
        self, method: str, url: str, *, json=None, what: str = "", gone_ok: bool = False
    ):
        """Send a write whose repetition is harmless; after an ambiguous failure send it once more."""
        try:
            return await self._json(method, url, json=json, what=what)
        except ConfluenceError as exc:
            if not is_ambiguous(exc):
                raise
        try:
            return await self._json(method, url, json=json, what=what)
        except NotFound:
            if gone_ok:
                return None
            raise

    async def _reread(self, awaitable, failure: ConfluenceError, what: str):
        """Await a check read; if it fails too, say that the write's fate is unknown."""
        try:
            return await awaitable
        except (NetworkError, ServerError) as exc:
            raise NetworkError(
                f"The change to {what} may or may not have been saved: no answer came back and "
                "re-reading it failed too. Open it again before saving once more."
            ) from exc
