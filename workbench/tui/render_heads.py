"""How the viewer reads the head lines of the dialect: ``::: head`` containers and code fence infos.

The Markdown keeps the dialect (``::: macro:section``, ```` ```java title="Main.java" ````); the viewer
reads it out in plain words, as Confluence would show the construct (docs/markdown-dialect.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from workbench.tui.render_base import Palette

HEAD_PARAM = re.compile(r'([\w:.-]+)=("(?:[^"\\]|\\.)*"|\S+)|("(?:[^"\\]|\\.)*")')
PANEL_TYPES = {
    "note": "primary",
    "info": "primary",
    "tip": "success",
    "success": "success",
    "warning": "warning",
    "error": "error",
    "custom": "accent",
}
PREFIXES = ("macro:", "html:", "adf:", "ac:")

# Containers that only group blocks: shown as their content, as Confluence shows them.
TRANSPARENT = {
    "layout",
    "section",
    "layout-cell",
    "cell",
    "row",
    "excerpt",
    "column",
    "section-cell",
    "div",
}
# ``ac:`` elements holding blocks outside their usual place: their content is the page's content.
AC_TRANSPARENT = {
    "ac:rich-text-body",
    "ac:adf-content",
    "ac:layout",
    "ac:layout-section",
    "ac:layout-cell",
}
# HTML elements holding blocks (``::: html:div``) that a browser draws as nothing but their content.
HTML_KINDS = {f"h{n}": "heading" for n in range(1, 7)} | {
    "details": "details",
    "blockquote": "quote",
}


def parse_head(head: str) -> tuple[str, dict[str, str]]:
    """``expand title="Why?"`` → ("expand", {"title": "Why?"}); a bare ``"value"`` is key ``""``."""
    name, _, rest = head.strip().partition(" ")
    params: dict[str, str] = {}
    for match in HEAD_PARAM.finditer(rest):
        key, value = (match.group(1), match.group(2)) if match.group(1) else ("", match.group(3))
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        params.setdefault(key, value)
    return name, params


def container_kind(head: str) -> tuple[str, str]:
    """What a ``::: head`` container is, for drawing: ``(kind, name)``.

    Kinds: ``columns`` (a layout section, or the Section macro with its Column macros), ``transparent``
    (its blocks as they are), ``table`` (a fenced table), ``heading`` (an HTML heading holding a line
    break; ``name`` is ``h1``…``h6``), ``details`` (HTML ``<details>``), ``quote``, ``decisions`` (an ADF
    decision list) and ``bar`` (a titled bar: macros, ADF panels, other elements).
    """
    name = head.strip().split(" ", 1)[0].lower()
    if name.startswith("macro:"):  # a macro named like a dialect word: the macro, never the dialect
        macro = name[6:]
        return ("columns", macro) if macro == "section" else ("bar", macro)
    if name.startswith("html:"):
        element = name[5:]
        return HTML_KINDS.get(element, "transparent"), element
    if name == "adf:decision-list":
        return "decisions", name
    if name in AC_TRANSPARENT:
        return "transparent", name
    if name in ("section", "layout-section"):
        return "columns", name
    if name in TRANSPARENT:
        return "transparent", name
    if name == "table":
        return "table", name
    return "bar", name


def container_heading(head: str, p: Palette) -> tuple[Text | None, str]:
    """How a ``::: head`` container's first line reads in the viewer, and its bar colour.

    An expand shows ``▸ title``; a panel its title; an ADF panel its type; any other macro its name
    and parameters in plain words (the Markdown keeps the dialect; only the viewer reads it out).
    """
    name, params = parse_head(head)
    low = name.lower()
    if low.startswith("macro:"):  # ``macro:table`` is the macro named ``table``
        low = name = name[6:]
    title = params.get("title", "")
    if low in ("expand", "ui-expand"):
        return Text(
            f"▸ {title or 'Click here to expand…'}", style=Style(color=p.primary, bold=True)
        ), p.primary
    if low in ("panel", "ui-panel"):
        return (Text(title, style=Style(bold=True)) if title else None), p.primary
    if low == "adf:panel":
        kind = params.get("panel-type", "note").lower()
        colour = p.get(PANEL_TYPES.get(kind, "primary"))
        return Text(title or kind.title(), style=Style(color=colour, bold=True)), colour
    if low in ("details", "page-properties"):
        return Text("Page properties", style=Style(color=p.muted, bold=True)), p.muted
    if low in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return None, p.primary
    words = [words_of(name)]
    words += [
        f"{k}: {v}" if k else v
        for k, v in params.items()
        if k.lower() not in ("bgcolor", "bordercolor")
    ]
    return Text(" · ".join(w for w in words if w), style=Style(color=p.muted, italic=True)), p.muted


def words_of(name: str) -> str:
    """``adf:decision-list`` → ``decision list``; ``ac:rich-text-body`` → ``rich text body``."""
    for prefix in PREFIXES:
        if name.lower().startswith(prefix):
            name = name[len(prefix) :]
            break
    return name.replace("-", " ")


@dataclass(frozen=True, slots=True)
class CodeHead:
    """A code fence's info string read out: the lexer, the title line, and line numbering."""

    lexer: str
    title: Text
    line_numbers: bool = False
    start_line: int = 1


def code_head(info: str, p: Palette) -> CodeHead:
    """```` ```java title="Main.java" linenumbers="true" firstline="10" collapse="true" ```` → the
    lexer ``java``, the title line `` java  Main.java · collapsed`` and lines numbered from 10.

    ``noformat`` and ``macro:name`` (a macro with a plain-text body) are shown as plain text under
    their name; a pandoc-style info (``{.sourceCode .python}``) gives the language of its class.
    """
    info = info.strip()
    if info.startswith("{") and info.endswith("}"):
        words = info[1:-1].split()
        classes = [w[1:] for w in words if w.startswith(".") and w != ".sourceCode"]
        info = " ".join(classes[:1] + [w for w in words if "=" in w])
    first = info.split(" ", 1)[0]
    if not first or "=" in first or first.startswith('"'):
        language, params = "", parse_head("_ " + info)[1]
    else:
        language, params = parse_head(info)
    lexer = language
    if language.lower() == "noformat" or language.lower().startswith("macro:"):
        lexer = "text"
        language = words_of(language)
    numbered = params.get("linenumbers", "").lower() == "true"
    try:
        start = int(params.get("firstline", "1") or 1)
    except ValueError:
        start = 1
    label = f" {language or 'code'} "
    chip_style = f"bold reverse {p.muted}"
    shown = [
        k
        for k in params
        if k.lower() != "linenumbers" and not (k.lower() == "firstline" and numbered)
    ]
    if not shown:  # the language alone: the chip as it always was
        return CodeHead(lexer or "text", Text(label, style=chip_style), numbered, max(start, 0))
    title = Text()
    title.append(label, chip_style)
    if params.get("title"):
        title.append(" ")
        title.append(params["title"], Style(bold=True))
    words = []
    for key, value in params.items():
        low = key.lower()
        if low in ("title", "linenumbers") or (
            low == "firstline" and numbered
        ):  # drawn, not spelled out
            continue
        if low == "collapse":
            words.append("collapsed" if value.lower() == "true" else "")
        elif low == "firstline":
            words.append(f"first line {value}")
        else:
            words.append(f"{key}: {value}" if key else value)
    words = [w for w in words if w]
    if words:
        title.append(" · " if params.get("title") else " ", Style(color=p.muted))
        title.append(" · ".join(words), Style(color=p.muted, italic=True))
    return CodeHead(lexer or "text", title, numbered, max(start, 0))
