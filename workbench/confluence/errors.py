"""Typed errors raised by the Confluence client.

Each carries Confluence's own message (when it sent one) plus what to do about it.
"""

from __future__ import annotations

from workbench.errors import WorkbenchError


class ConfluenceError(WorkbenchError):
    """Base class for errors that come from talking to Confluence."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.said = (
            ""  # Confluence's own words, when the error came from its answer (see http_errors)
        )


class AuthError(ConfluenceError):
    """401: missing, invalid, expired or revoked credentials (or a gateway scope mismatch)."""

    exit_code = 4


class ScopeMissing(AuthError):
    """401 from the OAuth gateway, "scope does not match": the login lacks a scope this request needs
    (``scopes``, when the specs name it). Other requests may still work; a new login with the scope
    added to the app fixes it."""

    def __init__(
        self, message: str, *, status: int | None = 401, scopes: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message, status=status)
        self.scopes = scopes


class LoginBlocked(AuthError):
    """Data Center stopped checking this account's password: a CAPTCHA after failed logins
    (``X-Authentication-Denied-Reason: CAPTCHA_CHALLENGE``) or another ``AUTHENTICATION_DENIED``.
    Every further attempt counts as another failed login, so nothing is retried; a browser login
    (``login_url``) clears it."""

    def __init__(self, message: str, *, status: int | None = None, login_url: str = "") -> None:
        super().__init__(message, status=status)
        self.login_url = login_url


class LoginRedirect(AuthError):
    """The site answered an API request with a redirect to a login page (its own ``login.action`` or
    an identity provider): it wants a browser login (single sign-on), which an API client cannot do."""

    def __init__(self, message: str, *, status: int | None = None, location: str = "") -> None:
        super().__init__(message, status=status)
        self.location = location


class PermissionDenied(ConfluenceError):
    """403: the user may not do this."""

    exit_code = 4


class NotFound(ConfluenceError):
    """404: missing, or not visible to this user (Confluence does not say which)."""

    exit_code = 5


class NotAvailable(ConfluenceError):
    """The server does not offer this at all (not the content's fault): e.g. no version history
    resource on a Data Center site."""


class VersionConflict(ConfluenceError):
    """409: the page moved on since the base version the caller read."""

    exit_code = 3

    def __init__(self, message: str, *, current: int | None, provided: int | None) -> None:
        super().__init__(message, status=409)
        self.current = current
        self.provided = provided


class RateLimited(ConfluenceError):
    """429 after the retry budget ran out."""

    def __init__(self, message: str, *, retry_after: float | None) -> None:
        super().__init__(message, status=429)
        self.retry_after = retry_after


class BadQuery(ConfluenceError):
    """400 on a search: the CQL is invalid. ``message`` says where.

    ``html_body``: the 400 came as an HTML page, not Confluence's JSON (some Cloud sites do that on
    ``/rest/api/search``; the client then tries ``/rest/api/content/search``)."""

    exit_code = 2
    html_body = False


class BadRequest(ConfluenceError):
    """400 on anything else (missing field, duplicate title, body too large)."""

    exit_code = 2


class ServerError(ConfluenceError):
    """5xx, or an answer that is not what the API promises (e.g. HTML where JSON was expected)."""


class NetworkError(ConfluenceError):
    """The server could not be reached, or the connection broke."""
