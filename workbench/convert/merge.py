"""The base-aware splicer: Markdown + the storage it was read from → storage that differs only where the
Markdown differs.

Blocks are aligned with difflib; an unchanged block is its original source slice, byte for byte, with
the original whitespace between blocks. A block replaced one-for-one keeps its tag and attributes:
containers merge their bodies recursively, code blocks swap only their body, and paragraphs splice only
the changed characters into their source (see :mod:`workbench.convert.splice`). Anything else is
rendered fresh, restoring placeholders and links from the base.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher

from workbench.convert.blocks import (
    CodeUnit,
    ContainerUnit,
    Flow,
    InlineUnit,
    ItemUnit,
    ListUnit,
    Unit,
)
from workbench.convert.codeblocks import merge_code
from workbench.convert.fresh import (
    Ctx,
    render_block,
    render_flow,
    render_inline,
    render_item,
)
from workbench.convert.heads import apply_edits, container_head_edits
from workbench.convert.mdsplit import (
    DELIM_RE,
    div_parts,
    heading_parts,
    item_parts,
    quote_body,
    split_blocks,
    split_items,
)
from workbench.convert.mdtables import (
    alignments,
    canonical,
    render_row,
    render_table,
    row_cells,
)
from workbench.convert.splice import merge_inline
from workbench.convert.tables import CellUnit, RowUnit, TableUnit
from workbench.convert.units import Builder

_INLINE_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6"})
_LIST_ORDINALS = re.compile(r"(?m)^\d{1,9}([.)])")
_ITEM_ORDINAL = re.compile(r"^\d{1,9}([.)])")


def _key(md: str, kind: str) -> str:
    """What blocks are aligned by: their Markdown, except the numbers of ordered list items (derived
    from the position, so inserting an item does not make every later one look changed)."""
    if kind == "list":  # the first number stays: it is the list's start
        first = _ITEM_ORDINAL.match(md)
        return md[: first.end()] + _LIST_ORDINALS.sub(r"1\1", md[first.end() :]) if first else md
    if kind == "item":
        return _ITEM_ORDINAL.sub(r"1\1", md)
    return md


def merge_flow(flow: Flow, md: str, ctx: Ctx) -> str:
    """Storage for ``flow``'s span given its new Markdown."""
    items = [(b.kind, b.text) for b in split_blocks(md, loose_lists=False)]
    # text without <p> (as in "<li>text</li>") only when it stays the one block: two of them side by side
    # would read back as one
    loose = (
        len(items) == 1
        and flow.context in ("item", "body")
        and not any(isinstance(u, InlineUnit) and u.tag == "p" for u in flow.units)
    )
    all_loose = all(isinstance(u, InlineUnit) and u.tag is None for u in flow.units)
    if flow.context == "body" and flow.units and not all_loose:
        loose = False

    def make(kind: str, text: str) -> str:
        return render_block(kind, text, ctx, loose=loose and kind == "para")

    return merge_units(flow, items, ctx, make)


def merge_units(flow: Flow, items: list[tuple[str, str]], ctx: Ctx, make) -> str:
    """Align old units with new blocks and write each one: kept, merged in place, moved or new."""
    src = ctx.src
    units = flow.units
    old_keys = [_key(u.md, u.kind) for u in units]
    new_keys = [_key(t, kind) for kind, t in items]
    ops = _opcodes(old_keys, new_keys)
    plans = {}
    loose_old: dict[
        str, list[int]
    ] = {}  # old units not kept in place: a block moved elsewhere reuses its source
    for tag, i1, i2, j1, j2 in ops:
        if tag == "replace":
            plans[(i1, j1)] = pairs = _pair(units, items, range(i1, i2), range(j1, j2))
            paired = set(pairs.values())
            for i in range(i1, i2):
                if i not in paired:
                    loose_old.setdefault(old_keys[i], []).append(i)
        elif tag == "delete":
            for i in range(i1, i2):
                loose_old.setdefault(old_keys[i], []).append(i)

    def fresh(j: int, anchor: int) -> str:
        moved = loose_old.get(new_keys[j])
        if moved:
            i = moved.pop(0)
            return src[units[i].start : units[i].end]
        ctx.anchor = anchor
        return make(*items[j])

    out: list[tuple[str, int | None]] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            out.extend((src[units[i].start : units[i].end], i) for i in range(i1, i2))
        elif tag == "insert":
            anchor = units[i1].start if i1 < len(units) else flow.inner_end
            if any(items[j][0] == "html" for j in range(j1, j2)) and j2 - j1 > 1:
                # pasted HTML that opens a container (<details> … </details>) around Markdown: one piece
                ctx.anchor = anchor
                out.append(
                    (render_flow("\n\n".join(items[j][1] for j in range(j1, j2)), ctx), None)
                )
            else:
                out.extend((fresh(j, anchor), None) for j in range(j1, j2))
        elif tag == "replace":
            pairs = plans[(i1, j1)]
            for j in range(j1, j2):
                old_i = pairs.get(j)
                merged = None
                if old_i is not None:
                    ctx.anchor = units[old_i].start
                    merged = merge_unit(units[old_i], items[j][0], items[j][1], ctx)
                if merged is not None:
                    out.append((merged, old_i))
                else:
                    out.append((fresh(j, units[i1].start), None))
    return _assemble(src, flow, _keep_apart(units, out))


