"""Markdown → storage for Markdown that has no source yet (a new page, or a block a person added).

Blocks are split by our own splitter (so containers, alerts, task lists and fences get their real
constructs); inline content goes through mistune with a storage renderer. Inside a page that has a base,
placeholders and links copied from elsewhere on the page are restored from the base's source.
"""

from __future__ import annotations

import re

from workbench.convert.alerts import DEFAULT_PANEL, panel_for
from workbench.convert.constructs import known_placeholder, macro_param
from workbench.convert.mdinline import PLACEHOLDER_RE, render_inline
from workbench.convert.mdsplit import (
    div_parts,
    fence_parts,
    heading_parts,
    item_parts,
    quote_body,
    split_blocks,
    split_items,
)
from workbench.convert.tokens import attr_escape, xml_escape, xml_text

_MACRO_NAME_RE = re.compile(r"^[A-Za-z0-9_-]+$")
_ARG_RE = re.compile(r'([\w.-]+)=("(?:\\.|[^"\\])*"|\S+)|"((?:\\.|[^"\\])*)"|(\S+)')


class Ctx:
    """What fresh rendering may restore from: the base source and its registry of constructs."""

    def __init__(
        self, src: str = "", registry: dict | None = None, users: dict[str, str] | None = None
    ) -> None:
        self.src = src
        self.registry = registry or {}
        self.users = users
        self.by_name = {name: account for account, name in (users or {}).items()}
        self.anchor = 0
        self.refs: dict = {}  # link reference definitions of the document (``[ref]: url``)
        self.used: set[tuple[str, int]] = set()
        ids = (
            [int(x) for x in re.findall(r"<ac:task-id>\s*(\d+)\s*</ac:task-id>", src)]
            if src
            else []
        )
        self.task_id = max(ids, default=0)

    def next_task_id(self) -> int:
        self.task_id += 1
        return self.task_id

    def lookup(self, md: str) -> tuple[str, bool] | None:
        """The source of a construct shown as ``md`` nearest to the current anchor (each used once first)."""
        entries = self.registry.get(md)
        if not entries:
            return None
        best = min(entries, key=lambda e: ((md, e[0]) in self.used, abs(e[0] - self.anchor)))
        self.used.add((md, best[0]))
        return best[1], best[2]


# -- inline ---------------------------------------------------------------------------------------
# -- blocks ---------------------------------------------------------------------------------------
def render_flow(md: str, ctx: Ctx, loose: bool = False) -> str:
    blocks = split_blocks(md)
    if (
        loose
        and blocks
        and blocks[0].kind == "para"
        and all(b.kind in ("list", "tasklist") for b in blocks[1:])
    ):
        first = render_block(blocks[0].kind, blocks[0].text, ctx, loose=True)
        return first + "".join(render_block(b.kind, b.text, ctx) for b in blocks[1:])
    if any(b.kind == "html" for b in blocks):
        return _render_with_html(blocks, ctx)
    return "".join(render_block(b.kind, b.text, ctx) for b in blocks)


def _render_with_html(blocks: list, ctx: Ctx) -> str:
    """Blocks where an HTML block opens a container (``<details>``, ``<div align="center">``) that a
    later HTML block closes: the Markdown between is the container's body."""
    # lazy, for start-up: workbench.convert.htmlin loads on first use
    from workbench.convert.htmlin import closes, open_containers, render_html_block

    out, i = [], 0
    while i < len(blocks):
        b = blocks[i]
        opened = open_containers(b.text) if b.kind == "html" else []
        end = None
        if opened:
            depth = 0
            for j in range(i + 1, len(blocks)):
                if blocks[j].kind != "html":
                    continue
                depth += len(open_containers(blocks[j].text))
                if closes(blocks[j].text, opened[-1]):
                    if depth == 0:
                        end = j
                        break
                    depth -= 1
        if end is None:
            out.append(render_block(b.kind, b.text, ctx))
            i += 1
            continue
        body = _render_with_html(blocks[i + 1 : end], ctx)
        out.append(render_html_block(b.text, body))
        rest = blocks[end].text.split(">", 1)[1] if ">" in blocks[end].text else ""
        if rest.strip():
            out.append(render_block("html", rest, ctx))
        i = end + 1
    return "".join(out)


