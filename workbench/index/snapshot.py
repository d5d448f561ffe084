"""A small index at rest: the gzip of its database file (a *snapshot*), ``<name>.sqlite3.gz``.

Every SQLite b-tree costs at least one page and FTS5 keeps four of them, so a site of a dozen short
pages paid four times its storage for an index file however the tables were laid out (13 pages of
~200 B: 21 pages of 512 B, of which the schema alone took five). The unused part of those pages and
the b-trees' repeated structure compress away: between syncs an index of up to
:data:`SNAPSHOT_UP_TO` bytes is kept as the gzip of the database itself (what
``sqlite3.Connection.serialize`` gives; ``gunzip`` turns it back into a file any SQLite opens).

- **Writing** (one sync at a time, under the site's ``WriterLock``): the sync works on the live file
  as it does for any size — WAL, a transaction per batch, resumable after kill -9. When a snapshot
  is there and the file is not, :func:`inflate` first turns it back into the file (whole, then
  renamed into place, then the snapshot removed); when the writer closes an index no larger than
  :data:`SNAPSHOT_UP_TO` that no other connection holds, :func:`deflate` writes the snapshot (whole,
  then renamed) and removes the file.
- **Reading** a small index — a snapshot, or a file up to :data:`SNAPSHOT_UP_TO` — copies it into
  memory (a few milliseconds) and holds nothing open: a reader never keeps the file from becoming a
  snapshot, and sees a consistent copy while a sync writes. :class:`Fingerprint` tells it when the
  index changed on disk, so it reads it again. A larger file is read in place (WAL), as before.
- **Both there** (a kill -9 between the rename and the removal of a change of form): the two hold
  the same data — a snapshot is made from the file after its last write, a file from the snapshot
  before its first — and the file is the one that counts; the next writer removes the snapshot.
"""

from __future__ import annotations

import os
import sqlite3
import zlib
from dataclasses import dataclass
from pathlib import Path

#: An index up to this many bytes of database is kept as a snapshot between syncs (a copy in memory
#: for each reader). Measured at 1 MB (``large:4000``, 2026-12-05, load ~14): gunzip and deserialize
#: 4.5 ms, gzip 72 ms (once per sync); the snapshot is a fifth of the database.
SNAPSHOT_UP_TO = 1024 * 1024
SUFFIX = ".gz"
#: zlib's default level (9 is slower for under 1 % less).
LEVEL = 6


def snapshot_of(path: Path) -> Path:
    """Where the snapshot of the index ``path`` lies (``<name>.sqlite3.gz``)."""
    return Path(f"{path}{SUFFIX}")


def index_of(found: Path) -> Path | None:
    """The index a file in the index folder belongs to (a file or a snapshot), or None."""
    name = found.name
    if name.endswith(".sqlite3"):
        return found
    if name.endswith(".sqlite3" + SUFFIX):
        return found.with_name(name[: -len(SUFFIX)])
    return None


def exists(path: Path) -> bool:
    """Whether the index ``path`` is on disk, in either form."""
    return path.exists() or snapshot_of(path).exists()


def on_disk(path: Path) -> Path:
    """The file that holds the index ``path`` now: the file, else its snapshot (what to show)."""
    snapshot = snapshot_of(path)
    return snapshot if not path.exists() and snapshot.exists() else path


def database_size(path: Path) -> int:
    """Bytes of the live file and its WAL (0 when there is no file)."""
    total = 0
    for part in (path, Path(f"{path}-wal")):
        try:
            total += part.stat().st_size
        except FileNotFoundError:
            continue
    return total


def _at_rest(image: bytes) -> bytes:
    """The image with the header's read/write versions set to 1 (rollback journal): an image of a
    file in WAL mode says 2, which an in-memory database cannot open."""
    if len(image) >= 20 and image[18:20] == b"\x02\x02":
        return image[:18] + b"\x01\x01" + image[20:]
    return image


def read_image(path: Path) -> bytes:
    """The database image of the snapshot of ``path`` (raises ``OSError``; ``sqlite3.DatabaseError``
    when it is not a gzip stream)."""
    data = snapshot_of(path).read_bytes()
    try:
        return _at_rest(zlib.decompress(data, wbits=31))
    except zlib.error as exc:
        raise sqlite3.DatabaseError(f"the snapshot is not readable: {exc}") from None


def in_memory(image: bytes) -> sqlite3.Connection:
    """A read-only connection to a copy of ``image`` in memory."""
    db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    try:
        db.deserialize(_at_rest(image))
        db.execute("PRAGMA query_only=ON")
        db.execute("SELECT COUNT(*) FROM sqlite_schema").fetchone()  # a damaged image fails here
    except BaseException:
        db.close()
        raise
    return db


def _write_whole(target: Path, data: bytes) -> None:
    """``data`` as ``target``, all or nothing (a temporary file beside it, synced, renamed)."""
    partial = target.with_name(target.name + ".partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def inflate(path: Path) -> None:
    """Turn the snapshot of ``path`` back into the file (for a writer; the file must not exist)."""
    _write_whole(path, read_image(path))
    snapshot_of(path).unlink(missing_ok=True)


def _gzip(image: bytes) -> bytes:
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, 31)  # wbits 31: a gzip stream (gunzip reads it)
    return packer.compress(image) + packer.flush()


def deflate(db: sqlite3.Connection, path: Path) -> bool:
    """Write the snapshot of the index open in ``db`` (the writer's connection to ``path``), close
    ``db`` and remove the file; True when done. False (``db`` closed, the file left as it is) when
    another connection holds the file: it becomes a snapshot at a later sync. Raises ``OSError``
    (a full disk, say) with the file left as it was."""
    try:
        mode = str(db.execute("PRAGMA journal_mode=DELETE").fetchone()[0]).lower()
    except sqlite3.OperationalError:
        mode = "wal"
    if mode != "delete":  # leaving WAL mode needs the file to itself: someone reads it
        db.close()
        return False
    try:
        _write_whole(snapshot_of(path), _gzip(_at_rest(db.serialize())))
    except BaseException:
        try:
            db.execute("PRAGMA journal_mode=WAL")  # the file as it was
        finally:
            db.close()
        raise
    db.close()
    for part in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        part.unlink(missing_ok=True)
    return True


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What a reader's copy was made from: the file's identity when it reads the file in place; the
    size and time of the file, its WAL and the snapshot when it holds a copy in memory. A reader
    whose fingerprint no longer matches the disk opens the index again."""

    live: bool
    marks: tuple[tuple[int, int, int] | None, ...]

    @classmethod
    def of(cls, path: Path, *, live: bool) -> Fingerprint:
        parts = (path,) if live else (path, Path(f"{path}-wal"), snapshot_of(path))
        return cls(live, tuple(_mark(part, identity_only=live) for part in parts))

    def changed(self, path: Path) -> bool:
        return Fingerprint.of(path, live=self.live) != self


def _mark(path: Path, *, identity_only: bool) -> tuple[int, int, int] | None:
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    if identity_only:
        return (found.st_dev, found.st_ino, 0)
    return (found.st_ino, found.st_size, found.st_mtime_ns)
