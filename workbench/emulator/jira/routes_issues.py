"""Issues, their workflow, comments, worklogs and links: ``/rest/api/{3,2}/issue…`` and ``/issueLink``.

Shapes from the Jira Cloud platform spec (``IssueBean``, ``CreatedIssue``, ``Transitions``,
``PageOfComments``/``Comment``, ``PageOfWorklogs``/``Worklog``); v3 bodies are ADF, v2 bodies wiki
markup (:mod:`workbench.emulator.jira.bodies`). Writes answer as the spec says: ``POST /issue`` 201
``CreatedIssue``, ``PUT /issue/{key}`` 204, ``POST …/transitions`` 204, ``POST /issueLink`` 201 with
no body, comments and worklogs 201 with the new object.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workbench.emulator.http import store_of
from workbench.emulator.jira import fields as stored_fields
from workbench.emulator.jira import shapes
from workbench.emulator.jira.bodies import body_in, body_out
from workbench.emulator.jira.errors import JiraError
from workbench.emulator.jira.http import (
    account_of,
    api_of,
    base_of,
    body_of,
    int_param,
    list_param,
)
from workbench.emulator.jira.render import issue_json, wanted_fields

_EDITABLE = ("summary", "description", "priority", "assignee", "labels")


def _account(value: Any, field: str, store: Any = None) -> str | None:
    """``{"accountId": …}`` (Cloud) or ``{"name": …}`` (Data Center: the username, as
    ``store.person_by_username`` knows it; an account id is taken too) or null."""
    if value is None:
        return None
    if isinstance(value, dict):
        name = value.get("name")
        if store is not None and isinstance(name, str) and name:
            person = store.person_by_username(name)
            if person is not None:
                return str(person["account_id"])
        ident = value.get("accountId") or name or value.get("id")
        if isinstance(ident, str) and ident:
            return ident
        if "accountId" in value and value["accountId"] is None:
            return None
    raise JiraError(400, errors={field: "Specify the user by accountId."})


def _labels(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise JiraError(400, errors={"labels": "Labels must be a list of strings."})
    for label in value:
        if not label or re.search(r"\s", label):
            raise JiraError(400, errors={"labels": "The label can't contain spaces."})
    return list(dict.fromkeys(value))


def _summary(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise JiraError(400, errors={"summary": "You must specify a summary of the issue."})
    if len(value) > 255:
        raise JiraError(400, errors={"summary": "Summary must be less than 255 characters."})
    if "\n" in value or "\r" in value:
        raise JiraError(
            400,
            errors={"summary": "The summary is invalid because it contains newline characters."},
        )
    return value


async def create_issue(request: Request) -> Response:
    data = await body_of(request)
    fields = data.get("fields")
    if not isinstance(fields, dict):
        raise JiraError(400, errors={"project": "Specify a valid project ID or key"})
    project = fields.get("project")
    if not isinstance(project, dict) or not (project.get("key") or project.get("id")):
        raise JiraError(400, errors={"project": "Specify a valid project ID or key"})
    api = api_of(request)
    store = store_of(request)
    try:
        store.jira_project(str(project.get("key") or project.get("id")))
    except JiraError:
        raise JiraError(400, errors={"project": "Specify a valid project ID or key"}) from None
    if not isinstance(fields.get("issuetype"), dict):
        raise JiraError(400, errors={"issuetype": "Specify an issue type"})
    created = store.jira_create_issue(
        str(project.get("key") or project.get("id")),
        _summary(fields.get("summary")),
        issuetype=fields["issuetype"],
        reporter=account_of(request),
        description=body_in(api, fields.get("description"), "description"),
        priority=fields.get("priority"),
        assignee=_account(fields.get("assignee"), "assignee", store),
        labels=_labels(fields["labels"]) if "labels" in fields else None,
    )
    base = base_of(request)
    return JSONResponse(
        {
            "id": str(created["id"]),
            "key": created["key"],
            "self": f"{base}/rest/api/{api}/issue/{created['id']}",
        },
        status_code=201,
    )


async def get_issue(request: Request) -> Response:
    store = store_of(request)
    row = store.jira_issue(request.path_params["key"])
    api = api_of(request)
    fields = wanted_fields(list_param(request, "fields"), "*all")
    return JSONResponse(issue_json(store, base_of(request), api, row, fields, body_out(api)))


async def edit_issue(request: Request) -> Response:
    data = await body_of(request)
    store = store_of(request)
    store.jira_issue(request.path_params["key"])  # 404 first, as Jira does
    api = api_of(request)
    changes: dict[str, Any] = {}
    fields = data.get("fields") or {}
    update = data.get("update") or {}
    if not isinstance(fields, dict) or not isinstance(update, dict):
        raise JiraError(400, "The fields and update members must be JSON objects.")
    stored: dict[str, Any] = {}
    for name, value in fields.items():
        if name in stored_fields.STORED:
            stored[name] = stored_fields.check_value(name, value)
            continue
        if name not in _EDITABLE:
            raise JiraError(
                400,
                errors={
                    name: f"Field '{name}' cannot be set. It is not on the appropriate screen, or unknown."
                },
            )
        if name == "summary":
            changes[name] = _summary(value)
        elif name == "description":
            changes[name] = body_in(api, value, "description")
        elif name == "assignee":
            changes[name] = _account(value, "assignee", store)
        elif name == "labels":
            changes[name] = _labels(value)
        else:
            changes[name] = value
    if "labels" in update:  # {"labels": [{"add": "x"}, {"remove": "y"}]}
        row = store.jira_issue(request.path_params["key"])
        labels: list[str] = changes.get("labels") or json.loads(row["labels"])
        for operation in update["labels"] if isinstance(update["labels"], list) else []:
            if isinstance(operation, dict) and isinstance(operation.get("add"), str):
                labels = [*labels, *_labels([operation["add"]])]
            elif isinstance(operation, dict) and isinstance(operation.get("remove"), str):
                labels = [label for label in labels if label != operation["remove"]]
        changes["labels"] = list(dict.fromkeys(labels))
    if changes:
        store.jira_update_issue(request.path_params["key"], changes)
    if stored:
        stored_fields.set_values(store, request.path_params["key"], stored)
    return Response(status_code=204)


async def assign_issue(request: Request) -> Response:
    data = await body_of(request)
    store = store_of(request)
    store.jira_update_issue(
        request.path_params["key"], {"assignee": _account(data, "assignee", store)}
    )
    return Response(status_code=204)


def _comment_json(request: Request, row: dict[str, Any]) -> dict[str, Any]:
    store = store_of(request)
    base, api = base_of(request), api_of(request)
    author = shapes.user(base, api, store.user(row["author_id"]))
    return shapes.comment(base, api, row["issue_id"], row, author, body_out(api))


async def list_comments(request: Request) -> Response:
    store = store_of(request)
    rows = store.jira_comments(request.path_params["key"])
    start = int_param(request, "startAt", 0)
    limit = int_param(request, "maxResults", 5000, low=0, high=5000)
    if request.query_params.get("orderBy", "") in ("-created", "-created_date"):
        rows = rows[::-1]
    chosen = rows[start : start + limit]
    return JSONResponse(
        {
            "comments": [_comment_json(request, r) for r in chosen],
            "maxResults": limit,
            "total": len(rows),
            "startAt": start,
        }
    )


async def add_comment(request: Request) -> Response:
    data = await body_of(request)
    body = body_in(api_of(request), data.get("body"), "comment")
    if body is None:
        raise JiraError(400, errors={"comment": "Comment body can not be empty!"})
    row = store_of(request).jira_add_comment(request.path_params["key"], body, account_of(request))
    return JSONResponse(_comment_json(request, row), status_code=201)


async def get_comment(request: Request) -> Response:
    row = store_of(request).jira_comment(request.path_params["key"], request.path_params["id"])
    return JSONResponse(_comment_json(request, row))


async def update_comment(request: Request) -> Response:
    data = await body_of(request)
    body = body_in(api_of(request), data.get("body"), "comment")
    if body is None:
        raise JiraError(400, errors={"comment": "Comment body can not be empty!"})
    store = store_of(request)
    row = store.jira_comment(request.path_params["key"], request.path_params["id"])
    if row["author_id"] != account_of(request):
        raise JiraError(403, "You do not have the permission to edit this comment.")
    row = store.jira_update_comment(request.path_params["key"], request.path_params["id"], body)
    return JSONResponse(_comment_json(request, row))


async def delete_comment(request: Request) -> Response:
    store = store_of(request)
    row = store.jira_comment(request.path_params["key"], request.path_params["id"])
    if row["author_id"] != account_of(request):
        raise JiraError(403, "You do not have the permission to delete this comment.")
    store.jira_delete_comment(request.path_params["key"], request.path_params["id"])
    return Response(status_code=204)


_SPENT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([wdhm])\s*")
_UNIT = {"w": 5 * 8 * 3600, "d": 8 * 3600, "h": 3600, "m": 60}


def _seconds(data: dict[str, Any]) -> int:
    if isinstance(data.get("timeSpentSeconds"), int) and not isinstance(
        data["timeSpentSeconds"], bool
    ):
        seconds = data["timeSpentSeconds"]
    elif isinstance(data.get("timeSpent"), str) and data["timeSpent"].strip():
        text, seconds, pos = data["timeSpent"], 0.0, 0
        while pos < len(text):
            match = _SPENT.match(text, pos)
            if match is None:
                raise JiraError(400, errors={"timeLogged": "Invalid time duration entered."})
            seconds += float(match.group(1)) * _UNIT[match.group(2)]
            pos = match.end()
        seconds = int(seconds)
    else:
        raise JiraError(400, errors={"timeLogged": "You must indicate the time spent working."})
    if seconds < 60:
        raise JiraError(400, errors={"timeLogged": "Time Spent must be at least one minute."})
    return seconds


async def list_worklogs(request: Request) -> Response:
    store = store_of(request)
    base, api = base_of(request), api_of(request)
    rows = store.jira_worklogs(request.path_params["key"])
    start = int_param(request, "startAt", 0)
    limit = int_param(request, "maxResults", 5000, low=0, high=5000)
    return JSONResponse(
        {
            "startAt": start,
            "maxResults": limit,
            "total": len(rows),
            "worklogs": [
                shapes.worklog(
                    base, api, w, shapes.user(base, api, store.user(w["author_id"])), body_out(api)
                )
                for w in rows[start : start + limit]
            ],
        }
    )


async def add_worklog(request: Request) -> Response:
    data = await body_of(request)
    seconds = _seconds(data)
    started = data.get("started")
    if started is not None and not (
        isinstance(started, str)
        and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}", started)
    ):
        raise JiraError(
            400, errors={"started": "The started date must look like 2026-12-05T10:30:00.000+0000."}
        )
    stored_start = None
    if started:
        stored_start = started[:23] + "Z" if started.endswith("+0000") else started
    store = store_of(request)
    base, api = base_of(request), api_of(request)
    row = store.jira_add_worklog(
        request.path_params["key"],
        seconds=seconds,
        author=account_of(request),
        started=stored_start,
        comment=body_in(api, data.get("comment"), "comment"),
    )
    author = shapes.user(base, api, store.user(row["author_id"]))
    return JSONResponse(shapes.worklog(base, api, row, author, body_out(api)), status_code=201)


async def link_issues(request: Request) -> Response:
    data = await body_of(request)
    inward, outward, kind = data.get("inwardIssue"), data.get("outwardIssue"), data.get("type")
    if not isinstance(kind, dict):
        raise JiraError(400, "Issue link type is required.")
    keys = []
    for side in (inward, outward):
        ident = side.get("key") or side.get("id") if isinstance(side, dict) else None
        if not ident:
            raise JiraError(400, "Both the inward and the outward issue are required.")
        keys.append(str(ident))
    store = store_of(request)
    for key in keys:
        try:
            store.jira_issue(key)
        except JiraError:
            raise JiraError(404, f"Issue Does Not Exist: {key}") from None
    try:
        store.jira_add_link(kind, keys[0], keys[1])
    except JiraError as exc:
        if "type" in exc.errors:
            raise JiraError(
                404, f"No issue link type with name '{kind.get('name')}' found."
            ) from None
        raise
    comment = data.get("comment")
    if isinstance(comment, dict):
        body = body_in(api_of(request), comment.get("body"), "comment")
        if body is not None:
            store.jira_add_comment(keys[1], body, account_of(request))
    return Response(status_code=201)


def routes() -> list[tuple[str, Any, tuple[str, ...]]]:
    return [
        ("/issue", create_issue, ("POST",)),
        ("/issue/{key}", get_issue, ("GET",)),
        ("/issue/{key}", edit_issue, ("PUT",)),
        ("/issue/{key}/assignee", assign_issue, ("PUT",)),
        ("/issue/{key}/comment", list_comments, ("GET",)),
        ("/issue/{key}/comment", add_comment, ("POST",)),
        ("/issue/{key}/comment/{id}", get_comment, ("GET",)),
        ("/issue/{key}/comment/{id}", update_comment, ("PUT",)),
        ("/issue/{key}/comment/{id}", delete_comment, ("DELETE",)),
        ("/issue/{key}/worklog", list_worklogs, ("GET",)),
        ("/issue/{key}/worklog", add_worklog, ("POST",)),
        ("/issueLink", link_issues, ("POST",)),
    ]
