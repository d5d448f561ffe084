"""ADF (Atlassian Document Format, Jira Cloud's rich text) → Markdown, losing nothing.

The forms are those of the workbench's Markdown dialect (``docs/markdown-dialect.md``; the Jira side
is in ``docs/jira.md``): paragraphs, ``#`` headings, ``**strong**``, ``*em*``, ``~~strike~~``,
`` `code` ``, ``[links](url)``, ``-``/``1.`` lists (nested), fenced code blocks with their language,
``>`` quotes, ``---``, GFM tables (a header row, one paragraph per cell), panels as GitHub alerts
(``> [!NOTE]`` …), and placeholders for inline nodes: ``⟦mention:ID|@Name⟧``, ``⟦emoji:smile⟧``,
``⟦card:URL⟧``, ``⟦status:TEXT|colour⟧``, ``⟦date:TIMESTAMP⟧``.

Nothing is lost: every node is written in a readable form only when reading that form back
(:func:`workbench.jira.md_adf.markdown_to_adf`) gives the same node (:func:`canonical` equality). Any
other node — an unknown type, an attribute the form cannot carry (a ``localId``, a cell colour) — is
kept as its JSON: a fenced ``adf`` code block for a block, ``⟦adf:{…}⟧`` for an inline node.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: ADF panel type ⇄ GitHub alert kind (one to one)
ALERT_OF_PANEL = {
    "info": "NOTE",
    "success": "TIP",
    "note": "IMPORTANT",
    "warning": "WARNING",
    "error": "CAUTION",
}
PANEL_OF_ALERT = {v: k for k, v in ALERT_OF_PANEL.items()}
_MARK_ORDER = {"link": 0, "strong": 1, "em": 2, "strike": 3, "code": 4}
_SIMPLE_MARKS = set(_MARK_ORDER)
# characters that could start markup inside text; escaped with a backslash (CommonMark)
_ESCAPE = re.compile(r"([\\`*_\[\]<>#|~!⟦⟧])")
_LINE_START = re.compile(r"^(\s*)(\d*)([-+=.)])(?=\s|$)", re.M)


def adf_to_markdown(doc: Any) -> str:
    """Markdown for an ADF document (``{"type": "doc", …}``); '' for no document."""
    if not isinstance(doc, dict):
        return ""
    text = blocks_markdown(_content(doc))
    return text + ("\n" if text else "")


def blocks_markdown(nodes: list[Any], sep: str = "\n\n") -> str:
    """Blocks one after another. A list right after a list of the same kind takes the other marker
    (``*`` for ``-``, ``1)`` for ``1.``) so it stays a list of its own, as in the page dialect."""
    parts: list[str] = []
    previous: str | None = None
    alternate = False
    for node in nodes:
        kind = node.get("type") if isinstance(node, dict) else None
        alternate = kind in ("bulletList", "orderedList") and kind == previous and not alternate
        parts.append(block_markdown(node, alternate=alternate))
        previous = kind
    return sep.join(parts)


def block_markdown(node: Any, *, alternate: bool = False) -> str:
    """One block: its readable form when that reads back as the same node, else its JSON."""
    if isinstance(node, dict):
        try:
            text = _block(node, alternate)
        except _Unrepresentable:
            text = None
        if text is not None and _reads_back(text, node):
            return text
    return raw_block(node)


def raw_block(node: Any) -> str:
    body = json.dumps(node, ensure_ascii=False, indent=1)
    fence = "```"
    while fence in body:
        fence += "`"
    return f"{fence}adf\n{body}\n{fence}"


def raw_inline(node: Any) -> str:
    return "⟦adf:" + json.dumps(node, ensure_ascii=False).replace("⟧", "\\u27e7") + "⟧"


class _Unrepresentable(Exception):
    pass


def _reads_back(text: str, node: dict) -> bool:
    # here, not at the top: the reader imports this module for its tables (a cycle)
    from workbench.jira.md_adf import markdown_to_adf

    try:
        back = markdown_to_adf(text)["content"]
    except (ValueError, KeyError, TypeError, RecursionError):
        return False
    return canonical(back) == canonical([node])


def _content(node: dict) -> list[Any]:
    content = node.get("content")
    return content if isinstance(content, list) else []


def _attrs(node: dict) -> dict:
    attrs = node.get("attrs")
    return attrs if isinstance(attrs, dict) else {}


def _block(node: dict, alternate: bool = False) -> str | None:
    kind = node.get("type")
    attrs = _attrs(node)
    if kind == "paragraph":
        text = _paragraph_inlines(_content(node))
        return text if text.strip() else None
    if kind == "heading":
        level = attrs.get("level")
        if not isinstance(level, int) or not 1 <= level <= 6:
            return None
        return "#" * level + " " + inlines_markdown(_content(node))
    if kind == "rule":
        return "---"
    if kind == "codeBlock":
        text = "".join(
            c.get("text", "")
            for c in _content(node)
            if isinstance(c, dict) and c.get("type") == "text"
        )
        language = attrs.get("language") or ""
        if not isinstance(language, str) or "`" in language or " " in language:
            return None
        fence = "```"
        while fence in text:
            fence += "`"
        return f"{fence}{language}\n{text}\n{fence}"
    if kind == "blockquote":
        return _quote(blocks_markdown(_content(node)))
    if kind == "panel":
        alert = ALERT_OF_PANEL.get(attrs.get("panelType", ""))
        if alert is None:
            return None
        return _quote(f"[!{alert}]\n{blocks_markdown(_content(node))}")
    if kind in ("bulletList", "orderedList"):
        return _list(node, alternate)
    if kind == "table":
        return _table(node)
    return None


def _quote(text: str) -> str:
    return "\n".join(("> " + line) if line else ">" for line in text.split("\n"))


def _list(node: dict, alternate: bool = False) -> str:
    ordered = node.get("type") == "orderedList"
    start = _attrs(node).get("order", 1) if ordered else 1
    if not isinstance(start, int) or start < 0:
        raise _Unrepresentable
    lines: list[str] = []
    for index, item in enumerate(_content(node)):
        if not isinstance(item, dict) or item.get("type") != "listItem":
            raise _Unrepresentable
        if ordered:
            marker = f"{start + index}{')' if alternate else '.'} "
        else:
            marker = "* " if alternate else "- "
        pad = " " * len(marker)
        if _tight(item):
            body = blocks_markdown(_content(item), "\n")
        else:
            body = blocks_markdown(_content(item))
        if not body:
            raise _Unrepresentable
        first, *rest = body.split("\n")
        lines.append(marker + first)
        lines += [(pad + line) if line else "" for line in rest]
    return "\n".join(lines)


def _tight(item: dict) -> bool:
    """A list item written without blank lines: one paragraph, optionally followed by lists."""
    kinds = [c.get("type") for c in _content(item) if isinstance(c, dict)]
    return (
        bool(kinds)
        and kinds[0] == "paragraph"
        and all(k in ("bulletList", "orderedList") for k in kinds[1:])
    )


def _table(node: dict) -> str:
    rows = [r for r in _content(node) if isinstance(r, dict)]
    if not rows or any(r.get("type") != "tableRow" for r in rows):
        raise _Unrepresentable
    grid: list[list[str]] = []
    for index, row in enumerate(rows):
        cells = []
        for cell in _content(row):
            want = "tableHeader" if index == 0 else "tableCell"
            if not isinstance(cell, dict) or cell.get("type") != want:
                raise _Unrepresentable
            paragraphs = _content(cell)
            if len(paragraphs) > 1 or any(p.get("type") != "paragraph" for p in paragraphs):
                raise _Unrepresentable
            text = inlines_markdown(_content(paragraphs[0])) if paragraphs else ""
            if "\n" in text:
                raise _Unrepresentable
            cells.append(text.replace("|", "\\|") if "\\|" not in text else text)
        grid.append(cells)
    width = len(grid[0])
    if width == 0 or any(len(r) != width for r in grid):
        raise _Unrepresentable
    lines = ["| " + " | ".join(grid[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in grid[1:]]
    return "\n".join(lines)


def _paragraph_inlines(nodes: list[Any]) -> str:
    """A paragraph's inlines; line breaks at its end (no Markdown form there) are kept as JSON."""
    tail: list[Any] = []
    nodes = list(nodes)
    while nodes and isinstance(nodes[-1], dict) and nodes[-1].get("type") == "hardBreak":
        tail.insert(0, nodes.pop())
    return inlines_markdown(nodes) + "".join(raw_inline(n) for n in tail)


