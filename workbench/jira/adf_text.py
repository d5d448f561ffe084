"""The readable text of an ADF (Atlassian Document Format) document, for search and one-line views."""

from __future__ import annotations

from typing import Any

_BLOCKS = {
    "paragraph",
    "heading",
    "codeBlock",
    "blockquote",
    "listItem",
    "tableCell",
    "tableHeader",
    "panel",
    "rule",
    "mediaSingle",
}


def plain_text(doc: Any) -> str:
    """Words of ``doc`` separated by single spaces; never raises on odd input."""
    parts: list[str] = []
    _walk(doc, parts, 0)
    return " ".join(" ".join(parts).split())


def _walk(node: Any, out: list[str], depth: int) -> None:
    if depth > 200 or not isinstance(node, dict):
        return
    kind = node.get("type")
    found = node.get("attrs")
    attrs: dict = found if isinstance(found, dict) else {}
    if kind == "text" and isinstance(node.get("text"), str):
        out.append(node["text"])
    elif kind == "mention":
        out.append(str(attrs.get("text") or ""))
    elif kind in ("emoji",):
        out.append(str(attrs.get("text") or attrs.get("shortName") or ""))
    elif kind in ("inlineCard", "blockCard", "embedCard"):
        out.append(str(attrs.get("url") or ""))
    elif kind == "status":
        out.append(str(attrs.get("text") or ""))
    elif kind == "date":
        out.append(str(attrs.get("timestamp") or ""))
    elif kind == "hardBreak":
        out.append(" ")
    content = node.get("content")
    if isinstance(content, list):
        for child in content:
            _walk(child, out, depth + 1)
    if kind in _BLOCKS:
        out.append(" ")
