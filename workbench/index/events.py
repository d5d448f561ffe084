"""What a sync tells whoever watches it: progress with a rate and an ETA, waits, notes, results.

Events are plain frozen dataclasses (``as_json()`` for ``--json`` lines); the command line draws
them as a one-line bar on stderr (``workbench.index.progress``), the TUI will show them in its own
way. :class:`Rate` is the pages-per-second estimate over a sliding window.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Progress:
    """``done`` of ``total`` pieces of content looked at in ``space`` (``phase``: ``sync`` for the pass over
    what changed, ``check`` for a full check of the space's ids)."""

    space: str
    phase: str
    done: int
    total: int | None
    rate: float
    eta: float | None

    def as_json(self) -> dict[str, Any]:
        return {"event": "progress", **asdict(self)}


@dataclass(frozen=True, slots=True)
class Waiting:
    """The sync pauses ``seconds`` (Confluence asked for it: a 429 or a remembered pause)."""

    seconds: float
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"event": "wait", **asdict(self)}


@dataclass(frozen=True, slots=True)
class Note:
    """Something a person should know (a space removed, a full check started)."""

    text: str
    space: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"event": "note", **asdict(self)}


@dataclass(slots=True)
class SpaceResult:
    """What one space's sync did."""

    space: str
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    indexed: int = 0
    checked: bool = False
    first: bool = False
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {"event": "space", **asdict(self)}


@dataclass(slots=True)
class SyncResult:
    """What a whole sync did (``requests``: HTTP requests sent, retries included)."""

    spaces: list[SpaceResult] = field(default_factory=list)
    removed_spaces: list[str] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "event": "done",
            "spaces": [asdict(s) for s in self.spaces],
            "removed_spaces": self.removed_spaces,
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
        }


Event = Progress | Waiting | Note | SpaceResult
OnEvent = Callable[[Event], None]


class Rate:
    """Pieces per second over the last ``window`` seconds, and the time left for the rest."""

    def __init__(self, window: float = 10.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self.clock = clock
        self._marks: deque[tuple[float, int]] = deque()
        self.started = clock()

    def add(self, done: int) -> None:
        now = self.clock()
        self._marks.append((now, done))
        while len(self._marks) > 2 and now - self._marks[0][0] > self.window:
            self._marks.popleft()

    def per_second(self) -> float:
        if len(self._marks) < 2:
            elapsed = self.clock() - self.started
            return self._marks[-1][1] / elapsed if self._marks and elapsed > 0 else 0.0
        (t0, d0), (t1, d1) = self._marks[0], self._marks[-1]
        return (d1 - d0) / (t1 - t0) if t1 > t0 else 0.0

    def eta(self, done: int, total: int | None) -> float | None:
        rate = self.per_second()
        if total is None or rate <= 0:
            return None
        return max(0.0, (total - done) / rate)
