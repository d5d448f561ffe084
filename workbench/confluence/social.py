"""Footer comments, labels and user lookups."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import replace

from workbench.confluence import parse_v1, parse_v2
from workbench.confluence.core import V1_PAGE_SIZE, V2_PAGE_SIZE
from workbench.confluence.errors import ConfluenceError, NotFound
from workbench.confluence.models import BLOGPOST, PAGE, Comment, Label, User
from workbench.confluence.reads import body_kind, collection, noun
from workbench.confluence.search import SearchApi
from workbench.confluence.urls import segment
from workbench.confluence.writes import SETTLE_ROUNDS, is_ambiguous, same_storage

#: Reply threads deeper than this are not followed (Confluence UIs stop well before).
MAX_REPLY_DEPTH = 8


class SocialApi(SearchApi):
    # -- comments ------------------------------------------------------------------------------
    async def comments(self, page_id: str, *, kind: str = PAGE) -> list[Comment]:
        """Footer comments of a page or blog post: the roots, each with ``replies`` filled (oldest first)."""
        if self.is_dc:
            body_kind(kind)
            return await self._dc_comments(page_id)
        roots = [
            c
            async for c in self._paginate(
                self.urls.v2(f"/{collection(kind)}/{segment(page_id)}/footer-comments"),
                {"body-format": "storage", "limit": V2_PAGE_SIZE},
                lambda d: parse_v2.comment(d, page_id),
                what=f"comments of {noun(kind)} {page_id}",
            )
        ]
        # the replies of every comment are asked for together (one round trip a level, not one each)
        return list(await asyncio.gather(*(self._with_replies(c, page_id, 1) for c in roots)))

    async def _with_replies(self, comment: Comment, page_id: str, depth: int) -> Comment:
        if depth > MAX_REPLY_DEPTH:
            return comment
        replies = [
            replace(r, parent_id=r.parent_id or comment.id)
            async for r in self._paginate(
                self.urls.v2(f"/footer-comments/{segment(comment.id)}/children"),
                {"body-format": "storage", "limit": V2_PAGE_SIZE},
                lambda d: parse_v2.comment(d, page_id),
                what=f"replies to comment {comment.id}",
            )
        ]
        filled = await asyncio.gather(*(self._with_replies(r, page_id, depth + 1) for r in replies))
        return replace(comment, replies=tuple(filled))

    async def _dc_comments(self, page_id: str) -> list[Comment]:
        flat = [
            c
            async for c in self._paginate(
                self.urls.v1(f"/content/{segment(page_id)}/child/comment"),
                {
                    "expand": "body.storage,version,ancestors,container",
                    "depth": "all",
                    "location": "footer",
                    "limit": V1_PAGE_SIZE,
                },
                lambda d: parse_v1.comment(d, page_id),
                what=f"comments of page {page_id}",
            )
        ]
        return thread(flat)

    async def add_comment(
        self, page_id: str, storage: str, parent_id: str | None = None, *, kind: str = PAGE
    ) -> Comment:
        """Post a footer comment on a page or blog post (a reply when ``parent_id`` is given); lands
        exactly once."""
        body_kind(kind)
        for round_ in range(SETTLE_ROUNDS + 1):
            try:
                return await self._add_comment_once(page_id, storage, parent_id, kind)
            except ConfluenceError as exc:
                if not is_ambiguous(exc) or round_ == SETTLE_ROUNDS:
                    raise
                failure = exc
            existing = await self._reread(
                self.comments(page_id, kind=kind),
                failure,
                f"the comments of {noun(kind)} {page_id}",
            )
            match = [
                c
                for c in walk(existing)
                if c.parent_id == parent_id and same_storage(c.storage, storage)
            ]
            if match:
                return max(match, key=lambda c: (len(c.id), c.id))  # the newest identical comment
        raise failure  # pragma: no cover

    async def _add_comment_once(
        self, page_id: str, storage: str, parent_id: str | None, kind: str
    ) -> Comment:
        what = f"a comment on {noun(kind)} {page_id}"
        if self.is_dc:
            payload: dict = {
                "type": "comment",
                "container": {"id": page_id, "type": kind},
                "body": {"storage": {"value": storage, "representation": "storage"}},
            }
            if parent_id:
                payload["ancestors"] = [{"id": parent_id}]
            data = await self._json("POST", self.urls.v1("/content"), json=payload, what=what)
            made = parse_v1.comment(data, page_id)
        else:
            # CreateFooterCommentModel: exactly one of pageId, blogPostId, parentCommentId, …
            payload = {"body": {"representation": "storage", "value": storage}}
            container = "blogPostId" if kind == BLOGPOST else "pageId"
            payload.update({"parentCommentId": parent_id} if parent_id else {container: page_id})
            data = await self._json(
                "POST", self.urls.v2("/footer-comments"), json=payload, what=what
            )
            made = parse_v2.comment(data, page_id)
        return replace(made, parent_id=made.parent_id or parent_id, storage=made.storage or storage)

    # -- labels --------------------------------------------------------------------------------
    async def labels(self, page_id: str, *, kind: str = PAGE) -> list[Label]:
        if self.is_dc:
            body_kind(kind)
            url, params = (
                self.urls.v1(f"/content/{segment(page_id)}/label"),
                {"limit": V1_PAGE_SIZE},
            )
        else:
            url, params = (
                self.urls.v2(f"/{collection(kind)}/{segment(page_id)}/labels"),
                {"limit": V2_PAGE_SIZE},
            )
        return [
            x
            async for x in self._paginate(
                url, params, parse_v2.label, what=f"labels of {noun(kind)} {page_id}"
            )
        ]

    async def add_labels(
        self, page_id: str, names: Iterable[str], *, kind: str = PAGE
    ) -> list[Label]:
        """Add labels (v1 ``/content/{id}/label`` on both sites and for both kinds: v2 cannot add
        labels). Returns the labels after the change."""
        body = [{"prefix": "global", "name": n.strip()} for n in names if n and n.strip()]
        if not body:
            return await self.labels(page_id, kind=kind)
        data = await self._idempotent(
            "POST",
            self.urls.v1(f"/content/{segment(page_id)}/label"),
            json=body,
            what=f"labels of {noun(body_kind(kind))} {page_id}",
        )
        results = data.get("results") if isinstance(data, dict) else None
        if isinstance(results, list):
            return [parse_v2.label(x) for x in results if isinstance(x, dict)]
        return await self.labels(page_id, kind=kind)

    async def remove_label(self, page_id: str, name: str, *, kind: str = PAGE) -> None:
        await self._idempotent(
            "DELETE",
            self.urls.v1(f"/content/{segment(page_id)}/label/{segment(name)}"),
            what=f"label '{name}' of {noun(body_kind(kind))} {page_id}",
            gone_ok=True,
        )

    # -- users ---------------------------------------------------------------------------------
    async def users(self, account_ids: Iterable[str]) -> dict[str, User]:
        """Display names for account ids (DC: user keys), where the server has them."""
        ids = sorted({i for i in account_ids if i})
        out: dict[str, User] = {}
        if not ids:
            return out
        if self.is_dc:
            for key in ids:
                try:
                    data = await self._get(self.urls.v1("/user"), {"key": key}, what=f"user {key}")
                except NotFound:
                    continue
                out[key] = replace(parse_v2.user(data), account_id=key)
            return out
        for start in range(0, len(ids), 100):
            chunk = ids[start : start + 100]
            data = await self._json(
                "POST",
                self.urls.v2("/users-bulk"),
                json={"accountIds": chunk},
                what="users",
                idempotent=True,
            )
            for item in (data or {}).get("results") or ():
                if isinstance(item, dict):
                    user = parse_v2.user(item)
                    out[user.account_id] = user
        return out


def thread(flat: list[Comment]) -> list[Comment]:
    """Nest a flat comment list by ``parent_id`` (roots first, input order kept)."""
    by_parent: dict[str | None, list[Comment]] = {}
    ids = {c.id for c in flat}
    for c in flat:
        parent = c.parent_id if c.parent_id in ids else None
        by_parent.setdefault(parent, []).append(c)

    def build(c: Comment, depth: int) -> Comment:
        kids = by_parent.get(c.id, []) if depth < MAX_REPLY_DEPTH else []
        return replace(c, replies=tuple(build(k, depth + 1) for k in kids))

    return [build(c, 1) for c in by_parent.get(None, [])]


def walk(comments: Iterable[Comment]):
    """Every comment and reply, depth first."""
    for c in comments:
        yield c
        yield from walk(c.replies)
