"""One file written off the event loop: :class:`BackgroundFile`.

``submit(make)`` returns at once. One writer thread at a time calls the newest ``make`` and writes
the text it returns atomically (``config.atomic_write``: a temporary file, fsync, a rename — a crash
or kill -9 leaves the old file or the new one, never half of one). What is submitted while a write
runs goes into the next write, and only the newest content is written: ten changes in a row cost
one or two writes, never ten fsyncs on the event loop. The writer is not a daemon thread, so a
write asked for before the process ends is finished before it exits.

The tree cache (``services.cache``) and the recent pages and bookmarks (``services.places``) are
written this way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path


class BackgroundFile:
    """``path``, written in a thread named ``name``. ``done(error)`` is called in the writer thread
    after each write: ``None`` when it is on disk, else what went wrong (the next write tries again)."""

    def __init__(
        self,
        path: Path,
        *,
        name: str,
        done: Callable[[Exception | None], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self.name = name
        self.done = done
        self._lock = threading.Lock()
        self._pending: Callable[[], str | None] | None = None
        self._writer: threading.Thread | None = None
        self._idle = threading.Event()
        self._idle.set()

    def submit(self, make: Callable[[], str | None]) -> None:
        """Write what ``make()`` returns (called in the writer thread; ``None``: nothing to write),
        unless a newer ``submit`` comes before the write starts. Returns at once."""
        with self._lock:
            self._pending = make
            if self._writer is not None:
                return
            self._idle.clear()
            self._writer = threading.Thread(
                target=self._write_pending, name=self.name, daemon=False
            )
            writer = self._writer
        writer.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every write asked for is on disk (False if ``timeout`` passed first)."""
        return self._idle.wait(timeout)

    def _write_pending(self) -> None:
        # lazy, for start-up: workbench.config loads on first use
        from workbench.config import atomic_write

        while True:
            with self._lock:
                make = self._pending
                self._pending = None
                if make is None:
                    self._writer = None
                    self._idle.set()
                    return
            error: Exception | None = None
            try:
                text = make()
                if text is not None:
                    atomic_write(self.path, text)
            except (OSError, ValueError, TypeError) as exc:
                error = exc
            if self.done is not None:
                try:
                    self.done(error)
                except Exception:  # noqa: BLE001 - a failing report must not stop later writes
                    pass
