"""The tree pane: spaces and content loading lazily, the filter, hiding the tree."""

from __future__ import annotations

import asyncio
from contextlib import ExitStack
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from workbench.confluence.models import PageSummary
from workbench.textsafe import printable
from workbench.tui.panes.base import Host, host
from workbench.tui.panes.tree_sites import OtherSites, SitesLoader, switch_to
from workbench.tui.shown import hidden
from workbench.tui.warmup import start_up_over, warm_up_soon
from workbench.tui.widgets.lean_tree import collector_paused
from workbench.tui.widgets.site_rows import kind_name
from workbench.tui.widgets.site_tree import SiteTree

if TYPE_CHECKING:
    from workbench.services.workspace import Workspace


class TreeFilter(Input):
    """The tree's filter box; escape clears it and goes back to the tree."""

    BINDINGS = [
        Binding(
            "escape",
            "clear",
            "Clear",
            id="tree.filter_clear",
            tooltip="Clear the filter and go back to the tree",
        )
    ]

    def action_clear(self) -> None:
        pane = self.parent
        if isinstance(pane, TreePane):
            pane.clear_filter()


class TreePane(Vertical):
    """The site's spaces and content (``#left``); children load when a node is expanded."""

    def __init__(self, site_name: str, *, id: str = "left") -> None:
        super().__init__(id=id)
        self.site_name = site_name

    def compose(self) -> ComposeResult:
        # the filter box is made when first opened (filter_box): not a widget of the first frame
        yield hidden(
            Static(
                Text(
                    "No loaded page matches. Expand more of the tree, or ctrl+p finds any "
                    "page by title.",
                    style="italic",
                ),
                id="tree-filter-none",
                classes="hint",
            )
        )
        yield SiteTree(self.site_name, id="tree")
        yield OtherSites(id="other-sites")  # every other configured site (tree_sites.py)

    @property
    def host(self) -> Host:
        return host(self)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.host.report_error(event.worker.error)

    @property
    def site_tree(self) -> SiteTree:
        return self.query_one("#tree", SiteTree)

    def on_mount(self) -> None:
        cached = self.host.tree_cache.spaces()
        if cached:
            self.site_tree.set_spaces(cached)
        self.sites = SitesLoader(self)
        self.call_after_refresh(self.sites.load)

    # -- loading ------------------------------------------------------------------------------
    @work(exclusive=True, group="spaces", exit_on_error=False)
    async def load_spaces(self, after_connecting: bool = False) -> None:
        """The spaces and who the user is, asked together. ``after_connecting``: the first load,
        started with the screen; it waits for the connection, and if connecting failed it ends
        quietly (the screen has said why)."""
        try:
            await self._load_spaces(after_connecting)
        finally:
            self.host.compose_deferred()  # start-up is over, the spaces shown or not (after this frame)

    async def _load_spaces(self, after_connecting: bool) -> None:
        try:
            ws = await self.host.ready_workspace()
        except Exception:
            if after_connecting:
                return
            raise
        status = self.host.status
        tree = self.site_tree
        tree.mark_loading("site")
        # who you are is asked with the spaces, not after them: one round trip on a first launch
        me = asyncio.ensure_future(ws.who_am_i())
        try:
            spaces = await ws.spaces()
        except BaseException:
            me.cancel()
            me.add_done_callback(lambda task: task.cancelled() or task.exception())
            raise
        finally:
            tree.mark_loading("site", False)
        tree.set_spaces(spaces)
        status.state = "online"
        user = await me
        status.user = user.display_name or user.email or user.account_id
        ws.cache.save_soon()
        start_up_over()  # the collector on again (tui/warmup.py)
        warm_up_soon()  # what the first page opened needs loads meanwhile

    @on(SiteTree.LoadRequested)
    def _load_requested(self, event: SiteTree.LoadRequested) -> None:
        event.stop()
        self.load_children(event.parent)

    def reload(self) -> None:
        """Load the spaces and every expanded node again."""
        self.load_spaces()
        for key in self.site_tree.expanded_keys():
            self.load_children(key)

    @work(group="children", exit_on_error=False)
    async def load_children(self, parent: str) -> None:
        tree = self.site_tree
        cache = self.host.tree_cache
        parent = tree.canonical(parent)
        home = tree.home_of(parent)
        # a space shows its homepage's children, then any other root pages (as Confluence's sidebar)
        sources = [f"page:{home}", parent] if home else [parent]
        parts = [cache.children(key) for key in sources]
        cached = all(part is not None for part in parts)
        if cached:
            tree.set_children(
                parent, [r for part in parts for r in part or [] if r.id != home], final=False
            )
        else:
            tree.mark_loading(parent)
        ws = await self.host.ready_workspace()
        with ExitStack() as wide:  # a level of more than one request: the collector paused
            await self._stream_children(ws, parent, home, sources, cached, wide)
        node = tree.node_for(parent)
        if node is not None and node.data is not None:
            node.data.loaded = True
            if not node.children:
                node.allow_expand = False
        ws.cache.save_soon()

    async def _stream_children(
        self,
        ws: Workspace,
        parent: str,
        home: str,
        sources: list[str],
        cached: bool,
        wide: ExitStack,
    ) -> None:
        """The rows under ``parent`` as they come: each batch goes into the tree at once (while
        the next one is on its way), and the tree's lines are laid out when the rows have grown
        fourfold since the last lay-out: it lays out every line each time, so a level of N rows
        costs O(N) in all (250, 1 000, 4 000 … lines), not O(N²/250) as with a lay-out per request
        of 250. A space's level is laid out whole each time rows go in (its Blog node stays
        last), so its batches wait for the next lay-out. Rows drawn from the cache stay until the
        listing is complete, then are replaced in one go. From the second batch on, the collector
        is paused until the end (``wide``; lean_tree.collector_paused): thousands of rows that all
        stay."""
        tree = self.site_tree
        appends = tree.rows.appends_to(parent)
        first = True
        shown = given = batches = 0  # rows laid out, rows given to the tree, batches listed
        pending: list[PageSummary] = []  # not given to the tree yet
        try:
            for key in sources:
                async for batch in ws.pages_under(key):
                    batches += 1
                    if batches == 2:
                        wide.enter_context(collector_paused())
                    pending.extend(r for r in batch if r.id != home)
                    if cached:
                        continue  # the cache's rows stay until the listing is complete
                    if first:
                        tree.set_children(parent, pending, final=False)
                        first, shown, given, pending = False, len(pending), len(pending), []
                        continue
                    grown = given + len(pending) >= 4 * shown
                    if grown or appends:
                        tree.set_children(parent, pending, append=True, final=False, lay_out=grown)
                        given += len(pending)
                        shown, pending = (given if grown else shown), []
            if cached or first or pending:
                tree.set_children(parent, pending, append=not (cached or first), final=False)
        finally:
            tree.mark_loading(parent, False)

    def reload_parent_of(self, parent_id: str) -> None:
        """Reload the row of ``parent_id`` (a page or a folder), e.g. after a child was created."""
        self.load_children(self.site_tree.key_of(parent_id) or f"page:{parent_id}")

    def child_rows(self, page_id: str) -> list[tuple[str, str]] | None:
        """(id, title) of the children of a page that the tree or its cache knows."""
        rows = self.site_tree.rows_under(f"page:{page_id}")
        if rows is None:
            cached = self.host.tree_cache.children(f"page:{page_id}")
            rows = None if cached is None else [(r.id, r.title) for r in cached]
        return rows

    @on(OtherSites.Chosen)
    def _site_chosen(self, event: OtherSites.Chosen) -> None:
        event.stop()
        switch_to(self.app, event.entry)

    # -- rows that open elsewhere -------------------------------------------------------------
    @on(SiteTree.ElsewhereChosen)
    def _elsewhere_chosen(self, event: SiteTree.ElsewhereChosen) -> None:
        event.stop()
        self.notify(
            f"“{printable(event.title)}” is a {kind_name(event.kind)}: only pages and blog posts "
            "open here. Press o to open it in the browser.",
            markup=False,
        )

    @on(SiteTree.BrowseRequested)
    def _browse_requested(self, event: SiteTree.BrowseRequested) -> None:
        event.stop()
        self.open_content_in_browser(event.kind, event.content_id)

    @work(group="browser-url", exit_on_error=False)
    async def open_content_in_browser(self, kind: str, content_id: str) -> None:
        ws = await self.host.ready_workspace()
        url = await ws.web_url(content_id, kind)
        if not url:
            self.notify("The server did not give this a web link.", severity="warning")
            return
        self.host.open_in_browser(url)

    @on(SiteTree.LifecycleRequested)
    def _lifecycle_requested(self, event: SiteTree.LifecycleRequested) -> None:
        event.stop()
        # lazy: the lifecycle flows and their dialogs load on first use
        from workbench.tui.lifecycle import Lifecycle

        Lifecycle(self).start(event.action)

    @on(SiteTree.NewPageRequested)
    def _new_page_requested(self, event: SiteTree.NewPageRequested) -> None:
        event.stop()
        if event.kind == "blogpost":  # n on a space's Blog node
            self.host.new_blog_post(event.space_id, event.parent_title)
            return
        self.host.new_page_under(event.space_id, event.parent_id, event.parent_title)

    # -- focus, filter, hiding ----------------------------------------------------------------
    def focus_tree(self) -> None:
        """Focus the tree, showing it again if ctrl+b hid it."""
        self.remove_class("hidden")
        self.site_tree.focus()

    def filter_box(self) -> TreeFilter:
        """The filter box above the tree (made, hidden, the first time it is asked for)."""
        found = self.query("#tree-filter")
        if found:
            return found.only_one(TreeFilter)
        box = hidden(TreeFilter(placeholder="filter the tree…", id="tree-filter"))
        self.mount(box, before=0)
        return box

    def open_filter(self) -> None:
        self.remove_class("hidden")
        box = self.filter_box()
        box.display = True
        box.focus()

    @on(SiteTree.FilterRequested)
    def _filter_requested(self, event: SiteTree.FilterRequested) -> None:
        event.stop()
        self.open_filter()

    @on(Input.Changed, "#tree-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        found = self.site_tree.apply_filter(event.value)
        self.query_one("#tree-filter-none").display = not found

    @on(Input.Submitted, "#tree-filter")
    def _filter_done(self) -> None:
        self.site_tree.focus()

    def clear_filter(self) -> None:
        box = self.filter_box()
        box.value = ""
        box.display = False
        self.query_one("#tree-filter-none").display = False
        self.site_tree.apply_filter("")
        self.site_tree.focus()

    def toggle(self) -> bool:
        """Hide or show the tree; True when it is shown afterwards."""
        self.toggle_class("hidden")
        return not self.has_class("hidden")
