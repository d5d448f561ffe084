"""Text a reader of the page cannot see is not sent to the model as page text.

A page can hold text that Confluence does not show to the people reading it, and a model reads it
all the same: HTML comments, ``ac:placeholder`` (editor-only hints), text styled invisible (white on
the page's white, ``display: none``, ``visibility: hidden``, zero size or opacity), the body of an
``excerpt`` macro marked hidden, and characters that draw nothing (Unicode tag characters, runs of
zero-width characters, bidi overrides). Each passage is replaced in what the model reads by a token
such as ``⟦hidden text 2⟧``; the token keeps the passage's place, not its words.

The model's edits are made on that view and mapped back (:meth:`ModelView.unmask`): a token the
model kept becomes the passage again, so hidden text it did not see is never lost by an edit; a
token it removed removes the passage, which the person sees in the diff.

Invisible styling is found in the storage: each text node inside such an element is wrapped in two
private-use marker characters, the storage is converted again, and the markers' places in that
Markdown are the passages. The result is used only when removing the markers gives back exactly
the page's Markdown; otherwise (:attr:`ModelView.unmasked` counts them) those passages stay in the
text, inside the untrusted-data markers like the rest of the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from workbench.convert.tokens import Node

_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|(?<![-\w])font-size\s*:\s*0*\.?0+(?:px|pt|em|rem|%)?\s*(?:;|$|!)"
    r"|(?<![-\w])opacity\s*:\s*0*\.?0+\s*(?:;|$|!)",
    re.IGNORECASE,
)
_INVISIBLE_COLOUR = re.compile(
    r"(?<![-\w])color\s*:\s*(?:#fff(?:fff)?\b|white\b|transparent\b"
    r"|rgba?\(\s*255\s*,\s*255\s*,\s*255\s*(?:,\s*[\d.]+\s*)?\)|rgba\([^)]*,\s*0*\.?0+\s*\))",
    re.IGNORECASE,
)
_BACKGROUND = re.compile(r"background", re.IGNORECASE)
_BACKGROUND_ATTRS = ("data-highlight-colour", "bgcolor")
_MARKER_PAIRS = (("\ue000", "\ue001"), ("\uf8f0", "\uf8f1"), ("\U000f0000", "\U000f0001"))

# Markdown-level passages: the converter's placeholders for comments and editor-only hints
_HIDDEN_PLACEHOLDER = re.compile(r"(?<!\\)⟦(hidden comment|placeholder): [^⟦⟧\n]*⟧")
# Characters that draw nothing: Unicode tags (ASCII smuggling), bidi embeddings/overrides/isolates,
# and runs of two or more zero-width characters (a single ZWJ/ZWNJ is ordinary in many scripts/emoji)
_INVISIBLE_CHARS = re.compile(
    "[\U000e0000-\U000e007f]+|[\u202a-\u202e\u2066-\u2069]+|[\u200b-\u200d\u2060\ufeff\u180e]{2,}"
)


@dataclass(frozen=True, slots=True)
class ModelView:
    """What the model reads of one page version, and how to map its edits back."""

    text: str
    hidden: Mapping[str, str] = field(default_factory=dict)  # token → the passage it stands for
    unmasked: int = 0  # invisible passages that could not be separated (left in the text)

    def unmask(self, text: str) -> str:
        """``text`` (the view, possibly edited by the model) with each token back as its passage."""
        if not self.hidden:
            return text
        pattern = re.compile("|".join(re.escape(token) for token in self.hidden))
        return pattern.sub(lambda m: self.hidden[m.group()], text)


def model_view(storage: str, markdown: str, users: Mapping[str, str] | None = None) -> ModelView:
    """The view of a page whose storage ``storage`` converts to ``markdown`` (with ``users``)."""
    text, regions, unmasked = markdown, [], 0
    if _may_hide(storage):
        found = _styled_regions(storage, markdown, users)
        if found is None:
            unmasked = 1
        else:
            regions = found
    tokens = _Tokens(markdown)
    hidden: dict[str, str] = {}
    if regions:
        parts: list[str] = []
        pos = 0
        for start, end in regions:
            token = tokens.next("hidden text")
            hidden[token] = markdown[start:end]
            parts.extend((markdown[pos:start], token))
            pos = end
        parts.append(markdown[pos:])
        text = "".join(parts)

    def replace(kind_of):
        def sub(match: re.Match[str]) -> str:
            token = tokens.next(kind_of(match))
            hidden[token] = match.group()
            return token

        return sub

    text = _HIDDEN_PLACEHOLDER.sub(replace(lambda m: m.group(1)), text)
    text = _INVISIBLE_CHARS.sub(replace(lambda m: "hidden text"), text)
    return ModelView(text, hidden, unmasked)


def hide_in_text(markdown: str, storage: str = "", users: Mapping[str, str] | None = None) -> str:
    """Read-only text (a comment, a diff) with hidden passages replaced by tokens (no way back)."""
    return model_view(storage, markdown, users).text


class _Tokens:
    """``⟦hidden text 1⟧``, ``⟦hidden comment 2⟧`` …: numbered, and never a string the page already holds."""

    def __init__(self, markdown: str) -> None:
        self.markdown = markdown
        self.n = 0

    def next(self, kind: str) -> str:
        while True:
            self.n += 1
            token = f"⟦{kind} {self.n}⟧"
            if token not in self.markdown:
                return token


def _may_hide(storage: str) -> bool:
    """A cheap test before parsing: only pages with styles or an excerpt macro can hide text by style."""
    return "style=" in storage or 'ac:name="excerpt"' in storage


def _styled_regions(
    storage: str, markdown: str, users: Mapping[str, str] | None
) -> list[tuple[int, int]] | None:
    """Spans of ``markdown`` that are invisible text in ``storage``; ``[]`` when there is none; None when
    they cannot be located exactly."""
    # lazy, for start-up: workbench.convert, workbench.convert.tokens loads on first use
    from workbench.convert import storage_to_markdown
    from workbench.convert.tokens import parse

    pair = next(
        (
            p
            for p in _MARKER_PAIRS
            if p[0] not in storage and p[1] not in storage and p[0] not in markdown
        ),
        None,
    )
    if pair is None:
        return None
    texts: list[Node] = []
    _collect(parse(storage), storage, hidden=False, background=False, out=texts)
    if not texts:
        return []
    opening, closing = pair
    pieces: list[str] = []
    pos = 0
    for node in sorted(texts, key=lambda n: n.start):
        pieces.extend((storage[pos : node.start], opening, storage[node.start : node.end], closing))
        pos = node.end
    pieces.append(storage[pos:])
    marked = storage_to_markdown("".join(pieces), users=dict(users) if users else None)
    regions: list[tuple[int, int]] = []
    plain: list[str] = []
    at = 0  # position in the Markdown without markers
    start: int | None = None
    for char in marked:
        if char == opening:
            start = at if start is None else start
        elif char == closing:
            if start is not None:
                regions.append((start, at))
            start = None
        else:
            plain.append(char)
            at += 1
    mapped = _aligned(regions, "".join(plain), markdown)
    if mapped is None:
        return None
    return _merged([r for r in mapped if r[1] > r[0]], markdown)


def _aligned(
    regions: list[tuple[int, int]], other: str, markdown: str
) -> list[tuple[int, int]] | None:
    """``regions`` of ``other`` moved onto ``markdown``: the two differ at most in escapes inside lines
    (a marker at the start of a line stops the converter escaping a ``-`` there). None when lines differ
    in number, or a line differs by more than escapes."""
    if other == markdown:
        return regions
    # lazy, for start-up: difflib loads on first use
    import difflib

    a_lines, b_lines = other.split("\n"), markdown.split("\n")
    if len(a_lines) != len(b_lines):
        return None
    a_starts, b_starts = _line_starts(a_lines), _line_starts(b_lines)
    cache: dict[int, list[tuple[str, int, int, int, int]]] = {}

    def move(pos: int, end: bool) -> int | None:
        # lazy, for start-up: bisect loads on first use
        import bisect

        line = bisect.bisect_right(a_starts, pos) - 1
        col = pos - a_starts[line]
        a_line, b_line = a_lines[line], b_lines[line]
        if a_line == b_line:
            return b_starts[line] + col
        if line not in cache:
            found: list[tuple[str, int, int, int, int]] = [
                (tag, i1, i2, j1, j2)
                for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
                    None, a_line, b_line, autojunk=False
                ).get_opcodes()
            ]
            if any(
                tag != "equal" and (a_line[i1:i2] + b_line[j1:j2]).strip("\\")
                for tag, i1, i2, j1, j2 in found
            ):
                cache[line] = []  # more than escapes differ: give up on this line
            else:
                cache[line] = found
        line_ops = cache[line]
        if not line_ops:
            return None
        for tag, i1, i2, j1, j2 in line_ops:
            if i1 <= col <= i2 and (tag == "equal" or col < i2 or i1 == i2):
                return b_starts[line] + (j1 + (col - i1) if tag == "equal" else (j2 if end else j1))
        return b_starts[line] + len(b_line)

    out = []
    for start, stop in regions:
        a, b = move(start, False), move(stop, True)
        if a is None or b is None:
            return None
        out.append((a, b))
    return out


def _line_starts(lines: list[str]) -> list[int]:
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    return starts


def _collect(node: Node, src: str, *, hidden: bool, background: bool, out: list[Node]) -> None:
    """The non-blank text nodes under elements a reader cannot see."""
    for child in node.children:
        if child.kind == "text":
            if hidden and src[child.start : child.end].strip():
                out.append(child)
            continue
        if child.kind != "el" or child.name == "ac:parameter":  # parameters are not page text
            continue
        style = child.attrs.get("style", "")
        shaded = (
            background
            or bool(_BACKGROUND.search(style))
            or any(a in child.attrs for a in _BACKGROUND_ATTRS)
        )
        if child.name == "ac:structured-macro" and child.attrs.get("ac:name") == "panel":
            shaded = True  # panels have their own background colour
        invisible = bool(_HIDDEN_STYLE.search(style)) or (
            not shaded and bool(_INVISIBLE_COLOUR.search(style))
        )
        if (
            child.name == "ac:structured-macro"
            and child.attrs.get("ac:name") == "excerpt"
            and _hidden_excerpt(child, src)
        ):
            invisible = True
        _collect(child, src, hidden=hidden or invisible, background=shaded, out=out)


def _hidden_excerpt(node: Node, src: str) -> bool:
    # lazy, for start-up: workbench.convert.tokens loads on first use
    from workbench.convert.tokens import text_of

    return any(
        p.attrs.get("ac:name") == "hidden" and text_of(src, p).strip().lower() == "true"
        for p in node.elements("ac:parameter")
    )


def _merged(regions: list[tuple[int, int]], markdown: str) -> list[tuple[int, int]]:
    """Neighbouring passages become one when only markup or spaces separate them (``**``, a space)."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(regions):
        if (
            out
            and not re.search(r"\w", markdown[out[-1][1] : start])
            and "\n\n" not in markdown[out[-1][1] : start]
        ):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out
