"""Storage for the constructs Markdown names: links and images with our targets (``page:``, ``blog:``,
``attachment:``, ``user:``, ``#anchor``) and placeholders typed by hand (``⟦status: On track⟧`` …)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import unquote

from workbench.convert.placeholders import label, url_part
from workbench.convert.tokens import attr_escape, xml_escape

if TYPE_CHECKING:
    from workbench.convert.fresh import Ctx

BLOCK_PLACEHOLDERS = {
    "toc",
    "children",
    "include",
    "excerpt-include",
    "contentbylabel",
    "recently-updated",
    "pagetree",
}


_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def local_attachment(url: str) -> str | None:
    """The attachment file name a relative path stands for (``img/diagram.png?raw=1`` → ``diagram.png``),
    or None for a URL, an absolute or site path, an anchor or a directory.

    This is how fresh Markdown's local files become attachments (``![d](img/diagram.png)`` →
    ``ri:attachment ri:filename="diagram.png"``); whoever uploads them uses the same rule.
    """
    if not url or _SCHEME_RE.match(url) or url.startswith(("/", "#", "?", "\\")):
        return None
    path = re.split(r"[?#]", url, maxsplit=1)[0]
    name = unquote(path.replace("\\", "/").rsplit("/", 1)[-1])
    return (
        name if name and name not in (".", "..") and not any(c in name for c in "<>\n\t") else None
    )


def resource(url: str) -> tuple[str, str] | None:
    """``(ri-element, anchor)`` for our link targets and relative paths, or None for an ordinary URL."""
    target, _, anchor = url.partition("#")
    anchor = unquote(anchor)
    if url.startswith("#"):
        return "", anchor
    kind, sep, rest = target.partition(":")
    if not sep or not _SCHEME_RE.match(target):
        name = local_attachment(url)
        if name is None:
            return None
        return f'<ri:attachment ri:filename="{attr_escape(name)}" />', anchor
    if kind == "page":
        space, slash, title = rest.partition("/")
        if not slash:
            space, title = "", rest
        attrs = (f' ri:space-key="{attr_escape(unquote(space))}"' if space else "") + (
            f' ri:content-title="{attr_escape(unquote(title))}"'
        )
        return f"<ri:page{attrs} />", anchor
    if kind == "blog":
        parts = rest.split("/", 2)
        if len(parts) == 3:
            space, day, title = parts
            return (
                f'<ri:blog-post ri:space-key="{attr_escape(unquote(space))}" '
                f'ri:content-title="{attr_escape(unquote(title))}" '
                f'ri:posting-day="{attr_escape(day.replace("-", "/"))}" />',
                anchor,
            )
    if kind == "attachment":
        return f'<ri:attachment ri:filename="{attr_escape(unquote(rest))}" />', anchor
    if kind == "user":
        return f'<ri:user ri:account-id="{attr_escape(unquote(rest))}" />', anchor
    if kind == "space":
        return f'<ri:space ri:space-key="{attr_escape(unquote(rest))}" />', anchor
    return None


def _label(url: str) -> str:
    name = local_attachment(url)
    if name is not None:
        anchor = url.partition("#")[2]
        url = "attachment:" + url_part(name) + (f"#{anchor}" if anchor else "")
    return label(url)


def render_link(text: str, url: str) -> str:
    res = resource(url)
    if res is None:
        return f'<a href="{attr_escape(url)}">{text}</a>'
    ri, anchor = res
    open_tag = f'<ac:link ac:anchor="{attr_escape(anchor)}">' if anchor else "<ac:link>"
    if text == xml_escape(_label(url)) or text == xml_escape(url) or not text:
        return f"{open_tag}{ri}</ac:link>"
    return f"{open_tag}{ri}<ac:link-body>{text}</ac:link-body></ac:link>"


def render_image(alt: str, url: str, title: str | None = None) -> str:
    res = resource(url)
    attrs = f' ac:alt="{attr_escape(alt)}"' if alt else ""
    if title:
        attrs += f' ac:title="{attr_escape(title)}"'
    if res is not None and res[0].startswith("<ri:attachment"):
        return f"<ac:image{attrs}>{res[0]}</ac:image>"
    return f'<ac:image{attrs}><ri:url ri:value="{attr_escape(url)}" /></ac:image>'


def macro_param(name: str, value: str) -> str:
    return f'<ac:parameter ac:name="{attr_escape(name)}">{xml_escape(value)}</ac:parameter>'


def known_placeholder(body: str, ctx: Ctx | None = None) -> tuple[str, bool] | None:
    """Storage for a placeholder typed by hand (``⟦status: On track⟧`` …): ``(storage, is_block)``."""
    name, sep, value = body.partition(":")
    name, value = name.strip(), value.strip()
    if body.startswith("@") and len(body) > 1:
        who = body[1:].strip()
        account = ctx.by_name.get(who, unquote(who)) if ctx is not None else unquote(who)
        return f'<ac:link><ri:user ri:account-id="{attr_escape(account)}" /></ac:link>', False
    if body.startswith(":") and body.endswith(":") and len(body) > 2:
        return f'<ac:emoticon ac:name="{attr_escape(body[1:-1])}" />', False
    word, _, colour = name.partition(" ")
    if word == "status" and sep:
        params = (macro_param("colour", colour.strip()) if colour.strip() else "") + macro_param(
            "title", value
        )
        return f'<ac:structured-macro ac:name="status">{params}</ac:structured-macro>', False
    if name == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f'<time datetime="{value}" />', False
    if name == "anchor" and value:
        return (
            f'<ac:structured-macro ac:name="anchor">{macro_param("", value)}</ac:structured-macro>',
            False,
        )
    if name == "jira" and value:
        return (
            f'<ac:structured-macro ac:name="jira">{macro_param("key", value)}</ac:structured-macro>',
            False,
        )
    if name in ("include", "excerpt-include") and value:
        res = resource(value)
        if res is not None:
            link = f"<ac:link>{res[0]}</ac:link>"
            param = f'<ac:parameter ac:name="">{link}</ac:parameter>'
            return f'<ac:structured-macro ac:name="{name}">{param}</ac:structured-macro>', True
    if name in BLOCK_PLACEHOLDERS and not sep:
        return f'<ac:structured-macro ac:name="{name}" />', True
    if name in ("comment", "/comment", "empty"):
        return "", False
    return None
