"""After a sync: an index file that holds its pages and little else (``schema``, "Fixed cost").

:func:`compact` merges the full-text segments (into one while the index is small, else a bounded
merge step), rewrites a file of up to :data:`VACUUM_UP_TO` whole — in the small layout (512-byte
pages, no pointer map) up to :data:`~workbench.index.schema.SMALL_UP_TO`, in the large one (1 KB
pages, ``auto_vacuum=incremental``) above twice that — or gives a larger file's free pages back,
and empties the WAL. A new layout needs the file to itself (it leaves WAL mode for the rewrite):
while another connection has it open (the TUI's search, say) the sync rewrites it in the layout it
has, and the next sync with the file to itself changes the layout. A rewrite is one transaction,
so a kill -9 in the middle leaves the file as it was.
"""

from __future__ import annotations

import sqlite3

from workbench.index.schema import PAGE_SIZE, SMALL_PAGE_SIZE, SMALL_UP_TO

#: The whole full-text index is merged into one segment up to this many pieces of content (a
#: fraction of a second); a larger index gets a bounded merge step instead.
OPTIMIZE_UP_TO = 20_000
#: A file up to this size is rewritten whole (VACUUM: tens of milliseconds), so rows written out
#: of order leave no half-empty pages; a larger one only gives its free pages back.
VACUUM_UP_TO = 32 * 1024 * 1024


def layout_for(size: int, page_size: int) -> int:
    """The page size an index of ``size`` bytes should have, now at ``page_size``."""
    if page_size == SMALL_PAGE_SIZE:
        return SMALL_PAGE_SIZE if size <= 2 * SMALL_UP_TO else PAGE_SIZE
    return SMALL_PAGE_SIZE if size <= SMALL_UP_TO else PAGE_SIZE


def compact(db: sqlite3.Connection) -> None:
    """Compact the index open in ``db`` (see the module's notes). Never raises for a busy file."""
    pages = int(db.execute("SELECT COUNT(*) FROM content").fetchone()[0])
    if pages <= OPTIMIZE_UP_TO:
        db.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    else:
        db.execute("INSERT INTO fts(fts, rank) VALUES ('merge', 500)")
    page_size = int(db.execute("PRAGMA page_size").fetchone()[0])
    size = int(db.execute("PRAGMA page_count").fetchone()[0]) * page_size
    wanted = layout_for(size, page_size)
    try:
        if wanted != page_size and _relayout(db, wanted):
            pass
        elif size <= VACUUM_UP_TO:  # rewritten whole: every table's pages full
            db.execute("VACUUM")
        else:  # the free pages given back (to the end: execute() would free one)
            db.executescript("PRAGMA incremental_vacuum;")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.OperationalError:
        pass  # a reader holds the file: compacting waits for the next sync


def _relayout(db: sqlite3.Connection, page_size: int) -> bool:
    """Rewrite the file with ``page_size``-byte pages (and the pointer map the layout has); False
    when another connection holds the file (the next sync tries again). The page size of a file in
    WAL mode cannot change: the rewrite goes through the rollback journal, and the file is in WAL
    mode again afterwards whatever happens."""
    try:
        mode = db.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        if str(mode).lower() != "delete":  # a reader holds the WAL
            return False
        db.execute(f"PRAGMA page_size={int(page_size)}")
        db.execute(
            "PRAGMA auto_vacuum=" + ("NONE" if page_size == SMALL_PAGE_SIZE else "INCREMENTAL")
        )
        db.execute("VACUUM")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        db.execute("PRAGMA journal_mode=WAL")
