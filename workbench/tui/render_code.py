"""Code blocks in the viewer: highlighted, and never a character lost.

A line longer than the room is folded at the width (not at a word: code has long "words") and each
continuation row starts with a muted ``↪``, so nothing is cut with an ellipsis and a wrapped line
is never mistaken for two (which matters when a runbook is copied from the terminal).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

#: The mark that starts a continuation row (and the space after it).
CONTINUED = "↪ "


class CodeBlock:
    """A highlighted code block that folds long lines with a visible continuation mark."""

    def __init__(
        self,
        code: str,
        lexer: str,
        theme: str,
        muted: str,
        *,
        line_numbers: bool = False,
        start_line: int = 1,
    ) -> None:
        self.code = code.rstrip("\n").expandtabs(4)
        self.lexer, self.theme, self.muted = lexer, theme, Style.parse(muted)
        self.line_numbers, self.start_line = line_numbers, start_line

    def _highlighted(self) -> list[Text]:
        # lazy, for start-up: rich.syntax (with pygments) loads on first use
        from rich.syntax import Syntax

        syntax = Syntax(
            self.code, self.lexer or "text", theme=self.theme, background_color="default"
        )
        text = syntax.highlight(self.code)
        text.rstrip()
        return list(text.split("\n", allow_blank=True))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = self._highlighted()
        last = self.start_line + len(lines) - 1
        gutter = len(str(last)) + 1 if self.line_numbers else 0
        room = max(4, options.max_width - 2 - gutter)  # one column of padding on each side
        back = Style(bgcolor="default")  # the block stands out as the terminal's own background
        for offset, line in enumerate(lines):
            for row, piece in enumerate(fold(line, room, len(CONTINUED))):
                yield Segment(" ", back)
                if gutter:
                    number = f"{self.start_line + offset} " if row == 0 else ""
                    yield Segment(number.rjust(gutter), back + self.muted)
                if row:
                    yield Segment(CONTINUED, back + self.muted)
                used = cell_len(piece.plain) + (len(CONTINUED) if row else 0)
                yield from Segment.apply_style(piece.render(console), back)
                yield Segment(" " * (room - used + 1), back)
                yield Segment.line()


def fold(line: Text, width: int, indent: int) -> list[Text]:
    """``line`` cut into rows of at most ``width`` cells (the rows after the first: ``width -
    indent``), at character boundaries, keeping every character and style."""
    if cell_len(line.plain) <= width:
        return [line]
    rows: list[Text] = []
    plain, start, room = line.plain, 0, width
    while start < len(plain):
        end, used = start, 0
        while end < len(plain) and used + cell_len(plain[end]) <= room:
            used += cell_len(plain[end])
            end += 1
        if end == start:  # a character wider than the room: it goes alone
            end += 1
        rows.append(line[start:end])
        start, room = end, max(1, width - indent)
    return rows
