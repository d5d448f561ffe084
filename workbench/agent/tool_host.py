"""What the agent's :class:`~workbench.agent.toolkit.Toolkit` gives each group of its tools
(:class:`~workbench.agent.site_tools.SiteTools`, :class:`~workbench.agent.reading.PageReading`, the
``*_proposals`` …): declared once here for the type checker, provided by the toolkit — the client
and its fence, the names directory, the session's data markers, and the fenced way to a page
(:meth:`open`, :meth:`page_of`), to the model's Markdown (:meth:`settle`) and to the model
(:meth:`data`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.agent.fences import Fence
    from workbench.agent.hidden import ModelView
    from workbench.agent.site_schema import SiteSchema
    from workbench.agent.untrusted import DataMarkers
    from workbench.confluence.client import ConfluenceClient
    from workbench.services.pages import OpenedPage
    from workbench.services.users import Settled, UserDirectory


class ToolHost:
    """The toolkit as its tool groups see it (nothing at run time: the toolkit is all of them)."""

    if TYPE_CHECKING:
        client: ConfluenceClient
        fence: Fence
        directory: UserDirectory
        markers: DataMarkers
        accepts_images: bool
        site: SiteSchema | None

        async def open(
            self, page_id: str, version: int | None = None
        ) -> tuple[OpenedPage, str]: ...

        def page_of(self, opened: OpenedPage) -> tuple[OpenedPage, ModelView]: ...

        async def settle(self, text: str, opened: OpenedPage | None = None) -> Settled: ...

        def data(self, text: str, label: str = "page content") -> str: ...
