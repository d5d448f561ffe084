"""Anchor an inline comment in a page's storage, as Confluence does when one is added.

``POST /wiki/api/v2/inline-comments`` names the text to highlight by ``inlineCommentProperties``
``{textSelection, textSelectionMatchCount, textSelectionMatchIndex}`` (CreateInlineCommentModel in
``tests/specs/confluence-cloud-v2.openapi.json``). Confluence wraps that occurrence of the text in
``<ac:inline-comment-marker ac:ref="UUID">…</ac:inline-comment-marker>`` in the page's storage and
**does not create a new version of the page** (hunyadi/md2conf#277; the storage element is listed in
``../shared/docs/confluence-api.md``, "keep these markers on edit, or the comments dangle").

The local server matches the selection against the page's readable text, one text run at a time
(the text between two tags, entities decoded): a selection that spans formatting (``a <b>b</b>``)
is not found, which keeps the wrapping well-formed. Text inside CDATA (code blocks) and macro
parameters cannot hold a marker and is skipped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_TOKEN = re.compile(r"<!\[CDATA\[.*?\]\]>|<!--.*?-->|<[^>]*>|[^<]+", re.S)
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
# Elements whose text is not page prose a reader could select (parameters, task ids, ...).
_OPAQUE = ("ac:parameter", "ac:task-id", "ac:task-uuid", "ac:task-status", "ac:plain-text-body")
MARKER_REF = re.compile(r'<ac:inline-comment-marker\b[^>]*\bac:ref="([^"]*)"')


@dataclass(frozen=True, slots=True)
class Occurrence:
    start: int  # raw offsets in the storage
    end: int


def _decoded(run: str) -> tuple[str, list[int]]:
    """The text of a raw run with entities decoded, and the raw offset of each decoded character."""
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _ENTITY.finditer(run):
        for i in range(pos, m.start()):
            out.append(run[i])
            offsets.append(i)
        for ch in html.unescape(m.group(0)):
            out.append(ch)
            offsets.append(m.start())
        pos = m.end()
    for i in range(pos, len(run)):
        out.append(run[i])
        offsets.append(i)
    offsets.append(len(run))
    return "".join(out), offsets


def occurrences(storage: str, selection: str) -> list[Occurrence]:
    """Every place ``selection`` appears in one text run of ``storage``, in document order."""
    if not selection:
        return []
    found: list[Occurrence] = []
    opaque = 0
    for m in _TOKEN.finditer(storage):
        token = m.group(0)
        if token.startswith("<"):
            name = re.match(r"</?([\w:-]+)", token)
            if name and name.group(1) in _OPAQUE and not token.endswith("/>"):
                opaque += -1 if token.startswith("</") else 1
                opaque = max(opaque, 0)
            continue
        if opaque:
            continue
        text, offsets = _decoded(token)
        at = text.find(selection)
        while at >= 0:
            start = m.start() + offsets[at]
            end = m.start() + offsets[at + len(selection)]
            found.append(Occurrence(start, end))
            at = text.find(selection, at + len(selection))
    return found


def wrap(storage: str, occurrence: Occurrence, ref: str) -> str:
    """``storage`` with that occurrence wrapped in an inline-comment marker named ``ref``."""
    inner = storage[occurrence.start : occurrence.end]
    marker = f'<ac:inline-comment-marker ac:ref="{html.escape(ref, quote=True)}">{inner}</ac:inline-comment-marker>'
    return storage[: occurrence.start] + marker + storage[occurrence.end :]


def marker_refs(storage: str) -> set[str]:
    """The refs of every inline-comment marker in ``storage``."""
    return {html.unescape(m.group(1)) for m in MARKER_REF.finditer(storage or "")}
