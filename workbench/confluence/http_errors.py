"""Turn an HTTP answer (or a broken connection) into a typed, readable error.

Confluence's own message is kept (v2 ``errors[0].title``, v1 ``message``, the gateway's
``message``) and followed by what to do. Non-JSON error bodies (an HTML page, a text/plain 401,
an empty 404) get a message that says so. Request headers are never looked at; a server that
echoes one back in its body has it hidden (``workbench.redact``), and the server's words are made
printable (``workbench.textsafe``: no terminal control survives).
"""

from __future__ import annotations

import json
import re
import time

import httpx

from workbench.confluence.errors import (
    AuthError,
    BadQuery,
    BadRequest,
    ConfluenceError,
    NotFound,
    PermissionDenied,
    RateLimited,
    ScopeMissing,
    ServerError,
    VersionConflict,
)
from workbench.confluence.login_errors import login_denied
from workbench.confluence.pauses import clock_time, duration
from workbench.confluence.transport import pause_reason, retry_after_of
from workbench.redact import redact
from workbench.textsafe import printable

_V2_CONFLICT = re.compile(
    r"Current Version:\s*\[(\d+)\].*?Provided version:\s*\[(\d+)\]", re.I | re.S
)
_V1_CONFLICT = re.compile(r"Current version is:?\s*\[?(\d+)", re.I)
_OWNER = re.compile(r"^(?:[a-z]+ )+(?:of|to) ((?:page|space|comment) \S+)$")
_JAVA_PREFIX = re.compile(r"^(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error):\s*")


#: A wait the client does not sit through by itself (the transport's ``max_wait`` default).
LONG_PAUSE = 30.0
#: Beyond this a Retry-After is no pause but a refusal (``pauses.MAX_REMEMBERED``: a day).
NO_REAL_PAUSE = 24 * 3600.0


#: ``what`` names of requests that address an API endpoint rather than one object: a 404 there
#: means the URL is not a Confluence API (wrong base URL), not that something is hidden.
ENDPOINT_SUBJECTS = frozenset(
    {"spaces", "the search", "the current user", "users", "ancestor pages"}
)


def _path_of(response: httpx.Response) -> str:
    """The request path (never the query string or credentials), for messages."""
    try:
        return response.request.url.path or "/"
    except RuntimeError:  # a response built without a request (tests)
        return "that URL"


def is_html(response: httpx.Response) -> bool:
    ctype = response.headers.get("Content-Type", "").lower()
    head = response.content[:200].lstrip().lower()
    return "html" in ctype or head.startswith((b"<!doctype html", b"<html"))


def html_message(response: httpx.Response) -> str:
    return (
        f"The server answered with an HTML page instead of JSON (status {response.status_code}). "
        "Is the URL the Confluence base URL (ending in /wiki on Cloud)?"
    )


def server_message(response: httpx.Response) -> str:
    """Confluence's own words from an error body ('' when it sent none we can read)."""
    try:
        data = response.json()
    except (ValueError, UnicodeDecodeError):
        if is_html(response):
            return ""
        text = response.text.strip()
        return _clean(text) if text and len(text) < 300 and "\n" not in text else ""
    return message_of(data)


def message_of(data: object) -> str:
    if isinstance(data, dict):
        errors = data.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            first = errors[0]
            for key in ("title", "detail", "message"):
                value = first.get(key)
                if isinstance(value, str) and value.strip():
                    return _clean(value)
                if isinstance(value, dict) and isinstance(value.get("translation"), str):
                    return _clean(value["translation"])
        for key in ("message", "error_description", "errorMessage", "reason", "error"):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                return _clean(value)
        data_block = data.get("data")
        if isinstance(data_block, dict):
            return message_of(data_block)
    return ""


def _clean(text: str) -> str:
    """The server's words on one line: no secret it echoed, no terminal control, no Java class prefix."""
    text = " ".join(redact(text).split())
    return printable(_JAVA_PREFIX.sub("", text))


def _code(status: int | str, said: str) -> str:
    """``(401)`` or ``(401: Confluence's words)`` — keeps messages to one or two sentences."""
    said = said.strip().rstrip(".")
    return f"({status}: {said})" if said else f"({status})"


def error_for(response: httpx.Response, *, what: str = "", search: bool = False) -> ConfluenceError:
    """The typed error for a 4xx/5xx answer. ``what`` names the thing asked for ("page 123").

    Its ``said`` holds Confluence's own words (already part of the message), for callers that word
    their own message."""
    said = server_message(response)
    error = _error_for(response, said, what=what, search=search)
    error.said = said
    return error


