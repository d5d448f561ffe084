"""What the viewer shows around a page — breadcrumb, last editor, labels, comments — in as few round
trips as the API allows, none asked for twice.

Two rounds of requests:

1. sent WITH the page's own request (:class:`FirstRound`: they need nothing from its answer, so
   the page still shows after its one answer): the ancestors' ids and the footer comments (their
   replies follow, a level at a time);
2. as soon as what they need is in: the ancestors' titles (pages in one request; folders above the
   page one each, together), the names of the people not known yet (one users request: the last
   editor, the commenters, the people mentioned), and the labels only when the page's own answer
   did not carry them all (``Page.labels_complete``).

At 100 ms of latency the whole header is in ~200 ms after the page was asked for (a page without
replies): two round trips, where the page, then its ids, then the titles took three.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.models import Comment, Label, Page, PageSummary
    from workbench.services.users import UserDirectory
    from workbench.services.workspace import CommentView, PageExtras

#: How long the page waits for its header's first round before it is drawn (seconds), at most.
HEAD_START = 0.02
#: How long the loop then runs before the page is drawn, for the second round to go out.
SEND_MOMENT = 0.003

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


@dataclass(frozen=True, slots=True)
class FirstRound:
    """The header's requests that need nothing from the page's answer, sent with the page's."""

    chain: asyncio.Future[list[PageSummary]]
    comments: asyncio.Future[list[Comment]]

    @classmethod
    def send(cls, client: ConfluenceClient, page_id: str, kind: str = "page") -> FirstRound:
        return cls(
            asyncio.ensure_future(client.ancestor_chain(page_id, kind=kind)),
            asyncio.ensure_future(client.comments(page_id, kind=kind)),
        )

    async def head_start(self, at_most: float = HEAD_START) -> None:
        """Give the header a head start before the page is drawn (drawing holds the event loop:
        the first screen, a lexer loaded on first use): wait until this round is in — it was sent
        with the page, so it is in, or nearly, when the page has been converted — but no more
        than ``at_most`` seconds, then let the loop run for a moment, so the second round is read
        and sent before the drawing starts, not after it."""
        await asyncio.wait((self.chain, self.comments), timeout=at_most)
        await asyncio.sleep(SEND_MOMENT)

    def cancel(self) -> None:
        """Not wanted after all (the page's own request failed, another page was opened): stop
        both, and take their outcome so a failure of theirs is not reported as never retrieved."""
        for task in (self.chain, self.comments):
            task.cancel()
            task.add_done_callback(_consume)


def _consume(task: asyncio.Future) -> None:
    if not task.cancelled():
        task.exception()


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
    first: FirstRound | None = None,
) -> PageExtras:
    """The header of ``page`` (as the page's one request answered it). ``first``: its first round,
    sent with the page's request (:meth:`FirstRound.send`); without it, it is sent now. Nothing is
    imported before the requests are sent: the page may be converting in a thread, holding the
    import lock."""
    if first is None:
        first = FirstRound.send(client, page.id, page.type)

    async def labels() -> tuple[Label, ...]:
        if page.labels_complete:
            return page.labels
        return tuple(await client.labels(page.id, kind=page.type))

    async def titled_chain() -> list[PageSummary]:
        return await client.ancestor_titles(await first.chain)

    async def comments_and_names() -> list[Comment]:
        comments = await first.comments
        # lazy, for start-up: workbench.convert loads on first use
        from workbench.convert import mentioned_accounts

        every = walk(comments)
        ids = {page.version.author_id, *mentioned_accounts(page.storage or "")}
        ids |= {c.author_id for c in every}
        ids |= {i for c in every for i in mentioned_accounts(c.storage or "")}
        await directory.learn(ids)
        return comments

    ancestors: list[PageSummary]
    try:
        ancestors, found_labels, comments = await together(
            titled_chain(), labels(), comments_and_names()
        )
    finally:
        first.cancel()  # both are done by now, unless this was cancelled or failed on the way

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
