"""The content tree and the blog: children of every kind, ancestors, a space's blog posts, web links.

Cloud lists a node's children of every kind — pages, folders, whiteboards, databases, smart links —
with ``GET /{pages|folders|whiteboards|databases|embeds}/{id}/direct-children`` (current v2 spec,
``ChildrenApi``; items ``{id, status, title, type, spaceId, childPosition}`` in Confluence's order).
``/pages/{id}/children`` lists pages only and is deprecated, so pages inside folders were never
reached through it. A space's root level is ``/spaces/{id}/pages?depth=root`` (the homepage and any
page created with ``root-level=true``, "outside the space homepage tree"; every other piece of
content hangs under the homepage: v2 ``POST /pages`` "the space homepage's ID will be used").
Data Center has no folders (it answers 404 to ``/content/{id}/child/folder``) and keeps its v1
``/content/{id}/child/page`` listing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from functools import partial

from workbench.confluence import parse_v1, parse_v2
from workbench.confluence.core import V1_PAGE_SIZE, V2_PAGE_SIZE
from workbench.confluence.errors import NotFound
from workbench.confluence.models import BLOGPOST, FOLDER, PAGE, TREE_KINDS, PageSummary
from workbench.confluence.social import SocialApi
from workbench.confluence.urls import segment
from workbench.errors import UsageError

#: The v2 collection of each kind of content.
COLLECTIONS = {
    PAGE: "pages",
    BLOGPOST: "blogposts",
    "folder": "folders",
    "whiteboard": "whiteboards",
    "database": "databases",
    "embed": "embeds",
}
_NAMES = {BLOGPOST: "blog post", "embed": "smart link"}


def kind_name(kind: str) -> str:
    """``page``, ``blog post``, ``folder``, ``whiteboard``, ``database``, ``smart link``."""
    return _NAMES.get(kind, kind)


def _tree_collection(kind: str) -> str:
    if kind not in TREE_KINDS:
        raise UsageError(
            f"'{kind}' is not content of the page tree (use page, folder, whiteboard, database "
            "or embed)."
        )
    return COLLECTIONS[kind]


class TreeApi(SocialApi):
    def children(self, parent_id: str, *, kind: str = PAGE) -> AsyncIterator[PageSummary]:
        """Direct children of a page (or, on Cloud, of a folder, whiteboard, database or smart link:
        ``kind`` is the *parent's*), of every kind, in Confluence's order."""
        what = f"children of {kind_name(kind)} {parent_id}"
        if self.is_dc:
            if kind != PAGE:
                raise UsageError(
                    f"Data Center has no {kind_name(kind)}s; only pages have children there."
                )
            params = {"limit": V1_PAGE_SIZE, "expand": "version,space"}
            return self._with_parent(
                self._paginate(
                    self.urls.v1(f"/content/{segment(parent_id)}/child/page"),
                    params,
                    parse_v1.summary,
                    what=what,
                ),
                parent_id,
            )
        url = self.urls.v2(f"/{_tree_collection(kind)}/{segment(parent_id)}/direct-children")
        parse = partial(parse_v2.summary, parent_id=parent_id)  # items do not name their parent
        # the next page asked for while the caller shows this one (a level may hold thousands)
        return self._paginate(url, {"limit": V2_PAGE_SIZE}, parse, what=what, ahead=True)

    async def _with_parent(
        self, items: AsyncIterator[PageSummary], parent_id: str
    ) -> AsyncIterator[PageSummary]:
        async for item in items:
            yield item if item.parent_id else replace(item, parent_id=parent_id)

    async def blog_posts(self, space_id: str) -> AsyncIterator[PageSummary]:
        """The space's current blog posts, newest first (Cloud: ``/spaces/{id}/blogposts`` sorted
        ``-created-date``; Data Center: ``/space/{key}/content/blogpost``, sorted here)."""
        if self.is_dc:
            params = {"limit": V1_PAGE_SIZE, "expand": "version,space,history"}
            posts = [
                p
                async for p in self._paginate(
                    self.urls.v1(f"/space/{segment(space_id)}/content/blogpost"),
                    params,
                    parse_v1.summary,
                    what=f"blog posts of space {space_id}",
                )
            ]
        else:
            params = {"sort": "-created-date", "status": "current", "limit": V2_PAGE_SIZE}
            posts = [
                p
                async for p in self._paginate(
                    self.urls.v2(f"/spaces/{segment(space_id)}/blogposts"),
                    params,
                    parse_v2.blogpost_summary,
                    what=f"blog posts of space {space_id}",
                )
            ]
        posts.sort(
            key=lambda p: p.created_at, reverse=True
        )  # stable: the server's order among equals
        for post in posts:
            yield post

    async def ancestors(self, page_id: str, *, kind: str = PAGE) -> list[PageSummary]:
        """The page's ancestors, top first, with titles and kinds (on Cloud folders too). A blog
        post has none (the v2 spec has no ``/blogposts/{id}/ancestors``: blog posts sit outside the
        page tree). Two round trips on Cloud (:meth:`ancestor_chain`, then
        :meth:`ancestor_titles`), one on Data Center."""
        return await self.ancestor_titles(await self.ancestor_chain(page_id, kind=kind))

    async def ancestor_chain(self, page_id: str, *, kind: str = PAGE) -> list[PageSummary]:
        """The page's ancestors, top first, in one request: on Cloud their ids and kinds only (the
        v2 ``/pages/{id}/ancestors`` answer has no titles: ``title`` is ''), on Data Center with
        titles. :meth:`ancestor_titles` completes the chain; the page's header sends this with the
        page's own request, since it needs nothing from the page's answer."""
        if kind == BLOGPOST:
            return []
        if kind != PAGE:
            _tree_collection(kind)  # a folder, whiteboard, …: a clear error for anything else
        if self.is_dc:
            data = await self._get(
                self.urls.v1(f"/content/{segment(page_id)}"),
                {"expand": "ancestors,space"},
                what=f"page {page_id}",
            )
            key = ((data.get("space") or {}).get("key")) or ""
            out, parent = [], None
            for a in data.get("ancestors") or ():
                out.append(
                    PageSummary(
                        id=str(a.get("id")),
                        title=a.get("title") or "",
                        space_id=key,
                        parent_id=parent,
                        type=a.get("type") or PAGE,
                    )
                )
                parent = str(a.get("id"))
            return out
        data = await self._get(  # a folder (or whiteboard, …) has its own: /folders/{id}/ancestors
            self.urls.v2(f"/{_tree_collection(kind)}/{segment(page_id)}/ancestors"),
            {"limit": V2_PAGE_SIZE},
            what=f"ancestors of {kind_name(kind)} {page_id}",
        )
        return [
            PageSummary(id=str(a.get("id")), title="", type=a.get("type") or PAGE)
            for a in data.get("results") or ()
            if isinstance(a, dict) and (a.get("type") or PAGE) in TREE_KINDS
        ]

    async def ancestor_titles(self, chain: list[PageSummary]) -> list[PageSummary]:
        """The chain of :meth:`ancestor_chain` with titles (and spaces, parents): on Cloud the pages
        in one request, each folder (whiteboard, …) above the page in one of its own, all sent
        together — one round trip however deep the chain is. Data Center's chain has them already."""
        if self.is_dc or not chain:
            return chain
        page_ids = [a.id for a in chain if a.type == PAGE]

        async def pages(chunk: list[str]) -> list[PageSummary]:
            return [
                row
                async for row in self._paginate(
                    self.urls.v2("/pages"),
                    {"id": chunk, "limit": V2_PAGE_SIZE},
                    parse_v2.summary,
                    what="ancestor pages",
                )
            ]

        async def other(ident: str, kind_of: str) -> PageSummary:
            # a folder (or whiteboard, …) above the page: one request for its title
            data = await self._get(
                self.urls.v2(f"/{COLLECTIONS[kind_of]}/{segment(ident)}"),
                what=f"{kind_name(kind_of)} {ident}",
            )
            return replace(parse_v2.summary(data, kind_of), id=ident)

        chunks = [page_ids[i : i + V2_PAGE_SIZE] for i in range(0, len(page_ids), V2_PAGE_SIZE)]
        others = [(a.id, a.type) for a in chain if a.type != PAGE]
        page_rows, other_rows = await asyncio.gather(
            asyncio.gather(*(pages(chunk) for chunk in chunks)),
            asyncio.gather(*(other(i, t) for i, t in others)),
        )
        found = {row.id: row for rows in page_rows for row in rows}
        titled = dict(zip([i for i, _ in others], other_rows, strict=True))
        return [
            (found.get(a.id) or PageSummary(id=a.id, title="")) if a.type == PAGE else titled[a.id]
            for a in chain
        ]

    async def folder(self, folder_id: str) -> PageSummary:
        """A Cloud folder (v2 ``GET /folders/{id}``: ``FolderSingle``): id, title, space, parent.
        ``NotFound`` when there is none (Data Center has no folders: nothing is sent there)."""
        if self.is_dc:
            raise NotFound(
                f"Data Center has no folders; there is no folder {folder_id}.", status=404
            )
        data = await self._get(
            self.urls.v2(f"/folders/{segment(folder_id)}"), what=f"folder {folder_id}"
        )
        return replace(parse_v2.summary(data, FOLDER), id=folder_id)

    async def web_url(self, content_id: str, *, kind: str = PAGE) -> str:
        """The web address of any content (one request): its ``_links.webui`` on the site."""
        if self.is_dc:
            data = await self._get(
                self.urls.v1(f"/content/{segment(content_id)}"),
                what=f"{kind_name(kind)} {content_id}",
            )
        else:
            collection = COLLECTIONS.get(kind)
            if collection is None:
                raise UsageError(f"Unknown kind of content '{kind}'.")
            data = await self._get(
                self.urls.v2(f"/{collection}/{segment(content_id)}"),
                what=f"{kind_name(kind)} {content_id}",
            )
        links = parse_v2.links(data)
        webui = links.get("webui", "")
        if not webui:
            return ""
        base = links.get("base") or self.urls.web_base  # the site, never the OAuth gateway
        return webui if webui.startswith(("http://", "https://")) else f"{base}{webui}"
