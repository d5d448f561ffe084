"""JQL search.

Cloud: ``GET/POST /rest/api/3/search/jql`` (``SearchAndReconcileResults``: ``issues``, ``isLast``,
``nextPageToken``; ``fields`` defaults to ``id``, the spec's default). The older ``/rest/api/{2,3}/search``
is gone from Cloud: it answers 410 with the words Jira Cloud uses ("The requested API has been
removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at
https://developer.atlassian.com/changelog/#CHANGE-2046", quoted from live answers in Adobe Workfront
Fusion's documentation and in a recorded live proof, see ``tests/contract/SOURCES.md``). Data Center: ``GET/POST
/rest/api/2/search`` with ``startAt``/``maxResults``/``total`` (``SearchResults``).

Bad JQL is a 400 ``ErrorCollection`` in Jira's words (:mod:`workbench.jira.jql`).
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workbench.emulator.http import state_of, store_of
from workbench.emulator.jira.bodies import body_out
from workbench.emulator.jira.errors import JiraError
from workbench.emulator.jira.http import account_of, api_of, base_of, jira_error, list_param
from workbench.emulator.jira.jql_sql import compile_jql
from workbench.emulator.jira.render import issue_json, wanted_fields
from workbench.jira import jql

REMOVED = (
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full "
    "migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"
)
MAX_RESULTS = 100  # /search/jql caps maxResults (5000 when only ids are asked for; 100 here always)


async def _params(request: Request) -> dict[str, Any]:
    if request.method == "POST":
        raw = await request.body()
        try:
            data = json.loads(raw or b"{}")
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise JiraError(400, "The request body is not JSON.") from None
        if not isinstance(data, dict):
            raise JiraError(400, "The request body must be a JSON object.")
        fields = data.get("fields")
        return {
            "jql": data.get("jql") or "",
            "fields": fields if isinstance(fields, list) else [],
            "maxResults": data.get("maxResults"),
            "startAt": data.get("startAt"),
            "nextPageToken": data.get("nextPageToken"),
        }
    return {
        "jql": request.query_params.get("jql") or "",
        "fields": list_param(request, "fields"),
        "maxResults": request.query_params.get("maxResults"),
        "startAt": request.query_params.get("startAt"),
        "nextPageToken": request.query_params.get("nextPageToken"),
    }


def _number(value: Any, name: str, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise JiraError(
            400, f"The value '{value}' for the parameter '{name}' is not a number."
        ) from None


def _run(request: Request, params: dict[str, Any], offset: int, limit: int):
    if not isinstance(params["jql"], str):
        raise JiraError(400, "The jql must be a string.")
    try:
        query = jql.parse(params["jql"])
    except jql.JqlError as exc:
        raise JiraError(400, exc.message) from None
    store = store_of(request)
    compiled = compile_jql(query, store, account=account_of(request))
    rows = store.jira_issue_rows(compiled.where, compiled.params, compiled.order, offset, limit + 1)
    return store, compiled, rows


def _token(jql_text: str, offset: int) -> str:
    digest = hashlib.sha256(jql_text.encode()).hexdigest()[:12]
    return base64.urlsafe_b64encode(json.dumps({"o": offset, "q": digest}).encode()).decode()


def _offset(token: Any, jql_text: str) -> int:
    if token in (None, ""):
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(str(token).encode()))
        offset = int(data["o"])
        same = data["q"] == hashlib.sha256(jql_text.encode()).hexdigest()[:12]
    except (ValueError, KeyError, TypeError):
        same, offset = False, 0
    if not same or offset < 0:
        raise JiraError(400, "The provided next page token is invalid or expired.")
    return offset


async def search_jql(request: Request) -> Response:
    if state_of(request).is_dc:  # Data Center has only /rest/api/2/search
        return jira_error(404, ["null for uri: " + str(request.url)])
    params = await _params(request)
    offset = _offset(params["nextPageToken"], str(params["jql"]))
    limit = max(1, min(MAX_RESULTS, _number(params["maxResults"], "maxResults", 50)))
    store, _compiled, rows = _run(request, params, offset, limit)
    base, api = base_of(request), api_of(request)
    fields = wanted_fields(params["fields"], "id")
    body: dict[str, Any] = {
        "issues": [issue_json(store, base, api, r, fields, body_out(api)) for r in rows[:limit]],
        "isLast": len(rows) <= limit,
    }
    if len(rows) > limit:
        body["nextPageToken"] = _token(str(params["jql"]), offset + limit)
    return JSONResponse(body)


async def search_old(request: Request) -> Response:
    if not state_of(request).is_dc:
        return jira_error(410, [REMOVED])
    params = await _params(request)
    start = max(0, _number(params["startAt"], "startAt", 0))
    limit = max(0, min(1000, _number(params["maxResults"], "maxResults", 50)))
    store, compiled, rows = _run(request, params, start, limit)
    base, api = base_of(request), api_of(request)
    fields = wanted_fields(params["fields"], "*navigable")
    return JSONResponse(
        {
            "expand": "schema,names",
            "startAt": start,
            "maxResults": limit,
            "total": store.jira_count(compiled.where, compiled.params),
            "issues": [
                issue_json(store, base, api, r, fields, body_out(api)) for r in rows[:limit]
            ],
        }
    )


def routes() -> list[tuple[str, Any, tuple[str, ...]]]:
    return [
        ("/search/jql", search_jql, ("GET", "POST")),
        ("/search", search_old, ("GET", "POST")),
    ]
