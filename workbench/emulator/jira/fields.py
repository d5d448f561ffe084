"""The fields of the local Jira: the tables of its system fields and custom fields; the fields that
have no column of their own: the due date and custom fields (one
JSON value per issue and field in ``jira_field_values``), and the fields a transition's screen asks
for (``jira_transition_fields``; the seed's workflow has none, a test can add one).

Shapes: ``FieldDetails`` of the Jira Cloud platform spec (``GET /rest/api/3/field``: ``custom``,
``schema.custom``/``customId`` for custom fields) and ``FieldMetadata`` for a transition's
``fields`` (``GET …/transitions?expand=transitions.fields``: ``required``, ``name``, ``key``,
``schema``, ``operations``). Refusals in Jira's words: a field that is not on the screen, a date Jira
cannot parse, a number field given text, a transition screen's required field left out.
"""

from __future__ import annotations

import json
import re
from typing import Any

from workbench.emulator.jira.errors import JiraError
from workbench.emulator.jira.store import JiraMixin

#: The system fields the local Jira has (``GET /rest/api/3/field``; ``FieldDetails``; ids, names and
#: clause names as Jira Cloud lists them).
SYSTEM_FIELDS: tuple[tuple[str, str, tuple[str, ...], dict[str, Any]], ...] = (
    ("summary", "Summary", ("summary",), {"type": "string", "system": "summary"}),
    ("description", "Description", ("description",), {"type": "string", "system": "description"}),
    (
        "issuetype",
        "Issue Type",
        ("issuetype", "type"),
        {"type": "issuetype", "system": "issuetype"},
    ),
    ("status", "Status", ("status",), {"type": "status", "system": "status"}),
    ("priority", "Priority", ("priority",), {"type": "priority", "system": "priority"}),
    ("project", "Project", ("project",), {"type": "project", "system": "project"}),
    ("assignee", "Assignee", ("assignee",), {"type": "user", "system": "assignee"}),
    ("reporter", "Reporter", ("reporter",), {"type": "user", "system": "reporter"}),
    ("labels", "Labels", ("labels",), {"type": "array", "items": "string", "system": "labels"}),
    ("duedate", "Due date", ("due", "duedate"), {"type": "date", "system": "duedate"}),
    ("created", "Created", ("created", "createdDate"), {"type": "datetime", "system": "created"}),
    ("updated", "Updated", ("updated", "updatedDate"), {"type": "datetime", "system": "updated"}),
    (
        "resolutiondate",
        "Resolved",
        ("resolutiondate", "resolved"),
        {"type": "datetime", "system": "resolutiondate"},
    ),
    ("comment", "Comment", ("comment",), {"type": "comments-page", "system": "comment"}),
    (
        "worklog",
        "Log Work",
        ("worklogComment",),
        {"type": "array", "items": "worklog", "system": "worklog"},
    ),
    (
        "issuelinks",
        "Linked Issues",
        ("issueLink",),
        {"type": "array", "items": "issuelinks", "system": "issuelinks"},
    ),
)


#: (id, name, JQL clause names, schema) — a number and a text custom field, as a Jira Software Cloud
#: site has them (Story point estimate is customfield_10016 on new sites)
CUSTOM_FIELDS: tuple[tuple[str, str, tuple[str, ...], dict[str, Any]], ...] = (
    (
        "customfield_10016",
        "Story point estimate",
        ("cf[10016]", "Story point estimate"),
        {
            "type": "number",
            "custom": "com.pyxis.greenhopper.jira:jsw-story-points",
            "customId": 10016,
        },
    ),
    (
        "customfield_10040",
        "Customer impact",
        ("cf[10040]", "Customer impact"),
        {
            "type": "string",
            "custom": "com.atlassian.jira.plugin.system.customfieldtypes:textfield",
            "customId": 10040,
        },
    ),
)
#: the fields stored here: the due date (a system field) and the custom fields
STORED = ("duedate", *(f[0] for f in CUSTOM_FIELDS))
_DATE = re.compile(r"\d{4}-\d\d-\d\d")


