"""Reading a page: whole (small pages), by outline and section (large ones), or just the lines that
hold some words. Mixed into :class:`~workbench.agent.toolkit.Toolkit`, which supplies the fenced
``open`` (the page's space is checked before anything is returned) and ``page_context``.

Page text, headings and found lines go between the session's data markers (``Toolkit.data``,
:mod:`workbench.agent.untrusted`: a page cannot forge their end); ``open`` gives the model's view of
the page, in which text a reader cannot see is a token (:mod:`workbench.agent.hidden`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from workbench.agent.edits import ToolInputError
from workbench.agent.outline import (
    find_lines,
    find_section,
    find_span,
    format_outline,
    human_size,
    outline,
    section_text,
    span_text,
    subsections,
)
from workbench.agent.tool_host import ToolHost

if TYPE_CHECKING:
    from workbench.services.pages import OpenedPage

PAGE_INLINE_LIMIT = (
    12_000  # bytes of Markdown get_page returns whole; larger pages return the outline
)
FIND_LINES = 20  # lines get_page(find=…) shows
FIND_LINE_CHARS = 400  # a longer line is shown around the words found


class PageReading(ToolHost):
    """``get_page``, ``get_page_outline`` and ``get_section``."""

    page_inline_limit: int

    if TYPE_CHECKING:

        async def page_context(self, opened: OpenedPage) -> str: ...

    async def _tool_get_page(self, page_id: str, find: str | None = None) -> str:
        opened, key = await self.open(page_id)
        if find is not None:
            return self._found(opened, _header(opened, key), find)
        head = _header(opened, key) + "\n" + await self.page_context(opened)
        size = len(opened.markdown.encode("utf-8"))
        if size <= self.page_inline_limit:
            return f"{head}\n{self.data(opened.markdown)}"
        return (
            f"{head}\nThis page is large ({human_size(size)}), so its outline is shown instead of the text. "
            "Read what you need with get_section(page_id, section_id).\n"
            + self.data(format_outline(outline(opened.markdown)), "the page's headings")
        )

    async def _tool_get_page_outline(self, page_id: str, section_id: str | None = None) -> str:
        opened, key = await self.open(page_id)
        sections = outline(opened.markdown)
        head = _header(opened, key)
        if section_id:
            parent = find_section(opened.markdown, str(section_id))
            if parent is None:
                raise ToolInputError(f"Page {opened.page.id} has no section '{section_id}'.")
            inside = subsections(sections, parent)
            shown = f"inside {parent.id} {parent.title}\n" + (
                format_outline(inside) or "(no headings inside)"
            )
            return f"{head}\n" + self.data(shown, "the page's headings")
        if not sections:
            return f"{head}\n(no headings)"
        return f"{head}\n" + self.data(format_outline(sections), "the page's headings")

    def _found(self, opened: OpenedPage, head: str, find: str) -> str:
        """The lines that contain ``find``, each after the id of the (innermost) section it is in."""
        words = " ".join(find.split())
        if len(words) < 3:
            raise ToolInputError("find needs at least 3 characters of the page's text.")
        lines, total = find_lines(opened.markdown, words, limit=FIND_LINES)
        shown = f"{total} line(s) contain {json.dumps(words, ensure_ascii=False)}"
        if not lines:
            return f"{head} | {shown}. Try fewer or other words, or read the outline."
        rows = []
        for section, line in lines:
            sid = section.id if section is not None else "s0"
            if len(line) > FIND_LINE_CHARS:
                at = line.lower().find(words.lower().split()[0])
                begin = max(0, at - FIND_LINE_CHARS // 2)
                line = ("…" if begin else "") + line[begin : begin + FIND_LINE_CHARS] + "…"
            rows.append(f"{sid}: {line}")
        more = f"\n({total - len(lines)} more not shown)" if total > len(lines) else ""
        return (
            f"{head} | {shown}; each after its section id (get_section reads one)\n"
            + self.data("\n".join(rows), "lines of the page")
            + more
        )

    async def _tool_get_section(self, page_id: str, section_id: str) -> str:
        opened, key = await self.open(page_id)
        if ".." in section_id:
            span = find_span(opened.markdown, section_id)
            if span is None:
                raise ToolInputError(
                    f"Page {opened.page.id} version {opened.base_version} has no range '{section_id}' (two section "
                    "ids from get_page_outline, the first one earlier, like s3..s9)."
                )
            text = span_text(opened.markdown, *span)
            size = human_size(len(text.encode("utf-8")))
            return (
                f"{_header(opened, key)} | sections {span[0].id}..{span[1].id} ({size})\n"
                + self.data(text)
            )
        section = find_section(opened.markdown, str(section_id))
        if section is None:
            raise ToolInputError(
                f"Page {opened.page.id} version {opened.base_version} has no section '{section_id}'; "
                "call get_page_outline for the ids."
            )
        text = section_text(opened.markdown, section)
        return (
            f"{_header(opened, key)} | section {section.id} ({human_size(section.size)})\n"
            + self.data(text)
        )


def _header(opened: OpenedPage, key: str) -> str:
    size = human_size(len(opened.markdown.encode("utf-8")))
    title = json.dumps(opened.page.title, ensure_ascii=False)  # page text: one quoted JSON string
    noun = "blog post" if opened.page.type == "blogpost" else "page"
    return f"{noun} {opened.page.id} {title} | space {key} | version {opened.base_version} | {size}"
