"""Which pages link to a page (what a delete or a rename breaks).

Confluence's REST API has no "incoming links" resource, and CQL has no field for links (the CQL
field lists, Cloud and Data Center, have none: ``docs/confluence-api.md`` §4). What this does
instead, and says it does: one CQL search for content whose text holds the page's title
(``text ~ "\\"Title\\""``, which finds a link shown with the page's title), then each candidate's
storage is read and kept only if it really links to the page — an ``<ri:page ri:content-title="…">``
naming it (``ri:space-key`` absent in the same space, or the page's key) or a URL holding its id
(``/pages/{id}``, ``pageId={id}``). A link whose text is not the title and whose page never names
it is not found; the answer says how many candidates were read and whether there were more.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from workbench.confluence.errors import NotFound
from workbench.confluence.models import BODY_KINDS, Page
from workbench.confluence.search import SearchApi

#: Candidates read at most (each is one request).
MAX_CANDIDATES = 25
METHOD = (
    "CQL text search for the title, then each candidate's storage checked for a link to the page "
    "(Confluence has no incoming-links API or CQL field)"
)


@dataclass(frozen=True, slots=True)
class LinkingPage:
    id: str
    title: str
    type: str = "page"

    def as_json(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title, "type": self.type}


@dataclass(frozen=True, slots=True)
class IncomingLinks:
    pages: tuple[LinkingPage, ...]
    candidates: int  # how many the search offered (at most MAX_CANDIDATES + 1 read of the list)
    checked: int  # how many were read
    more: bool  # the search had more candidates than were checked
    method: str = METHOD

    def as_json(self) -> dict[str, object]:
        return {
            "pages": [p.as_json() for p in self.pages],
            "checked": self.checked,
            "more_unchecked": self.more,
            "method": self.method,
        }


def links_to(storage: str, page: Page, *, same_space: bool, space_key: str) -> bool:
    """True when ``storage`` (of another page) links to ``page``."""
    if re.search(rf"(?:/pages/|pageId=){re.escape(page.id)}(?![0-9])", storage):
        return True
    for match in re.finditer(r"<ri:page\b([^>]*)/?>", storage):
        attrs = dict(re.findall(r'([\w:-]+)="([^"]*)"', match.group(1)))
        if html.unescape(attrs.get("ri:content-title", "")) != page.title:
            continue
        key = attrs.get("ri:space-key")
        if (key is None and same_space) or (key is not None and key == space_key):
            return True
    return False


class LinksApi(SearchApi):
    async def incoming_links(self, page: Page, *, space_key: str = "") -> IncomingLinks:
        """Pages and blog posts that link to ``page`` (see the module's note for how)."""
        # lazy, for start-up: workbench.confluence.cql (the CQL parser) loads on first use
        from workbench.confluence.cql import quote_string

        cql = f"type in (page, blogpost) and text ~ {quote_string(quote_string(page.title))}"
        found: list[LinkingPage] = []
        hits = [
            h
            async for h in self.search(cql, limit=MAX_CANDIDATES + 1)
            if h.id != page.id and h.type in BODY_KINDS
        ]
        more = len(hits) > MAX_CANDIDATES
        hits = hits[:MAX_CANDIDATES]
        key = space_key or page.space_key
        if not key and hits:
            key = (await self.get_space(page.space_id)).key
        for hit in hits:
            try:
                other = await self.get_page(hit.id, kind=hit.type)
            except NotFound:
                continue
            same = other.space_id == page.space_id
            if links_to(other.storage or "", page, same_space=same, space_key=key):
                found.append(LinkingPage(other.id, other.title, other.type))
        return IncomingLinks(tuple(found), len(hits), len(hits), more)
