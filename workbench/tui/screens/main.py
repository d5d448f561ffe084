"""The main screen: tree, CQL bar, page/editor/results/history tabs, agent slot, status bar.

The screen is the controller: widgets post intents, the screen runs services in workers and
pushes results down. Editing lives in ``main_edit.py`` and search/history/labels/comments in
``main_panels.py`` (mixins, to keep files small). Errors from workers are handled in one place.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.lazy import Lazy
from textual.widgets import Footer, Input, OptionList, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState

from workbench.errors import WorkbenchError
from workbench.services.cache import TreeCache
from workbench.tui.messages import PageSaved, RateLimitWait
from workbench.tui.screens.main_edit import EditingMixin
from workbench.tui.screens.main_panels import PanelsMixin
from workbench.tui.screens.main_tree import TreeMixin, _cache_dir
from workbench.tui.widgets.cql_bar import CqlBar
from workbench.tui.widgets.document import DocumentView
from workbench.tui.widgets.editor import MdEditor
from workbench.tui.widgets.site_tree import SiteTree
from workbench.tui.widgets.status import StatusBar

if TYPE_CHECKING:
    from workbench.services.pages import OpenedPage
    from workbench.services.workspace import PageExtras, SiteSpec, Workspace

NEEDS_PAGE = {"edit", "history", "new_page", "copy_link", "labels", "comment", "links", "rename"}


class MainScreen(EditingMixin, PanelsMixin, TreeMixin):
    """Browse, search, read and edit one site."""

    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="app.search", tooltip="Search with CQL or plain words"),
        Binding("e", "edit", "Edit", id="page.edit", tooltip="Edit the page as Markdown"),
        Binding("h", "history", "History", id="page.history", tooltip="Versions and diffs"),
        Binding("n", "new_page", "New", id="page.new", tooltip="New child page"),
        Binding("f2", "rename", "Rename", show=False, id="page.rename",
                tooltip="Rename the page (a new page: before it is created)"),
        Binding("m", "comment", "Comment", id="page.comment", tooltip="Add a comment or a reply"),
        Binding("l", "labels", "Labels", id="page.labels", tooltip="Edit the page's labels"),
        Binding("o", "open_browser", "Browser", show=False, id="page.browser", tooltip="Open in the web browser"),
        Binding("c", "copy_link", "Copy link", show=False, id="page.copy_link", tooltip="Copy the page link"),
        Binding("r", "refresh", "Refresh", show=False, id="page.refresh", tooltip="Reload the page and the tree"),
        Binding("g", "links", "Links", show=False, id="page.links", tooltip="Follow a link of the page"),
        Binding("ctrl+a", "toggle_agent", "Agent", id="app.agent", tooltip="Show or hide the agent panel",
                priority=True),
        Binding("escape", "back", "Back", show=False, id="app.back", tooltip="Back to the page, then the tree"),
        Binding("ctrl+b", "toggle_tree", "Tree", show=False, id="app.tree", priority=True,
                tooltip="Hide or show the tree (more room for the page, the editor and a merge)"),
    ]

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    def __init__(self, site: SiteSpec) -> None:
        super().__init__()
        self.site = site
        self.workspace: Workspace | None = None
        self.tree_cache = TreeCache(_cache_dir(), site.key)  # read once; the workspace keeps using it
        self._connected = asyncio.Event()
        self._connect_error: BaseException | None = None
        self.extras: PageExtras | None = None
        self._trail: list[str] = []
        self._focus_viewer_when_loaded = False
        self.init_editing()
        self.init_panels()

    # -- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(id="top"):
            yield CqlBar(self.completion_words, self.load_search_history(), known=self.known_values, id="cql")
            yield Static("", id="cql-error", classes="hidden")
            yield Static("", id="cql-hint", classes="hidden")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield Input(placeholder="filter the tree…", id="tree-filter", classes="hidden")
                yield Static(Text("No loaded page matches. Expand more of the tree, or ctrl+p finds any "
                                  "page by title.", style="italic"), id="tree-filter-none", classes="hint hidden")
                yield SiteTree(self.site.name, id="tree")
            with TabbedContent(id="tabs", initial="tab-page"):
                with TabPane("Page", id="tab-page"):
                    yield Static(Text("Select a page in the tree and press enter.", style="dim"), id="page-header")
                    yield DocumentView(id="viewer")
                with TabPane("Editor", id="tab-editor"):
                    yield Static("", id="editor-banner", classes="hidden")
                    yield Lazy(Horizontal(MdEditor(id="editor", dark=self.app.current_theme.dark),
                                          DocumentView(id="theirs", classes="hidden"), id="editor-row"))
                with TabPane("Results", id="tab-results"):
                    yield Static("", id="results-summary")
                    yield OptionList(id="results")
                with TabPane("History", id="tab-history"):
                    yield Lazy(Horizontal(OptionList(id="versions"),
                                          Vertical(Static("", id="diff"), id="diff-pane")))
            yield Container(id="agent-slot", classes="hidden")
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        status = self.query_one(StatusBar)
        status.site = self.site.name
        status.state = "connecting"
        tree = self.query_one(SiteTree)
        cached = self.tree_cache.spaces()
        if cached:
            tree.set_spaces(cached)
        tree.focus()
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.call_after_refresh(self.connect)  # the first frame first, then the network

    def _theme_changed(self, theme) -> None:
        self.query_one("#editor", MdEditor).theme = "monokai" if theme.dark else "github_light"
        for view in self.query(DocumentView):
            if view.markdown:
                view.restyle()

    # -- connecting and the tree --------------------------------------------------------------
    @work(thread=True, exclusive=True, group="connect", exit_on_error=False)
    def connect(self) -> None:
        from workbench.services.workspace import Workspace

        try:
            client = self.site.connect()
            client.on_wait = self._on_wait
            workspace = Workspace.create(client, self.site.key, self.site.name, cache=self.tree_cache)
        except BaseException as exc:
            self.app.call_from_thread(self._connect_failed, exc)
            raise
        self.app.call_from_thread(self._connect_done, workspace)

    def _on_wait(self, seconds: float, reason: str) -> None:
        self.post_message(RateLimitWait(seconds, reason))

    def _connect_done(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._connected.set()
        self.load_spaces()

    def _connect_failed(self, exc: BaseException) -> None:
        self._connect_error = exc
        self._connected.set()
        self.query_one(StatusBar).state = "offline"

    async def ready_workspace(self) -> Workspace:
        """The connected workspace (waits for the connection; raises its error)."""
        await self._connected.wait()
        if self.workspace is None:
            raise self._connect_error or WorkbenchError("Not connected.")
        return self.workspace

    # -- opening and showing pages ------------------------------------------------------------
    @on(SiteTree.PageChosen)
    def _page_chosen(self, event: SiteTree.PageChosen) -> None:
        self.open_page(event.page_id, event.trail, kind=event.kind)

    def open_page(self, page_id: str, trail: list[str] | None = None, *, kind: str = "page") -> None:
        """Open a page (or a blog post: ``kind="blogpost"``) in the viewer."""
        self._trail = trail or []
        self.query_one("#tabs", TabbedContent).active = "tab-page"
        viewer = self.query_one("#viewer", DocumentView)
        if self.focused is viewer:  # following a link: the viewer keeps the focus once the page is in
            self._focus_viewer_when_loaded = True
        viewer.loading = True
        self._load_page(page_id, kind)

    @work(exclusive=True, group="page", exit_on_error=False)
    async def _load_page(self, page_id: str, kind: str = "page") -> None:
        viewer = self.query_one("#viewer", DocumentView)
        try:
            ws = await self.ready_workspace()
            opened = await ws.open(page_id, kind=kind)
        finally:
            viewer.loading = False
            if self._focus_viewer_when_loaded:
                self._focus_viewer_when_loaded = False
                self.call_after_refresh(viewer.focus)
        ws.current = opened
        self.extras = None
        self.query_one(StatusBar).state = "online"
        self.show_page(opened)
        self.query_one(SiteTree).reveal(opened.page.id, opened.page.type)  # the tree follows, where shown
        self.refresh_bindings()
        self.check_drafts(opened)
        await self._show_extras(ws, opened)

    async def _show_extras(self, ws: Workspace, opened: OpenedPage) -> None:
        try:
            extras = await ws.extras(opened)
        except WorkbenchError as exc:
            self.notify(f"Could not load comments and labels: {exc.message}", severity="warning")
            return
        self._labels_seen.update(extras.labels)
        if ws.current is opened:
            self.extras = extras
            named = ws.with_names(opened)  # mentions by name, now that extras learned them (no request)
            ws.current = named
            self.show_header(named)
            viewer = self.query_one("#viewer", DocumentView)
            if named is not opened or ("⟦@" in opened.markdown and ws.names != viewer.names):
                viewer.names = ws.names
                viewer.show(self.viewer_markdown(named), keep_scroll=True)
            self.show_comments(self.extras)

    def show_page(self, opened: OpenedPage) -> None:
        self.show_header(opened)
        viewer = self.query_one("#viewer", DocumentView)
        if self.workspace is not None:
            viewer.names = self.workspace.names
        viewer.show(self.viewer_markdown(opened))

    def show_header(self, opened: OpenedPage) -> None:
        from workbench.tui.page_text import header_text

        self.query_one("#page-header", Static).update(header_text(opened, self.extras, self._trail))

    def show_comments(self, extras: PageExtras) -> None:
        from workbench.tui.page_text import comments_markdown

        if extras.comments:
            self.query_one("#viewer", DocumentView).append(comments_markdown(extras))

    def viewer_links(self) -> list[tuple[str, str]]:
        return list(self.query_one("#viewer", DocumentView).links)

    # -- actions ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in NEEDS_PAGE and (self.workspace is None or self.workspace.current is None):
            return None
        return True

    def action_open_selected(self) -> None:
        tree = self.query_one(SiteTree)
        tree.focus()
        tree.action_choose()

    def focus_viewer(self) -> None:
        """Focus the page viewer once a tab switch is laid out and the page is in (a hidden or
        loading widget takes no focus, and focus would be lost)."""
        viewer = self.query_one("#viewer", DocumentView)
        if viewer.loading:
            self._focus_viewer_when_loaded = True
        else:
            self.call_after_refresh(viewer.focus)

    def action_focus_search(self) -> None:
        self.query_one(CqlBar).focus()

    def action_back(self) -> None:
        tabs = self.query_one("#tabs", TabbedContent)
        if tabs.active != "tab-page":
            tabs.active = "tab-page"
            self.focus_viewer()
        else:
            self.focus_tree()

    def action_refresh(self) -> None:
        ws = self.workspace
        if ws is not None and ws.current is not None:
            self.open_page(ws.current.page.id, self._trail, kind=ws.current.page.type)
        self.load_spaces()
        for key in self.query_one(SiteTree).expanded_keys():
            self.load_children(key)

    def action_toggle_agent(self) -> None:
        slot = self.query_one("#agent-slot", Container)
        if not slot.children:
            try:
                from workbench.tui.agent.panel import AgentPanel
            except ImportError:
                self.notify("The agent panel is not available in this build.", severity="warning")
                return
            slot.mount(AgentPanel())
        slot.toggle_class("hidden")
        if not slot.has_class("hidden"):
            slot.children[0].focus()

    # -- central error handling ---------------------------------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        self.report_error(error)

    def mark_connection(self, error: BaseException | None) -> None:
        """Show 'offline' in the status bar when the server could not be reached."""
        from workbench.confluence.errors import NetworkError

        if isinstance(error, NetworkError):
            self.query_one(StatusBar).state = "offline"

    def report_error(self, error: BaseException | None) -> None:
        self.mark_connection(error)
        if isinstance(error, WorkbenchError):
            self.notify(error.message, title="Confluence", severity="error", timeout=8)
        elif error is not None:
            self.notify(f"Unexpected error: {type(error).__name__}: {error}", severity="error", timeout=10)

    @on(RateLimitWait)
    def _rate_limited(self, event: RateLimitWait) -> None:
        self.query_one(StatusBar).rate_limited(event.seconds, event.reason)

    @on(PageSaved)
    def _page_saved(self, event: PageSaved) -> None:
        ws = self.workspace
        if ws is not None and ws.current is not None and ws.current.page.id == event.page_id:
            if ws.current.base_version < event.version:
                self.open_page(event.page_id, self._trail, kind=ws.current.page.type)

    async def close(self) -> None:
        self.flush_draft()
        if self.workspace is not None:
            try:
                await self.workspace.close()
            except Exception:  # noqa: BLE001 - closing on the way out must not fail the exit
                pass
        if self.site.on_close is not None:
            self.site.on_close()

