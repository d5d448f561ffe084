"""A small per-site cache of what the tree shows (spaces and page rows), so it draws at once.

One JSON file per site in the cache directory. Reads never raise: a missing, stale or corrupt
file is an empty cache (the network fills it again). Writes are atomic.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from workbench.confluence.models import PageSummary, Space

FORMAT = 1
#: The fields of a row, all plain values: a row is stored as a flat dict of them (``asdict`` copies
#: deeply, field by field, and costs ~0.1 s for a level of 10 000 rows).
_ROW_FIELDS = tuple(f.name for f in fields(PageSummary))


def site_slug(site_key: str) -> str:
    """A file-name-safe, stable name for a site key (URL or profile)."""
    digest = hashlib.sha256(site_key.encode("utf-8")).hexdigest()[:16]
    readable = "".join(ch if ch.isalnum() else "-" for ch in site_key)[:40].strip("-")
    return f"{readable}-{digest}"


class TreeCache:
    """Spaces and child rows of one site. ``parent`` keys are ``space:<id>`` or ``page:<id>``."""

    def __init__(self, directory: Path, site_key: str) -> None:
        self.path = Path(directory) / f"tree-{site_slug(site_key)}.json"
        self._data: dict[str, Any] | None = None

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
        self._load()["spaces"] = [asdict(s) for s in spaces]

    def put_children(self, parent: str, rows: list[PageSummary]) -> None:
        names = _ROW_FIELDS
        self._load().setdefault("children", {})[parent] = [
            {name: getattr(r, name) for name in names} for r in rows
        ]

    def snapshot(self) -> str | None:
        """The cache as JSON text (take it where the cache is changed; write it anywhere)."""
        return None if self._data is None else json.dumps(self._data, separators=(",", ":"))

    def write(self, text: str | None) -> None:
        """Write a snapshot atomically (fine in a worker thread)."""
        # lazy, for start-up: workbench.config loads on first use
        from workbench.config import atomic_write

        if text is not None:
            atomic_write(self.path, text)

    def save(self) -> None:
        self.write(self.snapshot())
