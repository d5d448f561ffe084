"""Jira wiki markup (REST v2, Data Center) ⇄ ADF, for the common constructs.

Covered: paragraphs, ``h1.``–``h6.``, ``*bold*``, ``_italic_``, ``-strike-``, ``+underline+``,
``{{monospace}}``, ``[text|url]`` and ``[url]``, ``[~accountid:…]`` mentions, ``*``/``#`` lists
(nested by repetition), ``{code[:lang]}…{code}``, ``{noformat}``, ``{quote}``, ``----``, tables
(``||head||`` and ``|cell|``), ``\\\\`` line breaks. Jira's own renderer knows more (colours, panels,
emoticons, images); what this converter does not know is kept as the literal text it was written
with, never dropped. Markup characters in ADF text are escaped with ``\\`` on the way out.
"""

from __future__ import annotations

import re
from typing import Any

_MARKS = {"strong": "*", "em": "_", "strike": "-", "underline": "+"}
# always escaped: these open markup anywhere; - + ^ ~ only where they could open it (before a word)
_SPECIAL = re.compile(r"([*_{}\[\]|\\])|(?:(?<=\s)|^)([-+^~])(?=\S)")


# -- ADF → wiki -------------------------------------------------------------------------------
def from_adf(doc: Any) -> str:
    if not isinstance(doc, dict):
        return ""
    return "\n\n".join(b for b in (_block(n, 0) for n in _children(doc)) if b is not None).strip()


def _children(node: dict) -> list[dict]:
    content = node.get("content")
    return [c for c in content if isinstance(c, dict)] if isinstance(content, list) else []


def _attrs(node: dict) -> dict:
    attrs = node.get("attrs")
    return attrs if isinstance(attrs, dict) else {}


def _block(node: dict, depth: int) -> str | None:
    kind = node.get("type")
    if kind == "paragraph":
        return _inlines(_children(node))
    if kind == "heading":
        level = _attrs(node).get("level", 1)
        level = level if isinstance(level, int) and 1 <= level <= 6 else 1
        return f"h{level}. {_inlines(_children(node))}"
    if kind in ("bulletList", "orderedList"):
        return "\n".join(_list(node, "*" if kind == "bulletList" else "#"))
    if kind == "codeBlock":
        lang = _attrs(node).get("language")
        head = f"{{code:{lang}}}" if isinstance(lang, str) and lang else "{code}"
        text = "".join(c.get("text", "") for c in _children(node) if c.get("type") == "text")
        return f"{head}\n{text}\n{{code}}"
    if kind == "blockquote":
        inner = "\n\n".join(b for b in (_block(c, depth + 1) for c in _children(node)) if b)
        return f"{{quote}}\n{inner}\n{{quote}}"
    if kind == "rule":
        return "----"
    if kind == "panel":
        inner = "\n\n".join(b for b in (_block(c, depth + 1) for c in _children(node)) if b)
        return f"{{panel}}\n{inner}\n{{panel}}"
    if kind == "table":
        rows: list[str] = []
        for row in _children(node):
            cells = _children(row)
            line = ""
            for cell in cells:
                sep = "||" if cell.get("type") == "tableHeader" else "|"
                text = " ".join(b for b in (_block(c, depth + 1) for c in _children(cell)) if b)
                line += f"{sep}{text}"
            if cells:
                line += "||" if cells[-1].get("type") == "tableHeader" else "|"
            rows.append(line)
        return "\n".join(rows)
    if kind in ("mediaSingle", "mediaGroup"):
        return None
    # anything else: its text, so nothing a person wrote disappears
    kept = [b for b in (_block(c, depth + 1) for c in _children(node)) if b]
    if kept:
        return "\n\n".join(kept)
    return _inlines([node]) or None


def _list(node: dict, bullet: str) -> list[str]:
    lines: list[str] = []
    for item in _children(node):
        first = True
        for child in _children(item):
            kind = child.get("type")
            if kind in ("bulletList", "orderedList"):
                mark = "*" if kind == "bulletList" else "#"
                lines += [
                    bullet + line if line[:1] in "*#" else line for line in _list(child, mark)
                ]
            else:
                text = _block(child, 1) or ""
                lines.append(f"{bullet} {text}" if first else text)
                first = False
        if first:
            lines.append(f"{bullet} ")
    return lines


