"""GFM tables on the Markdown side: rows with merged-cell markers, column alignment, fresh storage.

A merged cell is written as in MultiMarkdown: ``| Wide || next |`` (an empty position with no space,
``||``, belongs to the cell on its left: ``colspan``) and ``| ^^ | b |`` (a position holding only ``^^``
belongs to the cell above: ``rowspan``). An empty cell is ``|  |``. The delimiter row's colons give the
columns' alignment (``style="text-align: …"`` on each cell of the column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workbench.convert.mdsplit import DELIM_RE

if TYPE_CHECKING:
    from workbench.convert.fresh import Ctx

CELL, LEFT, UP = "cell", "left", "up"


def split_row_raw(line: str) -> list[str]:
    """Cells of a table row as written (spaces kept; ``\\|`` stays escaped inside a cell)."""
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells, cur, i = [], [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            cur.append(s[i : i + 2])
            i += 2
            continue
        if c == "|":
            cells.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    cells.append("".join(cur))
    return cells


def row_cells(line: str) -> list[tuple[str, str]]:
    """``(kind, text)`` per position: ``cell``, ``left`` (``||``) or ``up`` (``^^``)."""
    out = []
    for i, raw in enumerate(split_row_raw(line)):
        text = raw.strip()
        if raw == "" and i > 0:
            out.append((LEFT, ""))
        elif text == "^^":
            out.append((UP, ""))
        else:
            out.append((CELL, text))
    return out


def alignments(delimiter: str) -> list[str | None]:
    out: list[str | None] = []
    for cell in split_row_raw(delimiter):
        c = cell.strip()
        left, right = c.startswith(":"), c.endswith(":") and len(c) > 1
        out.append("center" if left and right else "left" if left else "right" if right else None)
    return out


@dataclass
class GridCell:
    text: str
    row: int
    col: int
    positions: set[tuple[int, int]] = field(default_factory=set)

    @property
    def colspan(self) -> int:
        return len({c for _r, c in self.positions})

    @property
    def rowspan(self) -> int:
        return len({r for r, _c in self.positions})


def grid(rows: list[list[tuple[str, str]]]) -> list[list[GridCell]] | None:
    """The cells each row starts, with their spans; None when the markers do not make rectangles."""
    owner: dict[tuple[int, int], GridCell] = {}
    out: list[list[GridCell]] = []
    for r, row in enumerate(rows):
        starting: list[GridCell] = []
        for c, (kind, text) in enumerate(row):
            target = None
            if kind == LEFT:
                target = owner.get((r, c - 1))
            elif kind == UP:
                target = owner.get((r - 1, c))
            if target is None:
                target = GridCell(text if kind == CELL else ("" if kind == LEFT else "^^"), r, c)
                starting.append(target)
            target.positions.add((r, c))
            owner[(r, c)] = target
        out.append(starting)
    for row_cells_ in out:
        for cell in row_cells_:
            rs = {r for r, _c in cell.positions}
            cs = {c for _r, c in cell.positions}
            rectangle = len(cell.positions) == len(rs) * len(cs)
            if (
                not rectangle
                or max(rs) - min(rs) + 1 != len(rs)
                or max(cs) - min(cs) + 1 != len(cs)
            ):
                return None
    return out


def _plain_grid(rows: list[list[tuple[str, str]]]) -> list[list[GridCell]]:
    """Markers read as text (``^^``, empty): every position its own cell."""
    return [
        [
            GridCell(text if kind == CELL else ("^^" if kind == UP else ""), r, c, {(r, c)})
            for c, (kind, text) in enumerate(row)
        ]
        for r, row in enumerate(rows)
    ]


def style_for(align: str | None) -> str:
    return f' style="text-align: {align};"' if align else ""


def render_table(text: str, ctx: Ctx, open_tag: str = "<table>", body: bool = True) -> str | None:
    """Fresh storage for a GFM table (``open_tag`` and its ``<tbody>`` kept when given)."""
    # lazy, for start-up: workbench.convert.fresh loads on first use
    from workbench.convert.fresh import render_inline

    lines = text.split("\n")
    if len(lines) < 2 or not DELIM_RE.match(lines[1]):
        return None
    aligns = alignments(lines[1])
    rows = [row_cells(lines[0])] + [row_cells(line) for line in lines[2:]]
    cells = grid(rows) or _plain_grid(rows)
    out = []
    for r, starting in enumerate(cells):
        tag = "th" if r == 0 else "td"
        parts = []
        for cell in starting:
            spans = "".join(
                f' {k}="{n}"'
                for k, n in (("colspan", cell.colspan), ("rowspan", cell.rowspan))
                if n > 1
            )
            align = style_for(aligns[cell.col] if cell.col < len(aligns) else None)
            parts.append(f"<{tag}{spans}{align}>{render_inline(cell.text, ctx)}</{tag}>")
        out.append("<tr>" + "".join(parts) + "</tr>")
    inner = "".join(out)
    close = "</" + re.match(r"<([^\s/>]+)", open_tag).group(1) + ">"  # type: ignore[union-attr]
    return f"{open_tag}<tbody>{inner}</tbody>{close}" if body else f"{open_tag}{inner}{close}"


def render_row(line: str, ctx: Ctx, aligns: list[str | None], header: bool = False) -> str:
    """A new row of an existing table (a merge marker spans only within the row here)."""
    # lazy, for start-up: workbench.convert.fresh loads on first use
    from workbench.convert.fresh import render_inline

    tag = "th" if header else "td"
    cells = grid([row_cells(line)]) or _plain_grid([row_cells(line)])
    parts = []
    for cell in cells[0]:
        span = f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
        align = style_for(aligns[cell.col] if cell.col < len(aligns) else None)
        parts.append(f"<{tag}{span}{align}>{render_inline(cell.text, ctx)}</{tag}>")
    return "<tr>" + "".join(parts) + "</tr>"


def canonical(text: str) -> tuple:
    """What a table says, spacing aside: each row's positions and the alignments."""
    lines = text.strip("\n").split("\n")
    if len(lines) < 2:
        return ()
    return tuple(tuple(row_cells(line)) for line in lines[:1] + lines[2:]), tuple(
        alignments(lines[1])
    )
