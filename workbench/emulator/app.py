"""The Starlette application of the local Confluence.

``build_app(store, ...)`` wires the v2 and v1 routes, the path forms Confluence accepts, the
authentication gate, the chaos middleware and the OAuth endpoints (``oauth.routes(state)`` receives
the :class:`~workbench.emulator.http.EmulatorState`).

Path forms (Cloud): ``/wiki/api/v2/...`` and ``/wiki/rest/api/...`` (canonical), and the OAuth gateway
prefix ``/ex/confluence/{cloudId}`` in front of either (also ``/ex/confluence/{cloudId}/rest/api/...``).
Data Center (``flavour="dc"``): ``{context}/rest/api/...`` only (see :mod:`workbench.emulator.flavour`).
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.datastructures import State
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from workbench.emulator import oauth, routes_people, routes_v1, routes_v2, routes_web
from workbench.emulator.auth import AuthGate
from workbench.emulator.faults import Chaos
from workbench.emulator.flavour import normalise_context
from workbench.emulator.http import EmulatorState, state_of, v1_error, v2_error
from workbench.emulator.requestlog import RequestLog
from workbench.emulator.routes_v1_attachments import download_routes
from workbench.emulator.store import Store

GATEWAY = "/ex/confluence/"
JIRA_GATEWAY = "/ex/jira/"
#: Jira's REST paths (workbench.emulator.jira): served as they are, on Cloud and on Data Center.
JIRA_PATHS = ("/rest/api/2/", "/rest/api/3/")


class PathForms:
    """Rewrites the accepted path forms to the canonical ``/wiki/...`` one before routing.

    Cloud: ``/wiki/...`` as it is, and the gateway prefix ``/ex/confluence/{cloudId}`` in front of
    ``/wiki/...`` or ``/rest/api/...``. Data Center: ``{context}/...`` (e.g. ``/confluence/rest/api``,
    or ``/rest/api`` with no context path) becomes ``/wiki/...``; there is no REST v2, no gateway and
    no ``/_edge``, and anything outside the context path is Confluence's HTML "page not found".
    The path as sent is kept in ``scope["wb.sent_path"]``.
    """

    def __init__(self, app, emulator: EmulatorState) -> None:
        self.app = app
        self.emulator = emulator
        self.state: State | None = None  # set by build_app to the Starlette app's state

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            sent: str = scope["path"]
            if sent.startswith(JIRA_PATHS) or sent.startswith(JIRA_GATEWAY):
                await self._jira(scope, receive, send, sent)
                return
            path = self._dc_path(sent) if self.emulator.is_dc else sent
            if path is None:
                await _dc_not_found(scope, receive, send)
                return
            if not self.emulator.is_dc and path.startswith(GATEWAY):
                cloud_id, _, rest = path[len(GATEWAY) :].partition("/")
                if cloud_id != self.emulator.cloud_id and cloud_id not in self.emulator.extras.get(
                    "cloud_ids", ()
                ):
                    response = JSONResponse(
                        {"code": 404, "message": "No site with that cloud id."}, status_code=404
                    )
                    await response(scope, receive, send)
                    return
                path = "/" + rest
                scope = {**scope, "wb.gateway": True, "wb.cloud_id": cloud_id}
                if (
                    path.startswith("/rest/api/") or path == "/rest/api"
                ):  # the 3LO page's example form
                    path = "/wiki" + path
            if path != scope["path"]:
                scope = {**scope, "path": path, "raw_path": path.encode()}
            scope["wb.canonical_path"] = path
            scope["wb.sent_path"] = sent
        await self.app(scope, receive, send)

    async def _jira(self, scope, receive, send, sent: str) -> None:
        """Jira's paths: ``/rest/api/{2,3}/...`` as they are; ``/ex/jira/{cloudId}/rest/api/...`` for
        OAuth tokens on Cloud (as ``/ex/confluence/{cloudId}`` is for Confluence)."""
        path = sent
        if sent.startswith(JIRA_GATEWAY):
            cloud_id, _, rest = sent[len(JIRA_GATEWAY) :].partition("/")
            known = cloud_id == self.emulator.cloud_id or cloud_id in self.emulator.extras.get(
                "cloud_ids", ()
            )
            if self.emulator.is_dc or not known:
                response = JSONResponse(
                    {"code": 404, "message": "No site with that cloud id."}, status_code=404
                )
                await response(scope, receive, send)
                return
            path = "/" + rest
            scope = {**scope, "wb.gateway": True, "wb.cloud_id": cloud_id}
        scope = {**scope, "path": path, "raw_path": path.encode()}
        scope["wb.canonical_path"] = path
        scope["wb.sent_path"] = sent
        await self.app(scope, receive, send)

    def _dc_path(self, path: str) -> str | None:
        """The canonical path for a Data Center request path, or None when DC has nothing there."""
        context = self.emulator.context_path
        if context:
            if not path.startswith(context + "/"):
                return None
            path = path[len(context) :]
        if path.startswith(("/api/v2/", "/_edge/", GATEWAY)) or path in ("/api/v2", "/_edge"):
            return None
        return "/wiki" + path


_DC_NOT_FOUND = (
    "<!DOCTYPE html><html><head><title>Page Not Found - Confluence</title></head><body>"
    "<h1>Page Not Found</h1><p>The page you were trying to reach could not be found.</p></body></html>"
)


async def _dc_not_found(scope, receive, send) -> None:
    """What a Data Center answers outside its REST API (and where Cloud has v2): an HTML page, 404."""
    await HTMLResponse(_DC_NOT_FOUND, status_code=404)(scope, receive, send)


class _Sites:
    """Jira's paths (``/rest/api/{2,3}/…``, as :class:`PathForms` leaves them) to Jira's routes,
    every other path to Confluence's. Jira's routes are a Starlette app of their own, built at the
    first Jira request (its modules load then, not before the server's first answers); both apps
    answer an unknown path or method alike (:func:`not_found`, :func:`not_allowed`) and share the
    emulator's state."""

    def __init__(self, confluence: Starlette, state: EmulatorState) -> None:
        self.confluence = confluence
        self._state = state
        self._jira: Starlette | None = None

    def jira(self) -> Starlette:
        if self._jira is None:
            # lazy, for start-up: Jira's routes (JQL, its bodies) load at the first Jira request
            from workbench.emulator.jira.routes import routes as jira_routes

            app = Starlette(routes=jira_routes(), exception_handlers=EXCEPTION_HANDLERS)
            app.state.emulator = self._state
            self._jira = app
        return self._jira

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(JIRA_PATHS):
            await self.jira()(scope, receive, send)
        else:
            await self.confluence(scope, receive, send)


async def tenant_info(request: Request) -> JSONResponse:
    return JSONResponse({"cloudId": state_of(request).cloud_id})


async def not_found(request: Request, exc) -> Response:
    sent = request.scope.get("wb.sent_path", request.url.path)
    if request.url.path.startswith("/wiki/rest/"):
        return v1_error(404, f"No API endpoint at {sent}.")
    if state_of(request).is_dc:  # outside the REST API Data Center answers with an HTML page
        return HTMLResponse(_DC_NOT_FOUND, status_code=404)
    return v2_error(404, "NOT_FOUND", f"No API endpoint at {sent}.")


async def not_allowed(request: Request, exc) -> JSONResponse:
    return v2_error(
        405, "METHOD_NOT_ALLOWED", f"{request.method} is not allowed on {request.url.path}."
    )


EXCEPTION_HANDLERS: dict = {404: not_found, 405: not_allowed}


def build_app(
    store: Store,
    *,
    rate_limit: float | None = None,
    fault_rate: float = 0.0,
    latency_ms: int = 0,
    token_ttl: int = 3600,
    fault_seed: int | str | None = None,
    flavour: str = "cloud",
    context_path: str | None = None,
    captcha_after: int | None = None,
    login_redirect: bool = False,
) -> PathForms:
    """The whole ASGI application: path forms → request log → chaos → Starlette routes (Jira's
    built at its first request, :class:`_Sites`).

    The returned object's ``.state`` is the Starlette app's state (``.state.emulator``).
    """
    context = normalise_context(flavour, context_path)
    state = EmulatorState(
        store=store,
        auth_gate=AuthGate(flavour=flavour),
        token_ttl=token_ttl,
        flavour=flavour,
        context_path=context,
    )
    state.auth_gate.captcha_after = captcha_after
    state.auth_gate.login_redirect = login_redirect
    routes = [
        *routes_people.routes(),
        *routes_v2.routes(),
        *routes_v1.routes(),
        *routes_web.routes(),
        *download_routes(),
        Route("/_edge/tenant_info", tenant_info),
    ]
    routes += list(oauth.routes(state))
    app = Starlette(routes=routes, exception_handlers=EXCEPTION_HANDLERS)
    app.state.emulator = state
    chaos = Chaos(
        _Sites(app, state),
        rate_limit=rate_limit,
        fault_rate=fault_rate,
        latency_ms=latency_ms,
        seed=fault_seed,
    )
    state.extras["chaos"] = chaos
    log = RequestLog(chaos)
    state.extras["requests"] = log
    outer = PathForms(log, state)
    outer.state = app.state
    return outer
