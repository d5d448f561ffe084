"""Read methods: the user, spaces, page lists, the tree, single pages and their versions.

Cloud uses REST v2; Data Center uses v1 (where a space's id is its key, see ``parse_v1``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable

from workbench.confluence import parse_v1, parse_v2
from workbench.confluence.core import V1_PAGE_SIZE, V2_PAGE_SIZE, ClientCore
from workbench.confluence.errors import NotAvailable, NotFound, ServerError
from workbench.confluence.models import (
    BLOGPOST,
    BODY_KINDS,
    PAGE,
    Page,
    PageSummary,
    Space,
    User,
    Version,
)
from workbench.confluence.urls import segment
from workbench.errors import UsageError

DC_PAGE_EXPAND = "body.storage,version,space,ancestors,history,metadata.labels"


def body_kind(kind: str) -> str:
    """``kind`` if it names content with a body (page, blogpost); a clear error otherwise."""
    if kind not in BODY_KINDS:
        raise UsageError(
            f"'{kind}' content has no page body here; only pages and blog posts can be opened, "
            "edited, labelled or commented (open the others in the browser)."
        )
    return kind


def collection(kind: str) -> str:
    """The v2 path collection of a page-like kind: ``pages`` or ``blogposts``."""
    return "blogposts" if body_kind(kind) == BLOGPOST else "pages"


def noun(kind: str) -> str:
    """``page`` or ``blog post``, for messages."""
    return "blog post" if kind == BLOGPOST else "page"


class ReadApi(ClientCore):
    async def current_user(self) -> User:
        data = await self._get(self.urls.v1("/user/current"), what="the current user")
        return parse_v2.user(data)

    # -- spaces --------------------------------------------------------------------------------
    def spaces(
        self, keys: Iterable[str] | None = None, type: str | None = None
    ) -> AsyncIterator[Space]:
        keys = list(keys) if keys else None
        if self.is_dc:
            params = {
                "spaceKey": keys,
                "type": type,
                "limit": V1_PAGE_SIZE,
                "expand": "description.plain,homepage",
            }
            return self._paginate(self.urls.v1("/space"), params, parse_v1.space, what="spaces")
        params = {"keys": keys, "type": type, "limit": V2_PAGE_SIZE, "description-format": "plain"}
        return self._paginate(self.urls.v2("/spaces"), params, parse_v2.space, what="spaces")

    async def space_by_key(self, key: str) -> Space:
        if self.is_dc:
            data = await self._get(
                self.urls.v1(f"/space/{segment(key)}"),
                {"expand": "description.plain,homepage"},
                what=f"space {key}",
            )
            return parse_v1.space(data)
        async for space in self.spaces(keys=[key]):
            if space.key == key:
                return space
        raise NotFound(f"Space {key} was not found, or you may not see it.", status=404)

    async def get_space(self, space_id: str) -> Space:
        if self.is_dc:
            return await self.space_by_key(space_id)
        data = await self._get(
            self.urls.v2(f"/spaces/{segment(space_id)}"),
            {"description-format": "plain"},
            what=f"space {space_id}",
        )
        return parse_v2.space(data)

    # -- page lists ----------------------------------------------------------------------------
    def space_pages(
        self, space_id: str, depth: str = "root", title: str | None = None, sort: str | None = None
    ) -> AsyncIterator[PageSummary]:
        """Pages of a space: ``depth="root"`` only the top level, ``"all"`` every page."""
        if self.is_dc:
            return self._dc_space_pages(space_id, depth, title)
        params = {
            "depth": depth,
            "title": title,
            "sort": sort,
            "limit": V2_PAGE_SIZE,
            "status": "current",
        }
        return self._paginate(
            self.urls.v2(f"/spaces/{segment(space_id)}/pages"),
            params,
            parse_v2.summary,
            what=f"pages of space {space_id}",
        )

    def _dc_space_pages(
        self, key: str, depth: str, title: str | None
    ) -> AsyncIterator[PageSummary]:
        expand = "ancestors,version,space"
        if title is None:
            # /space/{key}/content/page understands depth=root|all (Data Center REST)
            params = {"depth": depth, "limit": V1_PAGE_SIZE, "expand": expand}
            url = self.urls.v1(f"/space/{segment(key)}/content/page")
            return self._paginate(url, params, parse_v1.summary, what=f"pages of space {key}")
        params = {
            "spaceKey": key,
            "type": "page",
            "title": title,
            "limit": V1_PAGE_SIZE,
            "expand": expand,
        }
        return self._paginate(
            self.urls.v1("/content"), params, parse_v1.summary, what=f"pages of space {key}"
        )

    async def _dc_versions(self, page_id: str, kind: str, what: str) -> AsyncIterator[Version]:
        path = f"/content/{segment(page_id)}/version"
        sources = (
            self._paginate(
                self.urls.experimental(path), {"limit": 200}, parse_v1.version, what=what
            ),
            self._paginate(
                self.urls.v1(path), {"limit": V1_PAGE_SIZE}, parse_v1.version, what=what
            ),
        )
        try:
            async for version in _first_that_answers(sources):
                yield version
            return
        except _NoSource:
            pass
        await self.get_page(
            page_id, body=False, kind=kind
        )  # NotFound here: it is the page that is missing
        raise NotAvailable(
            f"Version history is not available on this server ({self.urls.host}): it answers neither "
            "/rest/experimental/content/{id}/version nor /rest/api/content/{id}/version. "
            f"The {noun(kind)} itself is fine ('workbench cat ID --version N' still reads version N)."
        )

    # -- single pages --------------------------------------------------------------------------
    async def get_page(
        self, page_id: str, version: int | None = None, body: bool = True, *, kind: str = PAGE
    ) -> Page:
        """One page or blog post (``kind``), at ``version`` or the current one, with its storage body.
        One request. Cloud serves the kinds at separate endpoints (``/pages/{id}``,
        ``/blogposts/{id}``); Data Center serves both at ``/content/{id}``."""
        thing = f"{noun(kind)} {page_id}"
        what = thing if version is None else f"version {version} of {thing}"
        if self.is_dc:
            body_kind(kind)
            expand = DC_PAGE_EXPAND if body else DC_PAGE_EXPAND.replace("body.storage,", "")
            params = {
                "expand": expand,
                "version": version,
                "status": "historical" if version else None,
            }
            data = await self._get(self.urls.v1(f"/content/{segment(page_id)}"), params, what=what)
            return _checked(parse_v1.page(data, self.urls.web_base), what)
        params = {
            "body-format": "storage" if body else None,
            "version": version,
            "include-labels": True,
        }
        data = await self._get(
            self.urls.v2(f"/{collection(kind)}/{segment(page_id)}"), params, what=what
        )
        return _checked(parse_v2.page(data, self.urls.web_base, kind), what)

    async def find_page(
        self, space_id: str, title: str, *, kind: str = PAGE, status: str = "current"
    ) -> Page | None:
        """The page (or blog post) titled exactly ``title`` in the space, or None; ``status``: current
        (the default) or draft."""
        what = f"{noun(kind)} '{title}'"
        if self.is_dc:
            params = {
                "spaceKey": space_id,
                "title": title,
                "type": body_kind(kind),
                "expand": DC_PAGE_EXPAND,
                "limit": 5,
                "status": None if status == "current" else status,
            }
            data = await self._get(self.urls.v1("/content"), params, what=what)
            for item in data.get("results") or ():
                if item.get("title") == title:
                    return parse_v1.page(item, self.urls.web_base)
            return None
        params = {
            "space-id": space_id,
            "title": title,
            "body-format": "storage",
            "status": status,
            "limit": 5,
        }
        data = await self._get(self.urls.v2(f"/{collection(kind)}"), params, what=what)
        for item in data.get("results") or ():
            if item.get("title") == title:
                return parse_v2.page(item, self.urls.web_base, kind)
        return None

    def versions(self, page_id: str, *, kind: str = PAGE) -> AsyncIterator[Version]:
        """The page's (or blog post's) versions, newest first.

        Cloud: v2 ``/pages/{id}/versions`` (``/blogposts/{id}/versions``). Data Center lists versions
        at ``/rest/experimental/content/{id}/version`` (Atlassian KB "How to retrieve all previous
        versions of content using the REST API"; there is no ``/rest/api/content/{id}/version`` on
        the DC releases it covers), so that is asked first, then the ``/rest/api`` form some later
        releases document. When the server has neither, :class:`NotAvailable` says so — after one
        read that tells a missing page (``NotFound``) from a missing resource.
        """
        what = f"versions of {noun(kind)} {page_id}"
        if self.is_dc:
            body_kind(kind)
            return self._dc_versions(page_id, kind, what)
        return self._paginate(
            self.urls.v2(f"/{collection(kind)}/{segment(page_id)}/versions"),
            {"limit": 50, "sort": "-modified-date"},
            parse_v2.version,
            what=what,
        )


async def _first_that_answers(sources) -> AsyncIterator[Version]:
    """Items of the first source that does not answer 404 (a missing resource), else nothing."""
    for source in sources:
        produced = False
        try:
            async for item in source:
                produced = True
                yield item
            return
        except NotFound:
            if produced:
                raise
    raise _NoSource


class _NoSource(Exception):
    pass


def _checked(page: Page, what: str) -> Page:
    """A page answer without an id or a version number is not Confluence's (a wrong base URL)."""
    if not page.id or page.version.number < 1:
        raise ServerError(
            f"The server's answer for {what} is not a Confluence page (no id or version). "
            "Is the URL the Confluence base URL?"
        )
    return page
