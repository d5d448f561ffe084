"""Ranked search of the local index, with highlighted snippets: :class:`LocalSearch`.

The service the TUI's search bar calls as the person types (issue 12 builds the bar on it), and what
``workbench search --local`` and the agent's offline ``search_pages`` use.

- **Query**: words (each must occur), ``"quoted phrases"``, ``word*`` prefixes. With ``as_you_type``
  the last word, still being typed, is a prefix (from :data:`PREFIX_FROM` letters on; shorter, it is
  left out until it grows). Matching is FTS5's ``unicode61`` (case and diacritics folded).
- **Ranking**: bm25 with title ×10, labels ×5, text ×1 (:data:`~workbench.index.schema.WEIGHTS`).
  ``exhaustive`` ranks every match (what the command line does). Otherwise the newest
  :data:`CANDIDATES` matches (by content id: Confluence hands out ids in creation order) are ranked
  and ``LocalAnswer.complete`` says whether that was all of them — so the first results come in a
  bounded time however common the words are; the TUI asks again with ``exhaustive`` when the person
  stops typing and the answer was not complete.
- **Snippets**: the part of the text with the most query words, highlighted with Confluence's own
  markers (``@@@hl@@@…@@@endhl@@@``), so the same renderers serve CQL hits and local hits.
- **Threads**: ``search`` is synchronous (run it in a worker thread); ``cancel`` (from any thread)
  stops the query in flight when a newer keystroke makes it useless (it then raises
  :class:`Cancelled`).
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.index.records import iso
from workbench.index.schema import WEIGHTS, webui_of
from workbench.index.store import SiteIndex

if TYPE_CHECKING:
    from workbench.index.query import LocalQuery

HL, END_HL = "@@@hl@@@", "@@@endhl@@@"
#: As-you-type answers rank at most this many matches (the newest).
CANDIDATES = 2000
#: A word being typed counts as a prefix from this many letters on.
PREFIX_FROM = 3
EXCERPT_CHARS = 220
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)  # unicode61: letters and digits; the rest separates
_PART = re.compile(r'"([^"]*)"?|(\S+)')
_BM25 = f"bm25(fts, {WEIGHTS[0]}, {WEIGHTS[1]}, {WEIGHTS[2]})"


class Cancelled(Exception):
    """The search was cancelled (a newer one replaced it)."""


@dataclass(frozen=True, slots=True)
class Term:
    """One thing to match: a word, a phrase (several words in a row), a prefix (``word*``)."""

    words: tuple[str, ...]
    prefix: bool = False

    def fts(self) -> str:
        quoted = '"' + " ".join(self.words).replace('"', '""') + '"'
        return quoted + ("*" if self.prefix else "")


@dataclass(frozen=True, slots=True)
class LocalHit:
    """A page, blog post or folder found in the index (fields as ``SearchResult`` names them)."""

    id: str
    type: str
    title: str
    space_key: str
    space_name: str
    title_hl: str
    excerpt: str
    last_modified: str
    version: int
    url: str
    score: float

    @property
    def plain_title(self) -> str:
        return self.title

    @property
    def plain_excerpt(self) -> str:
        return " ".join(self.excerpt.replace(HL, "").replace(END_HL, "").split())


@dataclass(frozen=True, slots=True)
class LocalAnswer:
    """``hits`` best first. ``complete``: every match was ranked (else only the newest
    :data:`CANDIDATES`). ``matches``: how many matched (a lower bound when not complete)."""

    query: str
    hits: tuple[LocalHit, ...]
    matches: int
    complete: bool
    took_ms: float
    synced_at: float | None


def parse_query(text: str, *, as_you_type: bool = False) -> list[Term]:
    """The terms of what was typed (empty when there is nothing to search for yet)."""
    terms: list[Term] = []
    pending = bool(as_you_type and text and not text[-1].isspace())
    parts = list(_PART.finditer(text))
    for n, part in enumerate(parts):
        last = n == len(parts) - 1
        if part.group(1) is not None:  # a phrase (its closing quote may not be typed yet)
            words = tuple(w.lower() for w in _TOKEN.findall(part.group(1)))
            open_ = not part.group(0).endswith('"') or len(part.group(0)) == 1
            if words:
                terms.append(Term(words, prefix=bool(pending and last and open_)))
            continue
        raw = part.group(2)
        star = raw.endswith("*")
        words = tuple(w.lower() for w in _TOKEN.findall(raw))
        if not words:
            continue
        if len(words) > 1:  # "e-mail", "v2.3": the pieces in a row, as the tokenizer sees them
            terms.append(Term(words, prefix=star))
            continue
        typing = pending and last and not star
        if typing and len(words[0]) < PREFIX_FROM:
            if len(parts) == 1:
                return []  # one or two letters: too little to search for yet
            continue
        terms.append(Term(words, prefix=star or typing))
    return terms


class LocalSearch:
    """Searches one site's index. Open once per site and keep it; ``close`` at the end."""

    def __init__(self, path: Path) -> None:
        self.index = SiteIndex(path, readonly=True)
        self.db = self.index.db
        self._running = False

    @classmethod
    def of(cls, index: SiteIndex) -> LocalSearch:
        """A search over an index already open (the caller keeps closing it)."""
        self = cls.__new__(cls)
        self.index, self.db, self._running = index, index.db, False
        return self

    def close(self) -> None:
        self.index.close()

    def cancel(self) -> None:
        """Stop the search in flight (safe from another thread); it raises :class:`Cancelled`."""
        if self._running:
            try:
                self.db.interrupt()
            except sqlite3.ProgrammingError:
                pass  # closed: the index was read again (``refresh``) and that search is over

    def answer(self, query: LocalQuery, *, limit: int = 20) -> LocalAnswer:
        """Every hit for the part of a CQL query the index answers (``workbench.index.query``),
        counted in full: the one way ``search --local``, the agent offline and the TUI ask it."""
        return self.search(
            query.words,
            limit=limit,
            spaces=query.spaces or None,
            types=query.types or None,
            label_terms=query.labels,
            title_words=query.title_words,
            exhaustive=True,
        )

    def search(
        self,
        text: str,
        *,
        limit: int = 20,
        spaces: Sequence[str] | None = None,
        types: Sequence[str] | None = None,
        as_you_type: bool = False,
        exhaustive: bool = False,
        label_terms: Sequence[str] = (),
        title_words: str = "",
    ) -> LocalAnswer:
        """Ranked hits for ``text`` (see the module's notes). ``label_terms``: labels that must be there;
        ``title_words``: words (phrases, prefixes) that must be in the title."""
        began = time.perf_counter()
        self.index.refresh()  # a sync since the last search: read the index again
        self.db = self.index.db
        terms = parse_query(text, as_you_type=as_you_type)
        in_title = parse_query(title_words)
        parts = [t.fts() for t in terms] + ["title:" + t.fts() for t in in_title]
        terms = terms + in_title
        labels = [label.strip().lower() for label in label_terms if label.strip()]
        for label in labels:  # narrows the match; the exact label is checked in SQL (_filters)
            words = _TOKEN.findall(label)
            if words:
                parts.append('labels:"' + " ".join(words) + '"')
        match = " AND ".join(parts)
        synced = self._synced_at()
        if not match:
            return LocalAnswer(text, (), 0, True, _ms(began), synced)
        where, params = _filters(spaces, types, labels)
        self._running = True
        try:
            if exhaustive:
                rows = self.db.execute(
                    f"SELECT fts.rowid, {_BM25} AS score FROM fts{where} fts MATCH ? ORDER BY score LIMIT ?",
                    (*params, match, limit),
                ).fetchall()
                matches = int(
                    self.db.execute(
                        f"SELECT COUNT(*) FROM fts{where} fts MATCH ?", (*params, match)
                    ).fetchone()[0]
                )
                complete = True
            else:
                found = self.db.execute(
                    f"SELECT fts.rowid, {_BM25} FROM fts{where} fts MATCH ? ORDER BY fts.rowid DESC LIMIT ?",
                    (*params, match, CANDIDATES + 1),
                ).fetchall()
                complete = len(found) <= CANDIDATES
                matches = min(len(found), CANDIDATES)
                rows = sorted(found[:CANDIDATES], key=lambda r: (r[1], -r[0]))[:limit]
            hits = self._hits(rows, terms)
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise Cancelled() from None
            if "fts5" in str(exc) or "syntax" in str(exc):
                return LocalAnswer(text, (), 0, True, _ms(began), synced)
            raise
        finally:
            self._running = False
        return LocalAnswer(text, tuple(hits), max(matches, len(hits)), complete, _ms(began), synced)

    def _synced_at(self) -> float | None:
        found = self.db.execute("SELECT MAX(synced_at) FROM spaces").fetchone()
        return float(found[0]) if found and found[0] is not None else None

    def _hits(self, rows: list[tuple[int, float]], terms: list[Term]) -> list[LocalHit]:
        if not rows:
            return []
        ids = [r[0] for r in rows]
        marks = ",".join("?" * len(ids))
        details = {
            r[0]: r
            for r in self.db.execute(
                f"SELECT c.id, c.type, c.title, c.space_key, c.version, c.modified, c.webui, s.name FROM content c "
                f"LEFT JOIN spaces s ON s.key = c.space_key WHERE c.id IN ({marks})",
                ids,
            )
        }
        texts = self.index.texts(ids)
        pattern = _highlighter(terms)
        flavour = self.index.meta("flavour") or "cloud"
        base = self.index.meta("web_base") or self.index.meta("base_url") or ""
        hits = []
        for ident, score in rows:
            row = details.get(ident)
            if row is None:
                continue
            _, kind, title, space, version, modified, webui, space_name = row
            path = webui or webui_of(flavour, kind, space, ident, title)
            hits.append(
                LocalHit(
                    id=str(ident),
                    type=kind,
                    title=title,
                    space_key=space,
                    space_name=space_name or "",
                    title_hl=highlight(title, pattern),
                    excerpt=excerpt(texts.get(ident, ""), pattern),
                    last_modified=iso(modified),
                    version=version,
                    url=f"{base}{path}"
                    if path and base and not path.startswith(("http://", "https://"))
                    else path,
                    score=round(-float(score), 4),
                )
            )
        return hits


