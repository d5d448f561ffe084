"""One connected site as the TUI (and the agent panel) sees it: client, cache, drafts, current page.

Everything here is headless (no Textual) and async where it talks to the server, so the TUI runs
each call in a worker. A :class:`~workbench.services.site_spec.SiteSpec` describes a site *before*
it is connected.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from workbench.errors import UsageError
from workbench.services.cache import TreeCache
from workbench.services.drafts import DraftStore
from workbench.services.page_header_view import CommentView, PageExtras
from workbench.services.site_spec import SiteSpec

# SiteSpec, CommentView, PageExtras: where callers find them (they live in their own modules)
__all__ = ["CommentView", "PageExtras", "SiteSpec", "Workspace"]

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.models import (
        Label,
        Page,
        PageSummary,
        SearchPage,
        Space,
        User,
        Version,
    )
    from workbench.services.edit_session import EditSession
    from workbench.services.page_refs import Resolved
    from workbench.services.pages import OpenedPage
    from workbench.services.users import UserDirectory


@dataclass(slots=True)
class Workspace:
    """A connected site. ``current`` is the page open in the viewer (its pinned base version)."""

    client: ConfluenceClient
    site_key: str
    site_name: str
    cache: TreeCache
    drafts: DraftStore
    user: User | None = None
    current: OpenedPage | None = None
    spaces_by_id: dict[str, Space] = field(default_factory=dict)

    @classmethod
    def create(
        cls,
        client: ConfluenceClient,
        site_key: str,
        site_name: str,
        cache_dir: Path | None = None,
        data_dir: Path | None = None,
        cache: TreeCache | None = None,
    ) -> Workspace:
        # lazy, for start-up: workbench.config loads on first use
        from workbench.config import cache_dir as default_cache
        from workbench.config import data_dir as default_data

        return cls(
            client,
            site_key,
            site_name,
            cache or TreeCache(cache_dir or default_cache(), site_key),
            DraftStore((data_dir or default_data()) / "drafts", site_key),
        )

    # -- tree ---------------------------------------------------------------------------------
    async def who_am_i(self) -> User:
        self.user = await self.client.current_user()
        self.directory.remember(self.user.account_id, self.user.display_name)
        return self.user

    async def spaces(self) -> list[Space]:
        spaces = [space async for space in self.client.spaces()]
        spaces.sort(key=lambda s: (s.type == "personal", s.name.lower()))
        self.spaces_by_id.update({s.id: s for s in spaces})
        self.cache.put_spaces(spaces)
        return spaces

    async def pages_under(self, parent: str, batch: int = 250) -> AsyncIterator[list[PageSummary]]:
        """Rows under a tree key, in batches: ``space:<id>`` (the space's root pages),
        ``blog:<space id>`` (its blog posts, newest first), or ``<kind>:<id>`` for a page, folder,
        whiteboard, database or smart link (its children of every kind, in Confluence's order)."""
        kind, _, ident = parent.partition(":")
        if kind == "space":
            source = self.client.space_pages(ident, depth="root")
        elif kind == "blog":
            source = self.client.blog_posts(ident)
        else:
            source = self.client.children(ident, kind=kind)
        rows: list[PageSummary] = []
        chunk: list[PageSummary] = []
        async for row in source:
            chunk.append(row)
            if len(chunk) >= batch:
                rows.extend(chunk)
                yield chunk
                chunk = []
        rows.extend(chunk)
        yield chunk
        self.cache.put_children(parent, rows)

    async def web_url(self, content_id: str, kind: str = "page") -> str:
        """The web address of any content in the tree (one request)."""
        return await self.client.web_url(content_id, kind=kind)

    # -- pages --------------------------------------------------------------------------------
    async def open(
        self, page_id: str, version: int | None = None, *, kind: str = "page"
    ) -> OpenedPage:
        """Fetch and convert a page (or a blog post, ``kind="blogpost"``): exactly one request.

        Mentions show the names already known; :meth:`extras` learns the others (in the same users
        request as the authors) and :meth:`with_names` re-renders the page with them. When a local
        draft of the page exists, the names are learned first (one more request, only if some are
        unknown), so the draft — written with names — compares equal to the page where it should.
        """
        # lazy, for start-up: workbench.services.pages loads on first use
        from workbench.services.pages import open_page

        learn = version is None and "⟦@" in "".join(
            d.markdown for d in self.drafts.for_page(page_id)
        )
        return await open_page(
            self.client, page_id, version=version, directory=self.directory, learn=learn, kind=kind
        )

    def with_names(self, opened: OpenedPage) -> OpenedPage:
        """``opened`` re-rendered with the names known now (no request; ``opened`` if unchanged)."""
        # lazy, for start-up: workbench.services.pages loads on first use
        from workbench.services.pages import with_names

        return with_names(opened, self.directory.names)

    async def extras(self, opened: OpenedPage) -> PageExtras:
        """Breadcrumb, last editor, labels and comments: two rounds of requests sent together,
        after the page shows (see :mod:`workbench.services.page_extras`)."""
        # lazy, for start-up: workbench.services.page_extras loads on first use
        from workbench.services.page_extras import load_extras

        return await load_extras(
            self.client, self.directory, opened.page, self._space_name(opened.page)
        )

    def _space_name(self, page: Page) -> str:
        space = self.spaces_by_id.get(page.space_id)
        return space.name if space else ""

    async def open_with_header(
        self, page_id: str, *, kind: str = "page"
    ) -> tuple[OpenedPage, asyncio.Task[PageExtras]]:
        """Open a page for the viewer: its one request, and with it the header's
        (:class:`~workbench.services.page_extras.FirstRound`: one request where the site answers
        it, else the v2 way's first round), which needs nothing from the page's answer; whatever
        else the header needs (:meth:`extras`) goes out while the page converts — in a thread, so
        the event loop sends it at once. The page shows after its own answer; the header is in
        with it, not after the page has been converted and drawn. The caller awaits (or cancels)
        the returned task."""
        # lazy, for start-up: workbench.services.pages, page_extras load on first use
        from workbench.services.page_extras import FirstRound, load_extras
        from workbench.services.pages import view_of

        if "⟦@" in "".join(d.markdown for d in self.drafts.for_page(page_id)):
            opened = await self.open(page_id, kind=kind)  # names first (see open)
            return opened, asyncio.ensure_future(self.extras(opened))
        first = FirstRound.send(self.client, page_id, kind)
        try:
            page = await self.client.get_page(page_id, kind=kind)
        except BaseException:
            first.cancel()
            raise
        header = asyncio.ensure_future(  # the viewer shows the page's mentions by name after it
            load_extras(
                self.client, self.directory, page, self._space_name(page), first, page_names=False
            )
        )
        directory = self.directory

        def convert() -> OpenedPage:  # in a thread: the loop sends and takes the header's requests
            return view_of(page, directory.mapping_for(page.storage or ""))

        try:
            opened = await asyncio.to_thread(convert)
            await first.head_start()  # the header (or its second round) before the drawing
        except BaseException:
            header.cancel()
            raise
        return opened, header

    def cached_crumbs(self, page: Page) -> list[str]:
        """The breadcrumb of ``page`` as the tree cache knows it — the space, then the titles above
        the page, from its parent up — to show with the page at once, before the header's requests
        answer (they correct it: a page moved or an ancestor renamed since the cache was written).
        Empty when the cache does not know the page's parent."""
        if not page.parent_id:
            return []
        titles = self.cache.trail(page.parent_id)
        if titles is None:
            return []
        space = self._space_name(page) or next(
            (s.name for s in self.cache.spaces() if s.id == page.space_id), ""
        )
        return ([space] if space else []) + titles

    @property
    def directory(self) -> UserDirectory:
        """The names cache of this site (shared with the agent panel, which uses the same client)."""
        # lazy, for start-up: workbench.services.users loads on first use
        from workbench.services.users import UserDirectory

        return UserDirectory.for_client(self.client)

    @property
    def names(self) -> dict[str, str]:
        """Display names learned so far, by account id."""
        return self.directory.names

    def name_of(self, account_id: str) -> str:
        return self.directory.name_of(account_id)

    # -- editing ------------------------------------------------------------------------------
    def edit(self, opened: OpenedPage, text: str | None = None) -> EditSession:
        """An editing session of ``opened`` (the pinned base) on this site: its drafts, names, client."""
        # lazy, for start-up: workbench.services.edit_session loads on first use
        from workbench.services.edit_session import EditSession

        return EditSession(
            self.client,
            opened,
            text=text,
            drafts=self.drafts,
            directory=self.directory,
            known=self.names,
        )

    def edit_new(
        self,
        space_id: str,
        parent_id: str | None,
        title: str,
        *,
        text: str = "",
        draft_id: str | None = None,
        kind: str = "page",
    ) -> EditSession:
        """An editing session of a page not created yet (``draft_id``: continue that draft)."""
        # lazy, for start-up: workbench.services.edit_session loads on first use
        from workbench.services.edit_session import EditSession

        return EditSession.new_page(
            self.client,
            space_id=space_id,
            parent_id=parent_id,
            title=title,
            kind=kind,
            draft_id=draft_id,
            text=text,
            drafts=self.drafts,
            directory=self.directory,
            known=self.names,
        )

    # -- history, search, comments, labels ----------------------------------------------------
    async def versions(self, page_id: str, *, kind: str = "page") -> list[Version]:
        versions = [v async for v in self.client.versions(page_id, kind=kind)]
        await self.directory.learn({v.author_id for v in versions})
        return versions

    async def version_diff(
        self, page_id: str, older: int, newer: int, *, kind: str = "page"
    ) -> list[str]:
        # lazy, for start-up: workbench.convert, workbench.services.diffing … loads on first use
        from workbench.convert import mentioned_accounts
        from workbench.services.diffing import unified
        from workbench.services.pages import view_of
        from workbench.services.users import names_for

        a, b = await asyncio.gather(
            self._version_of(page_id, older, kind), self._version_of(page_id, newer, kind)
        )
        ids = mentioned_accounts((a.storage or "") + (b.storage or ""))
        await self.directory.learn(ids)
        users = names_for(self.names, ids)  # one mapping for both, so a name shows no false change
        view_a, view_b = view_of(a, users), view_of(b, users)
        return unified(view_a.markdown, view_b.markdown, f"version {older}", f"version {newer}")

    async def _version_of(self, page_id: str, number: int, kind: str) -> Page:
        """One version of a page: the one open in the viewer when it is that one (a version never
        changes), otherwise one request."""
        current = self.current
        if (
            current is not None
            and current.page.id == page_id
            and current.page.version.number == number
            and current.page.storage is not None
        ):
            return current.page
        return await self.client.get_page(page_id, version=number, kind=kind)

    async def search(self, cql: str, limit: int = 50, cursor: str | None = None) -> SearchPage:
        return await self.client.search_page(cql, limit=limit, cursor=cursor)

    async def add_comment(
        self, page_id: str, markdown: str, parent_id: str | None = None, *, kind: str = "page"
    ) -> None:
        # lazy, for start-up: workbench.convert, workbench.services.users loads on first use
        from workbench.convert import markdown_to_storage
        from workbench.services.users import settle_mentions

        settled = settle_mentions(markdown, {}, self.names)
        storage = markdown_to_storage(settled.markdown, users=settled.users or None)
        await self.client.add_comment(page_id, storage, parent_id=parent_id, kind=kind)

    async def set_labels(
        self, page_id: str, wanted: list[str], *, kind: str = "page"
    ) -> list[Label]:
        """Make the page's (or blog post's) labels exactly ``wanted`` (adds and removes as needed)."""
        have = {label.name for label in await self.client.labels(page_id, kind=kind)}
        want = {w.strip().lower() for w in wanted if w.strip()}
        bad = [w for w in want if any(ch.isspace() for ch in w)]
        if bad:
            raise UsageError(f"Labels cannot contain spaces: {', '.join(sorted(bad))}.")
        if want - have:
            await self.client.add_labels(page_id, sorted(want - have), kind=kind)
        for name in sorted(have - want):
            await self.client.remove_label(page_id, name, kind=kind)
        return await self.client.labels(page_id, kind=kind)

    async def resolve(self, text: str, *, titles: bool = False) -> Resolved:
        """The page an id, a page or space URL, a tiny link (or, with ``titles``, a title) names
        (``workbench.services.page_refs``; ``UsageError``/``NotFound`` say what is wrong)."""
        # lazy, for start-up: workbench.services.page_refs loads on first use
        from workbench.services.page_refs import resolve

        return await resolve(self.client, text, titles=titles)

    async def resolve_link(self, target: str, space_id: str | None = None) -> str | None:
        """The page id a ``page:SPACE/Title`` or ``page:Title`` link points to, or None.

        A link without a space key names a page in ``space_id`` (the space of the page it is on).
        """
        # lazy, for start-up: workbench.confluence.errors loads on first use
        from workbench.confluence.errors import NotFound

        rest = unquote(target.removeprefix("page:")).split("#", 1)[0]
        key, sep, title = rest.partition("/")
        if sep and re.fullmatch(r"~?[\w-]{1,255}", key):
            try:
                space = await self.client.space_by_key(key)
            except NotFound:
                space = None
            if space is not None:
                self.spaces_by_id[space.id] = space
                page = await self.client.find_page(space.id, title)
                if page is not None:
                    return page.id
        if space_id is None:
            return None
        page = await self.client.find_page(space_id, rest)
        return page.id if page else None

    async def close(self) -> None:
        await self.client.aclose()
