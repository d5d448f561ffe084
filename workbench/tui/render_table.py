"""Tables in the viewer: GFM tables (with the dialect's merged-cell markers and column alignment) and
fenced ``::: table`` tables, both from markdown-it tokens.

A GFM row ``| Wide || c |`` holds a cell spanning two columns (``||``: an empty position without a
space belongs to the cell on its left) and ``| ^^ | b |`` a position belonging to the cell above; the
positions are read from the row's source line with the converter's own rules
(:mod:`workbench.convert.mdtables`), so the viewer spans exactly what a save would. Tables without
merged cells are Rich tables; tables with them are :class:`~workbench.tui.render_grid.GridTable`.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Group, JustifyMethod, RenderableType
from rich.table import Table
from rich.text import Text

from workbench.tui.render_base import Palette, matching, strip_trailing_blank
from workbench.tui.render_grid import GridCell, GridTable
from workbench.tui.render_heads import parse_head

MAX_SPAN = 64  # a cell spans at most this many columns (a page saying colspan=100000 is not a grid to draw)
_ALIGN: dict[str, JustifyMethod] = {
    "text-align:left": "left",
    "text-align:center": "center",
    "text-align:right": "right",
}


class TablesMixin:
    """Table rendering for the page renderer's builder (which supplies ``inline`` and ``blocks``)."""

    p: Palette
    source: list[str]

    def inline(self, children: Any) -> Text:
        raise NotImplementedError

    def blocks(self, tokens: Any, start: int, end: int) -> list[RenderableType]:
        raise NotImplementedError

    def _table_frame(self, **kwargs: Any) -> Table:
        return Table(
            box=box.ROUNDED,
            border_style=self.p.muted,
            header_style=f"bold {self.p.primary}",
            **kwargs,
        )

    # -- GFM tables ---------------------------------------------------------------------------------
    def table(self, tokens: Any, i: int, close: int) -> RenderableType:
        rows: list[
            list[tuple[Any, JustifyMethod | None]]
        ] = []  # (inline token, alignment) per cell
        lines: list[int] = []  # each row's source line
        align: JustifyMethod | None = None
        for tok in tokens[i + 1 : close]:
            if tok.type == "tr_open":
                rows.append([])
                lines.append(tok.map[0] if tok.map else -1)
            elif tok.type in ("th_open", "td_open"):
                align = _ALIGN.get(str(tok.attrs.get("style", "")).replace(" ", ""))
            elif tok.type == "inline" and rows:
                rows[-1].append((tok, align))
        if not rows:
            return Text("")
        spans = self._merged(rows, lines)
        if spans is not None:
            return self._grid_table(rows, spans)
        aligns = [a for _t, a in rows[0]]
        if len(rows) == 1:  # a header row only: no empty body under a header line
            table = self._table_frame(show_header=False)
            for a in aligns:
                table.add_column(justify=a or "left")
            table.add_row(*[self._cell_text(t, header=True) for t, _a in rows[0]])
            return table
        table = self._table_frame(show_lines=False, expand=False)
        for (tok, _a), a in zip(rows[0], aligns, strict=True):
            table.add_column(self._cell_text(tok), justify=a or "left")
        for row in rows[1:]:
            table.add_row(*[self._cell_text(t) for t, _a in row])
        return table

    def _cell_text(self, tok: Any, header: bool = False) -> Text:
        text = self.inline(tok.children or [])
        if header:
            text.stylize_before(f"bold {self.p.primary}")
        return text

    def _merged(
        self, rows: list[list[tuple[Any, JustifyMethod | None]]], lines: list[int]
    ) -> list[Any] | None:
        """The cells each row starts, with their spans (converter's ``GridCell``s), when the rows hold
        merged-cell markers that make rectangles; None otherwise (markers are then read as text)."""
        if not any(tok.content in ("", "^^") for row in rows for tok, _a in row):
            return None  # no position can be a marker: nothing to read again
        # lazy, for start-up: workbench.convert.mdtables loads on first use
        from workbench.convert.mdtables import CELL, LEFT, UP, grid, row_cells

        kinds: list[list[tuple[str, str]]] = []
        marked = False
        for row, line in zip(rows, lines, strict=True):
            raw = self.source[line] if 0 <= line < len(self.source) else ""
            positions = row_cells(raw[raw.find("|") :]) if "|" in raw else []
            positions = (positions + [(CELL, "")] * len(row))[: len(row)]
            for (tok, _a), (kind, _text) in zip(row, positions, strict=True):
                if (kind == LEFT and tok.content != "") or (kind == UP and tok.content != "^^"):
                    return None  # the line is not what markdown-it read (not a row of ours)
            marked = marked or any(kind != CELL for kind, _t in positions)
            kinds.append(positions)
        return grid(kinds) if marked else None

    def _grid_table(
        self, rows: list[list[tuple[Any, JustifyMethod | None]]], spans: list[Any]
    ) -> RenderableType:
        cells = [
            [
                GridCell(
                    self.inline(rows[r][cell.col][0].children or []),
                    cell.colspan,
                    cell.rowspan,
                    header=r == 0,
                    justify=rows[r][cell.col][1],
                )
                for cell in starting
            ]
            for r, starting in enumerate(spans)
        ]
        return GridTable(
            cells,
            border_style=self.p.muted,
            header_style=f"bold {self.p.primary}",
            header_rows=1 if len(cells) > 1 else 0,
            row_lines=any(cell.rowspan > 1 for row in cells for cell in row),
        )

    # -- fenced tables --------------------------------------------------------------------------
    def container_table(self, tokens: Any, i: int, close: int) -> RenderableType:
        """A ``::: table`` of ``::: tr`` rows of ``::: th``/``::: td`` cells holding any Markdown."""
        rows: list[list[GridCell]] = []
        j = i + 1
        while j < close:
            tok = tokens[j]
            if tok.type != "container_wb_open":
                j += 1
                continue
            name, params = parse_head(tok.info)
            name = name.lower()
            if name == "tr":
                rows.append([])
                j += 1
                continue
            end = matching(tokens, j)
            if name in ("td", "th") and rows:
                content = strip_trailing_blank(Group(*self.blocks(tokens, j + 1, end)))
                rows[-1].append(
                    GridCell(
                        content,
                        min(_int(params.get("colspan")), MAX_SPAN),
                        _int(params.get("rowspan")),
                        header=name == "th",
                    )
                )
            j = end + 1
        if any(cell.colspan > 1 or cell.rowspan > 1 for row in rows for cell in row):
            return GridTable(rows, border_style=self.p.muted, header_style=f"bold {self.p.primary}")
        table = self._table_frame(show_header=False, show_lines=True)
        width = max((len(r) for r in rows), default=0)
        for _ in range(width):
            table.add_column()
        for row in rows:
            table.add_row(
                *[_header(c, self.p) if c.header else c.content for c in row],
                *([""] * (width - len(row))),
            )
        return table


def _header(cell: GridCell, p: Palette) -> RenderableType:
    """A ``th`` cell's text in the header style (its links and other marks kept)."""
    content = cell.content
    if isinstance(content, Group):
        return Group(*[_bold(r, p) if isinstance(r, Text) else r for r in content.renderables])
    return content


def _bold(text: Text, p: Palette) -> Text:
    text = text.copy()
    text.stylize_before(f"bold {p.primary}")
    return text


def _int(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1
