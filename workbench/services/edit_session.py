"""One editing session: an open page from the moment it is opened until it is saved.

The TUI editor, the agent's apply and ``workbench push`` all edit through :class:`EditSession`; none
of them keeps its own copy of "save → conflict → merge". The session owns:

- the pinned base (``opened``: the version the edit started from) and, after a concurrent save,
  the :class:`~workbench.services.pages.Conflict` whose ``theirs`` is the new base;
- the text (``text``), what counts as "nothing to save", the wanted title (``rename``);
- the draft: its key (site, page — or parent + a stable id for a page not created yet — and base
  version), when it is due (:class:`~workbench.services.drafts.DraftSchedule`), writing it and
  discarding it;
- saving, and the outcome (:mod:`workbench.services.save_outcome`): callers only decide how to show
  it.

A save (:meth:`EditSession.save`) is at most two requests when nobody else saved: a GET of the page
(its current version *and* storage), then the PUT of base+1.

- The GET tells a page trashed or deleted since it was opened (before a PUT that would take it out of
  the trash without the edit, as Confluence does) and a concurrent save (a merge, no PUT).
- It also sees what a version number cannot: an inline comment added since the page was opened
  changes the storage **without a new version** (hunyadi/md2conf#277). Its marker is merged into the
  text (:func:`workbench.services.markers.keep_markers`) and the text is converted against the
  current storage, so the comment stays anchored.
- The answer to the PUT is verified: the same page, at base+1, carrying what was sent. Anything else
  is not reported as saved (the text is kept).

Nothing is sent when there is nothing to save, or when conflict markers are still in the text.
"""

from __future__ import annotations

