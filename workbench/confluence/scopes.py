"""Which OAuth scope each request the client makes needs, so a gateway 401 "scope does not match"
can say which one is missing.

The scopes are the ``security`` entries of Atlassian's OpenAPI specs (``tests/specs``; the test
``tests/client/test_scopes.py`` checks every row that the stored specs describe). Rows marked [obs]
are endpoints newer than the stored v2 spec, with the scope the fact sheet records for them.
"""

from __future__ import annotations

import re

_ID = r"[^/]+"

#: (method, path under the site's /wiki, scopes). Paths use {id}; the first match wins.
SCOPES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("GET", "/api/v2/spaces", ("read:space:confluence",)),
    ("GET", "/api/v2/spaces/{id}", ("read:space:confluence",)),
    ("GET", "/api/v2/spaces/{id}/pages", ("read:page:confluence",)),
    ("GET", "/api/v2/spaces/{id}/blogposts", ("read:page:confluence",)),
    ("GET", "/api/v2/pages", ("read:page:confluence",)),
    ("POST", "/api/v2/pages", ("write:page:confluence",)),
    ("GET", "/api/v2/pages/{id}", ("read:page:confluence",)),
    ("PUT", "/api/v2/pages/{id}", ("write:page:confluence",)),
    ("DELETE", "/api/v2/pages/{id}", ("delete:page:confluence",)),
    ("GET", "/api/v2/pages/{id}/children", ("read:page:confluence",)),
    (
        "GET",
        "/api/v2/pages/{id}/direct-children",
        ("read:hierarchical-content:confluence",),
    ),  # [obs]
    ("GET", "/api/v2/pages/{id}/ancestors", ("read:content.metadata:confluence",)),
    ("GET", "/api/v2/pages/{id}/versions", ("read:page:confluence",)),
    ("GET", "/api/v2/pages/{id}/labels", ("read:page:confluence",)),
    ("GET", "/api/v2/pages/{id}/footer-comments", ("read:comment:confluence",)),
    ("GET", "/api/v2/pages/{id}/inline-comments", ("read:comment:confluence",)),
    ("GET", "/api/v2/blogposts", ("read:page:confluence",)),
    ("POST", "/api/v2/blogposts", ("write:page:confluence",)),
    ("GET", "/api/v2/blogposts/{id}", ("read:page:confluence",)),
    ("PUT", "/api/v2/blogposts/{id}", ("write:page:confluence",)),
    ("DELETE", "/api/v2/blogposts/{id}", ("delete:page:confluence",)),
    ("GET", "/api/v2/blogposts/{id}/versions", ("read:page:confluence",)),
    ("GET", "/api/v2/blogposts/{id}/labels", ("read:page:confluence",)),
    ("GET", "/api/v2/blogposts/{id}/footer-comments", ("read:comment:confluence",)),
    ("GET", "/api/v2/blogposts/{id}/inline-comments", ("read:comment:confluence",)),
    ("GET", "/api/v2/folders/{id}", ("read:folder:confluence",)),
    (
        "GET",
        "/api/v2/folders/{id}/direct-children",
        ("read:hierarchical-content:confluence",),
    ),  # [obs]
    ("GET", "/api/v2/whiteboards/{id}", ("read:whiteboard:confluence",)),
    (
        "GET",
        "/api/v2/whiteboards/{id}/direct-children",
        ("read:hierarchical-content:confluence",),
    ),  # [obs]
    ("GET", "/api/v2/databases/{id}", ("read:database:confluence",)),
    (
        "GET",
        "/api/v2/databases/{id}/direct-children",
        ("read:hierarchical-content:confluence",),
    ),  # [obs]
    ("GET", "/api/v2/embeds/{id}", ("read:embed:confluence",)),
    (
        "GET",
        "/api/v2/embeds/{id}/direct-children",
        ("read:hierarchical-content:confluence",),
    ),  # [obs]
    ("POST", "/api/v2/footer-comments", ("write:comment:confluence",)),
    ("POST", "/api/v2/inline-comments", ("write:comment:confluence",)),
    ("GET", "/api/v2/footer-comments/{id}/children", ("read:comment:confluence",)),
    ("GET", "/api/v2/inline-comments/{id}/children", ("read:comment:confluence",)),
    ("POST", "/api/v2/users-bulk", ("read:user:confluence",)),
    ("GET", "/rest/api/search", ("search:confluence",)),
    ("GET", "/rest/api/content/search", ("search:confluence",)),
    ("GET", "/rest/api/content/{id}", ("read:confluence-content.summary",)),
    ("GET", "/rest/api/content/{id}/label", ("read:confluence-content.summary",)),
    ("POST", "/rest/api/content/{id}/label", ("write:confluence-content",)),
    ("DELETE", "/rest/api/content/{id}/label", ("write:confluence-content",)),
    ("DELETE", "/rest/api/content/{id}/label/{id}", ("write:confluence-content",)),
    ("GET", "/rest/api/user/current", ("read:confluence-user",)),
    ("GET", "/rest/api/user", ("read:confluence-user",)),
    ("GET", "/rest/api/user/memberof", ("read:confluence-user",)),
    ("GET", "/rest/api/group", ("read:confluence-groups",)),
    ("GET", "/rest/api/group/by-name", ("read:confluence-groups",)),
    ("GET", "/rest/api/group/{id}/membersByGroupId", ("read:confluence-groups",)),
    ("POST", "/rest/api/group/userByGroupId", ("write:confluence-groups",)),
    ("DELETE", "/rest/api/group/userByGroupId", ("write:confluence-groups",)),
    ("GET", "/api/v2/spaces/{id}/permissions", ("read:space:confluence",)),
)

_COMPILED = tuple(
    (method, re.compile(re.escape(path).replace(re.escape("{id}"), _ID) + "$"), scopes)
    for method, path, scopes in SCOPES
)
_WIKI = re.compile(r"^(?:/ex/confluence/[^/]+)?/wiki(?=/)")


def scopes_for(method: str, path: str) -> tuple[str, ...]:
    """The scopes a request needs (``()`` when not in the table). ``path`` is the request's path, with
    or without the gateway prefix (``/ex/confluence/{cloudId}/wiki/api/v2/pages/5``)."""
    tail = _WIKI.sub("", path, count=1)
    for want, pattern, scopes in _COMPILED:
        if want == method.upper() and pattern.match(tail):
            return scopes
    return ()
