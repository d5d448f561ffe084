"""Cursor pagination as Confluence Cloud does it: ``limit``, opaque ``cursor``, ``_links.next`` and ``Link``."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse

from workbench.emulator.errors import bad_request
from workbench.emulator.flavour import SiteBase
from workbench.emulator.http import int_param

DEFAULT_LIMIT = 25
MAX_LIMIT = 250


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"wb:{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, number = raw.partition(":")
        if prefix != "wb":
            raise ValueError
        offset = int(number)
        if not 0 <= offset < 2**62:
            raise ValueError
        return offset
    except (ValueError, UnicodeDecodeError):
        raise bad_request(
            "The cursor is not valid; take it from a _links.next link unchanged."
        ) from None


def window(
    request: Request, *, default: int = DEFAULT_LIMIT, maximum: int = MAX_LIMIT
) -> tuple[int, int]:
    """``(offset, limit)`` from the request's ``cursor`` and ``limit`` (limit clamped to 1..maximum)."""
    limit = int_param(request, "limit", default)
    if limit < 1:
        raise bad_request("The limit must be at least 1.")
    limit = min(limit, maximum)
    cursor = request.query_params.get("cursor")
    offset = decode_cursor(cursor) if cursor else 0
    return offset, limit


def canonical_path(request: Request) -> str:
    """The request's path as Confluence names it (``/wiki/...``), without any gateway prefix."""
    return request.scope.get("wb.canonical_path", request.url.path)


def next_link(request: Request, offset: int) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
    params.append(("cursor", encode_cursor(offset)))
    return f"{canonical_path(request)}?{urlencode(params)}"


def site_base(request: Request) -> SiteBase:
    """The site's wiki root (``_links.base``): ``http://127.0.0.1:8090/wiki`` on Cloud,
    ``http://127.0.0.1:8090/confluence`` (or no path) on Data Center."""
    state = request.app.state.emulator
    return SiteBase(
        f"{request.url.scheme}://{request.url.netloc}", state.context_path, state.flavour
    )


def context_path(request: Request) -> str:
    """``_links.context``: ``/wiki``, the Data Center context path, or ``""``."""
    return request.app.state.emulator.context_path


def v2_list(request: Request, rows: list[Any], offset: int, limit: int, render) -> JSONResponse:
    """A v2 list response from ``limit + 1`` fetched rows: results, ``_links.next`` and ``Link``."""
    more = len(rows) > limit
    body: dict[str, Any] = {
        "results": [render(r) for r in rows[:limit]],
        "_links": {"base": site_base(request)},
    }
    headers = {}
    if more:
        link = next_link(request, offset + limit)
        body["_links"]["next"] = link
        headers["Link"] = f'<{link}>; rel="next", <{site_base(request)}>; rel="base"'
    return JSONResponse(body, headers=headers)
