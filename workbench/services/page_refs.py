"""From what a person typed (an id, any page or space URL, a tiny link, a title) to one page.

The CLI (``cat``, ``push``, ``agent --page``) and the TUI's palette share this, so every form works
in both. Ids, page URLs and tiny links need no request; a space's address asks for the space (its
homepage); a ``/display/KEY/Title`` link asks for the page by title in that space; a bare title is
one CQL search.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.textsafe import printable

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.models import SearchResult
    from workbench.confluence.page_ref import PageRef

#: How many pages with the same title are named when a title is ambiguous.
_SHOWN_TWINS = 5


@dataclass(frozen=True, slots=True)
class Resolved:
    """A page found: its id, and its kind when the reference says (``None``: a bare id)."""

    page_id: str
    kind: str | None = None


def parse(text: str, *, titles: bool = False) -> PageRef:
    """``text`` as a reference (``UsageError`` when it cannot name a page)."""
    # lazy, for start-up: workbench.confluence.page_ref loads on first use
    from workbench.confluence.page_ref import parse_page_ref

    return parse_page_ref(text, titles=titles)


async def resolve(client: ConfluenceClient, text: str, *, titles: bool = False) -> Resolved:
    """The page ``text`` names on the client's site. ``titles``: a bare title is looked up (exactly
    one current page or blog post with that title; several are named, so one can be chosen)."""
    # lazy, for start-up: workbench.confluence.page_ref loads on first use
    from workbench.confluence.page_ref import check_same_site

    ref = parse(text, titles=titles)
    check_same_site(ref, client.urls.host)
    return await resolve_ref(client, ref)


async def resolve_ref(client: ConfluenceClient, ref: PageRef) -> Resolved:
    # lazy, for start-up: workbench.confluence.errors loads on first use
    from workbench.confluence.errors import NotFound

    if ref.page_id:
        return Resolved(ref.page_id, ref.kind)
    if ref.space_key and not ref.title:  # a space's address stands for its homepage
        space = await client.space_by_key(ref.space_key)
        if not space.homepage_id:
            raise NotFound(f"Space {printable(space.key)} has no homepage to open.", status=404)
        return Resolved(space.homepage_id, "page")
    if ref.space_key:
        space = await client.space_by_key(ref.space_key)
        page = await client.find_page(space.id, ref.title or "")
        if page is None:
            raise NotFound(
                f"There is no page titled '{printable(ref.title or '')}' in space "
                f"{printable(ref.space_key)}.",
                status=404,
            )
        return Resolved(page.id, "page")
    found = await titled(client, ref.title or "")
    if not found:
        raise NotFound(
            f"No page is titled '{printable(ref.title or '')}' (or you may not see it). Pass a "
            "page id or URL, or search: workbench search 'title ~ \"…\"'.",
            status=404,
        )
    if len(found) > 1:
        # lazy, for start-up: workbench.errors loads on first use
        from workbench.errors import UsageError

        named = "; ".join(
            f"{r.id} in {printable(r.space_key or r.space_name)}" for r in found[:_SHOWN_TWINS]
        )
        raise UsageError(
            f"{len(found)} pages are titled '{printable(ref.title or '')}': {named}. Pass the id "
            "(or URL) of the one you mean."
        )
    return Resolved(found[0].id, found[0].type if found[0].type == "blogpost" else "page")


async def titled(client: ConfluenceClient, title: str, limit: int = 25) -> list[SearchResult]:
    """The current pages and blog posts titled exactly ``title`` (case as typed is not required:
    CQL's ``title =`` is exact on the words, so the results are checked here)."""
    # lazy, for start-up: workbench.services.search loads on first use
    from workbench.services.search import quote

    title = title.strip()
    if not title:
        return []
    found = await client.search_page(
        f"type in (page, blogpost) AND title = {quote(title)}", limit=limit
    )
    wanted = title.casefold()
    return [r for r in found.results if r.plain_title.casefold() == wanted]
