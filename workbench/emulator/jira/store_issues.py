"""Jira's schema objects and issues in the local server: projects, issue types, priorities,
statuses, link types, the issues themselves and the workflow that moves them, over the ``jira_*``
tables. Rows come back as plain dicts; refusals are :class:`~workbench.emulator.jira.errors.JiraError`.
What hangs off an issue (comments, worklogs, links) is in :mod:`~workbench.emulator.jira.store`."""

from __future__ import annotations

import json
from typing import Any

from workbench.emulator.jira.errors import JiraError, no_issue
from workbench.emulator.schema import iso, utcnow
from workbench.emulator.store_base import StoreBase

FIRST_JIRA_ID = 10000
#: the statusCategory of each category key (ids and colours as Jira Cloud has them; GET /statuscategory)
CATEGORIES = {
    "new": (2, "To Do", "blue-gray"),
    "indeterminate": (4, "In Progress", "yellow"),
    "done": (3, "Done", "green"),
}


_ISSUE_SELECT = (
    "SELECT i.*, p.key AS project_key, p.name AS project_name, t.name AS type_name, "
    "t.description AS type_description, t.subtask AS type_subtask, "
    "t.hierarchy_level AS type_level, s.name AS status_name, s.description AS status_description, "
    "s.category AS status_category, r.name AS priority_name, r.colour AS priority_colour "
    "FROM jira_issues i JOIN jira_projects p ON p.id = i.project_id "
    "JOIN jira_issue_types t ON t.id = i.type_id JOIN jira_statuses s ON s.id = i.status_id "
    "JOIN jira_priorities r ON r.id = i.priority_id"
)


