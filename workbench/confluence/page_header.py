"""A page's header in ONE request: its ancestors with their titles, who wrote its current version, and
every footer comment with its replies and their authors' names — what the viewer shows around a
page, asked for at the same moment as the page itself (and answering as fast: no body in it).

One v1 request on both Cloud and Data Center, ``GET /wiki/rest/api/content/{id}`` (the v1 spec in
``tests/specs/confluence-cloud-v1.openapi.json``, operation ``getContentById``; scope
``read:confluence-content.summary``) with ``expand=`` (parameter ``contentExpandWithSubExpandLimit``,
at most 8 sub-expansions: this asks for 5, none deeper than three levels):

- ``ancestors`` — ``Content.ancestors``: the pages above, top first, **with titles** (v2's
  ``/pages/{id}/ancestors`` has ids only, and a second request for the titles);
- ``version`` — ``Content.version.by`` (``User``: ``accountId`` on Cloud, ``userKey`` on Data
  Center, and ``displayName`` on both): the last editor's name without a users request;
- ``descendants.comment`` with ``.body.storage``, ``.version`` (the author's ``displayName``) and
  ``.ancestors`` (the comment it replies to) — ``Content.descendants.comment``, a ``ContentArray``:
  "``descendants.comment`` returns all comments on the content", replies at every depth, inline
  comments too (``extensions.location``), the first page of them (``size``, ``limit``, a ``next``
  link when there are more).

When the site has no such endpoint — Cloud has been retiring v1 content reads (410 Gone on some
sites, see ``../shared/docs/confluence-api.md`` §3), an OAuth login without the scope, a server
refusing the expansion (400) — :class:`NotAvailable` says so, and the client remembers it: the
header is then asked for the v2 way (``ancestor_chain`` + ``ancestor_titles``, ``comments``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from workbench.confluence import parse_v1
from workbench.confluence.core import ClientCore
from workbench.confluence.errors import (
    AuthError,
    BadRequest,
    NotAvailable,
    PermissionDenied,
    ServerError,
)
from workbench.confluence.models import PAGE, TREE_KINDS, Comment, PageSummary
from workbench.confluence.parse_v2 import obj
from workbench.confluence.reads import body_kind, noun
from workbench.confluence.social import thread
from workbench.confluence.urls import segment

#: The expansions of the header's one request (see the module's docstring).
HEADER_EXPAND = (
    "ancestors,version,descendants.comment.body.storage,descendants.comment.version,"
    "descendants.comment.ancestors"
)


@dataclass(frozen=True, slots=True)
class PageHeader:
    """What one ``content/{id}`` answer tells the header of a page.

    ``comments`` are the footer comments, threaded (``replies`` filled), or None when the answer
    did not carry them all (more than its first page: ask with ``comments``). ``names``: display
    names by account id (Data Center: user key) of the last editor and every commenter."""

    ancestors: tuple[PageSummary, ...]
    comments: tuple[Comment, ...] | None
    names: dict[str, str]


class PageHeaderApi(ClientCore):
    #: False once the site has said it cannot answer the one-request header (see the module).
    one_request_header: bool = True

    async def page_header(self, page_id: str, *, kind: str = PAGE) -> PageHeader:
        """The header of a page or blog post in one request (see the module's docstring).
        :class:`NotAvailable` when this site cannot answer it (then it is not asked again)."""
        body_kind(kind)
        what = f"the header of {noun(kind)} {page_id}"
        if not self.one_request_header:
            raise NotAvailable(f"This site cannot send {what} in one request.")
        try:
            data = await self._get(
                self.urls.v1(f"/content/{segment(page_id)}"), {"expand": HEADER_EXPAND}, what=what
            )
        except (BadRequest, AuthError, PermissionDenied) as exc:
            # 400: the expansion refused; 401 (an OAuth login without the v1 scope), 403: the v1
            # read not allowed where v2 was — the header goes the v2 way from now on
            self.one_request_header = False
            raise NotAvailable(f"This site cannot send {what} in one request ({exc}).") from exc
        except ServerError as exc:
            if exc.status != 410:  # 410 Gone: v1 content reads retired on this Cloud site
                raise
            self.one_request_header = False
            raise NotAvailable(f"This site cannot send {what} in one request ({exc}).") from exc
        return header_of(data, page_id, cloud=not self.is_dc)


def header_of(data: dict, page_id: str, *, cloud: bool) -> PageHeader:
    """Parse a ``content/{id}`` answer expanded with :data:`HEADER_EXPAND`."""
    names: dict[str, str] = {}

    def named(version: object) -> None:
        by = obj(obj(version).get("by"))
        who = str(by.get("accountId") or by.get("userKey") or by.get("username") or "")
        if who and by.get("displayName"):
            names[who] = str(by["displayName"])

    named(data.get("version"))
    space = obj(data.get("space"))
    ancestors: list[PageSummary] = []
    parent = None
    for a in data.get("ancestors") or ():
        if not isinstance(a, dict) or (a.get("type") or PAGE) not in TREE_KINDS:
            continue
        ident = str(a.get("id") or "")
        ancestors.append(
            PageSummary(
                id=ident,
                title=a.get("title") or "",
                space_id=str(space.get("id") or "") if cloud else str(space.get("key") or ""),
                parent_id=parent,
                type=a.get("type") or PAGE,
            )
        )
        parent = ident
    block = obj(obj(data.get("descendants")).get("comment"))
    rows = block.get("results")
    comments: tuple[Comment, ...] | None = None
    if isinstance(rows, list):
        flat = []
        for row in rows:
            if not isinstance(row, dict):
                continue
            named(row.get("version"))
            c = parse_v1.comment(row, page_id)
            if not c.inline:
                flat.append(c)
        size, limit = block.get("size"), block.get("limit")
        complete = not obj(block.get("_links")).get("next") and not (
            isinstance(size, int) and isinstance(limit, int) and size >= limit
        )
        if complete:
            # replies point at their comment through ``ancestors``; one with none is a root
            comments = tuple(thread([replace(c, replies=()) for c in flat]))
    return PageHeader(tuple(ancestors), comments, names)
