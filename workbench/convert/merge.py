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
from workbench.convert.merge_align import assemble, block_key, keep_apart, opcodes, pair_blocks
from workbench.convert.splice import merge_inline
from workbench.convert.tables import CellUnit, RowUnit, TableUnit
from workbench.convert.units import Builder

_INLINE_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6"})


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
    old_keys = [block_key(u.md, u.kind) for u in units]
    new_keys = [block_key(t, kind) for kind, t in items]
    ops = opcodes(old_keys, new_keys)
    plans = {}
    loose_old: dict[
        str, list[int]
    ] = {}  # old units not kept in place: a block moved elsewhere reuses its source
    for tag, i1, i2, j1, j2 in ops:
        if tag == "replace":
            plans[(i1, j1)] = pairs = pair_blocks(units, items, range(i1, i2), range(j1, j2))
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
    return assemble(src, flow, keep_apart(units, out))


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
