"""Server text as TUI objects that are neither markup nor terminal controls.

Anything that came from a server (titles, names, labels, excerpts, comment bodies, error messages,
a model's words) is shown through these helpers, never interpolated into a markup string: ``[/x]``
in a title is then just text, and ``workbench.textsafe.printable`` has already turned ESC/C1/bidi
controls into visible stand-ins (Rich's ``Text`` and Textual's ``Content`` both keep ESC and would
send it to the terminal).

Notifications need nothing: ``WorkbenchApp.notify`` shows every message as plain, printable,
redacted text (``markup=False`` unless a caller insists).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.content import Content

from workbench.textsafe import printable

if TYPE_CHECKING:
    from textual.fuzzy import Matcher


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
