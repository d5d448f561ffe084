"""Aligning a flow's old blocks with the new Markdown's: comparison keys (list numbering ignored),
difflib opcodes, one-for-one pairs of the same kind, and putting the merged blocks back together
with the original whitespace between them (:mod:`workbench.convert.merge` merges each pair).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher

from workbench.convert.blocks import (
    Flow,
    InlineUnit,
    Unit,
)

_LIST_ORDINALS = re.compile(r"(?m)^\d{1,9}([.)])")


_ITEM_ORDINAL = re.compile(r"^\d{1,9}([.)])")


def block_key(md: str, kind: str) -> str:
    """What blocks are aligned by: their Markdown, except the numbers of ordered list items (derived
    from the position, so inserting an item does not make every later one look changed)."""
    if kind == "list":  # the first number stays: it is the list's start
        first = _ITEM_ORDINAL.match(md)
        return md[: first.end()] + _LIST_ORDINALS.sub(r"1\1", md[first.end() :]) if first else md
    if kind == "item":
        return _ITEM_ORDINAL.sub(r"1\1", md)
    return md


def keep_apart(
    units: Sequence[Unit], out: list[tuple[str, int | None]]
) -> list[tuple[str, int | None]]:
    """Two runs of text without a tag (``<li>a<ul>…</ul>b</li>``) that end up side by side once the
    block between them is gone would read back as one paragraph: the second gets a ``<p>``."""
    fixed: list[tuple[str, int | None]] = []
    prev: InlineUnit | None = None
    for text, i in out:
        unit = units[i] if i is not None else None
        loose = unit if isinstance(unit, InlineUnit) and unit.tag is None else None
        if (
            loose is not None
            and prev is not None
            and not (loose.bare_image and prev.bare_image)  # images stay blocks of their own
            and fixed[-1][1] is not None
            and i != fixed[-1][1] + 1
        ):
            text = f"<p>{text}</p>"
            loose = None
        fixed.append((text, i))
        prev = loose
    return fixed


def opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib opcodes after trimming the common head and tail, so that one edit among identical
    blocks stays at its place instead of being matched to a twin further on."""
    n = min(len(old), len(new))
    p = 0
    while p < n and old[p] == new[p]:
        p += 1
    s = 0
    while s < n - p and old[len(old) - 1 - s] == new[len(new) - 1 - s]:
        s += 1
    ops: list[tuple[str, int, int, int, int]] = [("equal", 0, p, 0, p)] if p else []
    mid = SequenceMatcher(
        None, old[p : len(old) - s], new[p : len(new) - s], autojunk=False
    ).get_opcodes()
    ops.extend((tag, i1 + p, i2 + p, j1 + p, j2 + p) for tag, i1, i2, j1, j2 in mid)
    if s:
        ops.append(("equal", len(old) - s, len(old), len(new) - s, len(new)))
    return ops


def pair_blocks(units: Sequence[Unit], items, old_range: range, new_range: range) -> dict[int, int]:
    """Monotonic pairing of replaced old units to new blocks of the same kind, most similar first."""
    olds, news = list(old_range), list(new_range)
    if (
        len(olds) == len(news) or len(olds) * len(news) > 400
    ):  # big rewrites: pair in order, stay linear
        return {j: i for i, j in zip(olds, news, strict=False) if same_kind(units[i], items[j][0])}
    pairs: dict[int, int] = {}
    start = 0
    for j in news:
        best, best_ratio = None, 0.5
        for pos in range(start, len(olds)):
            i = olds[pos]
            if not same_kind(units[i], items[j][0]):
                continue
            ratio = SequenceMatcher(None, units[i].md, items[j][1], autojunk=False).quick_ratio()
            if ratio > best_ratio:
                best, best_ratio = pos, ratio
        if best is not None:
            pairs[j] = olds[best]
            start = best + 1
    return pairs


def same_kind(unit: Unit, kind: str) -> bool:
    if unit.kind in ("para", "heading") and isinstance(unit, InlineUnit):
        return kind in ("para", "heading")
    return unit.kind == kind or (unit.kind in ("list", "tasklist") and kind in ("list", "tasklist"))


def assemble(src: str, flow: Flow, out: list[tuple[str, int | None]]) -> str:
    units = flow.units
    if not units:
        lead, trail, gaps = src[flow.inner_start : flow.inner_end], "", []
    else:
        lead = src[flow.inner_start : units[0].start]
        trail = src[units[-1].end : flow.inner_end]
        gaps = [src[units[i].end : units[i + 1].start] for i in range(len(units) - 1)]
    ws = [g for g in gaps if not g.strip()]
    if ws:
        default = Counter(ws).most_common(1)[0][0]
    else:  # one block or none: follow the surrounding layout (pretty-printed or not)
        default = "\n" if "\n" in lead and not lead.strip() else ""
    parts = [lead]
    last = -1
    emitted = False
    for text, i in out:
        if i is None:
            if emitted:
                parts.append(default)
        else:
            span = gaps[max(last, 0) : i] if last >= 0 else gaps[:i]
            structural = [g for g in span[:-1] if g.strip()]
            if emitted:
                parts.append("".join(structural) + (span[-1] if span else default))
            else:
                parts.append("".join(g for g in span if g.strip()))
            last = i
        parts.append(text)
        emitted = True
    rest = gaps[last:] if last >= 0 else gaps
    parts.extend(g for g in rest if g.strip())
    parts.append(trail)
    return "".join(parts)
