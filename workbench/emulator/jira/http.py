"""Request plumbing of the local Jira: authentication (the same gate as Confluence), OAuth scopes,
Jira's error body, the API version's body format, and ``self`` links.

Jira's error body is ``ErrorCollection`` (the spec): ``{"errorMessages": [...], "errors": {field:
message}}``. A token from this server's OAuth endpoints used through the gateway (``/ex/jira/{cloudId}``)
must hold the endpoint's scope (:mod:`workbench.jira.scopes`), else the gateway's answer, 401
``Unauthorized; scope does not match`` (as for Confluence).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from workbench.emulator.http import admit, state_of
from workbench.emulator.jira.errors import JiraError

Handler = Callable[[Request], Awaitable[Response]]


def jira_error(
    status: int, messages: list[str] | None = None, errors: dict[str, str] | None = None, **kw: Any
) -> JSONResponse:
    return JSONResponse(
        {"errorMessages": messages or [], "errors": errors or {}}, status_code=status, **kw
    )


def api_of(request: Request) -> str:
    """``"3"`` or ``"2"``: the REST version in the request path."""
    return "2" if request.url.path.startswith("/rest/api/2/") else "3"


def base_of(request: Request) -> str:
    """The root ``self`` links hang from: the site, or the gateway's ``/ex/jira/{cloudId}``."""
    origin = f"{request.url.scheme}://{request.url.netloc}"
    cloud_id = request.scope.get("wb.cloud_id")
    if request.scope.get("wb.gateway") and cloud_id:
        return f"{origin}/ex/jira/{cloud_id}"
    return origin


def account_of(request: Request) -> str:
    return request.state.account


def jira_endpoint(fn: Handler) -> Handler:
    async def handler(request: Request) -> Response:
        state = state_of(request)
        if not state.extras.get("jira", True):
            # a site without Jira: nothing answers at Jira's paths
            sent = request.scope.get("wb.sent_path", request.url.path)
            return JSONResponse(
                {"code": 404, "message": f"No Jira on this site ({sent})."}, status_code=404
            )
        if state.is_dc and api_of(request) == "3":
            return jira_error(404, ["null for uri: " + str(request.url)])
        refused = admit(request, state, _unauthenticated, "", _jira_scopes)
        if refused is not None:
            return refused
        try:
            return await fn(request)
        except JiraError as exc:
            return jira_error(exc.status, exc.messages, exc.errors)

    handler.__name__ = fn.__name__
    return handler


def _unauthenticated() -> Response:
    return jira_error(
        401,
        ["Client must be authenticated to access this resource."],
        headers={"WWW-Authenticate": 'Basic realm="Local Jira", Bearer'},
    )


def _jira_scopes(method: str, path: str) -> tuple[str, ...]:
    # lazy, for start-up: workbench.jira.scopes loads on first use
    from workbench.jira.scopes import jira_scopes_for

    return tuple(jira_scopes_for(method, path))


async def body_of(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        raise JiraError(400, "No content to map to Object due to end of input")
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise JiraError(400, "Unexpected character in the request body: it is not JSON.") from None
    if not isinstance(data, dict):
        raise JiraError(400, "The request body must be a JSON object.")
    return data


def int_param(request: Request, name: str, default: int, *, low: int = 0, high: int = 5000) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise JiraError(
            400, f"The value '{raw}' for the parameter '{name}' is not a number."
        ) from None
    return max(low, min(high, value))


def list_param(request: Request, name: str) -> list[str]:
    return [v for raw in request.query_params.getlist(name) for v in raw.split(",") if v.strip()]
