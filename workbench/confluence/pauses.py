"""Long pauses Confluence asked for, remembered per site.

A 429 (or a 503) whose ``Retry-After`` is longer than a client waits by itself — Cloud's points quota
answers "until the top of the hour", Atlassian's advice is to pause *all* calls until then
(developer.atlassian.com/cloud/confluence/rate-limiting/) — is written here with the moment it ends.
Until then every request to that site, from any client of this process and from the next
``workbench`` command (the book is also a small JSON file in the data directory), either fails at
once with the time left, or waits it out when the person chose to wait. Nothing is sent meanwhile.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path

#: Pauses shorter than this are not worth a file write (the transport waits those out itself).
MIN_REMEMBERED = 1.0
#: A pause longer than this is not believed (a broken header or clock): the book keeps at most a day.
MAX_REMEMBERED = 24 * 3600.0


@dataclass(frozen=True)
class Pause:
    until: float  # wall-clock seconds since the epoch
    reason: str

    def left(self, now: float | None = None) -> float:
        return max(0.0, self.until - (time.time() if now is None else now))


class PauseBook:
    """Per-site pauses, in memory and (when ``path`` is given) in a JSON file shared by processes."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._pauses: dict[str, Pause] = {}
        self._loaded = False

    def pause_of(self, site: str, now: float | None = None) -> Pause | None:
        """The pause in force for ``site``, or None."""
        now = time.time() if now is None else now
        with self._lock:
            self._load()
            pause = self._pauses.get(site)
            if pause is not None and pause.until <= now:
                del self._pauses[site]
                pause = None
            return pause

    def remember(self, site: str, seconds: float, reason: str, now: float | None = None) -> Pause:
        now = time.time() if now is None else now
        pause = Pause(now + min(seconds, MAX_REMEMBERED), reason)
        with self._lock:
            self._load()
            known = self._pauses.get(site)
            if known is None or known.until < pause.until:
                self._pauses[site] = pause
            self._save(now)
            return self._pauses[site]

    def forget(self, site: str) -> None:
        with self._lock:
            self._load()
            if self._pauses.pop(site, None) is not None:
                self._save(time.time())

    # -- the file ------------------------------------------------------------------------------
    def _load(self) -> None:
        if self._loaded or self.path is None:
            self._loaded = True
            return
        self._loaded = True
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            return  # no file (or a broken one): no pauses known
        if not isinstance(data, dict):
            return
        for site, entry in data.items():
            if (
                isinstance(site, str)
                and isinstance(entry, dict)
                and isinstance(entry.get("until"), int | float)
            ):
                reason = entry.get("reason")
                self._pauses[site] = Pause(
                    float(entry["until"]), reason if isinstance(reason, str) else ""
                )

    def _save(self, now: float) -> None:
        if self.path is None:
            return
        live = {
            site: {"until": p.until, "reason": p.reason}
            for site, p in self._pauses.items()
            if p.until > now
        }
        try:
            # lazy, for start-up: workbench.config loads on first use
            from workbench.config import atomic_write

            atomic_write(self.path, json.dumps(live, indent=1))
        except OSError:
            pass  # an unwritable data directory: the pause is still kept for this process


_books: dict[Path, PauseBook] = {}
_books_lock = threading.Lock()


def shared_book() -> PauseBook:
    """The book of this process for the current data directory (``<data dir>/rate-limits.json``)."""
    # lazy, for start-up: workbench.config loads on first use
    from workbench.config import data_dir

    path = data_dir() / "rate-limits.json"
    with _books_lock:
        book = _books.get(path)
        if book is None:
            book = _books[path] = PauseBook(path)
        return book


def duration(seconds: float) -> str:
    """``45 s``, ``12 min``, ``1 h 5 min`` — how long, for people."""
    seconds = max(0, int(seconds + 0.999))
    if seconds < 90:
        return f"{seconds} s"
    minutes = (seconds + 59) // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def clock_time(epoch: float) -> str:
    """The local time of day for ``epoch`` (``14:32``)."""
    return time.strftime("%H:%M", time.localtime(epoch))
