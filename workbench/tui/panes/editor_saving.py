"""Saving from the editor pane: ctrl+s and the version-message prompt, the look at the page before
saving a long edit, what came of a save, clean and conflicted merges, and noticing other writers
when the window gets the focus back.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work

from workbench.errors import WorkbenchError
from workbench.textsafe import printable
from workbench.tui.messages import PageSaved
from workbench.tui.page_text import conflicts_phrase as _conflicts
from workbench.tui.panes.editor_base import EditorBase
from workbench.tui.widgets.document import DocumentView

if TYPE_CHECKING:
    from workbench.services import save_outcome as so
    from workbench.services.edit_session import EditSession, Remote
    from workbench.tui.screens.save_dialogs import SaveScreen


RECHECK_EVERY = 10.0  # seconds: focus events closer together than this do not ask the server again


class SavingMixin(EditorBase):
    """Saving the edit (mixed into :class:`~workbench.tui.panes.editor.EditorPane`)."""

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
            self.part("#theirs", DocumentView).show(conflict.theirs.markdown)
            self._show_editor()
            them = "them" if conflict.merge.conflicts != 1 else "it"
            self.notify(
                f"{_conflicts(conflict.merge.conflicts)}: resolve {them}, then ctrl+s.",
                severity="warning",
            )
            return
        # lazy, for start-up: workbench.services.diffing … (with textual) loads on first use
        from workbench.services.diffing import unified
        from workbench.tui.screens.modals import MergeApprovalScreen

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
            MergeApprovalScreen(question, lines, id="merge-approval"),
            decided,
        )
