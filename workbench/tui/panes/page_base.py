"""The page pane's base: its widgets (header, viewer, find bar), its state (the extras of the page
shown, the tree's trail), and how the page, its header and its comments are drawn.

The pane is the one writer of "the page being shown" (``Workspace.current``): every change goes
through :meth:`PageBase.set_current`, which posts :class:`~workbench.tui.messages.PageShown`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Static, TabPane
from textual.worker import Worker, WorkerState

from workbench.tui.messages import PageShown
from workbench.tui.panes.base import Host, host
from workbench.tui.widgets.document import DocumentView
from workbench.tui.widgets.find_bar import FindBar

if TYPE_CHECKING:
    from workbench.confluence.models import Page
    from workbench.index.offline import OfflinePage
    from workbench.services.pages import OpenedPage
    from workbench.services.workspace import PageExtras
    from workbench.tui.page_pictures import PagePictures


class PageBase(TabPane):
    """``#tab-page``: the page as read, with its header and comments (see :class:`PagePane`)."""

    @dataclass
    class ExtrasLoaded(Message):
        """The page's labels (and comments) are known: the search bar may offer the labels."""

        extras: PageExtras

    def __init__(self, title: str = "Page", *, id: str = "tab-page") -> None:
        super().__init__(title, id=id)
        self.extras: PageExtras | None = None
        self.trail: list[str] = []
        self._focus_when_loaded = False
        self._unsent_comment: tuple[str, str] | None = None
        self._pictures: PagePictures | None = None
        self.offline: OfflinePage | None = None  # the page shown is the local index's copy

    @property
    def host(self) -> Host:
        return host(self)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.host.report_error(event.worker.error)

    def compose(self) -> ComposeResult:
        yield Static(
            Text("Select a page in the tree and press enter.", style="dim"), id="page-header"
        )
        yield DocumentView(id="viewer")
        yield FindBar("n/N next/prev · esc close", id="page-find")

    @property
    def viewer(self) -> DocumentView:
        return self.query_one("#viewer", DocumentView)

    @property
    def current(self) -> OpenedPage | None:
        ws = self.host.workspace
        return ws.current if ws is not None else None

    def set_current(self, opened: OpenedPage, *, loaded: bool = True) -> None:
        """Make ``opened`` the page being shown, and say so (the one place that announces it).
        ``loaded``: just read from the server (not the answer to a save)."""
        ws = self.host.workspace
        if ws is None:
            return
        ws.current = opened
        self.post_message(PageShown(opened, loaded=loaded))

    # -- attachments --------------------------------------------------------------------------
    @property
    def pictures(self) -> PagePictures:
        if self._pictures is None:
            # lazy, for start-up: workbench.tui.page_pictures loads on first use
            from workbench.tui.page_pictures import PagePictures

            self._pictures = PagePictures(self)
        return self._pictures

    def show_attachments(
        self, page: Page | None = None, *, on_insert: Callable[[str], object] | None = None
    ) -> None:
        """A page's attachments (default: the open page's, ``A``); from the editor, ``on_insert``
        takes the Markdown of the one picked."""
        ws = self.host.workspace
        if page is None:
            current = self.current
            page = current.page if current is not None else None
        if ws is None or page is None:
            return
        # lazy, for start-up: workbench.tui.attachments loads on first use
        from workbench.tui.attachments import AttachmentsScreen

        self.app.push_screen(
            AttachmentsScreen(ws.client, page, on_insert=on_insert, names=ws.names)
        )

    def show_header(self, opened: OpenedPage) -> None:
        # lazy, for start-up: workbench.tui.page_text loads on first use
        from workbench.tui.page_text import header_text

        self.query_one("#page-header", Static).update(header_text(opened, self.extras, self.trail))

    def show_comments(self, extras: PageExtras) -> None:
        # lazy, for start-up: workbench.tui.page_text loads on first use
        from workbench.tui.page_text import comments_markdown

        if extras.comments:
            self.viewer.append(comments_markdown(extras))

    def viewer_markdown(self, opened: OpenedPage) -> str:
        """The page's Markdown for the viewer: emoticons as the emoji the page's storage names
        (:mod:`workbench.tui.emoticons`), and a ``⟦children⟧`` macro lists the child pages the tree
        (or its cache) knows, as links; the page itself and the editor keep both placeholders."""
        # lazy, for start-up: workbench.tui.emoticons loads on first use
        from workbench.tui.emoticons import with_emoji

        markdown = with_emoji(opened.markdown, opened.page.storage)
        if "⟦children⟧" not in markdown:
            return markdown
        rows = self.host.child_rows(opened.page.id)
        if not rows:
            return markdown
        listing = "\n".join(f"- [{_md_escape(title)}](pageid:{pid})" for pid, title in rows)
        return markdown.replace("⟦children⟧", f"\n{listing}\n", 1)

    def show_home(self, markdown: str) -> None:
        """The home view, while no page is open (nothing when there is nothing to list)."""
        if self.current is None and markdown:
            self.viewer.show(markdown)

    def focus_viewer(self) -> None:
        """Focus the viewer once a tab switch is laid out and the page is in (a hidden or loading
        widget takes no focus, and focus would be lost)."""
        if self.viewer.loading:
            self._focus_when_loaded = True
        else:
            self.call_after_refresh(self.viewer.focus)


def _md_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "[]\\*_`<" else ch for ch in text)
