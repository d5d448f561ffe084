"""One site's index on disk: :class:`SiteIndex` (open, write batches, remove, read back).

Writers: one sync at a time per site (a lock file next to the index; a second sync is refused with a
message). Readers: any number, at any time (WAL). Every write is a transaction that also moves the
space's sync position, so an interrupted sync (kill -9, a lost network) resumes from the last batch
it committed. All methods are synchronous and fast (a batch of 250 pages is a few milliseconds of
SQLite); callers on an event loop run them inline or in a thread.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workbench.errors import UsageError, WorkbenchError
from workbench.index.chunks import ChunkStore, chunked
from workbench.index.compaction import compact
from workbench.index.schema import FORMAT, PAGE_SIZE, stored_schema, webui_of


@dataclass(frozen=True, slots=True)
class IndexedSpace:
    key: str
    id: str
    name: str
    type: str
    homepage_id: int | None
    state: str
    watermark: str
    synced_at: float | None
    checked_at: float | None


@dataclass(frozen=True, slots=True)
class Entry:
    """What the index knows of one piece of content, without its body (change detection)."""

    id: int
    type: str
    title: str
    version: int
    parent_id: int | None
    labels: str
    has_body: bool


@dataclass(frozen=True, slots=True)
class Row:
    """One piece of content to write: ``storage``/``text`` None keeps the body already indexed."""

    id: int
    type: str
    space_key: str
    title: str
    version: int
    parent_id: int | None = None
    parent_type: str | None = None
    modified_at: str = ""
    modified_by: str = ""
    author_id: str = ""
    labels: str = ""
    webui: str = ""
    storage: str | None = None
    text: str | None = None


class IndexBusy(WorkbenchError):
    """Another sync of this site is running."""


class SiteIndex(ChunkStore):
    """The index file of one site. ``readonly=True`` opens an existing file for reading only."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._cache = {}  # a few unpacked chunks, most recent last (ChunkStore)
        self._people: dict[str, int] = {}
        self.rebuilt = (
            False  # an index of another layout was dropped on opening (a sync refills it)
        )
        try:
            if readonly:
                if not self.path.exists():
                    raise UsageError(
                        f"There is no local index of this site yet ({self.path}); run "
                        "'workbench sync SPACE…' (or --all) first."
                    )
                self.db = reader(self.path)
            else:
                # lazy, for start-up: workbench.config loads on first use
                from workbench.config import private_dir

                private_dir(self.path.parent)
                self.db = self._open_for_writing()
            self.db.execute("PRAGMA busy_timeout=5000")
            found = self.meta("format")
        except sqlite3.Error as exc:
            raise index_failure(self.path, exc, "opening it") from None
        if found is not None and found != FORMAT:
            self.db.close()
            raise WorkbenchError(
                f"The local index {self.path} was written by another version of Workbench; "
                "run 'workbench sync' (it builds it again)."
            )

    def _open_for_writing(self) -> sqlite3.Connection:
        """The file opened for a sync; made when missing, and made again (empty: the sync fills it)
        when another version of Workbench wrote it in another layout."""
        kept: list[tuple[Any, ...]] = []
        if self.path.exists() and _format_of(self.path) not in (None, FORMAT):
            kept = _spaces_of(self.path)  # the spaces it held are synced again, from scratch
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
        self.db.close()

    def __enter__(self) -> SiteIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def transaction(self) -> _Transaction:
        return _Transaction(self.db)

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

    # -- content ------------------------------------------------------------------------------
    def entries(self, ids: Iterable[int]) -> dict[int, Entry]:
        out: dict[int, Entry] = {}
        for chunk in chunked(list(ids)):
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(
                f"SELECT id, type, title, version, parent_id, labels, chunk IS NOT NULL FROM content "
                f"WHERE id IN ({marks})",
                chunk,
            ):
                out[row[0]] = Entry(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]))
        return out

    def count(self, space_key: str) -> int:
        return int(
            self.db.execute(
                "SELECT COUNT(*) FROM content WHERE space_key = ?", (space_key,)
            ).fetchone()[0]
        )

    def ids_of_space(self, space_key: str) -> Iterator[int]:
        """Content ids of a space, in id order, read in chunks (never the whole list at once)."""
        last = -1
        while True:
            rows = self.db.execute(
                "SELECT id FROM content WHERE space_key = ? AND id > ? ORDER BY id LIMIT 1000",
                (space_key, last),
            ).fetchall()
            if not rows:
                return
            yield from (ident for (ident,) in rows)
            last = rows[-1][0]

    def write(self, rows: Sequence[Row]) -> None:
        """Insert or replace content (call inside a transaction)."""
        flavour = self.meta("flavour") or "cloud"
        old = self._old([r.id for r in rows])
        for row in rows:
            if row.id in old:
                self._fts_delete(row.id, old[row.id])
        fresh = [r for r in rows if r.storage is not None]
        places = self._store_bodies([(r.storage or "", r.text or "") for r in fresh])
        placed = {r.id: place for r, place in zip(fresh, places, strict=True)}
        released: list[int] = []
        for row in rows:
            before = old.get(row.id)
            chunk: int | None
            slot: int | None
            if row.id in placed:
                chunk, slot = placed[row.id]
                text = row.text or ""
                size = len((row.storage or "").encode("utf-8", "surrogatepass"))
                if before is not None and before.chunk is not None:
                    released.append(before.chunk)
            elif before is not None:
                chunk, slot, text, size = before.chunk, before.slot, before.text, before.size
            else:
                chunk, slot, text, size = None, None, "", 0
            usual = webui_of(flavour, row.type, row.space_key, row.id, row.title)
            self.db.execute(
                "INSERT OR REPLACE INTO content(id, type, space_key, title, parent_id, parent_type, version, modified, "
                "editor, author, labels, webui, chunk, slot, storage_bytes) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    row.id,
                    row.type,
                    row.space_key,
                    row.title,
                    row.parent_id,
                    row.parent_type if row.parent_type not in (None, "page") else None,
                    row.version,
                    millis(row.modified_at),
                    self.person(row.modified_by),
                    self.person(row.author_id),
                    row.labels,
                    row.webui if row.webui != usual else None,
                    chunk,
                    slot,
                    size,
                ),
            )
            self.db.execute(
                "INSERT INTO fts(rowid, title, text, labels) VALUES (?, ?, ?, ?)",
                (row.id, row.title, text, row.labels),
            )
        self._release(released)

    def delete(self, ids: Iterable[int]) -> list[int]:
        """Remove content (call inside a transaction). Children of a removed page move up to its parent,
        as Confluence does when a page goes to the trash. Returns the ids that were indexed."""
        wanted = list(ids)
        old = self._old(wanted)
        released: list[int] = []
        for ident in wanted:
            before = old.get(ident)
            if before is None:
                continue
            self._fts_delete(ident, before)
            self.db.execute("DELETE FROM content WHERE id = ?", (ident,))
            if before.chunk is not None:
                released.append(before.chunk)
        self._move_up({ident: before.parent_id for ident, before in old.items()})
        self._release(released)
        return [i for i in wanted if i in old]

    def _move_up(self, removed: dict[int, int | None]) -> None:
        """The children of removed pages (``removed``: id -> its parent) now hang under the nearest
        ancestor that was not removed with them; one walk of the table per 500 removed pages (there
        is no index on ``parent_id``: see ``schema``, "Fixed cost")."""
        target: dict[int, int | None] = {}
        for ident in removed:
            parent, seen = removed[ident], {ident}
            while parent in removed and parent not in seen:  # removed with it: further up
                seen.add(parent)
                parent = removed[parent]
            target[ident] = None if parent in seen else parent
        for chunk in chunked(list(target)):
            cases = " ".join("WHEN ? THEN ?" for _ in chunk)
            marks = ",".join("?" * len(chunk))
            self.db.execute(
                f"UPDATE content SET parent_id = CASE parent_id {cases} END "
                f"WHERE parent_id IN ({marks})",
                [v for ident in chunk for v in (ident, target[ident])] + chunk,
            )

    def _old(self, ids: Sequence[int]) -> dict[int, _Old]:
        """What the index holds for ``ids``, with the text the full-text index was given."""
        rows: list[tuple[Any, ...]] = []
        for chunk in chunked(list(ids)):
            marks = ",".join("?" * len(chunk))
            rows += self.db.execute(
                f"SELECT id, title, labels, parent_id, chunk, slot, storage_bytes FROM content "
                f"WHERE id IN ({marks})",
                chunk,
            ).fetchall()
        bodies = self._unpacked({r[4] for r in rows if r[4] is not None})
        out: dict[int, _Old] = {}
        for ident, title, labels, parent, chunk, slot, size in rows:
            held = bodies.get(chunk, [])
            text = held[slot][1] if slot is not None and slot < len(held) else ""
            out[ident] = _Old(title, labels, parent, chunk, slot, text, size)
        return out

    def _fts_delete(self, ident: int, old: _Old) -> None:
        self.db.execute(
            "INSERT INTO fts(fts, rowid, title, text, labels) VALUES ('delete', ?, ?, ?, ?)",
            (ident, old.title, old.text, old.labels),
        )

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

    # -- reading ------------------------------------------------------------------------------
    def row(self, ident: int) -> dict[str, Any] | None:
        cursor = self.db.execute("SELECT * FROM content WHERE id = ?", (ident,))
        found = cursor.fetchone()
        if found is None:
            return None
        return dict(zip([c[0] for c in cursor.description], found, strict=True))

    def ancestors(self, ident: int) -> list[tuple[int, str, str]]:
        """``(id, type, title)`` from the top of the tree down to the parent (what the index knows)."""
        chain: list[tuple[int, str, str]] = []
        seen = {ident}
        parent = self.db.execute("SELECT parent_id FROM content WHERE id = ?", (ident,)).fetchone()
        current = parent[0] if parent else None
        while current is not None and current not in seen and len(chain) < 200:
            seen.add(current)
            found = self.db.execute(
                "SELECT id, type, title, parent_id FROM content WHERE id = ?", (current,)
            ).fetchone()
            if found is None:
                break
            chain.append((found[0], found[1], found[2]))
            current = found[3]
        return chain[::-1]


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on an exception); nested uses join the outer one."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.outer = False

    def __enter__(self) -> _Transaction:
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


