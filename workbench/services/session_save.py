"""Saving an editing session: nothing-to-save and conflict-marker checks, the save itself (a look at
the page, then the PUT of base+1, at most two requests when nobody else saved), merges with a
concurrent save or with inline comments added meanwhile, a page gone since it was opened, an edit
the space's permissions do not allow (said as such, not as a page gone), and a taken title. The
answer to the PUT is checked by :func:`workbench.services.save_verify.verify`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError
from workbench.services.save_outcome import (
    NEW_PAGE,
    RESTORE,
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
from workbench.services.save_verify import verify
from workbench.services.session_state import MERGE_MESSAGE, SessionState

if TYPE_CHECKING:
    from workbench.confluence.models import Page
    from workbench.services.pages import Conflict, OpenedPage


class SavingMixin(SessionState):
    """Saving an :class:`~workbench.services.edit_session.EditSession` (see that module's
    docstring): the look, the merge when someone else saved, the PUT and its verification."""

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
        from workbench.confluence.errors import (
            BadRequest,
            NotFound,
            PermissionDenied,
            VersionConflict,
        )
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
        except NotFound:  # v2's answer both when it is gone and when the space forbids the edit
            return await self._gone_or_not_allowed(kind)
        except PermissionDenied as exc:  # v1's answer (a minor edit) when the space forbids it
            return self._not_allowed(exc)
        except BadRequest as exc:
            return await self._refused(exc, title)
        problem = verify(answer, target, title, converted.storage)
        if problem is not None:
            if isinstance(
                problem, Gone
            ):  # the PUT took the page out of the trash, without the edit
                self.gone = problem
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

    async def _gone_or_not_allowed(self, kind: str) -> SaveOutcome:
        """The update answered 404: Cloud's v2 says so both for content that is gone and for an edit
        the space's permissions do not allow ("the user does not have the needed permissions",
        ``updatePage`` in the v2 spec). One read tells them apart: the page is still there for this
        login, so it is the permission."""
        base = self.base
        assert base is not None
        try:
            await self.client.get_page(base.page.id, kind=kind)
        except WorkbenchError:
            return await self._gone()
        # lazy, for start-up: workbench.confluence.errors loads on first use
        from workbench.confluence.errors import PermissionDenied

        return self._not_allowed(
            PermissionDenied("Confluence refused the edit (404 to the update).", status=404)
        )

    def _not_allowed(self, exc: WorkbenchError) -> Failed:
        """A save the space's permissions refuse: nothing to retry, nothing lost."""
        title = self.base.page.title if self.base is not None else "this page"
        return Failed(
            exc,
            f"Not saved: you may read “{title}” but not edit it — your account does not have the "
            "permission to edit pages in this space (a space administrator can grant it). "
            "Your text is kept.",
            retryable=False,
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

    if TYPE_CHECKING:
        # provided by :class:`~workbench.services.session_remedies.RemediesMixin`
        async def _create(self, mine: str, message: str) -> SaveOutcome: ...
