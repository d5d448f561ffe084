"""Applying an approved Jira proposal (:mod:`workbench.agent.jira_proposals`): a new issue, field
values, a transition, a comment, a worklog or a link — on the session's site, with its login.

The one hunk of such a proposal is the whole change: accepted, it is applied; rejected or left
pending, nothing is sent. Only a comment may be edited by hand (its text is the comment); the text
of the others only describes the change. The fence that applies it must hold ``jira_write``. The
issue is read again first: if a field the proposal changes (a field's value, the status of a
transition) is not what the proposal read, nothing is sent and the person is told what it is now
(:class:`~workbench.agent.apply.ApplyConflict`). Each write is sent once; a lost answer is settled by
reading back (:mod:`workbench.jira.writes`, :meth:`~workbench.jira.client.JiraClient.add_comment`).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from workbench.agent import proposals as kinds
from workbench.agent.apply_outcome import (
    NOTHING,
    ApplyConflict,
    ApplyResult,
    checked,
    only_as_described,
    record_refusal,
)
from workbench.agent.apply_outcome import written as written_result
from workbench.errors import UsageError
from workbench.jira import writes
from workbench.jira.client import JiraClient
from workbench.jira.meta import LinkType
from workbench.jira.models import JiraUser

if TYPE_CHECKING:
    from workbench.agent.audit import AuditLog
    from workbench.agent.fences import Fence
    from workbench.agent.proposals import Proposal
    from workbench.confluence.client import ConfluenceClient

#: the tool behind each kind (the fence that applies must allow it)
TOOL_OF = {kind: f"propose_{kind}" for kind in kinds.JIRA_KINDS}


def jira_for(client: ConfluenceClient) -> JiraClient:
    """The Jira of the site ``client`` talks to, on its connection (a profile's ``jira_url`` names
    Jira's own address when it is not beside Confluence)."""
    # lazy, for start-up: workbench.auth.jira_connect loads the settings on first use
    from workbench.auth.jira_connect import jira_url_for

    return JiraClient.beside(client, jira_url_for(client.base_url))


async def apply_jira(
    client: ConfluenceClient,
    proposal: Proposal,
    text: str,
    fence: Fence,
    audit: AuditLog | None,
) -> ApplyResult:
    if not text.strip() or text == proposal.before or not proposal.accepted:
        return ApplyResult(NOTHING, "The change is not accepted, so nothing was sent to Jira.")
    if proposal.kind != kinds.JIRA_COMMENT:
        only_as_described(proposal, text, "This Jira proposal", "the change")
    checked(audit, fence, proposal, lambda: fence.check_tool(TOOL_OF[proposal.kind]))
    jira = jira_for(client)
    op: dict[str, Any] = json.loads(proposal.jira or "{}")
    key = proposal.issue_key
    changed = await _changed_since(jira, key, proposal.pinned)
    if changed:
        why = f"{key} changed since the proposal: {changed}; nothing was sent."
        record_refusal(audit, fence, proposal, why)
        raise ApplyConflict(why + " Ask the agent again on the issue as it is now.")
    written: Any = None
    since = _moment(proposal.made)
    if proposal.kind == kinds.JIRA_ISSUE:
        fields = op["fields"]
        project, summary = fields["project"]["key"], fields["summary"]
        made = (
            await writes.created_since(jira, project, summary, since, datetime.now(UTC))
            if since
            else None
        )
        if made is not None:  # an approval cut off before it could record that it wrote
            done = f"Jira issue {made.key} is in {project} already (created for this proposal); nothing was sent."
            written = made
        else:
            created = await writes.create_issue(jira, fields)
            done, written = f"Created Jira issue {created.key}.", created
            if created.rechecked:
                done += " (The answer was lost; the issue was found by reading back.)"
    elif proposal.kind == kinds.JIRA_FIELDS:
        fields = op.get("fields") or {}
        rechecked = await writes.edit_issue(jira, key, fields) if fields else False
        if "assign" in op:  # the assignee through Jira's assign (idempotent)
            person = op["assign"]
            await jira.assign(key, JiraUser(**person) if person else None)
        names = [*fields, *(["assignee"] if "assign" in op else [])]
        done = f"Changed {', '.join(names)} of {key}."
        if rechecked:
            done += " (The answer was lost; the fields were read back to confirm it.)"
    elif proposal.kind == kinds.JIRA_TRANSITION:
        step = op["transition"]
        await jira.transition(key, str(step["id"]))
        done = f"Moved {key} to {step['to']} (transition '{step['name']}')."
    elif proposal.kind == kinds.JIRA_COMMENT:
        # lazy, for start-up: workbench.jira.md_adf (mistune) loads on first use
        from workbench.jira.md_adf import markdown_to_adf

        try:
            doc = markdown_to_adf(text)
        except ValueError as exc:
            raise UsageError(f"The comment cannot be turned into Jira's format: {exc}.") from None
        comment = await writes.posted_comment(jira, key, doc, since) if since else None
        if comment is not None:  # an approval cut off before it could record that it wrote
            done = f"Comment {comment.id} is on {key} already (posted for this proposal); nothing was sent."
        else:
            comment = await jira.add_comment(key, doc)
            done = f"Added comment {comment.id} to {key}."
        written = comment
    elif proposal.kind == kinds.JIRA_WORKLOG:
        seconds = int(op["seconds"])
        logged = await writes.logged_work(jira, key, seconds, since) if since else None
        if logged is not None:  # an approval cut off before it could record that it wrote
            done = f"Worklog {logged.id} is on {key} already (logged for this proposal); nothing was sent."
        else:
            logged = await writes.add_worklog(
                jira, key, seconds=seconds, started=op.get("started"), comment=op.get("comment")
            )
            done = f"Logged {writes.duration_text(seconds)} on {key} (worklog {logged.id})."
            if logged.rechecked:
                done += " (The answer was lost; the worklog was found by reading back.)"
        written = logged
    elif proposal.kind == kinds.JIRA_LINK:
        link = op["link"]
        kind = LinkType(str(link["id"]), link["name"], link["inward"], link["outward"])
        found = await writes.link_issues(jira, kind, key, link["other"])
        done = f"Linked: {key} {kind.outward} {link['other']}."
        if found:
            done += " (The link was there already, or the answer was lost and it was read back.)"
    else:  # pragma: no cover - apply.py only sends these kinds here
        raise UsageError(f"Unknown proposal kind '{proposal.kind}'.")
    return written_result(audit, fence, proposal, text, done, written)


def _moment(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


async def _changed_since(jira: JiraClient, key: str, pinned: str) -> str:
    """'' when every field the proposal read is as it was; else what changed, in words."""
    seen: dict[str, Any] = json.loads(pinned or "{}")
    if not seen:
        return ""
    now = await writes.raw_fields(jira, key, list(seen))
    # lazy: agent.jira_proposals shows values as the review does
    from workbench.agent.jira_values import shown

    changes = []
    for name, was in seen.items():
        value = json.loads(json.dumps(writes.field_value(name, now.get(name)), default=str))
        if value != was.get("value"):
            changes.append(f"{name} is now {shown(now.get(name)).strip()} (was {was.get('shown')})")
    return "; ".join(changes)
