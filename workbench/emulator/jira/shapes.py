"""Jira's JSON shapes, from the Jira Cloud platform OpenAPI spec (``tests/specs/
jira-cloud-platform-v3.openapi.json``: ``IssueBean``, ``UserDetails``, ``StatusDetails``,
``IssueTypeDetails``, ``Priority``, ``Project``, ``Comment``, ``Worklog``, ``IssueLink``, ``FieldDetails``)
and its response examples. Timestamps are Jira's form, ``2026-12-05T13:20:00.000+0000``.

``body`` callables turn a stored ADF document into what the API version serves: v3 the ADF itself,
v2 wiki markup (see :mod:`workbench.jira.wiki`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from workbench.emulator.jira.fields import CUSTOM_FIELDS, SYSTEM_FIELDS
from workbench.emulator.jira.store_issues import CATEGORIES

Body = Callable[[dict[str, Any] | None], Any]


def jira_time(value: str | None) -> str | None:
    """``2026-12-05T13:20:00.000Z`` (the store's form) as Jira writes it: ``…000+0000``."""
    if not value:
        return None
    return value[:-1] + "+0000" if value.endswith("Z") else value


def adf(text: str | None) -> dict[str, Any] | None:
    return json.loads(text) if text else None


def avatar_urls(base: str, kind: str, ident: Any) -> dict[str, str]:
    return {
        size: f"{base}/secure/{kind}avatar?size={name}&{kind}Id={ident}"
        for size, name in (
            ("16x16", "xsmall"),
            ("24x24", "small"),
            ("32x32", "medium"),
            ("48x48", "large"),
        )
    }


def user(base: str, api: str, row: dict[str, Any] | None) -> dict[str, Any] | None:
    """``UserDetails`` (and the core of ``User``); None for a missing user."""
    if row is None:
        return None
    return {
        "self": f"{base}/rest/api/{api}/user?accountId={row['account_id']}",
        "accountId": row["account_id"],
        "emailAddress": row.get("email") or None,
        "avatarUrls": avatar_urls(base, "user", row["account_id"]),
        "displayName": row["display_name"],
        "active": True,
        "timeZone": row.get("time_zone") or "Etc/UTC",
        "accountType": "atlassian",
    }


def status_category(base: str, api: str, key: str) -> dict[str, Any]:
    cid, name, colour = CATEGORIES[key]
    return {
        "self": f"{base}/rest/api/{api}/statuscategory/{cid}",
        "id": cid,
        "key": key,
        "colorName": colour,
        "name": name,
    }


def status(base: str, api: str, sid: int, name: str, description: str, category: str) -> dict:
    return {
        "self": f"{base}/rest/api/{api}/status/{sid}",
        "description": description,
        "iconUrl": f"{base}/images/icons/statuses/generic.png",
        "name": name,
        "id": str(sid),
        "statusCategory": status_category(base, api, category),
    }


def issue_type(base: str, api: str, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "self": f"{base}/rest/api/{api}/issuetype/{row['id']}",
        "id": str(row["id"]),
        "description": row["description"],
        "iconUrl": f"{base}/images/icons/issuetypes/{row['name'].lower()}.svg",
        "name": row["name"],
        "subtask": bool(row["subtask"]),
        "hierarchyLevel": row["hierarchy_level"],
    }


def priority(base: str, api: str, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "self": f"{base}/rest/api/{api}/priority/{row['id']}",
        "statusColor": row.get("colour", "#4a6785"),
        "description": row.get("description", ""),
        "iconUrl": f"{base}/images/icons/priorities/{row['name'].lower()}.svg",
        "name": row["name"],
        "id": str(row["id"]),
    }


def project(base: str, api: str, row: dict[str, Any], lead: dict | None = None) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "self": f"{base}/rest/api/{api}/project/{row['id']}",
        "id": str(row["id"]),
        "key": row["key"],
        "name": row["name"],
        "description": row.get("description", ""),
        "avatarUrls": avatar_urls(base, "project", row["id"]),
        "projectTypeKey": row.get("type_key", "software"),
        "simplified": False,
        "style": "classic",
        "isPrivate": False,
    }
    if lead is not None:
        shape["lead"] = lead
    return shape


def issue_ref(base: str, api: str, row: dict[str, Any]) -> dict[str, Any]:
    """``LinkedIssue``: an issue named inside another (links), with its summary, status, priority, type."""
    return {
        "id": str(row["id"]),
        "key": row["key"],
        "self": f"{base}/rest/api/{api}/issue/{row['id']}",
        "fields": {
            "summary": row["summary"],
            "status": status(
                base,
                api,
                row["status_id"],
                row["status_name"],
                row["status_description"],
                row["status_category"],
            ),
            "priority": priority(
                base,
                api,
                {
                    "id": row["priority_id"],
                    "name": row["priority_name"],
                    "colour": row["priority_colour"],
                },
            ),
            "issuetype": issue_type(
                base,
                api,
                {
                    "id": row["type_id"],
                    "name": row["type_name"],
                    "description": row["type_description"],
                    "subtask": row["type_subtask"],
                    "hierarchy_level": row["type_level"],
                },
            ),
        },
    }


def comment(
    base: str, api: str, issue_id: int, row: dict[str, Any], author: dict | None, body: Body
) -> dict[str, Any]:
    return {
        "self": f"{base}/rest/api/{api}/issue/{issue_id}/comment/{row['id']}",
        "id": str(row["id"]),
        "author": author,
        "body": body(adf(row["body"])),
        "updateAuthor": author,
        "created": jira_time(row["created_at"]),
        "updated": jira_time(row["updated_at"]),
        "jsdPublic": True,
    }


def duration(seconds: int) -> str:
    """Jira's ``timeSpent`` words: ``1d 2h 30m`` (8-hour days, as Jira's default time tracking)."""
    minutes = seconds // 60
    days, minutes = divmod(minutes, 8 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{n}{unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "m")) if n]
    return " ".join(parts) or "0m"


def worklog(
    base: str, api: str, row: dict[str, Any], author: dict | None, body: Body
) -> dict[str, Any]:
    shape = {
        "self": f"{base}/rest/api/{api}/issue/{row['issue_id']}/worklog/{row['id']}",
        "author": author,
        "updateAuthor": author,
        "created": jira_time(row["created_at"]),
        "updated": jira_time(row["updated_at"]),
        "started": jira_time(row["started"]),
        "timeSpent": duration(row["seconds"]),
        "timeSpentSeconds": row["seconds"],
        "id": str(row["id"]),
        "issueId": str(row["issue_id"]),
    }
    if row.get("comment"):
        shape["comment"] = body(adf(row["comment"]))
    return shape


def link_type(base: str, api: str, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["id"]),
        "name": row["name"],
        "inward": row["inward"],
        "outward": row["outward"],
        "self": f"{base}/rest/api/{api}/issueLinkType/{row['id']}",
    }


def fields_list() -> list[dict[str, Any]]:
    """``FieldDetails`` of every field: the system fields, then the custom fields (``custom``)."""
    return [
        {
            "id": fid,
            "key": fid,
            "name": name,
            "custom": fid.startswith("customfield_"),
            "orderable": fid
            not in ("status", "created", "updated", "resolutiondate", "issuelinks"),
            "navigable": True,
            "searchable": True,
            "clauseNames": list(clauses),
            "schema": schema,
        }
        for fid, name, clauses, schema in (*SYSTEM_FIELDS, *CUSTOM_FIELDS)
    ]
