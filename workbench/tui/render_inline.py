"""Inline Markdown in the viewer: markdown-it's inline tokens of one paragraph (or table cell) as
one Rich ``Text``: emphasis, code, links (clickable, numbered for ``g``), image labels, ⟦…⟧ chips."""

from __future__ import annotations

import re
from typing import Any

from rich.style import Style
from rich.text import Text

from workbench.tui.images import image_label
from workbench.tui.render_base import Palette, append_with_chips, style_chips

INTERNAL = (
    "page:",
    "pageid:",
    "blogid:",
    "blog:",
    "space:",
    "attachment:",
    "#",
    "jira:",
)  # links inside the site (and its Jira: a live macro, an issue's link)
BR = re.compile(r"<br\s*/?>", re.I)


def inline_text(children: Any, p: Palette, links: list[tuple[str, str]], link_base: int) -> Text:
    """A paragraph's inline tokens as one styled text; each link is appended to ``links`` and
    clicks as ``screen.follow_link(link_base + its place there)``."""
    text = Text()
    styles: list[Style] = []
    link_start: list[tuple[int, str]] = []

    def current() -> Style:
        return Style.combine(styles) if styles else Style()

    for tok in children:
        t = tok.type
        if t == "text":
            append_with_chips(text, tok.content, current(), p)
        elif t == "code_inline":
            text.append(tok.content, current() + Style(color=p.accent, bold=True))
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
                links.append((text.plain[start:], href))
        elif t == "link_open":
            href = str(tok.attrs.get("href", ""))
            index = link_base + len(links)
            colour = p.primary if href.startswith(INTERNAL) else p.accent
            styles.append(
                Style(
                    color=colour,
                    underline=True,
                    meta={"@click": f"screen.follow_link({index})"},
                )
            )
            link_start.append((len(text), href))
        elif t == "image":
            src = str(tok.attrs.get("src", ""))
            label = image_label(tok.content or "", src)
            text.append(label, current() + Style(color=p.muted))
        elif t == "html_inline":
            if BR.fullmatch(tok.content.strip()):  # a line break in a table cell
                text.append("\n")
            else:
                text.append(tok.content, current() + Style(dim=True))
    style_chips(text, p)
    return text
