"""What the agent panel may take from the app it runs in (harlequin's "driver" idea): the settings,
the site, and the connected workspace (client + the page being shown). ``WorkbenchApp`` provides it;
a test harness may run the panel in a bare app and pass these to the panel directly instead."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from workbench.config import Settings
    from workbench.services.workspace import SiteSpec, Workspace


@runtime_checkable
class AgentContext(Protocol):
    """The app as the agent panel sees it."""

    settings: Settings
    site: SiteSpec | None

    @property
    def workspace(self) -> Workspace | None: ...
