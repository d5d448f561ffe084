"""Inline Markdown → storage through mistune, with a storage renderer: links and images with our
targets, typed placeholders, and the constructs of a base page restored by their Markdown (each stands
in the text as a sentinel character pair that mistune leaves alone)."""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING

from workbench.convert.constructs import known_placeholder, render_image, render_link
from workbench.convert.tokens import is_balanced, xml_text

if TYPE_CHECKING:
    from workbench.convert.fresh import Ctx

_SENTINEL_RE = re.compile("\ue000(\\d+)\ue001")
_QUOTED_SENTINEL_RE = re.compile(
    r"%EE%80%80(\d+)%EE%80%81"
)  # a sentinel inside a URL, percent-encoded
PLACEHOLDER_RE = re.compile(r"(?<!\\)⟦([^⟦⟧\n]*)⟧")


_MARKDOWN = None
_LOCAL = (
    threading.local()
)  # per thread, a stack: the Markdown behind each sentinel of a render_inline call


def _written_stack() -> list[list[str]]:
    stack = getattr(_LOCAL, "written", None)
    if stack is None:
        stack = _LOCAL.written = []
    return stack


def _plain(text: str) -> str:
    """Sentinels inside code, URLs and attributes become the Markdown they replaced again."""
    stack = _written_stack()
    if not stack or ("\ue000" not in text and "%EE%80%80" not in text):
        return text
    written = stack[-1]
    text = _QUOTED_SENTINEL_RE.sub(lambda m: written[int(m.group(1))], text)
    return _SENTINEL_RE.sub(lambda m: written[int(m.group(1))], text)


def _markdown():
    global _MARKDOWN
    if _MARKDOWN is None:
        # lazy, for start-up: mistune (with mistune) loads on first use
        import mistune

        _MARKDOWN = mistune.create_markdown(
            renderer=_storage_renderer_class()(escape=True), plugins=["strikethrough"]
        )
    return _MARKDOWN


def _storage_renderer_class():
    # lazy, for start-up: mistune (with mistune) loads on first use
    import mistune

    class StorageRenderer(mistune.HTMLRenderer):
        def link(self, text: str, url: str, title: str | None = None) -> str:
            return render_link(text, _plain(url))

        def image(self, text: str, url: str, title: str | None = None) -> str:
            return render_image(_plain(text), _plain(url), _plain(title) if title else title)

        def codespan(self, text: str) -> str:
            return super().codespan(_plain(text))

        def strikethrough(self, text: str) -> str:
            return f"<del>{text}</del>"

        def linebreak(self) -> str:
            return "<br />"

        def inline_html(self, html: str) -> str:
            # allow-listed HTML (a line break, images, links, formats) becomes storage; the rest is text
            if getattr(_LOCAL, "html_ok", True):
                # lazy, for start-up: workbench.convert.htmlin loads on first use
                from workbench.convert.htmlin import inline_tag

                stack = getattr(_LOCAL, "anchors", None)
                out = inline_tag(html, stack[-1] if stack else [])
                if out is not None:
                    return out
            return super().inline_html(html)

        def softbreak(self) -> str:
            return "\n"

    return StorageRenderer


def _inline_html(text: str, refs: dict | None = None) -> str:
    """Inline Markdown through mistune's inline parser only: block syntax cannot sneak in here.
    ``refs``: the document's link reference definitions (``[text][ref]``)."""
    # lazy, for start-up: mistune.core (with mistune) loads on first use
    from mistune.core import BlockState

    md = _markdown()
    text = "\n".join(line.lstrip() for line in text.strip("\n").split("\n")).rstrip()
    return md.renderer(md.inline(text, {"ref_links": refs or {}}), BlockState())


def render_inline(md: str, ctx: Ctx, kept: list[tuple[int, int, str]] | None = None) -> str:
    """Inline Markdown → storage (no enclosing ``<p>``).

    ``kept`` lists ``(start, end, source)``: spans of ``md`` whose storage is known (pieces of a
    paragraph the edit did not touch) and is written as is.
    """
    saved: list[str] = []
    written: list[
        str
    ] = []  # the Markdown each sentinel stands for (put back where markup cannot go)

    def keep(source: str, md_text: str) -> str:
        saved.append(source)
        written.append(md_text)
        return f"\ue000{len(saved) - 1}\ue001"

    text = md
    if kept:
        pieces, pos = [], 0
        for s, e, source in sorted(kept):
            if s < pos:
                continue
            pieces.append(text[pos:s])
            pieces.append(keep(source, text[s:e]))
            pos = e
        pieces.append(text[pos:])
        text = "".join(pieces)
    if ctx.registry and ("](" in text or "⟦" in text):
        for key in sorted((k for k in ctx.registry if k in text), key=len, reverse=True):
            while key in text:
                found = ctx.lookup(key)
                if found is None:
                    break
                text = text.replace(key, keep(found[0], key), 1)

    def placeholder(m: re.Match[str]) -> str:
        known = known_placeholder(m.group(1), ctx)
        return keep(known[0], m.group(0)) if known is not None else m.group(0)

    if "⟦" in text:
        text = PLACEHOLDER_RE.sub(placeholder, text)
    text = text.replace("\\⟦", "⟦").replace("\\⟧", "⟧")
    stack = _written_stack()
    stack.append(written)
    anchors = getattr(_LOCAL, "anchors", None)
    if anchors is None:
        anchors = _LOCAL.anchors = []
    anchors.append([])
    try:
        html = xml_text(_inline_html(text, ctx.refs))
        if "<" in text and not is_balanced(
            html
        ):  # HTML typed with a tag left open: all of it is text
            _LOCAL.html_ok = False
            try:
                html = xml_text(_inline_html(text, ctx.refs))
            finally:
                _LOCAL.html_ok = True
    finally:
        stack.pop()
        anchors.pop()
    if saved:
        restored = _SENTINEL_RE.sub(lambda m: saved[int(m.group(1))], html)
        if "<" in restored and not is_balanced(restored):
            # a half-deleted construct (say one end of a comment marker): drop the loose ends
            restored = _SENTINEL_RE.sub(
                lambda m: saved[int(m.group(1))] if is_balanced(saved[int(m.group(1))]) else "",
                html,
            )
        html = restored
    return html
