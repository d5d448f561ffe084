"""The editor pane: the editor widget bound to one headless editing session.

Everything about *what* happens — the pinned base, drafts (keys, when they are due, discarding),
saving, verification, conflicts, merges, inline comments, trashed pages, taken titles — is
:class:`workbench.services.edit_session.EditSession`, which the agent and ``workbench push`` use
too. This pane only moves text between the editor and the session, runs the session's calls in
workers, and shows their outcomes (dialogs live in ``screens/save_dialogs.py`` and ``modals.py``).
After a save it posts :class:`EditorPane.Saved`; the screen has the page pane show the new version.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.lazy import Lazy
from textual.message import Message
from textual.widgets import Static, TabbedContent, TabPane, TextArea
from textual.worker import Worker, WorkerState

from workbench.errors import WorkbenchError
from workbench.textsafe import printable
from workbench.tui import safe
from workbench.tui.messages import PageSaved
from workbench.tui.page_text import conflicts_phrase as _conflicts
from workbench.tui.panes.base import Host, host
from workbench.tui.safe import text
from workbench.tui.widgets.document import DocumentView
from workbench.tui.widgets.editor import MdEditor

if TYPE_CHECKING:
    from textual.timer import Timer

    from workbench.services import save_outcome as so
    from workbench.services.drafts import Draft, DraftsUnwritable
    from workbench.services.edit_session import EditSession, Remote
    from workbench.services.pages import OpenedPage
    from workbench.tui.screens.save_dialogs import SaveScreen

MIN_TIMER = 0.01  # seconds: a draft due sooner than this is written at once, not by a timer
RECHECK_EVERY = 10.0  # seconds: focus events closer together than this do not ask the server again


class EditorPane(TabPane):
    """``#tab-editor``: the Markdown editor of one :class:`EditSession`, with its banner and, in a
    conflicted merge, "theirs" beside it."""

    def __init__(self, title: str = "Editor", *, dark: bool = True, id: str = "tab-editor") -> None:
        super().__init__(title, id=id)
        self._dark = dark
        self.session: EditSession | None = None
        self._draft_timer: Timer | None = None
        self._saving = False
        self._drafts_problem: str | None = None  # the folder whose problem was already reported
        self._last_recheck = 0.0

    @property
    def host(self) -> Host:
        return host(self)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.host.report_error(event.worker.error)

    def compose(self) -> ComposeResult:
        yield Static("", id="editor-banner", classes="hidden")
        yield Lazy(
            Horizontal(
                MdEditor(id="editor", dark=self._dark),
                DocumentView(id="theirs", classes="hidden"),
                id="editor-row",
            )
        )

    @property
    def editor(self) -> MdEditor:
        return self.query_one("#editor", MdEditor)

    @property
    def saving(self) -> bool:
        """A save is on its way."""
        return self._saving

    @dataclass
    class Saved(Message):
        """A save (or a creation) went through: the page shows the new version."""

        outcome: so.Saved

    def has_unsaved(self) -> bool:
        return self.session is not None and self.session.dirty

    # -- starting an edit ---------------------------------------------------------------------
    def edit(self) -> None:
        """Edit the page being shown (a dirty edit of it goes on; a draft of it is restored)."""
        ws = self.host.workspace
        if ws is None or ws.current is None:
            self.notify("Open a page first (enter in the tree).", severity="warning")
            return
        opened = ws.current
        session = self.session
        if session is None or session.page_id != opened.page.id or not session.dirty:
            session = ws.edit(opened)
            draft = ws.drafts.load(opened.page.id, opened.base_version)
            if draft is not None and draft.markdown != opened.markdown:
                session.edit(draft.markdown)
                self.notify("Restored your unsaved draft of this page.")
            self.start_session(session)
        self._show_editor()

    def edit_with(self, markdown: str) -> None:
        """Open the current page in the editor with ``markdown`` (used by the agent panel)."""
        ws = self.host.workspace
        if ws is None or ws.current is None:
            self.notify("Open a page first.", severity="warning")
            return
        session = ws.edit(ws.current)
        session.edit(markdown)
        self.start_session(session)
        self._show_editor()

    def start_session(self, session: EditSession) -> None:
        previous = self.session
        if previous is not None and previous is not session and previous.dirty:
            # every keystroke of the previous edit is on disk before it is replaced
            self.flush_draft()
            self.notify(f"Your unsaved edit of “{printable(previous.title)}” is kept as a draft.")
        self.session = session
        self._load_editor(session.text)
        self._update_editor_chrome()
        if session.drafts is not None:
            problem = session.drafts.writable()  # say at once when drafts cannot be kept
            if problem is not None:
                self._drafts_unwritable(problem)

    def _load_editor(self, text: str) -> None:
        editor = self.editor
        with editor.prevent(TextArea.Changed):  # loading is not typing
            editor.load_text(text)

    def _show_editor(self) -> None:
        self.host.show_tab("tab-editor")
        self.editor.focus()

    def leave(self) -> None:
        self.host.show_tab("tab-page")
        self.host.focus_viewer()

    def _update_editor_chrome(self) -> None:
        session = self.session
        tabs = self.query_ancestor(TabbedContent)
        tabs.get_tab(self).label = "Editor ●" if session is not None and session.dirty else "Editor"
        banner = self.query_one("#editor-banner", Static)
        theirs = self.query_one("#theirs", DocumentView)
        conflict = session.conflict if session is not None else None
        if conflict is not None and not conflict.merge.clean:
            banner.update(
                f"⚠ {_conflicts(conflict.merge.conflicts)} with v{conflict.theirs.base_version}: "
                "keep what you want "
                "between <<<<<<< mine / ======= / >>>>>>> theirs, delete the markers, then ctrl+s. "
                "Theirs is on the "
                "right."
            )
            banner.remove_class("hidden")
            theirs.remove_class("hidden")
        elif session is not None and session.new is not None:
            banner.update(
                safe.join(
                    "New page “",
                    session.title,
                    "” — ctrl+s creates it, F2 renames it, escape goes back (the draft is kept).",
                )
            )
            banner.remove_class("hidden")
            theirs.add_class("hidden")
        else:
            banner.add_class("hidden")
            theirs.add_class("hidden")

    # -- drafts -------------------------------------------------------------------------------
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
        from workbench.tui.screens.modals import DiffScreen

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
                DiffScreen(
                    f"You have an unsaved draft of “{printable(opened.page.title)}” ({where}).",
                    lines,
                    [
                        ("enter", "restore", "restore it in the editor"),
                        ("d", "discard", "discard it"),
                    ],
                    id="draft-recovery",
                ),
                lambda result, draft=draft: self._draft_chosen(result, opened, draft),
            )
            return
        for draft in ws.drafts.new_pages_under(opened.page.id):
            lines = unified("", draft.markdown, "(no page yet)", f"new page “{draft.title}”")
            self.app.push_screen(
                DiffScreen(
                    f"You started a new page “{printable(draft.title)}” under "
                    f"“{printable(opened.page.title)}”"
                    " and did not create it yet.",
                    lines,
                    [
                        ("enter", "restore", "continue it in the editor"),
                        ("d", "discard", "discard it"),
                    ],
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

    # -- other writers ------------------------------------------------------------------------
    def recheck_remote(self) -> None:
        """The window got the focus back: has someone else saved (or trashed the page) meanwhile?"""
        now = time.monotonic()
        if (
            self.session is None
            or self.session.new is not None
            or now - self._last_recheck < RECHECK_EVERY
        ):
            return
        self._last_recheck = now
        self._recheck(self.session)

    @work(exclusive=True, group="recheck", exit_on_error=False)
    async def _recheck(self, session: EditSession) -> None:
        try:
            remote = await session.check()
        except WorkbenchError:
            return  # a look, not an action: the next save says what is wrong
        if remote.changed and session is self.session:
            self.notify(
                self._remote_words(session, remote),
                title="Meanwhile",
                severity="warning",
                timeout=12,
            )

    def _remote_words(self, session: EditSession, remote: Remote) -> str:
        title = printable(session.title)
        if remote.state == "trashed":
            return (
                f"“{title}” was moved to the trash since you opened it. Your text is kept; saving "
                "will offer to "
                "restore it."
            )
        if remote.state == "deleted":
            return (
                f"“{title}” was deleted since you opened it. Your text is kept; saving will "
                f"offer what can be done."
            )
        ws = self.host.workspace
        who = ws.name_of(remote.author_id) if ws is not None and remote.author_id else "someone"
        return (
            f"{who} saved “{title}” as version {remote.version} since you opened it. Your text is "
            "kept; "
            "saving will merge it with theirs."
        )

    # -- saving -------------------------------------------------------------------------------
    def save(self) -> None:
        """Save the editor (ctrl+s): the save prompt, then the session's save in a worker."""
        session = self.session
        if session is None:
            self.notify("Nothing to save: press e to edit the page.", severity="warning")
            return
        text = self.editor.text  # what is saved: the editor at ctrl+s
        session.edit(text)
        pre = session.precheck()
        if pre is not None:
            self.show_outcome(session, pre)
            return
        if self._saving:
            return
        # never blocks the save: an unwritable drafts folder is reported, not raised
        self.flush_draft()
        if session.new is not None or session.conflict is not None:
            self._start_save(
                session, text, "", False
            )  # a merge was just approved; a new page has no versions
            return
        # lazy, for start-up: workbench.tui.screens.save_dialogs (with textual) loads on first use
        from workbench.tui.screens.save_dialogs import SaveScreen

        base = session.base
        assert base is not None
        long_edit = session.needs_check()
        remote = session.remote  # what the last look found (coming back to the window)
        known = None
        if remote is not None and remote.changed:
            known = Text("⚠ " + self._remote_words(session, remote), style="bold")
        version = None if remote is not None and remote.changed else base.base_version + 1
        prompt = SaveScreen(session.title, version, checking=long_edit, known=known)

        def decided(answer: tuple[str, bool] | None) -> None:
            if answer is not None:
                self._start_save(session, text, answer[0], answer[1])

        self.app.push_screen(prompt, decided)
        if long_edit:
            self._look_before_saving(session, prompt)

    @work(exclusive=True, group="recheck", exit_on_error=False)
    async def _look_before_saving(self, session: EditSession, prompt: SaveScreen) -> None:
        try:
            remote = await session.check()
        except WorkbenchError as exc:
            prompt.show_remote(
                Text(f"Could not look at the page now ({printable(exc.message)}).", style="dim")
            )
            return
        if remote.changed:
            prompt.show_remote(Text("⚠ " + self._remote_words(session, remote), style="bold"))
        else:
            prompt.show_remote(Text("✓ Nobody else saved since you opened the page.", style="dim"))

    def _start_save(self, session: EditSession, text: str, message: str, minor: bool) -> None:
        self._saving = True
        self._save(session, text, message, minor)

    @work(exclusive=True, group="save", exit_on_error=False)
    async def _save(self, session: EditSession, sent: str, message: str, minor: bool) -> None:
        status = self.host.status
        status.detail = "saving…"
        try:
            await self.host.ready_workspace()
            outcome = await session.save(message=message, minor_edit=minor, text=sent)
        finally:
            self._saving = False
            status.detail = ""
        self.show_outcome(session, outcome, sent=sent)

    def show_outcome(
        self, session: EditSession, outcome: so.SaveOutcome, *, sent: str | None = None
    ) -> None:
        """Show what came of a save (the session already did everything else)."""
        # lazy, for start-up: workbench.services.save_outcome loads on first use
        from workbench.services import save_outcome as so

        if isinstance(outcome, so.Saved):
            self.saved(outcome, sent=sent)
        elif isinstance(outcome, so.NeedsMerge):
            self.handle_conflict(outcome)
        elif isinstance(outcome, so.Gone):
            self._page_gone(session, outcome)
        elif isinstance(outcome, so.TitleTaken):
            self.notify(printable(outcome.message), title="Not saved", severity="error", timeout=10)
            self.rename()
        elif isinstance(outcome, so.Failed):
            self.host.mark_connection(outcome.error)
            again = " Press ctrl+s to try again." if outcome.retryable else ""
            self.notify(
                printable(outcome.message) + again, title="Not saved", severity="error", timeout=10
            )
        elif isinstance(outcome, so.Unresolved):
            self.notify(outcome.message, severity="error")
        else:
            self.notify(outcome.message)

    def saved(self, outcome: so.Saved, *, sent: str | None = None) -> None:
        """After a save: the page pane shows the new version; the editor goes on from it.

        When the editor still holds exactly what was sent, nothing is unsaved, even if the page's
        Markdown reads slightly differently once converted back: the editor then shows the page as
        saved.
        """
        saved = outcome.opened
        self.host.status.state = "online"
        self.post_message(self.Saved(outcome))
        self.notify(printable(outcome.message))
        session = self.session
        if session is not None:
            typed_since = self.editor.text
            session.edit(typed_since)
            if not session.dirty and typed_since != saved.markdown:
                self._load_editor(saved.markdown)
                session.edit(saved.markdown)
            self._update_editor_chrome()
            if session.dirty:  # typed while the save was on its way
                self.flush_draft()
            else:
                self.leave()
        self.post_message(PageSaved(saved.page.id, saved.base_version))

    def handle_conflict(self, outcome: so.NeedsMerge) -> None:
        """Clean merge: show it for approval. Conflicted: resolve in the editor, theirs beside."""
        conflict = outcome.conflict
        self._load_editor(conflict.merge.text)
        self._update_editor_chrome()
        if not conflict.merge.clean:
            self.query_one("#theirs", DocumentView).show(conflict.theirs.markdown)
            self._show_editor()
            them = "them" if conflict.merge.conflicts != 1 else "it"
            self.notify(
                f"{_conflicts(conflict.merge.conflicts)}: resolve {them}, then ctrl+s.",
                severity="warning",
            )
            return
        # lazy, for start-up: workbench.services.diffing … (with textual) loads on first use
        from workbench.services.diffing import unified
        from workbench.tui.screens.modals import DiffScreen

        lines = unified(
            conflict.theirs.markdown,
            conflict.merge.text,
            f"theirs (v{conflict.theirs.base_version})",
            "merged",
        )
        if outcome.comments_only:
            question = (
                "Inline comments were added to this page since you opened it (without a new "
                "version). "
                "Merged cleanly; these are your changes on top:"
            )
        else:
            question = (
                f"Merged cleanly with v{conflict.theirs.base_version} (someone else's edit). "
                "These are your changes on top of theirs:"
            )

        def decided(result: str | None) -> None:
            if result == "save":
                self.save()
            else:
                self._show_editor()
                self.notify("The merge is in the editor: edit it, then ctrl+s.")

        self.app.push_screen(
            DiffScreen(
                question,
                lines,
                [
                    ("enter", "save", "save the merge"),
                    ("y", "save", "save"),
                    ("e", "edit", "edit first"),
                ],
                id="merge-approval",
            ),
            decided,
        )

    # -- a page that is gone ------------------------------------------------------------------
    def _page_gone(self, session: EditSession, outcome: so.Gone) -> None:
        # lazy, for start-up: workbench.services.save_outcome … (with textual) loads on first use
        from workbench.services import save_outcome as so
        from workbench.tui.screens.save_dialogs import ChoiceScreen

        labels = {
            so.RESTORE: ("r", "restore it and save on top"),
            so.SAVE_AGAIN: ("s", "save on top now"),
            so.NEW_PAGE: ("n", "save as a new page"),
            so.TO_FILE: ("f", "write it to a file"),
        }
        choices = [(labels[r][0], r, labels[r][1]) for r in outcome.remedies]

        def chosen(result: str | None) -> None:
            if result == so.RESTORE:
                self._restore_and_save(session)
            elif result == so.SAVE_AGAIN:
                self.save()
            elif result == so.NEW_PAGE:
                self._ask_new_title(session)
            elif result == so.TO_FILE:
                self._ask_file(session)
            else:
                self._show_editor()
                self.notify("Your text stays in the editor and in its draft.")

        self.app.push_screen(ChoiceScreen(text(outcome.message), choices, id="page-gone"), chosen)

    @work(exclusive=True, group="save", exit_on_error=False)
    async def _restore_and_save(self, session: EditSession) -> None:
        self._saving = True
        try:
            outcome = await session.restore_and_save()
        finally:
            self._saving = False
        self.show_outcome(session, outcome)

    def _ask_new_title(self, session: EditSession) -> None:
        # lazy, for start-up: workbench.tui.screens.modals (with textual) loads on first use
        from workbench.tui.screens.modals import PromptScreen

        def titled(title: str | None) -> None:
            if title and title.strip():
                self._save_as_new(session, title.strip())

        self.app.push_screen(
            PromptScreen(
                "Title of the new page (under the same parent):", session.title, id="new-page-title"
            ),
            titled,
        )

    @work(exclusive=True, group="save", exit_on_error=False)
    async def _save_as_new(self, session: EditSession, title: str) -> None:
        self._saving = True
        try:
            outcome = await session.save_as_new_page(title)
        finally:
            self._saving = False
        self.show_outcome(session, outcome)

    def _ask_file(self, session: EditSession) -> None:
        """Write the text to a file the person names; the dialog stays open, saying why, when the
        file is there already (it is never replaced) or cannot be written."""
        # lazy, for start-up: workbench.tui.screens.save_dialogs (with textual) loads on first use
        from workbench.tui.screens.save_dialogs import TitleScreen

        async def write(path: str) -> str | None:
            target = Path(path).expanduser()
            try:
                session.write_to(target)
            except FileExistsError:
                free = session.suggested_file(target.parent)
                return (
                    f"{target} is there already and is not replaced: choose another name "
                    f"({free.name} is free)."
                )
            except OSError as exc:
                return (
                    f"Cannot write {target} ({exc.strerror or exc}). "
                    "Your text is still in the editor."
                )
            return None

        def written(path: str | None) -> None:
            if path:
                self.notify(f"Your text is in {Path(path).expanduser()} (and still in the editor).")

        offered = str(session.suggested_file(Path.home()))
        asked = TitleScreen("Write the text to the file:", offered, write, id="write-file")
        self.app.push_screen(asked, written)

    # -- new pages and titles -----------------------------------------------------------------
    def new_child_page(self) -> None:
        """A new page under the page being shown."""
        ws = self.host.workspace
        if ws is None or ws.current is None:
            self.notify("Open the page that should be the parent first.", severity="warning")
            return
        parent = ws.current.page
        self.new_page_under(parent.space_id, parent.id, parent.title)

    def new_page_under(self, space_id: str, parent_id: str, parent_title: str) -> None:
        """Title prompt (a taken title is refused there), then the editor for a new page under
        ``parent_id`` (a page, or a folder)."""
        self._ask_title(
            f"Title of the new page under “{printable(parent_title)}”",
            "",
            lambda title: self._new_page(space_id, parent_id, title),
            space_id,
            id="new-page-title",
        )

    def _new_page(self, space_id: str, parent_id: str, title: str) -> None:
        ws = self.host.workspace
        if ws is None:
            return
        self.start_session(ws.edit_new(space_id, parent_id, title))
        self._show_editor()

    def rename(self) -> None:
        """Rename the page being edited (a new page: the title it will be created with), or the page
        shown. A page that exists is renamed by saving a version with the new title."""
        ws = self.host.workspace
        session = self.session
        if session is None or (
            ws is not None
            and ws.current is not None
            and session.new is None
            and session.page_id != ws.current.page.id
            and not session.dirty
        ):
            if ws is None or ws.current is None:
                self.notify("Open a page first, or start a new one with n.", severity="warning")
                return
            session = ws.edit(ws.current)
            self.start_session(session)

        def renamed(title: str) -> None:
            session.rename(title)
            self._update_editor_chrome()
            if session.new is not None:
                self.notify(f"The new page will be created as “{printable(title)}”.")
                return
            self._show_editor()
            self.save()  # a version with the new title (and whatever was edited)

        self._ask_title(
            "New title:",
            session.title,
            renamed,
            session.space_id,
            exclude=session.page_id,
            id="rename-title",
        )

    def _ask_title(
        self,
        question: str,
        value: str,
        then: Callable[[str], None],
        space_id: str,
        *,
        exclude: str | None = None,
        id: str = "title-prompt",
    ) -> None:
        """Ask for a title; one that another page of the space has is refused in the dialog (one
        request per title entered), so a taken title is caught when it is typed, not at saving."""
        # lazy, for start-up: workbench.services.edit_session … (with textual) loads on first use
        from workbench.services.edit_session import title_taken
        from workbench.tui.screens.save_dialogs import TitleScreen

        async def check(title: str) -> str | None:
            ws = await self.host.ready_workspace()
            try:
                other = await title_taken(ws.client, space_id, title, exclude=exclude)
            except WorkbenchError as exc:
                self.notify(
                    f"Could not check the title ({printable(exc.message)}); it is checked again on "
                    "saving.",
                    severity="warning",
                )
                return None
            if other is None:
                return None
            return (
                f"“{printable(title)}” is taken in this space (page {other.id}): choose another "
                f"title."
            )

        def titled(title: str | None) -> None:
            if title:
                then(title)

        self.app.push_screen(TitleScreen(question, value, check, id=id), titled)


def _spare_drafts_dir() -> str:
    """A folder to offer when the data dir cannot hold drafts: the system's temporary folder."""
    return os.path.join(
        tempfile.gettempdir(), f"workbench-drafts-{os.getuid() if hasattr(os, 'getuid') else 'me'}"
    )
