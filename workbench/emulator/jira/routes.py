"""Every Jira route, under ``/rest/api/3`` and ``/rest/api/2`` (one handler each; the version in the
path picks the body format). ``workbench.emulator.app`` registers them in one line."""

from __future__ import annotations

from starlette.routing import Route

from workbench.emulator.jira import (
    routes_issues,
    routes_meta,
    routes_search,
    routes_users,
    routes_workflow,
)
from workbench.emulator.jira.http import jira_endpoint

PREFIXES = ("/rest/api/3", "/rest/api/2")


def routes() -> list[Route]:
    table = [*routes_meta.routes(), *routes_search.routes(), *routes_issues.routes()]
    table += routes_users.routes()
    table += routes_workflow.routes()
    return [
        Route(prefix + path, jira_endpoint(fn), methods=list(methods))
        for prefix in PREFIXES
        for path, fn, methods in table
    ]
