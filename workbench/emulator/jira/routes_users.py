"""People an issue can be assigned to: ``GET /rest/api/{3,2}/user/assignable/search``.

From the Jira Cloud platform spec (``tests/specs/jira-cloud-platform-v3.openapi.json``, operation
``findAssignableUsers``): the answer is a JSON array of ``User``; one of ``issueKey``, ``issueId`` or
``project`` is required, and ``query`` or ``accountId`` (not both) — else 400; an unknown issue or
project is 404. ``query`` "is matched against user attributes, such as ``displayName``, and
``emailAddress``" (a prefix of a name's word, or of the address; case-insensitive here). Data Center
(REST v2) takes ``username`` in place of ``query`` and names people by ``name``/``key`` too.
Everyone on the site may be assigned here (the local Jira has no project roles). An email a person
keeps private is left out (``emailAddress`` absent), as the privacy controls the spec names do.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workbench.emulator.http import state_of, store_of
from workbench.emulator.jira import shapes
from workbench.emulator.jira.errors import JiraError
from workbench.emulator.jira.http import api_of, base_of, int_param


def _matches(row: dict[str, Any], query: str) -> bool:
    if not query:
        return True
    q = query.lower()
    words = str(row["display_name"]).lower().split()
    email = str(row.get("email") or "").lower() if row.get("email_visible", 1) else ""
    return (
        any(w.startswith(q) for w in words)
        or str(row["display_name"]).lower().startswith(q)
        or (bool(email) and email.startswith(q))
    )


async def assignable_users(request: Request) -> Response:
    params = request.query_params
    dc = state_of(request).is_dc
    query_name = "username" if dc else "query"
    query, account = params.get(query_name), params.get("accountId")
    if not (params.get("issueKey") or params.get("issueId") or params.get("project")):
        raise JiraError(
            400, "One of the following parameters must be provided: issueKey, issueId, project."
        )
    if not dc and (query is None) == (account is None):
        raise JiraError(400, "Provide either the query or the accountId parameter, not both.")
    store = store_of(request)
    if params.get("issueKey") or params.get("issueId"):
        store.jira_issue(params.get("issueKey") or params.get("issueId") or "")  # 404 if unknown
    else:
        store.jira_project(params.get("project") or "")
    start = int_param(request, "startAt", 0)
    limit = int_param(request, "maxResults", 50, low=1, high=1000)
    rows = [
        r
        for r in store.people()
        if (account is None or r["account_id"] == account) and _matches(r, query or "")
    ]
    base, api = base_of(request), api_of(request)
    out = []
    for row in rows[start : start + limit]:
        shape = shapes.user(base, api, row)
        assert shape is not None
        if not row.get("email_visible", 1):
            shape.pop("emailAddress", None)
        if dc:  # Data Center names people by username and key as well
            shape["name"] = shape["key"] = row["account_id"]
        out.append(shape)
    return JSONResponse(out)


def routes() -> list[tuple[str, Any, tuple[str, ...]]]:
    return [("/user/assignable/search", assignable_users, ("GET",))]
