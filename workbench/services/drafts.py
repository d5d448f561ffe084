"""Local drafts of the editor buffer, so nothing typed is ever lost.

A draft is keyed by site, page id and the base version the edit started from, and lives as one
JSON file in ``<data dir>/drafts``. Writes are atomic (temp file, fsync, rename), so a crash or
``kill -9`` leaves either the previous draft or the new one.

A page that does not exist yet has no id: its key is ``new:<parent id>:<draft id>``
(:func:`new_page_key`), where the draft id is a random id made when the new page is started, never
its title — titles that differ only in punctuation would share a file, and the title can change
before the page is created. The title, space and kind are stored in the draft.

:class:`DraftSchedule` decides *when* to write: ~1 s after the typing stops (the debounce), and
never more than ``max_wait`` after the first unsaved keystroke, so steady typing is drafted too.
A store whose folder cannot be written (full, read-only, gone) raises :class:`DraftsUnwritable`,
with a sentence for a person; :meth:`DraftStore.relocate` moves the store to another folder.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.services.cache import site_slug

DEBOUNCE = 1.0  # seconds after the last keystroke
MAX_WAIT = 2.0  # seconds after the first unsaved keystroke, however fast the typing


class DraftsUnwritable(WorkbenchError):
    """The drafts folder cannot be written; the text is still where it was (editor, memory)."""

    def __init__(self, directory: Path, error: OSError) -> None:
        reason = error.strerror or type(error).__name__
        super().__init__(f"Cannot write drafts to {directory} ({reason}).")
        self.directory = directory
        self.error = error


@dataclass(frozen=True, slots=True)
class Draft:
    site: str
    page_id: str
    base_version: int
    title: str
    markdown: str
    saved_at: float = 0.0
    space_id: str = ""
    kind: str = "page"
    parent_id: str | None = None

    @property
    def is_new_page(self) -> bool:
        return self.page_id.startswith("new:")


def new_draft_id() -> str:
    """A stable id for a page that does not exist yet (its draft key does not depend on its title)."""
    return uuid.uuid4().hex[:16]


def new_page_key(parent_id: str | None, draft_id: str) -> str:
    """The draft key of a page that does not exist yet (``draft_id`` from :func:`new_draft_id`)."""
    return f"new:{parent_id or 'root'}:{draft_id}"


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

    def save(
        self,
        page_id: str,
        base_version: int,
        title: str,
        markdown: str,
        *,
        space_id: str = "",
        kind: str = "page",
        parent_id: str | None = None,
    ) -> Draft:
        """Write a draft atomically; :class:`DraftsUnwritable` when the folder cannot be written."""
        # lazy, for start-up: workbench.config loads on first use
        from workbench.config import atomic_write

        draft = Draft(
            self.site,
            page_id,
            base_version,
            title,
            markdown,
            time.time(),
            space_id,
            kind,
            parent_id,
        )
        try:
            atomic_write(self._path(page_id, base_version), json.dumps(asdict(draft)))
        except OSError as exc:
            raise DraftsUnwritable(self.directory, exc) from None
        return draft

    def writable(self) -> DraftsUnwritable | None:
        """None when drafts can be written here (tried with a real file); the problem otherwise."""
        # lazy, for start-up: workbench.config loads on first use
        from workbench.config import atomic_write

        probe = self.directory / f".{self._prefix}probe"
        try:
            atomic_write(probe, "ok")
            probe.unlink()
        except OSError as exc:
            return DraftsUnwritable(self.directory, exc)
        return None

    def relocate(self, directory: Path) -> None:
        """Keep this site's drafts in ``directory`` from now on (e.g. when the data dir is full)."""
        self.directory = Path(directory)

    def load(self, page_id: str, base_version: int) -> Draft | None:
        draft = self._read(self._path(page_id, base_version))
        return draft if draft is not None and draft.page_id == page_id else None

    def for_page(self, page_id: str) -> list[Draft]:
        """Every draft of this page (any base version), newest first."""
        found = []
        for path in self._glob(f"{self._stem(page_id)}--v*.json"):
            draft = self._read(path)
            if draft is not None and draft.page_id == page_id:
                found.append(draft)
        return sorted(found, key=lambda d: d.saved_at, reverse=True)

    def new_pages_under(self, parent_id: str) -> list[Draft]:
        """Drafts of pages never created under ``parent_id`` (newest first)."""
        found = []
        for path in self._glob(f"{self._prefix}new_*--v0.json"):
            draft = self._read(path)
            if draft is not None and draft.page_id.startswith(f"new:{parent_id}:"):
                found.append(draft)
        return sorted(found, key=lambda d: d.saved_at, reverse=True)

    def discard(self, page_id: str, base_version: int | None = None) -> None:
        """Remove the draft of one base version, or every draft of the page. Never raises: a draft
        that cannot be removed (read-only folder) is left, and offered again later."""
        drafts = (
            [self._path(page_id, base_version)]
            if base_version is not None
            else [self._path(d.page_id, d.base_version) for d in self.for_page(page_id)]
        )
        for path in drafts:
            try:
                path.unlink()
            except OSError:
                pass

    def _glob(self, pattern: str) -> list[Path]:
        try:
            return list(self.directory.glob(pattern))
        except OSError:
            return []

    @staticmethod
    def _read(path: Path) -> Draft | None:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            known = {f.name for f in fields(Draft)}
            return Draft(**{k: v for k, v in raw.items() if k in known})
        except (OSError, ValueError, TypeError, AttributeError):
            return None


class DraftSchedule:
    """When the buffer should next be written as a draft.

    ``changed(now)`` after every edit returns the moment the draft is due: ``debounce`` after this
    edit, but no later than ``max_wait`` after the first edit not yet written. ``written()`` after a
    write. Times are ``time.monotonic()`` values; the caller owns the timer.
    """

    def __init__(self, debounce: float = DEBOUNCE, max_wait: float = MAX_WAIT) -> None:
        self.debounce = debounce
        self.max_wait = max(max_wait, debounce)
        self.pending_since: float | None = None

    def changed(self, now: float) -> float:
        if self.pending_since is None:
            self.pending_since = now
        return min(now + self.debounce, self.pending_since + self.max_wait)

    def written(self) -> None:
        self.pending_since = None

    @property
    def pending(self) -> bool:
        return self.pending_since is not None