def _inlines(nodes: list[dict]) -> str:
    out = []
    for node in nodes:
        kind = node.get("type")
        attrs = _attrs(node)
        if kind == "text":
            text = _SPECIAL.sub(
                lambda m: "\\" + (m.group(1) or m.group(2)), str(node.get("text", ""))
            )
            link = None
            for mark in node.get("marks") or []:
                if not isinstance(mark, dict):
                    continue
                name = mark.get("type")
                if name == "code":
                    text = "{{" + str(node.get("text", "")) + "}}"
                elif name in _MARKS:
                    text = f"{_MARKS[name]}{text}{_MARKS[name]}"
                elif name == "link" and isinstance(mark.get("attrs"), dict):
                    link = mark["attrs"].get("href")
            out.append(f"[{text}|{link}]" if link else text)
        elif kind == "hardBreak":
            out.append("\\\\\n")
        elif kind == "mention":
            out.append(f"[~accountid:{attrs.get('id', '')}]")
        elif kind in ("inlineCard", "blockCard"):
            out.append(f"[{attrs.get('url', '')}]")
        elif kind == "emoji":
            out.append(str(attrs.get("text") or attrs.get("shortName") or ""))
        elif kind == "status":
            out.append(str(attrs.get("text") or ""))
        else:
            out.append(_inlines(_children(node)))
    return "".join(out)


# -- wiki → ADF -------------------------------------------------------------------------------
_HEADING = re.compile(r"h([1-6])\.\s+(.*)")
_LIST = re.compile(r"([*#]+)\s+(.*)")
_CODE_OPEN = re.compile(r"\{(code|noformat)(?::([^}]*))?\}\s*(.*)")


def to_adf(text: str) -> dict[str, Any]:
    lines = text.replace("\r\n", "\n").split("\n")
    content: list[dict] = []
    paragraph: list[str] = []
    i = 0

    def flush() -> None:
        if paragraph:
            content.append({"type": "paragraph", "content": _parse_inline("\n".join(paragraph))})
            paragraph.clear()

    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        code = _CODE_OPEN.match(stripped)
        if code:
            flush()
            kind, lang, rest = code.groups()
            close = "{" + kind + "}"
            body: list[str] = []
            if rest.endswith(close):
                body.append(rest[: -len(close)])
            else:
                if rest:
                    body.append(rest)
                i += 1
                while i < len(lines) and not lines[i].rstrip().endswith(close):
                    body.append(lines[i])
                    i += 1
                if i < len(lines):
                    tail = lines[i].rstrip()[: -len(close)]
                    if tail:
                        body.append(tail)
            node: dict[str, Any] = {"type": "codeBlock"}
            if kind == "code" and lang:
                node["attrs"] = {"language": lang.split("|")[0]}
            node["content"] = [{"type": "text", "text": "\n".join(body)}] if body else []
            content.append(node)
        elif stripped == "{quote}":
            flush()
            inner: list[str] = []
            i += 1
            while i < len(lines) and lines[i].strip() != "{quote}":
                inner.append(lines[i])
                i += 1
            content.append({"type": "blockquote", "content": to_adf("\n".join(inner))["content"]})
        elif stripped == "----":
            flush()
            content.append({"type": "rule"})
        elif _HEADING.fullmatch(stripped):
            flush()
            m = _HEADING.fullmatch(stripped)
            assert m is not None
            content.append(
                {
                    "type": "heading",
                    "attrs": {"level": int(m.group(1))},
                    "content": _parse_inline(m.group(2)),
                }
            )
        elif _LIST.fullmatch(stripped):
            flush()
            items: list[tuple[str, str]] = []
            while i < len(lines) and _LIST.fullmatch(lines[i].strip()):
                m = _LIST.fullmatch(lines[i].strip())
                assert m is not None
                items.append((m.group(1), m.group(2)))
                i += 1
            content.append(_build_list(items))
            continue
        elif stripped.startswith("|"):
            flush()
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(_table_row(lines[i].strip()))
                i += 1
            content.append({"type": "table", "content": rows})
            continue
        elif not stripped:
            flush()
        else:
            paragraph.append(line)
        i += 1
    flush()
    return {"version": 1, "type": "doc", "content": content}


