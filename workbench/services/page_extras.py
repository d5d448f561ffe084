"""What the viewer shows around a page — breadcrumb, last editor, labels, comments — in as few round
trips as the API allows, none asked for twice.

ONE round, sent WITH the page's own request (:class:`FirstRound`: it needs nothing from the page's
answer, so the page still shows after its one answer): the page's header in one request
(:meth:`~workbench.confluence.page_header.PageHeaderApi.page_header`: the ancestors with titles,
the last editor's name, every footer comment with its replies and their authors' names); the
labels come with the page's own answer (asked for only past the 50 it carries). At 100 ms of
latency the header is in one round trip after the page was asked for — the same one as the page.

A second request only when the first answer could not say everything: more comments than its first
page, names nobody had (people mentioned in the comments; those mentioned in the page itself are
learned after the header is shown: :func:`learn_page_names`), more than 50 labels. Where the site
cannot answer the one-request header (``NotAvailable``: v1 content retired on a Cloud site, an
OAuth login without the scope), the v2 way: the ancestors' ids and the comments with the page, then
the titles and the names — two rounds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from workbench.confluence.errors import NotAvailable, NotFound, PermissionDenied
from workbench.convert.mentions import mentioned_accounts
from workbench.services.page_header_view import CommentView, PageExtras

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.models import Comment, Label, Page, PageSummary
    from workbench.confluence.page_header import PageHeader
    from workbench.services.users import UserDirectory

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
    """The header's requests that need nothing from the page's answer, sent with the page's: the
    one-request header, or where the site cannot answer it (``client.one_request_header`` false)
    the v2 way's first round — the ancestors' ids and the comments."""

    header: asyncio.Future[PageHeader] | None
    chain: asyncio.Future[list[PageSummary]] | None = None
    comments: asyncio.Future[list[Comment]] | None = None

    @classmethod
    def send(cls, client: ConfluenceClient, page_id: str, kind: str = "page") -> FirstRound:
        if client.one_request_header:
            return cls(asyncio.ensure_future(client.page_header(page_id, kind=kind)))
        return cls(
            None,
            asyncio.ensure_future(client.ancestor_chain(page_id, kind=kind)),
            asyncio.ensure_future(client.comments(page_id, kind=kind)),
        )

    @property
    def tasks(self) -> tuple[asyncio.Future, ...]:
        return tuple(t for t in (self.header, self.chain, self.comments) if t is not None)

    async def head_start(self, at_most: float = HEAD_START) -> None:
        """Give the header a head start before the page is drawn (drawing holds the event loop,
        and a big page's layout in its thread competes with it for the GIL): wait until this
        round is in — it was sent with the page and carries no body, so it is in, or nearly, when
        the page has been converted — but no more than ``at_most`` seconds, then let the loop run
        for a moment, so the header is made (or, the v2 way, its second round sent) before the
        drawing starts, not after it."""
        await asyncio.wait(self.tasks, timeout=at_most)
        await asyncio.sleep(SEND_MOMENT)

    def cancel(self) -> None:
        """Not wanted after all (the page's own request failed, another page was opened): stop
        them, and take their outcome so a failure of theirs is not reported as never retrieved."""
        for task in self.tasks:
            task.cancel()
            task.add_done_callback(_consume)


def _consume(task: asyncio.Future) -> None:
    if not task.cancelled():
        task.exception()


async def _titled_chain(
    client: ConfluenceClient, first: FirstRound, header: PageHeader | None
) -> list[PageSummary]:
    if header is not None:
        return list(header.ancestors)  # with their titles already
    assert first.chain is not None
    return await client.ancestor_titles(await first.chain)


async def _labels(client: ConfluenceClient, page: Page) -> tuple[Label, ...]:
    """The page's labels: its own answer's when it carried them all, else listed once. A refusal
    of the listing (403, or a 404: labels the login may not see) leaves the ones the page's
    answer carried — the header and the page are not lost for it."""
    if page.labels_complete:
        return page.labels
    try:
        return tuple(await client.labels(page.id, kind=page.type))
    except (PermissionDenied, NotFound):
        return page.labels


async def _comments(
    client: ConfluenceClient, page: Page, first: FirstRound, header: PageHeader | None
) -> list[Comment]:
    if header is not None:
        if header.comments is not None:
            return list(header.comments)
        return await client.comments(page.id, kind=page.type)  # more than its first page
    assert first.comments is not None
    return await first.comments


def _mentions(page: Page) -> list[str]:
    """The accounts the page's storage mentions (``convert.mentions`` loads nothing of the converter,
    which may be loading in the conversion thread meanwhile)."""
    return mentioned_accounts(page.storage or "")


async def learn_page_names(directory: UserDirectory, page: Page) -> bool:
    """Learn the names of the people the page mentions that nobody named yet (one users request,
    none when all are known — joining the one :func:`load_extras` sent, if it is on its way); True
    when some were still missing. After the header is shown: the header's request does not name
    them (they are in the body's text)."""
    missing = directory.missing(_mentions(page))
    if not missing:
        return False
    await directory.learn(missing)
    return True


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
    *,
    page_names: bool = True,
) -> PageExtras:
    """The header of ``page`` (as the page's one request answered it). ``first``: its first round,
    sent with the page's request (:meth:`FirstRound.send`); without it, it is sent now. The names
    of the people the page mentions are asked for at once, beside the header's request (one users
    request, none when all are known); ``page_names=False``: the header does not wait for them
    (the viewer shows it, then the names: :func:`learn_page_names` joins that request). Nothing
    is imported before the requests are sent: the page may be converting in a thread, holding the
    import lock."""
    if first is None:
        first = FirstRound.send(client, page.id, page.type)
    header: PageHeader | None = None
    mentioned = _mentions(page) if first.header is not None else []  # the v2 way: see below
    names = asyncio.ensure_future(directory.learn(mentioned)) if mentioned else None
    try:
        if first.header is not None:
            try:
                header = await first.header
            except NotAvailable:  # this site cannot: the v2 way (two rounds), from now on
                first = FirstRound.send(client, page.id, page.type)
        if header is not None:
            for who, name in header.names.items():
                directory.remember(who, name)

        async def comments_and_names() -> list[Comment]:
            comments = await _comments(client, page, first, header)
            every = walk(comments)
            ids = {page.version.author_id, *(c.author_id for c in every)}
            ids |= {i for c in every for i in mentioned_accounts(c.storage or "")}
            if names is None:  # the v2 way: the page's mentions in this one users request
                ids |= set(_mentions(page))
            await directory.learn(ids)  # none to ask for when the header's answer named them
            return comments

        ancestors, found_labels, comments = await together(
            _titled_chain(client, first, header), _labels(client, page), comments_and_names()
        )
        if names is not None and page_names:
            await names
    finally:
        first.cancel()  # all done by now, unless this was cancelled or failed on the way
        if names is not None and not names.done() and page_names:
            names.cancel()  # this failed or was cancelled: nobody waits for them

    # lazy, for start-up: workbench.convert loads on first use
    from workbench.convert import storage_to_markdown

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

    def views() -> tuple[CommentView, ...]:
        return tuple(view(c) for c in comments)

    crumbs = ([space_name] if space_name else []) + [a.title for a in ancestors]
    return PageExtras(
        tuple(crumbs),
        directory.name_of(page.version.author_id),
        tuple(label.name for label in found_labels),
        # converted in a thread: many comments do not hold the loop while the page is drawn
        await asyncio.to_thread(views) if comments else (),
    )
