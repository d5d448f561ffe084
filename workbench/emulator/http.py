"""Request plumbing shared by the v1 and v2 routes: the state they share, authentication and scopes,
error bodies. Reading what a request sends is :mod:`workbench.emulator.request_input` (its names are
importable from here too, where the routes have always found them)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workbench.emulator.auth import AuthGate
from workbench.emulator.errors import ApiError
from workbench.emulator.request_input import (  # noqa: F401 - the routes import them from here
    MAX_BODY,
    body_format,
    body_format_name,
    expand_param,
    id_field,
    int_list_param,
    int_param,
    json_body,
    list_param,
    object_body,
    storage_value,
    text_field,
)
from workbench.emulator.store import Store

Handler = Callable[[Request], Awaitable[Response]]
#: a product's scope table: the OAuth scopes an endpoint (method, path) needs
ScopesFor = Callable[[str, str], tuple[str, ...]]


@dataclass
class EmulatorState:
    """Everything the routes share. ``app.state.emulator`` holds it; OAuth routes receive it too."""

    store: Store
    auth_gate: AuthGate = field(default_factory=AuthGate)
    token_ttl: int = 3600
    cloud_id: str = "a3f1c2e4-5b6d-4e7f-8a9b-0c1d2e3f4a5b"
    site_name: str = "Local Confluence"
    flavour: str = "cloud"  # or "dc" (see workbench.emulator.flavour)
    context_path: str = "/wiki"  # Cloud: /wiki; Data Center: "" or e.g. /confluence
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def is_dc(self) -> bool:
        return self.flavour == "dc"


def state_of(request: Request) -> EmulatorState:
    return request.app.state.emulator


def store_of(request: Request) -> Store:
    return state_of(request).store


def account_of(request: Request) -> str:
    return request.state.account


def v2_error(
    status: int, code: str, title: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"errors": [{"status": status, "code": code, "title": title, "detail": None}]}
    return JSONResponse(body, status_code=status, headers=headers)


def v1_error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {
        "statusCode": status,
        "data": {
            "authorized": status not in (401, 403),
            "valid": status != 400,
            "allowedInReadOnlyMode": True,
            "errors": [],
            "successful": False,
        },
        "message": message,
        "reason": _REASONS.get(status, "Error"),
    }
    return JSONResponse(body, status_code=status, headers=headers)


_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    410: "Gone",
    413: "Request Entity Too Large",
    429: "Too Many Requests",
}
_V1_PREFIX = {
    400: "com.atlassian.confluence.api.service.exceptions.BadRequestException: ",
    404: "com.atlassian.confluence.api.service.exceptions.NotFoundException: ",
    403: "com.atlassian.confluence.api.service.exceptions.PermissionException: ",
    409: "com.atlassian.confluence.api.service.exceptions.ConflictException: ",
}


_UNAUTHENTICATED = "Client must be authenticated to access this resource."


def endpoint(fn: Handler, dialect: str = "v2") -> Handler:
    """Wrap a route: authenticate, then turn :class:`ApiError` into the dialect's error body.

    ``dialect`` is ``v2`` or ``v1`` (JSON error bodies of those APIs) or ``web`` (plain text, and a
    401 that makes a browser ask for the demo credentials)."""

    async def handler(request: Request) -> Response:
        state = state_of(request)
        refused = admit(request, state, lambda: _unauthenticated(dialect), state.context_path)
        if refused is not None:
            return refused
        try:
            return await fn(request)
        except ApiError as exc:
            return _error_body(exc, dialect)

    handler.__name__ = fn.__name__
    return handler


def admit(
    request: Request,
    state: EmulatorState,
    unauthenticated: Callable[[], Response],
    context: str,
    scopes: ScopesFor | None = None,
) -> Response | None:
    """The login gate of every API route (Confluence's and Jira's): ``None`` when the request may
    go on (``request.state.account`` is set), else the refusal to answer with — Data Center's own
    refusal pages (at ``context``), ``unauthenticated()`` for no login, or the gateway's 401 for a
    token without the endpoint's scope (``scopes``: the product's scope table)."""
    verdict = state.auth_gate.verdict(request)
    if verdict.account is None:
        if state.is_dc and verdict.refusal != "none":
            return dc_refusal(request, verdict.refusal, context)
        return unauthenticated()
    request.state.account = verdict.account
    if missing_scope(request, state, scopes):
        # the gateway's answer for a token without the scope this endpoint needs (fact sheet §6)
        return JSONResponse(
            {"code": 401, "message": "Unauthorized; scope does not match"}, status_code=401
        )
    return None


def missing_scope(request: Request, state: EmulatorState, scopes: ScopesFor | None = None) -> bool:
    """True when an OAuth access token lacks a scope the endpoint needs (the specs' ``security``, as
    ``workbench.confluence.scopes`` lists them, or ``scopes`` for another product). Only tokens
    this server issued are checked."""
    oauth = state.extras.get("oauth")
    header = request.headers.get("authorization", "")
    if (
        oauth is None
        or not request.scope.get("wb.gateway")
        or not header.lower().startswith("bearer ")
    ):
        return False
    granted = oauth.granted_scopes(header[7:].strip())
    if granted is None:
        return False
    if scopes is None:
        # lazy, for start-up: workbench.confluence.scopes loads on first use
        from workbench.confluence.scopes import scopes_for

        scopes = scopes_for
    return not set(scopes(request.method, request.url.path)) <= granted


_DC_401_PAGE = (
    "<!DOCTYPE html><html><head><title>Unauthorized (401)</title></head><body>"
    "<h1>Unauthorized (401)</h1><p>Encountered a &quot;401 - Unauthorized&quot; error while loading "
    "this page.</p></body></html>"
)


def dc_refusal(request: Request, refusal: str, context: str) -> Response:
    """How Data Center (Seraph) refuses a login, with the shapes of real answers:

    - a wrong Basic login: 401, ``X-Seraph-LoginReason: AUTHENTICATED_FAILED``, an HTML body (Atlassian
      jira.atlassian.com/browse/ID-6351 quotes such a head; dev.obss.com.tr's app docs quote the page);
    - the CAPTCHA after failed logins: 401, ``X-Seraph-LoginReason: AUTHENTICATION_DENIED``,
      ``WWW-Authenticate: OAuth realm=…``, ``text/html`` (Atlassian KB confkb 966681459) and
      ``X-Authentication-Denied-Reason: CAPTCHA_CHALLENGE; login-url=…`` (recorded heads quoted in
      public clients, see tests/contract/SOURCES.md; Confluence answers 401 where Jira answers 403:
      "Configuring Captcha for failed logins", Confluence docs);
    - single sign-on: 302 to ``{context}/login.action?os_destination=…`` (Seraph's login redirect).
    """
    origin = f"{request.url.scheme}://{request.url.netloc}"
    if refusal == "sso":
        sent = request.scope.get("wb.sent_path", request.url.path)
        target = sent[len(context) :] if context and sent.startswith(context) else sent
        if request.url.query:
            target += "?" + request.url.query

        return Response(
            status_code=302,
            headers={
                "Location": f"{origin}{context}/login.action?os_destination={quote(target, safe='')}"
            },
        )
    headers = {"X-Seraph-LoginReason": "AUTHENTICATED_FAILED"}
    if refusal == "captcha":
        headers = {
            "X-Seraph-LoginReason": "AUTHENTICATION_DENIED",
            "WWW-Authenticate": f'OAuth realm="{origin}"',
            "X-Authentication-Denied-Reason": f"CAPTCHA_CHALLENGE; login-url={origin}{context}/login.action",
        }
    return Response(
        _DC_401_PAGE, status_code=401, media_type="text/html;charset=UTF-8", headers=headers
    )


def _unauthenticated(dialect: str) -> Response:
    if dialect == "web":
        return Response(
            "Log in with the demo credentials printed by serve-local.",
            status_code=401,
            headers={"WWW-Authenticate": 'Basic realm="Local Confluence"'},
        )
    challenge = {"WWW-Authenticate": 'Basic realm="Local Confluence", Bearer'}
    if dialect == "v1":
        return v1_error(401, _UNAUTHENTICATED, challenge)
    return v2_error(401, "UNAUTHORIZED", _UNAUTHENTICATED, challenge)


def _error_body(exc: ApiError, dialect: str) -> Response:
    if dialect == "web":
        return Response(exc.message, status_code=exc.status, media_type="text/plain")
    if dialect == "v1":
        message = exc.message
        if exc.status == 409 and exc.current is not None:
            message = f"Version must be incremented on update. Current version is: {exc.current}"
        prefix = "" if exc.code == "INVALID_CQL" else _V1_PREFIX.get(exc.status, "")
        return v1_error(exc.status, prefix + message)
    if exc.status == 403:
        # v2 answers 404 when "the user does not have the needed permissions to update [or delete]
        # a page in the space" (PUT/DELETE /pages/{id} in the v2 spec)
        return v2_error(404, "NOT_FOUND", exc.message)
    return v2_error(exc.status, exc.code, exc.message)


def no_endpoint(request: Request) -> JSONResponse:
    """The answer for a REST resource this flavour of Confluence does not have (the same v1 body the
    application gives any unknown ``/rest/`` path)."""
    sent = request.scope.get("wb.sent_path", request.url.path)
    return v1_error(404, f"No API endpoint at {sent}.")
