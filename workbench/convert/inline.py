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
from workbench.convert.tokens import Node, decode_entities, has_content, text_of


class Seg:
    __slots__ = ("md", "start", "end", "kind", "key", "group")

    def __init__(
        self, md: str, start: int, end: int, kind: str, key: str | None = None, group: int = -1
    ) -> None:
        self.md = md
        self.start = start
        self.end = end
        self.kind = kind
        self.key = key  # set on whole constructs that can be restored by their Markdown
        self.group = group  # the top-level inline node it belongs to (each text piece is its own)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Seg({self.md!r}, {self.start}, {self.end}, {self.kind})"


_new = object.__new__


def _seg(cls: type[Seg], md: str, start: int, end: int, kind: str, group: int) -> Seg:
    """``cls(md, start, end, kind, group=group)`` for the text reader's hot loop: a class call whose
    ``__init__`` is Python code costs twice as much (CPython 3.11)."""
    seg = _new(cls)
    seg.md = md
    seg.start = start
    seg.end = end
    seg.kind = kind
    seg.key = None
    seg.group = group
    return seg


class Run(Seg):
    """Plain words with single spaces (or ``_`` between letters) inside a formatted or linked piece:
    one seg standing for the seg of each word and separator, all in the same group. A page's text is
    mostly such runs: one object each instead of two per word (:func:`word_segs` splits them back)."""

    __slots__ = ()

    def pieces(self) -> int:
        """How many segs of a word or a separator this run stands for (words and separators
        alternate; a run split at a line start or before closing hashes may begin or end with one)."""
        md = self.md
        return 2 * (md.count(" ") + md.count("_")) + 1 - (md[0] in " _") - (md[-1] in " _")


class OwnRun(Run):
    """A run of text outside any element: each word and separator is a group of its own — the
    run's group for the first, then ``group + i * PIECE_STRIDE`` for the i-th (groups are only told
    apart, never ordered: these stay clear of every other group of the paragraph)."""

    __slots__ = ()


PIECE_STRIDE = 1 << 32


_PIECE_RE = re.compile(r"[^ _]+|[ _]")


