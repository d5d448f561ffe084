"""Reads for copying whole spaces (the local index, ``workbench sync``): content lists by CQL, bodies
by id in bulk, the trash, and counts.

- **Listing**: v1 ``GET /rest/api/search`` (Cloud and Data Center) with ``expand=content.version,
  content.metadata.labels,content.ancestors,content.history`` and ``excerpt=none``: one answer names
  each item's version, last modification (``version.when``), labels, parent (the last ancestor) and
  creator, without bodies. Expansions on this endpoint take the ``content.`` prefix (fact sheet §3).
  Some Cloud tenants answer ``/search`` with an HTML 400 while ``/content/search`` works
  (mcp-atlassian #1596): then the same listing goes there (expansions without the prefix).
- **Bodies in bulk**: Cloud v2 ``GET /pages?id=…&body-format=storage`` and ``/blogposts?id=…`` (up to
  250 ids; v2 spec ``id`` "Filter the results based on page ids"); Data Center v1
  ``/rest/api/content/search?cql=id in (…)&expand=body.storage,…`` (DC has no v2). On Cloud the v1
  body expansions are avoided: ``body.storage`` on CQL content search is known to fail there
  (CONFCLOUD-76433, worked around in onyx-dot-app/onyx ``onyx_confluence.py``).
- **Trash**: Cloud v2 ``/spaces/{id}/pages?status=trashed`` and ``/spaces/{id}/blogposts?status=trashed``
  (v2 spec: status "current, archived, deleted, trashed"); Data Center ``/rest/api/content?spaceKey=&
  type=&status=trashed`` (DC REST: "status … defaults to current").
- **Counts**: ``totalSize`` of a one-result ``/rest/api/search`` answer (v1 spec ``SearchPageResponseSearchResult``).

Every answer's ``Date`` header gives the server's clock (``ListingPage.server_time``), so callers can
put relative CQL dates (``now("-90m")``) on the server's time.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from workbench.confluence import parse_v2
from workbench.confluence.core import V1_PAGE_SIZE, V2_PAGE_SIZE, ClientCore
from workbench.confluence.errors import BadQuery, ServerError
from workbench.confluence.http_errors import json_body
from workbench.confluence.models import BLOGPOST, PAGE
from workbench.confluence.urls import segment
from workbench.errors import UsageError

#: What a listing asks for each item (``content.``-prefixed on ``/rest/api/search``).
LISTING_EXPAND = ("version", "metadata.labels", "ancestors", "history")
#: What a Data Center bulk read asks for (the body as well).
DC_BODY_EXPAND = "body.storage,version,metadata.labels,ancestors,history,space"
#: Ids per bulk read: the v2 ``limit`` maximum.
MAX_BULK = V2_PAGE_SIZE
#: Results per listing request (the server may give fewer; next links say where the rest is).
LISTING_LIMIT = 250


@dataclass(frozen=True, slots=True)
class ContentRecord:
    """One piece of content as a listing or a bulk read describes it.

    ``labels`` is None when the answer did not say (a v2 bulk read has none); ``storage`` is None
    when no body was asked for. ``names`` are ``(account id, display name)`` pairs the answer gave
    (the creator and the last editor on v1)."""

    id: str
    type: str
    title: str
    space_key: str = ""
    status: str = "current"
    version: int = 0
    modified_at: str = ""
    modified_by: str = ""
    created_at: str = ""
    author_id: str = ""
    parent_id: str | None = None
    parent_type: str | None = None
    labels: tuple[str, ...] | None = None
    storage: str | None = None
    webui: str = ""
    names: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ListingPage:
    """One answer of a listing: its records, the total the server counted (None if it did not say),
    the cursor of the next answer (None on the last), and the server's clock (epoch seconds)."""

    records: tuple[ContentRecord, ...]
    total: int | None
    next_cursor: str | None
    server_time: float | None


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _user_id(user: Any) -> tuple[str, str]:
    if not isinstance(user, dict):
        return "", ""
    ident = parse_v2.sid(user.get("accountId") or user.get("userKey") or user.get("username"))
    return ident, str(user.get("displayName") or user.get("publicName") or "")


