"""Open and save pages as Markdown, safely. Used by the TUI, the agent and ``workbench push``.

The rules (design §5): the base version is pinned when a page is opened; a 409 is never retried
blindly — the caller gets a :class:`Conflict` holding a 3-way merge of base, mine and theirs, shows
it, and saves the approved result on top of *their* version. Markdown is converted with the storage
of the version it was derived from, so untouched macros stay byte for byte. Saving itself — the
checks, the request, the verification and every outcome — is
:class:`workbench.services.edit_session.EditSession`, the one place all callers save through.

Mentions: an :class:`OpenedPage` carries the ``users`` mapping (account id → display name) its
Markdown was rendered with, and everything that converts it back uses that same mapping, so
``⟦@Priya Raman⟧`` saves as the same account id. Names come from a
:class:`~workbench.services.users.UserDirectory`; opening a page never waits for them unless asked
(``learn=True``): :func:`with_names` re-renders the same page once they are known.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workbench.services.merge import MergeResult, merge3_text

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.models import Page
    from workbench.services.users import UserDirectory


@dataclass(frozen=True, slots=True)
class OpenedPage:
    """A page version and its Markdown view; ``page.version.number`` is the pinned base.

    ``users`` is the mapping the Markdown was rendered with (empty: mentions in the id form).
    """

    page: Page
    markdown: str
    users: Mapping[str, str] = field(default_factory=dict, hash=False)

    @property
    def base_version(self) -> int:
        return self.page.version.number


@dataclass(frozen=True, slots=True)
class Conflict:
    """Someone saved in between: base (what I started from), theirs (current), the merge of mine.

    ``theirs`` is rendered with base's mapping (plus names for people only theirs mentions), so the
    merge sees no difference where there is none.
    """

    base: OpenedPage
    theirs: OpenedPage
    mine: str
    merge: MergeResult


def view_of(page: Page, users: Mapping[str, str] | None = None) -> OpenedPage:
    """Convert ``page`` with the mapping ``users`` (account id → display name)."""
    # lazy, for start-up: workbench.convert loads on first use
    from workbench.convert import storage_to_markdown

    mapping = dict(users or {})
    return OpenedPage(page, storage_to_markdown(page.storage or "", users=mapping or None), mapping)


def with_names(opened: OpenedPage, names: Mapping[str, str]) -> OpenedPage:
    """The same page re-rendered with the names known now (``opened`` itself when nothing changes).

    Pure: no request. The mapping follows :func:`workbench.services.users.names_for`.
    """
    # lazy, for start-up: workbench.convert, workbench.services.users loads on first use
    from workbench.convert import mentioned_accounts
    from workbench.services.users import names_for

    mapping = names_for(names, mentioned_accounts(opened.page.storage or ""))
    if mapping == dict(opened.users):
        return opened
    return view_of(opened.page, mapping)


async def open_page(
    client: ConfluenceClient,
    page_id: str,
    *,
    version: int | None = None,
    directory: UserDirectory | None = None,
    learn: bool = False,
    kind: str = "page",
) -> OpenedPage:
    """Fetch a page (or a blog post: ``kind="blogpost"``) with its storage body (one request) and
    convert it.

    With ``directory``, mentions show the names it knows; ``learn=True`` first asks for the names it
    does not know (one more request, only when the page mentions someone unknown).
    """
    page = await client.get_page(page_id, version=version, kind=kind)
    if directory is None:
        return view_of(page)
    if learn:
        return view_of(page, await directory.mapping_for_page(page.storage or ""))
    return view_of(page, directory.mapping_for(page.storage or ""))


@dataclass(frozen=True, slots=True)
class Converted:
    """Markdown ready to send: its storage, and the Markdown and mapping it reads back as."""

    storage: str
    markdown: str
    users: Mapping[str, str]


def to_storage(
    opened: OpenedPage, markdown: str, known: Mapping[str, str] | None = None
) -> Converted:
    """Convert ``markdown`` (an edit of ``opened``) with ``opened``'s storage as the base, so untouched
    macros stay byte for byte. Mentions use ``opened.users``; ``known`` (account id → name) names
    other people a mention may name (see :func:`workbench.services.users.settle_mentions`)."""
    # lazy, for start-up: workbench.convert, workbench.services.users loads on first use
    from workbench.convert import markdown_to_storage
    from workbench.services.users import settle_mentions

    settled = settle_mentions(markdown, opened.users, known)
    storage = markdown_to_storage(
        settled.markdown, base=opened.page.storage or "", users=settled.users or None
    )
    return Converted(storage, settled.markdown, settled.users)


async def prepare_merge(
    client: ConfluenceClient,
    opened: OpenedPage,
    mine: str,
    *,
    directory: UserDirectory | None = None,
) -> Conflict:
    """After a 409: fetch their version and merge base → mine with base → theirs.

    Theirs is rendered with base's mapping; people only theirs mentions are named when ``directory``
    knows them (it asks for unknown ones: at most one more request).
    """
    page = await client.get_page(opened.page.id, kind=opened.page.type)
    return await conflict_with(opened, page, mine, directory=directory)


async def conflict_with(
    opened: OpenedPage, page: Page, mine: str, *, directory: UserDirectory | None = None
) -> Conflict:
    """The 3-way merge of base (``opened``) → ``mine`` with base → ``page`` (theirs, already fetched)."""
    theirs = await render_like(opened, page, directory)
    names = directory.names if directory is not None else {}
    mine = settle_mentions_text(mine, theirs, names)
    return Conflict(opened, theirs, mine, merge3_text(opened.markdown, mine, theirs.markdown))


async def render_like(fixed: OpenedPage, page: Page, directory: UserDirectory | None) -> OpenedPage:
    """``page`` (another version of ``fixed``'s page) rendered with ``fixed``'s mapping, extended."""
    # lazy, for start-up: workbench.convert, workbench.services.users loads on first use
    from workbench.convert import mentioned_accounts
    from workbench.services.users import extend_names

    if directory is None:
        return view_of(page, fixed.users)
    fixed_ids = mentioned_accounts(fixed.page.storage or "")
    seen = set(fixed_ids)
    new_ids = [i for i in mentioned_accounts(page.storage or "") if i not in seen]
    await directory.learn(new_ids)
    return view_of(page, extend_names(fixed.users, fixed_ids, directory.names, new_ids))


def settle_mentions_text(markdown: str, opened: OpenedPage, known: Mapping[str, str]) -> str:
    """``markdown`` with its mentions in the form ``opened``'s mapping reads back."""
    # lazy, for start-up: workbench.services.users loads on first use
    from workbench.services.users import settle_mentions

    return settle_mentions(markdown, opened.users, known).markdown
