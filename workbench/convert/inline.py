"""Inline storage → Markdown, keeping a map from every piece of Markdown back to its source span.

The output of :func:`render_inline` is a list of :class:`Seg`. Concatenating their ``md`` gives the
Markdown; each seg also knows the source span it came from, so an edit to the Markdown can be spliced
back into exactly the bytes it touches. Kinds:

- ``plain``: text whose Markdown equals its source character for character (splittable);
- ``mapped``: text written differently (an entity, an escaped character, collapsed whitespace);
- ``markup``: anything else (tags, links, images, placeholders) — an edit touching it re-renders.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from workbench.convert.placeholders import (
    element_placeholder,
    label,
    link_target,
    placeholder_text,
    raw_placeholder,
)
from workbench.convert.segs import (
    OwnRun,
    Run,
    Seg,
    new_seg,
)
from workbench.convert.tokens import Node, decode_entities, has_content, text_of

FORMAT = {"strong": "**", "b": "**", "em": "*", "i": "*", "s": "~~", "del": "~~", "strike": "~~"}
BLOCK_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 ul ol li table thead tbody tfoot tr td th blockquote pre hr div section details "
    "dl dt dd figure ac:layout ac:layout-section ac:layout-cell ac:task-list ac:task ac:adf-extension "
    "ac:rich-text-body".split()
)
INLINE_MACROS = frozenset(
    {"status", "anchor", "jira", "emoticon", "mention", "eazy-math-inline", "inline-math"}
)

#: what ``str.isspace`` calls whitespace, spelled out: a class of plain characters costs the regex
#: engine one table look-up per character, one holding ``\s`` several tests (the text of a page
#: goes through it character by character). The words and the runs are possessive (``++``, ``*+``):
#: what follows them is never one of their characters, so giving some back can never help a match —
#: and a run that fails (a special character after many words) fails without trying every shorter one
SPACES = "\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_WORD = rf"[^&{SPACES}\\`*_\[\]<⟦⟧~|]++"
#: 1 an entity, 2 whitespace, 3 a character Markdown may need escaped, 4 plain text: words joined by
#: single spaces or by ``_`` between letters (``snake_case``: plain there), or a lone ``&``
_TEXT_RE = re.compile(
    r"(&[#A-Za-z0-9]+;)|([ \t\r\n]+)|([\\`*_\[\]<⟦⟧~|])"
    rf"|({_WORD}(?:(?: |(?<=[^\W_])_(?=[^\W_])){_WORD})*|&)"
)
_WORDS = rf"{_WORD}(?:(?: |(?<=[^\W_])_(?=[^\W_])){_WORD})*+"
PLAIN_WORDS_RE = re.compile(_WORDS)
_ENTITY_OK = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_ENTITY_TAIL = re.compile(r"(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_ESCAPE_CHARS = frozenset("\\`*[]<⟦⟧")


def md_escape_char(ch: str, prev: str, nxt: str, table: bool) -> str:
    if ch in _ESCAPE_CHARS:
        return "\\" + ch
    if ch == "_":
        return "_" if prev.isalnum() and nxt.isalnum() else "\\_"
    if ch == "~":
        return "\\~" if prev == "~" or nxt == "~" else "~"
    if ch == "|":
        return "\\|" if table else "|"
    return ch


#: what :func:`md_escape_text` may change: a ``&`` starting an entity, and the characters
#: :func:`md_escape_char` looks at
_MAY_ESCAPE_RE = re.compile(
    r"&(?=(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)|[\\`*\[\]<⟦⟧_~|]"
)


def md_escape_text(text: str, table: bool = False) -> str:
    """Escape decoded text for Markdown (no line-start handling)."""

    def escape(m: re.Match[str]) -> str:
        ch = m.group()
        if ch == "&":
            return "\\&"
        i = m.start()
        return md_escape_char(
            ch, text[i - 1] if i else "", text[i + 1] if i + 1 < len(text) else "", table
        )

    return _MAY_ESCAPE_RE.sub(escape, text)


class InlineRenderer:
    """Renders inline nodes to segs. ``table`` escapes ``|``."""

    def __init__(self, src: str, table: bool = False, users: dict[str, str] | None = None) -> None:
        self.src = src
        self.users = users or {}  # account id → display name, for readable mentions
        self.table = table
        self.segs: list[Seg] = []
        # (markdown, start, end) of wrapped constructs
        self.constructs: list[tuple[str, int, int]] = []
        self.keyed: list[tuple[str, int, int]] = []  # the same of whole ones and comment markers
        self.active: set[str] = set()  # emphasis markers open around the current node
        self.depth = 0
        self.groups = 0

    def run(self, nodes: list[Node], start: int | None = None, end: int | None = None) -> list[Seg]:
        """Render ``nodes``; ``start``/``end`` clip the first/last text node."""
        top = self.depth == 0
        self.depth += 1
        segs = self.segs
        if not top and start is None and end is None:  # inside an element: no groups to count
            render_text, element = self.text, self.node
            for node in nodes:
                if node.kind == "text":
                    render_text(node.start, node.end, Run)
                else:
                    element(node)
            self.depth -= 1
            return segs
        last = len(nodes) - 1
        for idx, node in enumerate(nodes):
            if (
                node.kind == "text"
            ):  # each piece a group of its own (a run: one per word and separator)
                s = node.start if (start is None or idx != 0) else max(node.start, start)
                e = node.end if (end is None or idx != last) else min(node.end, end)
                if top:
                    self.groups = self.text(s, e, OwnRun, self.groups, 1) + 1
                else:
                    self.text(s, e)
            elif top:  # all of an element is one group
                first = len(segs)
                self.node(node)
                group = self.groups
                for k in range(first, len(segs)):
                    segs[k].group = group
                self.groups = group + 1
            else:
                self.node(node)
        self.depth -= 1
        return segs

    def text(self, s: int, e: int, run: type[Run] = Run, group: int = -1, step: int = 0) -> int:
        """The segs of the source text from ``s`` to ``e``, numbered from ``group`` by ``step``;
        returns the next number."""
        # the hot loop of a conversion: names bound locally, the source matched in place (pos/endpos:
        # no copy of the chunk, offsets already absolute), the alternative that matched read from
        # ``lastindex`` (1 entity, 2 space, 3 special, 4 plain text), and words with the single
        # spaces between them taken as one run
        src, append = self.src, self.segs.append
        # most text: words, maybe one space before and after — the words matched without groups
        # (the spaces are looked at by hand: the words can neither start nor end with one)
        a = s + 1 if s < e and src[s] == " " else s
        b = e - 1 if e > a and src[e - 1] == " " else e
        if PLAIN_WORDS_RE.fullmatch(src, a, b) is not None:
            if a > s:
                append(new_seg(Seg, " ", s, a, "plain", group))
                group += step
            plain = src[a:b]
            append(
                new_seg(run if " " in plain or "_" in plain else Seg, plain, a, b, "plain", group)
            )
            group += step
            if b < e:
                append(new_seg(Seg, " ", b, e, "plain", group))
                group += step
            return group
        table = self.table
        entity_tail = _ENTITY_TAIL.match
        for m in _TEXT_RE.finditer(src, s, e):
            a, b = m.span()
            which = m.lastindex
            if which == 4:
                plain = m.group(4)
                if " " in plain or "_" in plain:
                    append(new_seg(run, plain, a, b, "plain", group))
                elif plain == "&" and entity_tail(src, b):
                    append(new_seg(Seg, "\\&", a, b, "mapped", group))
                else:
                    append(new_seg(Seg, plain, a, b, "plain", group))
            elif which == 2:
                append(new_seg(Seg, " ", a, b, "plain" if m.group(2) == " " else "mapped", group))
            elif which == 3:
                special = m.group(3)
                prev = src[a - 1] if a > 0 else ""
                nxt = src[b] if b < len(src) else ""
                md = md_escape_char(special, prev, nxt, table)
                append(new_seg(Seg, md, a, b, "plain" if md == special else "mapped", group))
            else:
                ent = m.group(1)
                if _ENTITY_OK.match(ent):
                    ch = decode_entities(ent)
                    md = md_escape_text(ch, table) if ch != ent else ent
                    if md == "&" and entity_tail(src, b):  # "&amp;copy;" is not "©"
                        md = "\\&"
                    if ch in ("\n", "\t", "\r"):
                        md = " "
                    append(new_seg(Seg, md, a, b, "mapped", group))
                else:
                    append(new_seg(Seg, ent, a, b, "plain", group))
            group += step
        return group

    def whole(self, node: Node, md: str) -> None:
        if self.table:
            md = md.replace("|", "\\|")
        seg = new_seg(Seg, md, node.start, node.end, "markup", -1)
        seg.key = md
        self.segs.append(seg)
        self.keyed.append((md, node.start, node.end))

    def node(self, node: Node) -> None:
        src = self.src
        kind = node.kind
        if kind == "cdata":
            self.whole(
                node, md_escape_text(" ".join(text_of(src, node).split()), self.table) or "⟦cdata⟧"
            )
            return
        if kind == "comment":
            body = src[
                node.start + 4 : node.end - 3 if src.endswith("-->", 0, node.end) else node.end
            ]
            self.whole(node, f"⟦hidden comment: {placeholder_text(body)[:60]}⟧")
            return
        if kind == "stray":  # a closing tag nothing opened: kept, shows as nothing
            self.segs.append(new_seg(Seg, "", node.start, node.end, "markup", -1))
            return
        if kind != "el":
            self.whole(node, raw_placeholder(src, node))
            return
        name = node.name
        fmt = FORMAT.get(name)
        if fmt and node.closed and fmt not in self.active and has_content(src, node.children):
            self.active.add(fmt)
            self.wrap(node, fmt, fmt)
            self.active.discard(fmt)
        elif name == "code":
            self.whole(node, code_span(text_of(src, node)))
        elif name == "br":  # a table cell is one line: there a break is GFM's usual <br>
            self.segs.append(
                new_seg(Seg, "<br>" if self.table else "\\\n", node.start, node.end, "markup", -1)
            )
        elif name == "a":
            href = node.attrs.get("href")
            content = has_content(src, node.children)
            if href is None:
                name_attr = node.attrs.get("name") or node.attrs.get("id")
                if not content:
                    self.whole(node, f"⟦anchor: {placeholder_text(name_attr or '')}⟧")
                else:
                    self.transparent(node)
            else:
                target = href.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
                if content and node.closed:
                    self.wrap(node, "[", f"]({target})")
                else:
                    self.whole(node, f"[{md_escape_text(target, self.table)}]({target})")
        elif name == "ac:link":
            self.ac_link(node)
        elif name == "ac:image":
            self.ac_image(node)
        elif name == "ac:inline-comment-marker":
            if has_content(src, node.children):
                self.wrap(node, "⟦comment⟧", "⟦/comment⟧")
            else:
                self.whole(node, "⟦comment⟧⟦/comment⟧")
        elif name in (
            "ac:structured-macro",
            "ac:emoticon",
            "time",
            "ac:placeholder",
            "ac:adf-extension",
        ):
            self.whole(node, element_placeholder(src, node))
        elif (
            name.startswith("ri:") or name.startswith("ac:") or name in BLOCK_TAGS or name == "img"
        ):
            self.whole(node, element_placeholder(src, node))
        else:  # u, sup, sub, span, font, unknown inline elements: their text shows, the tags are kept
            self.transparent(node)

    def wrap(self, node: Node, left: str, right: str, inner: Node | None = None) -> None:
        inner = inner or node
        first = len(self.segs)
        self.segs.append(new_seg(Seg, left, node.start, inner.open_end, "markup", -1))
        comment = left == "⟦comment⟧"
        if comment:
            self.keyed.append((left, node.start, inner.open_end))
        self.run(inner.children)
        right_md = right.replace("|", "\\|") if self.table and right.startswith("](") else right
        self.segs.append(new_seg(Seg, right_md, inner.close_start, node.end, "markup", -1))
        if comment:
            self.keyed.append((right_md, inner.close_start, node.end))
        if left in ("*", "**", "~~"):
            _flank(self.segs, first)
        if left in ("[", "⟦comment⟧"):
            md = "".join([s.md for s in self.segs[first:]])
            self.constructs.append((md, node.start, node.end))

    def transparent(self, node: Node) -> None:
        self.segs.append(new_seg(Seg, "", node.start, node.open_end, "markup", -1))
        self.run(node.children)
        self.segs.append(new_seg(Seg, "", node.close_start, node.end, "markup", -1))

    def ac_link(self, node: Node) -> None:
        src = self.src
        target = link_target(src, node)
        body = node.child("ac:link-body")
        if body is not None and node.closed and body.closed and has_content(src, body.children):
            self.wrap(node, "[", f"]({target})", inner=body)
            return
        plain = node.child("ac:plain-text-link-body")
        if plain is not None:
            text = " ".join(text_of(src, plain).split())
            self.whole(node, f"[{md_escape_text(text, self.table)}]({target})")
        elif target.startswith("user:"):
            name = self.users.get(unquote(target[5:]))
            self.whole(node, f"⟦@{placeholder_text(name)}⟧" if name else f"⟦@{target[5:]}⟧")
        elif target:
            self.whole(node, f"[{md_escape_text(label(target), self.table)}]({target})")
        else:
            self.whole(node, "⟦link⟧")

    def ac_image(self, node: Node) -> None:
        target = link_target(self.src, node)
        alt = node.attrs.get("ac:alt") or node.attrs.get("ac:title") or ""
        self.whole(
            node, f"![{md_escape_text(' '.join(alt.split()), self.table)}]({target or 'image:'})"
        )


def _flank(segs: list[Seg], first: int) -> None:
    """``<em> x </em>``: the spaces inside go outside the markers (``* x *`` is not emphasis)."""
    body = segs[first + 1 : -1]
    lead = 0
    while (
        lead < len(body)
        and body[lead].kind != "markup"
        and body[lead].md
        and not body[lead].md.strip()
    ):
        lead += 1
    trail = len(body)
    while (
        trail > lead
        and body[trail - 1].kind != "markup"
        and body[trail - 1].md
        and not body[trail - 1].md.strip()
    ):
        trail -= 1
    if trail == lead or (lead == 0 and trail == len(body)):
        return
    segs[first:] = body[:lead] + [segs[first]] + body[lead:trail] + [segs[-1]] + body[trail:]


def code_span(text: str) -> str:
    text = " ".join(text.split("\n"))
    longest = max((len(r) for r in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"
