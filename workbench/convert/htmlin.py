"""HTML typed into Markdown (the top of many READMEs): an allow-listed subset becomes the matching
storage, everything else stays visible text.

- images (``<img src alt width height align>``) become ``ac:image`` (a relative ``src`` an attachment);
  links (``<a href>``) become links (a relative ``href`` an attachment link);
- ``p``/``h1``–``h6`` (with ``align``), lists, quotes, tables, ``pre``, ``hr``, ``br`` and the inline
  formats (``b``/``strong``, ``i``/``em``, ``code``/``kbd``, ``sub``, ``sup``, ``u``, ``s``/``del``) keep
  their meaning; ``<details><summary>T</summary>…</details>`` becomes an ``expand`` macro titled T;
- wrappers (``div``, ``center``, ``span``, ``picture`` …) keep their content (``align="center"`` is kept on
  the paragraphs and headings inside);
- comments are dropped (a reader of the Markdown never sees them either);
- any other tag (``script``, ``style``, ``iframe``, ``form`` …) is written as the text it is, with no
  attribute reaching the page but the ones named above (``href``/``src`` only with a safe scheme).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from workbench.convert.constructs import render_link, resource
from workbench.convert.tokens import attr_escape, parse, xml_escape

VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
INLINE = {
    "b": "strong",
    "strong": "strong",
    "i": "em",
    "em": "em",
    "code": "code",
    "kbd": "code",
    "tt": "code",
    "samp": "code",
    "sub": "sub",
    "sup": "sup",
    "u": "u",
    "s": "del",
    "strike": "del",
    "del": "del",
}
BLOCKS = frozenset(
    "p h1 h2 h3 h4 h5 h6 ul ol li blockquote table thead tbody tfoot tr td th".split()
)
WRAPPERS = frozenset(
    "div center section article header footer main nav aside figure figcaption picture span font small big "
    "abbr cite dfn mark time var ins label dl dt dd address hgroup".split()
)
CONTAINERS = frozenset(
    {"div", "center", "section", "article", "header", "footer", "main", "nav", "aside", "details"}
)
_SAFE_URL = re.compile(r"^(?:https?:|mailto:|#|[^:/?#]*(?:[/?#]|$))", re.I)
_ALIGN = {"left": "left", "center": "center", "middle": "center", "right": "right"}


class El:
    __slots__ = ("name", "attrs", "children", "raw", "closed")

    def __init__(self, name: str, attrs: dict[str, str], raw: str = "") -> None:
        self.name, self.attrs, self.raw = name, attrs, raw
        self.children: list[El | str] = []
        self.closed = False


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = El("", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = El(tag, {k: v or "" for k, v in attrs}, self.get_starttag_text() or "")
        self.stack[-1].children.append(el)
        if tag not in VOID:
            self.stack.append(el)
        else:
            el.closed = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = El(tag, {k: v or "" for k, v in attrs}, self.get_starttag_text() or "")
        el.closed = True
        self.stack[-1].children.append(el)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].name == tag:
                self.stack[depth].closed = True
                del self.stack[depth:]
                return
        if tag not in VOID:
            self.stack[-1].children.append(f"</{tag}>")  # a stray end tag: its text

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(html: str) -> El:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return tree.root


def open_containers(html: str) -> list[str]:
    """Container tags (``div``, ``details`` …) an HTML block opens and leaves open."""
    names = []
    el = parse_html(html)
    while el.children and isinstance(el.children[-1], El) and not el.children[-1].closed:
        el = el.children[-1]
        names.append(el.name)
    return names if names and all(n in CONTAINERS for n in names) else []


def closes(html: str, name: str) -> bool:
    return re.match(rf"^\s*</{re.escape(name)}\s*>", html, re.I) is not None


def safe_url(url: str) -> str | None:
    url = url.strip()
    return url if url and _SAFE_URL.match(url) and not any(c in url for c in "<>\"'") else None


def _align(el: El) -> str:
    a = _ALIGN.get(el.attrs.get("align", "").lower())
    return f' style="text-align: {a};"' if a else ""


def image(attrs: dict[str, str]) -> str:
    """``<img …>`` → ``ac:image`` (only ``src``, ``alt``, ``title``, ``width``, ``height``, ``align``)."""
    src = safe_url(attrs.get("src", ""))
    if src is None:
        alt = attrs.get("alt", "")
        return xml_escape(alt)
    out = ""
    for key, name in (("alt", "ac:alt"), ("title", "ac:title")):
        if attrs.get(key):
            out += f' {name}="{attr_escape(attrs[key])}"'
    for key in ("width", "height"):
        value = attrs.get(key, "").strip().removesuffix("px")
        if value.isdigit():
            out += f' ac:{key}="{value}"'
    align = _ALIGN.get(attrs.get("align", "").lower())
    if align:
        out += f' ac:align="{align}"'
    res = resource(src)
    ri = res[0] if res is not None and res[0] else f'<ri:url ri:value="{attr_escape(src)}" />'
    return f"<ac:image{out}>{ri}</ac:image>"


def link(inner: str, href: str) -> str:
    url = safe_url(href)
    return render_link(inner, url) if url else inner


class Renderer:
    """Renders a parsed HTML fragment to storage; ``align`` is passed down from wrappers."""

    def children(self, el: El, align: str = "") -> str:
        return "".join(self.node(c, align) for c in el.children)

    def node(self, c: El | str, align: str = "") -> str:
        if isinstance(c, str):
            return xml_escape(c)
        name = c.name
        if name in INLINE:
            tag = INLINE[name]
            return f"<{tag}>{self.children(c)}</{tag}>"
        if name == "br":
            return "<br />"
        if name == "hr":
            return "<hr />"
        if name == "img":
            return image(c.attrs)
        if name == "a":
            return link(self.children(c), c.attrs.get("href", ""))
        if name in ("p", "h1", "h2", "h3", "h4", "h5", "h6"):
            return f"<{name}{_align(c) or align}>{self.children(c)}</{name}>"
        if name in ("td", "th"):
            spans = "".join(
                f' {k}="{c.attrs[k]}"'
                for k in ("colspan", "rowspan")
                if c.attrs.get(k, "").isdigit()
            )
            return f"<{name}{spans}{_align(c)}>{self.children(c)}</{name}>"
        if name in BLOCKS:
            start = c.attrs.get("start", "")
            extra = f' start="{start}"' if name == "ol" and start.isdigit() else ""
            return f"<{name}{extra}>{self.children(c)}</{name}>"
        if name == "pre":
            # lazy, for start-up: workbench.convert.fresh loads on first use
            from workbench.convert.fresh import code_macro

            return code_macro("", _text(c).strip("\n"))
        if name == "details":
            return self.details(c)
        if name == "summary":
            return f"<p><strong>{self.children(c)}</strong></p>"
        if name in WRAPPERS:
            return self.children(c, _align(c) or align)
        if name in ("source", "meta", "link", "wbr", "col", "colgroup"):
            return ""
        # anything else is shown as the text it is
        end = f"&lt;/{xml_escape(name)}&gt;" if c.closed and name not in VOID else ""
        return xml_escape(c.raw) + self.children(c) + end

    def details(self, c: El) -> str:
        """``<details><summary>T</summary>…</details>`` → an ``expand`` macro titled T."""
        shell = El("", {})
        shell.children = [c]
        return _content(self, shell, [c], "", "")

    def block(self, el: El, align: str = "") -> str:
        """Block content: runs of inline content (text, images, links …) are wrapped in ``<p>``."""
        out: list[str] = []
        run: list[El | str] = []
        for c in el.children:
            if isinstance(c, El) and (
                c.name in BLOCKS
                or c.name in ("pre", "hr", "details", "summary")
                or (c.name in WRAPPERS and _has_blocks(c))
            ):
                out.append(self._para(run, align))
                run = []
                if c.name in WRAPPERS:
                    out.append(self.block(c, _align(c) or align))
                else:
                    out.append(self.node(c, align))
            elif isinstance(c, str) or c.name not in ("source",):
                run.append(c)
        out.append(self._para(run, align))
        return "".join(out)

    def _para(self, run: list[El | str], align: str) -> str:
        inner = "".join(self.node(c) for c in run)
        if not inner.strip():
            return ""
        return f"<p{align}>{inner.strip()}</p>"


def _has_blocks(el: El) -> bool:
    return any(
        isinstance(c, El)
        and (
            c.name in BLOCKS
            or c.name in ("pre", "hr", "details")
            or (c.name in WRAPPERS and _has_blocks(c))
        )
        for c in el.children
    )


def _text(el: El | None) -> str:
    if el is None:
        return ""
    return "".join(c if isinstance(c, str) else _text(c) for c in el.children)


def render_html_block(html: str, body: str | None = None) -> str:
    """Storage for an HTML block; ``body`` (storage rendered from the Markdown that follows) goes
    inside the containers the block leaves open (``<details>`` … blank line, Markdown … ``</details>``)."""
    root = parse_html(html)
    r = Renderer()
    if body is None:
        return r.block(root)
    chain = []
    el = root
    while el.children and isinstance(el.children[-1], El) and not el.children[-1].closed:
        el = el.children[-1]
        chain.append(el)
    return _content(r, root, chain, body, "")


def _content(r: Renderer, el: El, chain: list[El], body: str, align: str) -> str:
    kids = [
        c
        for c in el.children
        if not (el.name == "details" and isinstance(c, El) and c.name == "summary")
    ]
    shell = El("", {})
    if not chain:
        shell.children = kids
        return r.block(shell, align) + _align_top(body, align)
    shell.children = kids[:-1]
    nested = chain[0]
    inner = _content(r, nested, chain[1:], body, _align(nested) or align)
    if nested.name == "details":
        summary = next(
            (x for x in nested.children if isinstance(x, El) and x.name == "summary"), None
        )
        title = " ".join(_text(summary).split()) if summary is not None else ""
        param = f'<ac:parameter ac:name="title">{xml_escape(title)}</ac:parameter>' if title else ""
        # lazy, for start-up: workbench.convert.fresh loads on first use
        from workbench.convert.fresh import rich_macro

        inner = rich_macro("expand", param, inner)
    return r.block(shell, align) + inner


def _align_top(storage: str, align: str) -> str:
    """``align`` (a ``style`` attribute) on the top-level paragraphs and headings of ``storage``."""
    if not align:
        return storage

    root = parse(storage)
    edits = [
        (c.start, c.open_end)
        for c in root.children
        if c.kind == "el"
        and c.name in ("p", "h1", "h2", "h3", "h4", "h5", "h6")
        and not c.attrs
        and not c.selfclosing
    ]
    out, pos = [], 0
    for _s, e in edits:
        out.append(storage[pos : e - 1])
        out.append(align + ">")
        pos = e
    out.append(storage[pos:])
    return "".join(out)


_INLINE_WRAPPERS = frozenset("span font small big abbr cite dfn mark time var ins label".split())
_TAG_RE = re.compile(r"^<(/?)([A-Za-z][A-Za-z0-9-]*)")


def inline_tag(html: str, anchors: list[str]) -> str | None:
    """Storage for one piece of inline HTML in a paragraph (a tag or a comment), or None to show it
    as text. ``anchors`` holds the closing storage of the ``<a>`` tags still open."""
    if html.startswith("<!--"):
        return ""
    m = _TAG_RE.match(html)
    if m is None:
        return None
    closing, name = m.group(1) == "/", m.group(2).lower()
    if name == "br":
        return "<br />"
    if name in INLINE:
        return f"</{INLINE[name]}>" if closing else f"<{INLINE[name]}>"
    if name in _INLINE_WRAPPERS:
        return ""
    if name == "img" and not closing:
        el = parse_html(html).children
        return image(el[0].attrs) if el and isinstance(el[0], El) else None
    if name == "a":
        if closing:
            return anchors.pop() if anchors else ""
        el = parse_html(html).children
        href = safe_url(el[0].attrs.get("href", "")) if el and isinstance(el[0], El) else None
        if href is None:
            anchors.append("")
            return ""
        marker = "\ue004"
        full = link(marker, href)
        before, _, after = full.partition(marker)
        anchors.append(after)
        return before
    return None
