"""Markdown → ADF (Atlassian Document Format), the reverse of :mod:`workbench.jira.adf_md`.

Markdown is parsed by mistune (CommonMark with GFM tables and strikethrough) into its syntax tree,
which is mapped onto ADF nodes. The dialect's extensions are read first: ``⟦kind:…⟧`` placeholders
(mentions, emoji, cards, status, dates, and ``⟦adf:{…}⟧`` for any inline node kept as JSON; a
backslash before ``⟦`` keeps it literal), fenced ``adf`` code blocks (a block kept as JSON), and
``> [!NOTE]``-style alerts (ADF panels). Raises ``ValueError`` for an ``adf`` block or placeholder
whose JSON is not one ADF node.
"""

from __future__ import annotations

import json
import re
from typing import Any

from workbench.jira.adf_md import PANEL_OF_ALERT

_PLACEHOLDER = re.compile(r"(?<!\\)⟦(adf|mention|emoji|card|status|date):([^⟧]*)⟧")
_SENTINEL = re.compile("\ue000(\\d+)\ue001")
_ALERT = re.compile(r"\[!([A-Za-z]+)\]")


def markdown_to_adf(markdown: str) -> dict[str, Any]:
    """An ADF document (``{"version": 1, "type": "doc", "content": [...]}``) for ``markdown``."""
    reader = _Reader(markdown)
    return {"version": 1, "type": "doc", "content": reader.blocks(reader.tokens)}


def inline_to_adf(markdown: str) -> list[dict[str, Any]]:
    """The inline nodes of one line of Markdown (what a paragraph holding it would contain)."""
    doc = markdown_to_adf(markdown)
    content = doc["content"]
    if len(content) != 1 or content[0].get("type") != "paragraph":
        raise ValueError("not one paragraph")
    return content[0].get("content", [])


