"""A table whose cells can span columns and rows, drawn with box lines like Rich's rounded tables.

Rich's :class:`~rich.table.Table` has no merged cells, so a table with ``colspan``/``rowspan`` (the
``||`` and ``^^`` markers of a GFM table, or ``::: td colspan=2`` in a fenced table) is drawn here: a
merged cell is one area with no line through it, its text wrapped to the area's width.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, JustifyMethod, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style

PAD = 1  # spaces left and right of a cell's content, as in Rich's tables


@dataclass(slots=True)
class GridCell:
    """One cell as written: its content, spans, header flag and alignment."""

    content: RenderableType
    colspan: int = 1
    rowspan: int = 1
    header: bool = False
    justify: JustifyMethod | None = None


@dataclass(slots=True)
class _Placed:
    cell: GridCell
    row: int
    col: int
    rows: int
    cols: int


def place(rows: Sequence[Sequence[GridCell]]) -> tuple[list[_Placed], list[list[_Placed]]]:
    """Put cells on a grid as HTML does: each row's cells fill the positions a rowspan from above
    left free, left to right. Returns the placed cells and the position → cell map (holes filled
    with empty cells, spans beyond the last row cut there)."""
    occupied: dict[tuple[int, int], _Placed] = {}
    placed: list[_Placed] = []
    height = len(rows)
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in occupied:
                c += 1
            spot = _Placed(cell, r, c, max(1, min(cell.rowspan, height - r)), max(1, cell.colspan))
            placed.append(spot)
            for dr in range(spot.rows):
                for dc in range(spot.cols):
                    occupied.setdefault((r + dr, c + dc), spot)
            c += spot.cols
    width = max((c + 1 for _r, c in occupied), default=0)
    grid: list[list[_Placed]] = []
    for r in range(height):
        line = []
        for c in range(width):
            found = occupied.get((r, c))
            if found is None:
                found = _Placed(GridCell(""), r, c, 1, 1)
                placed.append(found)
            line.append(found)
        grid.append(line)
    return placed, grid


class GridTable:
    """Cells with spans, in a rounded box; a line under the header rows and, when ``row_lines``,
    between all rows (so a rowspan shows where it ends)."""

    def __init__(
        self,
        rows: Sequence[Sequence[GridCell]],
        *,
        border_style: str,
        header_style: str,
        header_rows: int = 0,
        row_lines: bool = True,
    ) -> None:
        self.placed, self.grid = place(rows)
        self.border = Style.parse(border_style)
        self.header_style = Style.parse(header_style)
        self.header_rows = header_rows
        self.row_lines = row_lines

    # -- widths ---------------------------------------------------------------------------------
    def _widths(self, console: Console, options: ConsoleOptions) -> list[int]:
        ncols = len(self.grid[0])
        low, high = [1 + 2 * PAD] * ncols, [1 + 2 * PAD] * ncols
        spanning = []
        for spot in self.placed:
            m = (
                Measurement.get(console, options, spot.cell.content)
                if spot.cell.content != ""
                else Measurement(0, 0)
            )
            need_low, need_high = m.minimum + 2 * PAD, m.maximum + 2 * PAD
            if spot.cols == 1:
                low[spot.col] = max(low[spot.col], need_low)
                high[spot.col] = max(high[spot.col], need_high)
            else:
                spanning.append((spot, need_low, need_high))
        for spot, need_low, need_high in sorted(spanning, key=lambda s: s[0].cols):
            _spread(low, spot.col, spot.cols, need_low)
            _spread(high, spot.col, spot.cols, need_high)
        high = [max(h, lo) for h, lo in zip(high, low, strict=True)]
        room = options.max_width - (ncols + 1)
        narrowest = [1 + 2 * PAD] * ncols
        # the longest words if they fit (wrapping at spaces), else words folded in the widest columns
        return _fit(low, high, room) or _fit(narrowest, low, room) or narrowest

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        if not self.grid or not self.grid[0]:
            return Measurement(0, 0)
        widths = self._widths(console, options.update_width(10**6))
        total = sum(widths) + len(widths) + 1
        return Measurement(min(total, options.max_width), min(total, options.max_width))

    # -- drawing --------------------------------------------------------------------------------
    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.grid or not self.grid[0]:
            return
        widths = self._widths(console, options)
        nrows, ncols = len(self.grid), len(widths)
        lined = [r == 0 or self.row_lines or r == self.header_rows for r in range(nrows)] + [True]

        def span_width(spot: _Placed) -> int:
            return sum(widths[spot.col : spot.col + spot.cols]) + spot.cols - 1

        # each cell's lines at its width; then row heights so that every cell fits its rows
        rendered: dict[int, list[list[Segment]]] = {}
        for spot in self.placed:
            inner = max(1, span_width(spot) - 2 * PAD)
            opts = options.update(width=inner, justify=spot.cell.justify, height=None)
            style = self.header_style if spot.cell.header else None
            rendered[id(spot)] = console.render_lines(
                spot.cell.content, opts, style=style, pad=True
            )
        heights = [1] * nrows
        for spot in sorted(self.placed, key=lambda s: s.rows):
            need = len(rendered[id(spot)])
            span = range(spot.row, spot.row + spot.rows)
            have = sum(heights[r] for r in span) + sum(1 for r in span[1:] if lined[r])
            if need > have:
                heights[span[-1]] += need - have
        # the first output line of each row's content, and of each boundary line drawn above a row
        top: list[int] = []
        y = 0
        for r in range(nrows):
            if lined[r]:
                y += 1
            top.append(y)
            y += heights[r]

        def content(spot: _Placed, y: int) -> list[Segment]:
            lines = rendered[id(spot)]
            n = y - top[spot.row]
            width = span_width(spot)
            pad = Segment(" " * PAD)
            if 0 <= n < len(lines):
                return [pad, *lines[n], pad]
            return [Segment(" " * width)]

        bar = Segment("│", self.border)
        for r in range(nrows + 1):
            if lined[r]:
                yield from self._boundary(r, widths, content, top)
                yield Segment.line()
            if r == nrows:
                break
            for line in range(heights[r]):
                y = top[r] + line
                c = 0
                yield bar
                while c < ncols:
                    spot = self.grid[r][c]
                    yield from content(spot, y)
                    c = spot.col + spot.cols
                    yield bar
                yield Segment.line()

    def _boundary(self, r: int, widths: list[int], content, top: list[int]) -> RenderResult:
        """The line above row ``r`` (``r == len(rows)``: the bottom edge); a cell spanning across it
        carries on through it."""
        grid, nrows, ncols = self.grid, len(self.grid), len(widths)
        above = grid[r - 1] if r > 0 else None
        below = grid[r] if r < nrows else None
        y = (top[r] - 1) if r < nrows else None
        out: list[Segment] = []
        c = 0
        while c <= ncols:
            up = above is not None and (c in (0, ncols) or above[c - 1] is not above[c])
            down = below is not None and (c in (0, ncols) or below[c - 1] is not below[c])
            left = c > 0 and (above is None or below is None or above[c - 1] is not below[c - 1])
            right = c < ncols and (above is None or below is None or above[c] is not below[c])
            out.append(Segment(_junction(up, down, left, right, c in (0, ncols)), self.border))
            if c == ncols:
                break
            if above is not None and below is not None and above[c] is below[c]:
                spot = below[c]  # spans this line: its text goes on
                out.extend(content(spot, y))
                c = spot.col + spot.cols
                continue
            out.append(Segment("─" * widths[c], self.border))
            c += 1
        yield from out


def _fit(floor: list[int], ceiling: list[int], room: int) -> list[int] | None:
    """Column widths between ``floor`` and ``ceiling`` filling at most ``room``: the widest columns are
    cut down to one level first (as Rich's tables do); None when even the floor does not fit."""
    if sum(ceiling) <= room:
        return ceiling
    if sum(floor) > room:
        return None
    low, high = 0, max(ceiling)
    while low < high:
        mid = (low + high + 1) // 2
        if sum(max(f, min(c, mid)) for f, c in zip(floor, ceiling, strict=True)) <= room:
            low = mid
        else:
            high = mid - 1
    widths = [max(f, min(c, low)) for f, c in zip(floor, ceiling, strict=True)]
    spare = room - sum(widths)
    for k, (w, c) in enumerate(zip(widths, ceiling, strict=True)):
        if spare <= 0:
            break
        if w < c:
            widths[k] += 1
            spare -= 1
    return widths


def _spread(widths: list[int], start: int, count: int, need: int) -> None:
    """Widen columns ``start…start+count-1`` so that, with the lines between them, they hold ``need``
    (each in proportion to its width: the wide columns take most of it)."""
    cols = widths[start : start + count]
    missing = need - (sum(cols) + count - 1)
    if missing <= 0:
        return
    adds = [missing * w // sum(cols) for w in cols]
    for k in sorted(range(count), key=lambda k: -cols[k])[: missing - sum(adds)]:
        adds[k] += 1
    for k in range(count):
        widths[start + k] += adds[k]


_CORNERS = {
    (False, True, False, True): "╭",
    (False, True, True, False): "╮",
    (True, False, False, True): "╰",
    (True, False, True, False): "╯",
}
_JUNCTIONS = {
    (True, True, True, True): "┼",
    (False, True, True, True): "┬",
    (True, False, True, True): "┴",
    (True, True, False, True): "├",
    (True, True, True, False): "┤",
    (False, False, True, True): "─",
    (True, True, False, False): "│",
    (False, True, False, True): "┌",
    (False, True, True, False): "┐",
    (True, False, False, True): "└",
    (True, False, True, False): "┘",
}


def _junction(up: bool, down: bool, left: bool, right: bool, edge: bool) -> str:
    arms = (up, down, left, right)
    if edge and arms in _CORNERS:
        return _CORNERS[arms]
    return _JUNCTIONS.get(arms, "─" if left or right else "│")
