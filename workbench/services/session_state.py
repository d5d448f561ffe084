"""The state of one editing session: what is being edited (an opened page, or a new page), the text
and title and what counts as unsaved, the draft (its key, writing, discarding, resuming), and
cheap looks at the server (:meth:`SessionState.check`, taken titles). Saving is
:mod:`workbench.services.session_save`; :class:`~workbench.services.edit_session.EditSession`
puts the parts together.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Self

from workbench.errors import WorkbenchError
from workbench.services.drafts import DraftSchedule, DraftsUnwritable, new_draft_id, new_page_key
from workbench.services.save_outcome import (
    Gone,
    NeedsMerge,
)

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.models import Page
    from workbench.services.drafts import Draft, DraftStore
    from workbench.services.pages import Conflict, OpenedPage
    from workbench.services.users import UserDirectory


MERGE_MESSAGE = "Merged with a concurrent edit"
LONG_EDIT = 120.0  # seconds without a look at the server after which a save is confirmed after one


@dataclass(frozen=True, slots=True)
class NewPage:
    """A page not created yet: where it goes, and the stable id its draft is keyed by."""

    space_id: str
    parent_id: str | None
    draft_id: str
    kind: str = "page"


@dataclass(frozen=True, slots=True)
class Remote:
    """What a cheap look at the server found (:meth:`EditSession.check`)."""

    state: str  # "same", "changed", "trashed", "deleted", "new" (not created yet)
    version: int = 0
    author_id: str = ""
    when: str = ""

    @property
    def changed(self) -> bool:
        return self.state != "same" and self.state != "new"


class SessionState:
    """What an :class:`~workbench.services.edit_session.EditSession` holds and answers without
    saving: the pinned base, the text and title, its draft, and looks at the server."""

    def __init__(
        self,
        client: ConfluenceClient,
        opened: OpenedPage | None = None,
        *,
        new: NewPage | None = None,
        title: str | None = None,
        text: str | None = None,
        drafts: DraftStore | None = None,
        directory: UserDirectory | None = None,
        known: Mapping[str, str] | None = None,
        template: OpenedPage | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if (opened is None) == (new is None):
            raise ValueError("an edit session is of an opened page or of a new page")
        self.client = client
        self.opened = opened
        self.new = new
        self.conflict: Conflict | None = None
        self.title = (
            title if title is not None else (opened.page.title if opened is not None else "")
        )
        self.text = text if text is not None else (opened.markdown if opened is not None else "")
        self._clean: set[str] = {opened.markdown} if opened is not None else set()
        self.drafts = drafts
        self.directory = directory
        self.known = known
        self.clock = clock
        self.schedule = DraftSchedule()
        self.checked_at = clock()
        self.remote: Remote | None = None
        self.gone: Gone | None = None
        self.template = template  # a new page made from an old one: its macros and mentions

    # -- what is being edited -----------------------------------------------------------------
    @classmethod
    def new_page(
        cls,
        client: ConfluenceClient,
        *,
        space_id: str,
        parent_id: str | None,
        title: str,
        kind: str = "page",
        draft_id: str | None = None,
        text: str = "",
        **options,
    ) -> Self:
        """A page that does not exist yet (``draft_id``: the id of a draft being continued)."""
        return cls(
            client,
            new=NewPage(space_id, parent_id, draft_id or new_draft_id(), kind),
            title=title,
            text=text,
            **options,
        )

    @property
    def base(self) -> OpenedPage | None:
        """The version the next save goes on top of: theirs while a merge is pending, else the pinned
        base; None for a page not created yet."""
        return self.conflict.theirs if self.conflict is not None else self.opened

    @property
    def page_id(self) -> str | None:
        return self.opened.page.id if self.opened is not None else None

    @property
    def kind(self) -> str:
        if self.opened is not None:
            return self.opened.page.type
        return self.new.kind if self.new is not None else "page"

    @property
    def space_id(self) -> str:
        if self.opened is not None:
            return self.opened.page.space_id
        return self.new.space_id if self.new is not None else ""

    @property
    def parent_id(self) -> str | None:
        if self.opened is not None:
            return self.opened.page.parent_id
        return self.new.parent_id if self.new is not None else None

    @property
    def dirty(self) -> bool:
        """Is there anything to save (text or title)? A new page: once it has any text."""
        if self.new is not None:
            return bool(self.text.strip())
        if self.conflict is not None:
            return True
        base = self.base
        return self.text not in self._clean or (base is not None and self.title != base.page.title)

    # -- the text -------------------------------------------------------------------------------
    def edit(self, text: str) -> float | None:
        """The text changed. Returns when the draft is due (a ``clock()`` value), None if nothing is
        unsaved (typing back to the page's text is nothing to save)."""
        self.text = text
        if not self.dirty:
            self.schedule.written()
            return None
        return self.schedule.changed(self.clock())

    def rename(self, title: str) -> None:
        """Save under another title (a new page: create it under that title)."""
        title = title.strip()
        if not title:
            raise WorkbenchError("A page needs a title.")
        self.title = title

    # -- drafts ---------------------------------------------------------------------------------
    @property
    def draft_key(self) -> tuple[str, int]:
        """(page key, base version) of this session's draft."""
        if self.new is not None:
            return new_page_key(self.new.parent_id, self.new.draft_id), 0
        base = self.base
        assert base is not None
        return base.page.id, base.base_version

    def flush_draft(self) -> DraftsUnwritable | None:
        """Write the text as a draft now if anything is unsaved; the problem if it cannot be written
        (the text stays in the session either way)."""
        if self.drafts is None or not self.dirty:
            self.schedule.written()
            return None
        key, version = self.draft_key
        try:
            self.drafts.save(
                key,
                version,
                self.title,
                self.text,
                space_id=self.space_id,
                kind=self.kind,
                parent_id=self.parent_id,
            )
        except DraftsUnwritable as problem:
            return problem
        self.schedule.written()
        return None

    def discard_draft(self) -> None:
        """The person discarded this draft: remove it (every base version of the page) and forget the
        unsaved text — the text is the page's again (a new page: empty), so nothing writes it back."""
        if self.drafts is not None:
            key, version = self.draft_key
            self.drafts.discard(key, None if self.new is None else version)
            if self.conflict is not None and self.opened is not None:
                self.drafts.discard(self.opened.page.id)
        self.conflict = None
        base = self.base
        self.text = base.markdown if base is not None else ""
        if base is not None:
            self.title = base.page.title
        self.schedule.written()

    def owns(self, draft: Draft) -> bool:
        """Is ``draft`` this session's (same page, or same new-page id)?"""
        key, _ = self.draft_key
        if self.new is not None:
            return draft.page_id == key
        return draft.page_id == self.page_id

    async def resume(self, draft: Draft) -> NeedsMerge | None:
        """Continue ``draft`` of this page. A draft on the pinned version becomes the text; a draft made
        on an older version is merged onto the pinned one like a save conflict (one request: the old
        version) and the merge is returned for approval."""
        # lazy, for start-up: workbench.services.merge, workbench.services.pages loads on first use
        from workbench.services.merge import merge3_text
        from workbench.services.pages import Conflict, render_like, settle_mentions_text

        opened = self.opened
        if opened is None or draft.base_version == opened.base_version:
            self.edit(draft.markdown)
            if draft.title:
                self.title = draft.title
            return None
        page = await self.client.get_page(
            opened.page.id, version=draft.base_version, kind=opened.page.type
        )
        base = await render_like(opened, page, self.directory)  # the mapping the page is shown with
        mine = settle_mentions_text(draft.markdown, base, self.known or {})
        conflict = Conflict(base, opened, mine, merge3_text(base.markdown, mine, opened.markdown))
        if self.drafts is not None:
            self.drafts.discard(opened.page.id, draft.base_version)  # the merge holds it now
        return self._merging(
            conflict,
            f"Your draft was made on version {draft.base_version}; the page is now "
            f"version {opened.base_version}.",
        )

    # -- looking at the server ------------------------------------------------------------------
    def needs_check(self, long_edit: float = LONG_EDIT) -> bool:
        """Has the page gone unlooked-at for a long edit (so a save should be confirmed after a look)?"""
        return self.opened is not None and self.clock() - self.checked_at >= long_edit

    async def check(self) -> Remote:
        """Has someone else saved (or trashed the page) since it was opened? One cheap request (no body).
        Inline comments added since do not show here (no new version); a save finds them."""
        # lazy, for start-up: workbench.confluence.errors loads on first use
        from workbench.confluence.errors import NotFound

        base = self.base
        if base is None:
            return Remote("new")
        try:
            page = await self.client.get_page(base.page.id, body=False, kind=base.page.type)
        except NotFound:
            trashed = await self.client.trashed_page(base.page.id, kind=base.page.type)
            remote = Remote("trashed" if trashed is not None else "deleted")
        else:
            state = "changed" if page.version.number != base.base_version else "same"
            remote = Remote(
                state, page.version.number, page.version.author_id, page.version.created_at
            )
            if state == "changed" and self.directory is not None and page.version.author_id:
                try:  # who saved, by name (one more request, only for someone not named yet)
                    await self.directory.learn([page.version.author_id])
                except WorkbenchError:
                    pass  # the id is shown instead
        self.checked_at = self.clock()
        self.remote = remote
        return remote

    async def title_taken(self, title: str | None = None) -> Page | None:
        """The other page of this space titled ``title`` (default: the session's), or None. One request."""
        wanted = title if title is not None else self.title
        return await title_taken(
            self.client, self.space_id, wanted, kind=self.kind, exclude=self.page_id
        )

    if TYPE_CHECKING:
        # provided by :class:`~workbench.services.session_save.SavingMixin`
        def _merging(
            self, conflict: Conflict, why: str, *, comments: bool = False
        ) -> NeedsMerge: ...


async def title_taken(
    client: ConfluenceClient,
    space_id: str,
    title: str,
    *,
    kind: str = "page",
    exclude: str | None = None,
) -> Page | None:
    """The page of the space titled ``title`` (other than ``exclude``), or None: one request. Used when a
    title is typed, so a taken one is caught then and not at saving."""
    found = await client.find_page(space_id, title.strip(), kind=kind)
    if found is None or found.id == exclude:
        return None
    return found
