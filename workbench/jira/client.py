"""``JiraClient``: Jira Cloud (REST v3, ADF bodies) and Data Center (REST v2, wiki markup) on the same
transport as the Confluence client (:class:`workbench.confluence.core.ClientCore`: retries, the 429
countdown, pacing, remembered pauses, writes retried only when provably not sent).

Where Jira lives, from the Confluence base URL of a login (:func:`jira_root`):

- a Cloud site ``https://x.atlassian.net/wiki`` → ``https://x.atlassian.net``;
- the OAuth gateway ``https://api.atlassian.com/ex/confluence/{cloudId}`` → ``…/ex/jira/{cloudId}``;
- Data Center ``https://host[:port][/context]`` → ``https://host[:port]`` (Jira on the same host), unless
  ``jira_url`` names it.

Bodies go in and out as ADF (Markdown through :mod:`workbench.jira.adf_md`/:mod:`~workbench.jira.md_adf`);
on Data Center they are converted to and from wiki markup (:mod:`workbench.jira.wiki`).

Example::

    async with JiraClient("https://x.atlassian.net", auth=httpx.BasicAuth(email, token)) as jira:
        async for issue in jira.search("project = ENG ORDER BY key"):
            print(issue.key, issue.summary)
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import httpx

from workbench.confluence.core import ClientCore
from workbench.confluence.errors import (
    AuthError,
    BadQuery,
    BadRequest,
    ConfluenceError,
    NetworkError,
    ServerError,
)
from workbench.confluence.network_errors import AmbiguousWrite, network_error
from workbench.confluence.urls import ApiUrls, segment
from workbench.jira import wiki
from workbench.jira.errors import jira_error_for
from workbench.jira.models import Comment, Issue, IssueSummary, JiraUser, KeyedIssues, Transition
from workbench.textsafe import printable

#: fields asked for in a search (what a list of issues shows)
SEARCH_FIELDS = ("summary", "status", "assignee", "priority", "issuetype", "updated")
ISSUE_FIELDS = (
    *SEARCH_FIELDS,
    "project",
    "reporter",
    "labels",
    "created",
    "description",
    "comment",
    "issuelinks",
)
PAGE_SIZE = 100
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]*-\d+")


def jira_root(confluence_url: str, kind: str = "cloud", jira_url: str = "") -> str:
    """Where Jira's REST API hangs from, for a login whose Confluence base URL is ``confluence_url``."""
    if jira_url:
        return jira_url.rstrip("/")
    url = confluence_url.rstrip("/")
    if "/ex/confluence/" in url:
        head, _, tail = url.partition("/ex/confluence/")
        cloud_id = tail.split("/")[0]
        return f"{head}/ex/jira/{cloud_id}"
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def check_key(key: str) -> str:
    """An issue key as Jira writes it (``ENG-12``); a clear BadRequest for anything else."""
    text = (key or "").strip()
    if not _KEY.fullmatch(text):
        raise BadRequest(
            f"'{printable(text)}' is not an issue key; write it like ENG-12 (project key, dash, number)."
        )
    return text.upper()


