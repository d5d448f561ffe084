"""Sync progress as text: one line on a terminal, redrawn in place (pages/s, ETA, a countdown while
Confluence makes the sync wait), or a line every few seconds when stderr is a file; or JSON lines.

Plain text and a carriage return only: no colours, no cursor movement, nothing but what a
``TextIO`` takes. Server text (space keys) goes through ``printable``.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import TextIO

from workbench.index.events import Event, Note, Progress, SpaceResult, Waiting
from workbench.textsafe import json_text, printable

BAR = 20


def clock(seconds: float) -> str:
    """``0:41``, ``12:05``, ``1:02:03``."""
    seconds = max(0, int(seconds + 0.5))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def bar(done: int, total: int | None) -> str:
    if not total:
        return ""
    filled = min(BAR, int(BAR * done / total))
    return "[" + "#" * filled + "." * (BAR - filled) + "]"


def progress_line(event: Progress) -> str:
    what = "checked" if event.phase == "check" else "pages"
    count = f"{event.done:,}/{event.total:,}" if event.total is not None else f"{event.done:,}"
    parts = [
        printable(event.space),
        bar(event.done, event.total),
        f"{count} {what}",
        f"{event.rate:,.0f} pages/s",
    ]
    if event.eta is not None and event.total and event.done < event.total:
        parts.append(f"ETA {clock(event.eta)}")
    return "  ".join(p for p in parts if p)


class ProgressPrinter:
    """Draws events on ``stream``; ``tty`` redraws one line in place. Call :meth:`run` as a task for
    the countdown while waiting (it redraws once a second)."""

    def __init__(
        self,
        stream: TextIO,
        *,
        tty: bool,
        every: float = 5.0,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.tty = tty
        self.every = every
        self.now = now
        self.line = ""
        self.shown = 0
        self.last_print = -1e9
        self.wait_until = 0.0
        self.wait_reason = ""
        self.current = ""

    def __call__(self, event: Event) -> None:
        if isinstance(event, Progress):
            self.current = event.space
            self.wait_until = 0.0
            self._show(
                progress_line(event), force=event.total is not None and event.done >= event.total
            )
        elif isinstance(event, Waiting):
            self.wait_until = self.now() + event.seconds
            self.wait_reason = event.reason
            self._show(self._wait_line(), force=True)
        elif isinstance(event, Note):
            self._finish()
            where = f"{printable(event.space)}: " if event.space else ""
            self.stream.write(f"workbench: {where}{printable(event.text)}\n")
        elif isinstance(event, SpaceResult):
            self._finish()
            self.stream.write(space_summary(event) + "\n")
        self.stream.flush()

    def _wait_line(self) -> str:
        left = max(0.0, self.wait_until - self.now())
        where = f"{printable(self.current)}  " if self.current else ""
        return f"{where}{printable(self.wait_reason)}: going on in {clock(left)}"

    def _show(self, line: str, *, force: bool = False) -> None:
        if self.tty:
            pad = " " * max(0, self.shown - len(line))
            self.stream.write("\r" + line + pad)
            self.shown = len(line)
            self.line = line
            return
        if force or self.now() - self.last_print >= self.every:
            self.stream.write(line + "\n")
            self.last_print = self.now()

    def _finish(self) -> None:
        if self.tty and self.shown:
            self.stream.write("\r" + " " * self.shown + "\r")
            self.shown = 0

    async def run(self) -> None:
        """Redraw the countdown every second while waiting (cancel the task at the end)."""
        while True:
            await asyncio.sleep(1.0)
            if self.wait_until and self.now() < self.wait_until:
                self._show(self._wait_line(), force=self.tty)
                self.stream.flush()


def space_summary(result: SpaceResult) -> str:
    changes = [
        f"{result.added:,} new",
        f"{result.updated:,} updated",
        f"{result.removed:,} removed",
    ]
    checked = ", fully checked" if result.checked else ""
    return (
        f"{printable(result.space)}: {result.indexed:,} indexed ({', '.join(changes)}{checked}) "
        f"in {result.seconds:.1f} s"
    )


class JsonLines:
    """One JSON object per event on ``stream`` (``--json``)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def __call__(self, event: Event) -> None:
        self.write(event.as_json())

    def write(self, data: dict) -> None:
        self.stream.write(json_text(json.dumps(data, ensure_ascii=False)) + "\n")
        self.stream.flush()
