"""Keeping the open site's local index fresh from the TUI: :class:`Freshness`.

- **In the background**, every ``[index] resync_minutes`` (off by default, ``workbench.config``): the
  spaces already in the site's index are synced again, as ``workbench sync`` would — only what
  changed since the last sync is read. Nothing is said unless it fails (a line in the status bar).
- **On demand**: ``r`` on a space in the tree syncs that space (added to the index if it was not
  there), saying when it starts and what it did.
- **The demo's first index**: ``workbench demo`` has no index to begin with (a fresh demo's content
  is new every run); once the demo answers, and :data:`PRIME_DELAY` seconds after (the first frame
  and the first page have the processor to themselves), all its spaces are synced quietly, so ``/``
  answers from the index as you type and a page can be read from it.

A sync runs in a worker thread with a client of its own (``SiteSpec.connect``) and its own event
loop, so the screen never waits for it and its requests never queue behind the viewer's; one at a
time per screen (a second request while one runs is said, not queued), and one per site across
processes (``WriterLock``: a ``workbench sync`` in a terminal makes the TUI's wait its turn). The
search bar reads the index meanwhile (WAL; a small index as a copy in memory, read again when a
batch was written) and sees each batch as it is written.
"""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.timer import Timer

    from workbench.index.events import SyncResult
    from workbench.index.sites import SiteRef
    from workbench.services.workspace import SiteSpec
    from workbench.tui.local_index import LocalIndex


PRIME_DELAY = 1.0  # seconds after the demo answers before its first index is built


def run_sync(
    site: SiteSpec, ref: SiteRef, spaces: list[str] | None, *, all_spaces: bool = False
) -> SyncResult:
    """Sync ``spaces`` of ``site`` (None: the spaces its index holds; ``all_spaces``: every space)
    into its index. Blocks: call it from a worker thread (it runs an event loop of its own)."""
    # lazy, for start-up: workbench.index.files, workbench.index.store, workbench.index.sync loads on first use
    from workbench.index.files import WriterLock
    from workbench.index.store import SiteIndex
    from workbench.index.sync import sync_site

    async def run() -> SyncResult:
        client = site.connect()
        async with client:
            with WriterLock(ref.path), SiteIndex(ref.path) as index:
                return await sync_site(client, index, ref, spaces=spaces, all_spaces=all_spaces)

    return asyncio.run(run())


def summary(result: SyncResult) -> str:
    """``ENG: 3 new, 1 updated, 0 removed`` for each space synced."""
    parts = [
        f"{s.space}: {s.added} new, {s.updated} updated, {s.removed} removed" for s in result.spaces
    ]
    return "; ".join(parts) or "nothing to sync"


class Freshness:
    """The re-syncs of one main screen's site (see the module's notes)."""

    def __init__(self, screen: Screen[None], site: SiteSpec, local: LocalIndex) -> None:
        self.screen = screen
        self.site = site
        self.local = local
        self.timer: Timer | None = None
        self.minutes = 0.0
        self.last: SyncResult | None = None
        self.last_error = ""
        self._running = threading.Event()

    @property
    def running(self) -> bool:
        return self._running.is_set()

    def start(self, minutes: float) -> None:
        """Re-sync in the background every ``minutes`` (0: never)."""
        self.minutes = minutes
        if self.timer is not None:
            self.timer.stop()
            self.timer = None
        if minutes > 0:
            self.timer = self.screen.set_interval(minutes * 60, self.tick)
        if self.site.index_key and self.local.ref is not None and not self.local.available:
            self.screen.run_worker(self._prime(), group="index-prime", exit_on_error=False)

    async def _prime(self) -> None:
        """The demo's first index: every space, quietly, once the demo answers (see the module)."""
        # lazy, for start-up: asyncio, workbench.tui.local_index load on first use
        import asyncio

        from workbench.tui.local_index import clear_old_runs

        ready = getattr(self.screen, "ready_workspace", None)
        if ready is None:
            return
        try:
            await ready()
        except WorkbenchError:
            return  # the demo did not start: the screen says so
        await asyncio.sleep(PRIME_DELAY)
        await asyncio.to_thread(clear_old_runs)
        if not self.local.available:
            self.sync(None, announce=False, all_spaces=True)

    def tick(self) -> None:
        """What the timer runs: a quiet sync of the indexed spaces (skipped while one runs)."""
        if self.local.available and not self.running:  # only a site that has an index
            self.sync(None, announce=False)

    def sync(
        self, spaces: list[str] | None, *, announce: bool = True, all_spaces: bool = False
    ) -> bool:
        """Start a sync of ``spaces`` (None: the indexed ones; ``all_spaces``: every space); False
        (and said, when ``announce``) when it cannot start."""
        ref = self.local.ref
        if ref is None:
            if announce:
                self.screen.notify(
                    "This site has no fixed address, so it has no local index.",
                    severity="warning",
                )
            return False
        if self.running:
            if announce:
                self.screen.notify("A sync of this site's index is already running.")
            return False
        self._running.set()
        if announce:
            what = ", ".join(spaces) if spaces else "the indexed spaces"
            self.screen.notify(f"Syncing {what} into the local index…")
        self.screen.run_worker(
            lambda: self._run(ref, spaces, announce, all_spaces),
            thread=True,
            group="index-sync",
            exit_on_error=False,
        )
        return True

    def _run(
        self, ref: SiteRef, spaces: list[str] | None, announce: bool, all_spaces: bool = False
    ) -> None:
        app = self.screen.app
        try:
            result = run_sync(self.site, ref, spaces, all_spaces=all_spaces)
        except WorkbenchError as exc:
            self.last_error = exc.message
            app.call_from_thread(self._failed, exc.message, announce)
            return
        except Exception as exc:  # noqa: BLE001 - a background job must say what stopped it
            self.last_error = f"{type(exc).__name__}: {exc}"
            app.call_from_thread(self._failed, self.last_error, announce)
            return
        finally:
            self._running.clear()
        self.last, self.last_error = result, ""
        app.call_from_thread(self._done, result, announce)

    def _done(self, result: SyncResult, announce: bool) -> None:
        if announce:
            self.screen.notify(f"Local index synced: {summary(result)}.")

    def _failed(self, message: str, announce: bool) -> None:
        text = f"The local index was not synced: {message}"
        if announce:
            self.screen.notify(text, severity="error", timeout=10)
        else:
            # lazy, for start-up: workbench.tui.widgets.status loads on first use
            from workbench.tui.widgets.status import StatusBar

            self.screen.query_one("#status", StatusBar).detail = "index sync failed"
            self.screen.notify(text, severity="warning", timeout=6)
