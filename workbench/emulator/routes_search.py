"""v1 CQL search: ``GET /rest/api/search`` and ``GET /rest/api/content/search``.

Invalid CQL answers 400 with the v1 error body and a message that says where the query is wrong:
``Could not parse cql : <query> (at character 12: expected an operator after 'titl', found '"x"')``.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workbench.emulator import shapes_v1
from workbench.emulator.errors import ApiError, bad_request
from workbench.emulator.http import account_of, int_param, state_of, store_of
from workbench.emulator.paging import context_path, decode_cursor, encode_cursor, site_base
from workbench.emulator.schema import plain_text
from workbench.emulator.space_access import viewable_sql

HL, END_HL = "@@@hl@@@", "@@@endhl@@@"
MAX_LIMIT = 250
EXCERPT_CHARS = 220


def _cql_context_space(request: Request) -> str | None:
    raw = request.query_params.get("cqlcontext")
    if not raw:
        return None
    try:
        context = json.loads(raw)
    except json.JSONDecodeError:
        raise bad_request('cqlcontext must be JSON, e.g. {"spaceKey":"ENG"}.') from None
    return context.get("spaceKey") if isinstance(context, dict) else None


def _run(request: Request) -> tuple[str, list[dict[str, Any]], int, int, int, list[str], bool]:
    """Evaluate the request's CQL: ``(cql, rows, total, offset, limit, terms, offset_paging)``."""
    # lazy, for start-up: the CQL parser and its SQL compiler load at the first search, not
    # before the demo's server answers its first requests
    from workbench.confluence import cql
    from workbench.emulator.cql_sql import compile_query

    text = request.query_params.get("cql")
    if text is None or not text.strip():
        raise ApiError(400, "INVALID_CQL", "Could not parse cql : the cql parameter is required.")
    try:
        query = cql.parse(text)
    except cql.CqlDoubt as exc:
        if exc.reason.startswith("No field exists with the name"):
            # Cloud's own answer to an unknown field (fact sheet §4, [obs]): a BadRequestException 400
            raise bad_request(exc.reason) from None
        raise ApiError(
            400,
            "INVALID_CQL",
            f"Could not parse cql : {text} (at character {exc.position + 1}: {exc.reason})",
        ) from None
    except cql.CqlError as exc:
        raise ApiError(
            400,
            "INVALID_CQL",
            f"Could not parse cql : {text} (at character {exc.position + 1}: {exc.reason})",
        ) from None
    compiled = compile_query(
        query, account=account_of(request), space_key=_cql_context_space(request)
    )
    limit = int_param(request, "limit", 25) or 25
    if limit < 1:
        raise bad_request("The limit must be at least 1.")
    limit = min(limit, MAX_LIMIT)
    cursor = request.query_params.get("cursor")
    start = int_param(request, "start")
    if start is not None and start < 0:
        raise bad_request("start must be 0 or more.")
    offset = decode_cursor(cursor) if cursor else (start or 0)
    store = store_of(request)
    # Data Center has pages and blog posts only (no folders, whiteboards, databases, smart links)
    kinds = "AND p.type IN ('page', 'blogpost') " if state_of(request).is_dc else ""
    # searchByCQL: only what the user has permission to view (the spaces it may view)
    kinds += viewable_sql(store, account_of(request))
    base_sql = (
        f"FROM pages p JOIN spaces s ON s.id = p.space_id WHERE p.status = 'current' {kinds}"
        f"AND ({compiled.where})"
    )
    total = int(store.scalar(f"SELECT COUNT(*) {base_sql}", compiled.params))
    score = "-r.score" if compiled.join else "0.0"
    rows = store.query(
        f"SELECT p.*, s.key AS space_key, s.name AS space_name, s.type AS space_type, {score} AS score "
        f"FROM pages p JOIN spaces s ON s.id = p.space_id {compiled.join} "
        f"WHERE p.status = 'current' {kinds}AND ({compiled.where}) ORDER BY {compiled.order} LIMIT ? OFFSET ?",
        [*compiled.join_params, *compiled.params, limit, offset],
    )
    return text, rows, total, offset, limit, compiled.terms, start is not None and not cursor


def highlight(text: str, terms: list[str]) -> str:
    """Wrap every word starting with one of ``terms`` in Confluence's highlight markers."""
    stems = sorted(
        {t.split("*")[0].split("?")[0].lower() for t in terms if t.strip("*?")},
        key=len,
        reverse=True,
    )
    if not stems:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(s) for s in stems) + r")\w*", re.IGNORECASE)
    return pattern.sub(lambda m: f"{HL}{m.group(0)}{END_HL}", text)


