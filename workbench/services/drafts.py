"""Local drafts of the editor buffer, so nothing typed is ever lost.

A draft is keyed by site, page id and the base version the edit started from, and lives as one
JSON file in ``<data dir>/drafts``. Writes are atomic (temp file + rename), so a crash or
``kill -9`` leaves either the previous draft or the new one. The TUI debounces writes (~1 s).
New pages that were never saved use the page id ``new:<parent id>:<title>`` and base version 0.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from workbench.services.cache import site_slug


@dataclass(frozen=True, slots=True)
class Draft:
    site: str
    page_id: str
    base_version: int
    title: str
    markdown: str
    saved_at: float = 0.0


class DraftStore:
    """Drafts of one site."""

    def __init__(self, directory: Path, site_key: str) -> None:
        self.directory = Path(directory)
        self.site = site_key
        self._prefix = f"{site_slug(site_key)}--"

    def _stem(self, page_id: str) -> str:
        return self._prefix + "".join(ch if ch.isalnum() else "_" for ch in page_id)

    def _path(self, page_id: str, base_version: int) -> Path:
        return self.directory / f"{self._stem(page_id)}--v{base_version}.json"

    def save(self, page_id: str, base_version: int, title: str, markdown: str) -> Draft:
        from workbench.config import atomic_write

        draft = Draft(self.site, page_id, base_version, title, markdown, time.time())
        atomic_write(self._path(page_id, base_version), json.dumps(asdict(draft)))
        return draft

    def load(self, page_id: str, base_version: int) -> Draft | None:
        return self._read(self._path(page_id, base_version))

    def for_page(self, page_id: str) -> list[Draft]:
        """Every draft of this page (any base version), newest first."""
        found = []
        for path in self.directory.glob(f"{self._stem(page_id)}--v*.json"):
            draft = self._read(path)
            if draft is not None and draft.page_id == page_id:
                found.append(draft)
        return sorted(found, key=lambda d: d.saved_at, reverse=True)

    def new_pages_under(self, parent_id: str) -> list[Draft]:
        """Drafts of pages never created under ``parent_id`` (newest first)."""
        found = []
        for path in self.directory.glob(f"{self._prefix}new_*--v0.json"):
            draft = self._read(path)
            if draft is not None and draft.page_id.startswith(f"new:{parent_id}:"):
                found.append(draft)
        return sorted(found, key=lambda d: d.saved_at, reverse=True)

    def discard(self, page_id: str, base_version: int | None = None) -> None:
        """Remove the draft of one base version, or every draft of the page."""
        drafts = (
            [self._path(page_id, base_version)]
            if base_version is not None
            else [self._path(d.page_id, d.base_version) for d in self.for_page(page_id)]
        )
        for path in drafts:
            try:
                path.unlink()
            except FileNotFoundError:
                pass

    @staticmethod
    def _read(path: Path) -> Draft | None:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return Draft(**raw)
        except (OSError, ValueError, TypeError):
            return None
