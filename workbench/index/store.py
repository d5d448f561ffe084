"""One site's index on disk: :class:`SiteIndex` (open, write batches, remove, read back).

Writers: one sync at a time per site (a lock file next to the index; a second sync is refused with a
message). Readers: any number, at any time (WAL, or a copy in memory of a small index; a reader
reads the index again when it changed: :meth:`SiteIndex.refresh`). Between syncs a small index is
kept as a compressed snapshot (``snapshot``). Every write is a transaction that also moves the
space's sync position, so an interrupted sync (kill -9, a lost network) resumes from the last batch
it committed. All methods are synchronous and fast (a batch of 250 pages is a few milliseconds of
SQLite); callers on an event loop run them inline or in a thread.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from workbench.errors import UsageError, WorkbenchError
from workbench.index.chunks import chunked
from workbench.index.compaction import compact
from workbench.index.content import ContentStore
from workbench.index.files import Transaction, format_of, index_failure, open_reader, spaces_of
from workbench.index.records import IndexedSpace
from workbench.index.schema import FORMAT, PAGE_SIZE, stored_schema
from workbench.index.snapshot import (
    SNAPSHOT_UP_TO,
    Fingerprint,
    deflate,
    exists,
    inflate,
    snapshot_of,
)


class SiteIndex(ContentStore):
    """The index of one site. ``readonly=True`` opens an existing index for reading only."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._cache = {}  # a few unpacked chunks, most recent last (ChunkStore)
        self._seen: Fingerprint | None = None  # a reader's: what it read (``refresh``)
        self._people: dict[str, int] = {}
        self.rebuilt = (
            False  # an index of another layout was dropped on opening (a sync refills it)
        )
        try:
            if readonly:
                try:
                    self._db, self._seen = open_reader(self.path)
                except FileNotFoundError:
                    raise UsageError(
                        f"There is no local index of this site yet ({self.path}); run "
                        "'workbench sync SPACE…' (or --all) first."
                    ) from None
            else:
                # lazy, for start-up: workbench.config loads on first use
                from workbench.config import private_dir

                private_dir(self.path.parent)
                self._db = self._open_for_writing()
            self._db.execute("PRAGMA busy_timeout=5000")
            found = self.meta("format")
        except sqlite3.Error as exc:
            raise index_failure(self.path, exc, "opening it") from None
        except OSError as exc:  # the snapshot could not be turned back into the file
            raise WorkbenchError(
                f"Cannot open the local index {self.path}: {exc.strerror or exc}. Nothing in it "
                "is lost; free some space (or fix the folder's permissions) and try again."
            ) from None
        if found is not None and found != FORMAT:
            self._db.close()
            raise WorkbenchError(
                f"The local index {self.path} was written by another version of Workbench; "
                "run 'workbench sync' (it builds it again)."
            )

    def _open_for_writing(self) -> sqlite3.Connection:
        """The file opened for a sync; made when missing, and made again (empty: the sync fills it)
        when another version of Workbench wrote it in another layout."""
        kept: list[tuple[Any, ...]] = []
        if self.path.exists():  # beside a snapshot: the file counts (``snapshot``, "Both there")
            snapshot_of(self.path).unlink(missing_ok=True)
        elif exists(self.path):
            inflate(self.path)
        if self.path.exists() and format_of(self.path) not in (None, FORMAT):
            kept = spaces_of(self.path)  # the spaces it held are synced again, from scratch
            for stale in (self.path, *(Path(f"{self.path}{end}") for end in ("-wal", "-shm"))):
                stale.unlink(missing_ok=True)
            self.rebuilt = True
        created = not self.path.exists()
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        if created:
            os.chmod(self.path, 0o600)  # page text is as private as drafts
            # before the first table: neither can change afterwards without a VACUUM
            db.execute(f"PRAGMA page_size={PAGE_SIZE}")
            db.execute("PRAGMA auto_vacuum=INCREMENTAL")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(stored_schema())
        if db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone() is None:
            db.execute("INSERT INTO meta(key, value) VALUES ('format', ?)", (FORMAT,))
        db.executemany(
            "INSERT OR IGNORE INTO spaces(key, id, name, type, homepage_id) VALUES (?, ?, ?, ?, ?)",
            kept,
        )
        return db

    # -- plumbing -----------------------------------------------------------------------------
    def close(self) -> None:
        """Close the index; a writer leaves an index of up to ``SNAPSHOT_UP_TO`` bytes as a snapshot
        (when no reader holds the file; else it stays a file until a later sync)."""
        if self.readonly:
            self._db.close()
            return
        try:
            pages, size = (
                int(self._db.execute(f"PRAGMA {name}").fetchone()[0])
                for name in ("page_count", "page_size")
            )
        except sqlite3.Error:
            pages, size = 0, SNAPSHOT_UP_TO + 1
        if pages * size > SNAPSHOT_UP_TO:
            self._db.close()
            return
        try:
            deflate(self._db, self.path)
        except OSError:
            pass  # no room for the snapshot: the file stays as it is, whole

    @property
    def db(self) -> sqlite3.Connection:
        """The connection; a reader's is read again first when the index changed on disk
        (:meth:`refresh`), so a reader kept open sees every sync, as one reading the file does."""
        if self._seen is not None:
            self.refresh()
        return self._db

    def refresh(self) -> None:
        """A reader: read the index again when it changed on disk since it was read (a sync wrote to
        the file a copy in memory came from, or the index changed form). A few ``stat`` calls."""
        if self._seen is None or not self._seen.changed(self.path):
            return
        try:
            db, seen = open_reader(self.path)
        except FileNotFoundError:
            return  # removed: what was read stays readable
        except sqlite3.Error as exc:
            raise index_failure(self.path, exc, "reading it again") from None
        db.execute("PRAGMA busy_timeout=5000")
        old, self._db, self._seen = self._db, db, seen
        self._cache.clear()
        old.close()

    def __enter__(self) -> SiteIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def transaction(self) -> Transaction:
        return Transaction(self.db)

    def compact(self) -> None:
        """After a sync: the file made to hold its pages and little else
        (:func:`workbench.index.compaction.compact`)."""
        compact(self.db)

    # -- spaces -------------------------------------------------------------------------------
    def spaces(self) -> list[IndexedSpace]:
        rows = self.db.execute(
            "SELECT key, id, name, type, homepage_id, state, watermark, synced_at, "
            "checked_at FROM spaces ORDER BY key"
        ).fetchall()
        return [IndexedSpace(*row) for row in rows]

    def space(self, key: str) -> IndexedSpace | None:
        return next((s for s in self.spaces() if s.key == key), None)

    def put_space(
        self, key: str, space_id: str, name: str, type_: str, homepage_id: str | None
    ) -> None:
        homepage = int(homepage_id) if homepage_id and homepage_id.isdigit() else None
        self.db.execute(
            "INSERT INTO spaces(key, id, name, type, homepage_id) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET id = excluded.id, name = excluded.name, type = excluded.type, "
            "homepage_id = excluded.homepage_id",
            (key, space_id, name, type_, homepage),
        )

    def set_progress(
        self,
        key: str,
        *,
        state: str | None = None,
        watermark: str | None = None,
        synced_at: float | None = None,
        checked_at: float | None = None,
    ) -> None:
        """Move a space's sync position (call inside the batch's transaction)."""
        sets, params = [], []
        for column, value in (
            ("state", state),
            ("watermark", watermark),
            ("synced_at", synced_at),
            ("checked_at", checked_at),
        ):
            if value is not None:
                sets.append(f"{column} = ?")
                params.append(value)
        if sets:
            self.db.execute(f"UPDATE spaces SET {', '.join(sets)} WHERE key = ?", (*params, key))

    def remove_space(self, key: str) -> int:
        """Drop a space and everything indexed from it; returns how many pieces of content went."""
        with self.transaction():
            ids = [
                r[0] for r in self.db.execute("SELECT id FROM content WHERE space_key = ?", (key,))
            ]
            self.delete(ids)
            self.db.execute("DELETE FROM spaces WHERE key = ?", (key,))
            self.db.execute("DELETE FROM meta WHERE key = ?", (f"count_after_check:{key}",))
        return len(ids)

    # -- people -------------------------------------------------------------------------------
    def person(self, account: str) -> int | None:
        """The people id of an account (added when new)."""
        if not account:
            return None
        known = self._people.get(account)
        if known is None:
            self.db.execute("INSERT OR IGNORE INTO people(account) VALUES (?)", (account,))
            known = int(
                self.db.execute("SELECT id FROM people WHERE account = ?", (account,)).fetchone()[0]
            )
            self._people[account] = known
        return known

    def names(self, accounts: Iterable[str]) -> dict[str, str]:
        """Known display names (an empty name: the site has none for that account)."""
        out: dict[str, str] = {}
        for chunk in chunked([i for i in dict.fromkeys(accounts) if i]):
            marks = ",".join("?" * len(chunk))
            out.update(
                self.db.execute(
                    f"SELECT account, name FROM people WHERE name IS NOT NULL AND account IN "
                    f"({marks})",
                    chunk,
                ).fetchall()
            )
        return out

    def remember_names(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.db.executemany(
            "INSERT INTO people(account, name) VALUES (?, ?) ON CONFLICT(account) DO UPDATE SET "
            "name = excluded.name",
            [(i, n) for i, n in pairs if i],
        )
