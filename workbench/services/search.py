"""CQL helpers for the search bar: plain words become a text search, queries are checked locally.

Uses the shared CQL module (``workbench.confluence.cql``); the server remains the judge (an
invalid query shows the server's own message).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CQL_SIGNS = re.compile(r'[=~<>!()]|\b(?:and|or|not|in)\b', re.IGNORECASE)
HL_START = "@@@hl@@@"
HL_END = "@@@endhl@@@"


@dataclass(frozen=True, slots=True)
class QueryCheck:
    """The outcome of checking a query locally: the CQL to send, or an error with its position."""

    cql: str
    error: str = ""
    position: int | None = None


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_cql(query: str) -> QueryCheck:
    """Turn what the user typed into CQL: valid CQL stays, plain words become ``text ~ "…"``."""
    query = query.strip()
    if not query:
        return QueryCheck("", "Type a CQL query or some words to search for.")
    from workbench.confluence import cql  # loaded on first use, not at start-up

    try:
        cql.parse(query)
    except cql.CqlError as exc:
        if not _CQL_SIGNS.search(query):
            return QueryCheck(f"text ~ {quote(query)}")
        return QueryCheck(query, exc.reason, exc.position)
    return QueryCheck(query)


def vocabulary() -> dict[str, list[str]]:
    """Fields, operators, functions and keywords for completion."""
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
