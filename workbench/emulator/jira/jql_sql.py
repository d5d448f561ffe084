"""Evaluate parsed JQL (:mod:`workbench.jira.jql`) against the ``jira_*`` tables.

``compile_jql(query, store, account=…)`` gives a SQL condition over ``jira_issues i`` joined with its
project ``p``, type ``t``, status ``s`` and priority ``r``, and an ORDER BY. Values that name nothing
(a project, status, type or priority the site does not have; an issue key that does not exist) are
refused in Jira's words, as Jira refuses them. Text (``~``) matches every word of the value, case-
insensitively, in the summary, the description's text, or comments' text (``text`` covers all three).
Relative dates (``-7d``, ``-2w``, ``4h``) and ``now()`` are taken from the server's clock (UTC).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from workbench.emulator import schema
from workbench.emulator.jira.errors import JiraError
from workbench.emulator.jira.store import JiraMixin
from workbench.jira import jql
from workbench.jira.adf_text import plain_text

_NAMED = {
    "project": ("jira_projects", "p", ("key", "name")),
    "status": ("jira_statuses", "s", ("name",)),
    "issuetype": ("jira_issue_types", "t", ("name",)),
    "priority": ("jira_priorities", "r", ("name",)),
}
_CATEGORY_NAMES = {"to do": "new", "in progress": "indeterminate", "done": "done"}
_ORDER = {
    "key": "p.key {d}, i.number {d}",
    "created": "i.created_at {d}, i.id {d}",
    "updated": "i.updated_at {d}, i.id {d}",
    "priority": "r.position {d}, i.id {d}",
    "status": "s.id {d}, i.id {d}",
    "summary": "i.summary COLLATE NOCASE {d}, i.id {d}",
    "assignee": "(SELECT display_name FROM users WHERE account_id = i.assignee_id) {d}, i.id {d}",
    "rank": "i.id {d}",
}
_RELATIVE = re.compile(r"([+-]?)(\d+)([wdhm])")
_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?")
_TEXT_SQL = {
    "summary": "jira_text_match(i.summary, ?)",
    "description": "jira_text_match(jira_adf_text(i.description), ?)",
    "comment": "EXISTS (SELECT 1 FROM jira_comments c WHERE c.issue_id = i.id AND "
    "jira_text_match(jira_adf_text(c.body), ?))",
}


@dataclass
class Compiled:
    where: str
    params: list[Any]
    order: str


def compile_jql(query: jql.Query, store: JiraMixin, *, account: str) -> Compiled:
    install_functions(store)
    ctx = _Context(store, account)
    where, params = ctx.node(query.where) if query.where is not None else ("1", [])
    terms = [_ORDER[o.field].format(d="DESC" if o.descending else "ASC") for o in query.order_by]
    # no ORDER BY: newest first
    return Compiled(where, params, ", ".join(terms) if terms else "i.created_at DESC, i.id DESC")


def install_functions(store: JiraMixin) -> None:
    """SQL functions the text conditions use (idempotent; the store's one connection)."""
    with store.lock:
        store.db.create_function("jira_adf_text", 1, _adf_text, deterministic=True)
        store.db.create_function("jira_text_match", 2, _text_match, deterministic=True)


def _adf_text(raw: str | None) -> str:
    if not raw:
        return ""
    try:
        return plain_text(json.loads(raw))
    except ValueError:
        return ""


def _text_match(text: str | None, words: str) -> int:
    haystack = (text or "").casefold()
    return int(all(word in haystack for word in words.split("\x1f") if word))


def _words(value: str) -> str:
    # Jira matches words, ignoring punctuation and case; a trailing * is a prefix (kept as a substring)
    return "\x1f".join(w.casefold() for w in re.findall(r"\w+", value))


class _Context:
    def __init__(self, store: JiraMixin, account: str) -> None:
        self.store = store
        self.account = account

    def node(self, node: Any) -> tuple[str, list[Any]]:
        if isinstance(node, jql.And | jql.Or):
            parts = [self.node(item) for item in node.items]
            joiner = " AND " if isinstance(node, jql.And) else " OR "
            return (
                "(" + joiner.join(p[0] for p in parts) + ")",
                [x for p in parts for x in p[1]],
            )
        if isinstance(node, jql.Not):
            sql, params = self.node(node.item)
            return f"NOT ({sql})", params
        return self.clause(node)

    def clause(self, c: jql.Clause) -> tuple[str, list[Any]]:
        negate = c.op in ("!=", "not in", "!~", "is not")
        if c.op in ("is", "is not"):
            sql = {
                "assignee": "i.assignee_id IS NULL",
                "reporter": "i.reporter_id IS NULL",
                "labels": "i.labels = '[]'",
                "description": "i.description IS NULL",
                "summary": "0",
                "comment": "NOT EXISTS (SELECT 1 FROM jira_comments c WHERE c.issue_id = i.id)",
                "text": "0",
                "created": "0",
                "updated": "0",
            }.get(c.field, "0")
            return (f"NOT ({sql})" if negate else sql), []
        if c.op in ("~", "!~"):
            words = _words(_text(c.values[0]))
            if not words:
                raise JiraError(
                    400, f"The field '{c.field}' does not support searching for an empty string."
                )
            if c.field == "text":
                parts = [_TEXT_SQL[f] for f in ("summary", "description", "comment")]
                text_sql, words_params = "(" + " OR ".join(parts) + ")", [words] * 3
            else:
                text_sql, words_params = _TEXT_SQL[c.field], [words]
            return (f"NOT {text_sql}" if negate else text_sql), words_params
        if c.field == "created" or c.field == "updated":
            column = "i.created_at" if c.field == "created" else "i.updated_at"
            moment = schema.iso(self.date(c.values[0], c.field))
            op = {"=": "=", "!=": "!=", "<": "<", ">": ">", "<=": "<=", ">=": ">="}[c.op]
            return f"{column} {op} ?", [moment]
        conditions: list[str] = []
        params: list[Any] = []
        for value in c.values:
            sql, p = self.one(c.field, value, c.op)
            conditions.append(sql)
            params += p
        sql = "(" + " OR ".join(conditions) + ")"
        if c.field == "key" and c.op in ("<", ">", "<=", ">="):
            return conditions[0], params
        if negate:
            user_column = {"assignee": "i.assignee_id", "reporter": "i.reporter_id"}.get(c.field)
            # Jira: != and NOT IN never match an empty field
            if user_column:
                return f"({user_column} IS NOT NULL AND NOT {sql})", params
            return f"NOT {sql}", params
        return sql, params

    def one(self, name: str, value: jql.Value | jql.Function, op: str) -> tuple[str, list[Any]]:
        if name in ("assignee", "reporter"):
            column = "i.assignee_id" if name == "assignee" else "i.reporter_id"
            if isinstance(value, jql.Function):
                return f"{column} = ?", [self.account]
            row = self.store.query_one(
                "SELECT account_id FROM users WHERE account_id = ? OR email = ? COLLATE NOCASE "
                "OR display_name = ? COLLATE NOCASE",
                (value.text, value.text, value.text),
            )
            if row is None:
                raise JiraError(
                    400, f"The value '{value.text}' does not exist for the field '{name}'."
                )
            return f"{column} = ?", [row["account_id"]]
        text = _text(value)
        if name == "key":
            match = re.fullmatch(r"([A-Za-z][A-Za-z0-9_]*)-(\d+)", text)
            if text.isdigit():
                return "i.id = ?", [int(text)]
            if match is None:
                raise JiraError(400, f"The issue key '{text}' for field '{name}' is invalid.")
            project, number = match.group(1).upper(), int(match.group(2))
            if op in ("<", ">", "<=", ">="):
                return f"(p.key = ? AND i.number {op} ?)", [project, number]
            exists = self.store.query_one(
                "SELECT 1 AS one FROM jira_issues WHERE key = ?", (text.upper(),)
            )
            if exists is None and op in ("=", "in"):
                raise JiraError(
                    400, f"An issue with key '{text.upper()}' does not exist for field 'key'."
                )
            return "i.key = ?", [text.upper()]
        if name == "labels":
            return "EXISTS (SELECT 1 FROM json_each(i.labels) WHERE value = ?)", [text]
        if name == "statuscategory":
            key = _CATEGORY_NAMES.get(text.lower(), text.lower())
            if key not in ("new", "indeterminate", "done") and text not in ("2", "3", "4"):
                raise JiraError(
                    400, f"The value '{text}' does not exist for the field 'statusCategory'."
                )
            key = {"2": "new", "4": "indeterminate", "3": "done"}.get(text, key)
            return "s.category = ?", [key]
        table, alias, columns = _NAMED[name]
        checks = " OR ".join(f"{col} = ? COLLATE NOCASE" for col in columns)
        row = self.store.query_one(  # the names are ours, never input
            f"SELECT id FROM {table} WHERE id = ? OR {checks}",
            (text if text.isdigit() else -1, *([text] * len(columns))),
        )
        if row is None:
            raise JiraError(400, f"The value '{text}' does not exist for the field '{name}'.")
        return f"{alias}.id = ?", [row["id"]]

    def date(self, value: jql.Value | jql.Function, name: str) -> datetime:
        now = schema.utcnow()
        if isinstance(value, jql.Function):
            return now
        text = value.text.strip()
        relative = _RELATIVE.fullmatch(text)
        if relative:
            sign = -1 if relative.group(1) == "-" else 1
            amount = int(relative.group(2))
            unit = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}[relative.group(3)]
            return now + sign * timedelta(**{unit: amount})
        absolute = _DATE.fullmatch(text)
        if absolute:
            y, mo, d, h, mi = absolute.groups()
            try:
                return datetime(
                    int(y), int(mo), int(d), int(h or 0), int(mi or 0), tzinfo=now.tzinfo
                )
            except ValueError:
                pass
        raise JiraError(
            400,
            f"Date value '{text}' for field '{name}' is invalid. Valid formats include: "
            "'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format "
            "e.g. '-5d', '4w 2d'.",
        )


def _text(value: jql.Value | jql.Function) -> str:
    return value.text if isinstance(value, jql.Value) else f"{value.name}()"
