"""Outline and sections of a Markdown page, so a model can navigate a big page instead of reading it whole.

Headings are ATX headings (``#`` … ``######``) outside fenced code blocks. Section ids are stable for
a given page version: ``s1``, ``s2`` … in document order, and ``s0`` for any text before the first
heading. A section runs from its heading to the next heading of the same or a higher level, so it
includes its subsections; its size is the UTF-8 byte count of that text.

Text without headings is still navigable: when a section's own text (before its first subsection)
is over :data:`PART_BYTES`, it is cut at paragraph boundaries into *parts* of about that size,
``s0.1``, ``s0.2`` … (``s5.1`` … inside ``s5``), shown in the outline with their first words. A page
without any heading is therefore a list of paragraph ranges, never one section holding everything.
:func:`find_span` reads a run of consecutive sections (``s3..s9``) in one go, and
:func:`find_lines` lists the lines that contain some words, with the section each is in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*(?:[ \t]#+[ \t]*)?$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
MAX_OUTLINE_ENTRIES = 120
PART_BYTES = 4_000  # a section's own text over this is cut into parts (paragraph ranges)
PART_LEVEL = 7  # parts sit below the deepest heading level (folded first)


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    level: int  # 0 for the preamble
    title: str
    start: int  # character offsets into the Markdown
    end: int
    size: int  # UTF-8 bytes, subsections included

    @property
    def part(self) -> bool:
        return self.level == PART_LEVEL


def outline(markdown: str) -> list[Section]:
    """The sections of ``markdown`` in document order (parts right after the section they cut)."""
    sections = _headed(markdown)
    out: list[Section] = []
    for n, section in enumerate(sections):
        out.append(section)
        own_end = section.end
        for later in sections[n + 1 :]:
            if later.start >= section.end:
                break
            own_end = later.start  # the first subsection
            break
        if _size(markdown[section.start : own_end]) > PART_BYTES:
            out.extend(_parts(markdown, section, own_end))
    return out


def _headed(markdown: str) -> list[Section]:
    lines = markdown.splitlines(keepends=True)
    heads: list[tuple[int, int, str]] = []  # (char offset, level, title)
    offset = 0
    fence: str | None = None
    for line in lines:
        bare = line.rstrip("\r\n")
        fence_match = _FENCE.match(bare)
        if fence is not None:
            if (
                fence_match
                and fence_match.group(1)[0] == fence[0]
                and len(fence_match.group(1)) >= len(fence)
            ):
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
        sections.append(
            Section("s0", 0, "(before the first heading)", 0, first, _size(markdown[:first]))
        )
    for n, (start, level, title) in enumerate(heads):
        end = total
        for later_start, later_level, _ in heads[n + 1 :]:
            if later_level <= level:
                end = later_start
                break
        sections.append(Section(f"s{n + 1}", level, title, start, end, _size(markdown[start:end])))
    return sections


def _parts(markdown: str, section: Section, own_end: int) -> list[Section]:
    """``section``'s own text cut at blank lines (outside code fences) into runs of about PART_BYTES."""
    body_start = section.start
    if section.level:  # the heading line stays with the section, the parts follow it
        newline = markdown.find("\n", section.start, own_end)
        body_start = own_end if newline < 0 else newline + 1
        while body_start < own_end and markdown[body_start] in "\r\n":
            body_start += 1  # the blank lines under the heading belong to no part
    edges = [
        c for c in _paragraph_starts(markdown, body_start, own_end) if body_start < c < own_end
    ] + [own_end]
    spans: list[tuple[int, int]] = []
    start = previous = body_start
    for edge in edges:  # greedy: paragraphs join a part while it stays within PART_BYTES
        if previous > start and _size(markdown[start:edge]) > PART_BYTES:
            spans.append((start, previous))
            start = previous
        previous = edge
    if start < own_end:
        spans.append((start, own_end))
    spans = [(a, b) for a, b in spans if markdown[a:b].strip()]
    if len(spans) < 2:
        return []
    return [
        Section(
            f"{section.id}.{n}", PART_LEVEL, _first_words(markdown[a:b]), a, b, _size(markdown[a:b])
        )
        for n, (a, b) in enumerate(spans, 1)
    ]


def _paragraph_starts(markdown: str, start: int, end: int) -> list[int]:
    """Offsets in ``[start, end)`` where a paragraph begins after a blank line (not inside a fence)."""
    starts: list[int] = []
    offset, fence, blank = start, None, False
    for line in markdown[start:end].splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        match = _FENCE.match(bare)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
        else:
            if bare.strip() and blank:
                starts.append(offset)
            if match:
                fence = match.group(1)
        blank = not bare.strip()
        offset += len(line)
    return starts


def _first_words(text: str, limit: int = 48) -> str:
    words = " ".join(text.split())
    return words if len(words) <= limit else words[: limit - 1] + "…"


def find_section(markdown: str, section_id: str) -> Section | None:
    wanted = section_id.strip().lower()
    for section in outline(markdown):
        if section.id == wanted:
            return section
    return None


def find_span(markdown: str, spec: str) -> tuple[Section, Section] | None:
    """The first and last sections of ``sA..sB`` (in document order), or None when either is missing."""
    first_id, _, last_id = spec.partition("..")
    sections = {s.id: s for s in outline(markdown)}
    first, last = sections.get(first_id.strip().lower()), sections.get(last_id.strip().lower())
    if first is None or last is None or last.start < first.start:
        return None
    return first, last


def section_text(markdown: str, section: Section) -> str:
    return markdown[section.start : section.end]


def span_text(markdown: str, first: Section, last: Section) -> str:
    return markdown[first.start : max(first.end, last.end)]


def subsections(sections: list[Section], parent: Section) -> list[Section]:
    """The sections nested inside ``parent`` (not ``parent`` itself; its parts included)."""
    return [
        s
        for s in sections
        if s is not parent
        and parent.start <= s.start < parent.end
        and (s.start > parent.start or s.id.startswith(parent.id + "."))
    ]


def find_lines(
    markdown: str, words: str, limit: int = 20
) -> tuple[list[tuple[Section | None, str]], int]:
    """Lines containing ``words`` (case-insensitive), each with the innermost section it is in (a part
    when there is one); at most ``limit`` of them, and how many there are in all."""
    needle = " ".join(words.split()).lower()
    sections = outline(markdown)
    found: list[tuple[Section | None, str]] = []
    total, offset = 0, 0
    for line in markdown.splitlines(keepends=True):
        if needle and needle in " ".join(line.split()).lower():
            total += 1
            if len(found) < limit:
                inside = [s for s in sections if s.start <= offset < s.end]
                found.append(
                    (
                        max(inside, key=lambda s: (s.start, s.level)) if inside else None,
                        line.rstrip("\n"),
                    )
                )
        offset += len(line)
    return found, total


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
        marks = "¶" if s.part else "#" * s.level if s.level else "(preamble)"
        title = f' "{s.title}"' if s.part else f" {s.title}" if s.level else ""
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
