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
import hmac
import json
import time
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from workbench.emulator.oauth_pages import PAGE_HEADERS, consent_page, error_page
from workbench.emulator.oauth_tokens import GrantRefused, TokenLedger, _Pending
from workbench.emulator.oauth_tokens import _Family as _Family  # tests forge grants with it

DEMO_CLIENT_ID = "demo-client"
DEMO_CLIENT_SECRET = "demo-secret"
DEMO_APP_NAME = "Confluence Workbench (demo)"
SANDBOX_CLOUD_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
_LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}


class OAuthServer(TokenLedger):
    """The authorization server's HTTP endpoints over its :class:`TokenLedger`."""

    def __repr__(self) -> str:
        return f"OAuthServer(clients={len(self.clients)}, families={len(self._families)})"

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
        request_id = self.hold_request(
            _Pending(
                client_id=q["client_id"],
                redirect_uri=redirect_uri,
                state=state,
                scope=q.get("scope", ""),
                challenge=q.get("code_challenge", ""),
                created=time.time(),
            )
        )
        return HTMLResponse(
            consent_page(client[1], q.get("scope", "").split(), self.sites, request_id),
            headers=PAGE_HEADERS,
        )

    async def _decide(self, request: Request) -> Response:
        form = await _params(request)  # urlencoded form, parsed without python-multipart
        pending = self.take_request(str(form.get("request", "")))
        if pending is None:
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
        code = self.new_code(pending, sites)
        return RedirectResponse(
            _with_query(pending.redirect_uri, code=code, state=pending.state), status_code=302
        )

    async def token(self, request: Request) -> Response:
        params = await _params(request)
        client_id = self._client(request, params)
        if client_id is None:
            return _oauth_error(401, "access_denied", "Unauthorized")
        grant = params.get("grant_type")
        try:
            if grant == "authorization_code":
                body = self.redeem_code(client_id, params)
            elif grant == "refresh_token":
                body = self.rotate_refresh(client_id, params)
            else:
                return _oauth_error(400, "unsupported_grant_type", "Unsupported grant type.")
        except GrantRefused as refused:
            return _oauth_error(refused.status, refused.error, refused.description)
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    async def revoke(self, request: Request) -> Response:
        params = await _params(request)
        if self._client(request, params) is None:
            return _oauth_error(401, "access_denied", "Unauthorized")
        self.revoke_token(params.get("token", ""))
        return Response(status_code=200)

    async def resources(self, request: Request) -> Response:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        granted = self.granted_sites(token.strip()) if scheme.lower() == "bearer" else None
        if granted is None:
            return JSONResponse({"code": 401, "message": "Unauthorized"}, status_code=401)
        origin = f"{request.url.scheme}://{request.url.netloc}"
        scopes = self.scopes_of(token.strip())
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
        clients={DEMO_CLIENT_ID: (DEMO_CLIENT_SECRET, DEMO_APP_NAME)},
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
