"""Outline and sections of a Markdown page, so a model can navigate a big page instead of reading it whole.

Headings are ATX headings (``#`` … ``######``) outside fenced code blocks. Section ids are stable for
a given page version: ``s1``, ``s2`` … in document order, and ``s0`` for any text before the first
heading. A section runs from its heading to the next heading of the same or a higher level, so it
includes its subsections; its size is the UTF-8 byte count of that text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*(?:[ \t]#+[ \t]*)?$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
MAX_OUTLINE_ENTRIES = 120


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    level: int  # 0 for the preamble
    title: str
    start: int  # character offsets into the Markdown
    end: int
    size: int  # UTF-8 bytes, subsections included


def outline(markdown: str) -> list[Section]:
    """The sections of ``markdown`` in document order."""
    lines = markdown.splitlines(keepends=True)
    heads: list[tuple[int, int, str]] = []  # (char offset, level, title)
    offset = 0
    fence: str | None = None
    for line in lines:
        bare = line.rstrip("\r\n")
        fence_match = _FENCE.match(bare)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= len(fence):
                fence = None
        elif fence_match:
            fence = fence_match.group(1)
        else:
            m = _HEADING.match(bare)
            if m:
                heads.append((offset, len(m.group(1)), (m.group(2) or "").strip()))
        offset += len(line)
    total = len(markdown)
    sections: list[Section] = []
    first = heads[0][0] if heads else total
    if markdown[:first].strip():
        sections.append(Section("s0", 0, "(before the first heading)", 0, first, _size(markdown[:first])))
    for n, (start, level, title) in enumerate(heads):
        end = total
        for later_start, later_level, _ in heads[n + 1 :]:
            if later_level <= level:
                end = later_start
                break
        sections.append(Section(f"s{n + 1}", level, title, start, end, _size(markdown[start:end])))
    return sections


def find_section(markdown: str, section_id: str) -> Section | None:
    wanted = section_id.strip().lower()
    for section in outline(markdown):
        if section.id == wanted:
            return section
    return None


def section_text(markdown: str, section: Section) -> str:
    return markdown[section.start : section.end]


def subsections(sections: list[Section], parent: Section) -> list[Section]:
    """The sections nested inside ``parent`` (not ``parent`` itself)."""
    return [s for s in sections if parent.start < s.start < parent.end]


def format_outline(sections: list[Section], max_entries: int = MAX_OUTLINE_ENTRIES) -> str:
    """One line per section: ``s3 ## Title (1.2K)``.

    When there are more than ``max_entries`` headings, deeper levels are folded into their parent
    (shown as ``+N inside``) so the outline of a huge page stays small; the model expands one
    section with ``get_page_outline(page_id, section_id)``.
    """
    shown = sections
    levels = sorted({s.level for s in sections if s.level})
    for depth in reversed(levels):
        shown = [s for s in sections if s.level <= depth]
        if len(shown) <= max_entries:
            break
    hidden_at = {s.id: 0 for s in shown}
    if len(shown) < len(sections):
        visible = {s.id for s in shown}
        for s in shown:
            hidden_at[s.id] = sum(1 for t in subsections(sections, s) if t.id not in visible)
    rows = []
    for s in shown:
        marks = "#" * s.level if s.level else "(preamble)"
        title = f" {s.title}" if s.level else ""
        more = f" +{hidden_at[s.id]} inside" if hidden_at.get(s.id) else ""
        rows.append(f"{s.id} {marks}{title} ({human_size(s.size)}){more}")
    if len(shown) < len(sections):
        rows.append(
            f"({len(sections) - len(shown)} deeper headings folded; get_page_outline(page_id, section_id) "
            "lists the headings inside one section)"
        )
    return "\n".join(rows)


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size}B"
    return f"{size / 1024:.1f}K"


def _size(text: str) -> int:
    return len(text.encode("utf-8"))
