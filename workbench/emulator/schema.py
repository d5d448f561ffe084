"""The SQLite schema of the local Confluence, and small helpers shared by the store and the seeds."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from workbench.emulator.jira.schema import JIRA_SCHEMA

SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    account_id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    time_zone TEXT NOT NULL DEFAULT 'Etc/UTC'
);
CREATE TABLE IF NOT EXISTS spaces (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    type TEXT NOT NULL DEFAULT 'global',
    status TEXT NOT NULL DEFAULT 'current',
    author_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    homepage_id INTEGER,
    description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS pages (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL DEFAULT 'page',
    embed_url TEXT,
    space_id INTEGER NOT NULL REFERENCES spaces(id),
    parent_id INTEGER,
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'current',
    position INTEGER NOT NULL DEFAULT 0,
    author_id TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    modified_by TEXT NOT NULL,
    version_message TEXT NOT NULL DEFAULT '',
    minor_edit INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS pages_parent ON pages(parent_id, position);
CREATE INDEX IF NOT EXISTS pages_space ON pages(space_id, parent_id);
CREATE INDEX IF NOT EXISTS pages_title ON pages(space_id, title COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS page_versions (
    page_id INTEGER NOT NULL,
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    author_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    minor_edit INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (page_id, number)
);
CREATE TABLE IF NOT EXISTS labels (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL DEFAULT 'global',
    UNIQUE (name, prefix)
);
CREATE TABLE IF NOT EXISTS page_labels (
    page_id INTEGER NOT NULL,
    label_id INTEGER NOT NULL,
    PRIMARY KEY (page_id, label_id)
);
CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL,
    parent_comment_id INTEGER,
    body TEXT NOT NULL,
    author_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    status TEXT NOT NULL DEFAULT 'current',
    location TEXT NOT NULL DEFAULT 'footer',      -- 'footer' or 'inline' (replies inherit it)
    marker_ref TEXT,                              -- inline roots: ac:ref of the marker in the storage
    selection TEXT NOT NULL DEFAULT '',           -- inline roots: the text the comment is anchored on
    resolution TEXT NOT NULL DEFAULT 'open',      -- inline: open / reopened / resolved
    resolved_by TEXT,
    resolved_at TEXT
);
CREATE INDEX IF NOT EXISTS comments_page ON comments(page_id, parent_comment_id);
CREATE TABLE IF NOT EXISTS content_properties (
    id INTEGER PRIMARY KEY,
    content_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    author_id TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    UNIQUE (content_id, key)
);
-- attachments: ids share the content sequence (shown as "att<id>"); the bytes of every version are
-- files named by their SHA-256 in the data directory's attachments/ folder (see store_attachments)
CREATE TABLE IF NOT EXISTS attachments (
    id INTEGER PRIMARY KEY,
    container_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'current',
    file_id TEXT NOT NULL,
    author_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS attachments_container ON attachments(container_id, title);
CREATE TABLE IF NOT EXISTS attachment_versions (
    attachment_id INTEGER NOT NULL,
    number INTEGER NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    author_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    minor_edit INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (attachment_id, number)
);
-- people (store_people): groups with their site access ("user", "admin", "site-admin": the v1
-- GET /group accessType values), members, what each user lets others see, and space permissions
-- (v2 SpacePermissionAssignment: a principal, an operation key and its target type)
CREATE TABLE IF NOT EXISTS people_groups (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    access TEXT NOT NULL DEFAULT 'user'
);
CREATE TABLE IF NOT EXISTS people_group_members (
    group_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    PRIMARY KEY (group_id, account_id)
);
CREATE INDEX IF NOT EXISTS people_member_of ON people_group_members(account_id);
CREATE TABLE IF NOT EXISTS people_privacy (
    account_id TEXT PRIMARY KEY,
    email_visible INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS space_permissions (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL,
    principal_type TEXT NOT NULL,
    principal_id TEXT NOT NULL,
    operation TEXT NOT NULL,
    target_type TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS space_permissions_space ON space_permissions(space_id, principal_type);
-- text search: title, readable body text, label names (CQL's text field covers all three)
CREATE VIRTUAL TABLE IF NOT EXISTS pages_fts USING fts5(title, text, labels, tokenize = 'unicode61');
"""
    + JIRA_SCHEMA
)

