"""Tables: a GFM table when every cell holds one line of inline content and no cell is merged;
otherwise a fenced ``::: table`` / ``::: tr`` / ``::: td`` container whose cells hold any Markdown."""

from __future__ import annotations

import re

from workbench.convert.blocks import ContainerUnit, Flow, InlineUnit, Unit
from workbench.convert.inline import BLOCK_TAGS, INLINE_MACROS
from workbench.convert.tokens import Node, is_blank
from workbench.convert.units import Builder

_SECTIONS = ("thead", "tbody", "tfoot")


class CellUnit(Unit):
    """A ``td``/``th`` of a GFM table; ``content`` is its inline content (inside a single ``<p>`` or not)."""

    kind = "cell"

    def __init__(self, node: Node, content: InlineUnit) -> None:
        self.start, self.end, self.md = node.start, node.end, content.md
        self.content, self.tag = content, node.name


class RowUnit(Unit):
    kind = "row"

    def __init__(self, start: int, end: int, flow: Flow, layout: list[str]) -> None:
        cells = flow.units
        self.start, self.end, self.md = start, end, row_md([c.md for c in cells], layout)
        self.flow = flow
        self.layout = (
            layout  # per column: "cell", "left" (merged into the cell before) or "up" (above)
        )
        self.cells = [c.content for c in cells]  # type: ignore[attr-defined]
        self.tags = [c.tag for c in cells]  # type: ignore[attr-defined]


class TableUnit(Unit):
    kind = "table"

    def __init__(self, start: int, end: int, flow: Flow, aligns: list[str | None]) -> None:
        rows = [u.md for u in flow.units]
        self.start, self.end, self.md = (
            start,
            end,
            "\n".join(rows[:1] + [delimiter_row(aligns)] + rows[1:]),
        )
        self.flow = flow
        self.aligns = aligns
        self.spans = any(k != "cell" for u in flow.units for k in u.layout)  # type: ignore[attr-defined]


def table_rows(node: Node) -> list[Node] | None:
    """The ``tr`` elements of a table, or None when something else than rows/sections/cols is inside."""
    rows: list[Node] = []
    for c in node.children:
        if c.kind != "el":
            continue
        if c.name == "tr":
            rows.append(c)
        elif c.name in _SECTIONS:
            for r in c.children:
                if r.kind == "el":
                    if r.name != "tr":
                        return None
                    rows.append(r)
        elif c.name not in ("colgroup", "col"):
            return None
    return rows


def _inline_only(nodes: list[Node]) -> bool:
    for n in nodes:
        if n.kind in ("comment", "pi", "decl", "stray"):
            return False
        if n.kind != "el":
            continue
        if n.name in BLOCK_TAGS or n.name == "ac:image" and _has_caption(n):
            return False
        if n.name == "ac:structured-macro" and n.attrs.get("ac:name", "") not in INLINE_MACROS:
            return False
        if not _inline_only(n.children):
            return False
    return True


def _has_caption(n: Node) -> bool:
    return n.child("ac:caption") is not None


def _cell_content(b: Builder, cell: Node) -> tuple[int, int, list[Node], Node | None] | None:
    """(inner_start, inner_end, nodes, empty_p) of a cell's inline content, looking through a single
    ``<p>``; ``empty_p`` is a self-closing ``<p/>`` (an empty cell in Confluence Cloud)."""
    src = b.src
    els = cell.elements()
    if (
        len(els) == 1
        and els[0].name == "p"
        and all(c.kind == "el" or is_blank(src, c) for c in cell.children)
    ):
        p = els[0]
        if p.selfclosing:
            return p.start, p.end, [], p
        if not _inline_only(p.children):
            return None
        return p.open_end, p.close_start, p.children, None
    if not _inline_only(cell.children):
        return None
    return cell.open_end, cell.close_start, cell.children, None


def build_table(b: Builder, node: Node) -> Unit:
    rows = table_rows(node)
    gfm = _gfm(b, rows) if rows else None
    if gfm is not None:
        units, aligns = gfm
        return TableUnit(
            node.start, node.end, Flow(node.open_end, node.close_start, units, "rows"), aligns
        )
    if rows is None:
        rows = []
    flow = Flow(node.open_end, node.close_start, [b.block(r) for r in rows], "body")
    return ContainerUnit(node.start, node.end, "div", "table", flow, node)


def _span(node: Node, name: str) -> int | None:
    value = node.attrs.get(name, "1").strip()
    return int(value) if value.isdigit() and 0 < int(value) <= 1000 else None


