"""Any kind of content as the v2 API shapes it (``PageSingle``, ``BlogPostSingle``, ``FolderSingle``
& co., ``tests/specs/confluence-cloud-v2.openapi.json``, 2025-02), with the ``view`` and
``export_view`` bodies rendered from storage, and the paged list of pages or blog posts that the v2
list routes share (``title``, ``status``, ``sort``, ``body-format``)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from workbench.emulator import shapes
from workbench.emulator.errors import bad_request
from workbench.emulator.http import (
    account_of,
    body_format_name,
    int_list_param,
    list_param,
    store_of,
)
from workbench.emulator.paging import site_base, v2_list, window
from workbench.emulator.render_view import render_view
from workbench.emulator.space_access import visible_spaces
from workbench.emulator.store_content import BLOGPOST, PAGE

SINGLE_FORMATS = (
    "storage",
    "view",
    "export_view",
)  # of PrimaryBodyRepresentationSingle, those served here
LIST_FORMATS = ("storage",)


def space_key(request: Request, space_id: int) -> str:
    cache: dict[int, str] = request.state.__dict__.setdefault("space_keys", {})
    if space_id not in cache:
        cache[space_id] = store_of(request).get_space(space_id)["key"]
    return cache[space_id]


def render(
    request: Request, row: dict[str, Any], *, fmt: str | None = None, single: bool = False
) -> dict[str, Any]:
    """Any kind of content as the v2 API shapes it (``single``: the ``…Single`` form with ``_links.base``)."""
    key = space_key(request, row["space_id"])
    base = site_base(request) if single else None
    kind = row.get("type") or PAGE
    if kind == PAGE:
        out = shapes.page_v2(row, key, body=fmt == "storage", base=base)
    elif kind == BLOGPOST:
        out = shapes.blogpost_v2(row, key, body=fmt == "storage", base=base)
    else:
        return shapes.tree_item_v2(row, key, base=base)
    if fmt in ("view", "export_view"):
        html = render_view(
            row.get("body") or "",
            base=site_base(request),
            space_key=key,
            absolute=fmt == "export_view",
        )
        out["body"] = {fmt: {"representation": fmt, "value": html}}
    return out


def renderer(request: Request, fmt: str | None = None):
    return lambda row: render(request, row, fmt=fmt)


def statuses(request: Request) -> tuple[str, ...]:
    found = tuple(list_param(request, "status")) or ("current", "archived")
    for status in found:
        if status not in (
            "current",
            "archived",
            "trashed",
            "deleted",
            "draft",
            "any",
            "historical",
        ):
            raise bad_request(f"Invalid status '{status}'.")
    if "any" in found:
        return ("current", "archived", "trashed")
    return found


def content_list(request: Request, kind: str, **filters: Any) -> Response:
    """A page of pages or blog posts: ``title``, ``status``, ``sort``, ``body-format`` and paging."""
    offset, limit = window(request)
    fmt = body_format_name(request, LIST_FORMATS)
    rows = store_of(request).list_pages(
        title=request.query_params.get("title"),
        statuses=statuses(request),
        sort=request.query_params.get("sort") or "id",
        offset=offset,
        limit=limit + 1,
        with_body=fmt is not None,
        types=(kind,),
        **filters,
    )
    return v2_list(request, rows, offset, limit, renderer(request, fmt))


def content_lister(kind: str):
    """``GET /pages`` or ``GET /blogposts``: the list of one kind, by ``space-id`` and ``id`` too."""

    async def handler(request: Request) -> Response:
        space_ids = int_list_param(request, "space-id")
        # getPages / getBlogPosts: only what the user has permission to view
        seen = visible_spaces(store_of(request), account_of(request))
        if seen is not None:
            space_ids = [i for i in space_ids if i in seen] if space_ids else sorted(seen)
            if not space_ids:
                offset, limit = window(request)
                return v2_list(request, [], offset, limit, renderer(request, None))
        return content_list(request, kind, space_ids=space_ids, ids=int_list_param(request, "id"))

    return handler
