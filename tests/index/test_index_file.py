"""The index file itself: what lies beside it after syncs and reads, its fixed cost, an index written
in an older layout, and chunk ids that are never handed out twice (readers cache chunks by id)."""

from __future__ import annotations

import gzip
import random
import sqlite3

from tests.index.conftest import as_file
from workbench.index.compaction import layout_for
from workbench.index.records import Row
from workbench.index.schema import FORMAT, PAGE_SIZE, SMALL_PAGE_SIZE, SMALL_UP_TO
from workbench.index.search import LocalSearch
from workbench.index.sites import resolve_site
from workbench.index.snapshot import snapshot_of
from workbench.index.store import SiteIndex

LATENCY_RUNBOOK = "65539"


def _beside(path) -> list[str]:
    return sorted(p.name[len(path.name) :] for p in path.parent.glob(path.name + "*"))


def test_nothing_is_left_beside_the_index_after_a_sync_and_reads(site, cli):
    site()
    assert cli("sync", "--all").code == 0
    path = resolve_site().path
    assert _beside(path) == [".gz", ".lock"]  # a small index: its snapshot, no file, WAL, shm
    assert cli("search", "--local", "latency").code == 0
    assert cli("cat", "--offline", LATENCY_RUNBOOK).code == 0
    assert cli("sync", "--status").code == 0
    assert _beside(path) == [".gz", ".lock"]  # readers leave nothing behind


def test_a_small_index_is_compact(site, cli):
    site()
    assert cli("sync", "--all").code == 0
    path = resolve_site().path
    size = snapshot_of(path).stat().st_size
    image = gzip.decompress(snapshot_of(path).read_bytes())  # gunzip: a database again
    db = sqlite3.connect(":memory:")
    db.deserialize(image)
    try:
        held = db.execute("SELECT SUM(storage_bytes) FROM content").fetchone()[0]
        assert size <= 1.5 * held  # the demo's 45 pages (issue 16's budget; bench/index_sync.py)
        assert len(image) <= 1.5 * held  # the database itself is compact too
        assert db.execute("PRAGMA page_size").fetchone()[0] == SMALL_PAGE_SIZE  # small: 512 B
        assert db.execute("PRAGMA auto_vacuum").fetchone()[0] == 0  # no pointer map
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA freelist_count").fetchone()[0] == 0
        schema = " ".join(r[0] or "" for r in db.execute("SELECT sql FROM sqlite_schema"))
        assert "--" not in schema
        assert "sqlite_sequence" not in schema
    finally:
        db.close()


def test_an_index_of_an_older_layout_is_built_again_by_the_next_sync(site, cli):
    site()
    assert cli("sync", "ENG").code == 0
    path = resolve_site().path
    as_file(path)
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '1' WHERE key = 'format'")
    db.commit()
    db.close()
    said = cli("search", "--local", "latency")
    assert said.code != 0 and "another version of Workbench" in said.err
    ran = cli("sync")  # no space named: the spaces the old index held are synced again
    assert ran.code == 0, ran.err
    assert "built again" in ran.err
    with SiteIndex(path, readonly=True) as found:
        assert found.meta("format") == FORMAT
        assert [s.key for s in found.spaces()] == ["ENG"]
        assert found.count("ENG") > 0
    assert cli("search", "--local", "latency").code == 0


def test_a_chunk_id_is_never_handed_out_twice(tmp_path):
    path = tmp_path / "site.sqlite3"
    with SiteIndex(path) as index:
        with index.transaction():
            index.put_space("S", "1", "S", "global", None)
            index.write([Row(1, "page", "S", "One", 1, storage="<p>one</p>", text="one")])
            index.write([Row(2, "page", "S", "Two", 1, storage="<p>two</p>", text="two")])
        newest = index.row(2)
        assert newest is not None
        with index.transaction():
            index.delete([2])  # the newest chunk goes with it
            index.write([Row(3, "page", "S", "Three", 1, storage="<p>3</p>", text="three")])
        third = index.row(3)
        assert third is not None and third["chunk"] > newest["chunk"]
        assert index.body(3) == ("<p>3</p>", "three")
        assert index.body(1) == ("<p>one</p>", "one")


def _words(rng: random.Random, n: int) -> str:
    return " ".join("".join(rng.choice("abcdefghijklmnop") for _ in range(7)) for _ in range(n))


def _pages(first: int, count: int, rng: random.Random, words: int) -> list[Row]:
    rows = []
    for ident in range(first, first + count):
        text = f"kestrel page {ident} " + _words(rng, words)
        rows.append(
            Row(ident, "page", "S", f"Page {ident}", 1, storage=f"<p>{text}</p>", text=text)
        )
    return rows


