"""A small per-site cache of what the tree shows (spaces and page rows), so it draws at once.

One JSON file per site in the cache directory. Reads never raise: a missing, stale or corrupt
file is an empty cache (the network fills it again). Writes are atomic (a temporary file, fsync,
then a rename: a crash or kill -9 leaves the old file or the new one, never half of one).

The tree changes the cache on the event loop (a level loaded, the spaces listed) and asks for a
write with :meth:`TreeCache.save_soon`, which returns at once: one writer thread serializes and
writes the newest content, so changes made while it writes go into the next write, and the event
loop never encodes the whole file (30 000 rows cost ~0.1 s to encode). The writer is not a daemon
thread: a write asked for before the app quits is finished before the process ends.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from workbench.confluence.models import PageSummary, Space
from workbench.services.background_file import BackgroundFile
from workbench.services.site_files import site_slug as site_slug  # where it was
from workbench.services.site_files import tree_cache_file

FORMAT = 1
#: The fields of a row, all plain values: a row is stored as a flat dict of them (``asdict`` copies
#: deeply, field by field, and costs ~0.1 s for a level of 10 000 rows).
_ROW_FIELDS = tuple(f.name for f in fields(PageSummary))


class TreeCache:
    """Spaces and child rows of one site. ``parent`` keys are ``space:<id>`` or ``page:<id>``."""

    def __init__(self, directory: Path, site_key: str) -> None:
        self.path = tree_cache_file(directory, site_key)
        self._data: dict[str, Any] | None = None
        #: where each cached row sits: content id -> (its parent key, its title); built on demand
        self._where: dict[str, tuple[str, str]] | None = None
        # The writer (services.background_file): the event loop changes the data and asks for a
        # write; the writer thread takes a snapshot when it writes. Entries are replaced, never
        # changed in place, so a shallow copy taken under the lock is a consistent snapshot the
        # writer may encode while the loop goes on.
        self._lock = threading.Lock()
        self._file = BackgroundFile(self.path, name="workbench-tree-cache", done=self._written)
        #: the last write's failure (a cache: nothing is lost, the next change tries again)
        self.problem: str = ""

    def _load(self) -> dict[str, Any]:
        if self._data is None:
            try:
                raw = json.loads(self.path.read_text(encoding="utf-8"))
                if not isinstance(raw, dict) or raw.get("format") != FORMAT:
                    raise ValueError("old format")
                self._data = raw
            except (OSError, ValueError):
                self._data = {"format": FORMAT, "spaces": [], "children": {}}
        return self._data

    def spaces(self) -> list[Space]:
        out = []
        for row in self._load().get("spaces", []):
            try:
                out.append(Space(**row))
            except TypeError:
                return []
        return out

    def children(self, parent: str) -> list[PageSummary] | None:
        """Cached rows under ``parent``, or None when that parent was never loaded."""
        rows = self._load().get("children", {}).get(parent)
        if rows is None:
            return None
        try:
            return [PageSummary(**row) for row in rows]
        except TypeError:
            return None

    def put_spaces(self, spaces: list[Space]) -> None:
        rows = [asdict(s) for s in spaces]
        data = self._load()
        with self._lock:
            data["spaces"] = rows

    def put_children(self, parent: str, rows: list[PageSummary]) -> None:
        names = _ROW_FIELDS
        stored = [{name: getattr(r, name) for name in names} for r in rows]
        data = self._load()
        with self._lock:
            data.setdefault("children", {})[parent] = stored
            self._where = None

    def trail(self, content_id: str) -> list[str] | None:
        """Titles from the top of the space down to ``content_id`` (included), as the cache has
        them — the tree's rows, not the server's word: a page moved or renamed since they were
        cached is where and what the cache says. None when the cache does not know where
        ``content_id`` sits (or its rows loop)."""
        where = self._where
        if where is None:
            where = {}
            for parent, rows in self._load().get("children", {}).items():
                if not isinstance(rows, list):
                    continue
                for row in rows:
                    if isinstance(row, dict) and "id" in row:
                        where.setdefault(str(row["id"]), (parent, str(row.get("title") or "")))
            self._where = where
        titles: list[str] = []
        ident, seen = content_id, set()
        while ident not in seen:
            seen.add(ident)
            found = where.get(ident)
            if found is None:
                return None
            parent, title = found
            titles.append(title)
            kind, _, ident = parent.partition(":")
            if kind in ("space", "blog"):
                return titles[::-1]
        return None

    def snapshot(self) -> str | None:
        """The cache as JSON text."""
        with self._lock:
            data = self._copy()
        return None if data is None else json.dumps(data, separators=(",", ":"))

    def _copy(self) -> dict[str, Any] | None:
        """A shallow copy of the data (call with the lock held): its lists are never changed in
        place, so the copy stays as it was while the event loop goes on changing the cache."""
        if self._data is None:
            return None
        return {**self._data, "children": dict(self._data.get("children", {}))}

    def write(self, text: str | None) -> None:
        """Write a snapshot atomically (fine in a worker thread)."""
        # lazy, for start-up: workbench.config loads on first use
        from workbench.config import atomic_write

        if text is not None:
            atomic_write(self.path, text)

    def save(self) -> None:
        """Write the cache now, in this thread."""
        self.write(self.snapshot())

    def save_soon(self) -> None:
        """Write the cache in the writer thread (started if none is running); returns at once.
        Changes made before the write starts go into it, later ones into the next one."""
        if self._data is not None:
            self._file.submit(self.snapshot)

    def wait_written(self, timeout: float | None = None) -> bool:
        """Block until every write asked for is on disk (False if ``timeout`` passed first)."""
        return self._file.wait(timeout)

    def _written(self, error: Exception | None) -> None:
        self.problem = (
            "" if error is None else f"The tree cache could not be written to {self.path}: {error}"
        )
