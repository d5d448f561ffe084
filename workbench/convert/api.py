"""The public entry points, the parse cache and the never-raise safety net."""

from __future__ import annotations

import gc
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from workbench.convert.blocks import Flow
from workbench.convert.inline import md_escape_text
from workbench.convert.tokens import decode_entities, xml_escape
from workbench.convert.units import Builder

log = logging.getLogger(__name__)

_CACHE: OrderedDict[object, Doc] = OrderedDict()
_CACHE_SIZE = 32
_CACHE_LOCK = threading.Lock()  # the TUI converts in worker threads


_GC_LOCK = threading.Lock()
_gc_holders = 0  # conversions under way (threads included) while the collector is paused
_gc_was_enabled = False
_gc_promote = False  # the pause began on clean young generations: survivors go to the oldest
#: From this size of storage on, a page's model is handed to the oldest generation when it is built
#: (a 300 KB page leaves ~25 000 objects for the editor; a smaller one too few to matter).
PROMOTE_AT = 64_000


@contextmanager
def gc_paused(promote: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector while converting. A conversion allocates hundreds of
    thousands of small objects and frees them at the end; the collector, triggered every few
    hundred allocations, walks every live object each time, so its cost grows with the page: 17 %
    of a 300 KB conversion, 93 % of a 3 MB one. Reference counting still frees everything; the
    collector resumes when the last conversion ends (nested and concurrent ones included).

    ``promote`` (a big page, whose model stays in the parse cache): what the conversion leaves alive
    would be walked by the next young collection and again by a middle one (5–10 % of a 300 KB
    conversion) before reaching the oldest generation. So the young generations are collected as
    usual before the pause (they hold only what the program made before it), and at its end what is
    young — the model, and what other threads made meanwhile — moves to the oldest generation
    (``gc.freeze`` + ``gc.unfreeze``), where the next full collection walks it like anything old. Not
    done when the program froze objects itself (its frozen set is left as it is)."""
    global _gc_holders, _gc_was_enabled, _gc_promote
    cleaned = False
    if promote and _gc_holders == 0 and gc.isenabled() and gc.get_freeze_count() == 0:
        gc.collect(1)  # outside the lock: a finalizer it runs may well convert a page itself
        cleaned = True
    with _GC_LOCK:
        if _gc_holders == 0:
            _gc_was_enabled = gc.isenabled()
            _gc_promote = cleaned and _gc_was_enabled and gc.get_freeze_count() == 0
            gc.disable()
        _gc_holders += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _gc_holders -= 1
            if _gc_holders == 0 and _gc_was_enabled:
                if _gc_promote and gc.get_freeze_count() == 0:
                    gc.freeze()
                    gc.unfreeze()
                gc.enable()


@dataclass
class Doc:
    flow: Flow
    markdown: str
    registry: dict


def parse_document(storage: str, users: Mapping[str, str] | None = None) -> Doc:
    """The block model of ``storage`` (cached: the editor converts the same base again and again)."""
    key: object = (storage, tuple(sorted(users.items()))) if users else storage
    with _CACHE_LOCK:
        doc = _CACHE.get(key)
        if doc is not None:
            _CACHE.move_to_end(key)
            return doc
    with gc_paused(promote=len(storage) >= PROMOTE_AT):
        builder = Builder(storage, dict(users) if users else None)
        flow = builder.document()
        md = flow.md("\n")  # the page's Markdown ends with a newline (none when it is empty)
    doc = Doc(flow, "" if md == "\n" else md, builder.registry)
    with _CACHE_LOCK:
        _CACHE[key] = doc
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return doc


def clear_cache() -> None:
    """Forget every cached parse (benchmarks measure cold conversions with it)."""
    with _CACHE_LOCK:
        _CACHE.clear()


def storage_to_markdown(storage: str, *, users: Mapping[str, str] | None = None) -> str:
    """Readable Markdown for a storage-format document.

    ``users`` (account id → display name, e.g. from ``client.users(mentioned_accounts(storage))``) shows
    mentions as ``⟦@Ana Lopez⟧`` instead of ``⟦@557058:…⟧``; pass the same mapping back to
    :func:`markdown_to_storage`.
    """
    if not isinstance(storage, str):
        storage = str(storage or "")
    try:
        return parse_document(storage, users).markdown
    except Exception as exc:  # the safety net: this is a bug, but the reader still gets the text
        log.warning(
            "storage_to_markdown could not read the page (%s); showing its text only",
            type(exc).__name__,
        )
        log.debug("storage_to_markdown failure", exc_info=True)
        return _text_only(storage)


def _text_only(storage: str) -> str:
    """The Markdown of last resort: the page's text, escaped, in one paragraph."""
    text = " ".join(re.sub(r"<[^>]*>", " ", storage).split())
    if not text:
        return ""

    return "⟦unreadable page⟧ " + md_escape_text(decode_entities(text)) + "\n"


def _normal(md: str) -> str:
    return md.replace("\r\n", "\n").replace("\r", "\n").strip("\n")


def markdown_to_storage(
    markdown: str,
    base: str | None = None,
    *,
    users: Mapping[str, str] | None = None,
    fast: bool = True,
) -> str:
    """Storage for ``markdown``; with ``base``, unchanged content keeps its exact source.

    ``fast=False`` skips the shortcut "unchanged Markdown → the base itself" (used by tests to check
    that the block-by-block merge alone reproduces the base).
    """
    # lazy, for start-up: workbench.convert.fresh, workbench.convert.mdrefs … loads on first use
    from workbench.convert.fresh import Ctx, render_document
    from workbench.convert.mdrefs import take_definitions
    from workbench.convert.merge import merge_flow

    if not isinstance(markdown, str):
        markdown = str(markdown or "")
    md = markdown.replace("\r\n", "\n").replace("\r", "\n")
    try:
        people = dict(users) if users else None
        if base is not None:
            doc = parse_document(base, users)
            if fast and _normal(md) == _normal(doc.markdown):
                return base
        with gc_paused():
            md, refs = take_definitions(md)
            if base is None:
                return render_document(md, people, refs)
            ctx = Ctx(base, doc.registry, people)
            ctx.refs = refs
            return merge_flow(doc.flow, md, ctx)
    except Exception as exc:  # the safety net: a bug must not lose the user's text, nor the page
        log.warning(
            "markdown_to_storage could not merge with the base (%s); rendering fresh",
            type(exc).__name__,
        )
        log.debug("markdown_to_storage failure", exc_info=True)
        if base is not None and _normal(md) == _normal(_text_only(base)):
            return base
        try:
            return render_document(md)
        except Exception:
            return "".join(f"<p>{xml_escape(p)}</p>" for p in md.split("\n\n") if p.strip())