def excerpt(body: str, terms: list[str]) -> str:
    text = plain_text(body)
    start = 0
    if terms:
        stems = [t.split("*")[0].split("?")[0] for t in terms if t.strip("*?")]
        hits = [
            m.start() for s in stems if (m := re.search(r"\b" + re.escape(s), text, re.IGNORECASE))
        ]
        if hits:
            start = max(0, min(hits) - 60)
            start = text.rfind(" ", 0, start) + 1 if start else 0
    snippet = text[start : start + EXCERPT_CHARS]
    if start + EXCERPT_CHARS < len(text):
        snippet = snippet.rsplit(" ", 1)[0] + "…"
    return ("…" if start else "") + highlight(snippet, terms)


def _next_link(request: Request, path: str, offset: int, limit: int, offset_paging: bool) -> str:
    params = [
        (k, v)
        for k, v in request.query_params.multi_items()
        if k not in ("cursor", "start", "limit")
    ]
    params.append(("limit", str(limit)))
    params.append(("start", str(offset)) if offset_paging else ("cursor", encode_cursor(offset)))
    return f"{path}?{urlencode(params)}"


def _links(
    request: Request, path: str, offset: int, limit: int, size: int, total: int, offset_paging: bool
) -> dict[str, str]:
    links = {
        "base": site_base(request),
        "context": context_path(request),
        "self": f"{site_base(request)}{path}?{urlencode(list(request.query_params.multi_items()))}",
    }
    if offset + size < total:
        links["next"] = _next_link(request, path, offset + limit, limit, offset_paging)
    if offset > 0:
        links["prev"] = _next_link(request, path, max(0, offset - limit), limit, offset_paging)
    return links


async def search(request: Request) -> Response:
    began = time.perf_counter()
    text, rows, total, offset, limit, terms, offset_paging = _run(request)
    store = store_of(request)
    base = site_base(request)
    expand = {e.strip() for e in (request.query_params.get("expand") or "").split(",") if e.strip()}
    results = []
    for row in rows:
        content = shapes_v1.content_v1(
            store,
            row,
            {"space"} | {e[len("content.") :] for e in expand if e.startswith("content.")},
            base,
        )
        parent = (
            store.query_one("SELECT title FROM pages WHERE id = ?", (row["parent_id"],))
            if row["parent_id"]
            else None
        )
        results.append(
            {
                "content": content,
                "title": highlight(row["title"], terms),
                "excerpt": excerpt(row["body"], terms)
                if request.query_params.get("excerpt") != "none"
                else "",
                "url": shapes_v1.webui_for(base, row, row["space_key"]),
                "resultParentContainer": {
                    "title": parent["title"],
                    "displayUrl": f"/pages/viewpage.action?pageId={row['parent_id']}",
                }
                if parent
                else None,
                "resultGlobalContainer": {
                    "title": row["space_name"],
                    "displayUrl": shapes_v1.space_webui_for(base, row["space_key"]),
                },
                "breadcrumbs": [],
                "entityType": "content",
                "iconCssClass": f"aui-icon content-type-{row['type']}",
                "lastModified": row["modified_at"],
                "friendlyLastModified": shapes_v1.friendly(row["modified_at"]),
                "score": round(float(row["score"] or 0.0), 4),
            }
        )
        if results[-1]["resultParentContainer"] is None:
            del results[-1]["resultParentContainer"]
    path = "/rest/api/search"
    return JSONResponse(
        {
            "results": results,
            "start": offset,
            "limit": limit,
            "size": len(results),
            "totalSize": total,
            "cqlQuery": text,
            "searchDuration": int((time.perf_counter() - began) * 1000),
            "_links": _links(request, path, offset, limit, len(results), total, offset_paging),
        }
    )


async def content_search(request: Request) -> Response:
    _text, rows, total, offset, limit, _terms, offset_paging = _run(request)
    store = store_of(request)
    expand = {e.strip() for e in (request.query_params.get("expand") or "").split(",") if e.strip()}
    results = [shapes_v1.content_v1(store, row, expand, site_base(request)) for row in rows]
    path = "/rest/api/content/search"
    return JSONResponse(
        {
            "results": results,
            "start": offset,
            "limit": limit,
            "size": len(results),
            "_links": _links(request, path, offset, limit, len(results), total, offset_paging),
        }
    )


def search_routes():
    return [
        ("/search", search, ["GET"]),
        ("/content/search", content_search, ["GET"]),
    ]
