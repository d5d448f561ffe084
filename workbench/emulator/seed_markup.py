"""Small builders for storage-format XHTML as Confluence Cloud emits it, used by the demo seed.

Ids (``ac:macro-id``, ``local-id``, task uuids) are derived from the content with ``uuid5`` so the
seed is identical on every start.
"""

from __future__ import annotations

import uuid
from html import escape

_NS = uuid.UUID("5f1d7c2a-9a43-4e61-8d0b-3c2e9b7a6f10")


def uid(*parts: object) -> str:
    return str(uuid.uuid5(_NS, "|".join(map(str, parts))))


def esc(text: str) -> str:
    return escape(text, quote=True)


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def p(html: str, lid: str | None = None) -> str:
    attr = f' local-id="{uid("p", lid)}"' if lid else ""
    return f"<p{attr}>{html}</p>"


def h(level: int, text: str) -> str:
    return f"<h{level}>{esc(text)}</h{level}>"


def _li(item: str) -> str:
    """A list item; an item that brings its own blocks (``<p>…</p>`` + a macro) is not wrapped again."""
    return f"<li>{item}</li>" if item.startswith("<p") else f"<li><p>{item}</p></li>"


def ul(*items: str) -> str:
    return "<ul>" + "".join(_li(i) for i in items) + "</ul>"


def ol(*items: str) -> str:
    return "<ol>" + "".join(_li(i) for i in items) + "</ol>"


def macro(
    name: str,
    params: dict[str, str] | None = None,
    *,
    rich: str | None = None,
    plain: str | None = None,
    key: str = "",
) -> str:
    inner = "".join(
        f'<ac:parameter ac:name="{esc(k)}">{esc(v)}</ac:parameter>'
        for k, v in (params or {}).items()
    )
    if plain is not None:
        inner += f"<ac:plain-text-body>{cdata(plain)}</ac:plain-text-body>"
    if rich is not None:
        inner += f"<ac:rich-text-body>{rich}</ac:rich-text-body>"
    macro_id = uid("macro", name, key, params, (plain or rich or "")[:40])
    return (
        f'<ac:structured-macro ac:name="{name}" ac:schema-version="1" ac:macro-id="{macro_id}">'
        f"{inner}</ac:structured-macro>"
    )


def code(language: str, text: str, *, title: str | None = None, linenumbers: bool = False) -> str:
    params = {"language": language}
    if title:
        params["title"] = title
    if linenumbers:
        params["linenumbers"] = "true"
    return macro("code", params, plain=text, key=title or text[:30])


def panel(kind: str, body: str, title: str | None = None) -> str:
    """``info``, ``note``, ``warning``, ``tip`` or a coloured ``panel``."""
    params = {"title": title} if title else {}
    if kind == "panel":
        params["bgColor"] = "#DEEBFF"
    return macro(kind, params, rich=body, key=title or body[:30])


def expand(title: str, body: str) -> str:
    return macro("expand", {"title": title}, rich=body, key=title)


def status(colour: str, title: str, subtle: bool = False) -> str:
    params = {"colour": colour, "title": title}
    if subtle:
        params["subtle"] = "true"
    return macro("status", params, key=title)


def toc(max_level: int = 3) -> str:
    return macro("toc", {"maxLevel": str(max_level)}, key=f"toc{max_level}")


def jira(key: str) -> str:
    return macro(
        "jira",
        {"server": "System JIRA", "serverId": "b2a7c1e3-6d54-3f8e-a9b0-1c2d3e4f5a6b", "key": key},
        key=key,
    )


def children_macro(depth: int = 1) -> str:
    return macro("children", {"all": "true", "depth": str(depth)}, key=f"children{depth}")


def excerpt(body: str) -> str:
    return macro("excerpt", {"hidden": "false"}, rich=body, key=body[:30])


def anchor(name: str) -> str:
    return macro("anchor", {"": name}, key=name)


def tasks(owner: str, *items: tuple[bool, str]) -> str:
    out = [f'<ac:task-list ac:task-list-id="{uid("tasklist", owner, items[0][1])}">']
    for n, (done, text) in enumerate(items, start=1):
        out.append(
            f"<ac:task><ac:task-id>{n}</ac:task-id><ac:task-uuid>{uid('task', owner, n, text)}</ac:task-uuid>"
            f"<ac:task-status>{'complete' if done else 'incomplete'}</ac:task-status>"
            f'<ac:task-body><span class="placeholder-inline-tasks">{text}</span></ac:task-body></ac:task>'
        )
    return "".join(out) + "</ac:task-list>"


