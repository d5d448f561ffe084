"""What a pane may ask of the screen that holds it (and nothing more)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from textual.widget import Widget

    from workbench.services.cache import TreeCache
    from workbench.services.pages import OpenedPage
    from workbench.services.workspace import SiteSpec, Workspace
    from workbench.tui.local_index import LocalIndex
    from workbench.tui.widgets.status import StatusBar


class Host(Protocol):
    """The main screen as its panes see it (``MainScreen`` implements it)."""

    site: SiteSpec
    tree_cache: TreeCache
    local_index: LocalIndex

    @property
    def workspace(self) -> Workspace | None:
        """The connected site, or ``None`` before connecting (or when connecting failed)."""
        ...

    @property
    def status(self) -> StatusBar: ...

    @property
    def current(self) -> OpenedPage | None:
        """The page being shown (``None`` before one is opened or before connecting)."""
        ...

    async def ready_workspace(self) -> Workspace: ...

    def open_page(
        self, page_id: str, trail: list[str] | None = None, *, kind: str = "page"
    ) -> None: ...

    def show_tab(self, tab: str) -> None: ...

    def focus_viewer(self) -> None: ...

    def focus_tree(self) -> None: ...

    def update_room(self) -> None:
        """Something wide appeared or went (the tree steps aside in a narrow terminal)."""
        ...

    def mark_connection(self, error: BaseException | None) -> None: ...

    def report_error(self, error: BaseException | None) -> None:
        """Say what went wrong in a worker (``Worker.StateChanged`` does not bubble: panes pass
        their workers' errors here)."""
        ...

    def open_in_browser(self, url: str) -> None: ...

    def compose_deferred(self) -> None:
        """Start-up is over: make the widgets the first frame left out (``panes/deferred.py``)."""
        ...

    def new_page_under(self, space_id: str, parent_id: str, parent_title: str) -> None: ...

    def new_blog_post(self, space_id: str, space_title: str) -> None: ...

    def child_rows(self, page_id: str) -> list[tuple[str, str]] | None:
        """(id, title) of a page's children as far as the tree knows them."""
        ...


def host(node: Widget) -> Host:
    """The screen that holds ``node``, as a :class:`Host`."""
    return cast("Host", node.screen)