# Schema 4: every kind of content lives in ``pages`` (``type``: page, blogpost, folder, whiteboard,
# database, embed; ``embed_url`` for smart links), and content properties got their table. Older data
# directories are brought up to date in place (tables new in a version are created by SCHEMA itself).
_KINDS_3_TO_4 = (
    "ALTER TABLE pages ADD COLUMN type TEXT NOT NULL DEFAULT 'page';"
    "ALTER TABLE pages ADD COLUMN embed_url TEXT;"
)
_INLINE_2_TO_3 = (
    "ALTER TABLE comments ADD COLUMN location TEXT NOT NULL DEFAULT 'footer';"
    "ALTER TABLE comments ADD COLUMN marker_ref TEXT;"
    "ALTER TABLE comments ADD COLUMN selection TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE comments ADD COLUMN resolution TEXT NOT NULL DEFAULT 'open';"
    "ALTER TABLE comments ADD COLUMN resolved_by TEXT;"
    "ALTER TABLE comments ADD COLUMN resolved_at TEXT;"
)
# Schema 3 added inline comments' columns; 4 puts every kind of content in ``pages``; 5 adds the
# attachment tables (new tables only: SCHEMA creates them, there is nothing to alter). The people
# tables (groups, members, privacy, space permissions) are new tables too: no version step.
MIGRATIONS = {"2": _INLINE_2_TO_3 + _KINDS_3_TO_4, "3": _KINDS_3_TO_4, "4": ""}
INDEXES = "CREATE INDEX IF NOT EXISTS pages_type ON pages(space_id, type, created_at);"

# Content ids (pages, blog posts, folders, … and comments) share one sequence, as in Confluence;
# spaces have their own.
DEMO_ACCOUNT_ID = "557058:demo-user"  # the demo user: Basic demo@example.com / demo-token
FIRST_CONTENT_ID = 65537
FIRST_SPACE_ID = 98305
SCHEMA_VERSION = "5"

_TAG = re.compile(r"<[^>]+>")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_ENTITY = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&nbsp;": " ", "&#39;": "'"}
_ENTITY_RE = re.compile("|".join(map(re.escape, _ENTITY)))
_SPACE = re.compile(r"\s+")
_BLOCK_END = re.compile(
    r"</(p|h[1-6]|li|td|th|tr|pre|div|ac:parameter|ac:task-body)>|<br\s*/?>", re.I
)


# Hidden from readers: macro parameters other than titles, task ids and states.
_HIDDEN = re.compile(
    r'<(ac:parameter)\b(?![^>]*ac:name="title")[^>]*>.*?</\1>|<(ac:task-id|ac:task-uuid|ac:task-status)>.*?</\2>',
    re.S,
)


# A page link without a body reads as the page's title.
_BARE_PAGE_LINK = re.compile(r'<ac:link>\s*<ri:page ri:content-title="([^"]*)"[^>]*/>\s*</ac:link>')


def plain_text(storage: str) -> str:
    """The readable text of a storage body, for the full-text index and search excerpts."""
    text = _HIDDEN.sub(" ", storage)
    text = _BARE_PAGE_LINK.sub(lambda m: m.group(1), text)
    text = _CDATA.sub(lambda m: " " + m.group(1) + " ", text)
    text = _BLOCK_END.sub(" ", text)
    text = _TAG.sub("", text)
    text = _ENTITY_RE.sub(lambda m: _ENTITY[m.group(0)], text)
    return _SPACE.sub(" ", text).strip()


def iso(moment: datetime) -> str:
    """Confluence's timestamp form: ISO-8601 with milliseconds and ``Z``."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso_ago(days: float, *, now: datetime | None = None) -> str:
    return iso((now or utcnow()) - timedelta(days=days))


def parse_iso(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
