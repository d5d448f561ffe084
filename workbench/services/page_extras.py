"""What the viewer shows around a page — breadcrumb, last editor, labels, comments — in as few round
trips as the API allows, after the page itself is shown (that is one request).

Two rounds of requests sent together, none twice:

1. the ancestors' ids, the footer comments (their replies, a level at a time), and the labels
   only when the page's own answer did not carry them all (``Page.labels_complete``);
2. the ancestors' titles (pages in one request; folders above the page one each, together), the
   names of the people not known yet (one users request: the last editor, the commenters, the
   people mentioned).

At 100 ms a round trip that is ~200 ms after the page, where one request after another took ~500.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.models import Comment, Label, Page, PageSummary
    from workbench.services.users import UserDirectory
    from workbench.services.workspace import CommentView, PageExtras

T = TypeVar("T")
U = TypeVar("U")
V = TypeVar("V")


async def together(a: Awaitable[T], b: Awaitable[U], c: Awaitable[V]) -> tuple[T, U, V]:
    """Await the three at once; when one fails, the others still finish (no request is left
    running unwatched), then the first failure is raised."""
    results = await asyncio.gather(a, b, c, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    first, second, third = results
    return first, second, third  # type: ignore[return-value]


def walk(comments: tuple[Comment, ...] | list[Comment]) -> list[Comment]:
    """Every comment and reply, depth first."""
    out: list[Comment] = []
    for c in comments:
        out.append(c)
        out.extend(walk(c.replies))
    return out


async def load_extras(
    client: ConfluenceClient,
    directory: UserDirectory,
    page: Page,
    space_name: str = "",
) -> PageExtras:
    """The header of ``page`` (as the page's one request answered it). Nothing is imported before
    the first round is sent: the page may be converting in a thread, holding the import lock."""

    async def labels() -> tuple[Label, ...]:
        if page.labels_complete:
            return page.labels
        return tuple(await client.labels(page.id, kind=page.type))

    async def comments_and_names() -> list[Comment]:
        comments = await client.comments(page.id, kind=page.type)
        # lazy, for start-up: workbench.convert loads on first use
        from workbench.convert import mentioned_accounts

        every = walk(comments)
        ids = {page.version.author_id, *mentioned_accounts(page.storage or "")}
        ids |= {c.author_id for c in every}
        ids |= {i for c in every for i in mentioned_accounts(c.storage or "")}
        await directory.learn(ids)
        return comments

    ancestors: list[PageSummary]
    ancestors, found_labels, comments = await together(
        client.ancestors(page.id, kind=page.type), labels(), comments_and_names()
    )

    # lazy, for start-up: workbench.convert loads on first use
    from workbench.convert import storage_to_markdown
    from workbench.services.workspace import CommentView, PageExtras

    def view(c: Comment) -> CommentView:
        return CommentView(
            c.id,
            directory.name_of(c.author_id),
            c.created_at,
            storage_to_markdown(
                c.storage or "", users=directory.mapping_for(c.storage or "") or None
            ),
            tuple(view(r) for r in c.replies),
        )

    crumbs = ([space_name] if space_name else []) + [a.title for a in ancestors]
    return PageExtras(
        tuple(crumbs),
        directory.name_of(page.version.author_id),
        tuple(label.name for label in found_labels),
        tuple(view(c) for c in comments),
    )
