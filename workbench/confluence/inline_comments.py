"""Inline comments: the comments anchored on a piece of a page's text.

Cloud: REST v2 (``GET /pages/{id}/inline-comments`` or ``/blogposts/{id}/inline-comments``,
``GET /inline-comments/{id}/children``, ``POST /inline-comments`` with ``inlineCommentProperties``
{textSelection, textSelectionMatchCount, textSelectionMatchIndex}; CreateInlineCommentModel in
``tests/specs/confluence-cloud-v2.openapi.json``). Data Center: REST v1
``/content/{id}/child/comment?location=inline`` and ``POST /content`` with ``extensions.location =
inline`` and ``extensions.inlineProperties`` {originalSelection, numMatches, matchIndex}.

Adding a top level inline comment changes the page's storage (a marker is wrapped around the text)
**without a new version of the page** (hunyadi/md2conf#277): see ``services.edit_session`` for how
saves keep those markers.
"""

from __future__ import annotations

from dataclasses import replace

from workbench.confluence import parse_v1, parse_v2
from workbench.confluence.core import V1_PAGE_SIZE, V2_PAGE_SIZE
from workbench.confluence.errors import ConfluenceError
from workbench.confluence.models import BLOGPOST, PAGE, Comment
from workbench.confluence.reads import body_kind, collection, noun
from workbench.confluence.social import MAX_REPLY_DEPTH, SocialApi, thread, walk
from workbench.confluence.urls import segment
from workbench.confluence.writes import SETTLE_ROUNDS, is_ambiguous, same_storage
from workbench.errors import UsageError


class InlineCommentsApi(SocialApi):
    async def inline_comments(self, page_id: str, *, kind: str = PAGE) -> list[Comment]:
        """Inline comments of a page or blog post: the roots (any resolution, ``dangling`` included),
        each with ``replies`` filled, oldest first."""
        body_kind(kind)
        if self.is_dc:
            flat = [
                c
                async for c in self._paginate(
                    self.urls.v1(f"/content/{segment(page_id)}/child/comment"),
                    {
                        "expand": "body.storage,version,ancestors,container,extensions.inlineProperties,"
                        "extensions.resolution",
                        "location": ["inline", "resolved"],
                        "depth": "all",
                        "limit": V1_PAGE_SIZE,
                    },
                    lambda d: parse_v1.comment(d, page_id),
                    what=f"inline comments of {noun(kind)} {page_id}",
                )
            ]
            return thread([replace(c, inline=True) for c in flat])
        roots = [
            c
            async for c in self._paginate(
                self.urls.v2(f"/{collection(kind)}/{segment(page_id)}/inline-comments"),
                {"body-format": "storage", "limit": V2_PAGE_SIZE},
                lambda d: parse_v2.inline_comment(d, page_id),
                what=f"inline comments of {noun(kind)} {page_id}",
            )
        ]
        return [await self._inline_replies(c, page_id, 1) for c in roots]

    async def _inline_replies(self, comment: Comment, page_id: str, depth: int) -> Comment:
        if depth > MAX_REPLY_DEPTH:
            return comment
        replies = [
            replace(r, parent_id=r.parent_id or comment.id, page_id=r.page_id or page_id)
            async for r in self._paginate(
                self.urls.v2(f"/inline-comments/{segment(comment.id)}/children"),
                {"body-format": "storage", "limit": V2_PAGE_SIZE},
                lambda d: parse_v2.inline_comment(d, page_id),
                what=f"replies to comment {comment.id}",
            )
        ]
        filled = [await self._inline_replies(r, page_id, depth + 1) for r in replies]
        return replace(comment, replies=tuple(filled))

    async def add_inline_comment(
        self,
        page_id: str,
        storage: str,
        *,
        selection: str = "",
        match_index: int = 0,
        match_count: int = 1,
        parent_id: str | None = None,
        kind: str = PAGE,
    ) -> Comment:
        """Comment on the ``match_index``-th of the ``match_count`` occurrences of ``selection`` in
        the page's text (zero-based, as the API counts), or reply to inline comment ``parent_id``.

        The server wraps the selection in a marker in the page's storage; the page's version stays.
        Lands exactly once: after an answer that was lost, the comments are read back.
        """
        body_kind(kind)
        if parent_id is None and not selection:
            raise UsageError("An inline comment needs the text it is anchored on (selection).")
        for round_ in range(SETTLE_ROUNDS + 1):
            try:
                return await self._add_inline_once(
                    page_id, storage, selection, match_index, match_count, parent_id, kind
                )
            except ConfluenceError as exc:
                if not is_ambiguous(exc) or round_ == SETTLE_ROUNDS:
                    raise
                failure = exc
            existing = await self._reread(
                self.inline_comments(page_id, kind=kind),
                failure,
                f"the inline comments of {noun(kind)} {page_id}",
            )
            match = [
                c
                for c in walk(existing)
                if c.parent_id == parent_id
                and same_storage(c.storage, storage)
                and (parent_id is not None or c.selection == selection)
            ]
            if match:
                return max(match, key=lambda c: (len(c.id), c.id))  # the newest identical comment
        raise failure  # pragma: no cover

    async def _add_inline_once(
        self,
        page_id: str,
        storage: str,
        selection: str,
        match_index: int,
        match_count: int,
        parent_id: str | None,
        kind: str,
    ) -> Comment:
        what = f"an inline comment on {noun(kind)} {page_id}"
        if self.is_dc:
            payload: dict = {
                "type": "comment",
                "container": {"id": page_id, "type": kind},
                "body": {"storage": {"value": storage, "representation": "storage"}},
                "extensions": {"location": "inline"},
            }
            if parent_id:
                payload["ancestors"] = [{"id": parent_id}]
            else:
                payload["extensions"]["inlineProperties"] = {
                    "originalSelection": selection,
                    "numMatches": match_count,
                    "matchIndex": match_index,
                }
            data = await self._json("POST", self.urls.v1("/content"), json=payload, what=what)
            made = replace(parse_v1.comment(data, page_id), inline=True)
        else:
            payload = {"body": {"representation": "storage", "value": storage}}
            if parent_id:
                payload["parentCommentId"] = parent_id
            else:
                payload["blogPostId" if kind == BLOGPOST else "pageId"] = page_id
                payload["inlineCommentProperties"] = {
                    "textSelection": selection,
                    "textSelectionMatchCount": match_count,
                    "textSelectionMatchIndex": match_index,
                }
            data = await self._json(
                "POST", self.urls.v2("/inline-comments"), json=payload, what=what
            )
            made = parse_v2.inline_comment(data, page_id)
        return replace(
            made,
            parent_id=made.parent_id or parent_id,
            storage=made.storage or storage,
            selection=made.selection or ("" if parent_id else selection),
        )