import errno
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError
from workbench.services.drafts import DraftSchedule, DraftsUnwritable, new_draft_id, new_page_key
from workbench.services.save_outcome import (
    NEW_PAGE,
    RESTORE,
    SAVE_AGAIN,
    TO_FILE,
    Failed,
    Gone,
    NeedsMerge,
    NothingToSave,
    Saved,
    SaveOutcome,
    TitleTaken,
    Unresolved,
    failed,
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


class EditSession:
    """An open page being edited (or a new page being written). See the module docstring."""

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
    ) -> EditSession:
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

    # -- saving ---------------------------------------------------------------------------------
    def precheck(self) -> SaveOutcome | None:
        """What a save would answer without sending anything: nothing to save, or markers left."""
        # lazy, for start-up: workbench.services.merge loads on first use
        from workbench.services.merge import has_conflict_markers

        if has_conflict_markers(self.text):
            return Unresolved(
                "The text still has conflict markers (<<<<<<< ======= >>>>>>>): keep what you "
                "want between them and delete the markers first. Nothing was sent."
            )
        if self.new is not None:
            return None
        base = self.base
        assert base is not None
        if (
            self.conflict is not None
            and self.text == base.markdown
            and self.title == base.page.title
        ):
            return NothingToSave(
                f"Version {base.base_version} already has these changes; nothing to save, "
                "nothing was sent."
            )
        if not self.dirty:
            return NothingToSave(
                f"Nothing to save: the text is the same as version {base.base_version}. "
                "Nothing was sent."
            )
        return None

    async def save(
        self,
        *,
        message: str = "",
        minor_edit: bool = False,
        text: str | None = None,
        seen: Page | None = None,
    ) -> SaveOutcome:
        """Save the text: see the module docstring. At most two requests without a conflict.

        ``text``: what the person confirmed, when the session's text may move on while the save is on
        its way. ``seen``: the current page with its body as the caller read it a moment ago (e.g.
        ``workbench push`` just fetched it), used instead of looking again: one request fewer.
        """
        if text is not None:
            self.edit(text)
        mine = self.text
        pre = self.precheck()
        if pre is not None:
            return pre
        if self.new is not None:
            return await self._create(mine, message)
        try:
            return await self._save(mine, message, minor_edit, seen)
        except WorkbenchError as exc:
            return failed(exc, "Not saved")

    async def _save(
        self, mine: str, message: str, minor_edit: bool, seen: Page | None
    ) -> SaveOutcome:
        # lazy, for start-up: workbench.confluence.errors … (with click, httpx …) loads on first use
        from workbench.confluence.errors import BadRequest, NotFound, VersionConflict
        from workbench.confluence.writes import same_storage
        from workbench.services.markers import keep_markers
        from workbench.services.pages import conflict_with, prepare_merge, render_like, to_storage

        base = self.base
        assert base is not None
        kind = base.page.type
        if seen is not None and seen.id == base.page.id and seen.storage is not None:
            current = seen
        else:
            try:
                current = await self.client.get_page(
                    base.page.id, kind=kind
                )  # request 1: version + storage
            except NotFound:
                return await self._gone()
        self.checked_at = self.clock()
        text, target, kept, dropped = mine, base, 0, 0
        moved = current.version.number != base.base_version
        if same_storage(current.storage, base.page.storage):
            if (
                moved
            ):  # a new version with the same content (a restore, a title change): go on top of it
                target = await render_like(base, current, self.directory)
        elif moved:
            conflict = await conflict_with(base, current, text, directory=self.directory)
            return self._merging(conflict, self._moved_on(base, current))
        else:  # the same version with other storage: inline comments anchored since it was opened
            theirs = await render_like(base, current, self.directory)
            merged = keep_markers(base.markdown, text, theirs.markdown)
            if merged is None:
                conflict = await conflict_with(base, current, text, directory=self.directory)
                return self._merging(conflict, "", comments=True)
            text, target, kept, dropped = merged.text, theirs, merged.kept, merged.dropped
        title = self.title
        if title == base.page.title and current.title != base.page.title:
            title = current.title  # someone else renamed it and this edit did not: keep their title
        converted = to_storage(target, text, self.known)
        if self.conflict is not None and not message:
            message = MERGE_MESSAGE
        try:
            answer = await self.client.update_page(  # request 2
                target.page.id,
                title=title,
                storage=converted.storage,
                base_version=target.base_version,
                message=message,
                kind=kind,
                minor_edit=minor_edit,
            )
        except VersionConflict:
            conflict = await prepare_merge(self.client, base, mine, directory=self.directory)
            now = conflict.theirs.base_version
            return self._merging(
                conflict, f"Someone saved version {now} while this save was on its way."
            )
        except NotFound:
            return await self._gone()
        except BadRequest as exc:
            return await self._refused(exc, title)
        problem = self._verify(answer, target, title, converted.storage)
        if problem is not None:
            return problem
        # lazy, for start-up: workbench.services.pages loads on first use
        from workbench.services.pages import OpenedPage

        saved = OpenedPage(answer, converted.markdown, converted.users)
        self._adopt(saved, sent=mine)
        notes = []
        if kept:
            notes.append(
                f"{kept} inline comment{'s' if kept != 1 else ''} added since you opened the page "
                f"stay{'' if kept != 1 else 's'} anchored."
            )
        if dropped:
            notes.append(
                f"{dropped} inline comment{'s' if dropped != 1 else ''} lost "
                f"{'their' if dropped != 1 else 'its'} anchor: your edit removed the text."
            )
        note = " ".join(notes)
        what = "a minor edit, version" if minor_edit else "version"
        return Saved(
            saved,
            f"Saved “{answer.title}” as {what} {answer.version.number}."
            + (f" {note}" if note else ""),
            markers_kept=kept,
            markers_dropped=dropped,
            note=note,
        )

    def _verify(
        self, answer: Page, target: OpenedPage, title: str, storage: str
    ) -> SaveOutcome | None:
        """None when ``answer`` is the page at base+1 carrying what was sent; the outcome otherwise."""
        # lazy, for start-up: workbench.confluence.errors … (with click, httpx …) loads on first use
        from workbench.confluence.errors import ServerError
        from workbench.confluence.writes import same_storage

        expected = target.base_version + 1
        if (
            answer.id == target.page.id
            and answer.version.number == target.base_version
            and (answer.status == "current")
        ):
            # A PUT on a trashed page takes it out of the trash and keeps its content (Confluence's
            # restore): the page is back, the edit is not in it.
            self.gone = Gone(
                "restored",
                f"“{target.page.title}” was in the trash. Confluence took it out of the "
                f"trash as it was (version {answer.version.number}) instead of saving your edit, so "
                "your edit is not on the page. Your text is kept: save again to put it on top.",
                (SAVE_AGAIN, NEW_PAGE, TO_FILE),
            )
            return self.gone
        if (
            answer.id != target.page.id
            or answer.version.number != expected
            or answer.title.strip() != title.strip()
        ):
            error = ServerError(
                f"Confluence answered the save of page {target.page.id} with page {answer.id} "
                f"version {answer.version.number} “{answer.title}”, not version {expected}."
            )
            return Failed(
                error,
                f"Not saved: {error.message} Your text is kept; open the page again to see what "
                "it holds.",
                retryable=False,
            )
        if not same_storage(answer.storage, storage) and not _reads_the_same(
            answer.storage or "", storage
        ):
            error = ServerError(
                f"Confluence saved version {expected} of page {target.page.id} but answered with "
                "other content than was sent."
            )
            return Failed(
                error,
                f"Not confirmed: {error.message} Your text is kept; compare it with the page "
                "before saving again.",
                retryable=False,
            )
        return None

    def _adopt(self, saved: OpenedPage, *, sent: str) -> None:
        """The save landed: the saved version is the new pinned base, the draft goes."""
        if self.drafts is not None:
            self.drafts.discard(saved.page.id)
            if self.new is not None:
                key, version = self.draft_key
                self.drafts.discard(key, version)
        self.opened = saved
        self.new = None
        self.conflict = None
        self.gone = None
        self.remote = None  # a look before this save is about an older version
        self.title = saved.page.title
        self._clean = {saved.markdown, sent}
        if self.text not in self._clean:  # typed more while the save was on its way: still dirty
            return
        self.schedule.written()

    def _merging(self, conflict: Conflict, why: str, *, comments: bool = False) -> NeedsMerge:
        """A merge to approve: it becomes the text, on top of their version (the draft moves with it)."""
        previous = self.draft_key if self.new is None else None
        self.conflict = conflict
        self.remote = None  # the merge is on top of their version: that change is known now
        self.text = conflict.merge.text
        if self.drafts is not None and previous is not None and previous != self.draft_key:
            self.drafts.discard(*previous)  # the merge holds that draft's text now
        self.flush_draft()
        theirs = conflict.theirs.base_version
        if comments:
            state = (
                "The page's content changed since you opened it without a new version (inline comments "
                "were added), on text you changed"
            )
        else:
            state = why
        if conflict.merge.clean:
            result = "The 3-way merge is clean; review it, then save it."
        else:
            n = conflict.merge.conflicts
            result = (
                f"The 3-way merge has {n} conflict{'s' if n != 1 else ''}: keep what you want between the "
                "markers, then save."
            )
        return NeedsMerge(
            conflict,
            f"{state}; nothing was written (now version {theirs}). {result}",
            comments_only=comments,
        )

    @staticmethod
    def _moved_on(base: OpenedPage, current: Page) -> str:
        return (
            f"Page {base.page.id} changed since version {base.base_version} "
            f"(now {current.version.number})"
        )

    async def _gone(self) -> Gone:
        base = self.base
        assert base is not None
        try:
            trashed = await self.client.trashed_page(base.page.id, kind=base.page.type)
        except WorkbenchError:
            trashed = None
        title = base.page.title
        if trashed is not None:
            self.gone = Gone(
                "trashed",
                f"“{title}” was moved to the trash since you opened it, so nothing was "
                "saved. Your text is kept.",
                (RESTORE, NEW_PAGE, TO_FILE),
            )
        else:
            self.gone = Gone(
                "deleted",
                f"“{title}” was deleted (or you may no longer see it) since you opened it, "
                "so nothing was saved. Your text is kept.",
                (NEW_PAGE, TO_FILE),
            )
        return self.gone

    async def _refused(self, exc: WorkbenchError, title: str) -> SaveOutcome:
        """A 400: a title another page has is something to rename; anything else is not retryable."""
        try:
            other = await self.title_taken(title)
        except WorkbenchError:
            other = None
        if other is not None:
            return TitleTaken(
                title,
                other.id,
                f"Another page in this space is titled “{title}” (id {other.id}), "
                "so nothing was saved. Choose another title; your text is kept.",
            )
        return failed(exc, "Not saved")

    # -- the remedies -----------------------------------------------------------------------------
    async def restore_and_save(self, *, message: str = "", minor_edit: bool = False) -> SaveOutcome:
        """The page is in the trash: take it out (its content as it was), then save the text on top."""
        base = self.base
        assert base is not None
        try:
            await self.client.restore_page(base.page.id, kind=base.page.type)
        except WorkbenchError as exc:
            return failed(exc, "Not restored")
        self.gone = None
        return await self.save(message=message, minor_edit=minor_edit)

    async def save_as_new_page(self, title: str | None = None, *, message: str = "") -> SaveOutcome:
        """Save the text as a new page under the same parent (the old page is gone)."""
        base = self.base
        assert base is not None
        session = EditSession.new_page(
            self.client,
            space_id=base.page.space_id,
            parent_id=base.page.parent_id,
            kind=base.page.type,
            title=title or self.title,
            text=self.text,
            drafts=self.drafts,
            directory=self.directory,
            known=self.known,
            template=base,  # macros and mentions as they were on the old page
        )
        outcome = await session.save(message=message)
        if isinstance(outcome, Saved):
            if self.drafts is not None:
                self.drafts.discard(base.page.id)
            self.opened, self.new, self.conflict, self.gone = session.opened, None, None, None
            self.title, self._clean, self.text = session.title, session._clean, session.text
        return outcome

    def write_to(self, path: Path) -> Path:
        """Write the text to a file (atomic); the draft stays. A file that is there already is never
        replaced — :class:`FileExistsError` — unless it holds this very text."""
        # lazy, for start-up: workbench.config loads on first use
        from workbench.config import atomic_write

        target = Path(path).expanduser()
        body = self.text if self.text.endswith("\n") else self.text + "\n"
        if target.exists():
            try:
                same = target.read_text(encoding="utf-8") == body
            except (OSError, UnicodeDecodeError):
                same = False
            if not same:
                raise FileExistsError(errno.EEXIST, "there is a file there already", str(target))
            return target
        atomic_write(target, body)
        return target

    def suggested_file(self, directory: Path) -> Path:
        """A file in ``directory`` named after the title that no file has yet (``Title.md``,
        ``Title-2.md`` …), for :meth:`write_to`."""
        stem = "".join(ch if ch.isalnum() or ch in "-_ " else "_" for ch in self.title)
        stem = stem.strip().replace(" ", "-")[:60] or "page"
        folder = Path(directory).expanduser()
        target, n = folder / f"{stem}.md", 1
        while target.exists():
            n += 1
            target = folder / f"{stem}-{n}.md"
        return target

    # -- new pages ------------------------------------------------------------------------------
    async def _create(self, mine: str, message: str) -> SaveOutcome:
        # lazy, for start-up: workbench.confluence.errors, workbench.convert … loads on first use
        from workbench.confluence.errors import BadRequest
        from workbench.convert import markdown_to_storage
        from workbench.services.pages import OpenedPage
        from workbench.services.users import settle_mentions

        new = self.new
        assert new is not None
        title = self.title.strip()
        if not title:
            return Unresolved("A new page needs a title. Nothing was sent.")
        old = self.template
        settled = settle_mentions(mine, old.users if old is not None else {}, self.known)
        storage = markdown_to_storage(
            settled.markdown,
            base=old.page.storage if old is not None else None,
            users=settled.users or None,
        )
        try:
            page = await self.client.create_page(
                space_id=new.space_id,
                title=title,
                storage=storage,
                parent_id=new.parent_id,
                kind=new.kind,
            )
        except BadRequest as exc:
            return await self._refused(exc, title)
        except WorkbenchError as exc:
            return failed(exc, "Not created")
        if page.title.strip() != title or page.version.number != 1:
            return failed(
                WorkbenchError(
                    f"Confluence answered the creation of “{title}” with “{page.title}” "
                    f"version {page.version.number}."
                ),
                "Not confirmed",
            )
        if page.storage is None:
            page = await self.client.get_page(page.id, kind=page.type)
        saved = OpenedPage(page, settled.markdown, settled.users)
        self._adopt(saved, sent=mine)
        return Saved(saved, f"Created “{page.title}” as version 1.", created=True)


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


def _reads_the_same(a: str, b: str) -> bool:
    """Do two storage bodies read the same as Markdown (a server may canonicalise the XHTML)?"""
    # lazy, for start-up: workbench.convert loads on first use
    from workbench.convert import storage_to_markdown

    return storage_to_markdown(a) == storage_to_markdown(b)