def _error_for(response: httpx.Response, said: str, *, what: str, search: bool) -> ConfluenceError:
    status = response.status_code
    html = not said and is_html(response)
    subject = what or "that"
    if status in (401, 403):
        denied = login_denied(response)
        if denied is not None:
            return denied
    if status == 401:
        if (
            response.headers.get("X-Seraph-LoginReason", "")
            .upper()
            .startswith("AUTHENTICATED_FAILED")
        ):
            return AuthError(
                "Confluence did not accept the username and password or token (401, AUTHENTICATED_FAILED). "
                "Check them, or run 'workbench login' again; after a few failed logins (three by default) "
                "Data Center asks for a CAPTCHA in the browser before it accepts the password again.",
                status=401,
            )
        if "scope does not match" in said.lower():
            return ScopeMissing(
                f"The OAuth login does not include the permission this request needs {_code(401, said)}"
                f"{_needed(response)}. Add it to your OAuth app in the Atlassian developer console (Permissions), "
                "then run 'workbench login' again to grant it.",
                status=401,
                scopes=scopes_of(response),
            )
        return AuthError(
            f"Confluence rejected the credentials {_code(401, said)}. Check the username and API token, "
            "password or personal access token, or run 'workbench login' again.",
            status=401,
        )
    if status == 403:
        return PermissionDenied(
            f"You do not have permission for {subject} {_code(403, said)}.", status=403
        )
    if status == 404:
        if html:
            return NotFound(html_message(response), status=404)
        if subject in ENDPOINT_SUBJECTS:  # a list or service endpoint is missing, not one object
            path = _path_of(response)
            return NotFound(
                f"The server has no Confluence API at {path} {_code(404, '' if path in said else said)}. "
                "Is the URL the Confluence base URL (ending in /wiki on Cloud)?",
                status=404,
            )
        owner = _OWNER.match(subject)  # "children of page 5" is missing because page 5 is
        return NotFound(
            f"{_cap(owner.group(1) if owner else subject)} was not found, or you may not see it "
            f"{_code(404, said)}.",
            status=404,
        )
    if status == 409:
        current, provided = conflict_numbers(said)
        detail = f" (now version {current})" if current is not None else ""
        return VersionConflict(
            f"{_cap(subject)} changed since it was read{detail}; nothing was overwritten.",
            current=current,
            provided=provided,
        )
    if status == 429 or (status == 503 and retry_after_of(response) is not None):
        wait = retry_after_of(response)
        if wait is not None and wait > NO_REAL_PAUSE:
            limit = response.headers.get("X-RateLimit-Limit", "").strip()
            admin = (
                " On Data Center an administrator sets these limits (X-RateLimit-Limit: 0 allows none)."
                if limit == "0"
                else ""
            )
            return RateLimited(
                f"Confluence refuses this request under its rate limit ({status}) and names no time it would allow it "
                f"(Retry-After {response.headers.get('Retry-After', '').strip()[:24]}); other requests may still "
                f"work.{admin}",
                retry_after=None,
            )
        if wait is not None and wait > LONG_PAUSE:
            until = clock_time(time.time() + wait)
            return RateLimited(
                f"Confluence asked for a pause of {duration(wait)}, until {until} ({pause_reason(response)}). "
                "Nothing more is sent to this site until then; to wait it out instead: --wait-rate-limit, or "
                "wait_rate_limit = true under [network] in config.toml.",
                retry_after=wait,
            )
        if status == 503:
            return ServerError(
                f"Confluence is unavailable or overloaded right now {_code(status, said)}. Try again in a moment.",
                status=status,
            )
        when = (
            f" Try again in {wait:.0f} s." if wait is not None else " Wait a little and try again."
        )
        return RateLimited("Confluence is rate-limiting requests (429)." + when, retry_after=wait)
    if status == 410:
        return ServerError(
            f"This Confluence API endpoint has been removed on this site {_code('410 Gone', said)}.",
            status=410,
        )
    if status == 413:
        return BadRequest("The page body is too large for Confluence (over 5 MB, 413).", status=413)
    if 400 <= status < 500:
        if html and not search:
            return BadRequest(html_message(response), status=status)
        if html:
            err = BadQuery(html_message(response), status=status)
            err.html_body = True  # search falls back to /content/search on this (see search.py)
            return err
        if search:
            return BadQuery(
                "Confluence could not run that CQL query"
                + (f": {said.strip().rstrip('.')}." if said else ".")
                + " Quote values that contain spaces or reserved words.",
                status=status,
            )
        return BadRequest(
            f"Confluence refused the request for {subject} {_code(status, said)}.", status=status
        )
    if html:
        return ServerError(html_message(response), status=status)
    if status in (502, 503, 504):  # a gateway, maintenance or overload: not a fault of this request
        return ServerError(
            f"Confluence is unavailable or overloaded right now {_code(status, said)}. Try again in a moment.",
            status=status,
        )
    return ServerError(
        f"Confluence had an internal problem {_code(status, said)}. Try again in a moment.",
        status=status,
    )


def scopes_of(response: httpx.Response) -> tuple[str, ...]:
    """The OAuth scopes the request behind ``response`` needs (from the specs; ``()`` when unknown)."""
    # lazy, for start-up: workbench.confluence.scopes loads on first use
    from workbench.confluence.scopes import scopes_for

    try:
        return scopes_for(response.request.method, response.request.url.path)
    except RuntimeError:  # a response built without a request (tests)
        return ()


def _needed(response: httpx.Response) -> str:
    scopes = scopes_of(response)
    return f": it needs {' and '.join(scopes)}" if scopes else ""


def conflict_numbers(message: str) -> tuple[int | None, int | None]:
    """(current, provided) from a 409 message; either may be None when the server did not say."""
    match = _V2_CONFLICT.search(message or "")
    if match:
        return int(match.group(1)), int(match.group(2))
    match = _V1_CONFLICT.search(message or "")
    if match:
        return int(match.group(1)), None
    return None, None


def json_body(response: httpx.Response, *, what: str = "") -> object:
    """The JSON of a successful answer, or a clear ``ServerError`` when it is not JSON."""
    if response.status_code == 204 or not response.content:
        return None
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        if is_html(response):
            raise ServerError(html_message(response), status=response.status_code) from None
        raise ServerError(
            f"The server's answer for {what or 'that request'} was not JSON (status "
            f"{response.status_code}). Is the URL the Confluence base URL?",
            status=response.status_code,
        ) from None


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
