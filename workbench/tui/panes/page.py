"""The page pane: opening a page (its one request, its header's rounds), showing it, and finding in
it. Made of :mod:`.page_base` (widgets, state, drawing), :mod:`.page_social` (labels and comments
dialogs) and :mod:`.page_links` (links); :mod:`.page_offline` shows the local index's copy when the
site cannot be reached.

The pane is the one writer of "the page being shown" (``Workspace.current``): every change goes
through :meth:`PagePane.set_current`, which posts :class:`~workbench.tui.messages.PageShown`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work

from workbench.confluence.errors import NetworkError, ServerError
from workbench.errors import WorkbenchError
from workbench.tui.panes.page_links import LinksMixin
from workbench.tui.panes.page_social import LabelsCommentsMixin
from workbench.tui.widgets.document import DocumentView
from workbench.tui.widgets.find_bar import FindBar

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from workbench.services.pages import OpenedPage
    from workbench.services.workspace import PageExtras, Workspace


class PagePane(LinksMixin, LabelsCommentsMixin):
    """``#tab-page``: the page as read, with its header and comments."""

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
            if not self.trail:  # not opened from the tree: the breadcrumb the tree cache knows,
                crumbs = ws.cached_crumbs(opened.page)  # until the header's requests confirm it
                self.trail = [*crumbs, opened.page.title] if crumbs else []
            self.set_current(opened)
            self.host.status.state = "online"
            self.show_page(opened)
            await self._show_extras(ws, opened, header)
        finally:
            header.cancel()  # another page was opened meanwhile: its header is not wanted

    async def _show_extras(
        self, ws: Workspace, opened: OpenedPage, header: Awaitable[PageExtras]
    ) -> None:
        try:
            extras = await header
        except WorkbenchError as exc:
            self.notify(f"Could not load comments and labels: {exc.message}", severity="warning")
            return
        self.post_message(self.ExtrasLoaded(extras))
        if ws.current is not opened:
            return
        self.extras = extras
        self._show_named(ws, opened)
        self.show_comments(extras)
        # lazy, for start-up: workbench.services.page_extras loads with the header already
        from workbench.services.page_extras import learn_page_names

        try:  # the people the page mentions, when the header's answer did not name them
            asked = await learn_page_names(ws.directory, opened.page)
        except WorkbenchError:
            return  # their names stay unknown: the mentions keep their id form, nothing is lost
        if asked and ws.current is not None and ws.current.page is opened.page:  # still shown
            self._show_named(ws, opened)

    def _show_named(self, ws: Workspace, opened: OpenedPage) -> None:
        """The header, and the page's mentions by the names known now (no request)."""
        named = ws.with_names(opened)
        if named is not opened:
            ws.current = named  # the same page and version, with names: nothing new to announce
        self.show_header(named)
        viewer = self.viewer
        if named is not opened or ("⟦@" in opened.markdown and ws.names != viewer.names):
            viewer.names = ws.names
            viewer.show(self.viewer_markdown(named), keep_scroll=True)

    # -- showing ------------------------------------------------------------------------------
    def show_page(self, opened: OpenedPage) -> None:
        self.show_header(opened)
        viewer = self.viewer
        if self.host.workspace is not None:
            viewer.names = self.host.workspace.names
        viewer.images = self.pictures.known(opened.page)
        viewer.jira = {}
        if "⟦jira" in opened.markdown:  # its Jira macros live, asked for after it shows
            # lazy, for start-up: workbench.tui.jira_macros loads on first use
            from workbench.tui.jira_macros import show_live_jira

            show_live_jira(self, opened)
        viewer.show(self.viewer_markdown(opened))
        self.pictures.load(opened.page)

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