# -- inline -----------------------------------------------------------------------------------
def inlines_markdown(nodes: list[Any]) -> str:
    parts: list[str] = []
    at_start = True  # a line starts here: "1." or "-" would begin a list
    for node in nodes:
        parts.append(inline_markdown(node, at_start=at_start))
        at_start = isinstance(node, dict) and node.get("type") == "hardBreak"
    return "".join(parts)


def inline_markdown(node: Any, *, at_start: bool = True) -> str:
    """One inline node in its readable form, or ``⟦adf:…⟧`` when that form would not read back."""
    if not isinstance(node, dict):
        return raw_inline(node)
    text = _inline(node, at_start)
    if text is not None and _inline_reads_back(text, node):
        return text
    return raw_inline(node)


def _inline_reads_back(text: str, node: dict) -> bool:
    """Read back between two letters, so a leading space or a line break is read as in a paragraph."""
    # here, not at the top: the reader imports this module for its tables (a cycle)
    from workbench.jira.md_adf import inline_to_adf

    try:
        back = inline_to_adf("a" + text + "a")
    except (ValueError, KeyError, TypeError):
        return False
    pad = {"type": "text", "text": "a"}
    return canonical(back) == canonical([pad, node, pad])


def _inline(node: dict, at_start: bool = True) -> str | None:
    kind = node.get("type")
    attrs = _attrs(node)
    if kind == "text":
        return _text(node, at_start)
    if kind == "hardBreak":
        return "\\\n"
    if kind == "mention":
        ident, label = attrs.get("id"), attrs.get("text", "")
        if not isinstance(ident, str) or not isinstance(label, str) or "|" in ident:
            return None
        extra = f"|{attrs['accessLevel']}" if "accessLevel" in attrs else ""
        return f"⟦mention:{ident}|{label}{extra}⟧"
    if kind == "emoji":
        short = attrs.get("shortName")
        if not isinstance(short, str):
            return None
        rest = [attrs.get("id"), attrs.get("text")]
        tail = "".join(f"|{v}" for v in rest) if any(v is not None for v in rest) else ""
        return f"⟦emoji:{short}{tail}⟧"
    if kind == "inlineCard" and set(attrs) == {"url"}:
        return f"⟦card:{attrs['url']}⟧"
    if kind == "status":
        return f"⟦status:{attrs.get('text', '')}|{attrs.get('color', '')}⟧"
    if kind == "date":
        return f"⟦date:{attrs.get('timestamp', '')}⟧"
    return None


