"""A quit asked for by a signal ends the process, even when the terminal is gone.

SIGHUP (the terminal closed, SSH dropped) and SIGTERM ask the app to write the editor's draft and quit
(`WorkbenchApp._signalled`). Textual's own quit then restores the terminal through its writer thread.
With the terminal gone that can hang for ever: once a write to the dead terminal has failed, the writer
thread is gone and the bounded queue in front of it fills, so the event loop blocks in `Queue.put` (the
family of Textual issue #6692). A pty without a controlling terminal makes it easy to reach: its reader
sees end-of-file over and over, and a SIGCONT restarts Textual's application mode on top of the running
one. The process then spun at ~20 % CPU and ignored every later SIGTERM.

So the handlers are plain `signal.signal` handlers (Python runs them in the main thread even while that
thread waits on a lock), which hand the quit to the event loop as before and start a deadline: if the
process is still there `GRACE` seconds later, or when a second signal comes, it ends at once with
128 + the signal's number. The draft is written by the event loop first; the editing session's files
are built to survive a kill -9, so an exit at the deadline loses no more than that would.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable

GRACE = 5.0  # seconds an asked-for quit may take before the process ends anyway


class QuitGuard:
    """Signal handlers that ask the event loop to quit, with a deadline that always ends the process."""

    def __init__(self, loop: asyncio.AbstractEventLoop, on_signal: Callable[[int], None]) -> None:
        self._loop = loop
        self._on_signal = on_signal
        self._asked: int | None = None

    def install(self) -> None:
        """Handle SIGHUP (where it exists) and SIGTERM; a no-op off the main thread."""
        for sig in (getattr(signal, "SIGHUP", None), signal.SIGTERM):
            if sig is None:
                continue
            try:
                signal.signal(sig, self._handle)
            except ValueError:  # not the main thread
                return

    def _handle(self, number: int, _frame: object) -> None:
        if self._asked is not None:  # asked twice: the person (or the system) means it
            os._exit(128 + self._asked)
        self._asked = number
        deadline = threading.Thread(
            target=self._end_later, args=(number,), name="quit-deadline", daemon=True
        )
        deadline.start()
        try:
            self._loop.call_soon_threadsafe(self._on_signal, number)
        except RuntimeError:  # the loop is closed: nothing left to write
            os._exit(128 + number)

    @staticmethod
    def _end_later(number: int) -> None:
        threading.Event().wait(GRACE)
        os._exit(128 + number)