def mention(account_id: str) -> str:
    return f'<ac:link><ri:user ri:account-id="{account_id}" ri:local-id="{uid("mention", account_id)}"/></ac:link>'


def page_link(title: str, text: str | None = None, space: str | None = None) -> str:
    space_attr = f' ri:space-key="{space}"' if space else ""
    body = f"<ac:plain-text-link-body>{cdata(text)}</ac:plain-text-link-body>" if text else ""
    return f'<ac:link><ri:page ri:content-title="{esc(title)}"{space_attr}/>{body}</ac:link>'


def anchor_link(anchor_name: str, text: str) -> str:
    return (
        f'<ac:link ac:anchor="{esc(anchor_name)}">'
        f"<ac:plain-text-link-body>{cdata(text)}</ac:plain-text-link-body></ac:link>"
    )


def attachment_link(filename: str, text: str) -> str:
    return (
        f'<ac:link><ri:attachment ri:filename="{esc(filename)}" ri:version-at-save="1"/>'
        f"<ac:plain-text-link-body>{cdata(text)}</ac:plain-text-link-body></ac:link>"
    )


def image(filename: str, alt: str, height: int = 250) -> str:
    return (
        f'<ac:image ac:align="center" ac:layout="center" ac:alt="{esc(alt)}" ac:height="{height}">'
        f'<ri:attachment ri:filename="{esc(filename)}" ri:version-at-save="1"/></ac:image>'
    )


def url_image(url: str, alt: str) -> str:
    return f'<ac:image ac:alt="{esc(alt)}"><ri:url ri:value="{esc(url)}"/></ac:image>'


_EMOJI = {
    "tick": ("check_mark", "2705", "\u2705"),
    "warning": ("warning", "26a0", "\u26a0\ufe0f"),
    "smile": ("slight_smile", "1f642", "\U0001f642"),
    "light-on": ("bulb", "1f4a1", "\U0001f4a1"),
    "cross": ("cross_mark", "274c", "\u274c"),
    "thumbs-up": ("thumbsup", "1f44d", "\U0001f44d"),
}


def emoticon(name: str) -> str:
    short, code_point, fallback = _EMOJI.get(name, (name, "", ""))
    return (
        f'<ac:emoticon ac:name="{name}" ac:emoji-shortname=":{short}:" ac:emoji-id="{code_point}" '
        f'ac:emoji-fallback="{fallback}"/>'
    )


def inline_comment(text: str, key: str) -> str:
    """Text with an inline comment anchored on it (the marker must survive edits)."""
    return (
        f'<ac:inline-comment-marker ac:ref="{uid("inline", key)}">{text}</ac:inline-comment-marker>'
    )


def placeholder(text: str) -> str:
    return f"<ac:placeholder>{esc(text)}</ac:placeholder>"


def date(iso_day: str) -> str:
    return f'<time datetime="{iso_day}"/>'


def table(header: list[str], rows: list[list[str]], *, layout: str = "default") -> str:
    head = "".join(f"<th><p><strong>{c}</strong></p></th>" for c in header)
    body = "".join("<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in rows)
    return (
        f'<table data-table-width="760" data-layout="{layout}" ac:local-id="{uid("table", header, len(rows))}">'
        f"<tbody><tr>{head}</tr>{body}</tbody></table>"
    )


def _cell(content: str) -> str:
    """A cell; ``"@2:text"`` spans two rows, ``"=2:text"`` spans two columns, ``"-"`` is covered by a span."""
    if content.startswith("@") and ":" in content:
        n, _, text = content[1:].partition(":")
        return f'<td rowspan="{n}"><p>{text}</p></td>'
    if content.startswith("=") and ":" in content:
        n, _, text = content[1:].partition(":")
        return f'<td colspan="{n}"><p>{text}</p></td>'
    if content == "-":
        return ""
    return f"<td><p>{content}</p></td>"


def layout(kind: str, *cells: str) -> str:
    """One layout section of ``kind`` (``two_equal``, ``three_equal``, ``two_right_sidebar`` …)."""
    inner = "".join(f"<ac:layout-cell>{c}</ac:layout-cell>" for c in cells)
    return f'<ac:layout-section ac:type="{kind}" ac:breakout-mode="default">{inner}</ac:layout-section>'


def layouts(*sections: str) -> str:
    return "<ac:layout>" + "".join(sections) + "</ac:layout>"