def _keep_apart(
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


def _opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
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


def _pair(units: Sequence[Unit], items, old_range: range, new_range: range) -> dict[int, int]:
    """Monotonic pairing of replaced old units to new blocks of the same kind, most similar first."""
    olds, news = list(old_range), list(new_range)
    if (
        len(olds) == len(news) or len(olds) * len(news) > 400
    ):  # big rewrites: pair in order, stay linear
        return {j: i for i, j in zip(olds, news, strict=False) if _same_kind(units[i], items[j][0])}
    pairs: dict[int, int] = {}
    start = 0
    for j in news:
        best, best_ratio = None, 0.5
        for pos in range(start, len(olds)):
            i = olds[pos]
            if not _same_kind(units[i], items[j][0]):
                continue
            ratio = SequenceMatcher(None, units[i].md, items[j][1], autojunk=False).quick_ratio()
            if ratio > best_ratio:
                best, best_ratio = pos, ratio
        if best is not None:
            pairs[j] = olds[best]
            start = best + 1
    return pairs


def _same_kind(unit: Unit, kind: str) -> bool:
    if unit.kind in ("para", "heading") and isinstance(unit, InlineUnit):
        return kind in ("para", "heading")
    return unit.kind == kind or (unit.kind in ("list", "tasklist") and kind in ("list", "tasklist"))


def _assemble(src: str, flow: Flow, out: list[tuple[str, int | None]]) -> str:
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


def merge_unit(unit: Unit, kind: str, text: str, ctx: Ctx) -> str | None:
    """Storage for ``unit`` given its new Markdown, keeping its tags; None when it must be re-rendered."""
    src = ctx.src
    if isinstance(unit, InlineUnit):
        if kind == unit.kind and not unit.prefix:
            return merge_inline(unit, text, ctx)
        if kind not in ("para", "heading") or unit.bare_image:
            return None
        level, body = heading_parts(text) if kind == "heading" else (0, text)
        tag = f"h{level}" if level else "p"
        if unit.tag == tag:
            return merge_inline(unit, text, ctx, body)
        if (
            unit.tag not in _INLINE_TAGS
            or unit.selfclosing
            or not src.endswith(f"</{unit.tag}>", 0, unit.end)
        ):
            return None
        # a paragraph made a heading (or the reverse, or another level): the tag is renamed, the
        # content merged as usual
        merged = merge_inline(unit, text, ctx, body)
        if not merged.startswith(f"<{unit.tag}") or not merged.endswith(f"</{unit.tag}>"):
            return None
        return f"<{tag}{merged[1 + len(unit.tag) : -len(unit.tag) - 3]}</{tag}>"
    if isinstance(unit, CodeUnit):
        return merge_code(unit, kind, text, src)
    if isinstance(unit, ContainerUnit):
        if kind != unit.kind:
            return None
        if kind == "div":
            parts = div_parts(text)
            if parts is None:
                return None
            head, body = parts[1], parts[2]
            shell = parts[0] + " " + head + "\n\ue002\n" + parts[0]
        elif kind == "alert":
            head, body = quote_body(text)
            head = head.strip()
            shell = "> " + head + "\n>\n> \ue002"
        else:
            head, body = quote_body(text)
            body = head + "\n" + body if body else head
            head = unit.head
        edits: list[tuple[int, int, str]] = []
        if head != unit.head.strip():
            found = container_head_edits(unit, head, src)
            if found is None:
                return _rewrap(unit, kind, shell, body, ctx)
            edits = found
        merged = merge_flow(unit.flow, body, ctx)
        return apply_edits(
            src,
            unit.start,
            unit.end,
            edits + [(unit.flow.inner_start, unit.flow.inner_end, merged)],
        )
    if isinstance(unit, ListUnit):
        if kind != unit.kind:
            return None
        items = [("item", t) for t in split_items(text)]
        if not items or item_parts(items[0][1])[0][:1].isdigit() != unit.ordered:
            return None
        tasks = unit.kind == "tasklist"
        model = unit.adf_item
        if model is not None:
            # lazy, for start-up: workbench.convert.adf loads on first use
            from workbench.convert.adf import render_adf_item

            merged = merge_units(
                unit.flow, items, ctx, lambda _k, t: render_adf_item(t, ctx, model)
            )
        else:
            merged = merge_units(unit.flow, items, ctx, lambda _k, t: render_item(t, ctx, tasks))
        edits = [(unit.flow.inner_start, unit.flow.inner_end, merged)]
        number = item_parts(items[0][1])[0][:-1]
        if unit.ordered and number.isdigit() and int(number) != unit.first_number:
            edits.append(
                (
                    unit.start,
                    unit.open_end,
                    _with_start(src[unit.start : unit.open_end], int(number)),
                )
            )
        return apply_edits(src, unit.start, unit.end, edits)
    if isinstance(unit, ItemUnit):
        marker, task, body = item_parts(text)
        if (task is None) != (unit.task is None):
            return None
        edits = []
        if task is not None and task != unit.task:
            if unit.status is None:
                return None
            edits.append(
                (
                    unit.status.open_end,
                    unit.status.close_start,
                    "complete" if task == "x" else "incomplete",
                )
            )
        merged = merge_flow(unit.flow, body, ctx)
        edits.append((unit.flow.inner_start, unit.flow.inner_end, merged))
        return apply_edits(src, unit.start, unit.end, edits)
    if isinstance(unit, TableUnit):
        return _merge_table(unit, kind, text, ctx)
    if isinstance(unit, RowUnit):
        positions = row_cells(text)
        layout = [k for k, _t in positions]
        if layout != unit.layout and any(k != "cell" for k in layout + unit.layout):
            return None  # cells merged or split: written anew (the table is checked as a whole)
        cells = [("cell", c) for k, c in positions if k == "cell"]
        tag = "th" if all(t == "th" for t in unit.tags) else "td"
        merged = merge_units(
            unit.flow, cells, ctx, lambda _k, t: f"<{tag}>{render_inline(t, ctx)}</{tag}>"
        )
        return apply_edits(
            src, unit.start, unit.end, [(unit.flow.inner_start, unit.flow.inner_end, merged)]
        )
    if isinstance(unit, CellUnit):
        content = unit.content
        return apply_edits(
            src,
            unit.start,
            unit.end,
            [(content.start, content.end, merge_inline(content, text, ctx))],
        )
    return None


def _merge_table(unit: TableUnit, kind: str, text: str, ctx: Ctx) -> str | None:
    src = ctx.src
    lines = text.split("\n")
    if kind != "table" or len(lines) < 2 or not DELIM_RE.match(lines[1]):
        return None
    aligns = alignments(lines[1])
    open_tag = src[unit.start : unit.flow.inner_start]
    if aligns != unit.aligns and any(a is not None for a in aligns + unit.aligns):
        return render_table(
            text, ctx, open_tag, body=True
        )  # the alignment changed: every cell changes
    rows = [("row", lines[0])] + [("row", line) for line in lines[2:]]
    header = all(t == "th" for t in unit.flow.units[0].tags)  # type: ignore[attr-defined]
    merged = merge_units(
        unit.flow,
        rows,
        ctx,
        lambda _k, t: render_row(t, ctx, aligns, header=header and t is rows[0][1]),
    )
    out = apply_edits(
        src, unit.start, unit.end, [(unit.flow.inner_start, unit.flow.inner_end, merged)]
    )
    if unit.spans or any(k != "cell" for _kind, row in rows for k, _t in row_cells(row)):
        # merged cells span rows: check that the table says what was typed, else write it anew

        again = Builder(out).document().units
        if (
            len(again) != 1
            or not isinstance(again[0], TableUnit)
            or canonical(again[0].md) != canonical(text)
        ):
            return render_table(text, ctx, open_tag, body=True)
    return out


def _rewrap(unit: ContainerUnit, kind: str, shell: str, body: str, ctx: Ctx) -> str | None:
    """A container whose head changed: a fresh wrapper around its body merged against the old body."""
    wrapper = render_block(kind, shell, ctx)
    for marker in ("<p>\ue002</p>", "\ue002"):
        if marker in wrapper:
            before, _, after = wrapper.partition(marker)
            return before + merge_flow(unit.flow, body, ctx) + after
    return None


def _with_start(open_tag: str, number: int) -> str:
    """An ``<ol …>`` tag with ``start`` set to ``number`` (removed when it is 1)."""
    tag = re.sub(r"\s+start\s*=\s*(\"[^\"]*\"|'[^']*'|\S+?)(?=[\s/>])", "", open_tag)
    if number == 1:
        return tag
    return re.sub(r"^<ol", f'<ol start="{number}"', tag, count=1)