class JiraClient(ClientCore):
    """Async Jira REST client. ``kind``: ``"cloud"`` (REST v3) or ``"dc"`` (REST v2)."""

    def __init__(self, root: str, **options: Any) -> None:
        super().__init__(root, **options)
        self._borrowed = False  # True: the connection is a Confluence client's (see beside)
        self.root = root.rstrip("/")
        self.api = "2" if self.kind == "dc" else "3"

    def __repr__(self) -> str:  # never shows credentials
        return f"JiraClient({self.root!r}, kind={self.kind!r})"

    @classmethod
    def beside(cls, confluence: ClientCore, jira_url: str = "") -> JiraClient:
        """The Jira client of the site a Confluence client talks to, on that client's own connection:
        the same login (an OAuth login refreshes once for both), the same retry transport, pacing and
        pauses. Closing it leaves the Confluence client open (its owner closes both). ``jira_url``:
        Jira's own address when it is not beside Confluence (a profile's ``jira_url``)."""
        jira = cls.__new__(cls)
        jira.kind = confluence.kind
        jira._auth_failure = None
        jira._stop_on_auth_failure = confluence._stop_on_auth_failure
        jira.root = jira_root(confluence.base_url, confluence.kind, jira_url)
        jira.urls = ApiUrls(jira.root, "dc")  # for the host in messages (no /wiki added)
        jira.base_url = jira.root
        jira._transport = confluence._transport
        jira._timeouts = confluence._timeouts
        jira._http = confluence._http
        jira.api = "2" if jira.kind == "dc" else "3"
        jira._borrowed = True
        return jira

    async def aclose(self) -> None:
        if not self._borrowed:
            await super().aclose()

    def url(self, path: str) -> str:
        return f"{self.root}/rest/api/{self.api}{path}"

    # -- requests: ClientCore._send with Jira's words for refusals (its hooks) -------------------
    product = "Jira"

    def _error_for(self, response: httpx.Response, *, what: str, search: bool) -> ConfluenceError:
        return jira_error_for(response, what=what, search=search, root=self.root)

    def _network_error(self, exc: httpx.TransportError, *, write: bool) -> NetworkError:
        broken = network_error(exc, self.urls.host, write=write, timeouts=self._timeouts)
        broken.message = broken.message.replace("Confluence", "Jira")
        broken.args = (broken.message,)
        return broken

    def _stops_login(self, error: AuthError) -> bool:
        # an OAuth login missing one Jira scope is not a dead login: other requests still work
        return (
            self._stop_on_auth_failure
            and error.status == 401
            and not error.message.startswith("The OAuth login does not include")
        )

    async def _jira_json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self._send(method, self.url(path), **kwargs)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise ServerError(
                f"Jira's answer for {kwargs.get('what') or 'that request'} was not JSON; is "
                f"{self.root} a Jira site?"
            ) from None

    # -- reads ---------------------------------------------------------------------------------
    async def myself(self) -> dict[str, Any]:
        data = await self._jira_json("GET", "/myself", what="the current Jira user")
        if not isinstance(data, dict):
            raise ServerError("Jira's answer for the current user was not a JSON object.")
        return data

    async def search(
        self, jql: str, *, limit: int = 50, fields: tuple[str, ...] = SEARCH_FIELDS
    ) -> AsyncIterator[IssueSummary]:
        """Issues matching ``jql``, at most ``limit``, in Jira's order. Cloud: ``/search/jql`` with page
        tokens; Data Center: ``/search`` with ``startAt``. A search only reads, so it is retried like a GET."""
        seen = 0
        token: str | None = None
        start = 0
        while seen < limit:
            size = min(PAGE_SIZE, limit - seen)
            body: dict[str, Any] = {"jql": jql, "fields": list(fields), "maxResults": size}
            if self.kind == "dc":
                body["startAt"] = start
                data = await self._jira_json(
                    "POST", "/search", json=body, what="the search", search=True, idempotent=True
                )
            else:
                if token:
                    body["nextPageToken"] = token
                data = await self._jira_json(
                    "POST",
                    "/search/jql",
                    json=body,
                    what="the search",
                    search=True,
                    idempotent=True,
                )
            if not isinstance(data, dict) or not isinstance(data.get("issues"), list):
                raise ServerError(
                    "Jira's search answer has no list of issues; is this a Jira site?"
                )
            issues = [i for i in data["issues"] if isinstance(i, dict)]
            for item in issues[: limit - seen]:
                yield IssueSummary.parse(item)
            seen += len(issues)
            start += len(issues)
            if self.kind == "dc":
                total = data.get("total")
                if not issues or (isinstance(total, int) and start >= total):
                    return
            else:
                token = (
                    data.get("nextPageToken")
                    if isinstance(data.get("nextPageToken"), str)
                    else None
                )
                if data.get("isLast", True) or not token or not issues:
                    return

    async def issue(self, key: str) -> Issue:
        key = check_key(key)
        data = await self._jira_json(
            "GET",
            f"/issue/{segment(key)}",
            params={"fields": ",".join(ISSUE_FIELDS)},
            what=f"issue {key}",
        )
        if not isinstance(data, dict):
            raise ServerError(f"Jira's answer for issue {key} was not a JSON object.")
        return Issue.parse(data)

    async def transitions(self, key: str) -> list[Transition]:
        key = check_key(key)
        data = await self._jira_json(
            "GET", f"/issue/{segment(key)}/transitions", what=f"issue {key}"
        )
        items = data.get("transitions") if isinstance(data, dict) else None
        return [Transition.parse(t) for t in items or [] if isinstance(t, dict)]

    async def comments(self, key: str) -> list[Comment]:
        key = check_key(key)
        data = await self._jira_json(
            "GET",
            f"/issue/{segment(key)}/comment",
            params={"maxResults": 5000},
            what=f"issue {key}",
        )
        items = data.get("comments") if isinstance(data, dict) else None
        return [Comment.parse(c) for c in items or [] if isinstance(c, dict)]

    # -- writes --------------------------------------------------------------------------------
    def _body(self, doc: dict[str, Any]) -> Any:
        return wiki.from_adf(doc) if self.kind == "dc" else doc

    def same_body(self, stored: dict[str, Any] | None, sent: dict[str, Any]) -> bool:
        """Whether a body read back (ADF) is the one sent; on Data Center compared as the wiki
        markup that went over the wire (wiki markup back to ADF is not byte for byte the same)."""
        if stored is None:
            return False
        if self.kind == "dc":
            return wiki.from_adf(stored).strip() == wiki.from_adf(sent).strip()
        return stored == sent

    async def add_comment(self, key: str, doc: dict[str, Any]) -> Comment:
        """Add a comment (ADF) exactly once: when the answer is lost, the comments are read back and
        the comment is found there, or the error says it was not found (nothing is sent twice)."""
        key = check_key(key)
        if not doc.get("content"):
            raise BadRequest("The comment is empty; nothing was sent.")
        before = {c.id for c in await self.comments(key)}
        try:
            data = await self._jira_json(
                "POST",
                f"/issue/{segment(key)}/comment",
                json={"body": self._body(doc)},
                what=f"issue {key}",
            )
        except AmbiguousWrite:
            me = (await self.myself()).get("accountId")
            for comment in await self.comments(key):
                if (
                    comment.id not in before
                    and comment.author_id == me
                    and self.same_body(comment.body, doc)
                ):
                    return comment
            raise AmbiguousWrite(
                f"The connection broke before Jira answered, and the comment is not on {key}: it was not "
                "saved. Run the command again to post it."
            ) from None
        if not isinstance(data, dict):
            raise ServerError(f"Jira's answer for the new comment on {key} was not a JSON object.")
        return Comment.parse(data)

    async def transition(self, key: str, transition_id: str) -> None:
        """Move the issue through a transition; a lost answer is settled by reading its status back."""
        key = check_key(key)
        offered = {t.id: t for t in await self.transitions(key)}
        if transition_id not in offered:
            names = ", ".join(f"{t.name} ({t.id})" for t in offered.values()) or "none"
            raise BadRequest(f"{key} offers no transition {transition_id}; it offers: {names}.")
        try:
            await self._jira_json(
                "POST",
                f"/issue/{segment(key)}/transitions",
                json={"transition": {"id": transition_id}},
                what=f"issue {key}",
            )
        except AmbiguousWrite:
            if (await self.issue(key)).status != offered[transition_id].to:
                raise

    # -- reads for the TUI: many issues at once, assignable people; assignment ------------------
    async def issues_by_keys(self, keys: list[str]) -> KeyedIssues:
        """Many issues by key in ONE search (``key in (…)``; a page's Jira macros). Jira refuses the
        whole query when a key does not exist ("An issue with key 'X-9' does not exist for field
        'key'."): the keys it names are set aside and the rest asked again, so a page whose keys all
        exist costs one request. A key that is not an issue key is missing with that reason."""
        missing: dict[str, str] = {}
        wanted: list[str] = []
        for raw in keys:
            try:
                key = check_key(raw)
            except BadRequest as exc:
                missing[raw] = exc.message
                continue
            if key not in wanted:
                wanted.append(key)
        while wanted:
            jql = f"key in ({', '.join(wanted)})"  # checked keys: letters, digits, _ and one dash
            try:
                found = {i.key: i async for i in self.search(jql, limit=len(wanted))}
            except BadQuery as exc:
                named = [k for k in wanted if f"'{k.lower()}'" in exc.message.lower()]
                if not named:
                    raise
                for key in named:
                    missing[key] = "not found, or you may not see it"
                wanted = [k for k in wanted if k not in named]
                continue
            for key in wanted:
                if key not in found:  # moved to another key, or hidden from this login
                    missing[key] = "not found, or you may not see it"
            return KeyedIssues(found, missing)
        return KeyedIssues({}, missing)

    async def assignable_users(
        self, key: str, query: str = "", *, limit: int = 50
    ) -> list[JiraUser]:
        """People the issue can be assigned to whose name (or email) matches ``query`` (Jira's
        ``/user/assignable/search``; Cloud matches ``query``, Data Center ``username``)."""
        key = check_key(key)
        params: dict[str, Any] = {"issueKey": key, "maxResults": limit}
        params["username" if self.kind == "dc" else "query"] = query
        data = await self._jira_json(
            "GET", "/user/assignable/search", params=params, what=f"the people for {key}"
        )
        return [JiraUser.parse(u) for u in data or [] if isinstance(u, dict)]

    async def assign(self, key: str, user: JiraUser | None) -> None:
        """Assign the issue to ``user`` (None: unassigned). Setting the assignee twice is the same as
        once, so a lost answer is retried like a read."""
        key = check_key(key)
        if self.kind == "dc":
            body: dict[str, Any] = {"name": user.name if user else None}
        else:
            body = {"accountId": user.account_id if user else None}
        await self._jira_json(
            "PUT",
            f"/issue/{segment(key)}/assignee",
            json=body,
            what=f"issue {key}",
            idempotent=True,
        )
