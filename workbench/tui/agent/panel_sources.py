"""Where the agent panel takes what it works on: the client, the page being read, the settings and
the site's profile — given to the panel (a test harness in a bare app), or else the app's, through
:class:`~workbench.tui.agent.context.AgentContext` (docs/architecture.md, "Agent panel").
Nothing here draws; the panel asks it at the moment it needs an answer (the app connects to a
site, and opens pages, after the panel was made)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from workbench.tui.agent.context import AgentContext

if TYPE_CHECKING:
    from workbench.config import Profile, Settings
    from workbench.confluence.client import ConfluenceClient
    from workbench.services.pages import OpenedPage
    from workbench.services.workspace import Workspace


class PanelSources:
    """The panel's sources: each one given, or the app's."""

    def __init__(
        self,
        app: Callable[[], object],
        *,
        client: Any = None,
        current_page: Callable[[], OpenedPage | None] | None = None,
        settings: Settings | None = None,
        site: Profile | None = None,
    ) -> None:
        self._app = app  # the app the panel runs in, asked for when needed (it is mounted later)
        self._client, self._current_page = client, current_page
        self._settings, self._site = settings, site

    @property
    def context(self) -> AgentContext | None:
        """The app's side of the panel (``None`` in a bare test app)."""
        app = self._app()
        return app if isinstance(app, AgentContext) else None

    @property
    def settings(self) -> Settings | None:
        if self._settings is not None:
            return self._settings
        context = self.context
        return context.settings if context is not None else None

    @property
    def site_profile(self) -> Profile | None:
        """The stored profile of the site, the one ``CONFLUENCE_URL`` matches, or for a site opened
        by its address the profile the settings give it (its allow-list, its agent profile)."""
        # lazy, for start-up: workbench.agent.session loads on first use
        from workbench.agent.session import site_profile_for

        if self._site is not None:
            return self._site
        context = self.context
        spec = context.site if context is not None else None
        if spec is None:
            return None
        if spec.profile is not None:
            return spec.profile
        return site_profile_for(self.settings, url=spec.key)

    def _workspace(self) -> Workspace | None:
        context = self.context
        return context.workspace if context is not None else None

    def client(self) -> ConfluenceClient | None:
        if self._client is not None:
            return self._client
        workspace = self._workspace()
        return workspace.client if workspace is not None else None

    def current_page(self) -> OpenedPage | None:
        if self._current_page is not None:
            return self._current_page()
        workspace = self._workspace()
        return workspace.current if workspace is not None else None
