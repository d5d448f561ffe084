"""Where a reader has been on one site: back/forward through the pages opened, the recent pages,
and bookmarks — headless (the TUI shows them; nothing here knows Textual).

The back/forward trail lives for the session, like a browser tab's. The recent pages and the
bookmarks are kept per site in the data directory (``places-<site>.json``), written off the
caller's thread (``services.background_file``: opening a page costs no fsync on the event loop) and
atomically (a crash or kill -9 leaves the old file or the new one, never half); a file that cannot
be read is set aside and the lists start empty, with a word for the caller to show. A write that
fails is said through ``on_problem`` (from the writer thread), once until a write succeeds again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from workbench.services.background_file import BackgroundFile
from workbench.services.json_record import read_record

#: How many recent pages are kept (and offered).
RECENT_LIMIT = 30
#: How far back the trail goes.
TRAIL_LIMIT = 100


@dataclass(frozen=True, slots=True)
class Place:
    """A page (or a blog post) as the lists show it."""

    page_id: str
    title: str
    kind: str = "page"
    space_key: str = ""

    @classmethod
    def from_json(cls, data: object) -> Place | None:
        if not isinstance(data, dict):
            return None
        page_id, title = data.get("page_id"), data.get("title")
        kind, space = data.get("kind", "page"), data.get("space_key", "")
        if not (isinstance(page_id, str) and page_id.isdigit() and isinstance(title, str)):
            return None
        if not isinstance(kind, str) or not isinstance(space, str):
            return None
        return cls(page_id, title, kind, space)


class Trail:
    """Back and forward through the pages opened this session (a browser tab's history)."""

    def __init__(self, limit: int = TRAIL_LIMIT) -> None:
        self._places: list[Place] = []
        self._at = -1
        self._limit = limit

    @property
    def current(self) -> Place | None:
        return self._places[self._at] if self._at >= 0 else None

    def visit(self, place: Place) -> None:
        """A page was opened by the reader: it becomes the newest step (forward steps are dropped,
        as in a browser); opening the page being shown again changes nothing."""
        current = self.current
        if current is not None and current.page_id == place.page_id:
            self._places[self._at] = place  # a new title after a rename, the same step
            return
        del self._places[self._at + 1 :]
        self._places.append(place)
        if len(self._places) > self._limit:
            del self._places[0]
        self._at = len(self._places) - 1

    def can_go(self, step: int) -> bool:
        return 0 <= self._at + step < len(self._places)

    def go(self, step: int) -> Place | None:
        """One step back (-1) or forward (1): the place there, or None at either end."""
        if not self.can_go(step):
            return None
        self._at += step
        return self._places[self._at]

    def forget(self, page_id: str) -> None:
        """A page that cannot be opened any more (deleted) leaves the trail."""
        keep = [p for p in self._places if p.page_id != page_id]
        current = self.current
        self._places = keep
        if current is not None and current in keep:
            self._at = keep.index(current)
        else:
            self._at = len(keep) - 1


class Places:
    """The recent pages and the bookmarks of one site, kept in ``path``. ``on_problem(text)`` is
    called from the writer thread when a write fails (not again until one succeeds)."""

    def __init__(self, path: Path, *, on_problem: Callable[[str], object] | None = None) -> None:
        self.path = path
        self.recent: list[Place] = []
        self.bookmarks: list[Place] = []
        self.problem: str | None = None  # what went wrong reading or writing, to say once
        self.on_problem = on_problem
        self._file = BackgroundFile(path, name="workbench-places", done=self._written)
        self._load()

    @classmethod
    def for_site(
        cls, directory: Path, site_key: str, *, on_problem: Callable[[str], object] | None = None
    ) -> Places:
        # lazy, for start-up: workbench.services.cache loads on first use
        from workbench.services.cache import site_slug

        return cls(Path(directory) / f"places-{site_slug(site_key)}.json", on_problem=on_problem)

    def _load(self) -> None:
        data, self.problem = read_record(self.path, "The list of recent pages and bookmarks")
        self.recent = _places(data.get("recent"))[:RECENT_LIMIT]
        self.bookmarks = _places(data.get("bookmarks"))

    def visited(self, place: Place) -> None:
        """``place`` was opened: first in the recent pages (once), and a bookmark's title renewed."""
        self.recent = [place] + [p for p in self.recent if p.page_id != place.page_id]
        del self.recent[RECENT_LIMIT:]
        self.bookmarks = [place if p.page_id == place.page_id else p for p in self.bookmarks]
        self._save()

    def is_bookmarked(self, page_id: str) -> bool:
        return any(p.page_id == page_id for p in self.bookmarks)

    def toggle_bookmark(self, place: Place) -> bool:
        """Bookmark ``place``, or remove its bookmark; True when it is bookmarked now."""
        if self.is_bookmarked(place.page_id):
            self.bookmarks = [p for p in self.bookmarks if p.page_id != place.page_id]
            marked = False
        else:
            self.bookmarks.append(place)
            marked = True
        self._save()
        return marked

    def forget(self, page_id: str) -> None:
        """A page that is gone leaves the recent pages (a bookmark stays: the reader removes it)."""
        before = len(self.recent)
        self.recent = [p for p in self.recent if p.page_id != page_id]
        if len(self.recent) != before:
            self._save()

    def wait_written(self, timeout: float | None = None) -> bool:
        """Block until the lists as they are now are on disk (False if ``timeout`` passed first)."""
        return self._file.wait(timeout)

    def _save(self) -> None:
        text = json.dumps(  # a few dozen entries: encoded here, written by the writer thread
            {
                "recent": [asdict(p) for p in self.recent],
                "bookmarks": [asdict(p) for p in self.bookmarks],
            },
            ensure_ascii=False,
            indent=1,
        )
        self._file.submit(lambda: text)

    def _written(self, error: Exception | None) -> None:
        """After each write, in the writer thread."""
        if error is None:
            self.problem = None
            return
        said = self.problem is not None and "could not be saved" in self.problem
        self.problem = (
            f"The recent pages and bookmarks could not be saved to {self.path} ({error}); they "
            "are kept for this session only."
        )
        if not said and self.on_problem is not None:
            self.on_problem(self.problem)


def _places(items: object) -> list[Place]:
    if not isinstance(items, list):
        return []
    out: list[Place] = []
    for item in items:
        place = Place.from_json(item)
        if place is not None and all(p.page_id != place.page_id for p in out):
            out.append(place)
    return out
