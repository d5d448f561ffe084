"""The editor pane: the editor widget bound to one headless editing session.

Everything about *what* happens — the pinned base, drafts (keys, when they are due, discarding),
saving, verification, conflicts, merges, inline comments, trashed pages, taken titles — is
:class:`workbench.services.edit_session.EditSession`, which the agent and ``workbench push`` use
too. This pane only moves text between the editor and the session, runs the session's calls in
workers, and shows their outcomes (dialogs live in ``screens/save_dialogs.py`` and ``modals.py``).
After a save it posts :class:`EditorPane.Saved`; the screen has the page pane show the new version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.tui.panes.editor_base import EditorBase
from workbench.tui.panes.editor_drafts import DraftsMixin
from workbench.tui.panes.editor_external import ExternalEditorMixin
from workbench.tui.panes.editor_find import FindMixin
from workbench.tui.panes.editor_gone import PageGoneMixin
from workbench.tui.panes.editor_preview import PreviewMixin
from workbench.tui.panes.editor_saving import SavingMixin
from workbench.tui.panes.editor_titles import TitlesMixin

if TYPE_CHECKING:
    from workbench.confluence.models import Page


class EditorPane(
    FindMixin,
    PreviewMixin,
    ExternalEditorMixin,
    TitlesMixin,
    PageGoneMixin,
    SavingMixin,
    DraftsMixin,
    EditorBase,
):
    """``#tab-editor``: the Markdown editor of one :class:`EditSession`, with its banner and, in a
    conflicted merge, "theirs" beside it.

    Made of: :mod:`.editor_base` (state, the widget, the chrome), :mod:`.editor_drafts`,
    :mod:`.editor_saving` (saves, outcomes, merges, other writers), :mod:`.editor_gone` (a page
    trashed or deleted meanwhile), :mod:`.editor_titles` (new pages, renaming), :mod:`.editor_find`
    (find and replace), :mod:`.editor_preview` (the rendered page beside the text) and
    :mod:`.editor_external` ($EDITOR)."""

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

    def attachments_page(self) -> Page | None:
        """The page whose attachments ``f4`` offers to insert (a new page has none yet: said)."""
        session = self.session
        if session is None:
            return None
        if session.new is not None or session.opened is None:
            self.notify("A new page has no attachments until it is created.")
            return None
        return session.opened.page
