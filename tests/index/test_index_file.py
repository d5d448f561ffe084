"""The index file itself: what lies beside it after syncs and reads, its fixed cost, an index written
in an older layout, and chunk ids that are never handed out twice (readers cache chunks by id)."""

from __future__ import annotations

import sqlite3

from workbench.index.schema import FORMAT, PAGE_SIZE
from workbench.index.sites import resolve_site
from workbench.index.store import Row, SiteIndex

LATENCY_RUNBOOK = "65539"


def _beside(path) -> list[str]:
    return sorted(p.name[len(path.name) :] for p in path.parent.glob(path.name + "*"))


def test_nothing_is_left_beside_the_index_after_a_sync_and_reads(site, cli):
    site()
    assert cli("sync", "--all").code == 0
    path = resolve_site().path
    assert _beside(path) == ["", ".lock"]  # no WAL, no shared memory after the sync
    assert cli("search", "--local", "latency").code == 0
    assert cli("cat", "--offline", LATENCY_RUNBOOK).code == 0
    assert cli("sync", "--status").code == 0
    assert _beside(path) == ["", ".lock"]  # readers take theirs away when they close


def test_a_small_index_is_compact(site, cli):
    site()
    assert cli("sync", "--all").code == 0
    path = resolve_site().path
    size = path.stat().st_size
    db = sqlite3.connect(path)
    try:
        held = db.execute("SELECT SUM(storage_bytes) FROM content").fetchone()[0]
        assert size <= 1.5 * held  # the demo's 45 pages (issue 16's budget; bench/index_sync.py)
        assert db.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE
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
