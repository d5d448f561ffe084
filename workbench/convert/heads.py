"""Head lines: what a ``:::`` head, an alert head or a fence info shows, and in-place edits of it.

A changed container head (``::: expand title="New"``), alert head (``> [!TIP] New``) or fence info
(```` ```python title="New" ````) is written into the original tag: each parameter the head shows is
changed, added or removed where it is, and everything the head does not show (``ac:macro-id``,
``ac:schema-version``, hidden parameters and their order, pretty-printing) stays byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from workbench.convert.alerts import PANEL_OF_ALERT
from workbench.convert.constructs import resource
from workbench.convert.placeholders import link_target, placeholder_text
from workbench.convert.tokens import Node, attr_escape, text_of, xml_escape

Edit = tuple[int, int, str]

STRUCTURAL = frozenset({"layout", "section", "cell", "table", "tr", "td", "th"})
_PREFIXES = ("html:", "adf:", "macro:", "ac:")


def macro_head(name: str) -> str:
    """How a macro with a rich-text body is named on its ``:::`` line: its name, or ``macro:name`` when
    the name is one of the dialect's own words (``section``, ``table`` …) or looks prefixed."""
    return f"macro:{name}" if name in STRUCTURAL or name.startswith(_PREFIXES) or not name else name


def element_head(node: Node) -> str:
    """The ``:::`` head of an element holding blocks: layout parts and fallback-table parts by their
    dialect word, other HTML elements as ``html:name``, other ``ac:`` elements by their full name."""
    name = node.name
    if name == "ac:layout-section":
        t = node.attrs.get("ac:type", "")
        return f"section {t}" if t else "section"
    if name in ("td", "th"):
        extra = "".join(f" {k}={node.attrs[k]}" for k in ("colspan", "rowspan") if k in node.attrs)
        return name + extra
    if name == "ac:layout-cell":
        return "cell"
    if name == "ac:layout":
        return "layout"
    if name in ("table", "tr"):
        return name
    if name.startswith("ac:"):
        return name
    return f"html:{name}"


