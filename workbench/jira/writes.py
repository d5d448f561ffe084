"""Jira writes beyond a comment, a transition and an assignment (those are in
:mod:`workbench.jira.client`): create an issue, edit its fields, log work, link two issues.

Each goes through :class:`~workbench.jira.client.JiraClient` on the shared transport (retries, the
429 countdown; a write is retried only when it provably was not sent). When the answer to a write
is lost on the way back (:class:`~workbench.confluence.network_errors.AmbiguousWrite`), the write is
never sent again: Jira is read back to learn whether it landed — the new issue found among the
project's newest issues by this login, the edited fields compared, the new worklog found among the
issue's worklogs, the link found on the issue — and the error says plainly when it did not.

Example::

    created = await create_issue(jira, {"project": {"key": "ENG"}, "issuetype": {"name": "Task"},
                                        "summary": "Rotate the keys"})
    await add_worklog(jira, created.key, seconds=5400, started=None, comment=None)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from workbench.confluence.errors import BadRequest, ServerError
from workbench.confluence.network_errors import AmbiguousWrite
from workbench.confluence.urls import segment
from workbench.jira.client import check_key
from workbench.textsafe import printable

if TYPE_CHECKING:
    from workbench.jira.client import JiraClient
    from workbench.jira.meta import LinkType

#: Jira's duration units (the default working day and week of a new site: 8 h, 5 d)
UNITS = {"w": 5 * 8 * 3600, "d": 8 * 3600, "h": 3600, "m": 60}
_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([wdhm])\s*", re.IGNORECASE)
#: how many of the project's newest issues by this login are read back after a lost create
READ_BACK = 20
#: how far Jira's clock may be behind ours when a comment or worklog is matched to a proposal
SKEW = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Created:
    key: str
    id: str
    rechecked: bool = False  # the answer was lost; the issue was found by reading back


@dataclass(frozen=True, slots=True)
class Worklog:
    id: str
    seconds: int
    started: str
    author_id: str
    rechecked: bool = False


@dataclass(frozen=True, slots=True)
class Offered:
    """A transition the issue offers now, and the fields its screen requires (``Name (id)``)."""

    id: str
    name: str
    to: str
    required: tuple[str, ...] = ()


def duration_seconds(text: str) -> int:
    """``"1h 30m"`` / ``"2d"`` / ``"45m"`` as seconds (Jira's units: w, d = 8 h, h, m); a BadRequest
    saying how to write it for anything else, or for less than a minute."""
    raw = str(text or "").strip()
    pos, seconds = 0, 0.0
    while raw and pos < len(raw):
        match = _PART.match(raw, pos)
        if match is None:
            break
        seconds += float(match.group(1)) * UNITS[match.group(2).lower()]
        pos = match.end()
    if not raw or pos < len(raw):
        raise BadRequest(
            f"'{printable(raw)[:40]}' is not a time spent; write it like 1h 30m, 45m or 2d "
            "(w, d, h, m; a day is 8 hours)."
        )
    if seconds < 60:
        raise BadRequest("The time spent must be at least one minute (e.g. 1m).")
    return int(seconds)


def duration_text(seconds: int) -> str:
    """Seconds as Jira writes a duration: ``5400`` → ``1h 30m``."""
    parts, left = [], int(seconds)
    for unit in "wdhm":
        count, left = divmod(left, UNITS[unit])
        if count:
            parts.append(f"{count}{unit}")
    return " ".join(parts) or "0m"


def jira_moment(text: str) -> datetime | None:
    """Jira's time text (``2026-12-05T10:30:00.000+0000``) as an aware datetime; None if it is not."""
    for pattern in ("%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            return datetime.strptime(str(text or ""), pattern)
        except ValueError:
            continue
    return None


def jira_time(moment: datetime) -> str:
    """A moment as Jira's worklog ``started`` wants it: ``2026-12-05T10:30:00.000+0000``."""
    text = moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"
    return text + moment.strftime("%z")


async def raw_fields(jira: JiraClient, key: str, names: list[str] | tuple[str, ...]) -> dict:
    """The issue's ``fields`` exactly as Jira sends them (only ``names``), plus ``key`` and ``id``."""
    key = check_key(key)
    data = await jira._jira_json(
        "GET",
        f"/issue/{segment(key)}",
        params={"fields": ",".join(names) or "summary"},
        what=f"issue {key}",
    )
    if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
        raise ServerError(f"Jira's answer for issue {key} has no fields.")
    return {"key": str(data.get("key") or key), "id": str(data.get("id") or ""), **data["fields"]}


async def transitions_with_fields(jira: JiraClient, key: str) -> list[Offered]:
    """The transitions the issue offers, each with the required fields of its screen
    (``expand=transitions.fields``): a transition that needs one cannot be made without it."""
    key = check_key(key)
    data = await jira._jira_json(
        "GET",
        f"/issue/{segment(key)}/transitions",
        params={"expand": "transitions.fields"},
        what=f"issue {key}",
    )
    found = []
    for item in data.get("transitions") or [] if isinstance(data, dict) else []:
        if not isinstance(item, dict) or not item.get("id"):
            continue
        to, fields = _obj(item.get("to")), _obj(item.get("fields"))
        required = tuple(
            f"{meta.get('name') or fid} ({fid})"
            for fid, meta in fields.items()
            if isinstance(meta, dict) and meta.get("required") and not meta.get("hasDefaultValue")
        )
        found.append(
            Offered(
                str(item["id"]), str(item.get("name") or ""), str(to.get("name") or ""), required
            )
        )
    return found


async def create_issue(jira: JiraClient, fields: dict[str, Any]) -> Created:
    """Create an issue from ``fields`` (``project``, ``issuetype``, ``summary``, … as Jira names them;
    ``description`` as ADF, sent as wiki markup on Data Center). Exactly once: a lost answer is settled
    by finding the issue among the project's newest ones this login reported."""
    project = str((fields.get("project") or {}).get("key") or "").strip()
    summary = str(fields.get("summary") or "")
    if not project or not summary.strip():
        raise BadRequest("A new issue needs a project and a summary; nothing was sent.")
    body = dict(fields)
    if isinstance(body.get("description"), dict):
        body["description"] = jira._body(body["description"])
    newest = await _newest_number(jira, project)
    try:
        data = await jira._jira_json(
            "POST", "/issue", json={"fields": body}, what=f"a new issue in {project}"
        )
    except AmbiguousWrite:
        mine = jira.search(
            f'project = "{project}" AND reporter = currentUser() ORDER BY created DESC',
            limit=READ_BACK,
        )
        async for issue in mine:
            if _number(issue.key) > newest and issue.summary == summary:
                return Created(issue.key, issue.id, rechecked=True)
        raise AmbiguousWrite(
            f"The connection broke before Jira answered, and no new issue '{printable(summary)[:80]}' "
            f"is in {project}: it was not created. Approve it again to create it."
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("key"), str):
        raise ServerError(f"Jira's answer for the new issue in {project} has no key.")
    return Created(data["key"], str(data.get("id") or ""))


async def created_since(
    jira: JiraClient, project: str, summary: str, since: datetime, now: datetime
) -> Created | None:
    """An issue of ``project`` this login reported since ``since`` with exactly ``summary`` (an
    approval of the same proposal cut off before it could say so), or None. Asked relative to
    Jira's own clock (``created >= -Nm``), with :data:`SKEW` to spare."""
    minutes = max(1, int((now - since + SKEW).total_seconds() // 60) + 1)
    found = jira.search(
        f'project = "{project}" AND reporter = currentUser() AND created >= -{minutes}m '
        "ORDER BY created DESC",
        limit=READ_BACK,
    )
    async for issue in found:
        if issue.summary == summary:
            return Created(issue.key, issue.id, rechecked=True)
    return None


async def edit_issue(jira: JiraClient, key: str, fields: dict[str, Any]) -> bool:
    """Set ``fields`` on the issue (one PUT; ``description`` as ADF). Setting a field to a value is
    the same however often it is done, yet a lost answer is still settled by reading the fields
    back, never by sending again. Returns True when it had to read back."""
    key = check_key(key)
    if not fields:
        raise BadRequest(f"No field of {key} to change; nothing was sent.")
    body = dict(fields)
    if isinstance(body.get("description"), dict):
        body["description"] = jira._body(body["description"])
    try:
        await jira._jira_json(
            "PUT", f"/issue/{segment(key)}", json={"fields": body}, what=f"issue {key}"
        )
    except AmbiguousWrite:
        now = await raw_fields(jira, key, list(fields))
        if all(field_value(name, now.get(name)) == field_value(name, body[name]) for name in body):
            return True
        raise AmbiguousWrite(
            f"The connection broke before Jira answered, and {key}'s fields are not as proposed: "
            "they were not changed. Approve it again to change them."
        ) from None
    return False


def field_value(name: str, value: Any) -> Any:
    """A field's value reduced to what identifies it, for comparing a value read with one sent or
    seen before: a user by account id (or name), a priority/status/type by id or name, labels as a
    sorted list, a date by its day, rich text as it is (ADF or wiki markup)."""
    if isinstance(value, dict):
        if "accountId" in value or "displayName" in value:
            return ("user", value.get("accountId") or value.get("name") or value.get("key"))
        if value.get("type") == "doc":
            return ("doc", json.dumps(value, sort_keys=True))
        if "name" in value or "id" in value or "value" in value:
            return ("named", str(value.get("name") or value.get("value") or value.get("id")))
        return ("object", json.dumps(value, sort_keys=True))
    if isinstance(value, list):
        return ("list", sorted(json.dumps(field_value(name, v), default=str) for v in value))
    if name == "duedate" and isinstance(value, str):
        return ("date", value[:10])
    if isinstance(value, str):
        return ("text", value.strip()) if value.strip() else None
    return value


async def worklogs(jira: JiraClient, key: str) -> list[dict[str, Any]]:
    key = check_key(key)
    data = await jira._jira_json(
        "GET", f"/issue/{segment(key)}/worklog", params={"maxResults": 5000}, what=f"issue {key}"
    )
    items = data.get("worklogs") if isinstance(data, dict) else None
    return [w for w in items or [] if isinstance(w, dict)]


def _worklog(data: dict[str, Any], rechecked: bool = False) -> Worklog:
    author = _obj(data.get("author"))
    seconds = data.get("timeSpentSeconds")
    return Worklog(
        id=str(data.get("id") or ""),
        seconds=seconds if isinstance(seconds, int) else 0,
        started=str(data.get("started") or ""),
        author_id=str(author.get("accountId") or author.get("name") or ""),
        rechecked=rechecked,
    )


async def add_worklog(
    jira: JiraClient,
    key: str,
    *,
    seconds: int,
    started: str | None = None,
    comment: dict[str, Any] | None = None,
) -> Worklog:
    """Log ``seconds`` of work on the issue (``started``: Jira's time text, default now; ``comment``
    ADF). Exactly once: a lost answer is settled by finding the new worklog among the issue's."""
    key = check_key(key)
    before = {str(w.get("id")) for w in await worklogs(jira, key)}
    body: dict[str, Any] = {"timeSpentSeconds": int(seconds)}
    if started:
        body["started"] = started
    if comment and comment.get("content"):
        body["comment"] = jira._body(comment)
    try:
        data = await jira._jira_json(
            "POST", f"/issue/{segment(key)}/worklog", json=body, what=f"issue {key}"
        )
    except AmbiguousWrite:
        me = await _me(jira)
        for item in await worklogs(jira, key):
            found = _worklog(item, rechecked=True)
            if found.id not in before and found.author_id == me and found.seconds == int(seconds):
                return found
        raise AmbiguousWrite(
            f"The connection broke before Jira answered, and no new worklog is on {key}: the work "
            "was not logged. Approve it again to log it."
        ) from None
    if not isinstance(data, dict):
        raise ServerError(f"Jira's answer for the new worklog on {key} was not a JSON object.")
    return _worklog(data)


async def linked(jira: JiraClient, key: str, link_type: LinkType, other: str) -> bool:
    """Whether ``key`` already ``link_type.outward`` ``other`` (``ENG-1 blocks ENG-2``)."""
    issue = await jira.issue(key)
    return any(
        link.key.upper() == other.upper() and link.relation == link_type.outward
        for link in issue.links
    )


async def link_issues(jira: JiraClient, link_type: LinkType, key: str, other: str) -> bool:
    """Link ``key`` to ``other`` so that ``key`` *outward-words* ``other`` (``ENG-1 blocks ENG-2``):
    in Jira's request the outward issue is the one the link starts from. Exactly once: a link that
    is there already is not sent; a lost answer is settled by reading the issue's links. Returns
    True when the link was found rather than sent."""
    key, other = check_key(key), check_key(other)
    if await linked(jira, key, link_type, other):
        return True
    try:
        await jira._jira_json(
            "POST",
            "/issueLink",
            json={
                "type": {"name": link_type.name},
                "outwardIssue": {"key": key},
                "inwardIssue": {"key": other},
            },
            what=f"the link from {key} to {other}",
        )
    except AmbiguousWrite:
        if await linked(jira, key, link_type, other):
            return True
        raise AmbiguousWrite(
            f"The connection broke before Jira answered, and {key} does not {link_type.outward} "
            f"{other}: the link was not made. Approve it again to make it."
        ) from None
    return False


async def posted_comment(jira: JiraClient, key: str, doc: dict[str, Any], since: datetime) -> Any:
    """A comment by this login with this body, made since ``since`` (an approval of the same
    proposal that was cut off before it could say so), or None."""
    me = await _me(jira)
    for comment in await jira.comments(key):
        at = jira_moment(comment.created)
        if (
            comment.author_id == me
            and at is not None
            and at >= since - SKEW
            and jira.same_body(comment.body, doc)
        ):
            return comment
    return None


async def logged_work(jira: JiraClient, key: str, seconds: int, since: datetime) -> Worklog | None:
    """A worklog by this login of ``seconds``, made since ``since``, or None (as above)."""
    me = await _me(jira)
    for item in await worklogs(jira, check_key(key)):
        found = _worklog(item, rechecked=True)
        at = jira_moment(str(item.get("created") or ""))
        if found.author_id == me and found.seconds == seconds and at and at >= since - SKEW:
            return found
    return None


async def _me(jira: JiraClient) -> str:
    me = await jira.myself()
    return str(me.get("accountId") or me.get("name") or me.get("key") or "")


async def _newest_number(jira: JiraClient, project: str) -> int:
    async for issue in jira.search(f'project = "{project}" ORDER BY key DESC', limit=1):
        return _number(issue.key)
    return 0


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _number(key: str) -> int:
    tail = key.rpartition("-")[2]
    return int(tail) if tail.isdigit() else 0
