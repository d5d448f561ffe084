"""A span-keeping tokenizer and light tree for Confluence storage format.

XML libraries normalise what a byte-exact round trip must keep (entity spelling, attribute quoting,
self-closing forms, whitespace), so the converter reads storage with this small scanner instead: every
node records the exact offsets of its source. It never raises: a ``<`` that starts no tag is text, an
unclosed element ends at the end of the input, and a stray closing tag becomes a ``stray`` node.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from sys import intern
from types import MappingProxyType
from typing import Any, cast

_TOKEN_RE = re.compile(  # one "<" for all: the engine looks for it before trying the alternatives
    r"<(?:"  # the alternatives start with different characters: the commonest (tags) go first
    r"(?P<open>[A-Za-z_][\w:.-]*+)"  # an opening tag; its attributes, then "/" when self-closing
    r"(?P<attrs>(?:\s++[^\s=/>]++(?:\s*+=\s*+(?:\"[^\"]*+\"|'[^']*+'|[^\s\"'>/]++))?)*+)"
    r"(?P<space>\s*+)(?:(?P<slash>/)>|>"
    r"(?:[^<]*+(?P<leaf></(?P=open)\s*+>))?)"  # and an element holding only text: to its end at once
    r"|/(?P<close>[A-Za-z_][\w:.-]*+)\s*+>"  # closing tag
    r"|!\[CDATA\[.*?(?:\]\]>|\Z)"  # CDATA (an unterminated one runs to the end)
    r"|!--.*?(?:-->|\Z)"  # comment
    r"|\?.*?(?:\?>|\Z)"  # processing instruction
    r"|![^>]*>"  # doctype and friends
    r")",  # possessive (++, *+): no alternative ever needs a character given back
    re.S,
)
_ATTR_RE = re.compile(r"([^\s=/>]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>/]+)))?")
_ENTITY_RE = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


#: The children and attributes of every leaf (text, CDATA, comment …), the children of a self-closing
#: element and the attributes of an element without any: shared, and immutable so a mistaken write
#: fails loudly instead of changing every leaf. A 300 KB page has ~13 000 nodes, half of them text:
#: an empty list and dict each would be ~1.5 MB of the conversion's memory.
_NO_CHILDREN = cast("list[Node]", ())
_NO_ATTRS = cast("dict[str, str]", MappingProxyType({}))


class Node:
    """One piece of the source: ``kind`` is el, text, cdata, comment, pi, decl or stray."""

    __slots__ = (
        "kind",
        "start",
        "end",
        "name",
        "attrs",
        "open_end",
        "close_start",
        "children",
        "selfclosing",
        "closed",
    )

    def __init__(
        self,
        kind: str,
        start: int,
        end: int,
        name: str = "",
        attrs: dict[str, str] | None = None,
        open_end: int = 0,  # elements: offset just after the opening tag
        close_start: int = 0,  # elements: offset of the closing tag (== end when self-closing/unclosed)
        children: list[Node] | None = None,
        selfclosing: bool = False,
        closed: bool = True,
    ) -> None:
        self.kind = kind
        self.start = start
        self.end = end
        self.name = name
        self.attrs: dict[str, str] = {} if attrs is None else attrs
        self.open_end = open_end
        self.close_start = close_start
        self.children: list[Node] = [] if children is None else children
        self.selfclosing = selfclosing
        self.closed = closed

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Node({self.kind!r}, {self.start}, {self.end}, name={self.name!r})"

    def child(self, name: str) -> Node | None:
        for c in self.children:
            if c.kind == "el" and c.name == name:
                return c
        return None

    def elements(self, name: str | None = None) -> list[Node]:
        if name is None:
            return [c for c in self.children if c.kind == "el"]
        return [c for c in self.children if c.kind == "el" and c.name == name]


def decode_entities(text: str) -> str:
    """Decode character and HTML named entities (unknown names are left as written)."""
    if "&" not in text:
        return text
    return _ENTITY_RE.sub(_entity_sub, text)


def _entity_sub(m: re.Match[str]) -> str:
    body = m.group(1)
    if body[0] == "#":
        try:
            code = int(body[2:], 16) if body[1] in "xX" else int(body[1:])
            return chr(code)
        except (ValueError, OverflowError):
            return m.group(0)
    value = html.unescape(m.group(0))
    return value


# The parse makes its nodes with object.__new__ and the few fields that differ: calling a class
# whose __init__ is Python code costs twice as much (CPython 3.11), and a page has ~13 000 nodes.
_new = object.__new__


class _Text:
    """A text node (the parse's most frequent node): its span, and what every leaf shares read from
    the class. Not a :class:`Node` subclass, so it has only the two slots it uses (48 bytes instead of
    112: a 300 KB page has ~8 000); it reads as a node everywhere (children, attributes, look-ups)."""

    __slots__ = ("start", "end")
    start: int
    end: int
    kind = "text"
    name = ""
    attrs = _NO_ATTRS
    open_end = 0
    close_start = 0
    children = _NO_CHILDREN
    selfclosing = False
    closed = True

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Node('text', {self.start}, {self.end})"

    def child(self, name: str) -> Node | None:
        return None

    def elements(self, name: str | None = None) -> list[Node]:
        return []


class _Element(Node):
    """An element as the parse makes it, with its kind read from the class."""

    __slots__ = ()
    kind = "el"


def _text(start: int, end: int) -> Node:
    node = _new(_Text)
    node.start = start
    node.end = end
    return cast(Node, node)


def parse(src: str) -> Node:
    """Parse a storage fragment into a root node (``kind='el'``, ``name=''``) spanning all of it."""
    return parse_tree(src)[0]


def parse_tree(src: str) -> tuple[Node, bool]:
    """:func:`parse`, and whether every element was closed (well-formed pages: the reader then never
    looks for an unclosed one)."""
    closed = True
    root = Node("el", 0, len(src), name="", open_end=0, close_start=len(src))
    stack = [root]
    top = root
    add: Callable[[Any], None] = root.children.append  # (text nodes are _Text)
    pos = 0
    n = len(src)
    for m in _TOKEN_RE.finditer(src):
        s = m.start()
        if s > pos:  # the text before the tag (made in place: the commonest node)
            gap: Any = _new(_Text)  # (a _Text reads as a Node)
            gap.start = pos
            gap.end = s
            add(gap)
        pos = e = m.end()
        tag, raw_attrs, space, slash, leaf, close = m.groups()
        if tag is not None:  # an opening tag, made in place (a page has thousands)
            node = _new(_Element)
            node.start = s
            node.name = intern(tag)  # a page names a few dozen elements thousands of times
            node.attrs = _attrs(raw_attrs) if raw_attrs else _NO_ATTRS
            add(node)
            if leaf is not None:  # <x …>text</x> (half the elements of a page): closed already
                node.end = e
                node.close_start = inner_end = e - len(leaf)
                node.open_end = inner = s + 2 + len(tag) + len(raw_attrs) + len(space)
                if inner_end > inner:
                    gap = _new(_Text)
                    gap.start = inner
                    gap.end = inner_end
                    node.children = [gap]
                else:
                    node.children = []
                node.selfclosing = False
                node.closed = True
                continue
            node.end = node.open_end = node.close_start = e
            if slash:  # self-closing: shares the empty children
                node.children = _NO_CHILDREN
                node.selfclosing = node.closed = True
            else:
                node.children = []
                node.selfclosing = node.closed = False
                stack.append(node)
                top = node
                add = node.children.append
            continue
        if close is not None:
            if top.name == close:  # the usual case: the innermost open element closes
                top.close_start = s
                top.end = e
                top.closed = True
                stack.pop()
            else:
                for depth in range(len(stack) - 1, 0, -1):
                    if stack[depth].name == close:
                        break
                else:
                    add(Node("stray", s, e, close, _NO_ATTRS, 0, 0, _NO_CHILDREN))
                    continue
                while len(stack) > depth:
                    el = stack.pop()
                    if len(stack) == depth:
                        el.close_start, el.end, el.closed = s, e, True
                    else:  # unclosed inside: ends where its parent closes
                        el.close_start = el.end = s
                        closed = False
            top = stack[-1]
            add = top.children.append
            continue
        text = m.group(0)
        kind = (
            "cdata"
            if text.startswith("<![CDATA[")
            else "comment"
            if text.startswith("<!--")
            else ("pi" if text.startswith("<?") else "decl")
        )
        add(Node(kind, s, e, "", _NO_ATTRS, 0, 0, _NO_CHILDREN))
    if pos < n:
        add(_text(pos, n))
    while len(stack) > 1:
        el = stack.pop()
        el.close_start = el.end = n
        closed = False
    return root, closed


def _attrs(raw: str) -> dict[str, str]:
    # findall: (name, double-quoted, single-quoted, bare); the one that matched is the value
    out = {}
    for name, double, single, bare in _ATTR_RE.findall(raw):
        value = double or single or bare
        out[intern(name)] = _ENTITY_RE.sub(_entity_sub, value) if "&" in value else value
    return out


NON_SPACE = re.compile(r"\S")


def is_blank(src: str, node: Node) -> bool:
    """A text node of whitespace only (looked at in place: no copy of its text is made)."""
    return node.kind == "text" and NON_SPACE.search(src, node.start, node.end) is None


def has_content(src: str, nodes: list[Node]) -> bool:
    """Anything but whitespace text among ``nodes``."""
    search = NON_SPACE.search
    for c in nodes:
        if c.kind != "text" or search(src, c.start, c.end):
            return True
    return False


def text_of(src: str, node: Node) -> str:
    """The decoded text content of a node (CDATA content included)."""
    if node.kind == "text":
        return decode_entities(src[node.start : node.end])
    if node.kind == "cdata":
        raw = src[node.start + 9 : node.end]
        return raw[:-3] if raw.endswith("]]>") else raw
    if node.kind == "el":
        return "".join([text_of(src, c) for c in node.children])
    return ""


_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Drop characters XML cannot carry (C0 controls other than tab and newlines)."""
    return _NOT_XML_RE.sub("", text)


def xml_escape(text: str) -> str:
    return xml_text(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr_escape(text: str) -> str:
    return xml_escape(text).replace('"', "&quot;")


def is_balanced(src: str) -> bool:
    """True when every element in ``src`` is closed and nothing stray is left (no strict XML check)."""
    root = parse(src)
    todo = [root]
    while todo:
        node = todo.pop()
        unclosed = (
            node.kind == "el" and node is not root and not node.closed and not node.selfclosing
        )
        if node.kind == "stray" or unclosed:
            return False
        if node.kind == "el":
            todo.extend(node.children)
    return True
