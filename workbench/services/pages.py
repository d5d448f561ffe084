"""Open and save pages as Markdown, safely. Used by the TUI, the agent and ``workbench push``.

The rules (design §5): the base version is pinned when a page is opened; a save sends exactly one
request when nothing changed underneath (PUT with base+1); a 409 is never retried blindly — the
caller gets a :class:`Conflict` holding a 3-way merge of base, mine and theirs, shows it, and saves
the approved result on top of *their* version. Markdown is converted with the storage of the
version it was derived from, so untouched macros stay byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from workbench.services.merge import MergeResult, merge3_text

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.models import Page


@dataclass(frozen=True, slots=True)
class OpenedPage:
    """A page version and its Markdown view; ``page.version.number`` is the pinned base."""

    page: Page
    markdown: str

    @property
    def base_version(self) -> int:
        return self.page.version.number


@dataclass(frozen=True, slots=True)
class Conflict:
    """Someone saved in between: base (what I started from), theirs (current), the merge of mine."""

    base: OpenedPage
    theirs: OpenedPage
    mine: str
    merge: MergeResult


def view_of(page: Page) -> OpenedPage:
    from workbench.convert import storage_to_markdown

    return OpenedPage(page, storage_to_markdown(page.storage or ""))


async def open_page(client: ConfluenceClient, page_id: str, *, version: int | None = None) -> OpenedPage:
    """Fetch a page with its storage body (one request) and convert it."""
    page = await client.get_page(page_id, version=version)
    return view_of(page)


async def save_markdown(
    client: ConfluenceClient,
    opened: OpenedPage,
    markdown: str,
    *,
    message: str = "",
    title: str | None = None,
) -> OpenedPage:
    """Write ``markdown`` as version base+1. One request; raises ``VersionConflict`` on 409."""
    from workbench.convert import markdown_to_storage

    storage = markdown_to_storage(markdown, base=opened.page.storage or "")
    new = await client.update_page(
        opened.page.id,
        title=title or opened.page.title,
        storage=storage,
        base_version=opened.base_version,
        message=message,
    )
    if new.storage is None:
        new = replace(new, storage=storage)
    return OpenedPage(new, markdown)


async def prepare_merge(client: ConfluenceClient, opened: OpenedPage, mine: str) -> Conflict:
    """After a 409: fetch their version and merge base → mine with base → theirs."""
    theirs = await open_page(client, opened.page.id)
    return Conflict(opened, theirs, mine, merge3_text(opened.markdown, mine, theirs.markdown))


async def save_merged(
    client: ConfluenceClient, conflict: Conflict, markdown: str, *, message: str = ""
) -> OpenedPage:
    """Save the approved merge result on top of their version (base+1 of theirs)."""
    return await save_markdown(client, conflict.theirs, markdown, message=message)