def _text(node: dict, at_start: bool = True) -> str | None:
    value = node.get("text")
    if not isinstance(value, str) or not value or "\n" in value or "\r" in value:
        return (
            None  # a line break inside a text node has no Markdown form (a soft break is a space)
        )
    marks = node.get("marks") or []
    if not isinstance(marks, list) or any(
        not isinstance(m, dict) or m.get("type") not in _SIMPLE_MARKS for m in marks
    ):
        return None
    names = {m["type"] for m in marks}
    if "code" in names:
        if names - {"code", "link"} or "`" in value or value != value.strip() or "\n" in value:
            return None
        text = f"`{value}`"
    else:
        text = _escape(value, at_start)
        if (names & {"strong", "em", "strike"}) and value != value.strip():
            return None  # CommonMark emphasis cannot start or end with a space
        if "strike" in names:
            text = f"~~{text}~~"
        if "em" in names:
            text = f"*{text}*"
        if "strong" in names:
            text = f"**{text}**"
    for mark in marks:
        if mark["type"] == "link":
            attrs = mark.get("attrs") if isinstance(mark.get("attrs"), dict) else {}
            href = attrs.get("href") if isinstance(attrs, dict) else None
            if not isinstance(href, str) or set(attrs) != {"href"} or re.search(r"[\s()<>]", href):
                return None
            text = f"[{text}]({href})"
    return text


def _escape(value: str, at_start: bool = True) -> str:
    text = _ESCAPE.sub(r"\\\1", value)
    # "1. x", "- x", "+ x" at the start would begin a list: escape the punctuation ("1\. x")
    if not at_start:
        return text
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2) + "\\" + m.group(3), text)


# -- comparison -------------------------------------------------------------------------------
def canonical(nodes: Any) -> Any:
    """A form of ADF in which two documents that mean the same are equal: adjacent text nodes with the
    same marks joined, marks in one order, attributes that hold a schema default dropped
    (``orderedList.order`` 1, ``table`` ``isNumberColumnEnabled: false``/``layout: "default"``, empty
    ``attrs``, null values), ``version`` dropped below the document."""
    if isinstance(nodes, list):
        out: list[Any] = []
        for node in (canonical(n) for n in nodes):
            if (
                out
                and isinstance(node, dict)
                and isinstance(out[-1], dict)
                and node.get("type") == "text" == out[-1].get("type")
                and node.get("marks") == out[-1].get("marks")
                and set(node) <= {"type", "text", "marks"}
                and set(out[-1]) <= {"type", "text", "marks"}
            ):
                out[-1] = {**out[-1], "text": out[-1]["text"] + node["text"]}
            else:
                out.append(node)
        return out
    if not isinstance(nodes, dict):
        return nodes
    node = {k: canonical(v) for k, v in nodes.items() if k != "version"}
    attrs = node.get("attrs")
    if isinstance(attrs, dict):
        attrs = {k: v for k, v in attrs.items() if v is not None}
        kind = node.get("type")
        if kind == "orderedList" and attrs.get("order") == 1:
            attrs.pop("order")
        if kind == "table":
            if attrs.get("isNumberColumnEnabled") is False:
                attrs.pop("isNumberColumnEnabled")
            if attrs.get("layout") == "default":
                attrs.pop("layout")
        if kind in ("tableCell", "tableHeader"):
            for key in ("colspan", "rowspan"):
                if attrs.get(key) == 1:
                    attrs.pop(key)
        if attrs:
            node["attrs"] = attrs
        else:
            node.pop("attrs")
    marks = node.get("marks")
    if isinstance(marks, list):
        if marks:
            node["marks"] = sorted(marks, key=lambda m: json.dumps(m, sort_keys=True))
        else:
            node.pop("marks")
    if node.get("content") == [] and node.get("type") not in ("doc",):
        node.pop("content")
    return node
