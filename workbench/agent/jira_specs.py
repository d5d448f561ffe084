"""The JSON Schemas of the Jira proposal tools (permission group ``jira_write``, in no built-in
profile). :data:`workbench.agent.tool_specs.TOOL_SPECS` takes them in; like every propose tool they
never write: a person reviews the change and applies it."""

from __future__ import annotations

from typing import Any

ISSUE_KEY = {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_]*-[0-9]+$"}
_TEXT = {"type": "string"}
_LABELS = {"type": "array", "items": {"type": "string"}, "maxItems": 20}


def _tool(description: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "description": description,
        "parameters": {
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        },
    }


JIRA_WRITE_SPECS: dict[str, dict[str, Any]] = {
    "propose_jira_issue": _tool(
        "Propose a new Jira issue (description in Markdown; assignee: a name or account id).",
        {
            "project": _TEXT,
            "issue_type": _TEXT,
            "summary": _TEXT,
            "description": _TEXT,
            "priority": _TEXT,
            "labels": _LABELS,
            "assignee": _TEXT,
        },
        ["project", "issue_type", "summary"],
    ),
    "propose_jira_fields": _tool(
        "Propose new values for fields of a Jira issue (only those given; null clears due_date or "
        "assignee). custom_fields: {field id: value}.",
        {
            "key": ISSUE_KEY,
            "summary": _TEXT,
            "description": _TEXT,
            "priority": _TEXT,
            "labels": _LABELS,
            "due_date": {"type": ["string", "null"], "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
            "assignee": {"type": ["string", "null"]},
            "custom_fields": {
                "type": "object",
                "propertyNames": {"pattern": "^customfield_[0-9]+$"},
                "maxProperties": 20,
            },
        },
        ["key"],
    ),
    "propose_jira_transition": _tool(
        "Propose moving a Jira issue through a workflow transition (its name or id).",
        {"key": ISSUE_KEY, "transition": _TEXT},
        ["key", "transition"],
    ),
    "propose_jira_comment": _tool(
        "Propose a comment (Markdown) on a Jira issue.",
        {"key": ISSUE_KEY, "markdown": _TEXT},
        ["key", "markdown"],
    ),
    "propose_jira_worklog": _tool(
        "Propose logging work on a Jira issue: time_spent like '1h 30m'; started: ISO date-time.",
        {"key": ISSUE_KEY, "time_spent": _TEXT, "started": _TEXT, "comment": _TEXT},
        ["key", "time_spent"],
    ),
    "propose_jira_link": _tool(
        "Propose a link: key <link type> other_key, e.g. ENG-1 blocks ENG-2 (type: name or words).",
        {"key": ISSUE_KEY, "link_type": _TEXT, "other_key": ISSUE_KEY},
        ["key", "link_type", "other_key"],
    ),
}
