"""``::: head`` containers in the viewer (docs/markdown-dialect.md): layouts and Section/Column
macros side by side, fenced tables, decision lists, the ``⟦toc⟧`` of the page's headings, HTML
headings and details, and every other macro as a titled bar. A part of the page renderer's builder
(:mod:`workbench.tui.render`), which supplies ``blocks``, ``heading``, ``list_`` and the tables."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text

from workbench.tui.render_base import (
    PLACEHOLDER,
    SECTION_RATIOS,
    Columns,
    LeftBar,
    Palette,
    RenderedDoc,
    first_text,
    matching,
    replace_first_text,
    strip_trailing_blank,
)
from workbench.tui.render_heads import container_heading, container_kind, parse_head


class FencedMixin:
    """The ``:::`` containers of the page renderer's builder."""

    p: Palette
    doc: RenderedDoc
    link_base: int
    headings: list[tuple[int, str]]

    if TYPE_CHECKING:  # the builder's own (workbench.tui.render) and its tables' (render_table)

        def blocks(self, tokens: Any, start: int, end: int) -> list[RenderableType]: ...

        def heading(self, text: RenderableType, level: int) -> RenderableType: ...

        def list_(
            self, tokens: Any, i: int, close: int, decision: bool = False
        ) -> RenderableType: ...

        def container_table(self, tokens: Any, i: int, close: int) -> RenderableType: ...

    def fenced(self, tokens, i: int, close: int) -> RenderableType:
        """A ``::: head`` container: layouts are transparent, tables become grids, others a titled bar."""
        head = tokens[i].info.strip()
        kind, name = container_kind(head)
        if kind == "columns":
            if name == "section" and head.lower().startswith(
                "macro:"
            ):  # the Section macro: its Column macros
                columns = self.cells(tokens, i, close, ("column", "macro:column"))
                ratios = _column_ratios([params.get("width", "") for params, _cell in columns])
            else:
                columns = self.cells(tokens, i, close, ("cell", "layout-cell"))
                kind_word = head.split(" ", 2)[1] if " " in head else ""
                ratios = SECTION_RATIOS.get(kind_word, [1] * len(columns))
            if len(columns) > 1:
                return Columns([cell for _params, cell in columns], ratios, self.p.muted)
            kind = "transparent"
        if kind == "transparent":
            return Group(*self.blocks(tokens, i + 1, close))
        if kind == "table":
            return Group(self.container_table(tokens, i, close), Text(""))
        if kind == "decisions":
            return self.decisions(tokens, i, close)
        inner = strip_trailing_blank(Group(*self.blocks(tokens, i + 1, close)))
        if kind == "heading":  # an HTML heading holding a line break: a heading on two lines
            level = int(name[1])
            return self.heading(inner, level)
        if kind == "quote":
            return Group(LeftBar(inner, self.p.muted), Text(""))
        if kind == "details":  # HTML <details>: a disclosure, its summary the first line
            body = list(inner.renderables)
            first = first_text(body)
            if first is not None:
                marked = Text("▸ ", style=Style(color=self.p.primary, bold=True)) + first
                replace_first_text(body, first, marked)
            return Group(LeftBar(Group(*body), self.p.primary), Text(""))
        title, colour = container_heading(head, self.p)
        return Group(LeftBar(inner, colour, title), Text(""))

    def cells(
        self, tokens, i: int, close: int, names: tuple[str, ...]
    ) -> list[tuple[dict[str, str], RenderableType]]:
        """The rendered children named ``names`` of a section (each one a column), with their parameters."""
        out: list[tuple[dict[str, str], RenderableType]] = []
        j = i + 1
        while j < close:
            end = matching(tokens, j) if tokens[j].nesting == 1 else j
            if tokens[j].type == "container_wb_open":
                name, params = parse_head(tokens[j].info)
                if name.lower() in names:
                    out.append(
                        (params, strip_trailing_blank(Group(*self.blocks(tokens, j + 1, end))))
                    )
            j = end + 1
        return out

    def decisions(self, tokens, i: int, close: int) -> RenderableType:
        """An ADF decision list: its items marked as decisions."""
        out: list[RenderableType] = []
        j = i + 1
        while j < close:
            end = matching(tokens, j) if tokens[j].nesting == 1 else j
            if tokens[j].type == "bullet_list_open":
                out.append(Group(self.list_(tokens, j, end, decision=True), Text("")))
            else:
                out.extend(self.blocks(tokens, j, end + 1))
            j = end + 1
        return Group(*out)

    def toc(self) -> RenderableType:
        """A ``⟦toc⟧`` macro: the page's headings, indented by level, as Confluence draws it."""
        top = min(level for level, _ in self.headings)
        lines = [Text("Contents", style=Style(color=self.p.muted, bold=True))]
        for level, title in self.headings:
            plain = PLACEHOLDER.sub(
                lambda m: m.group(0)[1:] if m.group(1) else "", title
            )  # \⟦ is text
            plain = plain.replace("**", "").replace("`", "").strip()
            index = self.link_base + len(self.doc.links)
            self.doc.links.append(
                (plain, f"#{plain}")
            )  # g lists it; enter or a click scrolls there
            entry = Text("  " * (level - top) + "• ")
            entry.append(
                plain, Style(color=self.p.primary, meta={"@click": f"screen.follow_link({index})"})
            )
            lines.append(entry)
        return LeftBar(Group(*lines), self.p.muted)


def _column_ratios(widths: list[str]) -> list[int]:
    """The Column macros' ``width`` parameters as proportions: percentages as given, the others
    sharing what is left (Confluence sizes a column without a width to fit)."""
    known = [_percent(w) for w in widths]
    rest = max(10, 100 - sum(k for k in known if k is not None))
    unknown = sum(1 for k in known if k is None)
    return [k if k is not None else max(1, rest // max(unknown, 1)) for k in known]


def _percent(width: str) -> int | None:
    match = re.fullmatch(r"\s*(\d{1,3}(?:\.\d+)?)\s*%\s*", width)
    return max(1, round(float(match.group(1)))) if match else None
