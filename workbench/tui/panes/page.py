"""The page pane: the header and the viewer of the page being shown, its extras (breadcrumb,
labels, comments), its links, and the labels and comment dialogs.

The pane is the one writer of "the page being shown" (``Workspace.current``): every change goes
through :meth:`PagePane.set_current`, which posts :class:`~workbench.tui.messages.PageShown`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Static, TabPane
from textual.worker import Worker, WorkerState

from workbench.confluence.errors import NetworkError, ServerError
from workbench.errors import WorkbenchError
from workbench.tui.messages import PageShown
from workbench.tui.panes.base import Host, host
from workbench.tui.widgets.document import DocumentView
from workbench.tui.widgets.find_bar import FindBar

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from workbench.confluence.models import Page
    from workbench.index.offline import OfflinePage
    from workbench.services.pages import OpenedPage
    from workbench.services.workspace import CommentView, PageExtras, Workspace
    from workbench.tui.page_pictures import PagePictures


class PagePane(TabPane):
    """``#tab-page``: the page as read, with its header and comments."""

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

    # -- opening ------------------------------------------------------------------------------
    def open(
        self,
        page_id: str,
        trail: list[str] | None = None,
        *,
        kind: str = "page",
        focus: bool = True,
    ) -> None:
        """Open a page (or a blog post: ``kind="blogpost"``) in the viewer. ``focus``: the viewer
        takes the focus once the page is in (reading focus: ``j``/``k`` scroll it, ``escape`` goes
        back to the tree); a reload keeps the focus where it is."""
        self.trail = trail or []
        self.host.show_tab("tab-page")
        viewer = self.viewer
        current = self.current
        if current is None or current.page.id != page_id:
            self.close_find()  # another page: the old query's highlights go
        if focus or self.screen.focused is viewer:
            self._focus_when_loaded = True
        viewer.loading = True
        self._load_page(page_id, kind)

    def reopen(self) -> None:
        """Open the page being shown again (its newest version)."""
        current = self.current
        if current is not None:
            self.open(current.page.id, self.trail, kind=current.page.type, focus=False)

    # -- find in the page ---------------------------------------------------------------------
    @property
    def find_bar(self) -> FindBar:
        return self.query_one("#page-find", FindBar)

    def open_find(self) -> None:
        """``ctrl+f`` / ``/``: the find bar, with the last query selected."""
        self.find_bar.open(self.viewer.find_query)

    def close_find(self) -> None:
        self.find_bar.close()
        self.viewer.clear_find()

    @on(DocumentView.FindRequested)
    def _find_requested(self) -> None:
        self.open_find()

    @on(FindBar.Changed, "#page-find")
    def _find_changed(self, event: FindBar.Changed) -> None:
        self.viewer.find(event.query)

    @on(FindBar.Submitted, "#page-find")
    def _find_submitted(self, event: FindBar.Submitted) -> None:
        viewer = self.viewer
        if event.query != viewer.find_query:
            viewer.find(event.query)
        if not event.query:
            self.close_find()
        viewer.focus()

    @on(FindBar.Step, "#page-find")
    def _find_step(self, event: FindBar.Step) -> None:
        self.viewer.action_next_match(event.step)

    @on(FindBar.Closed, "#page-find")
    def _find_closed(self) -> None:
        self.viewer.clear_find()
        self.viewer.focus()

    @on(DocumentView.FindMoved, "#viewer")
    def _find_moved(self, event: DocumentView.FindMoved) -> None:
        # lazy, for start-up: workbench.tui.find loads with the viewer already
        from workbench.tui.find import count_text

        if not event.query:
            self.find_bar.close()
            return
        self.find_bar.show_count(count_text(event.view.matches, event.current, event.query))

    @work(exclusive=True, group="page", exit_on_error=False)
    async def _load_page(self, page_id: str, kind: str = "page") -> None:
        viewer = self.viewer
        try:
            ws = await self.host.ready_workspace()
            # one request for the page; its header's requests go out while it converts
            opened, header = await ws.open_with_header(page_id, kind=kind)
        except (NetworkError, ServerError) as exc:  # the site is away: the index's copy, if any
            # lazy, for start-up: workbench.tui.panes.page_offline loads on first use
            from workbench.tui.panes.page_offline import show_offline

            if not await show_offline(self, page_id, exc):
                raise
            return
        finally:
            viewer.loading = False
            if self._focus_when_loaded:
                self._focus_when_loaded = False
                self.call_after_refresh(viewer.focus)
        try:
            self.extras = None
            self.offline = None
            self.set_current(opened)
            self.host.status.state = "online"
            self.show_page(opened)
            await self._show_extras(ws, opened, header)
        finally:
            header.cancel()  # another page was opened meanwhile: its header is not wanted

    def set_current(self, opened: OpenedPage, *, loaded: bool = True) -> None:
        """Make ``opened`` the page being shown, and say so (the one place that announces it).
        ``loaded``: just read from the server (not the answer to a save)."""
        ws = self.host.workspace
        if ws is None:
            return
        ws.current = opened
        self.post_message(PageShown(opened, loaded=loaded))

    async def _show_extras(
        self, ws: Workspace, opened: OpenedPage, header: Awaitable[PageExtras]
    ) -> None:
        try:
            extras = await header
        except WorkbenchError as exc:
            self.notify(f"Could not load comments and labels: {exc.message}", severity="warning")
            return
        self.post_message(self.ExtrasLoaded(extras))
        if ws.current is opened:
            self.extras = extras
            named = ws.with_names(
                opened
            )  # mentions by name, now that extras learned them (no request)
            if named is not opened:
                ws.current = named  # the same page and version, with names: nothing new to announce
            self.show_header(named)
            viewer = self.viewer
            if named is not opened or ("⟦@" in opened.markdown and ws.names != viewer.names):
                viewer.names = ws.names
                viewer.show(self.viewer_markdown(named), keep_scroll=True)
            self.show_comments(extras)

    # -- showing ------------------------------------------------------------------------------
    def show_page(self, opened: OpenedPage) -> None:
        self.show_header(opened)
        viewer = self.viewer
        if self.host.workspace is not None:
            viewer.names = self.host.workspace.names
        viewer.images = self.pictures.known(opened.page)
        viewer.show(self.viewer_markdown(opened))
        self.pictures.load(opened.page)

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

    def show_saved(self, saved: OpenedPage, *, created: bool) -> None:
        """After a save: the new version is the page shown (the extras are known without asking)."""
        # lazy, for start-up: workbench.tui.page_text loads on first use
        from workbench.tui.page_text import extras_after_save

        self.extras = extras_after_save(self.extras, saved, self.host.workspace, created=created)
        self.offline = None  # saved: the site's own version now
        if created:
            self.trail = [*self.trail, saved.page.title] if self.trail else []
        self.set_current(saved, loaded=False)
        self.show_page(saved)
        if self.extras is not None and self.extras.comments:
            self.show_comments(self.extras)

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

    # -- labels and comments ------------------------------------------------------------------
    def ask_labels(self) -> None:
        current = self.current
        if current is None:
            return
        # lazy, for start-up: workbench.tui.screens.modals (with textual …) loads on first use
        from workbench.tui.screens.modals import PromptScreen

        page_id, kind = current.page.id, current.page.type
        labels = ", ".join(self.extras.labels) if self.extras else ""

        def answered(value: str | None) -> None:
            if value is not None:
                self.save_labels(page_id, value, kind)

        self.app.push_screen(
            PromptScreen(
                "Labels (comma separated)", labels, "e.g. runbook, team-a", id="labels-prompt"
            ),
            answered,
        )

    @work(exclusive=True, group="labels", exit_on_error=False)
    async def save_labels(self, page_id: str, value: str, kind: str = "page") -> None:
        ws = await self.host.ready_workspace()
        labels = await ws.set_labels(page_id, list(value.split(",")), kind=kind)
        if self.extras is not None:
            self.extras = replace(self.extras, labels=tuple(label.name for label in labels))
            self.post_message(self.ExtrasLoaded(self.extras))
        if ws.current is not None:
            self.show_header(ws.current)
        self.notify("Labels: " + (", ".join(label.name for label in labels) or "none"))

    def ask_comment(self) -> None:
        current = self.current
        if current is None:
            return
        # lazy, for start-up: workbench.tui.screens.modals (with textual …) loads on first use
        from workbench.tui.screens.modals import CommentScreen

        threads: list[tuple[str, str]] = []

        def walk(comments: tuple[CommentView, ...], depth: int) -> None:
            for c in comments:
                first = " ".join(c.markdown.split())[:50]
                threads.append((c.id, f"{'  ' * depth}Reply to {c.author}: {first}"))
                walk(c.replies, depth + 1)

        walk(self.extras.comments if self.extras else (), 0)
        page_id, kind = current.page.id, current.page.type
        unsent = (
            self._unsent_comment
            if self._unsent_comment and self._unsent_comment[0] == page_id
            else None
        )

        def answered(result: tuple[str, str | None] | None) -> None:
            if result is not None:
                self.send_comment(page_id, result[0], result[1], kind=kind)

        self.app.push_screen(CommentScreen(threads, text=unsent[1] if unsent else ""), answered)

    @work(exclusive=True, group="comment", exit_on_error=False)
    async def send_comment(
        self, page_id: str, markdown: str, parent_id: str | None, kind: str = "page"
    ) -> None:
        ws = await self.host.ready_workspace()
        try:
            await ws.add_comment(page_id, markdown, parent_id, kind=kind)
        except WorkbenchError as exc:
            self._unsent_comment = (page_id, markdown)
            self.host.mark_connection(exc)
            self.notify(
                f"{exc.message} The comment was not added; press m to try again (your text is "
                "kept).",
                severity="error",
            )
            return
        self._unsent_comment = None
        self.notify("Reply added." if parent_id else "Comment added.")
        if ws.current is not None and ws.current.page.id == page_id:
            self.open(page_id, self.trail, kind=kind)

    # -- links --------------------------------------------------------------------------------
    def links(self) -> list[tuple[str, str]]:
        return list(self.viewer.links)

    def page_url(self) -> str:
        """The web link of the page shown ('' and a word when the server gave none)."""
        current = self.current
        if current is None:
            return ""
        url = current.page.url
        if not url:
            self.notify("The server did not give this page a web link.", severity="warning")
        return url

    def ask_link(self) -> None:
        links = self.links()
        if not links:
            self.notify("This page has no links.")
            return
        # lazy, for start-up: workbench.tui.screens.modals (with textual …) loads on first use
        from workbench.tui.screens.modals import LinksScreen

        def chosen(index: int | None) -> None:
            if index is not None:
                self.follow_link(index)

        self.app.push_screen(LinksScreen(links), chosen)

    def follow_link(self, index: int) -> None:
        links = self.links()
        if not 0 <= index < len(links):
            return
        href = links[index][1]
        if href.startswith("page:"):
            self._follow_page_link(href)
        elif href.startswith("pageid:"):  # a child page (children macro), a recent page
            self.host.open_page(href[7:])
        elif href.startswith("blogid:"):  # a recent or bookmarked blog post (the home view)
            self.host.open_page(href[7:], kind="blogpost")
        elif href.startswith("#"):  # a heading of this page (the table of contents)
            self.viewer.scroll_to_heading(href[1:])
        elif href.startswith(("http://", "https://", "mailto:")):
            self.host.open_in_browser(href)
        else:
            self.notify(f"Cannot open '{href}' here.", severity="warning")

    @work(exclusive=True, group="page", exit_on_error=False)
    async def open_reference(self, text: str) -> None:
        """Open what was pasted or typed: an id, a page or space URL, a tiny link, a title."""
        ws = await self.host.ready_workspace()
        try:
            found = await ws.resolve(text, titles=True)
        except WorkbenchError as exc:
            self.host.mark_connection(exc)
            self.notify(exc.message, severity="warning", timeout=8)
            return
        self.host.open_page(found.page_id, kind=found.kind or "page")

    @work(exclusive=True, group="page", exit_on_error=False)
    async def _follow_page_link(self, href: str) -> None:
        ws = await self.host.ready_workspace()
        page_id = await ws.resolve_link(href, ws.current.page.space_id if ws.current else None)
        if page_id is None:
            self.notify(f"No page found for {href}.", severity="warning")
            return
        self.host.open_page(page_id)


def _md_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "[]\\*_`<" else ch for ch in text)
