"""Cloud REST v2 JSON → typed models. Tolerant: missing optional fields get defaults."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any
from urllib.parse import unquote_plus

from workbench.confluence.models import (
    BLOGPOST,
    BODY_KINDS,
    PAGE,
    Comment,
    Label,
    Page,
    PageSummary,
    Space,
    User,
    Version,
)


def sid(value: Any) -> str:
    """Ids as strings (v2 sends strings, older shapes numbers)."""
    return "" if value is None else str(value)


def opt_id(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def obj(value: Any) -> dict[str, Any]:
    """``value`` when the server sent a JSON object there, else an empty one."""
    return value if isinstance(value, dict) else {}


def links(d: dict) -> dict:
    return obj(d.get("_links"))


def storage_of(body: Any) -> str | None:
    """``body.storage.value`` (v2 and v1), or the flat ``{representation, value}`` form."""
    if not isinstance(body, dict):
        return None
    storage = body.get("storage")
    if isinstance(storage, dict) and isinstance(storage.get("value"), str):
        return storage["value"]
    if body.get("representation") == "storage" and isinstance(body.get("value"), str):
        return body["value"]
    return None


def version(d: Any) -> Version:
    if not isinstance(d, dict):
        return Version(number=int(d) if isinstance(d, int) else 0)
    return Version(
        number=int(d.get("number") or 0),
        message=d.get("message") or "",
        minor_edit=bool(d.get("minorEdit", False)),
        author_id=sid(d.get("authorId")),
        created_at=d.get("createdAt") or "",
    )


def space(d: dict) -> Space:
    description = d.get("description") or {}
    plain = description.get("plain") if isinstance(description, dict) else None
    return Space(
        id=sid(d.get("id")),
        key=d.get("key") or "",
        name=d.get("name") or "",
        type=d.get("type") or "global",
        status=d.get("status") or "current",
        homepage_id=opt_id(d.get("homepageId")),
        description=(plain or {}).get("value", "") if isinstance(plain, dict) else "",
        webui=links(d).get("webui", ""),
    )


def summary(d: dict, kind: str = PAGE, *, parent_id: str | None = None) -> PageSummary:
    """A list item: PageBulk/BlogPostBulk (no ``type``: ``kind`` says which list it came from) or a
    ``direct-children``/``descendants`` item (``type`` page, folder, whiteboard, database, embed).
    ``parent_id``: the parent the list is of, for items that do not say (``direct-children``)."""
    position = d.get("position", d.get("childPosition"))
    ver = d.get("version")
    sent_type = d.get("type")
    return PageSummary(
        id=sid(d.get("id")),
        title=d.get("title") or "",
        space_id=sid(d.get("spaceId")),
        parent_id=opt_id(d.get("parentId")) or parent_id,
        status=d.get("status") or "current",
        position=position if isinstance(position, int) else None,
        version=int(ver["number"])
        if isinstance(ver, dict) and ver.get("number") is not None
        else None,
        type=sent_type if isinstance(sent_type, str) and sent_type else kind,
        created_at=d.get("createdAt") or "",
    )


def blogpost_summary(d: dict) -> PageSummary:
    return summary(d, BLOGPOST)


def label(d: dict) -> Label:
    return Label(
        name=d.get("name") or d.get("label") or "",
        prefix=d.get("prefix") or "global",
        id=sid(d.get("id")),
    )


_SPACE_IN_WEBUI = re.compile(r"^/spaces/([^/]+)/")


def space_key_of(webui: str) -> str:
    """The space key in a Cloud web path (``/spaces/KEY/pages/…``); v2 pages do not carry it."""
    match = _SPACE_IN_WEBUI.match(webui or "")
    return unquote_plus(match.group(1)) if match else ""


def page(d: dict, base_url: str = "", kind: str = PAGE) -> Page:
    """PageSingle/BlogPostSingle (neither carries a ``type``: ``kind`` is the endpoint's)."""
    link = links(d)
    embedded = d.get("labels")
    labels: tuple[Label, ...] = ()
    complete = False
    if isinstance(embedded, dict) and isinstance(embedded.get("results"), list):
        labels = tuple(label(x) for x in embedded["results"] if isinstance(x, dict))
        # PageSingle.labels: ``meta`` (OptionalFieldMeta) says ``hasMore`` past the first 50
        complete = obj(embedded.get("meta")).get("hasMore") is False
    return Page(
        id=sid(d.get("id")),
        title=d.get("title") or "",
        space_id=sid(d.get("spaceId")),
        version=version(d.get("version") or {}),
        storage=storage_of(d.get("body")),
        parent_id=opt_id(d.get("parentId")),
        status=d.get("status") or "current",
        author_id=sid(d.get("authorId")),
        created_at=d.get("createdAt") or "",
        webui=link.get("webui", ""),
        base_url=link.get("base") or base_url,
        space_key=space_key_of(link.get("webui", "")),
        labels=labels,
        type=d["type"] if d.get("type") in BODY_KINDS else kind,
        labels_complete=complete,
    )


def comment(d: dict, page_id: str = "") -> Comment:
    return Comment(
        id=sid(d.get("id")),
        page_id=sid(d.get("pageId") or d.get("blogPostId")) or page_id,
        storage=storage_of(d.get("body")) or "",
        version=version(d.get("version") or {}),
        parent_id=opt_id(d.get("parentCommentId")),
        author_id=sid((d.get("version") or {}).get("authorId") or d.get("authorId")),
        created_at=(d.get("version") or {}).get("createdAt") or d.get("createdAt") or "",
    )


def inline_comment(d: dict, page_id: str = "") -> Comment:
    """InlineCommentModel / PageInlineCommentModel / InlineCommentChildrenModel (v2 spec):
    ``resolutionStatus`` and ``properties.inlineMarkerRef``/``inlineOriginalSelection`` (or their
    deprecated hyphenated spellings)."""
    props = obj(d.get("properties"))
    return replace(
        comment(d, page_id),
        inline=True,
        selection=str(
            props.get("inlineOriginalSelection") or props.get("inline-original-selection") or ""
        ),
        marker_ref=str(props.get("inlineMarkerRef") or props.get("inline-marker-ref") or ""),
        resolution=str(d.get("resolutionStatus") or ""),
    )


def user(d: dict) -> User:
    return User(
        account_id=sid(d.get("accountId") or d.get("userKey") or d.get("username")),
        display_name=d.get("displayName") or d.get("publicName") or "",
        email=d.get("email") or "",
    )