def _quote(value: str) -> str:
    return '"' + placeholder_text(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def param_text(params: list[tuple[str, str]]) -> str:
    return "".join(f" {_quote(v)}" if not k else f" {k}={_quote(v)}" for k, v in params)


def apply_edits(src: str, start: int, end: int, edits: list[Edit]) -> str:
    """``src[start:end]`` with each ``(s, e, text)`` edit applied (edits do not overlap)."""
    parts, pos = [], start
    for s, e, text in sorted(edits, key=lambda x: (x[0], x[1])):
        parts.append(src[pos:s])
        parts.append(text)
        pos = max(pos, e)
    parts.append(src[pos:end])
    return "".join(parts)


def _value_source(src: str, el: Node, value: str) -> str:
    """The content for a parameter element holding ``value`` (a link target stays a link)."""
    if el.child("ac:link") is not None:
        res = resource(value)
        if res is not None:
            ri, anchor = res
            open_tag = f'<ac:link ac:anchor="{attr_escape(anchor)}">' if anchor else "<ac:link>"
            return f"{open_tag}{ri}</ac:link>"
    return xml_escape(value)


def _element_value(src: str, el: Node) -> str:
    link = el.child("ac:link")
    if link is not None:
        return link_target(src, link)
    return text_of(src, el)


def keyed_edits(
    src: str,
    parent: Node,
    element: str,
    key_attr: str,
    new_pairs: list[tuple[str, str]],
    shown: Callable[[str, str], bool],
    insert_at: int | None = None,
) -> list[Edit]:
    """Edits that make the ``element`` children of ``parent`` (``ac:parameter`` keyed by ``ac:name``,
    ``ac:adf-attribute`` keyed by ``key``) say ``new_pairs`` for every key the head shows.

    A shown element whose key is gone is removed (with the whitespace before it); a new key is added
    after the last such element (or at ``insert_at``, by default just inside the parent's open tag).
    """
    wanted = list(new_pairs)
    edits: list[Edit] = []
    els = parent.elements(element)
    for el in els:
        key = el.attrs.get(key_attr, "")
        value = _element_value(src, el)
        hit = next((i for i, (k, _v) in enumerate(wanted) if k == key), None)
        if hit is None:
            if shown(key, value):
                edits.append((_with_space_before(src, parent, el), el.end, ""))
            continue
        new_value = wanted.pop(hit)[1]
        if new_value == value:
            continue
        content = _value_source(src, el, new_value)
        if el.selfclosing:
            open_tag = re.sub(r"\s*/>$", ">", src[el.start : el.end])
            edits.append((el.start, el.end, f"{open_tag}{content}</{el.name}>"))
        else:
            edits.append((el.open_end, el.close_start, content))
    if wanted:
        if els:
            last = els[-1]
            gap = _space_before(src, parent, last)
            pos = last.end
        else:
            gap, pos = "", parent.open_end if insert_at is None else insert_at
        new = "".join(
            gap + f'<{element} {key_attr}="{attr_escape(k)}">{xml_escape(v)}</{element}>'
            for k, v in wanted
        )
        edits.append((pos, pos, new))
    return edits


def _space_before(src: str, parent: Node, el: Node) -> str:
    i = parent.children.index(el)
    if i > 0 and parent.children[i - 1].kind == "text":
        prev = parent.children[i - 1]
        text = src[prev.start : prev.end]
        if not text.strip():
            return text
    return ""


def _with_space_before(src: str, parent: Node, el: Node) -> int:
    return el.start - len(_space_before(src, parent, el))


_ATTR_TEMPLATE = r"(\s{name}\s*=\s*)(\"[^\"]*\"|'[^']*'|[^\s\"'>/]+)"


def set_attr(open_tag: str, name: str, value: str | None) -> str:
    """``open_tag`` with attribute ``name`` set to ``value`` (removed when None), quoting kept."""
    pattern = re.compile(_ATTR_TEMPLATE.format(name=re.escape(name)))
    m = pattern.search(open_tag)
    if m is None:
        if value is None:
            return open_tag
        end = re.search(r"\s*/?>$", open_tag)
        at = end.start() if end else len(open_tag)
        return f'{open_tag[:at]} {name}="{attr_escape(value)}"{open_tag[at:]}'
    if value is None:
        return open_tag[: m.start()] + open_tag[m.end() :]
    quote = m.group(2)[0] if m.group(2)[0] in "\"'" else '"'
    escaped = attr_escape(value) if quote == '"' else attr_escape(value).replace("'", "&apos;")
    return open_tag[: m.start(2)] + quote + escaped + quote + open_tag[m.end(2) :]


def attr_edit(src: str, node: Node, name: str, value: str | None) -> list[Edit]:
    """An edit of ``node``'s open tag setting one attribute (nothing when it already says so)."""
    if node.attrs.get(name) == value:
        return []
    tag = src[node.start : node.open_end]
    new = set_attr(tag, name, value)
    return [] if new == tag else [(node.start, node.open_end, new)]


def rename_edits(src: str, node: Node, new_name: str) -> list[Edit]:
    """Rename an element (open and close tag), attributes kept."""
    edits = [(node.start + 1, node.start + 1 + len(node.name), new_name)]
    if node.closed and not node.selfclosing and node.close_start < node.end:
        edits.append((node.close_start + 2, node.close_start + 2 + len(node.name), new_name))
    return edits


_ALERT_HEAD = re.compile(r"^\[!([A-Za-z]+)\][ \t]*(.*)$")


def container_head_edits(unit, head: str, src: str) -> list[Edit] | None:
    """Edits of a container's own tags for a changed head line, or None when the head names another
    kind of construct (then a new wrapper is written around the merged body)."""
    # lazy, for start-up: workbench.convert.fresh loads on first use
    from workbench.convert.fresh import parse_args

    node = unit.node
    if node is None:
        return None
    if unit.kind == "alert":
        m = _ALERT_HEAD.match(head.strip())
        if m is None:
            return None
        name = PANEL_OF_ALERT.get(m.group(1).upper())
        if name is None:
            return None
        edits = attr_edit(src, node, "ac:name", name) if name != node.attrs.get("ac:name") else []
        title = m.group(2).strip()
        pairs = [("title", title)] if title else []
        return edits + keyed_edits(
            src, node, "ac:parameter", "ac:name", pairs, lambda k, _v: k == "title"
        )
    if unit.kind != "div":
        return None
    old_words, _ = parse_args(unit.head)
    words, pairs = parse_args(head)
    if not words or not old_words:
        return None
    if unit.origin == "macro":
        name = words[0][6:] if words[0].startswith("macro:") else words[0]
        if (
            len(words) > 1
            or macro_head(name) != words[0]
            or not re.fullmatch(r"[A-Za-z0-9_-]+", name)
        ):
            return None
        edits = attr_edit(src, node, "ac:name", name) if name != node.attrs.get("ac:name") else []
        return edits + keyed_edits(src, node, "ac:parameter", "ac:name", pairs, lambda _k, _v: True)
    if unit.origin == "adf":
        if words != old_words:
            return None
        return keyed_edits(src, node, "ac:adf-attribute", "key", pairs, lambda k, _v: "id" not in k)
    if node.name == "ac:layout-section":
        if words[0] != "section" or len(words) > 2 or pairs:
            return None
        return attr_edit(src, node, "ac:type", words[1] if len(words) > 1 else None)
    if node.name in ("td", "th"):
        if words[0] not in ("td", "th"):
            return None
        spans = dict(w.split("=", 1) for w in words[1:] if "=" in w)
        spans.update(pairs)
        if any(w for w in words[1:] if "=" not in w) or set(spans) - {"colspan", "rowspan"}:
            return None
        if any(not v.isdigit() for v in spans.values()):
            return None
        edits = rename_edits(src, node, words[0]) if words[0] != node.name else []
        tag = src[node.start : node.open_end]
        new_tag = tag
        for k in ("colspan", "rowspan"):
            new_tag = set_attr(new_tag, k, spans.get(k))
        if new_tag != tag:
            # the rename (if any) touches only the name inside the open tag: apply both in one edit
            if edits:
                new_tag = new_tag[:1] + words[0] + new_tag[1 + len(node.name) :]
                edits = [e for e in edits if e[0] != node.start + 1]
            edits.append((node.start, node.open_end, new_tag))
        return edits
    return None
