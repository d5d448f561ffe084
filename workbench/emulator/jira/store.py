"""The Jira state of the local server: a mixin of :class:`~workbench.emulator.store.Store` over the
``jira_*`` tables. Rows come back as plain dicts; refusals are :class:`JiraError` (the routes turn
them into Jira's ``{"errorMessages": [...], "errors": {...}}`` body). The schema objects, issues and
workflow are in :mod:`~workbench.emulator.jira.store_issues`; here is what hangs off an issue:
comments, worklogs and links."""

from __future__ import annotations

import json
from typing import Any

from workbench.emulator.jira.errors import JiraError
from workbench.emulator.jira.store_issues import JiraIssuesMixin
from workbench.emulator.schema import iso, utcnow

__all__ = ["JiraError", "JiraMixin"]


class JiraMixin(JiraIssuesMixin):
    """Projects, issue types, priorities, statuses, the workflow, issues and what hangs off them."""

    # -- comments -----------------------------------------------------------------------------
    def jira_comments(self, key: str) -> list[dict[str, Any]]:
        issue = self.jira_issue(key)
        return self.query(
            "SELECT * FROM jira_comments WHERE issue_id = ? ORDER BY id", (issue["id"],)
        )

    def jira_add_comment(
        self, key: str, body: dict[str, Any], author: str, created_at: str | None = None
    ) -> dict[str, Any]:
        with self.lock, self.transaction():
            issue = self.jira_issue(key)
            comment_id = self._next_jira_id("jira_comments")
            now = created_at or iso(utcnow())
            self.db.execute(
                "INSERT INTO jira_comments(id, issue_id, body, author_id, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (comment_id, issue["id"], json.dumps(body), author, now, now),
            )
            self.db.execute(
                "UPDATE jira_issues SET updated_at = MAX(updated_at, ?) WHERE id = ?",
                (now, issue["id"]),
            )
        return self.jira_comment(key, comment_id)

    def jira_comment(self, key: str, comment_id: int | str) -> dict[str, Any]:
        issue = self.jira_issue(key)
        row = None
        if str(comment_id).isdigit():
            row = self.query_one(
                "SELECT * FROM jira_comments WHERE id = ? AND issue_id = ?",
                (int(comment_id), issue["id"]),
            )
        if row is None:
            raise JiraError(404, "Can not find a comment for the id: " + str(comment_id) + ".")
        return row

    def jira_update_comment(
        self, key: str, comment_id: int | str, body: dict[str, Any]
    ) -> dict[str, Any]:
        with self.lock, self.transaction():
            row = self.jira_comment(key, comment_id)
            self.db.execute(
                "UPDATE jira_comments SET body = ?, updated_at = ? WHERE id = ?",
                (json.dumps(body), iso(utcnow()), row["id"]),
            )
        return self.jira_comment(key, comment_id)

    def jira_delete_comment(self, key: str, comment_id: int | str) -> None:
        with self.lock, self.transaction():
            row = self.jira_comment(key, comment_id)
            self.db.execute("DELETE FROM jira_comments WHERE id = ?", (row["id"],))

    # -- worklogs -----------------------------------------------------------------------------
    def jira_worklogs(self, key: str) -> list[dict[str, Any]]:
        issue = self.jira_issue(key)
        return self.query(
            "SELECT * FROM jira_worklogs WHERE issue_id = ? ORDER BY id", (issue["id"],)
        )

    def jira_add_worklog(
        self,
        key: str,
        *,
        seconds: int,
        author: str,
        started: str | None = None,
        comment: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        with self.lock, self.transaction():
            issue = self.jira_issue(key)
            worklog_id = self._next_jira_id("jira_worklogs")
            now = iso(utcnow())
            self.db.execute(
                "INSERT INTO jira_worklogs(id, issue_id, author_id, comment, started, seconds, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    worklog_id,
                    issue["id"],
                    author,
                    json.dumps(comment) if comment is not None else None,
                    started or now,
                    seconds,
                    now,
                    now,
                ),
            )
            self.db.execute(
                "UPDATE jira_issues SET updated_at = ? WHERE id = ?", (now, issue["id"])
            )
        row = self.query_one("SELECT * FROM jira_worklogs WHERE id = ?", (worklog_id,))
        assert row is not None
        return row

    # -- links --------------------------------------------------------------------------------
    def jira_add_link(self, type_: dict[str, Any], inward: str, outward: str) -> dict[str, Any]:
        with self.lock, self.transaction():
            type_id = self._named("jira_link_types", type_, "type")
            inward_issue = self.jira_issue(inward)
            outward_issue = self.jira_issue(outward)
            link_id = self._next_jira_id("jira_links")
            self.db.execute(
                "INSERT INTO jira_links(id, type_id, inward_issue_id, outward_issue_id) "
                "VALUES (?, ?, ?, ?)",
                (link_id, type_id, inward_issue["id"], outward_issue["id"]),
            )
            now = iso(utcnow())
            self.db.execute(
                "UPDATE jira_issues SET updated_at = ? WHERE id IN (?, ?)",
                (now, inward_issue["id"], outward_issue["id"]),
            )
        return {"id": link_id}

    def jira_links_of(self, issue_id: int) -> list[dict[str, Any]]:
        """Each link touching the issue, with the other issue's id and how to label it: the outward
        issue is the link's "from" side (the spec: "add a comment to the from (outward) issue"), so on
        the inward issue the other end is shown with the type's ``inward`` words (``inwardIssue``)."""
        return self.query(
            "SELECT l.id, l.type_id, lt.name AS type_name, lt.inward, lt.outward, "
            "CASE WHEN l.inward_issue_id = ? THEN 'inward' ELSE 'outward' END AS direction, "
            "CASE WHEN l.inward_issue_id = ? THEN l.outward_issue_id ELSE l.inward_issue_id END "
            "AS other_id FROM jira_links l JOIN jira_link_types lt ON lt.id = l.type_id "
            "WHERE l.inward_issue_id = ? OR l.outward_issue_id = ? ORDER BY l.id",
            (issue_id, issue_id, issue_id, issue_id),
        )
