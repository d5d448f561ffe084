"""Editing on the main screen: the editor session, drafts, saving, conflicts and merges.

Rules (design §5): the base version is pinned when the page is opened; the buffer is kept as a
local draft (debounced, atomic); a save is one PUT; a 409 becomes a 3-way merge shown to the
person (clean: approve; conflicted: resolve the markers with theirs shown beside); any other
failure leaves the draft intact and the save retryable.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.screen import Screen
from textual.widgets import Static, TabbedContent, TextArea

from workbench.confluence.errors import VersionConflict
from workbench.errors import WorkbenchError
from workbench.services.merge import has_conflict_markers
from workbench.services.workspace import new_page_key
from workbench.tui import safe
from workbench.tui.messages import PageSaved
from workbench.tui.page_text import conflicts_phrase as _conflicts, extras_after_save as _extras_after_save
from workbench.tui.widgets.document import DocumentView
from workbench.tui.widgets.editor import MdEditor
from workbench.tui.widgets.site_tree import SiteTree

if TYPE_CHECKING:
    from workbench.services.pages import Conflict, OpenedPage


@dataclass(slots=True)
class EditSession:
    """What the editor is editing. ``opened`` is None for a page that does not exist yet."""

    opened: OpenedPage | None
    title: str
    space_id: str
    parent_id: str | None = None
    conflict: Conflict | None = None
    dirty: bool = False
    clean_text: str | None = None  # the text that means "nothing to save"; None: always something to save

    @property
    def draft_key(self) -> tuple[str, int]:
        if self.conflict is not None:  # the merge already holds theirs: it is a draft on their version
            return self.conflict.theirs.page.id, self.conflict.theirs.base_version
        if self.opened is None:
            return new_page_key(self.parent_id, self.title), 0
        return self.opened.page.id, self.opened.base_version


class EditingMixin(Screen):
    """Part of MainScreen (a Screen subclass so Textual collects its @on handlers)."""

    def init_editing(self) -> None:
        self.session: EditSession | None = None
        self._draft_timer = None
        self._loading_editor = False
        self._saving = False

    def has_unsaved(self) -> bool:
        return self.session is not None and self.session.dirty

    # -- starting an edit ---------------------------------------------------------------------
    def action_edit(self) -> None:
        ws = self.workspace
        if ws is None or ws.current is None:
            self.notify("Open a page first (enter in the tree).", severity="warning")
            return
        opened = ws.current
        same = self.session is not None and self.session.opened is not None and (
            self.session.opened.page.id == opened.page.id)
        if not same or (self.session is not None and not self.session.dirty):
            text = opened.markdown
            draft = ws.drafts.load(opened.page.id, opened.base_version)
            if draft is not None and draft.markdown != opened.markdown:
                text = draft.markdown
                self.notify("Restored your unsaved draft of this page.")
            self.start_session(EditSession(opened, opened.page.title, opened.page.space_id), text,
                               dirty=text != opened.markdown)
        self._show_editor()

    def edit_with(self, markdown: str) -> None:
        """Open the current page in the editor with ``markdown`` (used by the agent panel)."""
        ws = self.workspace
        if ws is None or ws.current is None:
            self.notify("Open a page first.", severity="warning")
            return
        opened = ws.current
        self.start_session(EditSession(opened, opened.page.title, opened.page.space_id), markdown,
                           dirty=markdown != opened.markdown)
        self._show_editor()

    def start_session(self, session: EditSession, text: str, *, dirty: bool) -> None:
        previous = self.session
        if previous is not None and previous.dirty and previous is not session:
            self.flush_draft()  # every keystroke of the previous edit is on disk before it is replaced
            self.notify(f"Your unsaved edit of “{previous.title}” is kept as a draft.")
        self.session = session
        editor = self.query_one("#editor", MdEditor)
        self._loading_editor = True
        editor.load_text(text)
        self.call_after_refresh(self._editor_loaded)
        session.dirty = dirty
        session.clean_text = None if dirty else text
        self._update_editor_chrome()

    def _editor_loaded(self) -> None:
        self._loading_editor = False

    def _show_editor(self) -> None:
        self.query_one("#tabs", TabbedContent).active = "tab-editor"
        self.query_one("#editor", MdEditor).focus()

    def action_leave_editor(self) -> None:
        self.query_one("#tabs", TabbedContent).active = "tab-page"
        self.focus_viewer()

    def _update_editor_chrome(self) -> None:
        session = self.session
        tabs = self.query_one("#tabs", TabbedContent)
        label = "Editor ●" if session is not None and session.dirty else "Editor"
        tabs.get_tab("tab-editor").label = label
        banner = self.query_one("#editor-banner", Static)
        theirs = self.query_one("#theirs", DocumentView)
        if session is not None and session.conflict is not None and not session.conflict.merge.clean:
            n = session.conflict.merge.conflicts
            banner.update(
                f"⚠ {_conflicts(n)} with v{session.conflict.theirs.base_version}: keep what you want between "
                "<<<<<<< mine / ======= / >>>>>>> theirs, delete the markers, then ctrl+s. Theirs is on the right."
            )
            banner.remove_class("hidden")
            theirs.remove_class("hidden")
        elif session is not None and session.opened is None:
            banner.update(safe.join("New page “", session.title,
                                    "” — ctrl+s creates it, escape goes back (the draft is kept)."))
            banner.remove_class("hidden")
            theirs.add_class("hidden")
        else:
            banner.add_class("hidden")
            theirs.add_class("hidden")

    # -- drafts -------------------------------------------------------------------------------
    @on(TextArea.Changed, "#editor")
    def _editor_changed(self) -> None:
        if self._loading_editor or self.session is None:
            return
        # Compare with the clean text rather than trusting the event: loading text into the editor
        # also posts Changed, and typing back to the original is nothing to save.
        clean = self.session.clean_text
        dirty = clean is None or self.query_one("#editor", MdEditor).text != clean
        if dirty != self.session.dirty:
            self.session.dirty = dirty
            self._update_editor_chrome()
        if not dirty:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(1.0, self.flush_draft)

    def flush_draft(self) -> None:
        """Write the buffer as a draft now (atomic; called by the debounce timer and before saving)."""
        ws, session = self.workspace, self.session
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if ws is None or session is None or not session.dirty:
            return
        page_key, base = session.draft_key
        ws.drafts.save(page_key, base, session.title, self.query_one("#editor", MdEditor).text)

    def check_drafts(self, opened: OpenedPage) -> None:
        """Offer a draft of this page back (with a diff) if one differs from the page."""
        ws = self.workspace
        if ws is None or (self.session is not None and self.session.dirty):
            return
        from workbench.services.diffing import unified
        from workbench.tui.screens.modals import DiffScreen

        for draft in ws.drafts.for_page(opened.page.id):
            if draft.markdown == opened.markdown:
                ws.drafts.discard(opened.page.id, draft.base_version)
                continue
            older = draft.base_version != opened.base_version
            where = f"made on v{draft.base_version}, the page is now v{opened.base_version}" if older else (
                f"on v{draft.base_version}")
            lines = unified(opened.markdown, draft.markdown, f"page v{opened.base_version}", "your draft")

            def chosen(result: str | None, draft=draft) -> None:
                if result == "restore":
                    self.restore_draft(opened, draft)
                elif result == "discard":
                    ws.drafts.discard(opened.page.id, draft.base_version)
                    self.notify("Draft discarded.")

            self.app.push_screen(
                DiffScreen(f"You have an unsaved draft of “{opened.page.title}” ({where}).", lines,
                           [("enter", "restore", "restore it in the editor"), ("d", "discard", "discard it")],
                           id="draft-recovery"),
                chosen,
            )
            return
        for draft in ws.drafts.new_pages_under(opened.page.id):
            lines = unified("", draft.markdown, "(no page yet)", f"new page “{draft.title}”")

            def chosen_new(result: str | None, draft=draft) -> None:
                if result == "restore":
                    session = EditSession(None, draft.title, opened.page.space_id, parent_id=opened.page.id)
                    self.start_session(session, draft.markdown, dirty=True)
                    self._show_editor()
                elif result == "discard":
                    ws.drafts.discard(draft.page_id, 0)
                    self.notify("Draft discarded.")

            self.app.push_screen(
                DiffScreen(f"You started a new page “{draft.title}” under “{opened.page.title}” and did not "
                           "create it yet.", lines,
                           [("enter", "restore", "continue it in the editor"), ("d", "discard", "discard it")],
                           id="draft-recovery"),
                chosen_new,
            )
            return

    def restore_draft(self, opened: OpenedPage, draft) -> None:
        if draft.base_version == opened.base_version:
            self.start_session(EditSession(opened, opened.page.title, opened.page.space_id), draft.markdown,
                               dirty=True)
            self._show_editor()
        else:
            self._merge_draft(opened, draft.base_version, draft.markdown)

    @work(exclusive=True, group="save", exit_on_error=False)
    async def _merge_draft(self, opened: OpenedPage, base_version: int, markdown: str) -> None:
        ws = await self.ready_workspace()
        conflict = await ws.draft_conflict(opened, base_version, markdown)
        self.handle_conflict(conflict)

    # -- saving -------------------------------------------------------------------------------
    def action_save(self) -> None:
        session = self.session
        if session is None:
            self.notify("Nothing to save: press e to edit the page.", severity="warning")
            return
        text = self.query_one("#editor", MdEditor).text
        if has_conflict_markers(text):
            self.notify("Resolve the conflict markers (<<<<<<< ======= >>>>>>>) before saving.", severity="error")
            return
        if self._saving:
            return
        self.flush_draft()
        self._saving = True
        self._save(session, text)

    @work(exclusive=True, group="save", exit_on_error=False)
    async def _save(self, session: EditSession, text: str) -> None:
        status = self.query_one("#status")
        status.detail = "saving…"
        try:
            ws = await self.ready_workspace()
            try:
                if session.opened is None:
                    saved = await ws.create_page(session.space_id, session.parent_id, session.title, text)
                elif session.conflict is not None:
                    saved = await ws.save_merged(session.conflict, text)
                else:
                    saved = await ws.save(session.opened, text)
            except VersionConflict:
                self.notify("Someone saved this page in the meantime: merging…", severity="warning")
                conflict = await ws.conflict(session.opened, text)
                self.handle_conflict(conflict)
                return
            except WorkbenchError as exc:
                self.mark_connection(exc)
                self.notify(f"{exc.message} Your text is kept as a draft; press ctrl+s to retry.",
                            title="Not saved", severity="error", timeout=10)
                return
        finally:
            self._saving = False
            status.detail = ""
        self.saved(saved, created=session.opened is None, sent=text)

    def saved(self, saved: OpenedPage, *, created: bool = False, sent: str | None = None) -> None:
        """After a save: show the new version; the editor goes on from it.

        ``sent`` is the text that was saved. When the editor still holds exactly that, nothing is
        unsaved, even if the page's Markdown reads slightly differently once converted back (a blank
        line dropped, a list marker normalised): the editor then shows the page as saved.
        """
        ws = self.workspace
        self.query_one("#status").state = "online"
        self.extras = _extras_after_save(self.extras, saved, ws, created=created)  # no request needed
        if created:
            self._trail = [*self._trail, saved.page.title] if self._trail else []
        ws.current = saved
        self.show_page(saved)
        if self.extras is not None and self.extras.comments:
            self.show_comments(self.extras)
        verb = "Created" if created else "Saved"
        self.notify(f"{verb} “{saved.page.title}” as version {saved.base_version}.")
        # The editor keeps editing the page, now on top of the saved version.
        typed_since = self.query_one("#editor", MdEditor).text
        dirty = typed_since not in (saved.markdown, sent)
        self.session = EditSession(saved, saved.page.title, saved.page.space_id,
                                   dirty=dirty, clean_text=saved.markdown)
        if not dirty and typed_since != saved.markdown:
            self.start_session(self.session, saved.markdown, dirty=False)
        if self.session.dirty:  # typed while the save was on its way
            self._update_editor_chrome()
            self.flush_draft()
        else:
            self._update_editor_chrome()
            self.query_one("#tabs", TabbedContent).active = "tab-page"
            self.focus_viewer()
        self.post_message(PageSaved(saved.page.id, saved.base_version))
        self.refresh_bindings()
        if created and saved.page.parent_id:  # the parent's row: a page or a folder
            tree = self.query_one(SiteTree)
            self.load_children(tree.key_of(saved.page.parent_id) or f"page:{saved.page.parent_id}")

    def handle_conflict(self, conflict: Conflict) -> None:
        """Clean merge: show it for approval. Conflicted: resolve in the editor, theirs beside."""
        self.session = EditSession(conflict.theirs, conflict.theirs.page.title, conflict.theirs.page.space_id,
                                   conflict=conflict)
        self.start_session(self.session, conflict.merge.text, dirty=True)
        self.flush_draft()
        ws = self.workspace
        if ws is not None and conflict.base.base_version != conflict.theirs.base_version:
            ws.drafts.discard(conflict.base.page.id, conflict.base.base_version)  # the merge holds it now
        if not conflict.merge.clean:
            self.query_one("#theirs", DocumentView).show(conflict.theirs.markdown)
            self._show_editor()
            self.notify(f"{_conflicts(conflict.merge.conflicts)}: resolve them, then ctrl+s.", severity="warning")
            return
        from workbench.services.diffing import unified
        from workbench.tui.screens.modals import DiffScreen

        lines = unified(conflict.theirs.markdown, conflict.merge.text,
                        f"theirs (v{conflict.theirs.base_version})", "merged")

        def decided(result: str | None) -> None:
            if result == "save":
                self.action_save()
            else:
                self._show_editor()
                self.notify("The merge is in the editor: edit it, then ctrl+s.")

        self.app.push_screen(
            DiffScreen(f"Merged cleanly with v{conflict.theirs.base_version} (someone else's edit). "
                       "These are your changes on top of theirs:", lines,
                       [("enter", "save", "save the merge"), ("y", "save", "save"), ("e", "edit", "edit first")],
                       id="merge-approval"),
            decided,
        )

    # -- new pages ----------------------------------------------------------------------------
    def action_new_page(self) -> None:
        ws = self.workspace
        if ws is None or ws.current is None:
            self.notify("Open the page that should be the parent first.", severity="warning")
            return
        parent = ws.current.page
        self.new_page_under(parent.space_id, parent.id, parent.title)

    def new_page_under(self, space_id: str, parent_id: str, parent_title: str) -> None:
        """Title prompt, then the editor for a new page under ``parent_id`` (a page, or a folder)."""
        ws = self.workspace
        if ws is None:
            return
        from workbench.tui.screens.modals import PromptScreen

        def titled(title: str | None) -> None:
            title = (title or "").strip()
            if not title:
                return
            session = EditSession(None, title, space_id, parent_id=parent_id)
            page_key, _ = session.draft_key
            draft = ws.drafts.load(page_key, 0)
            self.start_session(session, draft.markdown if draft else "", dirty=draft is not None)
            self._show_editor()

        self.app.push_screen(PromptScreen(f"Title of the new page under “{parent_title}”", id="new-page-title"),
                             titled)

    async def wait_saved(self) -> None:
        """For tests: wait until a running save finishes."""
        while self._saving:
            await asyncio.sleep(0.01)
