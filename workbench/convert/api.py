"""The public entry points, the parse cache and the never-raise safety net."""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass

from workbench.convert.units import Builder, Flow

log = logging.getLogger(__name__)

_CACHE: OrderedDict[str, Doc] = OrderedDict()
_CACHE_SIZE = 32


@dataclass
class Doc:
    flow: Flow
    markdown: str
    registry: dict


def parse_document(storage: str) -> Doc:
    """The block model of ``storage`` (cached: the editor converts the same base again and again)."""
    doc = _CACHE.get(storage)
    if doc is not None:
        _CACHE.move_to_end(storage)
        return doc
    builder = Builder(storage)
    flow = builder.document()
    md = flow.md()
    doc = Doc(flow, md + "\n" if md else "", builder.registry)
    _CACHE[storage] = doc
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return doc


def storage_to_markdown(storage: str) -> str:
    """Readable Markdown for a storage-format document."""
    if not isinstance(storage, str):
        storage = str(storage or "")
    try:
        return parse_document(storage).markdown
    except Exception as exc:  # the safety net: this is a bug, but the reader still gets the text
        log.warning("storage_to_markdown could not read the page (%s); showing its text only", type(exc).__name__)
        log.debug("storage_to_markdown failure", exc_info=True)
        return _text_only(storage)


def _text_only(storage: str) -> str:
    """The Markdown of last resort: the page's text, escaped, in one paragraph."""
    import re

    text = " ".join(re.sub(r"<[^>]*>", " ", storage).split())
    if not text:
        return ""
    from workbench.convert.inline import md_escape_text
    from workbench.convert.tokens import decode_entities

    return "⟦unreadable page⟧ " + md_escape_text(decode_entities(text)) + "\n"


def _normal(md: str) -> str:
    return md.replace("\r\n", "\n").replace("\r", "\n").strip("\n")


def markdown_to_storage(markdown: str, base: str | None = None, *, fast: bool = True) -> str:
    """Storage for ``markdown``; with ``base``, unchanged content keeps its exact source.

    ``fast=False`` skips the shortcut "unchanged Markdown → the base itself" (used by tests to check
    that the block-by-block merge alone reproduces the base).
    """
    from workbench.convert.fresh import Ctx, render_document
    from workbench.convert.merge import merge_flow

    if not isinstance(markdown, str):
        markdown = str(markdown or "")
    md = markdown.replace("\r\n", "\n").replace("\r", "\n")
    try:
        if base is None:
            return render_document(md)
        doc = parse_document(base)
        if fast and _normal(md) == _normal(doc.markdown):
            return base
        return merge_flow(doc.flow, md, Ctx(base, doc.registry))
    except Exception as exc:  # the safety net: a bug must not lose the user's text, nor the page
        log.warning("markdown_to_storage could not merge with the base (%s); rendering fresh", type(exc).__name__)
        log.debug("markdown_to_storage failure", exc_info=True)
        if base is not None and _normal(md) == _normal(_text_only(base)):
            return base
        try:
            return render_document(md)
        except Exception:
            from workbench.convert.tokens import xml_escape

            return "".join(f"<p>{xml_escape(p)}</p>" for p in md.split("\n\n") if p.strip())
