"""An index file: reading it, one writer at a time, transactions, and what its errors mean."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.index.snapshot import (
    SNAPSHOT_UP_TO,
    Fingerprint,
    database_size,
    in_memory,
    index_of,
    read_image,
    snapshot_of,
)


class IndexBusy(WorkbenchError):
    """Another sync of this site is running."""


class Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on an exception); nested uses join the outer one."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.outer = False

    def __enter__(self) -> Transaction:
        if not self.db.in_transaction:
            self.db.execute("BEGIN IMMEDIATE")
            self.outer = True
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.outer:
            self.db.execute("ROLLBACK" if exc_type else "COMMIT")


class WriterLock:
    """One sync per site at a time: a lock file next to the index, held while the sync runs."""

    def __init__(self, index_path: Path) -> None:
        # lazy, for start-up: filelock (with filelock) loads on first use
        from filelock import FileLock

        self._lock = FileLock(str(index_path) + ".lock")

    def __enter__(self) -> WriterLock:
        # lazy, for start-up: filelock (with filelock) loads on first use
        from filelock import Timeout

        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise IndexBusy(
                "Another 'workbench sync' of this site is running; wait for it to finish "
                "(its progress is kept either way)."
            ) from None
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


def reader(path: Path) -> sqlite3.Connection:
    """A connection that only reads the index ``path``, in whichever form it is on disk
    (:func:`open_reader`); raises ``FileNotFoundError`` when there is none."""
    return open_reader(path)[0]


def open_reader(path: Path) -> tuple[sqlite3.Connection, Fingerprint]:
    """A read-only connection to the index ``path`` and the :class:`~workbench.index.snapshot.Fingerprint`
    of what it read: a copy in memory of a snapshot or of a file up to ``SNAPSHOT_UP_TO``, else the
    file in place (see ``snapshot``). Raises ``FileNotFoundError`` when neither form is there."""
    for _ in range(3):  # the index may change form between the look and the read: look again
        if path.exists():
            live = database_size(path) > SNAPSHOT_UP_TO
            seen = Fingerprint.of(path, live=live)
            try:
                db = _in_place(path)
            except sqlite3.OperationalError:
                if path.exists():
                    raise
                continue  # it became a snapshot meanwhile
            if live:
                return db, seen
            try:
                image = db.serialize()
            finally:
                db.close()
            return in_memory(image), seen
        if snapshot_of(path).exists():
            seen = Fingerprint.of(path, live=False)
            try:
                image = read_image(path)
            except FileNotFoundError:
                continue  # it became a file meanwhile
            return in_memory(image), seen
        break
    raise FileNotFoundError(str(path))


def _in_place(path: Path) -> sqlite3.Connection:
    """The file itself, read-only (``query_only``). Not SQLite's read-only mode: a read-only
    connection cannot remove the WAL and shared-memory files it makes beside a file in WAL mode,
    so every search would leave 32 kB or more behind; this one, when it is the last to close, takes
    them away as any connection does."""
    db = sqlite3.connect(
        f"file:{path}?mode=rw", uri=True, check_same_thread=False, isolation_level=None
    )
    db.execute("PRAGMA query_only=ON")
    return db


def index_paths(folder: Path) -> list[Path]:
    """The indexes in ``folder`` (each named by its ``.sqlite3`` path, whichever form it is in)."""
    found = {index_of(p) for p in folder.iterdir()} if folder.is_dir() else set()
    return sorted(p for p in found if p is not None)


def format_of(path: Path) -> str | None:
    """The layout an index file says it has (None: not an index, or unreadable: left as it is)."""
    try:
        db = reader(path)
        try:
            found = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        finally:
            db.close()
    except (sqlite3.Error, OSError):
        return None
    return str(found[0]) if found else None


def spaces_of(path: Path) -> list[tuple[Any, ...]]:
    """``(key, id, name, type, homepage_id)`` of the spaces an index file holds ([] if unreadable)."""
    try:
        db = reader(path)
        try:
            return db.execute("SELECT key, id, name, type, homepage_id FROM spaces").fetchall()
        finally:
            db.close()
    except (sqlite3.Error, OSError):
        return []


def index_failure(path: Path, exc: sqlite3.Error, doing: str) -> WorkbenchError:
    """The message for an SQLite error on an index file: a full disk, a damaged file, a busy one."""
    said = str(exc)
    if "full" in said or isinstance(exc, sqlite3.OperationalError) and "disk I/O" in said:
        return WorkbenchError(
            f"Cannot write the local index {path} while {doing}: the disk is full (or the "
            "file may not grow). Nothing indexed so far is lost; free some space and run "
            "'workbench sync' again to go on."
        )
    if "locked" in said or "busy" in said:
        return WorkbenchError(
            f"The local index {path} is busy (another program holds it) while {doing}; "
            "try again in a moment."
        )
    return WorkbenchError(
        f"The local index {path} is damaged ({said}) while {doing}; remove it and run "
        "'workbench sync' again to rebuild it."
    )
