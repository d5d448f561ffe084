"""Jira's refusals as the workbench's typed errors, in Jira's own words.

Jira answers ``ErrorCollection`` (``{"errorMessages": [...], "errors": {field: message}}``); the
OAuth gateway its own ``{"code": …, "message": …}``. Rate limits, server trouble and Data Center's
login refusals are worded by :func:`workbench.confluence.http_errors.error_for` (the same transport
and the same rules as for Confluence), with "Jira" named in place of "Confluence".
"""

from __future__ import annotations

import httpx

from workbench.confluence.errors import (
    AuthError,
    BadQuery,
    BadRequest,
    ConfluenceError,
    NotFound,
    PermissionDenied,
    ScopeMissing,
    ServerError,
)
from workbench.confluence.http_errors import error_for, is_html
from workbench.confluence.login_errors import login_denied
from workbench.jira.scopes import jira_scopes_for
from workbench.redact import redact
from workbench.textsafe import printable


class NoJira(NotFound):
    """The site answers, but not with Jira: it has no Jira (or not at this address)."""


def jira_words(response: httpx.Response) -> str:
    """Jira's own message(s) from an error body, on one line ('' when it sent none we can read)."""
    try:
        data = response.json()
    except (ValueError, UnicodeDecodeError):
        return ""
    words: list[str] = []
    if isinstance(data, dict):
        messages = data.get("errorMessages")
        if isinstance(messages, list):
            words += [m for m in messages if isinstance(m, str) and m.strip()]
        errors = data.get("errors")
        if isinstance(errors, dict):
            words += [f"{k}: {v}" for k, v in errors.items() if isinstance(v, str)]
        if not words and isinstance(data.get("message"), str):
            words.append(data["message"])
    return printable(" ".join(" ".join(redact("; ".join(words)).split()).split()))


def _is_jira_answer(response: httpx.Response) -> bool:
    try:
        data = response.json()
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(data, dict) and ("errorMessages" in data or "errors" in data)


def jira_error_for(
    response: httpx.Response, *, what: str = "", search: bool = False, root: str = ""
) -> ConfluenceError:
    status = response.status_code
    said = jira_words(response)
    subject = what or "that"
    if status in (401, 403):
        denied = login_denied(response)
        if denied is not None:
            return denied
    if status == 401:
        if "scope does not match" in said.lower():
            try:
                needed = jira_scopes_for(response.request.method, response.request.url.path)
            except RuntimeError:
                needed = ()
            need = f": it needs {' and '.join(needed)}" if needed else ""
            return ScopeMissing(
                f"The OAuth login does not include the Jira permission this request needs{need}. Run "
                "'workbench login' again (it asks for read:jira-work, write:jira-work and read:jira-user), "
                "and add Jira's scopes to your OAuth app in the Atlassian developer console if it lacks them.",
                scopes=needed,
            )
        if _is_jira_answer(response) or said:
            return AuthError(
                f"Jira rejected the credentials (401{': ' + said if said else ''}). Check the login, or "
                "run 'workbench login' again.",
                status=401,
            )
    if status == 403:  # the login is good; the account lacks Jira access or this permission
        return PermissionDenied(
            f"Jira refused {subject} (403{': ' + said if said else ''}). Your account may have no "
            "access to Jira or lack the permission for this: ask a Jira administrator (logging in "
            "again will not change it).",
            status=403,
        )
    if status == 404:
        if not _is_jira_answer(response) or is_html(response):
            return NoJira(
                f"There is no Jira at {root or 'this site'} (404{': ' + said if said else ''}). The site may "
                "have no Jira, or Jira lives at another address.",
                status=404,
            )
        return NotFound(
            f"{subject[:1].upper() + subject[1:]} was not found, or you may not see it (404: {said}).",
            status=404,
        )
    if status == 400 and search:
        return BadQuery(f"Jira could not run that JQL: {said or 'no reason given'}", status=400)
    if status in (400, 409, 422) and _is_jira_answer(response):
        return BadRequest(
            f"Jira refused the request for {subject} ({status}: {said}).", status=status
        )
    if status == 410:
        return ServerError(
            f"This Jira API endpoint has been removed (410 Gone: {said}).", status=410
        )
    error = error_for(response, what=what, search=search)
    error.message = error.message.replace("Confluence", "Jira")
    error.args = (error.message,)
    return error
