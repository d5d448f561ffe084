"""Which Confluence is at a URL, and where its API lives: asked of the server, never guessed from the
host name.

What the two products answer (the evidence behind each step):

- **Cloud** serves everything under ``/wiki`` (REST v2 ``/wiki/api/v2``, v1 ``/wiki/rest/api``; the v2
  spec's ``servers`` entry is ``https://{your-domain}/wiki/api/v2``) and answers
  ``GET /_edge/tenant_info`` without credentials with ``{"cloudId": …}`` (the fact sheet, §1: cited by
  Atlassian KBs and sphinx-confluencebuilder). Its v1 ``GET /rest/api/user/current`` describes the
  caller with an ``accountId`` (the ``User`` schema of the v1 spec in ``tests/specs``).
- **Data Center** serves only v1, at ``https://HOST[:PORT][/context]/rest/api`` (any context path,
  none by default), and its ``/rest/api/user/current`` has ``username`` and ``userKey`` and no
  ``accountId`` (DC REST reference; recorded DC answers in ``tests/contract``). It counts every wrong
  Basic login and puts a CAPTCHA in front of the account after three (Confluence docs, "Configuring
  Captcha for failed logins"): so the probing below sends credentials **once**, after finding the API
  without them.

``discover(url, auth)`` therefore:

1. unless a flavour is forced, asks ``{origin}/_edge/tenant_info`` (no credentials): a cloud id means
   Cloud, whose API root is ``/wiki``; otherwise the root is the path that was given (``/confluence``,
   ``""``, …), cut before any page address in it (``/display/…``, ``/spaces/…``, ``/pages/…``);
2. asks ``{root}/rest/api/user/current`` **with** the credentials: the answer's user decides the flavour
   (``accountId``: Cloud; ``userKey``/``username``: Data Center); a refusal is reported as the server
   worded it (wrong password, CAPTCHA, single sign-on redirect) and nothing more is sent;
3. when the URL was a bare host and has no Confluence API there (404 or a web page), looks for it
   without credentials under the usual roots (``/wiki``, ``/confluence``) and, if one answers like
   Confluence's REST API, repeats step 2 there once. A path that was given is never second-guessed.

It is synchronous (one-off, before any client exists: ``workbench login``, the TUI's token login in
a worker thread, and the ``CONFLUENCE_*`` variables when the URL does not say).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from workbench import __version__
from workbench.confluence.errors import AuthError, NotFound, ServerError
from workbench.confluence.http_errors import error_for, is_html
from workbench.confluence.login_errors import redirect_error
from workbench.confluence.models import User
from workbench.confluence.network_errors import network_error
from workbench.confluence.transport import retry_after_of
from workbench.confluence.urls import without_userinfo
from workbench.errors import ConfigError

CLOUD, DC = "cloud", "dc"
#: Where a page address starts inside a pasted URL: everything from here on is not the site's root.
_WEB_PARTS = (
    "/display/",
    "/spaces/",
    "/pages/",
    "/x/",
    "/plugins/",
    "/login.action",
    "/dashboard.action",
)
#: Roots tried without credentials when the given one has no API (Cloud, the usual DC context, none).
_USUAL_ROOTS = ("/wiki", "/confluence", "")
PROBE_TIMEOUT = 15.0
MAX_PROBE_WAIT = 30.0


class NotConfluence(ServerError):
    """Something answered at the API path, but not as Confluence does."""


@dataclass(frozen=True)
class SiteFound:
    """Where the API lives and which product answers there."""

    base_url: str  # what ConfluenceClient takes: origin + API root (Cloud: …/wiki)
    kind: str  # "cloud" or "dc"
    user: User  # who the credentials belong to


def split_site_url(url: str) -> tuple[str, str]:
    """``(origin, root)`` of a site URL: the path cut before a page address, without a trailing ``/``."""
    text = without_userinfo((url or "").strip())
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a bad port
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        ok = False
    if not ok:
        raise ConfigError(
            f"'{text}' is not a site URL; give the whole address, e.g. "
            "https://acme.atlassian.net/wiki or https://confluence.example.com/confluence."
        )
    path = parts.path
    for part in _WEB_PARTS:
        at = path.find(part)
        if at >= 0:
            path = path[:at]
    for suffix in ("/rest/api", "/api/v2"):  # an API URL pasted whole
        if path.rstrip("/").endswith(suffix):
            path = path.rstrip("/")[: -len(suffix)]
    netloc = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{netloc}", path.rstrip("/")


def cloud_root(root: str) -> str:
    """Cloud's API root for a given path: ``/wiki`` (also after the gateway's ``/ex/confluence/{id}``)."""
    return root if root.endswith("/wiki") else root + "/wiki"


def discover(
    url: str,
    auth: httpx.Auth | None,
    *,
    flavour: str | None = None,
    transport: httpx.BaseTransport | None = None,
    timeout: float = PROBE_TIMEOUT,
) -> SiteFound:
    """Find the site's API and flavour, and check the credentials (see the module docstring).

    Raises ``AuthError`` (and its ``LoginBlocked``/``LoginRedirect``) when the credentials are refused,
    ``NotFound`` when no Confluence API answers, ``NetworkError``/``ServerError`` otherwise."""
    if flavour not in (None, CLOUD, DC):
        raise ConfigError(f"Unknown flavour '{flavour}': use 'cloud' or 'dc'.")
    origin, given = split_site_url(url)
    headers = {"Accept": "application/json", "User-Agent": f"confluence-workbench/{__version__}"}
    with httpx.Client(
        transport=transport, timeout=timeout, follow_redirects=False, headers=headers
    ) as http:
        probe = _Probe(http, origin)
        if flavour == CLOUD or (flavour is None and probe.is_cloud()):
            root = cloud_root(given)
        else:
            root = given
        found = probe.user_at(root, auth, forced=flavour)
        if found is not None:
            return found
        for other in _USUAL_ROOTS if given == "" else ():  # a bare host: look for the API without
            # credentials at the usual roots, then ask once more (a path that was given is respected)
            if (
                other == root
                or (flavour == DC and other == "/wiki")
                or (flavour == CLOUD and other != "/wiki")
            ):
                continue
            if probe.answers_like_confluence(other):
                found = probe.user_at(other, auth, forced=flavour)
                if found is not None:
                    return found
        tried = ", ".join(sorted({origin + r + "/rest/api" for r in (root, *probe.looked_at)}))
        raise NotFound(
            f"No Confluence REST API answered at {tried}. Check the site URL: on Cloud "
            "https://SITE.atlassian.net/wiki; on Data Center the address you open in the browser, with any "
            "context path (e.g. https://confluence.example.com/confluence).",
            status=404,
        )


class _Probe:
    def __init__(self, http: httpx.Client, origin: str) -> None:
        self.http = http
        self.origin = origin
        self.looked_at: list[str] = []

    def _get(self, url: str, auth: httpx.Auth | None = None) -> httpx.Response:
        """One GET; a 429/503 asking for a short wait (≤ 30 s, as the client's transport) is waited out,
        at most twice."""
        for attempt in range(3):
            try:
                answer = self.http.get(url, auth=auth) if auth is not None else self.http.get(url)
            except httpx.TransportError as exc:
                raise network_error(exc, urlsplit(self.origin).netloc, write=False) from None
            except httpx.InvalidURL as exc:
                raise ConfigError(f"That site URL cannot be used ({exc}).") from None
            wait = retry_after_of(answer) if answer.status_code in (429, 503) else None
            if wait is None or wait > MAX_PROBE_WAIT or attempt == 2:
                return answer
            time.sleep(max(wait, 0.1))
        return answer

    def is_cloud(self) -> bool:
        """Cloud answers ``/_edge/tenant_info`` with its cloud id, without credentials."""
        answer = self._get(f"{self.origin}/_edge/tenant_info")
        if answer.status_code != 200 or is_html(answer):
            return False
        try:
            data = answer.json()
        except ValueError:
            return False
        return (
            isinstance(data, dict)
            and isinstance(data.get("cloudId"), str)
            and bool(data["cloudId"])
        )

    def answers_like_confluence(self, root: str) -> bool:
        """Without credentials: does ``{root}/rest/api/space`` answer as Confluence's REST API does
        (a JSON list, or a refusal in JSON or with Data Center's ``X-Seraph-LoginReason``)?"""
        self.looked_at.append(root)
        answer = self._get(f"{self.origin}{root}/rest/api/space?limit=1")
        if "X-Seraph-LoginReason" in answer.headers:
            return True
        if is_html(answer) or answer.status_code not in (200, 401, 403):
            return False
        try:
            data = answer.json()
        except ValueError:
            return False
        return isinstance(data, dict) and (
            "results" in data or "statusCode" in data or "message" in data
        )

    def user_at(
        self, root: str, auth: httpx.Auth | None, *, forced: str | None
    ) -> SiteFound | None:
        """The current user at ``root`` with the credentials; None when there is no API there."""
        url = f"{self.origin}{root}/rest/api/user/current"
        answer = self._get(url, auth)
        status = answer.status_code
        if 300 <= status < 400:
            error = redirect_error(answer)
            if isinstance(error, AuthError):
                raise error
            return None
        if status in (404, 405) or (status == 200 and is_html(answer)):
            return None
        if status >= 400:
            error = error_for(answer, what="the current user")
            if status == 403 and not isinstance(error, AuthError):
                said = f" ({error.said})" if error.said else ""
                raise AuthError(
                    f"{urlsplit(self.origin).netloc} knows the account but does not let it use "
                    f"Confluence (403{said}). Ask the site's administrators for access.",
                    status=403,
                )
            raise error
        try:
            data = answer.json()
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        if data.get("type") == "anonymous":
            raise AuthError(
                f"{without_userinfo(self.origin + root)} answered as to an anonymous visitor: it did not take "
                "the credentials.",
                status=status,
            )
        if not (data.get("accountId") or data.get("userKey") or data.get("username")):
            raise NotConfluence(
                f"{without_userinfo(self.origin + root)} answered, but not like Confluence (no account in its "
                "answer to /rest/api/user/current). Is the URL the Confluence site's address?",
                status=status,
            )
        kind = forced or (CLOUD if data.get("accountId") else DC)
        # lazy, for start-up: workbench.confluence.parse_v2 loads on first use
        from workbench.confluence import parse_v2

        return SiteFound(base_url=self.origin + root, kind=kind, user=parse_v2.user(data))
