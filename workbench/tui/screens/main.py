"""The main screen: a mediator over its panes (``workbench/tui/panes/``).

Each pane owns its widgets, state, keys and workers. :class:`MainLayout` (``main_layout.py``)
composes them and makes room; the bindings are in ``main_keys.py``; the connection to the site is a
:class:`~workbench.tui.connection.SiteConnection`. This class routes intents between the panes,
forwards the screen-wide keys (they work wherever the focus is) to the pane that acts, and handles
worker errors in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.worker import Worker, WorkerState

from workbench.errors import WorkbenchError
from workbench.services.cache import TreeCache
from workbench.services.site_list import state_after
from workbench.tui.connection import SiteConnection
from workbench.tui.freshness import Freshness
from workbench.tui.local_index import LocalIndex
from workbench.tui.messages import PageSaved, PageShown, RateLimitWait, WriteFailed
from workbench.tui.navigation import Navigation
from workbench.tui.panes.page import PagePane
from workbench.tui.panes.search import SearchPane
from workbench.tui.screens.main_keys import NEEDS_PAGE, MainKeys
from workbench.tui.widgets.site_tree import SiteTree

if TYPE_CHECKING:
    from pathlib import Path

    from workbench.services.pages import OpenedPage
    from workbench.services.workspace import SiteSpec, Workspace
    from workbench.tui.panes.editor import EditorPane
    from workbench.tui.panes.results import ResultsPane


class MainScreen(MainKeys):
    """Browse, search, read and edit one site."""

    def __init__(self, site: SiteSpec) -> None:
        super().__init__(site.name)
        self.site = site
        self.tree_cache = TreeCache(_cache_dir(), site.key)  # read once, before connecting
        self.connection = SiteConnection(site, self.tree_cache)
        self.navigation = Navigation(site.key)  # back/forward, recent pages, bookmarks
        self.local_index = LocalIndex(site)  # the site's index (workbench sync), if it has one
        self.freshness = Freshness(self, site, self.local_index)  # re-syncs of that index
        self._cached = bool(self.tree_cache.spaces())
        #: connect before the first frame: nothing cached to draw, and a server that is starting
        #: (the demo's): the client loads and the first requests wait for it while the frame is
        #: drawn. A site that is up is connected after that frame (SiteSpec.connect_early).
        self._early = not self._cached and site.connect_early
        if self._early and self.is_running_app():
            self.connect()  # now, not after the widgets are made

    def is_running_app(self) -> bool:
        """Whether the screen is made inside a running app (its workers can start)."""
        try:
            return self.app.is_running
        except RuntimeError:  # no active app
            return False

    @property
    def workspace(self) -> Workspace | None:
        """The connected site (client, current page, drafts), or None before connecting."""
        return self.connection.workspace

    @property
    def current(self) -> OpenedPage | None:
        """The page being shown."""
        return self.workspace.current if self.workspace is not None else None

    def on_mount(self) -> None:
        self.status.site = self.site.name
        self.status.state = "connecting"
        self.focus_tree()
        self.app.theme_changed_signal.subscribe(self, self.restyle)
        if self._early:
            self.connect()  # started as the screen was made (nothing happens), unless made elsewhere
        else:
            self.call_after_refresh(self.connect)  # the first frame, then the client and network
        self.tree_pane.load_spaces(after_connecting=True)  # waits for the connection, then asks
        self.call_after_refresh(self._show_home)
        self.freshness.start(_resync_minutes(self.app))
        self.navigation.on_problem = lambda problem: self.post_message(WriteFailed(problem))

    # -- the site -----------------------------------------------------------------------------
    def connect(self) -> None:
        """Connect to the site (once); the tree pane's spaces wait for it (``on_mount``)."""
        self.connection.start(self, self._on_wait, _nothing, self._connect_failed)

    def _on_wait(self, seconds: float, reason: str) -> None:
        self.post_message(RateLimitWait(seconds, reason))  # from the client's thread

    def _connect_failed(self, exc: BaseException) -> None:
        self.status.state = state_after(exc) or "offline"  # login missing, or offline
        self.compose_deferred()  # start-up is over: the hidden tabs' widgets (panes/deferred.py)

    async def ready_workspace(self) -> Workspace:
        """The connected workspace (waits for the connection; raises its error)."""
        return await self.connection.ready()

    async def close(self) -> None:
        self.flush_draft()
        self.local_index.close()
        await self.connection.close()

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
            self._say_problem(self.navigation.places.problem)

    def _say_problem(self, problem: str | None) -> None:
        if problem:
            self.notify(problem, severity="warning", timeout=10)

    @on(WriteFailed)
    def _write_failed(self, event: WriteFailed) -> None:
        self._say_problem(event.problem)

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
            self.navigation.shown(event.page)
            self.query_one(SiteTree).reveal(event.page.page.id, event.page.page.type)  # where shown
            self.editor_pane.check_drafts(event.page)

    @on(PagePane.ExtrasLoaded)
    def _extras_loaded(self, event: PagePane.ExtrasLoaded) -> None:
        self.search_pane.labels_seen.update(event.extras.labels)
        self.search_pane.page_labels = event.extras.labels

    # (by its handler name: the editor's module loads after the first frame, with its tab)
    def on_editor_pane_saved(self, event: EditorPane.Saved) -> None:
        saved = event.outcome.opened
        self.page_pane.show_saved(saved, created=event.outcome.created)
        if event.outcome.created and saved.page.parent_id:  # the parent's row: a page or a folder
            self.tree_pane.reload_parent_of(saved.page.parent_id)

    @on(PageSaved)
    def _page_saved(self, event: PageSaved) -> None:
        current = self.current
        if current is not None and current.page.id == event.page_id:
            if current.base_version < event.version:
                self.page_pane.reopen()

    @on(SearchPane.Run)
    def _run_search(self, event: SearchPane.Run) -> None:
        self.results_pane.run_search(event.cql)

    @on(SearchPane.RunJql)
    def _run_jql(self, event: SearchPane.RunJql) -> None:
        # lazy, for start-up: workbench.tui.jira_search loads on first use
        from workbench.tui.jira_search import run_jql

        run_jql(self.results_pane, event.jql)

    @on(SearchPane.Local)
    def _local_answer(self, event: SearchPane.Local) -> None:
        if self.search_pane.wants_local(event.typed):
            self.results_pane.show_local(event.answer)

    # (by its handler name: the results' module loads after the first frame, with its tab)
    def on_results_pane_refused(self, event: ResultsPane.Refused) -> None:
        self.search_pane.error_line(event.message)
        self.search_pane.bar.focus()

    def child_rows(self, page_id: str) -> list[tuple[str, str]] | None:
        return self.tree_pane.child_rows(page_id)

    def new_page_under(self, space_id: str, parent_id: str, parent_title: str) -> None:
        self.editor_pane.new_page_under(space_id, parent_id, parent_title)

    def new_blog_post(self, space_id: str, space_title: str) -> None:
        self.editor_pane.new_blog_post(space_id, space_title)

    def viewer_links(self) -> list[tuple[str, str]]:
        return self.page_pane.links()

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

    # -- the keys that need the site or the trail (the others: main_keys.py) -------------------
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
        marked = self.navigation.toggle_bookmark(current)  # a failed write is said when it fails
        if marked:
            self.notify("Bookmarked (ctrl+p lists the bookmarks; B again removes it).")
        else:
            self.notify("Bookmark removed.")

    def action_history(self) -> None:
        current = self.current
        if current is not None:
            self.history_pane.show(current.page.id, current.page.type)

    # -- central error handling ---------------------------------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.report_error(event.worker.error)

    def mark_connection(self, error: BaseException | None) -> None:
        """Show 'offline' (no answer) or 'login missing' (its login gone) in the status bar."""
        if (state := state_after(error)) is not None:
            self.status.state = state

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


def _nothing(_: object) -> None:
    """Connected: nothing more to do (whoever needs the workspace awaits it)."""


def _resync_minutes(app: object) -> float:
    """``[index] resync_minutes`` of the app's settings (0: no background re-sync)."""
    # here, not at the top: workbench.tui.app imports this module when it opens a site
    from workbench.tui.app import WorkbenchApp

    return app.settings.index.resync_minutes if isinstance(app, WorkbenchApp) else 0.0


def _cache_dir() -> Path:
    # lazy, for start-up: workbench.config loads on first use
    from workbench.config import cache_dir

    return cache_dir()
