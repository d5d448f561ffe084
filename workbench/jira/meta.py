"""Jira's schema as the site has it: projects with their issue types, priorities, statuses, fields
(custom ones with their type) and issue link types — plain reads on the client's transport.

Cloud pages projects with ``/project/search`` (``PageBeanProject``, ``isLast``); Data Center lists
them all at ``/project``. Each project's issue types come with it (``expand=issueTypes``). Answers
are parsed leniently: an entry without a name is skipped, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.confluence.errors import NotFound, ServerError
from workbench.confluence.urls import segment
from workbench.textsafe import printable

if TYPE_CHECKING:
    from workbench.jira.client import JiraClient

#: projects read at most (100 per request on Cloud)
MAX_PROJECTS = 500


@dataclass(frozen=True, slots=True)
class Named:
    """An issue type, a priority or a status: its id and name (a status: its category too)."""

    id: str
    name: str
    extra: str = (
        ""  # a status's category key (new / indeterminate / done); a sub-task type: "subtask"
    )


@dataclass(frozen=True, slots=True)
class Project:
    key: str
    name: str
    id: str = ""
    issue_types: tuple[Named, ...] = ()


@dataclass(frozen=True, slots=True)
class Field:
    id: str
    name: str
    type: str = ""  # schema.type: string, number, date, user, array, option …
    custom: bool = False


@dataclass(frozen=True, slots=True)
class LinkType:
    id: str
    name: str
    inward: str  # "is blocked by"
    outward: str  # "blocks"


def _str(value: Any) -> str:
    return value if isinstance(value, str) else str(value) if isinstance(value, int) else ""


def _named(data: Any, extra: str = "") -> Named | None:
    if not isinstance(data, dict) or not _str(data.get("name")):
        return None
    return Named(_str(data.get("id")), _str(data.get("name")), extra)


def _project(data: Any) -> Project | None:
    if not isinstance(data, dict) or not _str(data.get("key")):
        return None
    types = [
        _named(t, "subtask" if isinstance(t, dict) and t.get("subtask") else "")
        for t in data.get("issueTypes") or []
    ]
    return Project(
        _str(data["key"]),
        _str(data.get("name")),
        _str(data.get("id")),
        tuple(t for t in types if t is not None),
    )


async def projects(jira: JiraClient, limit: int = MAX_PROJECTS) -> list[Project]:
    """The projects the login may see, with their issue types (at most ``limit``)."""
    if jira.kind == "dc":
        data = await jira._jira_json(
            "GET", "/project", params={"expand": "issueTypes"}, what="the projects"
        )
        items = data if isinstance(data, list) else []
        return [p for p in map(_project, items[:limit]) if p is not None]
    found: list[Project] = []
    start = 0
    while len(found) < limit:
        data = await jira._jira_json(
            "GET",
            "/project/search",
            params={"startAt": start, "maxResults": 100, "expand": "issueTypes"},
            what="the projects",
        )
        if not isinstance(data, dict) or not isinstance(data.get("values"), list):
            raise ServerError("Jira's list of projects has no values; is this a Jira site?")
        found += [p for p in map(_project, data["values"]) if p is not None]
        start += len(data["values"])
        if data.get("isLast", True) or not data["values"]:
            break
    return found[:limit]


async def project(jira: JiraClient, key: str) -> Project:
    """One project by key, with its issue types; NotFound in plain words for an unknown key."""
    wanted = (key or "").strip()
    if not wanted or not wanted.replace("_", "").isalnum():
        raise NotFound(f"'{printable(wanted)[:40]}' is not a project key (like ENG).")
    try:
        data = await jira._jira_json(
            "GET",
            f"/project/{segment(wanted.upper())}",
            params={"expand": "issueTypes"},
            what=f"project {wanted.upper()}",
        )
    except NotFound:
        raise NotFound(
            f"There is no Jira project {wanted.upper()}, or you may not see it."
        ) from None
    found = _project(data)
    if found is None:
        raise ServerError(f"Jira's answer for project {wanted.upper()} has no key.")
    return found


async def _list(jira: JiraClient, path: str, what: str) -> list[Any]:
    data = await jira._jira_json("GET", path, what=what)
    return data if isinstance(data, list) else []


async def priorities(jira: JiraClient) -> list[Named]:
    items = await _list(jira, "/priority", "the priorities")
    return [p for p in map(_named, items) if p is not None]


async def statuses(jira: JiraClient) -> list[Named]:
    found = []
    for item in await _list(jira, "/status", "the statuses"):
        category = item.get("statusCategory") if isinstance(item, dict) else None
        key = _str(category.get("key")) if isinstance(category, dict) else ""
        named = _named(item, key)
        if named is not None:
            found.append(named)
    return found


async def fields(jira: JiraClient) -> list[Field]:
    found = []
    for item in await _list(jira, "/field", "the fields"):
        if not isinstance(item, dict) or not _str(item.get("id")) or not _str(item.get("name")):
            continue
        raw = item.get("schema")
        schema: dict[str, Any] = raw if isinstance(raw, dict) else {}
        found.append(
            Field(
                _str(item["id"]),
                _str(item["name"]),
                _str(schema.get("type")),
                bool(item.get("custom")) or _str(item["id"]).startswith("customfield_"),
            )
        )
    return found


async def link_types(jira: JiraClient) -> list[LinkType]:
    data = await jira._jira_json("GET", "/issueLinkType", what="the issue link types")
    items = data.get("issueLinkTypes") if isinstance(data, dict) else None
    return [
        LinkType(_str(t.get("id")), _str(t["name"]), _str(t.get("inward")), _str(t.get("outward")))
        for t in items or []
        if isinstance(t, dict) and _str(t.get("name"))
    ]
