"""Storage → the ``view`` / ``export_view`` HTML the local server serves when a client asks for it
(v1 ``expand=body.view`` or ``body.export_view``; v2 ``body-format=view`` or ``export_view``).

Confluence renders these with its own macro engine; this is a small approximation that keeps what
readers of the view rely on: plain HTML, the text of every macro body, links to pages as ``<a>``
elements, images as ``<img>``, emoticons as their fallback text, tasks as list items, and no
``ac:``/``ri:`` markup left over. ``export_view`` differs only in that links are absolute (the
"export" form is meant to be read outside the site).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

_AC = "{http://atlassian.com/content}"
_RI = "{http://atlassian.com/resource/identifier}"
_ADMONITIONS = ("info", "note", "warning", "tip", "panel", "expand")


def render_view(storage: str, *, base: str, space_key: str, absolute: bool = False) -> str:
    """The HTML a reader sees for ``storage`` (never raises: unparsable storage is shown escaped)."""
    # lazy, for start-up: lxml, workbench.convert.validate (with lxml) loads on first use
    from lxml import etree

    from workbench.convert.validate import wrap_for_xml

    try:
        root = etree.fromstring(
            wrap_for_xml(storage or ""), parser=etree.XMLParser(strip_cdata=True)
        )
    except etree.XMLSyntaxError:
        return f"<p>{_escape(storage or '')}</p>"
    prefix = base if absolute else ""
    out = etree.Element("div")
    for node in _render_children(root, prefix, space_key):
        if isinstance(node, str):
            _append_text(out, node)
        else:
            out.append(node)
    text = etree.tostring(out, encoding="unicode", method="html")
    return text[len("<div>") : -len("</div>")]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _append_text(parent: Any, text: str) -> None:
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _render_children(element: Any, prefix: str, space_key: str) -> list[Any]:
    """``element``'s content rendered: a list of new elements and strings (text)."""
    items: list[Any] = []
    if element.text:
        items.append(element.text)
    for child in element:
        items.extend(_render(child, prefix, space_key))
        if child.tail:
            items.append(child.tail)
    return items


def _build(tag: str, items: list[Any], **attrs: str) -> Any:
    # lazy, for start-up: lxml (with lxml) loads on first use
    from lxml import etree

    node = etree.Element(tag, {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items() if v})
    for item in items:
        if isinstance(item, str):
            _append_text(node, item)
        else:
            node.append(item)
    return node


def _param(element: Any, name: str) -> str:
    for p in element.findall(f"{_AC}parameter"):
        if p.get(f"{_AC}name") == name:
            return "".join(p.itertext())
    return ""


def _render(element: Any, prefix: str, space_key: str) -> list[Any]:
    tag = element.tag if isinstance(element.tag, str) else ""
    if not tag.startswith("{"):  # plain HTML: copy the element, render inside it
        attrs = {
            k: v for k, v in element.attrib.items() if not k.startswith("{")
        }  # drop ac:local-id & co
        return [_build(tag, _render_children(element, prefix, space_key), **attrs)]
    local = tag.split("}", 1)[1]
    if tag.startswith(_RI):
        return []
    if local in ("parameter", "task-id", "task-uuid", "task-status", "placeholder"):
        return []
    if local == "structured-macro" or local == "macro":
        name = element.get(f"{_AC}name") or ""
        plain = element.find(f"{_AC}plain-text-body")
        rich = element.find(f"{_AC}rich-text-body")
        if name in ("code", "noformat") or plain is not None:
            return [
                _build(
                    "pre",
                    ["".join(plain.itertext()) if plain is not None else ""],
                    class_="syntaxhighlighter-pre",
                )
            ]
        inner = _render_children(rich, prefix, space_key) if rich is not None else []
        title = _param(element, "title")
        if name in _ADMONITIONS:
            head = [_build("p", [title], class_="title")] if title else []
            classes = f"confluence-information-macro confluence-information-macro-{name}"
            return [_build("div", head + inner, class_=classes)]
        if name == "status":
            return [_build("span", [title], class_="status-macro aui-lozenge")]
        return [_build("div", inner, class_=f"macro-{name}")] if inner else []
    if local == "link":
        page = element.find(f"{_RI}page")
        user = element.find(f"{_RI}user")
        body = element.find(f"{_AC}link-body")
        plain = element.find(f"{_AC}plain-text-link-body")
        text: list[Any]
        if body is not None:
            text = _render_children(body, prefix, space_key)
        elif plain is not None:
            text = ["".join(plain.itertext())]
        else:
            text = []
        if page is not None:
            title = page.get(f"{_RI}content-title") or ""
            key = page.get(f"{_RI}space-key") or space_key
            href = f"{prefix}/display/{key}/{quote_plus(title)}"
            return [_build("a", text or [title], href=href)]
        if user is not None:
            account = user.get(f"{_RI}account-id") or user.get(f"{_RI}userkey") or ""
            return [
                _build(
                    "a",
                    text or [f"@{account}"],
                    class_="confluence-userlink user-mention",
                    data_account_id=account,
                )
            ]
        anchor = element.get(f"{_AC}anchor")
        return [_build("a", text, href=f"#{anchor}" if anchor else "")]
    if local == "image":
        attachment = element.find(f"{_RI}attachment")
        url = element.find(f"{_RI}url")
        src = (
            url.get(f"{_RI}value")
            if url is not None
            else (
                f"{prefix}/download/attachments/{attachment.get(f'{_RI}filename')}"
                if attachment is not None
                else ""
            )
        )
        alt = element.get(f"{_AC}alt") or ""
        return [_build("img", [], src=src or "", alt=alt, class_="confluence-embedded-image")]
    if local == "emoticon":
        return [element.get(f"{_AC}emoji-fallback") or f":{element.get(f'{_AC}name') or ''}:"]
    if local == "task-list":
        return [
            _build("ul", _render_children(element, prefix, space_key), class_="inline-task-list")
        ]
    if local == "task":
        status = element.findtext(f"{_AC}task-status") or ""
        body = element.find(f"{_AC}task-body")
        inner = _render_children(body, prefix, space_key) if body is not None else []
        return [_build("li", inner, class_="checked" if status == "complete" else "")]
    if local in ("layout", "layout-section", "layout-cell"):
        return [_build("div", _render_children(element, prefix, space_key), class_=local)]
    # ac:rich-text-body, ac:inline-comment-marker and anything else: keep the content only
    return _render_children(element, prefix, space_key)