_Grid = list[tuple[Node, list[tuple[Node, tuple[int, int, list[Node], Node | None]]], list[str]]]


def _gfm(b: Builder, rows: list[Node]) -> tuple[list[RowUnit], list[str | None]] | None:
    """Rows of a GFM table (merged cells as ``||``/``^^`` markers) and the columns' alignment. The
    table's shape is checked before any cell is read: a table that cannot be GFM (a cell holding
    blocks, a ragged row …) is read once, as containers, instead of cell by cell up to the one that
    fails and then again."""
    shape = _gfm_shape(b, rows)
    if shape is None:
        return None
    grid, aligns = shape
    out: list[RowUnit] = []
    for r, cells, layout in grid:
        units = []
        for c, (s, e, nodes, empty_p) in cells:
            if empty_p is not None:  # edited, it becomes <p …>text</p> with its attributes
                inline = InlineUnit(s, e, e, e, [], tag="p", selfclosing=True)
            else:
                segs = b.finished(nodes, table=True)
                md = "".join([x.md for x in segs])
                if "\n" in md:
                    return None
                if md == "^^":  # the text "^^", not a merge marker
                    segs[0].md, segs[0].kind = "\\" + segs[0].md, "mapped"
                    md = "\\^^"
                inline = InlineUnit(s, e, s, e, segs, tag=None, text=md)
                inline.table = True
            units.append(CellUnit(c, inline))
        out.append(RowUnit(r.start, r.end, Flow(r.open_end, r.close_start, units, "rows"), layout))
    return out, aligns


def _gfm_shape(b: Builder, rows: list[Node]) -> tuple[_Grid, list[str | None]] | None:
    """Each row's cells with their inline content and its layout (see :class:`RowUnit`), and the
    columns' alignment — or None when the table has no GFM form whatever its cells' Markdown."""
    width = None
    grid: _Grid = []
    covered: dict[tuple[int, int], bool] = {}  # positions taken by a rowspan from above
    starts: dict[int, list[Node]] = {}  # column → cells starting there (for the alignment)
    for r_index, r in enumerate(rows):
        cells = r.elements()
        if not cells or any(c.name not in ("td", "th") for c in cells) or not b.only_ws_text(r):
            return None
        contents = []
        layout: list[str] = []
        col = 0
        for c in cells:
            while covered and covered.pop((r_index, col), False):
                layout.append("up")
                col += 1
            if "colspan" in c.attrs or "rowspan" in c.attrs:
                colspan, rowspan = _span(c, "colspan"), _span(c, "rowspan")
                if colspan is None or rowspan is None:
                    return None
            else:  # the usual cell
                colspan = rowspan = 1
            content = _cell_content(b, c)
            if content is None:
                return None
            contents.append((c, content))
            starts.setdefault(col, []).append(c)
            layout.append("cell")
            if colspan > 1:
                layout.extend(["left"] * (colspan - 1))
            for dr in range(1, rowspan):
                for dc in range(colspan):
                    covered[(r_index + dr, col + dc)] = True
            col += colspan
        while covered and covered.pop((r_index, col), False):
            layout.append("up")
            col += 1
        if width is None:
            width = col
        elif col != width:
            return None
        grid.append((r, contents, layout))
    if covered or width is None:
        return None  # a rowspan reaching past the last row
    return grid, [
        _column_align([c.attrs.get("style", "") for c in starts.get(i, [])]) for i in range(width)
    ]


_ALIGN_RE = re.compile(r"(?:^|;)\s*text-align\s*:\s*(left|center|right)\s*(?:;|$)", re.I)


def _column_align(styles: list[str]) -> str | None:
    found = {m.group(1).lower() if (m := _ALIGN_RE.search(s)) else None for s in styles}
    return found.pop() if len(found) == 1 else None


def row_md(cells: list[str], layout: list[str]) -> str:
    """A table row: ``| a | b |``; a merged position is ``||`` (with the cell before) or ``^^`` (above)."""
    out = "|"
    it = iter(cells)
    for kind in layout:
        if kind == "left":
            out += "|"
        elif kind == "up":
            out += " ^^ |"
        else:
            out += f" {next(it, '')} |"
    return out


def delimiter_row(aligns: list[str | None]) -> str:
    marks = {None: "---", "left": ":---", "center": ":---:", "right": "---:"}
    return "| " + " | ".join(marks[a] for a in aligns) + " |"
