"""The agent's Jira read tools (group ``jira``, in no built-in profile): ``jira_search`` (JQL) and
``jira_get_issue``. They reach Jira on the session's site with the session's login
(:meth:`workbench.jira.client.JiraClient.beside`); everything Jira says is data for the model, between
the session's data markers. Nothing here writes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.agent.edits import ToolInputError
from workbench.agent.hidden import hide_in_text
from workbench.agent.tool_host import ToolHost
from workbench.errors import WorkbenchError
from workbench.jira.client import JiraClient

if TYPE_CHECKING:
    from workbench.services.jira_schema import JiraSchema

#: at most this much of a description or a comment goes to the model (the rest is said to be cut)
TEXT_LIMIT = 4000
MAX_COMMENTS = 10


class JiraTools(ToolHost):
    """``jira_search`` and ``jira_get_issue``; the Jira client is made on first use."""

    _jira: JiraClient | None = None
    #: the site's Jira schema for the tool descriptions (read when the ``jira`` group is on)
    jira_schema: JiraSchema | None = None
    _jira_schema_tried = False

    async def discover_jira(self, *, refresh: bool = False) -> JiraSchema | None:
        """The site's Jira schema (kept per site for a day; :mod:`workbench.services.jira_schema`),
        read once per session and only when the profile has the ``jira`` group; None otherwise."""
        if "jira" not in self.fence.groups or (self._jira_schema_tried and not refresh):
            return self.jira_schema
        self._jira_schema_tried = True
        # lazy, for start-up: workbench.services.jira_schema loads on first use
        from workbench.services.jira_schema import schema_for

        try:
            self.jira_schema = await schema_for(self.client, self.jira(), refresh=refresh)
        except (WorkbenchError, OSError):  # e.g. a broken config naming Jira's address
            self.jira_schema = None
        return self.jira_schema

    def jira_data(self, text: str, label: str) -> str:
        """Jira's text for the model: invisible characters as tokens, between the session's markers."""
        return self.markers.wrap(hide_in_text(text), label, "Jira")

    def jira(self) -> JiraClient:
        if self._jira is None:
            # lazy: workbench.agent.apply_jira (the profile's jira_url) loads on first use
            from workbench.agent.apply_jira import jira_for

            self._jira = jira_for(self.client)
        return self._jira

    async def _tool_jira_search(self, jql: str, limit: int = 10) -> str:
        if not isinstance(jql, str):
            raise ToolInputError(
                "jql must be a JQL query, e.g. 'project = ENG AND status != Done'."
            )
        limit = max(1, min(int(limit), 50))
        issues = [i async for i in self.jira().search(jql, limit=limit)]
        if not issues:
            return "No issues."
        rows = [f"{i.key}  [{i.status}]  {i.assignee or 'unassigned'}  {i.summary}" for i in issues]
        return self.jira_data("\n".join(rows), "Jira issues: key [status] assignee summary")

    async def _tool_jira_get_issue(self, key: str) -> str:
        issue = await self.jira().issue(key)
        head = [
            f"{issue.key}: {issue.summary}",
            f"status {issue.status} | type {issue.issue_type} | priority {issue.priority} | "
            f"assignee {issue.assignee or 'unassigned'} | reporter {issue.reporter or '?'}",
        ]
        if issue.labels:
            head.append("labels: " + ", ".join(issue.labels))
        for link in issue.links:
            head.append(f"{link.relation} {link.key} [{link.status}] {link.summary}")
        parts = [self.jira_data("\n".join(head), "the issue's fields and links")]
        parts.append(
            self.jira_data(_cut(issue.description_markdown) or "(no description)", "description")
        )
        for comment in issue.comments[-MAX_COMMENTS:]:
            parts.append(
                self.jira_data(
                    _cut(comment.markdown),
                    f"comment {comment.id} by {comment.author}, {comment.created}",
                )
            )
        if len(issue.comments) > MAX_COMMENTS:
            parts.append(f"({len(issue.comments) - MAX_COMMENTS} older comments not shown)")
        return "\n".join(parts)


def _cut(text: str) -> str:
    text = text.rstrip()
    if len(text) <= TEXT_LIMIT:
        return text
    return text[:TEXT_LIMIT] + f"\n… ({len(text) - TEXT_LIMIT} more characters not shown)"