def word_segs(segs: list[Seg]) -> list[Seg]:
    """``segs`` with every run split into the seg of each word and separator (the model an edit is
    spliced against: a run is only a compact form of these)."""
    if not any(isinstance(seg, Run) for seg in segs):
        return segs
    out: list[Seg] = []
    for seg in segs:
        if not isinstance(seg, Run):
            out.append(seg)
            continue
        pos, group = seg.start, seg.group
        step = PIECE_STRIDE if type(seg) is OwnRun else 0
        for piece in _PIECE_RE.findall(seg.md):
            end = pos + len(piece)
            out.append(Seg(piece, pos, end, "plain", group=group))
            pos, group = end, group + step
    return out


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
#: goes through it character by character)
SPACES = "\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_WORD = rf"[^&{SPACES}\\`*_\[\]<⟦⟧~|]+"
#: 1 an entity, 2 whitespace, 3 a character Markdown may need escaped, 4 plain text: words joined by
#: single spaces or by ``_`` between letters (``snake_case``: plain there), or a lone ``&``
_TEXT_RE = re.compile(
    r"(&[#A-Za-z0-9]+;)|([ \t\r\n]+)|([\\`*_\[\]<⟦⟧~|])"
    rf"|({_WORD}(?:(?: |(?<=[^\W_])_(?=[^\W_])){_WORD})*|&)"
)
_WORDS = rf"{_WORD}(?:(?: |(?<=[^\W_])_(?=[^\W_])){_WORD})*"
_PLAIN_WORDS_RE = re.compile(_WORDS)
_PLAIN_TEXT_RE = re.compile(rf"( ?)({_WORDS})( ?)")
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
        m = _PLAIN_TEXT_RE.fullmatch(src, s, e)
        if m is not None:  # most text: words, maybe a space before and after (one regex, no loop)
            lead, plain, trail = m.group(1, 2, 3)
            if lead:
                append(_seg(Seg, " ", s, s + 1, "plain", group))
                group += step
                s += 1
            end = e - 1 if trail else e
            if " " in plain or "_" in plain:
                append(_seg(run, plain, s, end, "plain", group))
            else:
                append(_seg(Seg, plain, s, end, "plain", group))
            group += step
            if trail:
                append(_seg(Seg, " ", end, e, "plain", group))
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
                    append(_seg(run, plain, a, b, "plain", group))
                elif plain == "&" and entity_tail(src, b):
                    append(_seg(Seg, "\\&", a, b, "mapped", group))
                else:
                    append(_seg(Seg, plain, a, b, "plain", group))
            elif which == 2:
                append(_seg(Seg, " ", a, b, "plain" if m.group(2) == " " else "mapped", group))
            elif which == 3:
                special = m.group(3)
                prev = src[a - 1] if a > 0 else ""
                nxt = src[b] if b < len(src) else ""
                md = md_escape_char(special, prev, nxt, table)
                append(_seg(Seg, md, a, b, "plain" if md == special else "mapped", group))
            else:
                ent = m.group(1)
                if _ENTITY_OK.match(ent):
                    ch = decode_entities(ent)
                    md = md_escape_text(ch, table) if ch != ent else ent
                    if md == "&" and entity_tail(src, b):  # "&amp;copy;" is not "©"
                        md = "\\&"
                    if ch in ("\n", "\t", "\r"):
                        md = " "
                    append(_seg(Seg, md, a, b, "mapped", group))
                else:
                    append(_seg(Seg, ent, a, b, "plain", group))
            group += step
        return group

    def whole(self, node: Node, md: str) -> None:
        if self.table:
            md = md.replace("|", "\\|")
        self.segs.append(Seg(md, node.start, node.end, "markup", key=md))
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
            self.segs.append(Seg("", node.start, node.end, "markup"))
            return
        if kind != "el":
            self.whole(node, raw_placeholder(src, node))
            return
        name = node.name
        fmt = FORMAT.get(name)
        content = has_content(src, node.children)
        if fmt and content and node.closed and fmt not in self.active:
            self.active.add(fmt)
            self.wrap(node, fmt, fmt)
            self.active.discard(fmt)
        elif name == "code":
            self.whole(node, code_span(text_of(src, node)))
        elif name == "br":  # a table cell is one line: there a break is GFM's usual <br>
            self.segs.append(Seg("<br>" if self.table else "\\\n", node.start, node.end, "markup"))
        elif name == "a":
            href = node.attrs.get("href")
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
            if content:
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
        self.segs.append(Seg(left, node.start, inner.open_end, "markup"))
        comment = left == "⟦comment⟧"
        if comment:
            self.keyed.append((left, node.start, inner.open_end))
        self.run(inner.children)
        right_md = right.replace("|", "\\|") if self.table and right.startswith("](") else right
        self.segs.append(Seg(right_md, inner.close_start, node.end, "markup"))
        if comment:
            self.keyed.append((right_md, inner.close_start, node.end))
        if left in ("*", "**", "~~"):
            _flank(self.segs, first)
        if left in ("[", "⟦comment⟧"):
            md = "".join(s.md for s in self.segs[first:])
            self.constructs.append((md, node.start, node.end))

    def transparent(self, node: Node) -> None:
        self.segs.append(Seg("", node.start, node.open_end, "markup"))
        self.run(node.children)
        self.segs.append(Seg("", node.close_start, node.end, "markup"))

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


_LINE_START_RE = re.compile(r"^(#|>|[-+*](?=\s|$)|\d{1,9}[.)](?=\s|$)|:::|```|~~~|\|)")


_RULE_LINE_RE = re.compile(r"^(?:-{2,}|=+)[ \t]*$")  # a thematic break or a setext underline
_ONE_CHAR = re.compile(r".")


def _line_from(segs: list[Seg], idx: int) -> str:
    """The Markdown from ``segs[idx]`` to the end of its line."""
    out = []
    for seg in segs[idx:]:
        cut = seg.md.find("\n")
        if cut >= 0:
            out.append(seg.md[:cut])
            break
        out.append(seg.md)
    return "".join(out)


