"""The site's Jira schema — projects with their issue types, priorities, statuses, custom fields, link
types — and its Confluence spaces, discovered once and kept per site in the data directory.

The agent writes it into the Jira tools' descriptions (:mod:`workbench.agent.jira_schema_text`) so a
model builds valid JQL and field ids without guessing; ``workbench schema refresh`` reads it again
on demand. A kept schema is used for a day (:data:`MAX_AGE`), then read again; when Jira cannot be
reached the schema says why (``jira_error``) and holds the spaces only — the tools still work. The
file is written atomically (a crash leaves the old one or the new one); one that cannot be read is
set aside and read again from the site.

Example::

    schema = await schema_for(client, jira)            # kept, or discovered and kept
    schema = await schema_for(client, jira, refresh=True)
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.config import atomic_write, data_dir
from workbench.errors import WorkbenchError
from workbench.jira import meta
from workbench.services.cache import site_slug
from workbench.services.json_record import read_record

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient
    from workbench.jira.client import JiraClient

FORMAT = 1
#: seconds a kept schema is used before it is read again (a day)
MAX_AGE = 24 * 3600
#: seconds a schema whose Jira part could not be read is used before Jira is asked again (an hour:
#: a site without Jira does not cost every session a request)
RETRY_AFTER = 3600
#: spaces kept at most
MAX_SPACES = 500


@dataclass(slots=True)
class JiraSchema:
    """What the site has. Lists of plain values, so the file is plain JSON:

    ``projects``: ``[key, name, [issue type names]]``; ``priorities``: names; ``statuses``: ``[name,
    category]``; ``fields``: custom fields ``[id, name, type]``; ``link_types``: ``[name, outward,
    inward]``; ``spaces``: ``[key, name]``."""

    site: str
    fetched: float = 0.0  # when it was read (seconds since the epoch)
    projects: list[list[Any]] = field(default_factory=list)
    priorities: list[str] = field(default_factory=list)
    statuses: list[list[str]] = field(default_factory=list)
    fields: list[list[str]] = field(default_factory=list)
    link_types: list[list[str]] = field(default_factory=list)
    spaces: list[list[str]] = field(default_factory=list)
    jira_error: str = ""  # why Jira's part is empty ("" when it was read)
    spaces_error: str = ""

    def stale(self, now: float | None = None) -> bool:
        return (now if now is not None else time.time()) - self.fetched > MAX_AGE

    def counts(self) -> dict[str, int]:
        return {
            "projects": len(self.projects),
            "issue_types": len({t for p in self.projects for t in p[2]}),
            "priorities": len(self.priorities),
            "statuses": len(self.statuses),
            "custom_fields": len(self.fields),
            "link_types": len(self.link_types),
            "spaces": len(self.spaces),
        }

    def as_json(self) -> dict[str, Any]:
        return {"format": FORMAT, **asdict(self)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> JiraSchema | None:
        """The schema kept in ``data``, or None when it is not one this version wrote."""
        if data.get("format") != FORMAT or not isinstance(data.get("site"), str):
            return None
        try:
            return cls(
                site=data["site"],
                fetched=float(data.get("fetched") or 0.0),
                projects=[
                    [str(p[0]), str(p[1]), [str(t) for t in p[2]]] for p in data.get("projects", [])
                ],
                priorities=[str(p) for p in data.get("priorities", [])],
                statuses=[[str(s[0]), str(s[1])] for s in data.get("statuses", [])],
                fields=[[str(f[0]), str(f[1]), str(f[2])] for f in data.get("fields", [])],
                link_types=[[str(t[0]), str(t[1]), str(t[2])] for t in data.get("link_types", [])],
                spaces=[[str(s[0]), str(s[1])] for s in data.get("spaces", [])],
                jira_error=str(data.get("jira_error") or ""),
                spaces_error=str(data.get("spaces_error") or ""),
            )
        except (TypeError, ValueError, IndexError, KeyError):
            return None


def schema_path(site: str) -> Path:
    return data_dir() / "schema" / f"{site_slug(site.rstrip('/'))}.json"


def load(site: str) -> JiraSchema | None:
    """The kept schema of ``site`` (stale or not), or None."""
    data, _problem = read_record(schema_path(site), "The kept Jira schema")
    schema = JiraSchema.from_json(data) if data else None
    return schema if schema is not None and schema.site == site.rstrip("/") else None


def save(schema: JiraSchema) -> Path:
    path = schema_path(schema.site)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps(schema.as_json(), ensure_ascii=False, indent=1))
    return path


async def discover(client: ConfluenceClient, jira: JiraClient) -> JiraSchema:
    """Read the schema from the site now. Jira's failure (no Jira, no permission, offline) is kept
    as ``jira_error`` with the spaces still read; nothing here raises for an unreachable site."""
    schema = JiraSchema(site=client.base_url.rstrip("/"), fetched=time.time())
    try:
        async for space in client.spaces():
            schema.spaces.append([space.key, space.name])
            if len(schema.spaces) >= MAX_SPACES:
                break
    except WorkbenchError as exc:
        schema.spaces_error = exc.message
    try:
        projects = await meta.projects(jira)
        schema.projects = [[p.key, p.name, [t.name for t in p.issue_types]] for p in projects]
        schema.priorities = [p.name for p in await meta.priorities(jira)]
        schema.statuses = [[s.name, s.extra] for s in await meta.statuses(jira)]
        schema.fields = [[f.id, f.name, f.type] for f in await meta.fields(jira) if f.custom]
        schema.link_types = [[t.name, t.outward, t.inward] for t in await meta.link_types(jira)]
    except WorkbenchError as exc:
        schema.projects, schema.priorities, schema.statuses = [], [], []
        schema.fields, schema.link_types = [], []
        schema.jira_error = exc.message
    return schema


async def schema_for(
    client: ConfluenceClient, jira: JiraClient, *, refresh: bool = False
) -> JiraSchema:
    """The site's schema: the kept one while it is fresh (and Jira's part was read), else read
    again and kept. A fresh read that could not reach Jira keeps the older Jira part, if any,
    saying it is old."""
    site = client.base_url.rstrip("/")
    kept = load(site)
    if not refresh and kept is not None and not kept.stale():
        if not kept.jira_error or time.time() - kept.fetched < RETRY_AFTER:
            return kept
    found = await discover(client, jira)
    if found.jira_error and kept is not None and not kept.jira_error:
        # Jira did not answer now: the older Jira part is better than none, and says its age
        found.projects, found.priorities, found.statuses = (
            kept.projects,
            kept.priorities,
            kept.statuses,
        )
        found.fields, found.link_types = kept.fields, kept.link_types
        found.jira_error = f"{found.jira_error} (the schema below was read {age(kept.fetched)})"
        found.fetched = kept.fetched
    try:
        save(found)
    except OSError:
        pass  # a cache: the next session reads the site again
    return found


def age(fetched: float, now: float | None = None) -> str:
    seconds = max(0, int((now if now is not None else time.time()) - fetched))
    if seconds < 120:
        return "just now"
    if seconds < 7200:
        return f"{seconds // 60} minutes ago"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} hours ago"
    return f"{seconds // 86400} days ago"
