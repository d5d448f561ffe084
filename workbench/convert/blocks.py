"""The units of the block model: what a piece of storage is (paragraph, code block, container, list,
item …), its exact source span, and the Markdown it shows."""

from __future__ import annotations

import re
from collections.abc import Sequence

from workbench.convert.mdsplit import SETEXT_RE
from workbench.convert.segs import Seg
from workbench.convert.tokens import Node

_COLONS_RE = re.compile(r":{3,}")


def _longest_fence(body: str) -> int:
    """The colons of the longest fence starting a line of ``body`` (2 when none). The lines starting
    with ``:::`` are found by ``str.find``: nested containers look through the same Markdown once per
    level, and a regex with ``(?m)^`` tries every character of it."""
    longest = _colons(body, 0) if body.startswith(":::") else 2
    at = body.find("\n:::")
    while at >= 0:
        longest = max(longest, _colons(body, at + 1))
        at = body.find("\n:::", at + 1)
    return longest


def _colons(text: str, at: int) -> int:
    m = _COLONS_RE.match(text, at)
    return m.end() - at if m is not None else 0


class Unit:
    """A piece of the page: its source span and its Markdown. Subclasses set the three themselves
    rather than through ``super().__init__`` (a page makes thousands of units; the call is dearer
    than the assignments)."""

    kind = "para"

    def __init__(self, start: int, end: int, md: str = "") -> None:
        self.start, self.end, self.md = start, end, md


class InlineUnit(Unit):
    """A paragraph, heading, a run of loose inline content, or a table cell's content."""

    # set on the few units they are true of (a page makes thousands of units)
    table = False  # a GFM table cell's content (``|`` is escaped)
    bare_image = False  # an image outside any paragraph: a block of its own

    def __init__(
        self,
        start: int,
        end: int,
        inner_start: int,
        inner_end: int,
        segs: list[Seg],
        tag: str | None = None,
        prefix: str = "",
        selfclosing: bool = False,
        text: str | None = None,  # the segs' Markdown, when the caller has joined it already
    ) -> None:
        md = prefix + ("".join([s.md for s in segs]) if text is None else text)
        self.start, self.end, self.md = start, end, md
        if prefix:
            self.kind = "heading"  # (else the class's "para")
        self.inner_start = inner_start
        self.inner_end = inner_end
        self.segs = segs
        self.tag = tag
        self.prefix = prefix
        self.selfclosing = selfclosing


class OpaqueUnit(Unit):
    """A construct shown as one placeholder (or ``---``): unchanged it is its source, changed it is new."""

    def __init__(self, start: int, end: int, md: str, kind: str = "para") -> None:
        self.start, self.end, self.md = start, end, md
        self.kind = kind


class CodeUnit(Unit):
    """A fenced code block and where its body lives in the source."""

    kind = "fence"

    def __init__(
        self, start: int, end: int, info: str, text: str, body: Node | None, cdata: bool
    ) -> None:
        self.crlf = "\r\n" in text
        norm = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
        char = "~" if "`" in info else "`"  # a backtick fence cannot carry a backtick in its info
        longest = max((len(m) for m in re.findall(r"(?m)^ {0,3}(" + char + "+)", norm)), default=0)
        fence = char * max(3, longest + 1)
        # one final newline of the code is not shown (a fence ends its last line anyway); a merge keeps it
        self.trailing_newline = norm.endswith("\n")
        self.shown = norm[:-1] if self.trailing_newline else norm
        self.start, self.end, self.md = start, end, f"{fence}{info}\n{self.shown}\n{fence}"
        self.info, self.text, self.body, self.cdata = info, text, body, cdata
        self.macro: Node | None = None
        self.code_el: Node | None = (
            None  # <pre><code>: the <code> element (its class names the language)
        )


class Flow:
    """A sequence of units between ``inner_start`` and ``inner_end`` (gaps are the source between)."""

    def __init__(
        self, inner_start: int, inner_end: int, units: Sequence[Unit], context: str
    ) -> None:
        self.inner_start, self.inner_end, self.context = inner_start, inner_end, context
        self.units: Sequence[Unit] = units

    def md(self, end: str = "") -> str:
        """The flow's Markdown, followed by ``end`` (joined in one go: a page's Markdown is long)."""
        if self.context == "item":
            parts = []
            for i, u in enumerate(self.units):
                if i:
                    tight = u.kind in ("list", "tasklist") and self.units[i - 1].kind == "para"
                    # (an empty first item, "-", right under text would underline it as a heading)
                    parts.append(
                        "\n" if tight and not SETEXT_RE.match(_first_line(u.md)) else "\n\n"
                    )
                parts.append(u.md)
            parts.append(end)
            return "".join(parts)
        if self.context == "rows":
            return "\n".join([u.md for u in self.units]) + end
        parts = []
        after_structural = None  # None before the first unit
        for u in self.units:
            structural = _structural(u) if u.kind == "div" else False
            if after_structural is not None:
                # containers side by side (rows, cells, layout columns) need no blank line between
                parts.append("\n" if structural and after_structural else "\n\n")
            parts.append(u.md)
            after_structural = structural
        parts.append(end)
        return "".join(parts)