def escape_closing_hashes(segs: list[Seg]) -> None:
    """A heading whose text ends in `` ##`` keeps it: the hashes would read as a closing sequence."""
    last = len(segs) - 1
    while last >= 0 and not segs[last].md:
        last -= 1
    if last < 0 or segs[last].md[-1] != "#" or segs[last].kind == "markup":
        return
    seg = segs[last]
    if isinstance(seg, Run):  # the hashes are the run's last word when a space stands before them
        body = seg.md.rstrip("#")
        if body.endswith(" "):
            group = seg.group + ((seg.pieces() - 1) * PIECE_STRIDE if type(seg) is OwnRun else 0)
            cut = seg.start + len(body)
            hashes = Seg("\\" + seg.md[len(body) :], cut, seg.end, "mapped", group=group)
            seg.md, seg.end = body, cut
            segs.insert(last + 1, hashes)
        return
    if not re.fullmatch(r"#+", seg.md):
        return
    before = "".join(s.md for s in segs[:last])
    if before and before[-1] in " \t":
        seg = segs[last]
        seg.md, seg.kind = "\\" + seg.md, "mapped"


def plain_segs(src: str, start: int, end: int) -> list[Seg] | None:
    """The finished segs of text that is only words (most paragraphs and cells): its one seg, made
    without a renderer — or None when the text needs one (an escape, a marker at the line start)."""
    if _PLAIN_WORDS_RE.fullmatch(src, start, end) is None:
        return None
    md = src[start:end]
    if md[0] in "-=" or _LINE_START_RE.match(md):
        return None
    return [_seg(OwnRun if " " in md or "_" in md else Seg, md, start, end, "plain", 0)]


def finish_segs(segs: list[Seg], first_line: bool = True) -> list[Seg]:
    """Trim whitespace at the ends (it shows as nothing) and escape block markers at line starts."""
    for order in (segs, reversed(segs)):
        for seg in order:
            if seg.kind == "markup":
                if seg.md:
                    break
                # a tag that shows as nothing: look through it
            elif seg.md.strip():
                break
            else:
                seg.md, seg.kind = "", "mapped"
    out: list[Seg] | None = None  # a new list only once a seg is split in two
    at_start = first_line
    for idx, seg in enumerate(segs):
        md = seg.md
        if at_start and md:
            if seg.kind != "markup":
                if not md.strip():
                    seg.md, seg.kind = "", "mapped"
                    if out is not None:
                        out.append(seg)
                    continue
                m = _LINE_START_RE.match(md) or (
                    md[0] in "-="
                    and _RULE_LINE_RE.match(_line_from(segs, idx))
                    and _ONE_CHAR.match(md)
                    or None
                )
                if m:
                    if out is None:
                        out = segs[:idx]
                    out.extend(_escape_start(seg, m.end()))
                    at_start = False
                    continue
            elif not md.strip():
                if out is not None:
                    out.append(seg)
                continue
            else:
                m = _LINE_START_RE.match(md)
                if m and md not in (
                    "*",
                    "**",
                    "~~",
                ):  # an opaque piece: its Markdown can simply be escaped
                    head = md[: m.end()]
                    seg.md = (
                        head[:-1] + "\\" + head[-1] if head[-1] in ".)" else "\\" + head
                    ) + md[m.end() :]
            at_start = False
        if out is not None:
            out.append(seg)
        if seg.md.endswith("\n"):
            at_start = True
    if out is None:
        out = segs
    for seg in reversed(out):
        if seg.md:
            if seg.md == "\\\n":
                seg.md = "\\"  # a trailing hard break cannot end a block
            break
    return out


def _escape_start(seg: Seg, n: int) -> list[Seg]:
    head = seg.md[:n]
    escaped = head[:-1] + "\\" + head[-1] if head[-1] in ".)" else "\\" + head
    if isinstance(seg, Run):  # the marker is (the start of) the run's first word
        rest = seg.md[n:]
        group = seg.group
        if type(seg) is OwnRun and rest[0] in " _":  # the first word was all marker
            group += PIECE_STRIDE
        return [
            Seg(escaped, seg.start, seg.start + n, "mapped", group=seg.group),
            type(seg)(rest, seg.start + n, seg.end, "plain", group=group),
        ]
    if seg.kind == "plain":
        first = Seg(escaped, seg.start, seg.start + n, "mapped", group=seg.group)
        if n < len(seg.md):
            return [first, Seg(seg.md[n:], seg.start + n, seg.end, "plain", group=seg.group)]
        return [first]
    return [Seg(escaped + seg.md[n:], seg.start, seg.end, "mapped", group=seg.group)]
