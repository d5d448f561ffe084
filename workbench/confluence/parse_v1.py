"""REST v1 JSON (Data Center, and Cloud search) → typed models.

On Data Center the v1 API addresses spaces by key, so a DC :class:`Space` has ``id == key`` and
pages carry the space key as ``space_id``: every client method that takes a ``space_id`` works
the same on both kinds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workbench.confluence.models import (
    PAGE,
    Comment,
    Page,
    PageSummary,
    SearchResult,
    Space,
    Version,
    strip_highlight,
)
from workbench.confluence.parse_v2 import label, links, obj, opt_id, sid, storage_of


def version(d: Any) -> Version:
    if not isinstance(d, dict):
        return Version(number=0)
    by = d.get("by") or {}
    return Version(
        number=int(d.get("number") or 0),
        message=d.get("message") or "",
        minor_edit=bool(d.get("minorEdit", False)),
        author_id=sid(by.get("accountId") or by.get("userKey") or by.get("username"))
        if isinstance(by, dict)
        else "",
        created_at=d.get("when") or "",
    )


def space(d: dict) -> Space:
    description = d.get("description") or {}
    plain = description.get("plain") if isinstance(description, dict) else None
    homepage = d.get("homepage")
    return Space(
        id=d.get("key") or sid(d.get("id")),
        key=d.get("key") or "",
        name=d.get("name") or "",
        type=d.get("type") or "global",
        status=d.get("status") or "current",
        homepage_id=opt_id(homepage.get("id")) if isinstance(homepage, dict) else None,
        description=(plain or {}).get("value", "") if isinstance(plain, dict) else "",
        webui=links(d).get("webui", ""),
    )


def _space_key(d: dict) -> str:
    sp = d.get("space")
    return sp.get("key", "") if isinstance(sp, dict) else ""


def _parent(d: dict) -> str | None:
    ancestors = d.get("ancestors")
    if isinstance(ancestors, list) and ancestors and isinstance(ancestors[-1], dict):
        return opt_id(ancestors[-1].get("id"))
    return None


def _type(d: dict) -> str:
    """v1 content says its ``type`` (page, blogpost, …); an answer without one is a page."""
    value = d.get("type")
    return value if isinstance(value, str) and value else PAGE


def summary(d: dict) -> PageSummary:
    ver = d.get("version")
    position = (
        (d.get("extensions") or {}).get("position")
        if isinstance(d.get("extensions"), dict)
        else None
    )
    return PageSummary(
        id=sid(d.get("id")),
        title=d.get("title") or "",
        space_id=_space_key(d),
        parent_id=_parent(d),
        status=d.get("status") or "current",
        position=position if isinstance(position, int) else None,
        version=int(ver["number"])
        if isinstance(ver, dict) and ver.get("number") is not None
        else None,
        type=_type(d),
        created_at=(d.get("history") or {}).get("createdDate") or ""
        if isinstance(d.get("history"), dict)
        else "",
    )


def page(d: dict, base_url: str = "") -> Page:
    link = links(d)
    ver = version(d.get("version") or {})
    history = obj(d.get("history"))
    created_by = history.get("createdBy") or {}
    meta = obj(d.get("metadata"))
    raw_labels = (
        (meta.get("labels") or {}).get("results") if isinstance(meta.get("labels"), dict) else None
    )
    # a LabelArray (``start``, ``limit``, ``size``, ``_links``): all of them when no ``next`` link
    # says otherwise and fewer than ``limit`` came
    label_block = obj(meta.get("labels"))
    limit, size = label_block.get("limit"), label_block.get("size")
    labels_complete = (
        isinstance(raw_labels, list)
        and not obj(label_block.get("_links")).get("next")
        and isinstance(size, int)
        and (not isinstance(limit, int) or size < limit)
    )
    return Page(
        id=sid(d.get("id")),
        title=d.get("title") or "",
        space_id=_space_key(d),
        version=ver,
        storage=storage_of(d.get("body")),
        parent_id=_parent(d),
        status=d.get("status") or "current",
        author_id=sid(created_by.get("accountId") or created_by.get("userKey"))
        if isinstance(created_by, dict)
        else "",
        created_at=history.get("createdDate") or "",
        webui=link.get("webui", ""),
        base_url=link.get("base") or base_url,
        space_key=_space_key(d),
        labels=tuple(label(x) for x in raw_labels or () if isinstance(x, dict)),
        type=_type(d),
        labels_complete=labels_complete,
    )


def comment(d: dict, page_id: str = "") -> Comment:
    container = obj(d.get("container"))
    parent = None
    ancestors = d.get("ancestors")
    if isinstance(ancestors, list):
        comments = [a for a in ancestors if isinstance(a, dict) and a.get("type") == "comment"]
        if comments:
            parent = opt_id(comments[-1].get("id"))
    ver = version(d.get("version") or {})
    # extensions.location / .inlineProperties {originalSelection, markerRef} / .resolution {status}
    ext = obj(d.get("extensions"))
    props = obj(ext.get("inlineProperties"))
    resolution = obj(ext.get("resolution"))
    inline = ext.get("location") == "inline" or bool(props)
    return Comment(
        id=sid(d.get("id")),
        page_id=sid(container.get("id")) or page_id,
        storage=storage_of(d.get("body")) or "",
        version=ver,
        parent_id=parent,
        author_id=ver.author_id,
        created_at=ver.created_at,
        inline=inline,
        selection=str(props.get("originalSelection") or "") if inline else "",
        marker_ref=str(props.get("markerRef") or "") if inline else "",
        resolution=str(resolution.get("status") or "") if inline else "",
    )


def search_result(d: dict, web: Callable[[str], str]) -> SearchResult:
    """One hit of ``/rest/api/search`` (``d`` has ``content``) or of ``/content/search``.

    ``web`` turns a relative web path into an absolute URL.
    """
    content: dict[str, Any] | None = d["content"] if isinstance(d.get("content"), dict) else None
    if content is None and "entityType" not in d and "id" in d:
        content = d  # /rest/api/content/search returns bare Content objects
        d = {}
    container = obj(d.get("resultGlobalContainer"))
    if content is not None:
        space_block = obj(content.get("space"))
        hl_title = d.get("title") or content.get("title") or ""
        url = d.get("url") or links(content).get("webui", "")
        return SearchResult(
            id=sid(content.get("id")),
            type=content.get("type") or d.get("entityType") or "page",
            title=content.get("title") or "",
            space_key=space_block.get("key", ""),
            space_name=space_block.get("name") or container.get("title", ""),
            excerpt=d.get("excerpt") or "",
            title_hl=hl_title,
            last_modified=d.get("lastModified")
            or (content.get("version") or {}).get("when", "")
            or "",
            url=web(url),
        )
    space_block = obj(d.get("space"))
    entity = d.get("entityType") or "content"
    title_hl = d.get("title") or ""
    return SearchResult(
        id=space_block.get("key") or sid((d.get("user") or {}).get("accountId")),
        type=entity,
        title=strip_highlight(title_hl),
        space_key=space_block.get("key", ""),
        space_name=space_block.get("name", ""),
        excerpt=d.get("excerpt") or "",
        title_hl=title_hl,
        last_modified=d.get("lastModified") or "",
        url=web(d.get("url") or ""),
    )
