"""Bodies in compressed chunks (see ``schema``): store, read back, release, repack.

A mixin of :class:`~workbench.index.store.SiteIndex` (it needs ``db``). Chunks are written once and
never changed, only deleted (their ids are never reused), so readers may cache them by id.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from workbench.index.schema import group, pack, unpack

#: Unpacked chunks kept in memory (a search shows ~20 results; most share a few chunks).
CACHE_CHUNKS = 16


class ChunkStore:
    @property
    def db(self) -> sqlite3.Connection:  # SiteIndex's
        raise NotImplementedError

    _cache: dict[int, list[tuple[str, str]]]

    # -- bodies -------------------------------------------------------------------------------
    def body(self, ident: int) -> tuple[str, str] | None:
        """``(storage, text)`` of indexed content, or None (not indexed, or a folder)."""
        found = self.db.execute("SELECT chunk, slot FROM content WHERE id = ?", (ident,)).fetchone()
        if found is None or found[0] is None:
            return None
        held = self._unpacked({found[0]}).get(found[0], [])
        return held[found[1]] if found[1] is not None and found[1] < len(held) else None

    def texts(self, ids: Sequence[int]) -> dict[int, str]:
        """The indexed text of each id (for snippets), reading each chunk once."""
        rows: list[tuple[Any, ...]] = []
        for chunk in chunked(list(ids)):
            marks = ",".join("?" * len(chunk))
            rows += self.db.execute(
                f"SELECT id, chunk, slot FROM content WHERE id IN ({marks})", chunk
            ).fetchall()
        bodies = self._unpacked({r[1] for r in rows if r[1] is not None})
        out: dict[int, str] = {}
        for ident, chunk, slot in rows:
            held = bodies.get(chunk, [])
            out[ident] = held[slot][1] if slot is not None and slot < len(held) else ""
        return out

    def _store_bodies(self, bodies: list[tuple[str, str]]) -> list[tuple[int, int]]:
        """Pack bodies into new chunks; their ``(chunk, slot)`` places, in order."""
        places: list[tuple[int, int]] = [(0, 0)] * len(bodies)
        for members in group(bodies):
            data = pack([bodies[i] for i in members])
            chunk = self._next_chunk_id()
            self.db.execute(
                "INSERT INTO chunks(id, data, slots, live) VALUES (?, ?, ?, ?)",
                (chunk, data, len(members), len(members)),
            )
            for slot, i in enumerate(members):
                places[i] = (chunk, slot)
        return places

    def _next_chunk_id(self) -> int:
        """A chunk id never used before in this file (kept in ``meta``, so a deleted chunk's id is
        not handed out again: readers cache chunks by id)."""
        found = self.db.execute("SELECT value FROM meta WHERE key = 'next_chunk'").fetchone()
        top = self.db.execute("SELECT MAX(id) FROM chunks").fetchone()[0]
        chunk = max(int(found[0]) if found else 1, int(top or 0) + 1)
        self.db.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('next_chunk', ?)", (str(chunk + 1),)
        )
        return chunk

    def _release(self, chunks: list[int]) -> None:
        """One slot of each listed chunk is no longer used: empty chunks go, sparse ones are repacked."""
        for chunk in chunks:
            self.db.execute("UPDATE chunks SET live = live - 1 WHERE id = ?", (chunk,))
        for chunk in dict.fromkeys(chunks):
            found = self.db.execute(
                "SELECT slots, live FROM chunks WHERE id = ?", (chunk,)
            ).fetchone()
            if found is None:
                continue
            slots, live = found
            if live <= 0:
                self.db.execute("DELETE FROM chunks WHERE id = ?", (chunk,))
                self._cache.pop(chunk, None)
            elif slots >= 4 and live * 4 <= slots:
                self._repack(chunk)

    def _repack(self, chunk: int) -> None:
        users = self.db.execute(
            "SELECT id, slot FROM content WHERE chunk = ? ORDER BY slot", (chunk,)
        ).fetchall()
        held = self._unpacked({chunk}).get(chunk, [])
        kept = [
            (ident, held[slot]) for ident, slot in users if slot is not None and slot < len(held)
        ]
        places = self._store_bodies([body for _, body in kept])
        for (ident, _), (new_chunk, slot) in zip(kept, places, strict=True):
            self.db.execute(
                "UPDATE content SET chunk = ?, slot = ? WHERE id = ?", (new_chunk, slot, ident)
            )
        self.db.execute("DELETE FROM chunks WHERE id = ?", (chunk,))
        self._cache.pop(chunk, None)

    def _unpacked(self, chunks: set[int]) -> dict[int, list[tuple[str, str]]]:
        out: dict[int, list[tuple[str, str]]] = {}
        for chunk in chunks:
            cached = self._cache.pop(chunk, None)
            if cached is None:
                found = self.db.execute("SELECT data FROM chunks WHERE id = ?", (chunk,)).fetchone()
                if found is None:
                    continue
                cached = unpack(found[0])
            self._cache[chunk] = cached  # most recent last
            while len(self._cache) > CACHE_CHUNKS:
                self._cache.pop(next(iter(self._cache)))
            out[chunk] = cached
        return out


def chunked(values: list[Any], size: int = 500) -> Iterator[list[Any]]:
    """``values`` in slices of ``size`` (SQLite's limit on ``?`` parameters is near)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
