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

from workbench.emulator.http import dc_refusal, state_of
from workbench.emulator.jira.store import JiraError

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
        verdict = state.auth_gate.verdict(request)
        if verdict.account is None:
            if state.is_dc and verdict.refusal != "none":
                return dc_refusal(request, verdict.refusal, "")
            return jira_error(
                401,
                ["Client must be authenticated to access this resource."],
                headers={"WWW-Authenticate": 'Basic realm="Local Jira", Bearer'},
            )
        request.state.account = verdict.account
        if _missing_scope(request):
            return JSONResponse(
                {"code": 401, "message": "Unauthorized; scope does not match"}, status_code=401
            )
        try:
            return await fn(request)
        except JiraError as exc:
            return jira_error(exc.status, exc.messages, exc.errors)

    handler.__name__ = fn.__name__
    return handler


def _missing_scope(request: Request) -> bool:
    oauth = state_of(request).extras.get("oauth")
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
    # lazy, for start-up: workbench.jira.scopes loads on first use
    from workbench.jira.scopes import jira_scopes_for

    return not set(jira_scopes_for(request.method, request.url.path)) <= granted


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
