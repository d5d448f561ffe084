"""The inline model's segments: a piece of Markdown and the source span it came from (see
:mod:`workbench.convert.inline`), the compact runs of plain words, and their split back into words."""

from __future__ import annotations

import re


class Seg:
    __slots__ = ("md", "start", "end", "kind", "key", "group")

    def __init__(
        self, md: str, start: int, end: int, kind: str, key: str | None = None, group: int = -1
    ) -> None:
        self.md = md
        self.start = start
        self.end = end
        self.kind = kind
        self.key = key  # set on whole constructs that can be restored by their Markdown
        self.group = group  # the top-level inline node it belongs to (each text piece is its own)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Seg({self.md!r}, {self.start}, {self.end}, {self.kind})"


_new = object.__new__


def new_seg(cls: type[Seg], md: str, start: int, end: int, kind: str, group: int) -> Seg:
    """``cls(md, start, end, kind, group=group)`` for the text reader's hot loop: a class call whose
    ``__init__`` is Python code costs twice as much (CPython 3.11)."""
    seg = _new(cls)
    seg.md = md
    seg.start = start
    seg.end = end
    seg.kind = kind
    seg.key = None
    seg.group = group
    return seg


class Run(Seg):
    """Plain words with single spaces (or ``_`` between letters) inside a formatted or linked piece:
    one seg standing for the seg of each word and separator, all in the same group. A page's text is
    mostly such runs: one object each instead of two per word (:func:`word_segs` splits them back)."""

    __slots__ = ()

    def pieces(self) -> int:
        """How many segs of a word or a separator this run stands for (words and separators
        alternate; a run split at a line start or before closing hashes may begin or end with one)."""
        md = self.md
        return 2 * (md.count(" ") + md.count("_")) + 1 - (md[0] in " _") - (md[-1] in " _")


class OwnRun(Run):
    """A run of text outside any element: each word and separator is a group of its own — the
    run's group for the first, then ``group + i * PIECE_STRIDE`` for the i-th (groups are only told
    apart, never ordered: these stay clear of every other group of the paragraph)."""

    __slots__ = ()


PIECE_STRIDE = 1 << 32


_PIECE_RE = re.compile(r"[^ _]+|[ _]")


def word_segs(segs: list[Seg]) -> list[Seg]:
    """``segs`` with every run split into the seg of each word and separator (the model an edit is
    spliced against: a run is only a compact form of these)."""
    if not any(isinstance(seg, Run) for seg in segs):
        return segs
    out: list[Seg] = []
    for seg in segs:
        if not isinstance(seg, Run):
            out.append(seg)
            continue
        pos, group = seg.start, seg.group
        step = PIECE_STRIDE if type(seg) is OwnRun else 0
        for piece in _PIECE_RE.findall(seg.md):
            end = pos + len(piece)
            out.append(Seg(piece, pos, end, "plain", group=group))
            pos, group = end, group + step
    return out
