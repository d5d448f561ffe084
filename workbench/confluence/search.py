"""CQL search over v1 ``/rest/api/search`` (Cloud and Data Center).

Some Cloud tenants answer ``/rest/api/search`` with 400 and an HTML page while
``/rest/api/content/search`` works (mcp-atlassian #1596): that case falls back once. Results
keep Confluence's ``@@@hl@@@`` markers in ``title_hl``/``excerpt``; ``SearchResult.plain_title``
and ``strip_highlight`` remove them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import urlsplit

from workbench.confluence import parse_v1
from workbench.confluence.errors import BadQuery, ServerError
from workbench.confluence.http_errors import json_body
from workbench.confluence.models import SearchPage, SearchResult
from workbench.confluence.parse_v2 import obj
from workbench.confluence.writes import WriteApi
from workbench.errors import UsageError

SEARCH_EXPAND = "content.space,content.version"
CONTENT_SEARCH_EXPAND = "space,version"
MAX_SEARCH_PAGE = 100
#: Bound on pages fetched by one ``search`` iteration.
MAX_SEARCH_PAGES = 1000


class SearchApi(WriteApi):
    _content_search_only: bool = False

    def search(self, cql: str, limit: int | None = 25) -> AsyncIterator[SearchResult]:
        """Up to ``limit`` results in total (None: all of them), following the next links."""
        return self._search_all(cql, limit)

    async def _search_all(self, cql: str, limit: int | None) -> AsyncIterator[SearchResult]:
        if limit is not None and limit <= 0:
            return
        cursor: str | None = None
        produced = 0
        seen: set[str] = set()
        for _ in range(MAX_SEARCH_PAGES):
            size = MAX_SEARCH_PAGE if limit is None else min(MAX_SEARCH_PAGE, limit - produced)
            page = await self.search_page(cql, limit=size, cursor=cursor)
            for result in page.results:
                yield result
                produced += 1
                if limit is not None and produced >= limit:
                    return
            if not page.next_cursor or not page.results or page.next_cursor in seen:
                return
            seen.add(page.next_cursor)
            cursor = page.next_cursor
        return

    async def search_page(self, cql: str, limit: int = 25, cursor: str | None = None) -> SearchPage:
        """One page of results. ``cursor`` is ``next_cursor`` of the previous page (opaque)."""
        cql = (cql or "").strip()
        if not cql:
            raise UsageError(
                'The CQL query is empty. Example: type = page and text ~ "release notes".'
            )
        if cursor:
            url, params = self._cursor_url(cursor), None
        elif self._content_search_only:
            url, params = self._content_search(cql, limit)
        else:
            url = self.urls.v1("/search")
            params = {"cql": cql, "limit": limit, "excerpt": "highlight", "expand": SEARCH_EXPAND}
        try:
            response = await self._send("GET", url, params=params, what="the search", search=True)
        except BadQuery as exc:
            if cursor or self._content_search_only or not exc.html_body:
                raise
            # #1596: /search gave 400 + HTML; /content/search runs on another backend.
            self._content_search_only = True
            url, params = self._content_search(cql, limit)
            response = await self._send("GET", url, params=params, what="the search", search=True)
        data = json_body(response, what="the search")
        if not isinstance(data, dict) or not isinstance(data.get("results", []), list):
            raise ServerError(
                "The server's answer to the search is not Confluence's (no list of results). "
                "Is the URL the Confluence base URL?"
            )
        links = obj(data.get("_links"))
        self.urls.learn_site(
            links.get("base")
        )  # hit URLs are on the site, not on the OAuth gateway
        results = tuple(
            parse_v1.search_result(item, self.urls.web)
            for item in data.get("results") or ()
            if isinstance(item, dict)
        )
        next_link = links.get("next")
        if next_link is not None:
            self.urls.resolve_next(next_link, context=links.get("context"))  # validates it
        total = data.get("totalSize")
        return SearchPage(
            results=results,
            total_size=total if isinstance(total, int) else None,
            next_cursor=next_link or None,
        )

    def _content_search(self, cql: str, limit: int) -> tuple[str, dict]:
        return self.urls.v1("/content/search"), {
            "cql": cql,
            "limit": limit,
            "expand": CONTENT_SEARCH_EXPAND,
        }

    def _cursor_url(self, cursor: str) -> str:
        if cursor.startswith("/"):
            resolved = self.urls.resolve_next(cursor)
            assert resolved is not None
            path = urlsplit(resolved).path
            if path.endswith(("/rest/api/search", "/rest/api/content/search")):
                return resolved
        raise UsageError(
            "That search cursor is not one this client produced; run the search again."
        )
