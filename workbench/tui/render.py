"""Render the converter's Markdown dialect into Rich renderables for the page viewer.

Textual's own Markdown widget mounts one widget per block, which takes seconds on a 100 KB page;
this renderer turns the markdown-it token stream into plain Rich renderables (one per block) that
:class:`~workbench.tui.widgets.document.DocumentView` turns into lines, in a thread, chunk by chunk.

Dialect (docs/markdown-dialect.md): GFM, ``> [!NOTE]`` alerts, fenced code with a language,
``- [ ]`` tasks, ``page:SPACE/Title`` links, placeholders in ⟦…⟧ brackets and ``@Name`` mentions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.style import Style
from rich.table import Table
from rich.text import Text

from workbench.tui.render_base import (  # noqa: F401 - Palette, render_lines re-exported
    ALERT,
    SECTION_RATIOS,
    Columns,
    PLACEHOLDER,
    ALERT_COLOURS,
    EMOTICON,
    EMOTICONS,
    MENTION,
    TRANSPARENT,
    LeftBar,
    Palette,
    RenderedDoc,
    append_with_chips,
    container_heading,
    first_text,
    matching,
    parse_head,
    render_lines,
    replace_first_text,
    strip_trailing_blank,
    style_chips,
)


TOC = re.compile(r"⟦toc(?:[ :][^⟧]*)?⟧")


def _parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.container import container_plugin

    return (
        MarkdownIt("commonmark", {"html": True})
        .enable("table")
        .enable("strikethrough")
        .use(container_plugin, name="wb", validate=lambda *_: True)
    )


def render_markdown(markdown: str, palette: Palette | None = None, link_base: int = 0,
                    names: dict[str, str] | None = None) -> RenderedDoc:
    """Parse and turn Markdown into renderables; link indexes start at ``link_base``.

    ``names`` maps account ids to display names, so ``⟦@557058:ana⟧`` shows as ``⟦@Ana Lopez⟧``.
    """
    markdown = EMOTICON.sub(lambda m: EMOTICONS.get(m.group(1), m.group(0)), markdown)
    if names:
        markdown = MENTION.sub(lambda m: f"⟦@{names.get(m.group(1), m.group(1))}⟧", markdown)
    doc = RenderedDoc(iter(()))
    builder = _Builder(palette or Palette(), doc, link_base)
    tokens = _parser().parse(markdown)
    builder.headings = [(int(t.tag[1]), tokens[n + 1].content) for n, t in enumerate(tokens)
                        if t.type == "heading_open" and n + 1 < len(tokens)]
    doc.blocks = builder.top_blocks(tokens)
    return doc


class _Builder:
    def __init__(self, palette: Palette, doc: RenderedDoc, link_base: int) -> None:
        self.p, self.doc, self.link_base = palette, doc, link_base
        self.headings: list[tuple[int, str]] = []

    # -- blocks -------------------------------------------------------------------------------
    def top_blocks(self, tokens) -> Iterator[RenderableType]:
        """Top-level blocks one by one, so the first screen renders before the rest is built."""
        i = 0
        while i < len(tokens):
            end = matching(tokens, i) if tokens[i].nesting == 1 else i
            yield from self.blocks(tokens, i, end + 1)
            i = end + 1

    def blocks(self, tokens, start: int, end: int) -> list[RenderableType]:
        out: list[RenderableType] = []
        i = start
        while i < end:
            tok = tokens[i]
            if tok.nesting == 1:
                close = matching(tokens, i)
                out.append(self.container(tokens, i, close))
                i = close + 1
                continue
            if tok.type == "inline":
                out.append(self.inline(tok.children or []))
            elif tok.type in ("fence", "code_block"):
                out.append(self.code(tok.content, (tok.info or "").split(" ")[0]))
            elif tok.type == "hr":
                out.append(Rule(style=self.p.muted))
            elif tok.type == "html_block":
                out.append(Text(tok.content.rstrip("\n"), style=f"dim {self.p.muted}"))
            i += 1
        return out

    def container(self, tokens, i: int, close: int) -> RenderableType:
        tok = tokens[i]
        kind = tok.type.removesuffix("_open")
        if kind == "heading":
            level = int(tok.tag[1])
            text = self.inline(tokens[i + 1].children or [])
            text.stylize(Style(bold=True, color=self.p.primary if level <= 2 else None))
            if level == 1:
                text.stylize("underline")
                return Padding(text, (0, 0, 1, 0))
            return text
        if kind == "paragraph":
            if TOC.fullmatch(tokens[i + 1].content.strip()) and self.headings:
                return Group(self.toc(), Text(""))
            return Group(*self.blocks(tokens, i + 1, close), Text(""))
        if kind == "blockquote":
            return self.quote(tokens, i, close)
        if kind in ("bullet_list", "ordered_list"):
            return Group(self.list_(tokens, i, close), Text(""))
        if kind == "table":
            return Group(self.table(tokens, i, close), Text(""))
        if kind == "container_wb":
            return self.fenced(tokens, i, close)
        return Group(*self.blocks(tokens, i + 1, close))

    def fenced(self, tokens, i: int, close: int) -> RenderableType:
        """A ``::: head`` container: layouts are transparent, tables become grids, others a titled bar."""
        head = tokens[i].info.strip()
        name = head.split(" ", 1)[0].lower()
        if name in ("section", "layout-section"):
            cells = self.cells(tokens, i, close)
            if len(cells) > 1:
                kind = head.split(" ", 2)[1] if " " in head else ""
                return Columns(cells, SECTION_RATIOS.get(kind, [1] * len(cells)), self.p.muted)
        if name in TRANSPARENT:
            return Group(*self.blocks(tokens, i + 1, close))
        if name == "table":
            return Group(self.container_table(tokens, i, close), Text(""))
        title, colour = container_heading(head, self.p)
        inner = strip_trailing_blank(Group(*self.blocks(tokens, i + 1, close)))
        return Group(LeftBar(inner, colour, title), Text(""))

    def cells(self, tokens, i: int, close: int) -> list[RenderableType]:
        """The rendered ``::: cell`` children of a layout section (each one a column)."""
        out = []
        j = i + 1
        while j < close:
            end = matching(tokens, j) if tokens[j].nesting == 1 else j
            if tokens[j].type == "container_wb_open" and tokens[j].info.strip().split(" ", 1)[0].lower() in (
                    "cell", "layout-cell"):
                out.append(strip_trailing_blank(Group(*self.blocks(tokens, j + 1, end))))
            j = end + 1
        return out

    def toc(self) -> RenderableType:
        """A ``⟦toc⟧`` macro: the page's headings, indented by level, as Confluence draws it."""
        top = min(level for level, _ in self.headings)
        lines = [Text("Contents", style=Style(color=self.p.muted, bold=True))]
        for level, title in self.headings:
            plain = PLACEHOLDER.sub("", title).replace("**", "").replace("`", "").strip()
            index = self.link_base + len(self.doc.links)
            self.doc.links.append((plain, f"#{plain}"))  # g lists it; enter or a click scrolls there
            entry = Text("  " * (level - top) + "• ")
            entry.append(plain, Style(color=self.p.primary, meta={"@click": f"screen.follow_link({index})"}))
            lines.append(entry)
        return LeftBar(Group(*lines), self.p.muted)

    def container_table(self, tokens, i: int, close: int) -> RenderableType:
        """A ``::: table`` (merged cells): spans keep the columns aligned, the merged area left empty."""
        table = Table(box=box.ROUNDED, border_style=self.p.muted, show_header=False, show_lines=True)
        rows: list[list[RenderableType]] = []
        below: dict[int, int] = {}  # column → rows still covered by a rowspan from above
        header_row: list[bool] = []
        j = i + 1
        while j < close:
            tok = tokens[j]
            if tok.type == "container_wb_open":
                end = matching(tokens, j)
                name, params = parse_head(tok.info)
                name = name.lower()
                if name == "tr":
                    rows.append([])
                    header_row.append(True)
                    j += 1
                    continue
                if name in ("td", "th") and rows:
                    row = rows[-1]
                    self._skip_spanned(row, below)
                    cell = strip_trailing_blank(Group(*self.blocks(tokens, j + 1, end)))
                    if name == "th":
                        cell = Group(*[Text(r.plain, style=f"bold {self.p.primary}") if isinstance(r, Text) else r
                                       for r in cell.renderables])
                    else:
                        header_row[-1] = False
                    span, down = _int(params.get("colspan")), _int(params.get("rowspan"))
                    for extra in range(span):
                        if down > 1:
                            below[len(row)] = down - 1
                        row.append(cell if extra == 0 else "")
                    j = end + 1
                    continue
            if tok.type == "container_wb_close" and rows:
                self._skip_spanned(rows[-1], below)
            j += 1
        width = max((len(r) for r in rows), default=0)
        for _ in range(width):
            table.add_column()
        for row in rows:
            table.add_row(*row, *([""] * (width - len(row))))
        return table

    @staticmethod
    def _skip_spanned(row: list, below: dict[int, int]) -> None:
        """Leave the columns a rowspan from above covers empty in this row."""
        while below.get(len(row), 0) > 0:
            below[len(row)] -= 1
            row.append("")

    def quote(self, tokens, i: int, close: int) -> RenderableType:
        inner_start = i + 1
        title = None
        colour = self.p.muted
        if tokens[inner_start].type == "paragraph_open":
            first = tokens[inner_start + 1]
            line, _, rest = first.content.partition("\n")
            match = ALERT.match(line)
            if match:
                kind = match.group(1).upper()
                colour = self.p.get(ALERT_COLOURS.get(kind, "primary"))
                heading = match.group(2) or kind.title()
                title = Text(heading, style=Style(bold=True, color=colour))
                body = self.blocks(tokens, inner_start + 3, close) if not rest else []
                if rest:
                    sub = _parser().parseInline(rest)[0].children or []
                    body = [self.inline(sub), *self.blocks(tokens, inner_start + 3, close)]
                return Group(LeftBar(strip_trailing_blank(Group(*body)), colour, title), Text(""))
        inner = strip_trailing_blank(Group(*self.blocks(tokens, inner_start, close)))
        return Group(LeftBar(inner, colour), Text(""))

    def list_(self, tokens, i: int, close: int) -> RenderableType:
        ordered = tokens[i].type == "ordered_list_open"
        number = int(tokens[i].attrs.get("start", 1) or 1) if ordered else 0
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        j = i + 1
        while j < close:
            if tokens[j].type != "list_item_open":
                j += 1
                continue
            end = matching(tokens, j)
            marker = f"{number}." if ordered else "•"
            body = self.blocks(tokens, j + 1, end)
            marker_text = Text(marker, style=self.p.accent)
            if body and isinstance(body[0], Group):
                body[0] = strip_trailing_blank(body[0])
            first = first_text(body)
            if first is not None and first.plain[:4] in ("[ ] ", "[x] ", "[X] "):
                done = first.plain[1] != " "
                marker_text = Text("☑" if done else "☐", style=self.p.success if done else self.p.accent)
                trimmed = first[4:]
                if done:
                    trimmed.stylize(f"strike {self.p.muted}")
                replace_first_text(body, first, trimmed)
            grid.add_row(marker_text, Group(*body))
            number += 1
            j = end + 1
        return grid

    def table(self, tokens, i: int, close: int) -> RenderableType:
        table = Table(box=box.ROUNDED, border_style=self.p.muted, header_style=f"bold {self.p.primary}",
                      show_lines=False, expand=False)
        rows: list[list[Text]] = []
        in_head = False
        j = i + 1
        while j < close:
            t = tokens[j]
            if t.type == "thead_open":
                in_head = True
            elif t.type == "thead_close":
                in_head = False
            elif t.type == "tr_open":
                rows.append([])
            elif t.type == "inline":
                rows[-1].append(self.inline(t.children or []))
            elif t.type == "tr_close" and in_head:
                for cell in rows.pop():
                    table.add_column(cell)
            j += 1
        for row in rows:
            table.add_row(*row)
        return table

    def code(self, code: str, language: str) -> RenderableType:
        from rich.syntax import Syntax

        syntax = Syntax(code.rstrip("\n"), language or "text", theme=self.p.code_theme,
                        word_wrap=True, background_color="default", padding=(0, 1))
        label = Text(f" {language or 'code'} ", style=f"bold reverse {self.p.muted}")
        return Group(label, LeftBar(syntax, self.p.muted), Text(""))

    # -- inline -------------------------------------------------------------------------------
    def inline(self, children) -> Text:
        text = Text()
        styles: list[Style] = []
        link_start: list[tuple[int, str]] = []

        def current() -> Style:
            return Style.combine(styles) if styles else Style()

        for tok in children:
            t = tok.type
            if t == "text":
                append_with_chips(text, tok.content, current(), self.p)
            elif t == "code_inline":
                text.append(tok.content, current() + Style(color=self.p.accent, bold=True))
            elif t in ("softbreak",):
                text.append(" ")
            elif t == "hardbreak":
                text.append("\n")
            elif t == "strong_open":
                styles.append(Style(bold=True))
            elif t == "em_open":
                styles.append(Style(italic=True))
            elif t == "s_open":
                styles.append(Style(strike=True))
            elif t in ("strong_close", "em_close", "s_close", "link_close") and styles:
                styles.pop()
                if t == "link_close" and link_start:
                    start, href = link_start.pop()
                    self.doc.links.append((text.plain[start:], href))
            elif t == "link_open":
                href = str(tok.attrs.get("href", ""))
                index = self.link_base + len(self.doc.links)
                colour = self.p.primary if href.startswith(("page:", "pageid:", "#")) else self.p.accent
                styles.append(Style(color=colour, underline=True,
                                    meta={"@click": f"screen.follow_link({index})"}))
                link_start.append((len(text), href))
            elif t == "image":
                text.append(f"🖼 {tok.content or tok.attrs.get('src', '')}", current() + Style(color=self.p.muted))
            elif t == "html_inline":
                text.append(tok.content, current() + Style(dim=True))
        style_chips(text, self.p)
        return text


def _int(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1
