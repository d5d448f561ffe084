"""Request plumbing shared by the v1 and v2 routes: authentication, error bodies, JSON input."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal, overload
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workbench.emulator.auth import AuthGate
from workbench.emulator.errors import ApiError, bad_request
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


async def json_body(request: Request) -> Any:
    raw = await request.body()
    if not raw:
        raise bad_request("The request has no JSON body.")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise bad_request(
            f"The request body is not valid JSON ({exc.__class__.__name__})."
        ) from None


@overload
def text_field(data: dict, name: str, *, required: Literal[True] = True) -> str: ...


@overload
def text_field(data: dict, name: str, *, required: bool) -> str | None: ...


def text_field(data: dict, name: str, *, required: bool = True) -> str | None:
    """A string member of a JSON body; a clear 400 when it is missing (if required) or not a string."""
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise bad_request(f"{name} is required.")
        return None
    if not isinstance(value, str):
        raise bad_request(f"{name} must be a string.")
    return value


@overload
def id_field(data: dict, name: str, *, required: Literal[True]) -> str: ...


@overload
def id_field(data: dict, name: str, *, required: bool = False) -> str | None: ...


def id_field(data: dict, name: str, *, required: bool = False) -> str | None:
    """An id member of a JSON body (a numeric string; numbers are accepted too)."""
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise bad_request(f"{name} is required.")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise bad_request(f'{name} must be an id such as "65537".')
    return str(value)


MAX_BODY = 5 * 1024 * 1024  # Confluence refuses bodies over 5 MB


def storage_value(body: object, *, v1: bool = False) -> str:
    """The storage XHTML in a request's ``body`` member: ``{"representation": "storage", "value": …}``
    (v2) or ``{"storage": {…}}`` (both; the only form with ``v1``). 400 when it is missing or another
    representation, 413 over 5 MB."""
    if isinstance(body, dict) and isinstance(body.get("storage"), dict):
        body = body["storage"]
    elif v1:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("value"), str):
        raise bad_request(
            "body.storage.value is required."
            if v1
            else 'The body must be {"representation": "storage", "value": "…"}.'
        )
    representation = body.get("representation", "storage")
    if representation != "storage":
        raise bad_request(
            f"Body representation '{representation}' is not accepted here; send 'storage'."
        )
    if len(body["value"].encode()) > MAX_BODY:
        raise ApiError(413, "REQUEST_ENTITY_TOO_LARGE", "The body is larger than 5 MB.")
    return body["value"]


def expand_param(request: Request) -> set[str]:
    """The v1 ``expand=a,b.c`` parameter as a set of names."""
    return {
        part.strip()
        for part in (request.query_params.get("expand") or "").split(",")
        if part.strip()
    }


def object_body(data: object) -> dict:
    if not isinstance(data, dict):
        raise bad_request("The request body must be a JSON object.")
    return data


@overload
def int_param(request: Request, name: str, default: int) -> int: ...


@overload
def int_param(request: Request, name: str, default: None = None) -> int | None: ...


def int_param(request: Request, name: str, default: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        number = int(raw)
    except ValueError:
        raise bad_request(f"The parameter '{name}' must be a number, not '{raw}'.") from None
    if abs(number) >= 2**63:
        raise bad_request(f"The parameter '{name}' is out of range.")
    return number


def list_param(request: Request, name: str) -> list[str]:
    """A comma-separated and/or repeated query parameter."""
    values: list[str] = []
    for raw in request.query_params.getlist(name):
        values += [v.strip() for v in raw.split(",") if v.strip()]
    return values


def int_list_param(request: Request, name: str) -> list[int]:
    try:
        numbers = [int(v) for v in list_param(request, name)]
    except ValueError:
        raise bad_request(f"The parameter '{name}' must list numeric ids.") from None
    if any(abs(n) >= 2**63 for n in numbers):
        raise bad_request(f"The parameter '{name}' lists an id that is out of range.")
    return numbers


def body_format_name(request: Request, allowed: tuple[str, ...] = ("storage",)) -> str | None:
    """The ``body-format`` asked for (None: no body); other known formats are refused plainly."""
    fmt = request.query_params.get("body-format")
    if fmt in (None, ""):
        return None
    if fmt not in allowed:
        raise bad_request(
            f"body-format '{fmt}' is not served by the local Confluence here; use "
            f"{' or '.join(repr(a) for a in allowed)}."
        )
    return fmt


def body_format(request: Request, allowed: tuple[str, ...] = ("storage",)) -> bool:
    """True when the storage body was asked for; other known formats are refused plainly."""
    fmt = request.query_params.get("body-format")
    if fmt in (None, ""):
        return False
    if fmt not in allowed:
        raise bad_request(
            f"body-format '{fmt}' is not served by the local Confluence; use 'storage'."
        )
    return True