def _filters(
    spaces: Sequence[str] | None, types: Sequence[str] | None, labels: Sequence[str] = ()
) -> tuple[str, list[str]]:
    clauses, params = [], []
    for label in labels:
        clauses.append("(' ' || c.labels || ' ') LIKE ? ESCAPE '\\'")
        escaped = label.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params.append(f"% {escaped} %")
    if spaces:
        clauses.append(f"c.space_key IN ({','.join('?' * len(spaces))})")
        params += list(spaces)
    if types:
        clauses.append(f"c.type IN ({','.join('?' * len(types))})")
        params += list(types)
    if not clauses:
        return " WHERE", []
    return " JOIN content c ON c.id = fts.rowid WHERE " + " AND ".join(clauses) + " AND", params


def _ms(began: float) -> float:
    return round((time.perf_counter() - began) * 1000, 2)


def _highlighter(terms: list[Term]) -> re.Pattern[str] | None:
    words = sorted(
        {(w, t.prefix and i == len(t.words) - 1) for t in terms for i, w in enumerate(t.words)},
        key=lambda x: -len(x[0]),
    )
    if not words:
        return None
    alternatives = "|".join(
        re.escape(w) + (r"[^\W_]*" if prefix else r"(?![^\W_])") for w, prefix in words
    )
    return re.compile(r"(?<![^\W_])(?:" + alternatives + ")", re.IGNORECASE)


def highlight(text: str, pattern: re.Pattern[str] | None) -> str:
    if pattern is None:
        return text
    return pattern.sub(lambda m: f"{HL}{m.group(0)}{END_HL}", text)


def excerpt(text: str, pattern: re.Pattern[str] | None, size: int = EXCERPT_CHARS) -> str:
    """The ``size`` characters of ``text`` around the most query words, highlighted."""
    if not text:
        return ""
    start = 0
    if pattern is not None:
        found = [(m.start(), m.group(0).lower()) for m in islice(pattern.finditer(text), 400)]
        best = -1
        for i, (at, _) in enumerate(found):  # the window holding the most different words
            kinds = set()
            for pos, word in found[i:]:
                if pos >= at + size - 40:
                    break
                kinds.add(word)
            if len(kinds) > best:
                best, start = len(kinds), at
        start = max(0, start - 40)
        if start:
            space = text.rfind(" ", 0, start)
            start = space + 1 if space >= 0 else start
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return (
        ("…" if start else "")
        + highlight(text[start:end], pattern)
        + ("…" if end < len(text) else "")
    )
