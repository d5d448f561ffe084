"""Colour a unified diff for display, with the changed words of a changed line marked."""

from __future__ import annotations

import re

from rich.text import Text

from workbench.textsafe import printable
from workbench.tui.theme import DiffStyles

_WORDS = re.compile(r"\s+|\w+|[^\w\s]")


def _style(line: str, styles: DiffStyles) -> str:
    if line.startswith(("+++", "---")):
        return styles.header
    if line.startswith("@@"):
        return styles.hunk
    if line.startswith("+"):
        return styles.added
    if line.startswith("-"):
        return styles.removed
    if line.startswith(("<<<<<<<", "=======", ">>>>>>>")):
        return styles.marker
    return ""


def _is_change(line: str, sign: str) -> bool:
    return line.startswith(sign) and not line.startswith(sign * 3 + " ")


def _mark_words(old: str, new: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Character spans (in ``old`` and ``new``) of the words that differ between two lines."""
    # lazy, for start-up: difflib loads on first use
    from difflib import SequenceMatcher

    a, b = _WORDS.findall(old), _WORDS.findall(new)
    starts_a = [0]
    for word in a:
        starts_a.append(starts_a[-1] + len(word))
    starts_b = [0]
    for word in b:
        starts_b.append(starts_b[-1] + len(word))
    spans_a, spans_b = [], []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < 0.4:  # mostly rewritten: marking words would only add noise
        return [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1 and "".join(a[i1:i2]).strip():
            spans_a.append((starts_a[i1], starts_a[i2]))
        if j2 > j1 and "".join(b[j1:j2]).strip():
            spans_b.append((starts_b[j1], starts_b[j2]))
    return spans_a, spans_b


def diff_text(
    lines: list[str], empty: str = "No differences.", styles: DiffStyles | None = None
) -> Text:
    """A Text of unified-diff lines, coloured by ``styles`` (the theme's: ``DiffStyles.from_theme``);
    where a run of removed lines is followed by as many added lines, the words that changed are
    marked."""
    styles = styles or DiffStyles()
    if not lines:
        return Text(empty, style="italic")
    lines = [
        printable(line) for line in lines
    ]  # page text: controls shown (one char each, spans hold)
    marks: dict[int, list[tuple[int, int]]] = {}
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _is_change(lines[j], "-"):
            j += 1
        k = j
        while k < len(lines) and _is_change(lines[k], "+"):
            k += 1
        if j > i and k - j == j - i:
            for n in range(j - i):
                old, new = lines[i + n][1:], lines[j + n][1:]
                spans_old, spans_new = _mark_words(old, new)
                marks[i + n] = [(s + 1, e + 1) for s, e in spans_old]
                marks[j + n] = [(s + 1, e + 1) for s, e in spans_new]
        i = max(k, i + 1)
    text = Text()
    for n, line in enumerate(lines):
        start = len(text)
        text.append(line + "\n", style=_style(line, styles))
        for s, e in marks.get(n, ()):
            text.stylize(styles.changed_words, start + s, start + e)
    return text