def record_v1(d: dict[str, Any], space_key: str = "") -> ContentRecord:
    """v1 ``Content`` (a listing hit's ``content``, or a Data Center bulk item)."""
    version = _obj(d.get("version"))
    modifier, modifier_name = _user_id(version.get("by"))
    history = _obj(d.get("history"))
    creator, creator_name = _user_id(history.get("createdBy"))
    ancestors = [a for a in d.get("ancestors") or () if isinstance(a, dict)]
    parent = ancestors[-1] if ancestors else None
    labels: tuple[str, ...] | None = None
    meta = _obj(d.get("metadata"))
    if isinstance(meta.get("labels"), dict):
        labels = tuple(
            sorted(
                str(x.get("name") or x.get("label") or "")
                for x in meta["labels"].get("results") or ()
                if isinstance(x, dict)
            )
        )
    space = _obj(d.get("space"))
    names = tuple(
        (i, n) for i, n in ((modifier, modifier_name), (creator, creator_name)) if i and n
    )
    return ContentRecord(
        id=parse_v2.sid(d.get("id")),
        type=str(d.get("type") or PAGE),
        title=str(d.get("title") or ""),
        space_key=str(space.get("key") or space_key),
        status=str(d.get("status") or "current"),
        version=int(version.get("number") or 0),
        modified_at=str(version.get("when") or ""),
        modified_by=modifier,
        created_at=str(history.get("createdDate") or ""),
        author_id=creator,
        parent_id=parse_v2.opt_id(parent.get("id")) if parent else None,
        parent_type=str(parent.get("type") or PAGE) if parent else None,
        labels=labels,
        storage=parse_v2.storage_of(d.get("body")),
        webui=str(parse_v2.links(d).get("webui") or ""),
        names=names,
    )


def record_v2(d: dict[str, Any], kind: str, space_key: str = "") -> ContentRecord:
    """v2 ``PageBulk`` / ``BlogPostBulk`` (no labels, no space key: the caller knows it)."""
    version = _obj(d.get("version"))
    return ContentRecord(
        id=parse_v2.sid(d.get("id")),
        type=kind,
        title=str(d.get("title") or ""),
        space_key=space_key or parse_v2.space_key_of(parse_v2.links(d).get("webui", "")),
        status=str(d.get("status") or "current"),
        version=int(version.get("number") or 0),
        modified_at=str(version.get("createdAt") or ""),
        modified_by=parse_v2.sid(version.get("authorId")),
        created_at=str(d.get("createdAt") or ""),
        author_id=parse_v2.sid(d.get("authorId")),
        parent_id=parse_v2.opt_id(d.get("parentId")),
        parent_type=str(d.get("parentType") or PAGE) if d.get("parentId") else None,
        storage=parse_v2.storage_of(d.get("body")),
        webui=str(parse_v2.links(d).get("webui") or ""),
    )


def server_time(response: httpx.Response) -> float | None:
    """The server's clock from the ``Date`` header (epoch seconds), or None."""
    value = response.headers.get("Date")
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


