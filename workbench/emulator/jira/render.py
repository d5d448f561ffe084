"""One issue as ``IssueBean`` JSON, with the ``fields`` a request asks for.

``fields``: a comma list of field ids, ``*all``, ``*navigable`` (everything but comments and worklogs,
which are not navigable), or ``-id`` to leave one out (Jira's ``fields`` parameter). ``GET
/issue/{key}`` defaults to ``*all``; ``/search/jql`` to ``id`` alone (the spec's default), so a
search that wants summaries names them.
"""

from __future__ import annotations

import json
from typing import Any

from workbench.emulator.jira import fields as stored_fields
from workbench.emulator.jira import shapes
from workbench.emulator.jira.shapes import Body
from workbench.emulator.jira.store import JiraMixin

ALL_FIELDS = tuple(f[0] for f in shapes.SYSTEM_FIELDS) + tuple(
    f[0] for f in stored_fields.CUSTOM_FIELDS
)
NOT_NAVIGABLE = {"comment", "worklog"}


def wanted_fields(values: list[str], default: str) -> set[str]:
    """The set of field ids a ``fields`` parameter names (unknown ids are ignored, as Jira does)."""
    chosen: set[str] = set()
    dropped: set[str] = set()
    for raw in values or [default]:
        for item in raw.split(","):
            name = item.strip()
            if name == "*all":
                chosen |= set(ALL_FIELDS)
            elif name == "*navigable":
                chosen |= set(ALL_FIELDS) - NOT_NAVIGABLE
            elif name.startswith("-"):
                dropped.add(name[1:])
            elif name:
                chosen.add(name)
    return (chosen - dropped) & set(ALL_FIELDS)


def issue_json(
    store: JiraMixin, base: str, api: str, row: dict[str, Any], fields: set[str], body: Body
) -> dict[str, Any]:
    users: dict[str, Any] = {}

    def person(account: str | None) -> dict[str, Any] | None:
        if account is None:
            return None
        if account not in users:
            users[account] = shapes.user(base, api, store._jira_user(account))
        return users[account]

    out: dict[str, Any] = {}
    if "summary" in fields:
        out["summary"] = row["summary"]
    if "description" in fields:
        out["description"] = body(shapes.adf(row["description"]))
    ref = shapes.issue_ref(base, api, row)["fields"]
    for name in ("status", "priority", "issuetype"):
        if name in fields:
            out[name] = ref[name]
    if "project" in fields:
        out["project"] = shapes.project(
            base,
            api,
            {"id": row["project_id"], "key": row["project_key"], "name": row["project_name"]},
        )
    if "assignee" in fields:
        out["assignee"] = person(row["assignee_id"])
    if "reporter" in fields:
        out["reporter"] = person(row["reporter_id"])
    if "labels" in fields:
        out["labels"] = json.loads(row["labels"])
    if "created" in fields:
        out["created"] = shapes.jira_time(row["created_at"])
    if "updated" in fields:
        out["updated"] = shapes.jira_time(row["updated_at"])
    if "resolutiondate" in fields:
        out["resolutiondate"] = shapes.jira_time(row["resolved_at"])
    if set(stored_fields.STORED) & fields:
        values = stored_fields.values_of(store, row["id"])
        for name in stored_fields.STORED:
            if name in fields:
                out[name] = values.get(name)
    if "comment" in fields:
        comments = store.jira_comments(row["key"])
        out["comment"] = {
            "comments": [
                shapes.comment(base, api, row["id"], c, person(c["author_id"]), body)
                for c in comments
            ],
            "self": f"{base}/rest/api/{api}/issue/{row['id']}/comment",
            "maxResults": len(comments),
            "total": len(comments),
            "startAt": 0,
        }
    if "worklog" in fields:
        worklogs = store.jira_worklogs(row["key"])
        out["worklog"] = {
            "startAt": 0,
            "maxResults": 20,
            "total": len(worklogs),
            "worklogs": [
                shapes.worklog(base, api, w, person(w["author_id"]), body) for w in worklogs[:20]
            ],
        }
    if "issuelinks" in fields:
        out["issuelinks"] = [
            _link(store, base, api, link) for link in store.jira_links_of(row["id"])
        ]
    return {
        "expand": "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
        "id": str(row["id"]),
        "self": f"{base}/rest/api/{api}/issue/{row['id']}",
        "key": row["key"],
        "fields": out,
    }


def _link(store: JiraMixin, base: str, api: str, link: dict[str, Any]) -> dict[str, Any]:
    other = store.jira_issue(link["other_id"])
    kind = {
        "id": link["type_id"],
        "name": link["type_name"],
        "inward": link["inward"],
        "outward": link["outward"],
    }
    return {
        "id": str(link["id"]),
        "self": f"{base}/rest/api/{api}/issueLink/{link['id']}",
        "type": shapes.link_type(base, api, kind),
        f"{link['direction']}Issue": shapes.issue_ref(base, api, other),
    }
