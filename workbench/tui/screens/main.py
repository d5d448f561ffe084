"""The main screen: a mediator over its panes (``workbench/tui/panes/``).

Search bar on top; the tree on the left; the page, editor, results and history tabs in the centre;
the agent slot on the right; the status bar. Each pane owns its widgets, state, keys and workers;
the screen composes them, connects to the site, routes intents between panes, keeps the screen-wide
keys (they work wherever the focus is) and handles worker errors in one place.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container, Horizontal
from textual.theme import Theme
from textual.widgets import TabbedContent
from textual.worker import Worker, WorkerState

from workbench.confluence.errors import NetworkError
from workbench.errors import WorkbenchError
from workbench.services.cache import TreeCache
from workbench.tui.browser import open_in_browser
from workbench.tui.freshness import Freshness
from workbench.tui.keys import key
from workbench.tui.local_index import LocalIndex
from workbench.tui.messages import PageSaved, PageShown, RateLimitWait
from workbench.tui.navigation import Navigation
from workbench.tui.panes.editor import EditorPane
from workbench.tui.panes.history import HistoryPane
from workbench.tui.panes.page import PagePane
from workbench.tui.panes.results import ResultsPane
from workbench.tui.panes.search import SearchPane
from workbench.tui.panes.tree import TreePane
from workbench.tui.screens.styled_once import StyledOnceScreen
from workbench.tui.widgets.document import DocumentView
from workbench.tui.widgets.editor import MdEditor
from workbench.tui.widgets.footer import WorkbenchFooter
from workbench.tui.widgets.site_tree import SiteTree
from workbench.tui.widgets.status import StatusBar

if TYPE_CHECKING:
    from pathlib import Path

    from workbench.services.pages import OpenedPage
    from workbench.services.workspace import SiteSpec, Workspace

NEEDS_PAGE = {
    "edit",
    "history",
    "new_page",
    "copy_link",
    "labels",
    "comment",
    "links",
    "rename",
    "find",
    "attachments",
    "bookmark",
    "external_editor",
}


class MainScreen(StyledOnceScreen):
    """Browse, search, read and edit one site."""

    BINDINGS: ClassVar[list[BindingType]] = [
        key("slash", "focus_search", "Search", "app.search", "Search with CQL or plain words"),
        key("e", "edit", "Edit", "page.edit", "Edit the page as Markdown"),
        key("h", "history", "History", "page.history", "Versions and diffs"),
        key(
            "E",
            "external_editor",
            "Edit in $EDITOR",
            "page.edit_external",
            "Edit the page in $VISUAL/$EDITOR (vim, helix, …); ctrl+s saves it here",
            show=False,
        ),
        key("n", "new_page", "New", "page.new", "New child page"),
        key(
            "f2",
            "rename",
            "Rename",
            "page.rename",
            "Rename the page (a new page: before it is created)",
            show=False,
        ),
        key("m", "comment", "Comment", "page.comment", "Add a comment or a reply"),
        key("l", "labels", "Labels", "page.labels", "Edit the page's labels"),
        key("o", "open_browser", "Browser", "page.browser", "Open in the web browser", show=False),
        key("c", "copy_link", "Copy link", "page.copy_link", "Copy the page link", show=False),
        key("r", "refresh", "Refresh", "page.refresh", "Reload the page and the tree", show=False),
        key("g", "links", "Links", "page.links", "Follow a link of the page", show=False),
        key(
            "ctrl+f",
            "find",
            "Find",
            "page.find",
            "Find in the page: matches highlighted, n/N next/previous (/ in the viewer too)",
            show=False,
        ),
        key(
            "A",
            "attachments",
            "Attachments",
            "page.attachments",
            "The page's files: view an image, download, upload",
            show=False,
        ),
        key(
            "ctrl+a",
            "toggle_agent",
            "Agent",
            "app.agent",
            "Show or hide the agent panel",
            priority=True,
        ),
        key("escape", "back", "Back", "app.back", "Back to the page, then the tree", show=False),
        key(
            "alt+left,left_square_bracket",
            "go_back",
            "Previous page",
            "page.back",
            "Back to the page opened before this one (alt+← or [)",
            show=False,
        ),
        key(
            "alt+right,right_square_bracket",
            "go_forward",
            "Next page",
            "page.forward",
            "Forward again to the page you came back from (alt+→ or ])",
            show=False,
        ),
        key(
            "B",
            "bookmark",
            "Bookmark",
            "page.bookmark",
            "Bookmark the page, or remove its bookmark (kept per site; ctrl+p and the home view "
            "list them)",
            show=False,
        ),
        key(
            "ctrl+b",
            "toggle_tree",
            "Tree",
            "app.tree",
            "Hide or show the tree (more room for the page, the editor and a merge)",
            show=False,
            priority=True,
        ),
    ]

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    def __init__(self, site: SiteSpec) -> None:
        super().__init__()
        self.site = site
        self.workspace: Workspace | None = None
        self.tree_cache = TreeCache(
            _cache_dir(), site.key
        )  # read once; the workspace keeps using it
        self._connected = asyncio.Event()
        self._connect_error: BaseException | None = None
        self.navigation = Navigation(site.key)  # back/forward, recent pages, bookmarks
        self.local_index = LocalIndex(site)  # the site's index (workbench sync), if it has one
        self.freshness = Freshness(self, site, self.local_index)  # re-syncs of that index

    # -- layout and the panes -----------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield SearchPane(id="top")
        with Horizontal(id="body"):
            yield TreePane(self.site.name, id="left")
            with TabbedContent(id="tabs", initial="tab-page"):
                yield PagePane(id="tab-page")
                yield EditorPane(dark=self.app.current_theme.dark, id="tab-editor")
                yield ResultsPane(id="tab-results")
                yield HistoryPane(id="tab-history")
            yield Container(id="agent-slot", classes="hidden")
        yield StatusBar(id="status")
        yield WorkbenchFooter()

    @property
    def tree_pane(self) -> TreePane:
        return self.query_one("#left", TreePane)

    @property
    def search_pane(self) -> SearchPane:
        return self.query_one("#top", SearchPane)

    @property
    def page_pane(self) -> PagePane:
        return self.query_one("#tab-page", PagePane)

    @property
    def editor_pane(self) -> EditorPane:
        return self.query_one("#tab-editor", EditorPane)

    @property
    def results_pane(self) -> ResultsPane:
        return self.query_one("#tab-results", ResultsPane)

    @property
    def history_pane(self) -> HistoryPane:
        return self.query_one("#tab-history", HistoryPane)

    @property
    def status(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    @property
    def current(self) -> OpenedPage | None:
        """The page being shown."""
        return self.workspace.current if self.workspace is not None else None

    def on_mount(self) -> None:
        self.status.site = self.site.name
        self.status.state = "connecting"
        self.focus_tree()
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.call_after_refresh(self.connect)  # the first frame first, then the network
        self.call_after_refresh(self._show_home)
        self.freshness.start(_resync_minutes(self.app))

    def _theme_changed(self, theme: Theme) -> None:
        for editor in self.query(MdEditor):
            editor.theme = "monokai" if theme.dark else "github_light"
        for view in self.query(DocumentView):
            if view.markdown:
                view.restyle()

    # -- connecting ---------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="connect", exit_on_error=False)
    def connect(self) -> None:
        # lazy, for start-up: workbench.services.workspace loads on first use
        from workbench.services.workspace import Workspace

        try:
            client = self.site.connect()
            client.on_wait = self._on_wait
            workspace = Workspace.create(
                client, self.site.key, self.site.name, cache=self.tree_cache
            )
        except BaseException as exc:
            self.app.call_from_thread(self._connect_failed, exc)
            raise
        self.app.call_from_thread(self._connect_done, workspace)

    def _on_wait(self, seconds: float, reason: str) -> None:
        self.post_message(RateLimitWait(seconds, reason))

    def _connect_done(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._connected.set()
        self.tree_pane.load_spaces()

    def _connect_failed(self, exc: BaseException) -> None:
        self._connect_error = exc
        self._connected.set()
        self.status.state = "offline"

    async def ready_workspace(self) -> Workspace:
        """The connected workspace (waits for the connection; raises its error)."""
        await self._connected.wait()
        if self.workspace is None:
            raise self._connect_error or WorkbenchError("Not connected.")
        return self.workspace

    # -- routing between panes ----------------------------------------------------------------
    def open_page(
        self, page_id: str, trail: list[str] | None = None, *, kind: str = "page"
    ) -> None:
        """Open a page (or a blog post: ``kind="blogpost"``) in the viewer."""
        self.page_pane.open(page_id, trail, kind=kind)

    def open_reference(self, text: str) -> None:
        """Open what was pasted or typed in the palette (an id, any page URL, a title)."""
        self.page_pane.open_reference(text)

    @on(SiteTree.PageChosen)
    def _page_chosen(self, event: SiteTree.PageChosen) -> None:
        self.open_page(event.page_id, event.trail, kind=event.kind)

    def _show_home(self) -> None:
        """No page open yet: the bookmarks and the recent pages of the site, as links."""
        if self.current is None:
            self.page_pane.show_home(self.navigation.home_markdown())
            problem = self.navigation.places.problem
            if problem:
                self.notify(problem, severity="warning", timeout=10)

    @on(SiteTree.ResyncRequested)
    def _resync_space(self, event: SiteTree.ResyncRequested) -> None:
        spaces = self.workspace.spaces_by_id if self.workspace is not None else {}
        space = spaces.get(event.space_id) or next(
            (s for s in self.tree_cache.spaces() if s.id == event.space_id), None
        )
        if space is not None:
            self.freshness.sync([space.key])

    @on(PageShown)
    def _page_shown(self, event: PageShown) -> None:
        self.refresh_bindings()
        if event.loaded:
            problem = self.navigation.shown(event.page)
            if problem:
                self.notify(problem, severity="warning", timeout=10)
            self.query_one(SiteTree).reveal(event.page.page.id, event.page.page.type)  # where shown
            self.editor_pane.check_drafts(event.page)

    @on(PagePane.ExtrasLoaded)
    def _extras_loaded(self, event: PagePane.ExtrasLoaded) -> None:
        self.search_pane.labels_seen.update(event.extras.labels)
        self.search_pane.page_labels = event.extras.labels

    @on(EditorPane.Saved)
    def _saved(self, event: EditorPane.Saved) -> None:
        saved = event.outcome.opened
        self.page_pane.show_saved(saved, created=event.outcome.created)
        if event.outcome.created and saved.page.parent_id:  # the parent's row: a page or a folder
            self.tree_pane.reload_parent_of(saved.page.parent_id)

    @on(PageSaved)
    def _page_saved(self, event: PageSaved) -> None:
        current = self.current
        if (
            current is not None
            and current.page.id == event.page_id
            and current.base_version < event.version
        ):
            self.page_pane.reopen()

    @on(SearchPane.Run)
    def _run_search(self, event: SearchPane.Run) -> None:
        self.results_pane.run_search(event.cql)

    @on(SearchPane.Local)
    def _local_answer(self, event: SearchPane.Local) -> None:
        if self.search_pane.wants_local(event.typed):
            self.results_pane.show_local(event.answer)

    @on(ResultsPane.Refused)
    def _search_refused(self, event: ResultsPane.Refused) -> None:
        self.search_pane.error_line(event.message)
        self.search_pane.bar.focus()

    def child_rows(self, page_id: str) -> list[tuple[str, str]] | None:
        return self.tree_pane.child_rows(page_id)

    def new_page_under(self, space_id: str, parent_id: str, parent_title: str) -> None:
        self.editor_pane.new_page_under(space_id, parent_id, parent_title)

    def show_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab

    def focus_viewer(self) -> None:
        self.page_pane.focus_viewer()

    def focus_tree(self) -> None:
        self.tree_pane.focus_tree()

    def viewer_links(self) -> list[tuple[str, str]]:
        return self.page_pane.links()

    def open_in_browser(self, url: str) -> None:
        open_in_browser(self, url)

    # -- the editor, for the app and the agent panel ------------------------------------------
    def has_unsaved(self) -> bool:
        return self.editor_pane.has_unsaved()

    def flush_draft(self) -> None:
        self.editor_pane.flush_draft()

    def edit_with(self, markdown: str) -> None:
        """Open the current page in the editor with ``markdown`` (used by the agent panel)."""
        self.editor_pane.edit_with(markdown)

    def recheck_remote(self) -> None:
        self.editor_pane.recheck_remote()

    # -- screen-wide keys ---------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "links" and self.current is None and self.page_pane.links():
            return True  # the home view's links
        if action in NEEDS_PAGE and self.current is None:
            return None
        if action in ("go_back", "go_forward"):
            return True if self.navigation.trail.can_go(-1 if action == "go_back" else 1) else None
        return True

    def action_go_back(self) -> None:
        self._travel(-1)

    def action_go_forward(self) -> None:
        self._travel(1)

    def _travel(self, step: int) -> None:
        place = self.navigation.step(step)
        if place is None:
            self.notify("No page before this one." if step < 0 else "No page after this one.")
            return
        self.open_page(place.page_id, kind=place.kind)

    def action_bookmark(self) -> None:
        current = self.current
        if current is None:
            return
        marked = self.navigation.toggle_bookmark(current)
        problem = self.navigation.places.problem
        if problem:
            self.notify(problem, severity="warning", timeout=10)
        elif marked:
            self.notify("Bookmarked (ctrl+p lists the bookmarks; B again removes it).")
        else:
            self.notify("Bookmark removed.")

    def action_focus_search(self) -> None:
        self.search_pane.bar.focus()

    def action_leave_search(self) -> None:
        self.search_pane.hide_hint()
        self.focus_tree()

    def action_open_selected(self) -> None:
        tree = self.query_one(SiteTree)
        tree.focus()
        tree.action_choose()

    def action_edit(self) -> None:
        self.editor_pane.edit()

    def action_save(self) -> None:
        self.editor_pane.save()

    def action_leave_editor(self) -> None:
        self.editor_pane.leave()

    def action_rename(self) -> None:
        self.editor_pane.rename()

    def action_new_page(self) -> None:
        self.editor_pane.new_child_page()

    def action_history(self) -> None:
        current = self.current
        if current is not None:
            self.history_pane.show(current.page.id, current.page.type)

    def action_labels(self) -> None:
        self.page_pane.ask_labels()

    def action_comment(self) -> None:
        self.page_pane.ask_comment()

    def action_links(self) -> None:
        self.page_pane.ask_link()

    def action_attachments(self) -> None:
        self.page_pane.show_attachments()

    def action_insert_attachment(self) -> None:
        """From the editor (``f4``): pick an attachment, its Markdown goes in at the cursor."""
        pane = self.editor_pane
        session = pane.session
        if session is None:
            return
        if session.new is not None or session.opened is None:
            self.notify("A new page has no attachments until it is created.")
            return
        self.page_pane.show_attachments(session.opened.page, on_insert=pane.editor.insert)

    def action_follow_link(self, index: int) -> None:
        self.page_pane.follow_link(index)

    def action_open_browser(self) -> None:
        url = self.results_pane.browser_url() or self.page_pane.page_url()
        if url:
            self.open_in_browser(url)

    def action_copy_link(self) -> None:
        url = self.page_pane.page_url()
        if url:
            self.app.copy_to_clipboard(url)
            self.notify(f"Copied {url}")

    def action_find(self) -> None:
        if self.query_one("#tabs", TabbedContent).active == "tab-editor":
            self.editor_pane.open_find()  # find and replace in the text
            return
        self.show_tab("tab-page")
        self.page_pane.open_find()

    def action_toggle_preview(self) -> None:
        self.editor_pane.toggle_preview()

    def action_external_editor(self) -> None:
        """The text in $EDITOR: from the editor, its buffer; from a page, the page (or its draft)."""
        if self.query_one("#tabs", TabbedContent).active != "tab-editor":
            self.editor_pane.edit()
            if self.editor_pane.session is None:
                return
        self.call_after_refresh(self.editor_pane.external_edit)

    def action_filter_tree(self) -> None:
        self.tree_pane.open_filter()

    def action_back(self) -> None:
        tabs = self.query_one("#tabs", TabbedContent)
        if tabs.active != "tab-page":
            tabs.active = "tab-page"
            self.focus_viewer()
        else:
            self.focus_tree()

    def action_refresh(self) -> None:
        self.page_pane.reopen()
        self.tree_pane.reload()

    def action_toggle_tree(self) -> None:
        left = self.tree_pane
        if self.has_class("-crowded") and not left.has_class("hidden"):
            left.toggle_class("-pinned")  # stepped aside for room: ctrl+b brings it back anyway
            shown = left.has_class("-pinned")
        else:
            shown = left.toggle()
        if shown:
            self.focus_tree()
        elif self.focused is None or left in self.focused.ancestors_with_self:
            self.focus_viewer()

    def action_toggle_agent(self) -> None:
        slot = self.query_one("#agent-slot", Container)
        if not slot.children:
            from workbench.tui.agent.panel import AgentPanel  # the agent loads on first use

            slot.mount(AgentPanel())
        slot.toggle_class("hidden")
        self.update_room()
        if not slot.has_class("hidden"):
            slot.children[0].focus()

    # -- room in a narrow terminal ------------------------------------------------------------
    @on(TabbedContent.TabActivated, "#tabs")
    def _tab_activated(self) -> None:
        self.update_room()

    def on_resize(self) -> None:
        self.update_room()

    def update_room(self) -> None:
        """Below 100 columns the tree steps aside while something wide is shown: the agent panel,
        the history's diff, a merge beside their version, the editor's preview (``ctrl+b`` shows it
        anyway). Wider, nothing changes."""
        agent = not self.query_one("#agent-slot", Container).has_class("hidden")
        tab = self.query_one("#tabs", TabbedContent).active
        editor_wide = tab == "tab-editor" and self.editor_pane.needs_room()
        crowded = self.size.width < 100 and (agent or tab == "tab-history" or editor_wide)
        if crowded == self.has_class("-crowded"):
            return
        self.set_class(crowded, "-crowded")
        left = self.tree_pane
        if not crowded:
            left.remove_class("-pinned")
        elif self.focused is not None and left in self.focused.ancestors_with_self:
            self.focus_viewer()  # the focus does not stay in a pane that went away

    # -- central error handling ---------------------------------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.report_error(event.worker.error)

    def mark_connection(self, error: BaseException | None) -> None:
        """Show 'offline' in the status bar when the server could not be reached."""
        if isinstance(error, NetworkError):
            self.status.state = "offline"

    def report_error(self, error: BaseException | None) -> None:
        self.mark_connection(error)
        if isinstance(error, WorkbenchError):
            self.notify(error.message, title="Confluence", severity="error", timeout=8)
        elif error is not None:
            self.notify(
                f"Unexpected error: {type(error).__name__}: {error}", severity="error", timeout=10
            )

    @on(RateLimitWait)
    def _rate_limited(self, event: RateLimitWait) -> None:
        self.status.rate_limited(event.seconds, event.reason)

    async def close(self) -> None:
        self.flush_draft()
        self.local_index.close()
        if self.workspace is not None:
            try:
                await self.workspace.close()
            except Exception:  # noqa: BLE001 - closing on the way out must not fail the exit
                pass
        if self.site.on_close is not None:
            self.site.on_close()


def _resync_minutes(app: object) -> float:
    """``[index] resync_minutes`` of the app's settings (0: no background re-sync)."""
    # here, not at the top: workbench.tui.app imports this module when it opens a site
    from workbench.tui.app import WorkbenchApp

    return app.settings.index.resync_minutes if isinstance(app, WorkbenchApp) else 0.0


def _cache_dir() -> Path:
    # lazy, for start-up: workbench.config loads on first use
    from workbench.config import cache_dir

    return cache_dir()