def render_block(kind: str, text: str, ctx: Ctx, loose: bool = False) -> str:
    if kind == "para":
        whole = text.strip()
        if whole == "\\":  # a paragraph holding only a line break
            return "<br />" if loose else "<p><br /></p>"
        m = PLACEHOLDER_RE.fullmatch(whole)
        if m:
            if whole == "⟦empty⟧":
                return "" if loose else "<p />"
            found = ctx.lookup(whole)
            if found is not None and found[1]:
                return found[0]
            known = known_placeholder(m.group(1), ctx)
            if known is not None and known[1]:
                return known[0]
        inner = render_inline(text, ctx)
        return inner if loose else f"<p>{inner}</p>"
    if kind == "heading":
        level, content = heading_parts(text)
        return f"<h{level}>{render_inline(content, ctx)}</h{level}>"
    if kind == "hr":
        return "<hr />"
    if kind == "html":
        # lazy, for start-up: workbench.convert.htmlin loads on first use
        from workbench.convert.htmlin import render_html_block

        return render_html_block(text)
    if kind == "icode":
        return code_macro(
            "",
            "\n".join(
                line[4:] if line.startswith("    ") else line[1:] for line in text.split("\n")
            ),
        )
    if kind == "fence":
        info, code = fence_parts(text)
        return code_macro(info, code)
    if kind == "div":
        parts = div_parts(text)
        if parts is not None:
            return render_div(parts[1], parts[2], ctx)
    if kind == "alert":
        head, body = quote_body(text)
        m = re.match(r"\[!([A-Za-z]+)\]\s*(.*)$", head)
        name = panel_for(m.group(1)) if m else DEFAULT_PANEL
        title = m.group(2).strip() if m else ""
        params = macro_param("title", title) if title else ""
        return rich_macro(name, params, render_flow(body, ctx))
    if kind == "quote":
        head, body = quote_body(text)
        return f"<blockquote>{render_flow(head + chr(10) + body, ctx)}</blockquote>"
    if kind in ("list", "tasklist"):
        return render_list(kind, text, ctx)
    if kind == "table":
        # lazy, for start-up: workbench.convert.mdtables loads on first use
        from workbench.convert.mdtables import render_table

        rendered = render_table(text, ctx)
        if rendered is not None:
            return rendered
    inner = render_inline(text, ctx)
    return inner if loose else f"<p>{inner}</p>"