class BulkApi(ClientCore):
    _listing_content_search: bool = False

    async def content_page(
        self,
        cql: str,
        *,
        cursor: str | None = None,
        limit: int = LISTING_LIMIT,
        expand: Sequence[str] = LISTING_EXPAND,
    ) -> ListingPage:
        """One answer of a CQL content listing (no excerpts; ``expand`` names v1 content expansions)."""
        if cursor:
            url, params = self._listing_cursor(cursor), None
        elif self._listing_content_search:
            url, params = (
                self.urls.v1("/content/search"),
                {"cql": cql, "limit": limit, "expand": ",".join(expand)},
            )
        else:
            url = self.urls.v1("/search")
            params = {
                "cql": cql,
                "limit": limit,
                "excerpt": "none",
                "expand": ",".join(f"content.{e}" for e in expand),
            }
        try:
            response = await self._send(
                "GET", url, params=params, what="the content listing", search=True
            )
        except BadQuery as exc:
            if cursor or self._listing_content_search or not exc.html_body:
                raise
            self._listing_content_search = True  # mcp-atlassian #1596: /search answered an HTML 400
            return await self.content_page(cql, limit=limit, expand=expand)
        data = json_body(response, what="the content listing")
        if not isinstance(data, dict) or not isinstance(data.get("results", []), list):
            raise ServerError(
                "The server's answer to the content listing is not Confluence's (no list of results)."
            )
        links = _obj(data.get("_links"))
        self.urls.learn_site(links.get("base"))
        records = []
        for item in data.get("results") or ():
            if not isinstance(item, dict):
                continue
            content: dict[str, Any] | None = _obj(item.get("content")) or None
            if content is None and "entityType" not in item:
                content = item  # /content/search: bare Content
            if content is None or not content.get("id"):
                continue  # a space or user hit
            records.append(record_v1(content))
        next_link = links.get("next")
        if next_link:
            self.urls.resolve_next(
                next_link, context=links.get("context")
            )  # refuses a link off the site
        total = data.get("totalSize")
        return ListingPage(
            tuple(records),
            total if isinstance(total, int) else None,
            next_link or None,
            server_time(response),
        )

    def _listing_cursor(self, cursor: str) -> str:
        if cursor.startswith("/"):
            resolved = self.urls.resolve_next(cursor)
            if resolved is not None and urlsplit(resolved).path.endswith(
                ("/rest/api/search", "/rest/api/content/search")
            ):
                return resolved
        raise UsageError(
            "That listing cursor is not one this client produced; start the listing again."
        )

    async def content_count(self, cql: str) -> int | None:
        """How many pieces of content ``cql`` finds (``totalSize``), or None when the server does not say."""
        page = await self.content_page(cql, limit=1, expand=())
        return page.total

    async def bodies(self, ids: Sequence[str], *, kind: str = PAGE) -> list[ContentRecord]:
        """Pages (or blog posts, ``kind``) with their storage bodies, by id: at most :data:`MAX_BULK`
        ids, one request when they fit one answer. Ids the server does not return (trashed since,
        not visible) are simply missing."""
        ids = [i for i in dict.fromkeys(ids) if i]
        if not ids:
            return []
        if len(ids) > MAX_BULK:
            raise UsageError(f"At most {MAX_BULK} ids per bulk read.")
        if kind not in (PAGE, BLOGPOST):
            raise UsageError(f"Bodies in bulk are read for pages and blog posts, not {kind}.")
        if self.is_dc:
            params = {
                "cql": cql_ids(ids),
                "limit": min(V1_PAGE_SIZE, len(ids)),
                "expand": DC_BODY_EXPAND,
            }
            pages = self._paginate(
                self.urls.v1("/content/search"), params, record_v1, what="page bodies"
            )
            return [r async for r in pages]
        collection = "blogposts" if kind == BLOGPOST else "pages"
        params = {"id": ids, "body-format": "storage", "limit": MAX_BULK, "status": "current"}
        pages = self._paginate(
            self.urls.v2(f"/{collection}"), params, lambda d: record_v2(d, kind), what="page bodies"
        )
        return [r async for r in pages]

    async def trashed(self, space_id: str, space_key: str) -> AsyncIterator[ContentRecord]:
        """The space's pages and blog posts in the trash (ids and types; bodies not asked for)."""
        for kind in (PAGE, BLOGPOST):
            if self.is_dc:
                params = {
                    "spaceKey": space_key,
                    "type": kind,
                    "status": "trashed",
                    "limit": V1_PAGE_SIZE,
                }
                items = self._paginate(
                    self.urls.v1("/content"), params, record_v1, what=f"trash of {space_key}"
                )
            else:
                collection = "blogposts" if kind == BLOGPOST else "pages"
                params = {"status": "trashed", "limit": V2_PAGE_SIZE}
                items = self._paginate(
                    self.urls.v2(f"/spaces/{segment(space_id)}/{collection}"),
                    params,
                    _v2_parser(kind, space_key),
                    what=f"trash of {space_key}",
                )
            async for record in items:
                yield record


def _v2_parser(kind: str, space_key: str):
    return lambda d: record_v2(d, kind, space_key)


_DIGITS = re.compile(r"[0-9]{1,19}")


def cql_ids(ids: Iterable[str]) -> str:
    """``id in (1, 2, 3)`` for Confluence's numeric ids (anything else is left out)."""
    return "id in (" + ", ".join(i for i in ids if _DIGITS.fullmatch(i)) + ")"
