"""Render the converter's Markdown dialect into Rich renderables for the page viewer.

Textual's own Markdown widget mounts one widget per block, which takes seconds on a 100 KB page;
this renderer turns the markdown-it token stream into plain Rich renderables (one per block) that
:class:`~workbench.tui.widgets.document.DocumentView` turns into lines, in a thread, chunk by chunk.

Dialect (docs/markdown-dialect.md): GFM, ``> [!NOTE]`` alerts, fenced code with a language,
``- [ ]`` tasks, ``page:SPACE/Title`` links, placeholders in ⟦…⟧ brackets and ``@Name`` mentions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Any

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.style import Style
from rich.table import Table
from rich.text import Text

from workbench.tui.images import image_block, lone_image
from workbench.tui.render_base import (  # noqa: F401 - render_lines re-exported
    ALERT,
    ALERT_COLOURS,
    EMOTICON,
    MENTION,
    LeftBar,
    Palette,
    RenderedDoc,
    emoji,
    first_text,
    matching,
    render_lines,
    replace_first_text,
    strip_trailing_blank,
)
from workbench.tui.render_fenced import FencedMixin
from workbench.tui.render_heads import code_head, container_kind
from workbench.tui.render_inline import inline_text
from workbench.tui.render_table import TablesMixin

TOC = re.compile(r"⟦toc(?:[ :][^⟧]*)?⟧")


def _parser():
    # lazy, for start-up: markdown_it, mdit_py_plugins.container loads on first use
    from markdown_it import MarkdownIt
    from mdit_py_plugins.container import container_plugin

    return (
        MarkdownIt("commonmark", {"html": True})
        .enable("table")
        .enable("strikethrough")
        .use(container_plugin, name="wb", validate=lambda *_: True)
    )


def render_markdown(
    markdown: str,
    palette: Palette | None = None,
    link_base: int = 0,
    names: dict[str, str] | None = None,
    images: Mapping[str, Any] | None = None,
    jira: Mapping[str, Any] | None = None,
) -> RenderedDoc:
    """Parse and turn Markdown into renderables; link indexes start at ``link_base``.

    ``names`` maps account ids to display names, so ``⟦@557058:ana⟧`` shows as ``⟦@Ana Lopez⟧``.
    ``images`` maps attachment names to decoded images (``workbench.tui.images.decode``): an image
    alone in its paragraph is drawn (``![alt](attachment:name)``); others are labelled chips.
    ``jira`` maps issue keys to :class:`~workbench.tui.jira_chips.JiraChip`: their macros show live.
    """
    markdown = EMOTICON.sub(lambda m: emoji(m.group(1)) or m.group(0), markdown)
    if jira:  # Jira macros drawn live (tui.jira_chips), as a macro's issue is known
        # lazy, for start-up: workbench.tui.jira_chips loads on first use
        from workbench.tui.jira_chips import with_live_jira

        markdown = with_live_jira(markdown, jira)
    if names:
        markdown = MENTION.sub(lambda m: f"⟦@{names.get(m.group(1), m.group(1))}⟧", markdown)
    doc = RenderedDoc(iter(()))
    builder = _Builder(palette or Palette(), doc, link_base, markdown)
    builder.images = images or {}
    tokens = _parser().parse(markdown)
    builder.headings = _headings(tokens)
    doc.blocks = builder.top_blocks(tokens)
    return doc


def _headings(tokens) -> list[tuple[int, str]]:
    """The page's headings for a table of contents: Markdown headings and ``::: html:h2`` ones (a
    heading holding a line break: listed by its first line, the line the viewer scrolls to)."""
    out = []
    for n, t in enumerate(tokens[:-1]):
        if t.type == "heading_open":
            out.append((int(t.tag[1]), tokens[n + 1].content))
        elif (
            t.type == "container_wb_open" and n + 2 < len(tokens) and tokens[n + 2].type == "inline"
        ):
            kind, name = container_kind(t.info)
            if kind == "heading":
                out.append((int(name[1]), tokens[n + 2].content.split("\n", 1)[0].rstrip("\\ ")))
    return out


DECISION = "⤷"  # Confluence marks a decision with an arrow turning off the line


class _Builder(FencedMixin, TablesMixin):
    def __init__(
        self, palette: Palette, doc: RenderedDoc, link_base: int, markdown: str = ""
    ) -> None:
        self.p, self.doc, self.link_base = palette, doc, link_base
        self.headings: list[tuple[int, str]] = []
        self.markdown = markdown
        self.images: Mapping[str, Any] = {}

    @cached_property
    def source(self) -> list[str]:  # type: ignore[override]
        """The Markdown's lines, as markdown-it numbers them (for reading table rows as written)."""
        return NEWLINES.split(self.markdown)

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
                out.append(self.code(tok.content, tok.info or ""))
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
            return self.heading(text, level)
        if kind == "paragraph":
            content = tokens[i + 1].content.strip()
            if TOC.fullmatch(content) and self.headings:
                return Group(self.toc(), Text(""))
            if content in ("\\", "⟦empty⟧"):  # an empty paragraph: an empty line, as on the page
                return Group(Text(""), Text(""))
            alone = lone_image(tokens[i + 1].children or [])
            if alone is not None:  # an image alone in its paragraph: drawn (tui.images)
                return Group(image_block(*alone, self.images, self.p.muted), Text(""))
            body = self.blocks(tokens, i + 1, close)
            if all(
                isinstance(b, Text) and not b.plain for b in body
            ):  # only invisible placeholders (anchors)
                return Group()
            return Group(*body, Text(""))
        if kind == "blockquote":
            return self.quote(tokens, i, close)
        if kind in ("bullet_list", "ordered_list"):
            return Group(self.list_(tokens, i, close), Text(""))
        if kind == "table":
            return Group(self.table(tokens, i, close), Text(""))
        if kind == "container_wb":
            return self.fenced(tokens, i, close)
        return Group(*self.blocks(tokens, i + 1, close))

    def heading(self, text: RenderableType, level: int) -> RenderableType:
        _stylize(
            text,
            Style(
                bold=True,
                color=self.p.primary if level <= 2 else None,
                underline=True if level == 1 else None,
            ),
        )
        return Padding(text, (0, 0, 1, 0)) if level == 1 else text

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
                heading = match.group(2) or alert_label(kind)
                title = Text(heading, style=Style(bold=True, color=colour))
                body = self.blocks(tokens, inner_start + 3, close) if not rest else []
                if rest:
                    sub = _parser().parseInline(rest)[0].children or []
                    body = [self.inline(sub), *self.blocks(tokens, inner_start + 3, close)]
                return Group(LeftBar(strip_trailing_blank(Group(*body)), colour, title), Text(""))
        inner = strip_trailing_blank(Group(*self.blocks(tokens, inner_start, close)))
        return Group(LeftBar(inner, colour), Text(""))

    def list_(self, tokens, i: int, close: int, decision: bool = False) -> RenderableType:
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
            marker = DECISION if decision else f"{number}." if ordered else "•"
            body = self.blocks(tokens, j + 1, end)
            marker_text = Text(marker, style=self.p.success if decision else self.p.accent)
            if body and isinstance(body[0], Group):
                body[0] = strip_trailing_blank(body[0])
            first = first_text(body)
            if first is not None and first.plain[:4] in ("[ ] ", "[x] ", "[X] "):
                done = first.plain[1] != " "
                marker_text = Text(
                    "☑" if done else "☐", style=self.p.success if done else self.p.accent
                )
                trimmed = first[4:]
                if done:
                    trimmed.stylize(f"strike {self.p.muted}")
                replace_first_text(body, first, trimmed)
            grid.add_row(marker_text, Group(*body))
            number += 1
            j = end + 1
        return grid

    def code(self, code: str, info: str) -> RenderableType:
        # lazy, for start-up: workbench.tui.render_code loads on first use
        from workbench.tui.render_code import CodeBlock

        head = code_head(info, self.p)
        block = CodeBlock(
            code,
            head.lexer,
            self.p.code_theme,
            self.p.muted,
            line_numbers=head.line_numbers,
            start_line=head.start_line,
        )
        return Group(head.title, LeftBar(block, self.p.muted), Text(""))

    # -- inline -------------------------------------------------------------------------------
    def inline(self, children) -> Text:
        return inline_text(children, self.p, self.doc.links, self.link_base)


NEWLINES = re.compile(r"\r\n?|\n")


def _stylize(item: RenderableType, style: Style) -> None:
    """Put ``style`` under every text of ``item`` (a text, or a group of them)."""
    if isinstance(item, Text):
        item.stylize_before(style)
    elif isinstance(item, Group):
        for inner in item.renderables:
            _stylize(inner, style)


def alert_label(kind: str) -> str:
    """What an alert without a title is labelled: the name Confluence gives the panel it is saved
    as (``[!WARNING]`` is a ``note`` panel: "Note"; ``[!CAUTION]`` a ``warning`` panel: "Warning";
    ``[!NOTE]`` an ``info`` panel: "Info"), as a person who made the panel in Confluence knows it.
    A kind the converter does not know keeps its own name."""
    # lazy, for start-up: workbench.convert.alerts (the one table) loads with the first alert
    from workbench.convert.alerts import ALERT_KINDS, panel_for

    return panel_for(kind).title() if kind.upper() in ALERT_KINDS else kind.title()
