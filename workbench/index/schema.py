"""The index file's SQLite schema, and how a body is packed into it.

One file per site (``<data dir>/index/<site>.sqlite3``): a site's pages are searched, synced and
removed together, a sync of one site never locks another, and an FTS query only walks that site's
terms (a shared file with a ``site`` column would rank across every site's documents and filter
after the match). WAL journal: readers (the TUI, ``search --local``) never wait for a sync, and a
sync killed at any moment leaves the last committed batch, never half of one.

Bodies are stored once, compressed several to a *chunk* (about 64 KB before compression; ``zlib``
with a preset dictionary of storage-format markup): pages of one space repeat each other's markup,
so a chunk compresses far better than each body alone (six times better on the generated
``large`` seed), and a page's text, which repeats its storage's words, costs little more. A chunk
counts its live slots; it is dropped when none is left and repacked when few are. The full-text table is *contentless*
(``content=''``): it keeps the inverted index only, not another copy of the text; rows are removed
with FTS5's ``delete`` command, which needs the old values, read back from the packed body.

**Fixed cost.** A site of a hundred small pages must not pay more for its tables than for its
pages: every table and index takes at least one SQLite page, so the page size follows the index's
size — 512 bytes while it is small (:data:`SMALL_PAGE_SIZE`, up to :data:`SMALL_UP_TO`; no
``auto_vacuum`` pointer map either: every sync of a small index ends with a VACUUM), 1 KB
(:data:`PAGE_SIZE`) when it grows (``store.SiteIndex.compact`` rewrites the file in the other layout
when it crosses the line). Also: the schema stored without its comments, the small tables without
a second index (``WITHOUT ROWID``), no index on ``content.space_key`` (what asks by space — a count,
the ids of a space in order — walks the table once, a few milliseconds per 100 000 rows) nor on
``content.parent_id`` (only a removal asks by parent, to move the children up: one walk of the
table per 500 pages removed), no ``sqlite_sequence`` (the next chunk id is kept in ``meta``), free
pages given back after a sync (``auto_vacuum=incremental`` in the large layout), the full-text
segments merged into one after a sync of a small index, and the WAL checkpointed to nothing.
What is left of the fixed cost — a dozen b-trees of at least a page each, the schema — is mostly
empty space: between syncs an index up to 1 MB is kept as the gzip of its file (``snapshot``).

Options of the full-text table, measured (``bench/index_sync.py``, ``bench/index_search.py``) and
left out: ``detail=column``/``none`` would save 10–20 % more but refuse phrase queries (``"quoted
words"``, ``e-mail``); ``columnsize=0`` drops the document lengths bm25 normalises by (a long page
that mentions a word once would rank with a short page about it).
"""

from __future__ import annotations

import re
import struct
import zlib

#: Bump when the layout changes; an index of another format is rebuilt by the next full sync.
FORMAT = "2"

