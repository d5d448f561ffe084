"""The plumbing of the local Confluence's store: one SQLite connection guarded by a re-entrant lock.

uvicorn serves from its event-loop thread while tests touch the store from theirs, so every use of
the connection holds :attr:`Database.lock`; rows come back as plain dicts. Opening applies the schema
and brings an older data directory up to date in place (``schema.MIGRATIONS``). The parts of the
store (:mod:`workbench.emulator.store`) build on this class; what they use of each other is declared
in :mod:`workbench.emulator.store_base`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from workbench.emulator.errors import not_found
from workbench.emulator.schema import INDEXES, MIGRATIONS, SCHEMA, SCHEMA_VERSION
from workbench.errors import UsageError


class Database:
    """The connection, its lock, transactions and the ``meta`` table."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = str(path) if path else ":memory:"
        self.lock = threading.RLock()
        self.on_close: list[
            Callable[[], object]
        ] = []  # callbacks run once the connection is closed (e.g. release a lock)
        self.seeded_now = False  # set by runner.open_store when it applied the seed to new data
        try:
            self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise UsageError(
                f"Cannot open {self.path} ({exc}); check the --data directory."
            ) from None
        self.db.row_factory = sqlite3.Row
        try:
            if self.path != ":memory:":
                self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
        except sqlite3.Error as exc:
            self.db.close()
            raise UsageError(
                f"{self.path} is not a local Confluence database ({exc}); remove it or use another "
                "--data directory."
            ) from None
        version = self.meta("schema")
        if version in MIGRATIONS:  # an older data directory: bring it up to date in place
            with self.transaction():
                for statement in MIGRATIONS[version].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.set_meta("schema", SCHEMA_VERSION)
            version = SCHEMA_VERSION
        self.db.executescript(INDEXES)
        if version is None:
            self.set_meta("schema", SCHEMA_VERSION)
        elif version != SCHEMA_VERSION:
            self.db.close()
            raise UsageError(
                f"{self.path} was written by another version of the local Confluence; "
                "remove it or use another --data directory."
            )

    def close(self) -> None:
        with self.lock:
            self.db.close()
            callbacks, self.on_close = self.on_close, []
        for callback in callbacks:
            callback()

    def transaction(self) -> _Transaction:
        """``with store.transaction():`` groups writes into one SQLite transaction."""
        return _Transaction(self)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(row) for row in self.db.execute(sql, params)]

    def query_one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        with self.lock:
            row = self.db.execute(sql, params).fetchone()
            return dict(row) if row is not None else None

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self.lock:
            row = self.db.execute(sql, params).fetchone()
            return row[0] if row is not None else None

    def is_empty(self) -> bool:
        return not self.scalar("SELECT COUNT(*) FROM spaces")

    def meta(self, key: str, default: str | None = None) -> str | None:
        value = self.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return default if value is None else value

    def set_meta(self, key: str, value: str) -> None:
        with self.lock:
            self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))


class _Transaction:
    """Re-entrant BEGIN/COMMIT around the store's connection (nested uses join the outer one)."""

    def __init__(self, store: Database) -> None:
        self.store = store
        self.outer = False

    def __enter__(self) -> _Transaction:
        self.store.lock.acquire()
        if not self.store.db.in_transaction:
            self.store.db.execute("BEGIN")
            self.outer = True
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if self.outer:
                self.store.db.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self.store.lock.release()


def row_id(value: int | str, what: str) -> int:
    """An id from a request as SQLite's integer; anything else is "not found" (404)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise not_found(f"The {what}") from None
    if not 0 <= number < 2**63:  # beyond SQLite's integers: no such thing
        raise not_found(f"The {what}")
    return number
