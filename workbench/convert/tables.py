"""Tables: a GFM table when every cell holds one line of inline content and no cell is merged;
otherwise a fenced ``::: table`` / ``::: tr`` / ``::: td`` container whose cells hold any Markdown."""

from __future__ import annotations

from workbench.convert.inline import BLOCK_TAGS, INLINE_MACROS, finish_segs
from workbench.convert.tokens import Node
from workbench.convert.units import Builder, ContainerUnit, Flow, InlineUnit, Unit

_SECTIONS = ("thead", "tbody", "tfoot")


class CellUnit(Unit):
    """A ``td``/``th`` of a GFM table; ``content`` is its inline content (inside a single ``<p>`` or not)."""

    kind = "cell"

    def __init__(self, node: Node, content: InlineUnit) -> None:
        super().__init__(node.start, node.end, content.md)
        self.content, self.tag = content, node.name


class RowUnit(Unit):
    kind = "row"

    def __init__(self, start: int, end: int, flow: Flow) -> None:
        cells = flow.units
        super().__init__(start, end, "| " + " | ".join(c.md for c in cells) + " |")
        self.flow = flow
        self.cells = [c.content for c in cells]  # type: ignore[attr-defined]
        self.tags = [c.tag for c in cells]  # type: ignore[attr-defined]


class TableUnit(Unit):
    kind = "table"

    def __init__(self, start: int, end: int, flow: Flow) -> None:
        rows = [u.md for u in flow.units]
        ncols = len(flow.units[0].cells)  # type: ignore[attr-defined]
        delim = "| " + " | ".join(["---"] * ncols) + " |"
        super().__init__(start, end, "\n".join(rows[:1] + [delim] + rows[1:]))
        self.flow = flow


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
        if n.name in BLOCK_TAGS or n.name == "br" or n.name == "ac:image" and _has_caption(n):
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
    if len(els) == 1 and els[0].name == "p" and all(
        c.kind == "el" or (c.kind == "text" and not src[c.start : c.end].strip()) for c in cell.children
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
        return TableUnit(node.start, node.end, Flow(node.open_end, node.close_start, gfm, "rows"))
    if rows is None:
        rows = []
    units = [b.block(r) for r in rows]
    return ContainerUnit(node.start, node.end, "div", "table", Flow(node.open_end, node.close_start, units, "body"), node)


def _gfm(b: Builder, rows: list[Node]) -> list[RowUnit] | None:
    src = b.src
    width = None
    out: list[RowUnit] = []
    for r in rows:
        cells = r.elements()
        if not cells or any(c.name not in ("td", "th") for c in cells) or not b.only_ws_text(r):
            return None
        if width is None:
            width = len(cells)
        elif len(cells) != width:
            return None
        units = []
        for c in cells:
            if any(c.attrs.get(k, "1") != "1" for k in ("colspan", "rowspan")):
                return None
            content = _cell_content(b, c)
            if content is None:
                return None
            s, e, nodes, empty_p = content
            if empty_p is not None:  # edited, it becomes <p …>text</p> with its attributes
                inline = InlineUnit(s, e, e, e, [], tag="p", selfclosing=True)
                units.append(CellUnit(c, inline))
                continue
            segs = finish_segs(b.inline(nodes, table=True))
            md = "".join(x.md for x in segs)
            if "\n" in md:
                return None
            inline = InlineUnit(s, e, s, e, segs, tag=None)
            inline.table = True
            units.append(CellUnit(c, inline))
        out.append(RowUnit(r.start, r.end, Flow(r.open_end, r.close_start, units, "rows")))
    # a separator-looking first cell would be read back as a different table
    return out
