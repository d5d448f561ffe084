"""The OAuth 2.0 (3LO) scopes Jira's endpoints need, and the ones a login asks for.

The rows are the classic scopes of the ``security`` entries in Jira's published OpenAPI spec
(``tests/specs/jira-cloud-platform-v3.openapi.json``; ``tests/jira/test_scopes.py`` checks every row
against it). The v2 paths need what their v3 twins need.
"""

from __future__ import annotations

import re

#: What ``workbench login`` asks for besides Confluence's scopes (issue 17).
JIRA_SCOPES = ("read:jira-work", "write:jira-work", "read:jira-user")

READ, WRITE, USER = JIRA_SCOPES

#: (method, path under /rest/api/3, scopes); {x} is one path segment; the first match wins.
SCOPES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("GET", "/myself", (USER,)),
    ("GET", "/serverInfo", ()),  # the spec names no scope
    ("GET", "/project", (READ,)),
    ("GET", "/project/search", (READ,)),
    ("GET", "/project/{x}", (READ,)),
    ("GET", "/issuetype", (READ,)),
    ("GET", "/priority", (READ,)),
    ("GET", "/status", (READ,)),
    ("GET", "/field", (READ,)),
    ("GET", "/issueLinkType", (READ,)),
    ("GET", "/search/jql", (READ,)),
    ("POST", "/search/jql", (READ,)),
    ("GET", "/search", (READ,)),
    ("POST", "/search", (READ,)),
    ("POST", "/issue", (WRITE,)),
    ("GET", "/issue/{x}", (READ,)),
    ("PUT", "/issue/{x}", (WRITE,)),
    ("PUT", "/issue/{x}/assignee", (WRITE,)),
    ("GET", "/issue/{x}/transitions", (READ,)),
    ("POST", "/issue/{x}/transitions", (WRITE,)),
    ("GET", "/issue/{x}/comment", (READ,)),
    ("POST", "/issue/{x}/comment", (WRITE,)),
    ("GET", "/issue/{x}/comment/{x}", (READ,)),
    ("PUT", "/issue/{x}/comment/{x}", (WRITE,)),
    ("DELETE", "/issue/{x}/comment/{x}", (WRITE,)),
    ("GET", "/issue/{x}/worklog", (READ,)),
    ("POST", "/issue/{x}/worklog", (WRITE,)),
    ("POST", "/issueLink", (WRITE,)),
)

_COMPILED = tuple(
    (method, re.compile(re.escape(path).replace(re.escape("{x}"), "[^/]+") + "$"), scopes)
    for method, path, scopes in SCOPES
)
_PREFIX = re.compile(r"^(?:/ex/jira/[^/]+)?/rest/api/(?:2|3|latest)(?=/)")


def jira_scopes_for(method: str, path: str) -> tuple[str, ...]:
    """The scopes a Jira request needs (``()`` when not in the table), for a path with or without
    the gateway prefix, on v2 or v3."""
    match = _PREFIX.match(path)
    if match is None:
        return ()
    tail = path[match.end() :]
    for want, pattern, scopes in _COMPILED:
        if want == method.upper() and pattern.match(tail):
            return scopes
    return ()


def has_jira(scopes: list[str] | tuple[str, ...] | set[str]) -> bool:
    """Whether a grant (accessible-resources ``scopes``) includes Jira at all."""
    return any(
        s.endswith(":jira-work") or s.endswith(":jira-user") or s.endswith(":jira") for s in scopes
    )
