"""A page that is gone when the editor pane saves (trashed or deleted): restore it and save on
top, save on top, save as a new page, or write the text to a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from workbench.tui.panes.editor_base import EditorBase
from workbench.tui.safe import text

if TYPE_CHECKING:
    from workbench.services import save_outcome as so
    from workbench.services.edit_session import EditSession


class PageGoneMixin(EditorBase):
    """The remedies for a page that is gone (mixed into :class:`~workbench.tui.panes.editor.EditorPane`)."""

    def _page_gone(self, session: EditSession, outcome: so.Gone) -> None:
        # lazy, for start-up: workbench.services.save_outcome … (with textual) loads on first use
        from workbench.services import save_outcome as so
        from workbench.tui.screens.save_dialogs import PageGoneScreen

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

        self.app.push_screen(
            PageGoneScreen(text(outcome.message), outcome.remedies, id="page-gone"), chosen
        )

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
