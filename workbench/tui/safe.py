"""Server text as TUI objects that are neither markup nor terminal controls.

Anything that came from a server (titles, names, labels, excerpts, comment bodies, error messages,
a model's words) is shown through these helpers, never interpolated into a markup string: ``[/x]``
in a title is then just text, and ``workbench.textsafe.printable`` has already turned ESC/C1/bidi
controls into visible stand-ins (Rich's ``Text`` and Textual's ``Content`` both keep ESC and would
send it to the terminal).

Notifications need nothing: ``WorkbenchApp.notify`` shows every message as plain, printable,
redacted text (``markup=False`` unless a caller insists).

Behind all of that, :class:`ControlFilter` (installed by ``WorkbenchApp.get_line_filters``) drops
every control character and bidi control from every rendered line before it reaches the terminal —
the page in the editor, an ``Input`` value, any widget added later. They are zero-width for Rich, so
dropping them never moves anything; the helpers above are what makes them *visible*.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.text import Text
from textual.content import Content
from textual.filter import LineFilter

from workbench.textsafe import printable

if TYPE_CHECKING:
    from textual.color import Color
    from textual.fuzzy import Matcher

# C0, DEL, C1, bidi embeddings/overrides/isolates, ALM, line/paragraph separators: all zero cells wide.
_DROP = {
    code: None
    for code in (
        *range(0x00, 0x20),
        *range(0x7F, 0xA0),
        0x061C,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        0x2028,
        0x2029,
    )
}


def text(value: str, style: str = "", *, multiline: bool = False) -> Text:
    """A Rich ``Text`` of server text: no markup parsed, controls made visible."""
    return Text(printable(value, multiline=multiline), style=style)


def content(value: str, *, multiline: bool = False) -> Content:
    """A Textual ``Content`` of server text: no markup parsed, controls made visible."""
    return Content(printable(value, multiline=multiline))


def join(*parts: str | tuple[str, str]) -> Text:
    """A ``Text`` from pieces: a ``str`` is server text, a ``(text, style)`` pair a styled piece of it.

    For a line such as ``Saved “<title>” as version 3``: ``join("Saved “", title, "” as version 3")``.
    Every piece goes through ``printable`` (harmless for our own words).
    """
    out = Text()
    for part in parts:
        if isinstance(part, tuple):
            out.append(printable(part[0]), style=part[1])
        else:
            out.append(printable(part))
    return out


def message(value: str) -> str:
    """A notification/status string built from server text, for ``notify(..., markup=False)``."""
    return printable(value, multiline=True)


def markup(value: str) -> str:
    """Server text for the few places Textual always parses as markup (command palette help):
    every ``[`` escaped, so nothing in it is a tag. (``textual.markup.escape`` leaves ``[WIP]``.)"""
    return printable(value).replace("[", "\\[")


def highlight(matcher: Matcher, value: str) -> tuple[float, Content]:
    """(score, highlighted ``Content``) of server text for a palette hit; ``Matcher.highlight`` would
    parse the text as markup (a title with ``[/x]`` raised ``MarkupError``)."""
    shown = printable(value)
    score, offsets = matcher.fuzzy_search.match(matcher.query, shown)
    result = Content(shown)
    for offset in offsets if score else ():
        if not shown[offset].isspace():
            result = result.stylize(matcher.match_style, offset, offset + 1)
    return score, result


class ControlFilter(LineFilter):
    """Drops terminal controls and bidi controls from the text of every rendered segment.

    The last line of defence: whatever a widget renders (an editor holding a page with ESC in it, an
    ``Input`` pre-filled with a label), no character of it can start an escape sequence, ring the bell
    or reorder the line on the terminal. Textual's own control segments (cursor moves) are kept.
    """

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        out = segments
        for index, segment in enumerate(segments):
            if segment.control or segment.text.isprintable():
                continue
            cleaned = segment.text.translate(_DROP)
            if cleaned != segment.text:
                if out is segments:
                    out = list(segments)
                out[index] = Segment(cleaned, segment.style, segment.control)
        return out
