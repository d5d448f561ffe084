"""The local Confluence as an OAuth 2.0 (3LO) authorization server, shaped like Atlassian's.

Endpoints (at the server's origin, beside ``/wiki``):

- ``GET /authorize``: an HTML consent page (app name, scopes, a site choice, Accept/Deny as a form);
  ``POST /authorize`` redirects to ``redirect_uri`` with ``code`` and ``state`` (or
  ``error=access_denied``). Loopback redirect URIs (``http://127.0.0.1``, ``[::1]`` or ``localhost``)
  are accepted on any port, as RFC 8252 asks; Atlassian itself matches the registered URL exactly.
- ``POST /oauth/token`` (JSON or form): ``authorization_code`` (client secret required; PKCE
  ``S256`` verified when the authorization request carried a challenge; codes single-use and
  short-lived) and ``refresh_token`` with rotation: a rotated refresh token still works within
  ``reuse_leeway`` seconds (Atlassian: 10 minutes); later reuse gives ``403 invalid_grant`` and
  revokes the whole token family.
- ``POST /oauth/revoke`` (RFC 7009) revokes the family of the given token.
- ``GET /oauth/token/accessible-resources``: the sites granted to the access token.

Access tokens are checked by ``AuthGate`` through its ``bearer_validator`` hook, which
:func:`routes` sets. Tokens are random (``secrets``) and live in memory only: restarting the server
logs every OAuth client out (their refresh gives ``invalid_grant``). Both demo sites show the same
local content.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from workbench.emulator.oauth_pages import PAGE_HEADERS, consent_page, error_page

DEMO_CLIENT_ID = "demo-client"
DEMO_CLIENT_SECRET = "demo-secret"
DEMO_APP_NAME = "Confluence Workbench (demo)"
SANDBOX_CLOUD_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
CODE_TTL = 300.0
REFRESH_INACTIVITY = 90 * 24 * 3600.0
_LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}


@dataclass
class _Pending:
    client_id: str
    redirect_uri: str
    state: str
    scope: str
    challenge: str
    created: float


@dataclass
class _Code:
    client_id: str
    redirect_uri: str
    scope: str
    sites: list[str]
    challenge: str
    expires: float
    used: bool = False
    family: str = ""


@dataclass
class _Family:
    client_id: str
    scope: str
    sites: list[str]
    account: str
    revoked: bool = False
    access: set[str] = field(default_factory=set)


@dataclass
class _Refresh:
    family: str
    issued: float
    rotated_at: float | None = None


class OAuthServer:
    """State of the authorization server. Thread-safe: tests may call it from their own thread."""

    def __init__(
        self,
        *,
        sites: list[tuple[str, str]],
        account: str,
        token_ttl: float = 3600.0,
        reuse_leeway: float = 600.0,
        clients: dict[str, tuple[str, str]] | None = None,
    ) -> None:
        self.sites = sites  # [(cloud id, name)]
        self.account = account
        self.token_ttl = float(token_ttl)
        self.reuse_leeway = float(reuse_leeway)
        self.clients = clients or {DEMO_CLIENT_ID: (DEMO_CLIENT_SECRET, DEMO_APP_NAME)}
        self._lock = threading.Lock()
        self._pending: dict[str, _Pending] = {}
        self._codes: dict[str, _Code] = {}
        self._families: dict[str, _Family] = {}
        self._refresh: dict[str, _Refresh] = {}
        self._access: dict[str, tuple[str, float]] = {}  # token -> (family, expiry)
        self.token_requests = 0  # for tests: how many times /oauth/token answered a refresh

    def __repr__(self) -> str:
        return f"OAuthServer(clients={len(self.clients)}, families={len(self._families)})"

    # -- used by the API and by tests -------------------------------------------------------
    def validate_bearer(self, token: str, cloud_id: str | None = None) -> str | None:
        """The account id for a live access token used on the gateway of a granted site, else None (→ 401).

        As on Atlassian, an OAuth access token works only through ``/ex/confluence/{cloudId}`` and
        only for the sites the user granted, not on the site URL itself.
        """
        with self._lock:
            fam = self._live_family(token)
            if fam is None or cloud_id is None or cloud_id not in fam.sites:
                return None
            return fam.account

    def granted_scopes(self, token: str) -> set[str] | None:
        """The scopes granted with a live access token, else None (not one of this server's tokens)."""
        with self._lock:
            fam = self._live_family(token)
            return None if fam is None else set(fam.scope.split())

    def granted_sites(self, token: str) -> list[str] | None:
        """The cloud ids a live access token was granted for, else None (→ 401)."""
        with self._lock:
            fam = self._live_family(token)
            return None if fam is None else list(fam.sites)

    def _live_family(self, token: str) -> _Family | None:
        """The grant behind an unexpired, unrevoked access token (call with the lock held)."""
        entry = self._access.get(token)
        if entry is None:
            return None
        fam = self._families.get(entry[0])
        if fam is None or fam.revoked or time.time() >= entry[1]:
            return None
        return fam

    def expire_access_tokens(self) -> None:
        """Make every issued access token expired now (tests of the 401 → refresh path)."""
        with self._lock:
            for token, (fam, _) in list(self._access.items()):
                self._access[token] = (fam, 0.0)

    def revoke_all(self) -> None:
        with self._lock:
            for fam in self._families.values():
                fam.revoked = True

    # -- the HTTP endpoints ------------------------------------------------------------------
    def routes(self) -> list[Route]:
        return [
            Route("/authorize", self.authorize, methods=["GET", "POST"]),
            Route("/oauth/token", self.token, methods=["POST"]),
            Route("/oauth/token/accessible-resources", self.resources, methods=["GET"]),
            Route("/oauth/revoke", self.revoke, methods=["POST"]),
        ]

    async def authorize(self, request: Request) -> Response:
        if request.method == "POST":
            return await self._decide(request)
        q = request.query_params
        client = self.clients.get(q.get("client_id", ""))
        if client is None:
            return error_page(400, "Unknown app", "No OAuth app is registered with this client id.")
        redirect_uri = q.get("redirect_uri", "")
        if not _loopback_redirect(redirect_uri):
            return error_page(
                400,
                "Redirect URI not allowed",
                "The local Confluence accepts only http:// loopback callbacks (127.0.0.1, [::1] or localhost).",
            )
        state = q.get("state", "")
        problem = None
        if q.get("response_type") != "code":
            problem = "unsupported_response_type"
        elif q.get("audience") != "api.atlassian.com":
            problem = "invalid_request"  # Atlassian requires audience=api.atlassian.com
        elif q.get("code_challenge") and q.get("code_challenge_method") != "S256":
            problem = "invalid_request"
        if problem:
            return RedirectResponse(
                _with_query(redirect_uri, error=problem, state=state), status_code=302
            )
        if not state:
            return error_page(
                400, "Missing state", "The authorization request has no state parameter."
            )
        request_id = secrets.token_urlsafe(18)
        with self._lock:
            self._pending[request_id] = _Pending(
                client_id=q["client_id"],
                redirect_uri=redirect_uri,
                state=state,
                scope=q.get("scope", ""),
                challenge=q.get("code_challenge", ""),
                created=time.time(),
            )
        return HTMLResponse(
            consent_page(client[1], q.get("scope", "").split(), self.sites, request_id),
            headers=PAGE_HEADERS,
        )

    async def _decide(self, request: Request) -> Response:
        form = await _params(request)  # urlencoded form, parsed without python-multipart
        with self._lock:
            pending = self._pending.pop(str(form.get("request", "")), None)
        if pending is None or time.time() - pending.created > CODE_TTL:
            return error_page(
                400,
                "Request expired",
                "This consent request is unknown or expired. Start the login again.",
            )
        if form.get("decision") != "accept":
            return RedirectResponse(
                _with_query(
                    pending.redirect_uri,
                    error="access_denied",
                    error_description="The user denied access.",
                    state=pending.state,
                ),
                status_code=302,
            )
        choice = str(form.get("site", ""))
        ids = [sid for sid, _ in self.sites]
        sites = ids if choice == "*" or len(ids) == 1 else [choice] if choice in ids else []
        if not sites:
            return error_page(400, "Choose a site", "Choose the site the app may use, then accept.")
        code = secrets.token_urlsafe(32)
        with self._lock:
            self._codes[code] = _Code(
                pending.client_id,
                pending.redirect_uri,
                pending.scope,
                sites,
                pending.challenge,
                time.time() + CODE_TTL,
            )
        return RedirectResponse(
            _with_query(pending.redirect_uri, code=code, state=pending.state), status_code=302
        )

    async def token(self, request: Request) -> Response:
        params = await _params(request)
        client_id = self._client(request, params)
        if client_id is None:
            return _oauth_error(401, "access_denied", "Unauthorized")
        grant = params.get("grant_type")
        if grant == "authorization_code":
            return self._code_grant(client_id, params)
        if grant == "refresh_token":
            return self._refresh_grant(client_id, params)
        return _oauth_error(400, "unsupported_grant_type", "Unsupported grant type.")

    def _code_grant(self, client_id: str, params: dict[str, str]) -> Response:
        with self._lock:
            code = self._codes.get(params.get("code", ""))
            if code is None or code.client_id != client_id or time.time() > code.expires:
                return _oauth_error(403, "invalid_grant", "Invalid authorization code.")
            if code.used:  # replay: revoke what the code produced (RFC 6749 §4.1.2)
                if code.family in self._families:
                    self._families[code.family].revoked = True
                return _oauth_error(403, "invalid_grant", "Authorization code already used.")
            if params.get("redirect_uri") != code.redirect_uri:
                return _oauth_error(
                    403, "invalid_grant", "redirect_uri does not match the authorization request."
                )
            if code.challenge:
                verifier = params.get("code_verifier", "")
                digest = (
                    base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                    .rstrip(b"=")
                    .decode()
                )
                if not verifier or not hmac.compare_digest(digest, code.challenge):
                    return _oauth_error(403, "invalid_grant", "PKCE verification failed.")
            code.used = True
            family = secrets.token_urlsafe(12)
            code.family = family
            self._families[family] = _Family(client_id, code.scope, code.sites, self.account)
            return JSONResponse(self._issue(family), headers={"Cache-Control": "no-store"})

    def _refresh_grant(self, client_id: str, params: dict[str, str]) -> Response:
        now = time.time()
        with self._lock:
            self.token_requests += 1
            entry = self._refresh.get(params.get("refresh_token", ""))
            fam = self._families.get(entry.family) if entry else None
            unknown = _oauth_error(403, "invalid_grant", "Unknown or invalid refresh token.")
            if entry is None or fam is None or fam.revoked or fam.client_id != client_id:
                return unknown
            if now - entry.issued > REFRESH_INACTIVITY:
                return unknown
            if entry.rotated_at is not None and now - entry.rotated_at > self.reuse_leeway:
                fam.revoked = True  # breach detection: reuse after the leeway kills the family
                return unknown
            if entry.rotated_at is None:
                entry.rotated_at = now
            return JSONResponse(self._issue(entry.family), headers={"Cache-Control": "no-store"})

    def _issue(self, family: str) -> dict[str, Any]:
        fam = self._families[family]
        access = secrets.token_urlsafe(32)
        self._access[access] = (family, time.time() + self.token_ttl)
        fam.access.add(access)
        body: dict[str, Any] = {
            "access_token": access,
            "expires_in": int(self.token_ttl),
            "scope": fam.scope,
            "token_type": "Bearer",
        }
        if "offline_access" in fam.scope.split():
            refresh = secrets.token_urlsafe(48)
            self._refresh[refresh] = _Refresh(family=family, issued=time.time())
            body["refresh_token"] = refresh
        return body

    async def revoke(self, request: Request) -> Response:
        params = await _params(request)
        if self._client(request, params) is None:
            return _oauth_error(401, "access_denied", "Unauthorized")
        token = params.get("token", "")
        with self._lock:
            family = (
                self._refresh[token].family
                if token in self._refresh
                else (self._access[token][0] if token in self._access else None)
            )
            if family in self._families:
                self._families[family].revoked = True
        return Response(status_code=200)

    async def resources(self, request: Request) -> Response:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        granted = self.granted_sites(token.strip()) if scheme.lower() == "bearer" else None
        if granted is None:
            return JSONResponse({"code": 401, "message": "Unauthorized"}, status_code=401)
        origin = f"{request.url.scheme}://{request.url.netloc}"
        with self._lock:
            scopes = next(
                (f.scope.split() for f in self._families.values() if token.strip() in f.access), []
            )
        # One entry per product granted on a site, as Atlassian lists them (the client merges entries
        # with the same cloud id): Confluence's scopes, and Jira's when the grant holds any.
        jira = [s for s in scopes if _is_jira_scope(s)]
        products = [[s for s in scopes if not _is_jira_scope(s)]] + ([jira] if jira else [])
        return JSONResponse(
            [
                {
                    "id": sid,
                    "name": name,
                    "url": origin,
                    "scopes": product,
                    "avatarUrl": f"{origin}/wiki/static/site-avatar.png",
                }
                for sid, name in self.sites
                if sid in granted
                for product in products
            ]
        )

    def _client(self, request: Request, params: dict[str, str]) -> str | None:
        client_id, secret = params.get("client_id", ""), params.get("client_secret", "")
        header = request.headers.get("authorization", "")
        if header.lower().startswith("basic "):
            try:
                client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
            except (ValueError, UnicodeDecodeError):
                return None
        known = self.clients.get(client_id)
        if (
            known is None
            or not secret
            or not hmac.compare_digest(secret.encode(), known[0].encode())
        ):
            return None
        return client_id


def routes(state: Any, *, reuse_leeway: float = 600.0) -> list[Route]:
    """Create the server for an ``EmulatorState``, hook it into the AuthGate, return its routes.

    The server is kept in ``state.extras["oauth"]`` (tests reach it there), and its cloud ids in
    ``state.extras["cloud_ids"]`` so the gateway accepts every demo site.
    """
    server = OAuthServer(
        sites=[(state.cloud_id, state.site_name), (SANDBOX_CLOUD_ID, f"{state.site_name} Sandbox")],
        account=_demo_account(),
        token_ttl=state.token_ttl,
        reuse_leeway=float(state.extras.get("oauth_reuse_leeway", reuse_leeway)),
    )
    state.extras["oauth"] = server
    state.extras["cloud_ids"] = {sid for sid, _ in server.sites}
    state.auth_gate.bearer_validator = server.validate_bearer
    return server.routes()


def _demo_account() -> str:
    # lazy, for start-up: workbench.emulator.schema loads on first use
    from workbench.emulator.schema import DEMO_ACCOUNT_ID

    return DEMO_ACCOUNT_ID


async def _params(request: Request) -> dict[str, str]:
    raw = await request.body()
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = json.loads(raw or b"{}")
        except (UnicodeDecodeError, json.JSONDecodeError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    return {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}


def _is_jira_scope(scope: str) -> bool:
    return scope.endswith((":jira-work", ":jira-user", ":jira"))


def _loopback_redirect(uri: str) -> bool:
    try:
        parts = urlsplit(uri)
        return parts.scheme == "http" and parts.hostname in _LOOPBACK_HOSTS and not parts.fragment
    except ValueError:
        return False


def _with_query(uri: str, **params: str) -> str:
    return uri + ("&" if "?" in uri else "?") + urlencode(params)


def _oauth_error(status: int, error: str, description: str) -> JSONResponse:
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )
