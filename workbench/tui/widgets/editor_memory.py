"""Textual's TextArea, lean on a huge line: three of its helpers replaced by equivalents that give
the same answers without a structure per character or a cached copy of every version of a line.

A page can hold one line of millions of characters (a pasted blob, a generated table row). With
Textual's own helpers the editor then kept about 140 bytes per character of it, and more with
every key typed into it:

- drawing a highlighted line builds a ``dict`` from every UTF-8 byte offset of the *whole* line to
  its character offset (~116 B per character), and keeps the last 128 of them (one per version of
  the line: every key typed into it made another);
- UTF-8 encoding is cached for the last 1024 strings, keys and values: every version of a huge line
  stayed in memory twice (~3 B per character per key typed);
- wrapping a word longer than the width (the whole line, when it has no spaces) went through a list
  of its characters and a list of a width per character (~20 B per character at the peak).

The replacements answer exactly as the originals (``tests/tui/test_editor_memory.py`` checks them
against Textual's on generated text, and the editor's memory on a 6-million-character line): a
line of ASCII maps byte offsets to themselves, another keeps only where its multi-byte characters
start; short strings are still cached (ordinary lines are encoded as often as before), a long one
only while it is the last one asked for; a line of printable ASCII without tabs is wrapped by
arithmetic on its words' spans. Anything else goes to Textual's own function.

Textual is pinned exactly (pyproject.toml); :func:`install` checks that the names it replaces are
still there and leaves Textual alone when one is not (the memory test then fails and says so).
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import textual.document._document as document
import textual.document._syntax_aware_document as syntax_document
import textual.document._wrapped_document as wrapped
import textual.widgets._text_area as text_area

#: Strings up to this many characters are encoded through Textual's cache, as before.
CACHED_UP_TO = 4096
#: A non-ASCII line up to this many bytes gets Textual's own offsets dict (cached, as before).
DICT_UP_TO = 4096

_MULTIBYTE_LEAD = re.compile(rb"[\xc0-\xff]")
#: Textual's word chunks (``textual._wrap.re_chunk``): a word and the spaces after it, or spaces.
_CHUNK = re.compile(r"\S+\s*|\s+")


class ByteOffsets(Mapping[int, int]):
    """UTF-8 byte offset → character offset of one line's bytes, as Textual's
    ``build_byte_to_codepoint_dict`` gives it (every character's first byte and the end), without
    an entry per character: for ASCII an offset is its own answer, otherwise the character offset
    is the byte offset less the extra bytes of the multi-byte characters before it."""

    __slots__ = ("_data", "_extra", "_starts")

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._starts = array("q")  # where each multi-byte character starts
        self._extra = array("q")  # the extra bytes of the multi-byte characters up to this one
        if data.isascii():
            return
        total = 0
        starts, extra = self._starts, self._extra
        for match in _MULTIBYTE_LEAD.finditer(data):
            lead = data[match.start()]
            total += 1 if lead < 0xE0 else 2 if lead < 0xF0 else 3
            starts.append(match.start())
            extra.append(total)

    def __getitem__(self, offset: int) -> int:
        data = self._data
        if (
            not isinstance(offset, int)
            or not 0 <= offset <= len(data)
            or (offset < len(data) and 0x80 <= data[offset] < 0xC0)  # inside a character
        ):
            raise KeyError(offset)
        before = bisect_left(self._starts, offset)  # multi-byte characters starting before it
        return offset - (self._extra[before - 1] if before else 0)

    def __iter__(self) -> Iterator[int]:
        data = self._data
        return (
            offset
            for offset in range(len(data) + 1)
            if offset == len(data) or not 0x80 <= data[offset] < 0xC0
        )

    def __len__(self) -> int:
        return len(self._data) + 1 - sum(1 for byte in self._data if 0x80 <= byte < 0xC0)


def _byte_offsets(original: Callable[[bytes], dict[int, int]]) -> Callable[[bytes], Mapping]:
    def byte_to_codepoint(data: bytes) -> Mapping[int, int]:
        if len(data) <= DICT_UP_TO and not data.isascii():
            return original(data)
        return ByteOffsets(data)

    return byte_to_codepoint


def _encoder(original: Callable[[str], bytes]) -> Callable[[str], bytes]:
    last: list[tuple[str, bytes]] = []  # the last long string encoded, and its bytes

    def utf8_encode(text: str) -> bytes:
        if len(text) <= CACHED_UP_TO:
            return original(text)
        if last and last[0][0] is text:
            return last[0][1]
        encoded = text.encode("utf-8")
        last[:] = [(text, encoded)]
        return encoded

    return utf8_encode


def ascii_wrap_offsets(text: str, width: int, fold: bool = True) -> list[int]:
    """Textual's ``compute_wrap_offsets`` for a line of printable ASCII without tabs (every
    character one cell wide): where the line breaks to fit ``width`` cells, from its words' spans."""
    breaks: list[int] = []
    append = breaks.append
    cell_offset = 0
    for chunk in _CHUNK.finditer(text):
        start, end = chunk.span()
        chunk_width = end - start
        if width - cell_offset >= chunk_width:
            cell_offset += chunk_width
        elif chunk_width > width:  # a word wider than a line
            if not fold:
                if start:
                    append(start)
                cell_offset = chunk_width
                continue
            while True:  # folded: lines of ``width`` characters, the last one what is left
                if start:
                    append(start)
                if end - start <= width:
                    cell_offset = end - start
                    break
                start += width
        elif cell_offset and start:
            append(start)
            cell_offset = chunk_width
    return breaks


def _wrapper(original: Callable[..., list[int]]) -> Callable[..., list[int]]:
    def compute_wrap_offsets(
        text: str,
        width: int,
        tab_size: int,
        fold: bool = True,
        precomputed_tab_sections: list[tuple[str, int]] | None = None,
    ) -> list[int]:
        if width >= 1 and text.isascii() and text.isprintable():
            return ascii_wrap_offsets(text, width, fold)
        return original(text, width, tab_size, fold, precomputed_tab_sections)

    return compute_wrap_offsets


class WholeTextParser:
    """tree-sitter's ``Parser`` as Textual's ``SyntaxAwareDocument`` uses it, fed the document's
    text as one ``bytes`` instead of its read callable: py-tree-sitter (0.25) keeps every ``bytes``
    a read callable returns, so each parse kept a copy of all it read (the whole document when it
    is loaded, the line being typed in at every key). The bytes are the ones the callable gives:
    every line followed by the document's newline."""

    __slots__ = ("_parser",)

    def __init__(self, language: Any) -> None:
        # lazy, for start-up: tree_sitter loads with the first syntax-aware document (as in Textual)
        from tree_sitter import Parser

        self._parser = Parser(language)

    def parse(self, source: Any, old_tree: Any = None) -> Any:
        document = getattr(source, "__self__", None)
        if isinstance(document, syntax_document.SyntaxAwareDocument) and (
            getattr(source, "__name__", "") == "_read_callable"
        ):
            newline = document.newline
            source = (newline.join(document.lines) + newline).encode("utf-8")
        if old_tree is None:
            return self._parser.parse(source)
        return self._parser.parse(source, old_tree)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._parser, name)


#: Textual's own helpers, by name, as they were before :func:`install` (for the tests' comparisons).
ORIGINAL: dict[str, Any] = {}
_installed = False


def install() -> bool:
    """Put the lean helpers in Textual's TextArea modules (once). False when this Textual does not
    have the names replaced (nothing is changed then)."""
    global _installed
    if _installed:
        return True
    places = (
        (text_area, "build_byte_to_codepoint_dict"),
        (text_area, "_utf8_encode"),
        (syntax_document, "_utf8_encode"),
        (wrapped, "compute_wrap_offsets"),
        (syntax_document, "Parser"),
    )
    if not all(callable(getattr(module, name, None)) for module, name in places):
        return False
    ORIGINAL.update(
        build_byte_to_codepoint_dict=text_area.build_byte_to_codepoint_dict,
        utf8_encode=document._utf8_encode,
        compute_wrap_offsets=wrapped.compute_wrap_offsets,
        Parser=syntax_document.Parser,
    )
    encode = _encoder(document._utf8_encode)
    text_area.build_byte_to_codepoint_dict = _byte_offsets(text_area.build_byte_to_codepoint_dict)  # type: ignore[assignment]
    text_area._utf8_encode = encode  # type: ignore[assignment]
    syntax_document._utf8_encode = encode  # type: ignore[assignment]
    wrapped.compute_wrap_offsets = _wrapper(wrapped.compute_wrap_offsets)
    syntax_document.Parser = WholeTextParser  # type: ignore[misc,assignment]
    _installed = True
    return True
