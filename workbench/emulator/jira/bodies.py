"""Rich-text bodies by API version: v3 takes and gives ADF documents, v2 wiki markup strings.

The store keeps ADF. A v3 body that is not an ADF document is refused with Jira's words
("Operation value must be an Atlassian Document (see the Atlassian Document Format)").
"""

from __future__ import annotations

from typing import Any

from workbench.emulator.jira.errors import JiraError
from workbench.emulator.jira.shapes import Body
from workbench.jira import wiki

NOT_ADF = "Operation value must be an Atlassian Document (see the Atlassian Document Format)"


def body_out(api: str) -> Body:
    if api == "2":
        return lambda doc: wiki.from_adf(doc) if doc is not None else None
    return lambda doc: doc


def body_in(api: str, value: Any, field: str) -> dict[str, Any] | None:
    """The ADF to store for a request's body member (None: no body)."""
    if value is None:
        return None
    if api == "2":
        if not isinstance(value, str):
            raise JiraError(400, errors={field: f"The {field} must be a string of wiki markup."})
        return wiki.to_adf(value) if value.strip() else None
    if (
        not isinstance(value, dict)
        or value.get("type") != "doc"
        or not isinstance(value.get("content"), list)
    ):
        raise JiraError(400, errors={field: NOT_ADF})
    return value