@dataclass(frozen=True, slots=True)
class _Old:
    title: str
    labels: str
    parent_id: int | None
    chunk: int | None
    slot: int | None
    text: str
    size: int


def reader(path: Path) -> sqlite3.Connection:
    """A connection that only reads an existing index (``query_only``). Not SQLite's read-only
    mode: a read-only connection cannot remove the WAL and shared-memory files it makes beside a
    file in WAL mode, so every search would leave 32 kB or more behind; this one, when it is the
    last to close, takes them away as any connection does."""
    db = sqlite3.connect(
        f"file:{path}?mode=rw", uri=True, check_same_thread=False, isolation_level=None
    )
    db.execute("PRAGMA query_only=ON")
    return db


def _format_of(path: Path) -> str | None:
    """The layout an index file says it has (None: not an index, or unreadable: left as it is)."""
    try:
        db = reader(path)
        try:
            found = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return str(found[0]) if found else None


def _spaces_of(path: Path) -> list[tuple[Any, ...]]:
    """``(key, id, name, type, homepage_id)`` of the spaces an index file holds ([] if unreadable)."""
    try:
        db = reader(path)
        try:
            return db.execute("SELECT key, id, name, type, homepage_id FROM spaces").fetchall()
        finally:
            db.close()
    except sqlite3.Error:
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


def millis(value: str) -> int | None:
    """Epoch milliseconds of an ISO-8601 time (``…Z`` or ``…+02:00``), or None."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def iso(ms: int | None) -> str:
    """``2024-02-01T02:34:14.885Z`` for epoch milliseconds ("" for None)."""
    if ms is None:
        return ""
    when = datetime.fromtimestamp(ms / 1000, UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
