"""The Jira tables of the local server (new tables only: ``CREATE TABLE IF NOT EXISTS``, so an older
data directory gets them when it is opened, with no schema version change).

Descriptions, comment bodies and worklog comments are stored as ADF JSON text (Cloud's form); the
v2 API converts them to and from wiki markup. Users are the shared ``users`` table.
"""

from __future__ import annotations

JIRA_SCHEMA = """
CREATE TABLE IF NOT EXISTS jira_projects (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    lead_id TEXT NOT NULL,
    type_key TEXT NOT NULL DEFAULT 'software'
);
CREATE TABLE IF NOT EXISTS jira_issue_types (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    subtask INTEGER NOT NULL DEFAULT 0,
    hierarchy_level INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS jira_priorities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    colour TEXT NOT NULL DEFAULT '#4a6785',
    position INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS jira_statuses (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL          -- 'new', 'indeterminate' or 'done' (statusCategory.key)
);
-- the one workflow every issue follows: a transition leads from a status (NULL: from any) to one
CREATE TABLE IF NOT EXISTS jira_transitions (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    from_status_id INTEGER,
    to_status_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS jira_issues (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL,
    number INTEGER NOT NULL,
    key TEXT NOT NULL UNIQUE,
    summary TEXT NOT NULL,
    description TEXT,               -- ADF JSON, or NULL
    type_id INTEGER NOT NULL,
    status_id INTEGER NOT NULL,
    priority_id INTEGER NOT NULL,
    assignee_id TEXT,
    reporter_id TEXT NOT NULL,
    labels TEXT NOT NULL DEFAULT '[]',   -- JSON list of strings
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    resolved_at TEXT,
    UNIQUE (project_id, number)
);
CREATE TABLE IF NOT EXISTS jira_comments (
    id INTEGER PRIMARY KEY,
    issue_id INTEGER NOT NULL,
    body TEXT NOT NULL,             -- ADF JSON
    author_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jira_comments_issue ON jira_comments(issue_id, id);
CREATE TABLE IF NOT EXISTS jira_worklogs (
    id INTEGER PRIMARY KEY,
    issue_id INTEGER NOT NULL,
    author_id TEXT NOT NULL,
    comment TEXT,                   -- ADF JSON, or NULL
    started TEXT NOT NULL,
    seconds INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS jira_link_types (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    inward TEXT NOT NULL,
    outward TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS jira_links (
    id INTEGER PRIMARY KEY,
    type_id INTEGER NOT NULL,
    inward_issue_id INTEGER NOT NULL,
    outward_issue_id INTEGER NOT NULL
);
-- values of the fields that have no column: the due date and custom fields (JSON text per field)
CREATE TABLE IF NOT EXISTS jira_field_values (
    issue_id INTEGER NOT NULL,
    field_id TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (issue_id, field_id)
);
-- the fields a transition's screen asks for (empty unless set up: the seed's workflow has no screens)
CREATE TABLE IF NOT EXISTS jira_transition_fields (
    transition_id INTEGER NOT NULL,
    field_id TEXT NOT NULL,
    required INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (transition_id, field_id)
);
"""
