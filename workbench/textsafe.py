"""Server text made safe to show: nothing in it is ever interpreted by a terminal.

Anything a Confluence site (or an OAuth server, a proxy, a model server) sends can hold bytes that a
terminal acts on: ESC starts a sequence that can set the window title (OSC 0), clear the screen
(CSI 2J), or write the clipboard (OSC 52, so a later paste runs the sender's command); C1 controls
such as U+009B do the same on terminals that accept them; BEL, backspace and carriage return
rewrite what was already shown; bidi overrides (U+202E …) make text display in another order than
it reads ("Trojan Source", CVE-2021-42574). :func:`printable` turns every one of those into a
visible stand-in, so a person sees that the text held a control and what followed it, and the
terminal sees only ordinary characters:

- C0 controls and DEL become their Unicode "control pictures": ESC → ``␛``, BEL → ``␇``,
  newline → ``␊`` (one-line text) …;
- C1 controls, bidi embeddings/overrides/isolates, the line and paragraph separators and lone
  surrogates (which cannot even be encoded for output) become ``<U+XXXX>``.

Everything else, including right-to-left scripts, emoji joiners and ordinary Unicode, is kept.

``printable(text)`` is for one-line fields (titles, names, labels, excerpts, messages shown on one
line); ``printable(text, multiline=True)`` keeps newlines and tabs (a ``\\r\\n`` becomes ``\\n``,
a lone ``\\r`` is shown). The function is pure and idempotent; it never raises for a ``str``.

Use it for every piece of server-provided text the command line prints. In the TUI, server text also
goes into ``rich.text.Text``/``textual.content.Content`` objects (or ``markup=False``), never into a
markup string — ``Text`` keeps ESC, so those objects are built from ``printable(...)`` too (see
``workbench.tui.safe``).
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

# Bidi embeddings, overrides and isolates (Unicode TR9 explicit formatting characters), the Arabic
# letter mark, and the line/paragraph separators (which some renderers and str.splitlines() treat as
# line breaks). Marks LRM/RLM are kept: they cannot reorder anything beyond one character.
_SHOWN_AS_CODE = "\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"

_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f" + _SHOWN_AS_CODE + "\ud800-\udfff]")
_MULTI_LINE = re.compile("\r\n|[\x00-\x08\x0b-\x1f\x7f-\x9f" + _SHOWN_AS_CODE + "\ud800-\udfff]")


def _visible(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def _one_line(match: re.Match[str]) -> str:
    return _visible(match.group())


def _multi_line(match: re.Match[str]) -> str:
    found = match.group()
    return "\n" if found == "\r\n" else _visible(found)


def printable(text: str, *, multiline: bool = False) -> str:
    """``text`` with every control, escape-sequence introducer and bidi override made visible.

    One-line by default: newlines and tabs are shown too (``␊``, ``␉``), so a title can never break
    a table or start a new line. With ``multiline=True`` newlines and tabs are kept.
    """
    if multiline:
        return _MULTI_LINE.sub(_multi_line, text)
    return _ONE_LINE.sub(_one_line, text)


def is_printable(text: str, *, multiline: bool = False) -> bool:
    """Whether :func:`printable` would leave ``text`` unchanged (nothing to neutralise in it)."""
    pattern = _MULTI_LINE if multiline else _ONE_LINE
    return pattern.search(text) is None


_JSON_UNSAFE = re.compile("[\x7f-\x9f" + _SHOWN_AS_CODE + "\ud800-\udfff]")


def json_text(dumped: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with the characters JSON leaves raw but
    a terminal may act on (DEL, C1 controls, bidi controls, U+2028/2029) or that cannot be encoded
    (lone surrogates) written as ``\\uXXXX`` escapes: the same data, safe to print."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


class TerminalGuard(io.TextIOBase):
    """A text stream in front of a terminal that shows every control character instead of sending it.

    The command line puts it in front of standard output and standard error when they are terminals
    (:func:`guard_terminal`), so whatever a command prints there — a page body, a model's answer, an
    output path added later — can never set the window title, clear the screen or write the
    clipboard. Workbench's own command-line output holds no escape sequences, so nothing is lost.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text, multiline=True))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._stream.encoding


@contextmanager
def guard_terminal() -> Iterator[None]:
    """Within the block, ``sys.stdout``/``sys.stderr`` that are terminals go through a TerminalGuard."""
    saved = sys.stdout, sys.stderr
    try:
        if _is_terminal(sys.stdout):
            sys.stdout = TerminalGuard(sys.stdout)
        if _is_terminal(sys.stderr):
            sys.stderr = TerminalGuard(sys.stderr)
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        sys.stdout, sys.stderr = saved


def _is_terminal(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError):
        return False