#: SQLite page size of a new index, and of one larger than :data:`SMALL_UP_TO` (bytes): see "Fixed
#: cost" above.
PAGE_SIZE = 1024
#: The page size of a small index (SQLite's smallest), up to :data:`SMALL_UP_TO` bytes of file;
#: back to :data:`PAGE_SIZE` above twice that (not at every sync near the line).
SMALL_PAGE_SIZE = 512
SMALL_UP_TO = 1024 * 1024

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS spaces (
    key TEXT PRIMARY KEY,
    id TEXT NOT NULL,                       -- v2 space id on Cloud, the key on Data Center
    name TEXT NOT NULL DEFAULT '',
    type TEXT NOT NULL DEFAULT 'global',
    homepage_id INTEGER,
    state TEXT NOT NULL DEFAULT 'new',      -- new | partial (first pass under way) | complete
    watermark TEXT NOT NULL DEFAULT '',     -- every change up to this modification time (UTC ISO) is in
    synced_at REAL,                         -- end of the last finished sync (epoch seconds)
    checked_at REAL                         -- last full check of the space's ids against the site
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS people (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL UNIQUE,           -- account id (Cloud) or user key (Data Center)
    name TEXT                               -- display name; NULL: not known yet; '': the site has none
);
CREATE TABLE IF NOT EXISTS chunks (         -- bodies, packed several to a compressed chunk
    id INTEGER PRIMARY KEY,                 -- never reused (meta next_chunk): readers cache chunks by id
    data BLOB NOT NULL,
    slots INTEGER NOT NULL,
    live INTEGER NOT NULL                   -- slots still used by a content row
);
CREATE TABLE IF NOT EXISTS content (
    id INTEGER PRIMARY KEY,                 -- Confluence's content id (the full-text rowid too)
    type TEXT NOT NULL,                     -- page | blogpost | folder
    space_key TEXT NOT NULL,
    title TEXT NOT NULL,
    parent_id INTEGER,
    parent_type TEXT,                       -- NULL for a page parent
    version INTEGER NOT NULL,
    modified INTEGER,                       -- last modification, epoch milliseconds
    editor INTEGER,                         -- people.id of the last editor
    author INTEGER,                         -- people.id of the creator
    labels TEXT NOT NULL DEFAULT '',        -- names, space-separated
    webui TEXT,                             -- NULL when it is the usual address (see webui_of)
    chunk INTEGER,                          -- chunks.id of the body; NULL for folders
    slot INTEGER,
    storage_bytes INTEGER NOT NULL DEFAULT 0
);
DROP INDEX IF EXISTS content_parent;  -- an index of an earlier sitting had one (see "Fixed cost")
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    title, text, labels, content='', tokenize='unicode61 remove_diacritics 2'
);
"""


def stored_schema() -> str:
    """:data:`SCHEMA` as SQLite keeps it: without the comments (the file stores each statement's text)."""
    return re.sub(r"\s+", " ", re.sub(r"--[^\n]*", "", SCHEMA)).replace(" ;", ";")


#: Column weights of the ranking (bm25): a hit in the title counts ten times a hit in the text, a
#: label five times (the same weights the local Confluence's CQL uses).
WEIGHTS = (10.0, 1.0, 5.0)

# Strings storage bodies are made of, most frequent last (zlib looks back from the end first).
_ZDICT = (
    b' ac:schema-version="1" ac:macro-id="" ac:local-id="" local-id="" data-layout="default" '
    b'<ac:parameter ac:name="title"></ac:parameter><ac:parameter ac:name="language">'
    b"<ac:plain-text-body><![CDATA[]]></ac:plain-text-body><ac:rich-text-body></ac:rich-text-body>"
    b'<ac:structured-macro ac:name="code"><ac:structured-macro ac:name="info">'
    b'<ac:structured-macro ac:name="status"><ac:parameter ac:name="colour">Green</ac:parameter>'
    b'<ac:structured-macro ac:name="toc"></ac:structured-macro><ac:structured-macro ac:name="jira">'
    b"<ac:task-list><ac:task><ac:task-id></ac:task-id><ac:task-status>incomplete</ac:task-status>"
    b'<ac:task-body></ac:task-body></ac:task></ac:task-list><time datetime="" />'
    b'<ac:image><ri:attachment ri:filename="" /></ac:image><ac:link><ri:user ri:account-id="" /></ac:link>'
    b'<ac:link><ri:page ri:content-title="" ri:space-key="" /><ac:plain-text-link-body><![CDATA['
    b'<table data-layout="default"><colgroup><col /></colgroup><tbody><tr><th><p><strong></strong></p></th>'
    b'<td><p></p></td></tr></tbody></table><ac:layout><ac:layout-section ac:type="two_equal">'
    b"<ac:layout-cell></ac:layout-cell></ac:layout-section></ac:layout><blockquote><pre><code>"
    b'<a href="https://"></a><br /><hr /><h1></h1><h2></h2><h3></h3><em></em><code></code>'
    b" the of and to in for is on that with as this be are from by at or will we can not you it "
    b"<ul><li><p></p></li><li><p></p></li></ul><ol><li><p></p></li></ol><p><strong></strong></p><p></p>"
)


#: A chunk takes bodies until it holds this many bytes (a larger body gets a chunk of its own).
CHUNK_BYTES = 64 * 1024


def pack(bodies: list[tuple[str, str]]) -> bytes:
    """``(storage, text)`` pairs in one compressed chunk: their count, each one's two lengths, the bytes."""
    encoded = [
        (s.encode("utf-8", "surrogatepass"), t.encode("utf-8", "surrogatepass")) for s, t in bodies
    ]
    head = struct.pack(
        f">I{2 * len(encoded)}I", len(encoded), *(n for s, t in encoded for n in (len(s), len(t)))
    )
    packer = zlib.compressobj(6, zlib.DEFLATED, 15, 9, zlib.Z_DEFAULT_STRATEGY, _ZDICT)
    return packer.compress(head + b"".join(s + t for s, t in encoded)) + packer.flush()


def unpack(data: bytes) -> list[tuple[str, str]]:
    """The ``(storage, text)`` pairs of a chunk, in slot order."""
    raw = zlib.decompressobj(15, _ZDICT).decompress(data)
    (count,) = struct.unpack(">I", raw[:4])
    sizes = struct.unpack(f">{2 * count}I", raw[4 : 4 + 8 * count])
    out, at = [], 4 + 8 * count
    for i in range(count):
        storage, text = sizes[2 * i], sizes[2 * i + 1]
        out.append(
            (
                raw[at : at + storage].decode("utf-8", "surrogatepass"),
                raw[at + storage : at + storage + text].decode("utf-8", "surrogatepass"),
            )
        )
        at += storage + text
    return out


def group(bodies: list[tuple[str, str]]) -> list[list[int]]:
    """Indexes of ``bodies`` grouped into chunks of about :data:`CHUNK_BYTES`."""
    groups: list[list[int]] = []
    size = CHUNK_BYTES
    for i, (storage, text) in enumerate(bodies):
        length = len(storage) + len(text)
        if size + length > CHUNK_BYTES:
            groups.append([])
            size = 0
        groups[-1].append(i)
        size += length
    return groups


def webui_of(flavour: str, kind: str, space_key: str, ident: int, title: str) -> str:
    """The usual web address of a page (what Cloud and Data Center answer for most pages); rows keep
    their own only when it differs."""
    # lazy, for start-up: urllib.parse loads on first use
    from urllib.parse import quote_plus

    if kind != "page":
        return ""
    if flavour == "dc":
        return f"/pages/viewpage.action?pageId={ident}"
    return f"/spaces/{space_key}/pages/{ident}/{quote_plus(title)}"
