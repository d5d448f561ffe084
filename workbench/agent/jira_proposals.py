"""Proposals about Jira issues on the session's site (permission group ``jira_write``, in no built-in
profile): a new issue, new field values, a transition, a comment, a worklog, a link.

Like every propose tool these only build a :class:`~workbench.agent.proposals.Proposal`; nothing is
written here. The text a person reviews says what will change — each field ``old`` → ``new`` (the
field's line before and after), the transition from one status to another, the comment's Markdown,
the work logged, the link — so the agent panel, the inbox and ``workbench proposals show`` show it
as a diff like any other proposal. What to send is kept as JSON (``Proposal.jira``), and what the
proposal read of every field it changes (``Proposal.pinned``), so applying
(:mod:`workbench.agent.apply_jira`) refuses an issue that changed since in one of those fields.
The result the model reads names keys and ids only; Jira's own words reach it only between the
session's data markers (the MCP diff block).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from workbench.agent.edits import ToolInputError
from workbench.agent.jira_values import (
    FIELD_LABELS,
    block,
    day,
    field_lines,
    label_list,
    markdown_adf,
    moment_of,
    now_text,
    pin,
    shown,
)
from workbench.agent.proposals import (
    JIRA_COMMENT,
    JIRA_FIELDS,
    JIRA_ISSUE,
    JIRA_LINK,
    JIRA_TRANSITION,
    JIRA_WORKLOG,
    Proposal,
)
from workbench.agent.tool_host import ToolHost
from workbench.agent.world import one_line
from workbench.confluence.errors import BadRequest, NotFound
from workbench.jira import meta, writes
from workbench.jira.client import check_key
from workbench.jira.models import JiraUser, body_adf

if TYPE_CHECKING:
    from workbench.confluence.people import Person
    from workbench.jira.client import JiraClient

_KEEP: Any = object()  # an argument the model left out (None: it asked to clear the field)


class JiraProposals(ToolHost):
    """``propose_jira_issue``, ``_fields``, ``_transition``, ``_comment``, ``_worklog``, ``_link``."""

    if TYPE_CHECKING:

        def jira(self) -> JiraClient: ...

        async def one_person(self, user: str) -> Person: ...

    async def _issue_fields(self, key: str, names: list[str]) -> dict[str, Any]:
        try:
            return await writes.raw_fields(self.jira(), check_key(key), names)
        except BadRequest as exc:
            raise ToolInputError(exc.message) from None

    def _user_value(self, person: Person) -> dict[str, Any]:
        if self.jira().kind == "dc":
            return {"name": person.username or person.account_id}
        return {"accountId": person.account_id}

    async def _assignee(self, user: str | None) -> tuple[dict[str, Any] | None, str]:
        if user is None or not str(user).strip():
            return None, "(none)"
        person = await self.one_person(str(user))
        return self._user_value(person), one_line(person.display_name, 80)

    async def _assignable(self, key: str, user: str | None) -> tuple[JiraUser | None, str]:
        """The person ``user`` names among those Jira lets ``key`` be assigned to (an exact name,
        username or account id, or the one match); None to unassign."""
        text = " ".join(str(user or "").split())
        if not text:
            return None, "(none)"
        jira = self.jira()
        found = await jira.assignable_users(key, text, limit=10)
        exact = [
            u
            for u in found
            if text.lower() in (u.display_name.lower(), u.name.lower(), u.account_id.lower())
        ]
        chosen = exact[0] if len(exact) == 1 else found[0] if len(found) == 1 else None
        if chosen is None and not found:
            raise ToolInputError(f"Nobody named '{one_line(text, 60)}' can be assigned {key}.")
        if chosen is None:
            names = "; ".join(one_line(u.display_name, 40) for u in found[:5])
            raise ToolInputError(
                f"'{one_line(text, 60)}' matches several people ({names}); be exact."
            )
        return chosen, one_line(chosen.display_name, 80)

    async def _priority(self, name: str) -> dict[str, str]:
        wanted = " ".join(str(name or "").split())
        found = await meta.priorities(self.jira())
        for p in found:
            if wanted.lower() in (p.name.lower(), p.id):
                return {"id": p.id, "name": p.name}
        names = ", ".join(p.name for p in found) or "none"
        raise ToolInputError(f"Jira has no priority '{one_line(wanted, 40)}'; it has: {names}.")

    # -- a comment -----------------------------------------------------------------------------
    async def _tool_propose_jira_comment(self, key: str, markdown: str) -> Proposal:
        if not isinstance(markdown, str) or not markdown.strip():
            raise ToolInputError("The comment is empty.")
        issue = await self._issue_fields(key, ["summary"])
        text = markdown if markdown.endswith("\n") else markdown + "\n"
        markdown_adf(text, "comment")  # refused now, not when the person approves
        return Proposal(
            made=now_text(),
            kind=JIRA_COMMENT,
            summary=f"Comment on {issue['key']}",
            before="",
            after=text,
            title=str(issue.get("summary") or ""),
            issue_key=issue["key"],
        )

    # -- a transition --------------------------------------------------------------------------
    async def _tool_propose_jira_transition(self, key: str, transition: str) -> Proposal:
        issue = await self._issue_fields(key, ["summary", "status"])
        key = issue["key"]
        offered = await writes.transitions_with_fields(self.jira(), key)
        wanted = " ".join(str(transition or "").split()).lower()
        chosen = next((t for t in offered if wanted in (t.id, t.name.lower())), None) or next(
            (t for t in offered if t.to.lower() == wanted), None
        )
        status = shown(issue.get("status"))
        if chosen is None:
            names = "; ".join(f"{t.name} ({t.id}) → {t.to}" for t in offered) or "none"
            raise ToolInputError(
                f"{key} (status {status}) offers no transition '{one_line(wanted, 40)}'; it offers: "
                f"{names}."
            )
        if chosen.required:
            need = ", ".join(chosen.required)
            raise ToolInputError(
                f"The transition '{chosen.name}' asks for {need}, which a proposal cannot fill in; "
                "the person has to make it in Jira."
            )
        before = f"status: {status}\n"
        after = f"status: {one_line(chosen.to, 80)}  (transition '{one_line(chosen.name, 80)}')\n"
        return Proposal(
            kind=JIRA_TRANSITION,
            summary=f"{key}: {status} → {one_line(chosen.to, 60)}",
            before=before,
            after=after,
            described=after,
            title=str(issue.get("summary") or ""),
            issue_key=key,
            jira=json.dumps(
                {"transition": {"id": chosen.id, "name": chosen.name, "to": chosen.to}}
            ),
            pinned=pin(issue, ["status"]),
        )

    # -- field values --------------------------------------------------------------------------
    async def _tool_propose_jira_fields(
        self,
        key: str,
        summary: Any = _KEEP,
        description: Any = _KEEP,
        priority: Any = _KEEP,
        labels: Any = _KEEP,
        due_date: Any = _KEEP,
        assignee: Any = _KEEP,
        custom_fields: Any = _KEEP,
    ) -> Proposal:
        asked = {
            "summary": summary,
            "description": description,
            "priority": priority,
            "labels": labels,
            "duedate": due_date,
            "assignee": assignee,
        }
        asked = {name: value for name, value in asked.items() if value is not _KEEP}
        custom = custom_fields if isinstance(custom_fields, dict) else {}
        if not asked and not custom:
            raise ToolInputError("Give at least one field to change.")
        names = [*asked, *custom]
        labels_of = {**FIELD_LABELS}
        if custom:
            known = {f.id: f for f in await meta.fields(self.jira()) if f.custom}
            for fid in custom:
                if fid not in known:
                    raise ToolInputError(
                        f"Jira has no custom field {fid}; the field ids are in jira_search's description."
                    )
                labels_of[fid] = f"{fid} ({one_line(known[fid].name, 40)})"
        now = await self._issue_fields(key, ["summary", *names])
        key = now["key"]
        new: dict[str, Any] = {}
        shown_new: dict[str, Any] = {}
        assign: dict[str, Any] = {}
        for name, value in asked.items():
            if name == "summary":
                text = " ".join(str(value or "").split())
                if not text or len(text) > 255:
                    raise ToolInputError("A summary is one line of 1 to 255 characters.")
                new[name] = shown_new[name] = text
            elif name == "description":
                text = str(value or "")
                new[name] = markdown_adf(text, "description") if text.strip() else None
                shown_new[name] = new[name]
            elif name == "priority":
                if value is None:
                    raise ToolInputError(
                        "priority cannot be cleared; give one of Jira's priorities."
                    )
                new[name] = shown_new[name] = await self._priority(str(value))
            elif name == "labels":
                cleaned = label_list(value)
                new[name] = shown_new[name] = cleaned
            elif name == "duedate":
                new[name] = shown_new[name] = day(value)
            elif name == "assignee":  # sent through Jira's assign (its own permission)
                person, shown_new[name] = await self._assignable(key, value)
                assign = {"assign": asdict(person) if person is not None else None}
        for fid, value in custom.items():
            new[fid] = shown_new[fid] = value
        shown_names = {n: labels_of[n] for n in names}
        seen = dict(now)
        if isinstance(seen.get("description"), str):  # Data Center: wiki markup, shown as Markdown
            seen["description"] = body_adf(seen["description"])
        before = field_lines(seen, shown_names)
        after = field_lines(shown_new, shown_names)
        if before == after:
            raise ToolInputError(f"These values are {key}'s already; nothing would change.")
        changed = [n for n in names if field_lines(seen, {n: n}) != field_lines(shown_new, {n: n})]
        return Proposal(
            kind=JIRA_FIELDS,
            summary=f"{key}: change {', '.join(labels_of[n].split(' (')[0] for n in changed)}",
            before=before,
            after=after,
            described=after,
            title=str(now.get("summary") or ""),
            issue_key=key,
            jira=json.dumps({"fields": new, **assign}),
            pinned=pin(now, names),
        )

    # -- a new issue ---------------------------------------------------------------------------
    async def _tool_propose_jira_issue(
        self,
        project: str,
        issue_type: str,
        summary: str,
        description: str = "",
        priority: str | None = None,
        labels: list[str] | None = None,
        assignee: str | None = None,
    ) -> Proposal:
        try:
            found = await meta.project(self.jira(), str(project))
        except NotFound as exc:
            raise ToolInputError(exc.message) from None
        wanted = " ".join(str(issue_type or "").split()).lower()
        kind = next((t for t in found.issue_types if wanted in (t.name.lower(), t.id)), None)
        if kind is None:
            names = ", ".join(t.name for t in found.issue_types) or "none"
            raise ToolInputError(
                f"Project {found.key} has no issue type '{one_line(wanted, 40)}'; it has: {names}."
            )
        title = " ".join(str(summary or "").split())
        if not title or len(title) > 255:
            raise ToolInputError("A summary is one line of 1 to 255 characters.")
        fields: dict[str, Any] = {
            "project": {"key": found.key},
            "issuetype": {"id": kind.id},
            "summary": title,
        }
        lines = [
            f"project: {found.key} ({one_line(found.name, 60)})",
            f"type: {one_line(kind.name, 40)}",
            f"summary: {one_line(title, 255)}",
        ]
        if priority:
            fields["priority"] = await self._priority(priority)
            lines.append(f"priority: {fields['priority']['name']}")
        if labels:
            fields["labels"] = label_list(labels)
            lines.append(f"labels: {', '.join(fields['labels'])}")
        if assignee:
            fields["assignee"], name = await self._assignee(assignee)
            lines.append(f"assignee: {name}")
        text = str(description or "")
        if text.strip():
            fields["description"] = markdown_adf(text, "description")
            lines.append("description:" + block(text))
        after = "\n".join(lines) + "\n"
        return Proposal(
            made=now_text(),
            kind=JIRA_ISSUE,
            summary=f"New {one_line(kind.name, 30)} in {found.key}",
            before="",
            after=after,
            described=after,
            title=title,
            project_key=found.key,
            jira=json.dumps({"fields": fields}),
        )

    # -- a worklog -----------------------------------------------------------------------------
    async def _tool_propose_jira_worklog(
        self, key: str, time_spent: str, started: str | None = None, comment: str = ""
    ) -> Proposal:
        try:
            seconds = writes.duration_seconds(time_spent)
        except BadRequest as exc:
            raise ToolInputError(exc.message) from None
        moment = moment_of(started) if started else None
        issue = await self._issue_fields(key, ["summary"])
        key = issue["key"]
        op: dict[str, Any] = {"seconds": seconds}
        lines = [f"time spent: {writes.duration_text(seconds)}"]
        if moment is not None:
            op["started"] = writes.jira_time(moment)
            lines.append(f"started: {moment.strftime('%Y-%m-%d %H:%M %Z').strip()}")
        else:
            lines.append("started: when the person approves it")
        if comment and str(comment).strip():
            op["comment"] = markdown_adf(str(comment), "worklog comment")
            lines.append("comment:" + block(str(comment)))
        after = "\n".join(lines) + "\n"
        return Proposal(
            made=now_text(),
            kind=JIRA_WORKLOG,
            summary=f"Log {writes.duration_text(seconds)} on {key}",
            before="",
            after=after,
            described=after,
            title=str(issue.get("summary") or ""),
            issue_key=key,
            jira=json.dumps(op),
        )

    # -- a link --------------------------------------------------------------------------------
    async def _tool_propose_jira_link(self, key: str, link_type: str, other_key: str) -> Proposal:
        first = await self._issue_fields(key, ["summary"])
        second = await self._issue_fields(other_key, ["summary"])
        if first["key"] == second["key"]:
            raise ToolInputError("An issue cannot be linked to itself.")
        wanted = " ".join(str(link_type or "").split()).lower()
        types = await meta.link_types(self.jira())
        one, two = first["key"], second["key"]
        chosen = next((t for t in types if wanted in (t.name.lower(), t.outward.lower())), None)
        if chosen is None:  # the inward words ("is blocked by"): the same link the other way round
            chosen = next((t for t in types if wanted == t.inward.lower()), None)
            one, two = two, one
        if chosen is None:
            names = "; ".join(f"{t.name} ({t.outward} / {t.inward})" for t in types) or "none"
            raise ToolInputError(
                f"Jira has no link type '{one_line(wanted, 40)}'; it has: {names}."
            )
        if await writes.linked(self.jira(), one, chosen, two):
            raise ToolInputError(f"{one} {chosen.outward} {two} already.")
        after = f"{one} {chosen.outward} {two}  (link type {chosen.name})\n"
        return Proposal(
            kind=JIRA_LINK,
            summary=f"Link: {one} {chosen.outward} {two}",
            before="",
            after=after,
            described=after,
            title=str(first.get("summary") or ""),
            issue_key=one,
            jira=json.dumps(
                {
                    "link": {
                        "id": chosen.id,
                        "name": chosen.name,
                        "inward": chosen.inward,
                        "outward": chosen.outward,
                        "other": two,
                    }
                }
            ),
        )
