"""Content rows and their full-text entries: write, remove (children move up), read back.

A mixin of :class:`~workbench.index.store.SiteIndex` (it needs ``db``, ``meta`` and ``person``); the
bodies go through :class:`~workbench.index.chunks.ChunkStore`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from workbench.index.chunks import ChunkStore, chunked
from workbench.index.records import Entry, OldRow, Row, millis
from workbench.index.schema import webui_of


class ContentStore(ChunkStore):
    def meta(self, key: str) -> str | None:  # SiteIndex's
        raise NotImplementedError

    def person(self, account: str) -> int | None:  # SiteIndex's
        raise NotImplementedError

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

    def _old(self, ids: Sequence[int]) -> dict[int, OldRow]:
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
        out: dict[int, OldRow] = {}
        for ident, title, labels, parent, chunk, slot, size in rows:
            held = bodies.get(chunk, [])
            text = held[slot][1] if slot is not None and slot < len(held) else ""
            out[ident] = OldRow(title, labels, parent, chunk, slot, text, size)
        return out

    def _fts_delete(self, ident: int, old: OldRow) -> None:
        self.db.execute(
            "INSERT INTO fts(fts, rowid, title, text, labels) VALUES ('delete', ?, ?, ?, ?)",
            (ident, old.title, old.text, old.labels),
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
