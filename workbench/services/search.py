"""CQL helpers for the search bar and ``workbench search``: one rule for "plain words or CQL?", and
local hints that never stop a query (the server decides what CQL means).

Uses the shared CQL module (``workbench.confluence.cql``): its ``check`` finds syntax errors and what it
does not know (an unknown field or function, an operator a field is not documented to take); both are
shown as hints, and the query is sent as typed. An invalid query shows the server's own message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: CQL always has an operator or a parenthesis; a person's search words have neither.
_CQL_MARKS = re.compile(r"[=~<>()]")
HL_START = "@@@hl@@@"
HL_END = "@@@endhl@@@"


@dataclass(frozen=True, slots=True)
class QueryCheck:
    """What to send for what the person typed, and the hints for them.

    ``cql`` is sent whenever it is not empty. ``error``/``position``: a syntax problem the local parser
    sees (a hint while typing; the server has the last word). ``warnings``: ``(message, position)``
    pairs for names the local parser does not know. ``plain``: the words were turned into a text search.
    """

    cql: str
    error: str = ""
    position: int | None = None
    warnings: tuple[tuple[str, int], ...] = ()
    plain: bool = False


def quote(text: str) -> str:
    """``text`` as a double-quoted CQL string (``workbench.confluence.cql.quote_string``)."""
    from workbench.confluence.cql import quote_string  # cql loads on first search, not at start-up

    return quote_string(text)


def is_plain_words(query: str) -> bool:
    """The one rule (the CLI and the TUI share it). Plain words have no operator and no parenthesis, do
    not start with a field name followed by more (``label release``, ``space in ENG``: CQL missing a
    piece), and are not valid CQL as they stand (``order by title``). Quotes may appear:
    ``deploy "blue green"`` searches the phrase."""
    if _CQL_MARKS.search(query):
        return False
    # lazy, for start-up: workbench.confluence.cql loads on first use
    from workbench.confluence import cql

    words = query.split()
    if len(words) > 1 and cql.field_spec(words[0]) is not None:
        return False
    return cql.check(query).error is not None


def to_cql(query: str) -> QueryCheck:
    """What to search for: plain words become ``text ~ "…"``; anything else is sent as typed, with the
    local parser's hints (a syntax error, unknown names) alongside."""
    query = query.strip()
    if not query:
        return QueryCheck("", "Type a CQL query or some words to search for.")
    if is_plain_words(query):
        return QueryCheck(f"text ~ {quote(' '.join(query.split()))}", plain=True)
    from workbench.confluence import cql  # loaded on first use, not at start-up

    result = cql.check(query)
    warnings = tuple((w.reason, w.position) for w in result.warnings)
    if result.error is not None:
        return QueryCheck(query, result.error.reason, result.error.position, warnings)
    return QueryCheck(query, warnings=warnings)


def vocabulary() -> dict[str, list[str]]:
    """Fields, operators, functions and keywords for completion."""
    # lazy, for start-up: workbench.confluence.cql loads on first use
    from workbench.confluence import cql

    return {
        "fields": sorted(cql.FIELDS),
        "operators": sorted(cql.OPERATORS),
        "functions": sorted(cql.FUNCTION_NAMES),
        "keywords": sorted(cql.KEYWORDS),
    }


def split_highlights(text: str) -> list[tuple[str, bool]]:
    """Split Confluence's ``@@@hl@@@term@@@endhl@@@`` markers into (text, highlighted) runs."""
    runs: list[tuple[str, bool]] = []
    pos = 0
    while True:
        start = text.find(HL_START, pos)
        if start < 0:
            break
        end = text.find(HL_END, start)
        if end < 0:
            break
        if start > pos:
            runs.append((text[pos:start], False))
        runs.append((text[start + len(HL_START) : end], True))
        pos = end + len(HL_END)
    if pos < len(text):
        runs.append((text[pos:], False))
    return runs