def _small_index(path, pages: int, rng: random.Random) -> SiteIndex:
    """An index of ``pages`` small pages in one space (written, not compacted)."""
    index = SiteIndex(path)
    with index.transaction():
        index.put_space("S", "1", "S", "global", None)
        index.write(_pages(1, pages, rng, 40))
    return index


def test_the_page_size_follows_the_index_size_and_search_and_reading_go_on(tmp_path):
    """Small: 512-byte pages (a small site pays little for its tables); grown past twice the line:
    1 KB pages with the pointer map again. Search, snippets and bodies read the same either way."""
    assert layout_for(SMALL_UP_TO, PAGE_SIZE) == SMALL_PAGE_SIZE
    assert layout_for(SMALL_UP_TO + 1, PAGE_SIZE) == PAGE_SIZE
    assert layout_for(2 * SMALL_UP_TO, SMALL_PAGE_SIZE) == SMALL_PAGE_SIZE  # no flapping
    assert layout_for(2 * SMALL_UP_TO + 1, SMALL_PAGE_SIZE) == PAGE_SIZE
    rng = random.Random(7)
    path = tmp_path / "site.sqlite3"
    with _small_index(path, 50, rng) as index:
        index.compact()
        pragma = index.db.execute
        assert pragma("PRAGMA page_size").fetchone()[0] == SMALL_PAGE_SIZE
        assert pragma("PRAGMA journal_mode").fetchone()[0] == "wal"
        with _reader(path) as search:
            hit = search.search("kestrel 17", limit=5).hits[0]
            assert hit.id == "17" and "@@@hl@@@kestrel@@@endhl@@@" in hit.excerpt
        grown = 50
        while path.stat().st_size <= 2 * SMALL_UP_TO:  # incompressible text: the file grows
            with index.transaction():
                index.write(_pages(grown + 1, 200, rng, 300))
            grown += 200
        index.compact()
        assert pragma("PRAGMA page_size").fetchone()[0] == PAGE_SIZE
        assert pragma("PRAGMA auto_vacuum").fetchone()[0] == 2  # incremental, as a large index
        assert pragma("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert pragma("PRAGMA integrity_check").fetchone()[0] == "ok"
        body = index.body(17)
        assert body is not None and body[0].startswith("<p>kestrel page 17 ")
    with _reader(path) as search:
        answer = search.search("kestrel", exhaustive=True, limit=3)
        assert answer.matches == grown and len(answer.hits) == 3
        assert search.search('"kestrel page 17"', limit=5).hits[0].id == "17"  # phrases work


def test_a_reader_holding_the_file_defers_the_new_layout_and_loses_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr("workbench.index.files.SNAPSHOT_UP_TO", 0)  # readers read the file in place
    path = tmp_path / "site.sqlite3"
    with _small_index(path, 20, random.Random(3)) as index:
        with _reader(path) as search:  # a search in the TUI, its read transaction open
            search.db.execute("BEGIN")
            search.db.execute("SELECT COUNT(*) FROM content").fetchone()
            index.compact()  # cannot leave WAL mode now: the next sync's compact will
            search.db.execute("COMMIT")
        assert index.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert index.db.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE
        index.compact()
        assert index.db.execute("PRAGMA page_size").fetchone()[0] == SMALL_PAGE_SIZE
    with _reader(path) as search:
        assert search.search("kestrel", exhaustive=True).matches == 20


def test_removing_a_chain_of_pages_moves_the_children_to_the_nearest_page_left(tmp_path):
    """There is no index on parent_id: the children of removed pages are moved in one walk of
    the table, past the removed pages, to the nearest ancestor that is left."""
    path = tmp_path / "site.sqlite3"
    tree = {1: None, 2: 1, 3: 2, 4: 3, 5: 4, 6: 3, 7: 1}  # id: parent
    with SiteIndex(path) as index:
        with index.transaction():
            index.put_space("S", "1", "S", "global", None)
            index.write(
                [
                    Row(i, "page", "S", f"P{i}", 1, parent_id=p, storage="<p>x</p>", text="x")
                    for i, p in tree.items()
                ]
            )
        with index.transaction():
            assert sorted(index.delete([3, 2, 99])) == [2, 3]  # 99 was never indexed
        parents = dict(index.db.execute("SELECT id, parent_id FROM content").fetchall())
        assert parents == {1: None, 4: 1, 5: 4, 6: 1, 7: 1}
        with index.transaction():
            index.delete([1])  # the top: its children have no page above them now
        parents = dict(index.db.execute("SELECT id, parent_id FROM content").fetchall())
        assert parents == {4: None, 5: 4, 6: None, 7: None}


class _reader:
    def __init__(self, path) -> None:
        self.search = LocalSearch(path)

    def __enter__(self) -> LocalSearch:
        return self.search

    def __exit__(self, *exc: object) -> None:
        self.search.close()