class JiraIssuesMixin(StoreBase):
    """Projects, issue types, priorities, statuses, link types, issues and the workflow."""

    def _jira_user(self, account_id: str) -> dict[str, Any] | None:
        return self.query_one("SELECT * FROM users WHERE account_id = ?", (account_id,))

    # -- ids ----------------------------------------------------------------------------------
    def _next_jira_id(self, table: str) -> int:
        last = self.scalar(f"SELECT MAX(id) FROM {table}")  # table names are ours, never input
        return max(int(last or 0) + 1, FIRST_JIRA_ID + (1 if table == "jira_issues" else 0))

    # -- schema objects -----------------------------------------------------------------------
    def jira_add_project(
        self, key: str, name: str, *, lead: str, description: str = "", project_id: int = 0
    ) -> dict[str, Any]:
        with self.lock, self.transaction():
            pid = project_id or self._next_jira_id("jira_projects")
            self.db.execute(
                "INSERT INTO jira_projects(id, key, name, description, lead_id) VALUES (?, ?, ?, ?, ?)",
                (pid, key, name, description, lead),
            )
        return self.jira_project(key)

    def jira_add_schema_row(self, table: str, **values: Any) -> None:
        """Seeding: one row of jira_issue_types / jira_priorities / jira_statuses /
        jira_transitions / jira_link_types."""
        if table not in (
            "jira_issue_types",
            "jira_priorities",
            "jira_statuses",
            "jira_transitions",
            "jira_link_types",
        ):
            raise ValueError(table)
        columns = ", ".join(values)
        marks = ", ".join("?" * len(values))
        with self.lock:
            self.db.execute(
                f"INSERT INTO {table}({columns}) VALUES ({marks})", tuple(values.values())
            )

    def jira_projects(self) -> list[dict[str, Any]]:
        return self.query("SELECT * FROM jira_projects ORDER BY key")

    def jira_project(self, key_or_id: str | int) -> dict[str, Any]:
        text = str(key_or_id)
        row = (
            self.query_one("SELECT * FROM jira_projects WHERE id = ?", (int(text),))
            if text.isdigit()
            else self.query_one("SELECT * FROM jira_projects WHERE key = ?", (text.upper(),))
        )
        if row is None:
            raise JiraError(404, f"No project could be found with key '{text}'.")
        return row

    def jira_issue_types(self) -> list[dict[str, Any]]:
        return self.query("SELECT * FROM jira_issue_types ORDER BY id")

    def jira_priorities(self) -> list[dict[str, Any]]:
        return self.query("SELECT * FROM jira_priorities ORDER BY position")

    def jira_statuses(self) -> list[dict[str, Any]]:
        return self.query("SELECT * FROM jira_statuses ORDER BY id")

    def jira_link_types(self) -> list[dict[str, Any]]:
        return self.query("SELECT * FROM jira_link_types ORDER BY id")

    def _named(self, table: str, value: Any, field: str) -> int:
        """The id of a row of ``table`` named by ``{"id": …}`` or ``{"name": …}`` in a request."""
        if isinstance(value, dict):
            if value.get("id") not in (None, ""):
                row = self.query_one(
                    f"SELECT id FROM {table} WHERE id = ?", (str(value["id"]).strip(),)
                )
            elif isinstance(value.get("name"), str):
                row = self.query_one(
                    f"SELECT id FROM {table} WHERE name = ? COLLATE NOCASE", (value["name"],)
                )
            else:
                row = None
            if row is not None:
                return int(row["id"])
        raise JiraError(400, errors={field: f"Specify a valid '{field}' id or name"})

    # -- issues -------------------------------------------------------------------------------
    def jira_create_issue(
        self,
        project: str,
        summary: str,
        *,
        issuetype: dict[str, Any],
        reporter: str,
        description: dict[str, Any] | None = None,
        priority: dict[str, Any] | None = None,
        assignee: str | None = None,
        labels: list[str] | None = None,
        status: str | None = None,
        number: int | None = None,
        created_at: str | None = None,
        updated_at: str | None = None,
    ) -> dict[str, Any]:
        with self.lock, self.transaction():
            proj = self.jira_project(project)
            type_id = self._named("jira_issue_types", issuetype, "issuetype")
            priority_id = (
                self._named("jira_priorities", priority, "priority")
                if priority
                else int(
                    self.scalar("SELECT id FROM jira_priorities ORDER BY position LIMIT 1 OFFSET 2")
                    or 3
                )
            )
            if assignee is not None and self._jira_user(assignee) is None:
                raise JiraError(400, errors={"assignee": f"User '{assignee}' does not exist."})
            status_id = (
                self._named("jira_statuses", {"name": status}, "status")
                if status
                else int(
                    self.scalar(
                        "SELECT id FROM jira_statuses ORDER BY category != 'new', id LIMIT 1"
                    )
                )
            )
            n = number or int(
                self.scalar(
                    "SELECT COALESCE(MAX(number), 0) + 1 FROM jira_issues WHERE project_id = ?",
                    (proj["id"],),
                )
            )
            key = f"{proj['key']}-{n}"
            issue_id = self._next_jira_id("jira_issues")
            now = iso(utcnow())
            self.db.execute(
                "INSERT INTO jira_issues(id, project_id, number, key, summary, description, type_id, "
                "status_id, priority_id, assignee_id, reporter_id, labels, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    issue_id,
                    proj["id"],
                    n,
                    key,
                    summary,
                    json.dumps(description) if description is not None else None,
                    type_id,
                    status_id,
                    priority_id,
                    assignee,
                    reporter,
                    json.dumps(labels or []),
                    created_at or now,
                    updated_at or created_at or now,
                ),
            )
        return self.jira_issue(key)

    def jira_issue(self, key_or_id: str | int) -> dict[str, Any]:
        text = str(key_or_id).strip()
        if text.isdigit():
            row = self.query_one(_ISSUE_SELECT + " WHERE i.id = ?", (int(text),))
        else:
            row = self.query_one(_ISSUE_SELECT + " WHERE i.key = ?", (text.upper(),))
        if row is None:
            raise no_issue()
        return row

    def jira_issue_rows(
        self, where: str, params: list[Any], order: str, offset: int, limit: int
    ) -> list[dict[str, Any]]:
        return self.query(
            f"{_ISSUE_SELECT} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )

    def jira_count(self, where: str, params: list[Any]) -> int:
        return int(
            self.scalar(
                "SELECT COUNT(*) FROM jira_issues i JOIN jira_projects p ON p.id = i.project_id "
                "JOIN jira_issue_types t ON t.id = i.type_id JOIN jira_statuses s ON s.id = i.status_id "
                f"JOIN jira_priorities r ON r.id = i.priority_id WHERE {where}",
                params,
            )
        )

    def jira_update_issue(self, key: str, changes: dict[str, Any]) -> dict[str, Any]:
        """Set ``summary``, ``description`` (ADF or None), ``priority``, ``assignee`` (account id or
        None), ``labels``; one transaction, ``updated`` moves."""
        with self.lock, self.transaction():
            issue = self.jira_issue(key)
            sets: dict[str, Any] = {}
            if "summary" in changes:
                sets["summary"] = changes["summary"]
            if "description" in changes:
                value = changes["description"]
                sets["description"] = json.dumps(value) if value is not None else None
            if "priority" in changes:
                sets["priority_id"] = self._named(
                    "jira_priorities", changes["priority"], "priority"
                )
            if "assignee" in changes:
                account = changes["assignee"]
                if account is not None and self._jira_user(account) is None:
                    raise JiraError(400, errors={"assignee": f"User '{account}' does not exist."})
                sets["assignee_id"] = account
            if "labels" in changes:
                sets["labels"] = json.dumps(changes["labels"])
            sets["updated_at"] = iso(utcnow())
            assignments = ", ".join(f"{column} = ?" for column in sets)
            self.db.execute(
                f"UPDATE jira_issues SET {assignments} WHERE id = ?", [*sets.values(), issue["id"]]
            )
        return self.jira_issue(issue["id"])

    # -- workflow -----------------------------------------------------------------------------
    def jira_transitions_for(self, key: str) -> list[dict[str, Any]]:
        issue = self.jira_issue(key)
        return self.query(
            "SELECT tr.id, tr.name, s.id AS status_id, s.name AS status_name, s.description AS "
            "status_description, s.category AS status_category FROM jira_transitions tr "
            "JOIN jira_statuses s ON s.id = tr.to_status_id "
            "WHERE (tr.from_status_id IS NULL OR tr.from_status_id = ?) AND tr.to_status_id != ? "
            "ORDER BY tr.id",
            (issue["status_id"], issue["status_id"]),
        )

    def jira_transition(self, key: str, transition_id: str) -> dict[str, Any]:
        with self.lock, self.transaction():
            issue = self.jira_issue(key)
            chosen = next(
                (t for t in self.jira_transitions_for(key) if str(t["id"]) == str(transition_id)),
                None,
            )
            if chosen is None:
                # Jira's answer for a transition the issue's current status does not offer
                raise JiraError(
                    400, f"Transition id '{transition_id}' is not valid for this issue."
                )
            now = iso(utcnow())
            resolved = now if chosen["status_category"] == "done" else None
            self.db.execute(
                "UPDATE jira_issues SET status_id = ?, updated_at = ?, resolved_at = ? WHERE id = ?",
                (chosen["status_id"], now, resolved, issue["id"]),
            )
        return self.jira_issue(issue["id"])
