"""The main screen's connection to its site: :class:`SiteConnection`.

The tree cache is read at once (the first frame draws from it); the connection itself is made once,
in a worker thread of the screen, so a slow or absent server never blocks the UI. With nothing
cached to draw and a server that is starting (the demo's, ``SiteSpec.connect_early``), the screen
starts it as it is made, before its widgets are composed: the client loads and the first requests
go out while the first frame is being drawn, and the server answers meanwhile. A site that is up is
connected after the first frame (its client's set-up in this thread would only slow that frame).
Whoever needs the workspace awaits :meth:`SiteConnection.ready` (the error is raised there when
connecting failed); the worker's own error reaches the screen's ``Worker.StateChanged`` handler.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from textual.screen import Screen

    from workbench.services.cache import TreeCache
    from workbench.services.workspace import SiteSpec, Workspace


class SiteConnection:
    """One site's workspace for one screen: connected once, awaited, closed."""

    def __init__(self, site: SiteSpec, cache: TreeCache) -> None:
        self.site = site
        self.cache = cache  # read once; the workspace keeps using it
        self.workspace: Workspace | None = None
        self._done = asyncio.Event()
        self._error: BaseException | None = None
        self._started = False

    def start(
        self,
        screen: Screen[None],
        on_wait: Callable[[float, str], None],
        connected: Callable[[Workspace], object],
        failed: Callable[[BaseException], object],
    ) -> None:
        """Connect in a worker thread of ``screen`` (once: later calls do nothing); then
        ``connected(workspace)`` or ``failed(error)`` in the screen's own message loop, after its
        mount however early this was called (the screen may still be composing its widgets).
        ``on_wait`` is the client's rate-limit hook."""
        if self._started:
            return
        self._started = True
        app = screen.app  # here: the thread cannot find it through a screen not yet mounted

        def connect() -> None:
            # lazy, for start-up: workbench.services.workspace loads on first use
            from workbench.services.workspace import Workspace

            try:
                client = self.site.connect()
                client.on_wait = on_wait
                workspace = Workspace.create(
                    client, self.site.key, self.site.name, cache=self.cache
                )
            except BaseException as exc:
                app.call_from_thread(self._failed, screen, exc, failed)
                raise
            app.call_from_thread(self._connected, screen, workspace, connected)

        screen.run_worker(
            connect,
            name="connect",
            group="connect",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def _connected(
        self, screen: Screen[None], workspace: Workspace, then: Callable[[Workspace], object]
    ) -> None:
        self.workspace = workspace
        self._done.set()  # whoever awaits ready() goes on now (the first requests go out)
        screen.call_later(then, workspace)  # in the screen's queue: after its mount

    def _failed(
        self, screen: Screen[None], exc: BaseException, then: Callable[[BaseException], object]
    ) -> None:
        self._error = exc
        self._done.set()
        screen.call_later(then, exc)

    async def ready(self) -> Workspace:
        """The connected workspace (waits for the connection; raises its error)."""
        await self._done.wait()
        if self.workspace is None:
            raise self._error or WorkbenchError("Not connected.")
        return self.workspace

    async def close(self) -> None:
        """Close the workspace (never failing the exit), then the site's own ``on_close``."""
        if self.workspace is not None:
            try:
                await self.workspace.close()
            except Exception:  # noqa: BLE001 - closing on the way out must not fail the exit
                pass
        if self.site.on_close is not None:
            self.site.on_close()