def parse_args(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Bare words and ``key="value"`` pairs of a container head or fence info (``"x"`` is the default)."""
    words: list[str] = []
    pairs: list[tuple[str, str]] = []
    for m in _ARG_RE.finditer(text):
        if m.group(1):
            value = m.group(2)
            if value.startswith('"'):
                value = re.sub(r"\\(.)", r"\1", value[1:-1])
            pairs.append((m.group(1), value))
        elif m.group(3) is not None:
            pairs.append(("", re.sub(r"\\(.)", r"\1", m.group(3))))
        else:
            words.append(m.group(4))
    return words, pairs


def rich_macro(name: str, params: str, body: str) -> str:
    """A macro with parameters (storage) and a rich-text body (storage)."""
    rich = f"<ac:rich-text-body>{body}</ac:rich-text-body>"
    return f'<ac:structured-macro ac:name="{name}">{params}{rich}</ac:structured-macro>'


def cdata(text: str) -> str:
    return "<![CDATA[" + xml_text(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def code_macro(info: str, code: str) -> str:
    info = info.strip()
    if info.startswith("{") and info.endswith(
        "}"
    ):  # pandoc attributes: {.sourceCode .python title="x"}
        words, pairs = parse_args(info[1:-1])
        classes = [w[1:] for w in words if w.startswith(".") and w != ".sourceCode"]
        info = " ".join(classes[:1] + [f'{k}="{v}"' if k else f'"{v}"' for k, v in pairs])
    words, pairs = parse_args(info)
    lang = words[0] if words else ""
    name = "code"
    if lang == "noformat":
        name, lang = "noformat", ""
    elif lang.startswith("macro:") and _MACRO_NAME_RE.match(lang[6:]):
        name, lang = lang[6:], ""
    params = (macro_param("language", lang) if lang else "") + "".join(
        macro_param(k, v) for k, v in pairs
    )
    body = f"<ac:plain-text-body>{cdata(code)}</ac:plain-text-body>"
    return f'<ac:structured-macro ac:name="{name}">{params}{body}</ac:structured-macro>'


_HTML_CONTAINERS = frozenset(
    "p h1 h2 h3 h4 h5 h6 div section details blockquote pre ul ol li dl dt dd figure thead tbody tfoot".split()
)
_AC_CONTAINERS = frozenset({"ac:task-list", "ac:task", "ac:task-body", "ac:rich-text-body"})


def render_div(head: str, body: str, ctx: Ctx) -> str:
    """A ``:::`` container: a layout or fallback-table part, an element (``html:div``), an ADF node
    (``adf:panel``, written as the matching macro) or a macro (``expand``, ``macro:section``)."""
    words, pairs = parse_args(head)
    name = words[0] if words else "panel"
    if name == "layout":
        return f"<ac:layout>{render_flow(body, ctx)}</ac:layout>"
    if name == "section":
        kind = words[1] if len(words) > 1 else "single"
        return f'<ac:layout-section ac:type="{attr_escape(kind)}">{render_flow(body, ctx)}</ac:layout-section>'
    if name == "cell":
        return f"<ac:layout-cell>{render_flow(body, ctx)}</ac:layout-cell>"
    if name == "table":
        return f"<table><tbody>{render_flow(body, ctx)}</tbody></table>"
    if name == "tr":
        return f"<tr>{render_flow(body, ctx)}</tr>"
    if name in ("td", "th"):
        spans = [w.split("=", 1) for w in words[1:] if "=" in w] + [[k, v] for k, v in pairs]
        attrs = "".join(
            f' {k}="{v}"' for k, v in spans if k in ("colspan", "rowspan") and v.isdigit()
        )
        inner = (
            render_flow(body, ctx, loose=True)
            if len(split_blocks(body)) <= 1
            else render_flow(body, ctx)
        )
        return f"<{name}{attrs}>{inner}</{name}>"
    element = name[5:] if name.startswith("html:") else name if name in _AC_CONTAINERS else ""
    if element in _HTML_CONTAINERS or element in _AC_CONTAINERS:
        loose = element in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd")
        return f"<{element}>{render_flow(body, ctx, loose=loose)}</{element}>"
    if name == "adf:decision-list":
        # lazy, for start-up: workbench.convert.adf loads on first use
        from workbench.convert.adf import render_decision_list

        decisions = render_decision_list(body, ctx)
        if decisions is not None:
            return decisions
    for prefix in ("adf:", "macro:"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    if not _MACRO_NAME_RE.match(name):
        return f"<p>{xml_escape(head)}</p>{render_flow(body, ctx)}"
    params = "".join(macro_param(k, v) for k, v in pairs)
    return rich_macro(name, params, render_flow(body, ctx))


def render_item(text: str, ctx: Ctx, tasks: bool) -> str:
    marker, task, body = item_parts(text)
    if tasks:
        status = "complete" if task == "x" else "incomplete"
        return (
            f"<ac:task><ac:task-id>{ctx.next_task_id()}</ac:task-id><ac:task-status>{status}</ac:task-status>"
            f"<ac:task-body>{render_flow(body, ctx, loose=True)}</ac:task-body></ac:task>"
        )
    if task is not None:
        body = f"\\[{task}\\] {body}"
    return f"<li>{render_flow(body, ctx, loose=True)}</li>"


def render_list(kind: str, text: str, ctx: Ctx) -> str:
    items = split_items(text)
    if kind == "tasklist":
        return (
            "<ac:task-list>" + "".join(render_item(i, ctx, True) for i in items) + "</ac:task-list>"
        )
    marker = item_parts(items[0])[0] if items else "-"
    if marker[:1].isdigit():
        start = int(marker[:-1]) if marker[:-1].isdigit() else 1
        attr = f' start="{start}"' if start != 1 else ""
        return f"<ol{attr}>" + "".join(render_item(i, ctx, False) for i in items) + "</ol>"
    return "<ul>" + "".join(render_item(i, ctx, False) for i in items) + "</ul>"


def render_document(md: str, users: dict[str, str] | None = None, refs: dict | None = None) -> str:
    ctx = Ctx(users=users)
    ctx.refs = refs or {}
    return render_flow(md.replace("\r\n", "\n").replace("\r", "\n"), ctx)
