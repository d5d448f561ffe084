"""Server text as TUI objects that are neither markup nor terminal controls.

Anything that came from a server (titles, names, labels, excerpts, comment bodies, error messages)
is shown through these helpers, never interpolated into a markup string: ``[/x]`` in a title is then
just text, and ``workbench.textsafe.printable`` has already turned ESC/C1/bidi controls into visible
stand-ins (Rich's ``Text`` and Textual's ``Content`` both keep ESC and would send it to the terminal).
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from workbench.textsafe import printable


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