class _Reader:
    def __init__(self, markdown: str) -> None:
        # lazy, for start-up: mistune loads on first use
        import mistune

        self.saved: list[tuple[str, str, str]] = []  # (kind, payload, original text)

        def save(match: re.Match[str]) -> str:
            self.saved.append((match.group(1), match.group(2), match.group(0)))
            return f"\ue000{len(self.saved) - 1}\ue001"

        text = _PLACEHOLDER.sub(save, markdown.replace("\r\n", "\n"))
        parse = mistune.create_markdown(renderer=None, plugins=["strikethrough", "table"])
        self.tokens: list[dict[str, Any]] = parse(text)  # type: ignore[assignment]

    def restore(self, text: str) -> str:
        """Text where placeholders are literal (code): put them back as they were written."""
        return _SENTINEL.sub(lambda m: self.saved[int(m.group(1))][2], text)

    # -- blocks -----------------------------------------------------------------------------
    def blocks(self, tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for token in tokens:
            node = self.block(token)
            if node is not None:
                out.append(node)
        return out

    def block(self, token: dict[str, Any]) -> dict[str, Any] | None:
        kind = token["type"]
        if kind in ("paragraph", "block_text"):
            return {"type": "paragraph", "content": self.inlines(token.get("children", []))}
        if kind == "heading":
            return {
                "type": "heading",
                "attrs": {"level": token["attrs"]["level"]},
                "content": self.inlines(token.get("children", [])),
            }
        if kind == "thematic_break":
            return {"type": "rule"}
        if kind == "block_code":
            return self.code(token)
        if kind == "block_quote":
            return self.quote(token)
        if kind == "list":
            return self.list_node(token)
        if kind == "table":
            return self.table(token)
        if kind == "block_html":
            return {"type": "paragraph", "content": _texts(self.restore(token["raw"].rstrip("\n")))}
        return None  # blank_line

    def code(self, token: dict[str, Any]) -> dict[str, Any]:
        info = ((token.get("attrs") or {}).get("info") or "").strip()
        raw = self.restore(token["raw"])
        raw = raw[:-1] if raw.endswith("\n") else raw
        if info == "adf":
            kept = json.loads(raw)
            if not isinstance(kept, dict) or not isinstance(kept.get("type"), str):
                raise ValueError("an adf block must hold one ADF node")
            return kept
        node: dict[str, Any] = {"type": "codeBlock"}
        if info:
            node["attrs"] = {"language": info.split()[0]}
        node["content"] = [{"type": "text", "text": raw}] if raw else []
        return node

    def quote(self, token: dict[str, Any]) -> dict[str, Any]:
        children = token.get("children", [])
        first = children[0] if children else None
        if first is not None and first["type"] == "paragraph":
            inline = first.get("children", [])
            head = inline[0] if inline else None
            if head is not None and head["type"] == "text":
                match = _ALERT.fullmatch(head["raw"].strip())
                if match and match.group(1).upper() in PANEL_OF_ALERT:
                    rest = inline[1:]
                    if rest and rest[0]["type"] == "softbreak":
                        rest = rest[1:]
                    body = list(children[1:])
                    if rest:
                        body = [{"type": "paragraph", "children": rest}, *body]
                    return {
                        "type": "panel",
                        "attrs": {"panelType": PANEL_OF_ALERT[match.group(1).upper()]},
                        "content": self.blocks(body),
                    }
        return {"type": "blockquote", "content": self.blocks(children)}

    def list_node(self, token: dict[str, Any]) -> dict[str, Any]:
        attrs = token.get("attrs") or {}
        node: dict[str, Any] = {"type": "orderedList" if attrs.get("ordered") else "bulletList"}
        if attrs.get("ordered"):
            node["attrs"] = {"order": attrs.get("start", 1)}
        node["content"] = [
            {"type": "listItem", "content": self.blocks(item.get("children", []))}
            for item in token.get("children", [])
        ]
        return node

    def table(self, token: dict[str, Any]) -> dict[str, Any]:
        rows: list[dict[str, Any]] = []
        for part in token.get("children", []):
            row_tokens = [part] if part["type"] == "table_head" else part.get("children", [])
            for row in row_tokens:
                cells = []
                for cell in row.get("children", []):
                    head = bool((cell.get("attrs") or {}).get("head"))
                    paragraph = {
                        "type": "paragraph",
                        "content": self.inlines(cell.get("children", [])),
                    }
                    cells.append(
                        {"type": "tableHeader" if head else "tableCell", "content": [paragraph]}
                    )
                rows.append({"type": "tableRow", "content": cells})
        return {"type": "table", "content": rows}

    # -- inline -----------------------------------------------------------------------------
    def inlines(self, tokens: list[dict[str, Any]], marks: tuple = ()) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for token in tokens:
            kind = token["type"]
            if kind == "text":
                out += self.text(token["raw"], marks)
            elif kind == "softbreak":
                out += _texts(" ", marks)
            elif kind == "linebreak":
                out.append({"type": "hardBreak"})
            elif kind == "codespan":
                out += _texts(self.restore(token["raw"]), (*marks, {"type": "code"}))
            elif kind in ("strong", "emphasis", "strikethrough"):
                mark = {"strong": "strong", "emphasis": "em", "strikethrough": "strike"}[kind]
                out += self.inlines(token.get("children", []), (*marks, {"type": mark}))
            elif kind == "link":
                href = self.restore(token["attrs"]["url"])
                link = {"type": "link", "attrs": {"href": href}}
                out += self.inlines(token.get("children", []), (*marks, link))
            elif kind == "inline_html":
                out += _texts(self.restore(token["raw"]), marks)
            elif kind == "image":
                alt = "".join(c.get("raw", "") for c in token.get("children", []))
                out += _texts(f"![{alt}]({token['attrs']['url']})", marks)
            else:
                out += self.inlines(token.get("children", []), marks)
        return _merge(out)

    def text(self, raw: str, marks: tuple) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        pos = 0
        for match in _SENTINEL.finditer(raw):
            out += _texts(_unescape(raw[pos : match.start()]), marks)
            pos = match.end()
            kind, payload, _ = self.saved[int(match.group(1))]
            out.append(_placeholder(kind, payload, marks))
        out += _texts(_unescape(raw[pos:]), marks)
        return out


def _unescape(text: str) -> str:
    """``\\⟦`` is a literal ``⟦`` (CommonMark escapes ASCII punctuation only, so mistune keeps it)."""
    return text.replace("\\⟦", "⟦").replace("\\⟧", "⟧")


def _texts(value: str, marks: tuple = ()) -> list[dict[str, Any]]:
    if not value:
        return []
    node: dict[str, Any] = {"type": "text", "text": value}
    if marks:
        node["marks"] = [dict(m) for m in marks]
    return [node]


def _merge(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for node in nodes:
        if (
            out
            and node.get("type") == "text" == out[-1].get("type")
            and node.get("marks") == out[-1].get("marks")
        ):
            out[-1] = {**out[-1], "text": out[-1]["text"] + node["text"]}
        else:
            out.append(node)
    return out


def _placeholder(kind: str, payload: str, marks: tuple) -> dict[str, Any]:
    if kind == "adf":
        node = json.loads(payload)
        if not isinstance(node, dict) or not isinstance(node.get("type"), str):
            raise ValueError("an adf placeholder must hold one ADF node")
        return node
    parts = payload.split("|")
    if kind == "mention":
        attrs: dict[str, Any] = {"id": parts[0], "text": parts[1] if len(parts) > 1 else ""}
        if len(parts) > 2:
            attrs["accessLevel"] = parts[2]
        return {"type": "mention", "attrs": attrs}
    if kind == "emoji":
        attrs = {"shortName": parts[0]}
        if len(parts) > 1:
            attrs["id"] = parts[1] if parts[1] != "None" else None
            attrs["text"] = parts[2] if len(parts) > 2 and parts[2] != "None" else None
        return {"type": "emoji", "attrs": attrs}
    if kind == "card":
        return {"type": "inlineCard", "attrs": {"url": payload}}
    if kind == "status":
        return {
            "type": "status",
            "attrs": {"text": parts[0], "color": parts[1] if len(parts) > 1 else "neutral"},
        }
    return {"type": "date", "attrs": {"timestamp": payload}}
