"""New pages and titles in the editor pane: a new page under the page shown (or a folder), renaming,
and the title prompt that refuses a title another page of the space has.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError
from workbench.textsafe import printable
from workbench.tui.panes.editor_base import EditorBase

if TYPE_CHECKING:
    pass


class TitlesMixin(EditorBase):
    """New pages and renaming (mixed into :class:`~workbench.tui.panes.editor.EditorPane`)."""

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

    def _new_page(
        self, space_id: str, parent_id: str | None, title: str, kind: str = "page"
    ) -> None:
        ws = self.host.workspace
        if ws is None:
            return
        self.start_session(ws.edit_new(space_id, parent_id, title, kind=kind))
        self._show_editor()

    def new_blog_post(self, space_id: str, space_title: str) -> None:
        """``n`` on a space's Blog node: title prompt (a title another blog post of the space has
        is refused there), then the editor for a new blog post (no parent: the space's blog)."""
        self._ask_title(
            f"Title of the new blog post in “{printable(space_title)}”",
            "",
            lambda title: self._new_page(space_id, None, title, "blogpost"),
            space_id,
            id="new-page-title",
            kind="blogpost",
        )

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
        kind: str = "page",
    ) -> None:
        """Ask for a title; one that another page of the space has is refused in the dialog (one
        request per title entered), so a taken title is caught when it is typed, not at saving."""
        # lazy, for start-up: workbench.services.edit_session … (with textual) loads on first use
        from workbench.services.edit_session import title_taken
        from workbench.tui.screens.save_dialogs import TitleScreen

        async def check(title: str) -> str | None:
            ws = await self.host.ready_workspace()
            try:
                other = await title_taken(ws.client, space_id, title, kind=kind, exclude=exclude)
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
                f"“{printable(title)}” is taken in this space ({'blog post' if kind == 'blogpost' else 'page'} "
                f"{other.id}): choose another title."
            )

        def titled(title: str | None) -> None:
            if title:
                then(title)

        self.app.push_screen(TitleScreen(question, value, check, id=id), titled)
