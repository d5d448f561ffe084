"""The values of Jira proposals: the model's arguments checked and turned into Jira's (labels, a
due date, a moment, Markdown → ADF), and the lines a person reviews (``field: value``; a
description as its Markdown, indented), with the pin of what a proposal read (the changed-since
check of :mod:`~workbench.agent.apply_jira`)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from workbench.agent.edits import ToolInputError
from workbench.agent.world import one_line
from workbench.jira import writes

#: the fields propose_jira_fields sets, as Jira names them, and how the review labels them
FIELD_LABELS = {
    "summary": "summary",
    "priority": "priority",
    "labels": "labels",
    "duedate": "due date",
    "assignee": "assignee",
    "description": "description",
}


def shown(value: Any) -> str:
    """A field's value as the review shows it, on one line (a description: its Markdown, indented)."""
    if value in (None, "", []):
        return "(none)"
    if isinstance(value, dict):
        if value.get("type") == "doc":
            # lazy, for start-up: workbench.jira.adf_md (mistune) loads on first use
            from workbench.jira.adf_md import adf_to_markdown

            return block(adf_to_markdown(value))
        if "displayName" in value:
            return one_line(str(value["displayName"]), 80)
        return one_line(str(value.get("name") or value.get("value") or value.get("id") or ""), 80)
    if isinstance(value, list):
        return ", ".join(shown(v) for v in value)
    if isinstance(value, str) and "\n" in value:
        return block(value)
    return one_line(str(value), 200)


def block(text: str) -> str:
    lines = text.rstrip().splitlines() or [""]
    return "\n" + "\n".join(f"  {line}" for line in lines)


def field_lines(values: dict[str, Any], names: dict[str, str]) -> str:
    return "".join(f"{names[name]}: {shown(values.get(name))}\n" for name in names)


def pin(now: dict[str, Any], names: list[str]) -> str:
    """What the proposal read of the fields it changes, for the changed-since check."""
    return json.dumps(
        {
            name: {
                "value": plain(writes.field_value(name, now.get(name))),
                "shown": shown(now.get(name)),
            }
            for name in names
        }
    )


def plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def markdown_adf(text: str, what: str) -> dict[str, Any]:
    # lazy, for start-up: workbench.jira.md_adf (mistune) loads on first use
    from workbench.jira.md_adf import markdown_to_adf

    try:
        return markdown_to_adf(text)
    except ValueError as exc:
        raise ToolInputError(f"The {what} cannot be turned into Jira's format: {exc}.") from None


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def label_list(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ToolInputError("labels must be a list of label names (strings).")
    out: list[str] = []
    for raw in value:
        label = raw.strip()
        if not label or any(c.isspace() for c in label) or len(label) > 255:
            raise ToolInputError(
                f"'{one_line(raw, 60)}' is not a Jira label: one word, no spaces (use - or _)."
            )
        if label not in out:
            out.append(label)
    return out


def day(value: Any) -> str | None:
    if value is None:
        return None
    try:
        return datetime.strptime(str(value), "%Y-%m-%d").date().isoformat()
    except ValueError:
        raise ToolInputError(
            f"'{one_line(str(value), 40)}' is not a date like 2026-12-31."
        ) from None


def moment_of(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        raise ToolInputError(
            f"'{one_line(str(value), 40)}' is not a date and time like 2026-12-05T10:30 (UTC unless "
            "it says +hh:mm)."
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
