"""Find in a text shown line by line (the viewer's rendered lines, the editor's buffer).

Smart case, as in vim and ``less -i``: a query in lower case matches any case, a query with a
capital letter matches exactly. Matches never overlap and never span two lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Match:
    """One occurrence: on ``line``, characters ``start`` to ``end`` (end excluded)."""

    line: int
    start: int
    end: int


def find_all(lines: Iterable[str], query: str) -> list[Match]:
    """Every occurrence of ``query`` in ``lines``, in reading order."""
    if not query:
        return []
    exact = query != query.lower()
    needle = query if exact else query.casefold()
    out: list[Match] = []
    for number, line in enumerate(lines):
        hay = line if exact else _folded(line)
        start = hay.find(needle)
        while start != -1:
            out.append(Match(number, start, start + len(needle)))
            start = hay.find(needle, start + len(needle))
    return out


def _folded(line: str) -> str:
    """``line`` case-folded, keeping its length (so offsets still point into ``line``): a
    character whose folded form is longer (``ß`` → ``ss``) is kept as it is."""
    folded = line.casefold()
    if len(folded) == len(line):
        return folded
    return "".join(ch.casefold() if len(ch.casefold()) == 1 else ch for ch in line)


def nearest(matches: list[Match], line: int, *, forward: bool = True) -> int:
    """The index of the first match on or after ``line`` (or the last one on or before it when not
    ``forward``), wrapping around; ``-1`` when there is none."""
    if not matches:
        return -1
    if forward:
        for index, match in enumerate(matches):
            if match.line >= line:
                return index
        return 0
    for index in range(len(matches) - 1, -1, -1):
        if matches[index].line <= line:
            return index
    return len(matches) - 1


def count_text(matches: list[Match], current: int, query: str) -> str:
    """What the find bar says: ``3/17``, or that nothing matches."""
    if not query:
        return ""
    if not matches:
        return "no match"
    return f"{current + 1}/{len(matches)}"
