"""v1 version history, as each flavour really serves it.

- ``GET /rest/api/content/{id}/history`` (Cloud v1 spec ``ContentHistory``; Data Center too): the
  latest version, the previous one, who created the content and when.
- Cloud: ``GET /wiki/rest/api/content/{id}/version`` (``VersionArray``, newest first) and
  ``GET /wiki/rest/api/content/{id}/version/{versionNumber}`` (``Version``), both in the v1 spec.
- Data Center has no ``/rest/api/content/{id}/version`` list: Atlassian's knowledge base ("How to
  retrieve all previous versions of content using the REST API", Data Center only,
  support.atlassian.com/confluence/kb/how-to-retrieve-all-previous-versions-of-content-using-the-rest-api/)
  lists versions at ``/rest/experimental/content/{id}/version`` and a body with
  ``/rest/api/content/{id}?status=historical&version=N``. The answer's shape is a recorded real one:
  Virtomize/confluence-go-api ``mocks/version.json`` (commit 1fc79fc, MIT), a DC 7 answer under
  ``/confluence`` (``by``, ``when``, ``message``, ``number``, ``minorEdit``, ``hidden``,
  ``_links.self`` on ``/rest/experimental/…``, ``_expandable.content``; ``start``/``limit``/``size``).
  On Cloud the experimental resource is absent (atlassian-python-api uses it only off Cloud).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workbench.emulator import shapes_v1
from workbench.emulator.errors import bad_request, not_found
from workbench.emulator.http import int_param, no_endpoint, state_of, store_of
from workbench.emulator.paging import context_path, site_base
from workbench.emulator.store_content import BLOGPOST, DC_KINDS, TREE_KINDS

MAX_LIMIT = 200  # the recorded DC answer's page size


def _kinds(request: Request) -> tuple[str, ...]:
    return DC_KINDS if state_of(request).is_dc else (*TREE_KINDS, BLOGPOST)


def _window(request: Request) -> tuple[int, int]:
    start = int_param(request, "start", 0) or 0
    limit = int_param(request, "limit", MAX_LIMIT) or MAX_LIMIT
    if start < 0 or limit < 1:
        raise bad_request("start must be 0 or more and limit at least 1.")
    return start, min(limit, MAX_LIMIT)


def _as_content(row: dict[str, Any]) -> dict[str, Any]:
    """A ``page_versions`` row in the shape ``shapes_v1.version_v1`` reads."""
    return {
        "id": row["page_id"],
        "version": row["number"],
        "modified_by": row["author_id"],
        "modified_at": row["created_at"],
        "version_message": row["message"],
        "minor_edit": row["minor_edit"],
    }


def _number(request: Request) -> int:
    try:
        return int(request.path_params["number"])
    except ValueError:
        raise not_found("The version") from None


def _list(
    request: Request, rows: list[dict[str, Any]], start: int, limit: int, render, path: str
) -> JSONResponse:
    base = site_base(request)
    links: dict[str, str] = {
        "self": f"{base}{path}",
        "base": base,
        "context": context_path(request),
    }
    if len(rows) > limit:
        params = [
            (k, v) for k, v in request.query_params.multi_items() if k not in ("start", "limit")
        ]
        links["next"] = (
            f"{path}?{urlencode([*params, ('limit', str(limit)), ('start', str(start + limit))])}"
        )
    results = [render(r) for r in rows[:limit]]
    return JSONResponse(
        {"results": results, "start": start, "limit": limit, "size": len(results), "_links": links}
    )


async def history(request: Request) -> Response:
    """``ContentHistory``: ``latest``, ``createdBy``, ``createdDate``, ``lastUpdated``,
    ``previousVersion`` (from version 2 on)."""
    store = store_of(request)
    row = store.get_page(request.path_params["id"], kinds=_kinds(request))
    base = site_base(request)
    newest = store.versions(row["id"], limit=2)
    out: dict[str, Any] = {
        "latest": True,
        "createdBy": shapes_v1.user_v1(
            store.user(row["author_id"])
            or {"account_id": row["author_id"], "display_name": row["author_id"]},
            base,
        ),
        "createdDate": row["created_at"],
        "lastUpdated": _version(request, newest[0], row),
        "_links": {
            "self": f"{base}/rest/api/content/{row['id']}/history",
            "base": base,
            "context": context_path(request),
        },
        "_expandable": {"contributors": "", "nextVersion": ""},
    }
    if len(newest) > 1:
        out["previousVersion"] = _version(request, newest[1], row)
    return JSONResponse(out)


def _version(
    request: Request, version_row: dict[str, Any], content: dict[str, Any]
) -> dict[str, Any]:
    """A v1 ``Version``; on Data Center its links point where DC serves versions (KB above)."""
    store, base = store_of(request), site_base(request)
    out = shapes_v1.version_v1(store, _as_content(version_row), base)
    number = version_row["number"]
    if state_of(request).is_dc:
        out.pop("friendlyWhen", None)
        out.pop("contentTypeModified", None)
        out["hidden"] = False
        out["_links"] = {
            "self": f"{base}/rest/experimental/content/{content['id']}/version/{number}"
        }
        historical = number != content["version"]
        out["_expandable"] = {
            "content": f"/rest/api/content/{content['id']}"
            + (f"?status=historical&version={number}" if historical else "")
        }
    else:
        out["_expandable"] = {"content": f"/rest/api/content/{content['id']}", "collaborators": ""}
    return out


async def cloud_versions(request: Request) -> Response:
    """Cloud v1 ``GET /content/{id}/version``; Data Center has no such resource."""
    if state_of(request).is_dc:
        return no_endpoint(request)
    return _versions(request, f"/rest/api/content/{request.path_params['id']}/version")


async def cloud_version(request: Request) -> Response:
    if state_of(request).is_dc:
        return no_endpoint(request)
    return _one_version(request)


async def dc_versions(request: Request) -> Response:
    """Data Center ``GET /rest/experimental/content/{id}/version`` (absent on Cloud)."""
    if not state_of(request).is_dc:
        return no_endpoint(request)
    return _versions(request, f"/rest/experimental/content/{request.path_params['id']}/version")


async def dc_version(request: Request) -> Response:
    if not state_of(request).is_dc:
        return no_endpoint(request)
    return _one_version(request)


def _versions(request: Request, path: str) -> Response:
    store = store_of(request)
    row = store.get_page(request.path_params["id"], kinds=_kinds(request))
    start, limit = _window(request)
    rows = store.versions(row["id"], offset=start, limit=limit + 1)
    return _list(request, rows, start, limit, lambda v: _version(request, v, row), path)


def _one_version(request: Request) -> Response:
    store = store_of(request)
    row = store.get_page(request.path_params["id"], kinds=_kinds(request))
    found = store.version(row["id"], _number(request))
    return JSONResponse(_version(request, found, row))


def history_routes():
    """Under ``/wiki/rest/api``."""
    return [
        ("/content/{id}/history", history, ["GET"]),
        ("/content/{id}/version", cloud_versions, ["GET"]),
        ("/content/{id}/version/{number}", cloud_version, ["GET"]),
    ]


def experimental_routes():
    """Under ``/wiki/rest/experimental`` (the canonical form of DC's ``{context}/rest/experimental``)."""
    return [
        ("/content/{id}/version", dc_versions, ["GET"]),
        ("/content/{id}/version/{number}", dc_version, ["GET"]),
    ]
