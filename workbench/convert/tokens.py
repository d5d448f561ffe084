"""A span-keeping tokenizer and light tree for Confluence storage format.

XML libraries normalise what a byte-exact round trip must keep (entity spelling, attribute quoting,
self-closing forms, whitespace), so the converter reads storage with this small scanner instead: every
node records the exact offsets of its source. It never raises: a ``<`` that starts no tag is text, an
unclosed element ends at the end of the input, and a stray closing tag becomes a ``stray`` node.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_TOKEN_RE = re.compile(
    r"<!\[CDATA\[.*?(?:\]\]>|\Z)"  # CDATA (an unterminated one runs to the end)
    r"|<!--.*?(?:-->|\Z)"  # comment
    r"|<\?.*?(?:\?>|\Z)"  # processing instruction
    r"|<![^>]*>"  # doctype and friends
    r"|</(?P<close>[A-Za-z_][\w:.-]*)\s*>"  # closing tag
    r"|<(?P<open>[A-Za-z_][\w:.-]*)(?P<attrs>(?:\s+[^\s=/>]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>/]+))?)*)\s*(?P<slash>/?)>",
    re.S,
)
_ATTR_RE = re.compile(r"([^\s=/>]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>/]+)))?")
_ENTITY_RE = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


@dataclass(eq=False, slots=True)  # no __dict__: a 3 MB page has ~200 000 nodes
class Node:
    """One piece of the source: ``kind`` is el, text, cdata, comment, pi, decl or stray."""

    kind: str
    start: int
    end: int
    name: str = ""
    attrs: dict[str, str] = field(default_factory=dict)
    open_end: int = 0  # elements: offset just after the opening tag
    close_start: int = 0  # elements: offset of the closing tag (== end when self-closing/unclosed)
    children: list[Node] = field(default_factory=list)
    selfclosing: bool = False
    closed: bool = True

    def child(self, name: str) -> Node | None:
        for c in self.children:
            if c.kind == "el" and c.name == name:
                return c
        return None

    def elements(self, name: str | None = None) -> list[Node]:
        return [c for c in self.children if c.kind == "el" and (name is None or c.name == name)]


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


def parse(src: str) -> Node:
    """Parse a storage fragment into a root node (``kind='el'``, ``name=''``) spanning all of it."""
    root = Node("el", 0, len(src), name="", open_end=0, close_start=len(src))
    stack = [root]
    pos = 0
    n = len(src)
    finditer = _TOKEN_RE.finditer
    for m in finditer(src):
        s, e = m.start(), m.end()
        if s > pos:
            stack[-1].children.append(Node("text", pos, s))
        pos = e
        top = stack[-1]
        tag = m.group("open")
        if tag is not None:
            node = Node(
                "el", s, e, name=tag, attrs=_attrs(m.group("attrs")), open_end=e, close_start=e
            )
            top.children.append(node)
            if m.group("slash"):
                node.selfclosing = True
            else:
                node.closed = False
                stack.append(node)
            continue
        close = m.group("close")
        if close is not None:
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth].name == close:
                    break
            else:
                top.children.append(Node("stray", s, e, name=close))
                continue
            while len(stack) > depth:
                el = stack.pop()
                if len(stack) == depth:
                    el.close_start, el.end, el.closed = s, e, True
                else:  # unclosed inside: ends where its parent closes
                    el.close_start = el.end = s
            continue
        text = m.group(0)
        kind = (
            "cdata"
            if text.startswith("<![CDATA[")
            else "comment"
            if text.startswith("<!--")
            else ("pi" if text.startswith("<?") else "decl")
        )
        top.children.append(Node(kind, s, e))
    if pos < n:
        stack[-1].children.append(Node("text", pos, n))
    while len(stack) > 1:
        el = stack.pop()
        el.close_start = el.end = n
    return root


def _attrs(raw: str) -> dict[str, str]:
    if not raw:
        return {}
    out: dict[str, str] = {}
    for m in _ATTR_RE.finditer(raw):
        value = (
            m.group(2)
            if m.group(2) is not None
            else m.group(3)
            if m.group(3) is not None
            else m.group(4)
        )
        out[m.group(1)] = decode_entities(value or "")
    return out


def text_of(src: str, node: Node) -> str:
    """The decoded text content of a node (CDATA content included)."""
    if node.kind == "text":
        return decode_entities(src[node.start : node.end])
    if node.kind == "cdata":
        raw = src[node.start + 9 : node.end]
        return raw[:-3] if raw.endswith("]]>") else raw
    if node.kind == "el":
        return "".join(text_of(src, c) for c in node.children)
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
