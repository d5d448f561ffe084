"""Drafts in the editor pane: writing the buffer as a draft as you type (debounced, with a maximum
wait), an unwritable drafts folder, and offering a page's drafts back when it is opened.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.widgets import TextArea

from workbench.textsafe import printable
from workbench.tui.panes.editor_base import EditorBase

if TYPE_CHECKING:
    from workbench.services.drafts import Draft, DraftsUnwritable
    from workbench.services.edit_session import EditSession
    from workbench.services.pages import OpenedPage


MIN_TIMER = 0.01  # seconds: a draft due sooner than this is written at once, not by a timer


class DraftsMixin(EditorBase):
    """Drafts of the edit (mixed into :class:`~workbench.tui.panes.editor.EditorPane`)."""

    @on(TextArea.Changed, "#editor")
    def _editor_changed(self) -> None:
        session = self.session
        if session is None:
            return
        was_dirty = session.dirty
        due = session.edit(self.editor.text)
        if session.dirty != was_dirty:
            self._update_editor_chrome()
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if due is None:
            return
        delay = due - time.monotonic()  # debounced; at most the max wait after the first key
        if delay < MIN_TIMER:
            # Overdue (keys kept coming past the max wait): write it now. A Textual timer of ~0 s
            # never fires (0.0 raises ZeroDivisionError in its task, a tiny one is skipped as late),
            # and every later key would be overdue too: no draft until the typing stopped for good.
            self.flush_draft()
        else:
            self._draft_timer = self.set_timer(delay, self.flush_draft)

    def flush_draft(self) -> None:
        """Write the buffer as a draft now (atomic). Never raises: a folder that cannot be written
        is
        reported (once) and another one offered, while the text stays in the editor."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        session = self.session
        if session is None:
            return
        session.text = self.editor.text if self.is_mounted else session.text
        problem = session.flush_draft()
        if problem is not None:
            self._drafts_unwritable(problem)

    def _drafts_unwritable(self, problem: DraftsUnwritable) -> None:
        folder = str(problem.directory)
        if self._drafts_problem == folder:
            return
        self._drafts_problem = folder
        self.notify(
            f"{problem.message} Your text is still in the editor, and ctrl+s still saves to "
            "Confluence. "
            "Choose another folder for drafts, or escape to go on without them.",
            title="Drafts",
            severity="error",
            timeout=15,
        )

        # lazy, for start-up: workbench.tui.screens.modals (with textual) loads on first use
        from workbench.tui.screens.modals import PromptScreen

        def chosen(answer: str | None) -> None:
            ws = self.host.workspace
            if not answer or ws is None:
                return
            ws.drafts.relocate(Path(answer).expanduser())
            self.flush_draft()
            if self._drafts_problem == folder:
                self._drafts_problem = None
                self.notify(f"Drafts are kept in {ws.drafts.directory} from now on.")

        self.app.push_screen(
            PromptScreen("Keep drafts in another folder:", _spare_drafts_dir(), id="drafts-folder"),
            chosen,
        )

    def check_drafts(self, opened: OpenedPage) -> None:
        """Offer a draft of this page back (with a diff) if one differs from the page."""
        ws = self.host.workspace
        if ws is None or (
            self.session is not None
            and self.session.dirty
            and self.session.page_id == opened.page.id
        ):
            return
        # lazy, for start-up: workbench.services.diffing … (with textual) loads on first use
        from workbench.services.diffing import unified
        from workbench.tui.screens.modals import DraftRecoveryScreen, NewPageDraftScreen

        for draft in ws.drafts.for_page(opened.page.id):
            if draft.markdown == opened.markdown:
                ws.drafts.discard(opened.page.id, draft.base_version)
                continue
            older = draft.base_version != opened.base_version
            where = (
                f"made on v{draft.base_version}, the page is now v{opened.base_version}"
                if older
                else (f"on v{draft.base_version}")
            )
            lines = unified(
                opened.markdown, draft.markdown, f"page v{opened.base_version}", "your draft"
            )
            self.app.push_screen(
                DraftRecoveryScreen(
                    f"You have an unsaved draft of “{printable(opened.page.title)}” ({where}).",
                    lines,
                    id="draft-recovery",
                ),
                lambda result, draft=draft: self._draft_chosen(result, opened, draft),
            )
            return
        for draft in ws.drafts.new_pages_under(opened.page.id):
            lines = unified("", draft.markdown, "(no page yet)", f"new page “{draft.title}”")
            self.app.push_screen(
                NewPageDraftScreen(
                    f"You started a new page “{printable(draft.title)}” under "
                    f"“{printable(opened.page.title)}”"
                    " and did not create it yet.",
                    lines,
                    id="draft-recovery",
                ),
                lambda result, draft=draft: self._draft_chosen(result, opened, draft),
            )
            return

    def _draft_chosen(self, result: str | None, opened: OpenedPage, draft: Draft) -> None:
        ws = self.host.workspace
        if ws is None or result is None:
            return
        session = self.session
        if result == "discard":
            ws.drafts.discard(draft.page_id, draft.base_version)
            if session is not None and session.owns(
                draft
            ):  # the draft is in the editor: it goes too
                session.discard_draft()
                if session.new is not None:
                    self.session = None
                    self._load_editor("")
                else:
                    self._load_editor(session.text)
                self._update_editor_chrome()
            self.notify("Draft discarded.")
            return
        if draft.is_new_page:
            draft_id = draft.page_id.rsplit(":", 1)[-1]
            session = ws.edit_new(
                draft.space_id or opened.page.space_id,
                opened.page.id,
                draft.title,
                text=draft.markdown,
                draft_id=draft_id,
                kind=draft.kind,
            )
            self.start_session(session)
            self._show_editor()
            return
        session = ws.edit(opened)
        self.start_session(session)
        self._resume_draft(session, draft)

    @work(exclusive=True, group="save", exit_on_error=False)
    async def _resume_draft(self, session: EditSession, draft: Draft) -> None:
        merge = await session.resume(draft)
        if merge is None:
            self._load_editor(session.text)
            self._update_editor_chrome()
            self._show_editor()
        else:
            self.handle_conflict(merge)


def _spare_drafts_dir() -> str:
    """A folder to offer when the data dir cannot hold drafts: the system's temporary folder."""
    return os.path.join(
        tempfile.gettempdir(), f"workbench-drafts-{os.getuid() if hasattr(os, 'getuid') else 'me'}"
    )
