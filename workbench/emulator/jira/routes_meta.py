"""The site's Jira schema and who is calling: ``/myself``, ``/serverInfo``, ``/project`` (list,
``/project/search``, one), ``/issuetype``, ``/priority``, ``/status``, ``/field``, ``/issueLinkType``.
Shapes from the Jira Cloud platform spec (``User``, ``ServerInformation``, ``Project``,
``PageBeanProject``, ``IssueTypeDetails``, ``Priority``, ``StatusDetails``, ``FieldDetails``,
``IssueLinkTypes``)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workbench.emulator.http import state_of, store_of
from workbench.emulator.jira import shapes
from workbench.emulator.jira.errors import JiraError
from workbench.emulator.jira.http import account_of, api_of, base_of, int_param


async def myself(request: Request) -> Response:
    store = store_of(request)
    base, api = base_of(request), api_of(request)
    row = store.user(account_of(request))
    if row is None:
        raise JiraError(404, "The user does not exist.")
    shape = shapes.user(base, api, row)
    assert shape is not None
    shape["locale"] = "en_GB"
    shape["groups"] = {"size": 1, "items": []}
    shape["applicationRoles"] = {"size": 1, "items": []}
    shape["expand"] = "groups,applicationRoles"
    return JSONResponse(shape)


async def server_info(request: Request) -> Response:
    state = state_of(request)
    return JSONResponse(
        {
            "baseUrl": base_of(request),
            "version": "1001.0.0-SNAPSHOT" if not state.is_dc else "9.12.0",
            "versionNumbers": [1001, 0, 0] if not state.is_dc else [9, 12, 0],
            "deploymentType": "Server" if state.is_dc else "Cloud",
            "buildNumber": 100280,
            "serverTitle": "Local Jira",
        }
    )


def _project(request: Request, row: dict[str, Any]) -> dict[str, Any]:
    store = store_of(request)
    base, api = base_of(request), api_of(request)
    shape = shapes.project(base, api, row, shapes.user(base, api, store.user(row["lead_id"])))
    shape["issueTypes"] = [shapes.issue_type(base, api, t) for t in store.jira_issue_types()]
    return shape


async def list_projects(request: Request) -> Response:
    return JSONResponse([_project(request, row) for row in store_of(request).jira_projects()])


async def search_projects(request: Request) -> Response:
    rows = store_of(request).jira_projects()
    query = (request.query_params.get("query") or "").casefold()
    if query:
        rows = [r for r in rows if query in r["key"].casefold() or query in r["name"].casefold()]
    start = int_param(request, "startAt", 0)
    limit = int_param(request, "maxResults", 50, low=1, high=100)
    page = rows[start : start + limit]
    base, api = base_of(request), api_of(request)
    out: dict[str, Any] = {
        "self": f"{base}/rest/api/{api}/project/search?startAt={start}&maxResults={limit}",
        "maxResults": limit,
        "startAt": start,
        "total": len(rows),
        "isLast": start + limit >= len(rows),
        "values": [_project(request, r) for r in page],
    }
    if not out["isLast"]:
        out["nextPage"] = (
            f"{base}/rest/api/{api}/project/search?startAt={start + limit}&maxResults={limit}"
        )
    return JSONResponse(out)


async def get_project(request: Request) -> Response:
    return JSONResponse(
        _project(request, store_of(request).jira_project(request.path_params["key"]))
    )


async def issue_types(request: Request) -> Response:
    base, api = base_of(request), api_of(request)
    return JSONResponse(
        [shapes.issue_type(base, api, t) for t in store_of(request).jira_issue_types()]
    )


async def priorities(request: Request) -> Response:
    base, api = base_of(request), api_of(request)
    return JSONResponse(
        [shapes.priority(base, api, p) for p in store_of(request).jira_priorities()]
    )


async def statuses(request: Request) -> Response:
    base, api = base_of(request), api_of(request)
    return JSONResponse(
        [
            shapes.status(base, api, s["id"], s["name"], s["description"], s["category"])
            for s in store_of(request).jira_statuses()
        ]
    )


async def fields(request: Request) -> Response:
    return JSONResponse(shapes.fields_list())


async def link_types(request: Request) -> Response:
    base, api = base_of(request), api_of(request)
    return JSONResponse(
        {
            "issueLinkTypes": [
                shapes.link_type(base, api, t) for t in store_of(request).jira_link_types()
            ]
        }
    )


def routes() -> list[tuple[str, Any, tuple[str, ...]]]:
    return [
        ("/myself", myself, ("GET",)),
        ("/serverInfo", server_info, ("GET",)),
        ("/project", list_projects, ("GET",)),
        ("/project/search", search_projects, ("GET",)),
        ("/project/{key}", get_project, ("GET",)),
        ("/issuetype", issue_types, ("GET",)),
        ("/priority", priorities, ("GET",)),
        ("/status", statuses, ("GET",)),
        ("/field", fields, ("GET",)),
        ("/issueLinkType", link_types, ("GET",)),
    ]