def check_value(field_id: str, value: Any) -> Any:
    """``value`` as the field keeps it (None clears it), or Jira's refusal."""
    if value is None:
        return None
    if field_id == "duedate":
        if not isinstance(value, str) or not _DATE.fullmatch(value):
            raise JiraError(400, errors={"duedate": f"Error parsing date string: {value}"})
        return value
    schema = next((f[3] for f in CUSTOM_FIELDS if f[0] == field_id), None)
    if schema is None:
        raise JiraError(
            400,
            errors={
                field_id: f"Field '{field_id}' cannot be set. It is not on the appropriate screen, or unknown."
            },
        )
    if schema["type"] == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise JiraError(400, errors={field_id: "Operation value must be a number"})
        return value
    if not isinstance(value, str):
        raise JiraError(400, errors={field_id: "Operation value must be a string"})
    if len(value) > 255:
        raise JiraError(400, errors={field_id: "The entered text is too long. Limit: 255"})
    return value


def values_of(store: JiraMixin, issue_id: int) -> dict[str, Any]:
    rows = store.query(
        "SELECT field_id, value FROM jira_field_values WHERE issue_id = ?", (issue_id,)
    )
    return {row["field_id"]: json.loads(row["value"]) for row in rows}


def set_values(store: JiraMixin, key: str, changes: dict[str, Any]) -> None:
    """Set (or, for None, clear) stored fields of the issue; ``updated`` moves."""
    issue = store.jira_issue(key)
    with store.lock, store.transaction():
        for field_id, value in changes.items():
            store.db.execute(
                "DELETE FROM jira_field_values WHERE issue_id = ? AND field_id = ?",
                (issue["id"], field_id),
            )
            if value is not None:
                store.db.execute(
                    "INSERT INTO jira_field_values(issue_id, field_id, value) VALUES (?, ?, ?)",
                    (issue["id"], field_id, json.dumps(value)),
                )
    store.jira_update_issue(key, {})  # updated moves


def screen_of(store: JiraMixin, transition_id: int | str) -> list[dict[str, Any]]:
    return store.query(
        "SELECT field_id, required FROM jira_transition_fields WHERE transition_id = ? "
        "ORDER BY field_id",
        (int(transition_id),),
    )


def add_to_screen(
    store: JiraMixin, transition_id: int, field_id: str, *, required: bool = True
) -> None:
    """Setting up a site: the transition's screen asks for ``field_id``."""
    with store.lock:
        store.db.execute(
            "INSERT OR REPLACE INTO jira_transition_fields(transition_id, field_id, required) "
            "VALUES (?, ?, ?)",
            (transition_id, field_id, int(required)),
        )


def field_metadata(field_id: str, required: bool) -> dict[str, Any]:
    """``FieldMetadata`` of a field on a transition screen."""
    for fid, name, _clauses, schema in (*SYSTEM_FIELDS, *CUSTOM_FIELDS):
        if fid == field_id:
            return {
                "required": required,
                "schema": schema,
                "name": name,
                "key": fid,
                "hasDefaultValue": False,
                "operations": ["set"],
            }
    return {"required": required, "schema": {"type": "string"}, "name": field_id, "key": field_id}


def check_screen(store: JiraMixin, transition_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """The stored fields a transition request sets, refused when a required one is missing."""
    raw = data.get("fields")
    given: dict[str, Any] = raw if isinstance(raw, dict) else {}
    missing = {}
    for row in screen_of(store, transition_id) if str(transition_id).isdigit() else []:
        if row["required"] and given.get(row["field_id"]) in (None, "", []):
            name = field_metadata(row["field_id"], True)["name"]
            missing[row["field_id"]] = f"{name} is required."
    if missing:
        raise JiraError(400, errors=missing)
    return {k: check_value(k, v) for k, v in given.items() if k in STORED}
