"""The Starlette application of the local Confluence.

``build_app(store, ...)`` wires the v2 and v1 routes, the path forms Confluence accepts, the
authentication gate, the chaos middleware and the OAuth endpoints (``oauth.routes(state)`` receives
the :class:`~workbench.emulator.http.EmulatorState`).

Path forms: ``/wiki/api/v2/...`` and ``/wiki/rest/api/...`` (canonical), ``/rest/api/...`` (no
``/wiki``, as Data Center serves it), and the OAuth gateway prefix ``/ex/confluence/{cloudId}`` in
front of either (also ``/ex/confluence/{cloudId}/rest/api/...``).
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from workbench.emulator import oauth, routes_v1, routes_v2, routes_web
from workbench.emulator.auth import AuthGate
from workbench.emulator.faults import Chaos
from workbench.emulator.http import EmulatorState, state_of, v2_error
from workbench.emulator.requestlog import RequestLog
from workbench.emulator.store import Store

GATEWAY = "/ex/confluence/"


class PathForms:
    """Rewrites the accepted path forms to the canonical ``/wiki/...`` one before routing."""

    def __init__(self, app, emulator: EmulatorState) -> None:
        self.app = app
        self.emulator = emulator
        self.state = None  # set by build_app to the Starlette app's state

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            if path.startswith(GATEWAY):
                cloud_id, _, rest = path[len(GATEWAY):].partition("/")
                if cloud_id != self.emulator.cloud_id and cloud_id not in self.emulator.extras.get("cloud_ids", ()):
                    response = JSONResponse({"code": 404, "message": "No site with that cloud id."}, status_code=404)
                    await response(scope, receive, send)
                    return
                path = "/" + rest
                scope = {**scope, "wb.gateway": True, "wb.cloud_id": cloud_id}
            if path.startswith("/rest/api/") or path == "/rest/api":
                path = "/wiki" + path
            if path != scope["path"]:
                scope = {**scope, "path": path, "raw_path": path.encode()}
            scope["wb.canonical_path"] = path
        await self.app(scope, receive, send)


async def tenant_info(request: Request) -> JSONResponse:
    return JSONResponse({"cloudId": state_of(request).cloud_id})


async def not_found(request: Request, exc) -> JSONResponse:
    if request.url.path.startswith("/wiki/rest/"):
        from workbench.emulator.http import v1_error

        return v1_error(404, f"No API endpoint at {request.url.path}.")
    return v2_error(404, "NOT_FOUND", f"No API endpoint at {request.url.path}.")


async def not_allowed(request: Request, exc) -> JSONResponse:
    return v2_error(405, "METHOD_NOT_ALLOWED", f"{request.method} is not allowed on {request.url.path}.")


def build_app(
    store: Store,
    *,
    rate_limit: float | None = None,
    fault_rate: float = 0.0,
    latency_ms: int = 0,
    token_ttl: int = 3600,
    fault_seed: int | str | None = None,
) -> PathForms:
    """The whole ASGI application: path forms → request log → chaos → Starlette routes.

    The returned object's ``.state`` is the Starlette app's state (``.state.emulator``).
    """
    state = EmulatorState(store=store, auth_gate=AuthGate(), token_ttl=token_ttl)
    routes = [*routes_v2.routes(), *routes_v1.routes(), *routes_web.routes(),
              Route("/_edge/tenant_info", tenant_info)]
    routes += list(oauth.routes(state))
    app = Starlette(routes=routes, exception_handlers={404: not_found, 405: not_allowed})
    app.state.emulator = state
    chaos = Chaos(app, rate_limit=rate_limit, fault_rate=fault_rate, latency_ms=latency_ms, seed=fault_seed)
    state.extras["chaos"] = chaos
    log = RequestLog(chaos)
    state.extras["requests"] = log
    outer = PathForms(log, state)
    outer.state = app.state
    return outer