class ContainerUnit(Unit):
    """A block holding a flow: ``div`` (``::: head``), ``alert`` (``> [!NOTE]``) or ``quote``."""

    def __init__(
        self,
        start: int,
        end: int,
        kind: str,
        head: str,
        flow: Flow,
        node: Node | None = None,
        origin: str = "element",
    ) -> None:
        body = flow.md()
        if kind == "div":
            colons = ":" * max(3, _inner_fence(flow) + 1)
            md = f"{colons} {head}\n{body}\n{colons}" if body else f"{colons} {head}\n{colons}"
        elif kind == "alert":
            lines = [f"> {line}" if line else ">" for line in body.split("\n")] if body else []
            md = "\n".join([f"> {head}", *lines])
        else:
            md = "\n".join(
                [f"> {line}" if line else ">" for line in (body or "⟦empty⟧").split("\n")]
            )
        self.start, self.end, self.md = start, end, md
        self.kind, self.head, self.flow = kind, head, flow
        self.node, self.origin = node, origin  # origin: "macro", "adf" or "element"


def _inner_fence(flow: Flow) -> int:
    """The colons of the longest fence starting a line of the flow's Markdown (2 when none). The
    units' Markdown starts on a line of its own, and a container's starts with its fence, longer than
    any inside it: it is not looked through again (nested containers were once per level)."""
    longest = 2
    for u in flow.units:
        md = u.md
        if md.startswith(":::") and u.kind == "div":
            longest = max(longest, _colons(md, 0))
        elif ":::" in md:
            longest = max(longest, _longest_fence(md))
    return longest


class ItemUnit(Unit):
    """A list item or a task: its marker (``-``, ``3.``, ``- [x]``) and the flow of its body."""

    kind = "item"

    def __init__(
        self, start: int, end: int, marker: str, task: str | None, flow: Flow, status: Node | None
    ) -> None:
        body = flow.md()
        head = f"- [{task}]" if task is not None else marker
        cut = body.find("\n")
        line = body if cut < 0 else body[:cut]
        md = f"{head} {line}" if line else head
        if cut >= 0:  # the other lines indented under the marker, empty ones left empty
            indent = "\n" + " " * (2 if task is not None else len(marker) + 1)
            md += re.sub(indent + r"(?=\n|\Z)", "\n", body[cut:].replace("\n", indent))
        self.start, self.end, self.md = start, end, md
        self.marker, self.task, self.flow, self.status = marker, task, flow, status


class ListUnit(Unit):
    """``ul``/``ol``/``ac:task-list``: a flow of items."""

    def __init__(self, start: int, end: int, kind: str, flow: Flow, ordered: bool) -> None:
        self.start, self.end, self.md = start, end, flow.md()
        self.kind, self.flow, self.ordered = kind, flow, ordered
        self.first_number = 1  # ``ol``: the number the list starts at, and where its open tag ends
        self.open_end = start
        self.adf_item: Node | None = (
            None  # a list of ADF item nodes (decisions): a model for new items
        )
        self.alt = False  # written with "*" / "1)" because it follows another list directly

    def alternate(self, prev: ListUnit) -> None:
        """Write the items with the other marker than ``prev`` (``-``/``*``, ``1.``/``1)``)."""
        self.alt = not prev.alt
        if not self.alt:
            return
        for item in self.flow.units:
            md = item.md
            if self.ordered:
                cut = len(md) - len(md.lstrip("0123456789"))
                item.md = md[:cut] + ")" + md[cut + 1 :]
            else:
                item.md = "*" + md[1:]
        self.md = self.flow.md()


def _first_line(md: str) -> str:
    cut = md.find("\n")
    return md if cut < 0 else md[:cut]


def _structural(unit: Unit) -> bool:
    """Rows, cells and layout columns: containers that sit side by side."""
    if unit.kind != "div":
        return False
    head = unit.head  # type: ignore[attr-defined]
    return head.split(" ", 1)[0] in ("tr", "td", "th", "cell", "section")