def _build_list(items: list[tuple[str, str]]) -> dict[str, Any]:
    kind = "bulletList" if items[0][0][-1] == "*" else "orderedList"
    depth = len(items[0][0])
    node: dict[str, Any] = {"type": kind, "content": []}
    i = 0
    while i < len(items):
        _marks, text = items[i]
        parts: list[dict[str, Any]] = [{"type": "paragraph", "content": _parse_inline(text)}]
        item = {"type": "listItem", "content": parts}
        i += 1
        nested: list[tuple[str, str]] = []
        while i < len(items) and len(items[i][0]) > depth:
            nested.append(items[i])
            i += 1
        if nested:
            parts.append(_build_list(nested))
        node["content"].append(item)
    return node


def _table_row(line: str) -> dict[str, Any]:
    cells: list[dict[str, Any]] = []
    for match in re.finditer(r"(\|\|?)([^|]*)", line):
        sep, text = match.groups()
        if not text.strip() and match.end() == len(line):
            continue
        cells.append(
            {
                "type": "tableHeader" if sep == "||" else "tableCell",
                "attrs": {},
                "content": [{"type": "paragraph", "content": _parse_inline(text.strip())}],
            }
        )
    return {"type": "tableRow", "content": cells}


_INLINE = re.compile(
    r"\\(?P<esc>.)"
    r"|\{\{(?P<code>.+?)\}\}"
    r"|\[~accountid:(?P<mention>[^\]]+)\]"
    r"|\[(?P<label>[^\]|]+)\|(?P<href>[^\]]+)\]"
    r"|\[(?P<url>(?:https?|mailto):[^\]]+)\]"
    r"|(?<![\w*])\*(?P<strong>[^*\n]+)\*(?![\w*])"
    r"|(?<![\w_])_(?P<em>[^_\n]+)_(?![\w_])"
    r"|(?<![\w-])-(?P<strike>[^-\n]+)-(?![\w-])"
    r"|(?<![\w+])\+(?P<underline>[^+\n]+)\+(?![\w+])"
    r"|(?P<br>\\\\\n?|\n)",
    re.S,
)


def _parse_inline(text: str, marks: list[dict] | None = None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    marks = marks or []
    pos = 0

    def add(value: str, extra: list[dict] | None = None) -> None:
        if not value:
            return
        node: dict[str, Any] = {"type": "text", "text": value}
        all_marks = [*marks, *(extra or [])]
        if all_marks:
            node["marks"] = all_marks
        if out and out[-1].get("type") == "text" and out[-1].get("marks") == node.get("marks"):
            out[-1]["text"] += value
        else:
            out.append(node)

    for m in _INLINE.finditer(text):
        add(text[pos : m.start()])
        pos = m.end()
        if m.group("esc") is not None:
            if m.group("esc") == "\\":
                out.append({"type": "hardBreak"})
            else:
                add(m.group("esc"))
        elif m.group("code") is not None:
            add(m.group("code"), [{"type": "code"}])
        elif m.group("mention") is not None:
            out.append({"type": "mention", "attrs": {"id": m.group("mention"), "text": ""}})
        elif m.group("href") is not None:
            out += _parse_inline(
                m.group("label"), [*marks, {"type": "link", "attrs": {"href": m.group("href")}}]
            )
        elif m.group("url") is not None:
            add(m.group("url"), [{"type": "link", "attrs": {"href": m.group("url")}}])
        elif m.group("br") is not None:
            out.append({"type": "hardBreak"})
        else:
            for name in ("strong", "em", "strike", "underline"):
                if m.group(name) is not None:
                    out += _parse_inline(m.group(name), [*marks, {"type": name}])
                    break
    add(text[pos:])
    return out
