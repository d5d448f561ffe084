"""Code blocks: ``code``/``noformat`` macros, macros with a plain-text body, ``<pre>`` and
``<pre><code class="language-x">``, shown as fenced code and merged back by splicing.

The Markdown shows code with ``\\n`` line ends; a body whose source uses ``\\r\\n`` gets them back on
edit. A changed body is spliced into the CDATA section (or plain text) that held the change, so a body
made of several CDATA sections keeps them; a changed info string edits the shown parameters in place.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from workbench.convert.blocks import CodeUnit
from workbench.convert.heads import (
    Edit,
    apply_edits,
    attr_edit,
    keyed_edits,
    param_text,
)
from workbench.convert.mdsplit import fence_parts
from workbench.convert.tokens import Node, text_of, xml_escape, xml_text

if TYPE_CHECKING:
    from workbench.convert.blocks import CodeUnit

CODE_MACROS = {"code", "noformat"}
# presentation parameters of the code macro: kept in the source, never shown
CODE_HIDDEN = frozenset({"theme", "breakoutMode", "breakoutWidth", "layout", "width", "local-id"})
_LANG_CLASS = re.compile(r"(?:^|\s)(?:language|lang)-(\S+)")


def macro_unit(
    src: str, node: Node, name: str, params: list[tuple[str, str]], plain: Node | None
) -> CodeUnit:
    info = code_info(name, params)
    text = text_of(src, plain) if plain is not None else ""
    cdata = plain is None or any(c.kind == "cdata" for c in plain.children) or not plain.children
    unit = CodeUnit(node.start, node.end, info, text, plain, cdata)
    unit.macro = node
    return unit


def pre_unit(src: str, node: Node) -> CodeUnit | None:
    """``<pre>text</pre>`` or ``<pre><code …>text</code></pre>``; None for other ``<pre>`` content."""
    kids = node.children
    if kids and all(c.kind in ("text", "cdata") for c in kids):
        return CodeUnit(node.start, node.end, "", text_of(src, node), node, False)
    if len(kids) == 1 and kids[0].kind == "el" and kids[0].name == "code" and kids[0].closed:
        code = kids[0]
        if all(c.kind in ("text", "cdata") for c in code.children) and not code.selfclosing:
            m = _LANG_CLASS.search(code.attrs.get("class", ""))
            info = m.group(1) if m and "`" not in m.group(1) else ""
            unit = CodeUnit(node.start, node.end, info, text_of(src, code), code, False)
            unit.code_el = code
            return unit
    return None


def code_info(name: str, params: list[tuple[str, str]]) -> str:
    """The fence info: language first, then the parameters a reader cares about (title, line numbers).

    Presentation parameters (breakout width, theme …) and ``collapse``/``linenumbers`` when ``false`` are
    not shown; they stay in the source. Any other parameter is shown (``hl_lines="3 6"`` typed on a
    fence stays visible).
    """
    lang = ""
    rest = []
    for k, v in params:
        if k == "language" and name == "code":
            if _shows_language(v):
                lang = v
        elif _shown(k, v) or name != "code":
            rest.append((k, v))
    if name == "noformat":
        lang = "noformat"
    elif name != "code":
        lang = f"macro:{name}"
    return (lang + param_text(rest)).strip()


def _shown(k: str, v: str) -> bool:
    return (
        k != "language"
        and k not in CODE_HIDDEN
        and not (k in ("collapse", "linenumbers") and v == "false")
    )


def _shows_language(v: str) -> bool:
    return bool(v) and " " not in v and "=" not in v


def merge_code(unit: CodeUnit, kind: str, text: str, src: str) -> str | None:
    """Storage for a code block given its new fence; None when it must be rendered fresh."""
    if kind != "fence" or unit.body is None:
        return None
    info, code = fence_parts(text)
    edits: list[Edit] = []
    if info != unit.info:
        head = _info_edits(unit, info, src)
        if head is None:
            return None
        edits.extend(head)
    if code != unit.shown:
        if unit.trailing_newline:
            code += "\n"
        if unit.crlf:
            code = code.replace("\n", "\r\n")
        edits.extend(_body_edits(unit, code, src))
    return apply_edits(src, unit.start, unit.end, edits)


def _cdata_escape(text: str) -> str:
    return xml_text(text).replace("]]>", "]]]]><![CDATA[>")


def _body_edits(unit: CodeUnit, new: str, src: str) -> list[Edit]:
    """Splice the changed middle of the body into the one CDATA section or plain text run holding it."""
    body = unit.body
    assert body is not None
    old = unit.text
    p = 0
    limit = min(len(old), len(new))
    while p < limit and old[p] == new[p]:
        p += 1
    s = 0
    while s < limit - p and old[-1 - s] == new[-1 - s]:
        s += 1
    a, b, middle = p, len(old) - s, new[p : len(new) - s]
    pos = 0
    for c in body.children:
        if c.kind == "cdata":
            closed = src.endswith("]]>", 0, c.end) and c.end - c.start >= 12
            raw_start, raw_end = c.start + 9, c.end - 3 if closed else c.end
            length = raw_end - raw_start
            if pos <= a and b <= pos + length:
                piece = src[raw_start:raw_end]
                new_piece = piece[: a - pos] + middle + piece[b - pos :]
                return [(raw_start, raw_end, _cdata_escape(new_piece))]
        elif c.kind == "text":
            raw = src[c.start : c.end]
            length = len(text_of(src, c))
            if "&" not in raw and pos <= a and b <= pos + length:
                return [(c.start + a - pos, c.start + b - pos, xml_escape(middle))]
        else:
            break
        pos += length
    whole = ("<![CDATA[" + _cdata_escape(new) + "]]>") if unit.cdata else xml_escape(new)
    return [(body.open_end, body.close_start, whole)]


def _info_edits(unit: CodeUnit, info: str, src: str) -> list[Edit] | None:
    """A new fence info: the shown parameters edited in place, the tag and hidden ones kept."""
    # lazy, for start-up: workbench.convert.fresh loads on first use
    from workbench.convert.fresh import parse_args

    words, pairs = parse_args(info)
    lang = words[0] if words else ""
    if len(words) > 1:
        return None
    if unit.macro is None:
        return _pre_info_edits(unit, lang, pairs, src)
    macro = unit.macro
    name = macro.attrs.get("ac:name", "")
    old_words, _ = parse_args(unit.info)
    old_lang = old_words[0] if old_words else ""
    if name != "code":
        if lang != old_lang:
            return None
        return keyed_edits(src, macro, "ac:parameter", "ac:name", pairs, lambda _k, _v: True)
    if lang == "noformat" or lang.startswith("macro:"):
        return None
    wanted = ([("language", lang)] if lang else []) + pairs

    def shown(k: str, v: str) -> bool:
        return _shows_language(v) if k == "language" else _shown(k, v)

    return keyed_edits(src, macro, "ac:parameter", "ac:name", wanted, shown)


def _pre_info_edits(
    unit: CodeUnit, lang: str, pairs: list[tuple[str, str]], src: str
) -> list[Edit] | None:
    code = unit.code_el
    if code is None or pairs or "`" in lang:
        return None
    classes = code.attrs.get("class", "")
    m = _LANG_CLASS.search(classes)
    if m:
        if lang:
            new = classes[: m.start(1)] + lang + classes[m.end(1) :]
        else:
            new = (classes[: m.start()] + classes[m.end() :]).strip()
    else:
        new = (classes + " " if classes else "") + f"language-{lang}"
    return attr_edit(src, code, "class", new or None)
