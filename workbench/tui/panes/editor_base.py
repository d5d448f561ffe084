"""The editor pane's state and shared helpers: the session it edits, the editor widget, loading
text into it, showing it, and its chrome (the tab's dirty mark, the banner, "theirs" beside a
conflicted merge). The parts of :class:`~workbench.tui.panes.editor.EditorPane` mix into it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static, TabbedContent, TextArea
from textual.worker import Worker, WorkerState

from workbench.textsafe import printable
from workbench.tui import safe
from workbench.tui.page_text import conflicts_phrase as _conflicts
from workbench.tui.panes.base import Host, host
from workbench.tui.panes.deferred import DeferredPane
from workbench.tui.shown import hidden
from workbench.tui.widgets.document import DocumentView
from workbench.tui.widgets.editor import MdEditor
from workbench.tui.widgets.find_bar import FindBar

if TYPE_CHECKING:
    from textual.timer import Timer

    from workbench.services import save_outcome as so
    from workbench.services.drafts import DraftsUnwritable
    from workbench.services.edit_session import EditSession


class EditorBase(DeferredPane):
    """``#tab-editor``: the Markdown editor of one :class:`EditSession`, with its banner and, in a
    conflicted merge, "theirs" beside it. The state and the shared helpers of the editor pane; the
    drafts, saving, page-gone and title halves are mixed in by :class:`EditorPane`."""

    # ctrl+s saves from anywhere in the pane (the find bar too), as it does in the text
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "screen.save", "Save", show=False)]

    def __init__(self, title: str = "Editor", *, id: str = "tab-editor") -> None:
        super().__init__(title, id=id)
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

    def content(self) -> ComposeResult:  # composed when first needed (panes/deferred.py)
        yield hidden(Static("", id="editor-banner"))
        yield self.nest(
            Horizontal(id="editor-row"),
            MdEditor(id="editor", dark=self.app.current_theme.dark),
            hidden(DocumentView(id="theirs")),
            hidden(DocumentView(id="preview")),  # editor_preview.py
        )
        yield FindBar(
            "enter/↓ next · ↑ prev · replace: enter one, ctrl+r all", replace=True, id="editor-find"
        )

    @property
    def editor(self) -> MdEditor:
        return self.part("#editor", MdEditor)

    @property
    def saving(self) -> bool:
        """A save is on its way."""
        return self._saving

    @dataclass
    class Saved(Message, namespace="editor_pane"):
        """A save (or a creation) went through: the page shows the new version."""

        outcome: so.Saved

    def has_unsaved(self) -> bool:
        return self.session is not None and self.session.dirty

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
        banner = self.part("#editor-banner", Static)
        theirs = self.part("#theirs", DocumentView)
        conflict = session.conflict if session is not None else None
        if conflict is not None and not conflict.merge.clean:
            banner.update(
                f"⚠ {_conflicts(conflict.merge.conflicts)} with v{conflict.theirs.base_version}: "
                "keep what you want "
                "between <<<<<<< mine / ======= / >>>>>>> theirs, delete the markers, then ctrl+s. "
                "Theirs is on the "
                "right."
            )
            banner.display = theirs.display = True
        elif session is not None and session.new is not None:
            banner.update(
                safe.join(
                    "New page “",
                    session.title,
                    "” — ctrl+s creates it, F2 renames it, escape goes back (the draft is kept).",
                )
            )
            banner.display, theirs.display = True, False
        else:
            banner.display = theirs.display = False
        self.host.update_room()

    def needs_room(self) -> bool:
        """Something is shown beside the text (their version in a merge, the preview)."""
        return any(view.display for view in self.query("#theirs, #preview"))

    if TYPE_CHECKING:
        # provided by the mixins that make up :class:`~workbench.tui.panes.editor.EditorPane`
        def flush_draft(self) -> None: ...

        def _drafts_unwritable(self, problem: DraftsUnwritable) -> None: ...

        def save(self) -> None: ...

        def show_outcome(
            self, session: EditSession, outcome: so.SaveOutcome, *, sent: str | None = None
        ) -> None: ...

        def handle_conflict(self, outcome: so.NeedsMerge) -> None: ...

        def _page_gone(self, session: EditSession, outcome: so.Gone) -> None: ...

        def rename(self) -> None: ...
