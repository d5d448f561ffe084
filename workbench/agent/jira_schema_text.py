"""The site's Jira schema in the Jira tools' descriptions, so the model writes valid JQL, project keys,
issue types (each project's: an issue type one project has may not exist in another; projects with
the same types are listed together), priorities, transitions and custom field ids instead of
guessing them.

Only the tools of the ``jira`` and ``jira_write`` groups are touched, so a profile without Jira pays
nothing (the fixed request budget of the built-in profiles holds), and only when the ``jira`` group
is on (:meth:`workbench.agent.toolkit.Toolkit.discover_jira` reads the schema then). What is added is
bounded: :data:`JIRA_SCHEMA_BUDGET` bytes in all; a list cut short says how many more there are.
When Jira could not be read, ``jira_search`` says so and the tools work without the schema.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.services.jira_schema import JiraSchema

#: Bytes the schema may add to the JSON of the tools (every request of a profile with ``jira``).
JIRA_SCHEMA_BUDGET = 1_600
NAME_CHARS = 28
TYPES_PER_PROJECT = 10  # a project's issue types listed (the rest counted)


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= NAME_CHARS else text[: NAME_CHARS - 1] + "…"


def _bounded(head: str, parts: list[str], budget: int, sep: str = ", ") -> str:
    """``head`` and as many ``parts`` as fit in ``budget`` bytes (JSON-encoded), then "… N more"."""
    shown: list[str] = []
    used = len(json.dumps(head))
    for part in parts:
        size = len(json.dumps(part)) + len(sep)
        if used + size + 16 > budget:
            break
        shown.append(part)
        used += size
    rest = len(parts) - len(shown)
    return head + sep.join(shown) + (f"{sep}… {rest} more" if rest else "") + "."


def types_by_project(projects: list[list[Any]]) -> list[str]:
    """Each project's issue types, projects with the same types together (a site's projects often
    share one issue type scheme): ``["ENG, OPS: Epic, Story, Task", "PAY: Task, Bug"]``, in the
    order the projects come; a long list of types is cut at :data:`TYPES_PER_PROJECT`."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for key, _name, types in projects:
        groups.setdefault(tuple(_short(t) for t in types), []).append(str(key))
    out = []
    for types, keys in groups.items():
        listed = ", ".join(types[:TYPES_PER_PROJECT]) or "none"
        more = len(types) - TYPES_PER_PROJECT
        out.append(f"{', '.join(keys)}: {listed}" + (f" +{more} more" if more > 0 else ""))
    return out


def schema_text(schema: JiraSchema, budget: int = JIRA_SCHEMA_BUDGET) -> str:
    """The schema in a few sentences within ``budget`` bytes."""
    if schema.jira_error and not schema.projects:
        return (
            f"Jira's schema is not known (it could not be read: {_short(schema.jira_error)}…); "
            "the tools still work: find keys and names with jira_search."
        )
    pieces = [
        ("Projects: ", [f"{p[0]} ({_short(p[1])})" for p in schema.projects], 0.28, ", "),
        ("Issue types by project: ", types_by_project(schema.projects), 0.18, "; "),
        ("Statuses: ", [_short(s[0]) for s in schema.statuses], 0.14, ", "),
        ("Priorities: ", [_short(p) for p in schema.priorities], 0.08, ", "),
        (
            "Custom fields (id, JQL cf[N]): ",
            [f"{f[0]} {_short(f[1])} ({f[2]})" for f in schema.fields],
            0.20,
            ", ",
        ),
        ("Link types: ", [f"{_short(t[1])}/{_short(t[2])}" for t in schema.link_types], 0.12, ", "),
    ]
    text = " ".join(
        _bounded(head, parts, int(budget * share), sep)
        for head, parts, share, sep in pieces
        if parts
    )
    if schema.jira_error:
        text += f" (Old: {_short(schema.jira_error)}…)"
    return text


def with_jira(schemas: list[dict[str, Any]], schema: JiraSchema | None) -> list[dict[str, Any]]:
    """The tool schemas with the Jira schema written into ``jira_search``'s description (and a
    pointer to it in the proposal tools'); unchanged when there is no schema or no Jira tool."""
    if schema is None or not any(t["function"]["name"] == "jira_search" for t in schemas):
        return schemas
    out = json.loads(json.dumps(schemas))  # the static specs stay untouched
    text = schema_text(schema)
    for tool in out:
        fn = tool["function"]
        if fn["name"] == "jira_search":
            fn["description"] = f"{fn['description']} {text}"
        elif fn["name"].startswith("propose_jira_") and not schema.jira_error:
            fn["description"] = f"{fn['description']} Names and ids: see jira_search."
    return out
