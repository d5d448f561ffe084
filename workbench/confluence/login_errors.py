"""Answers that stand for a login instead of the data asked for: Data Center's "I did not even check
the password" (a CAPTCHA after failed logins, a disabled account) and a redirect to a login page
(single sign-on) or elsewhere. Redirects are never followed: credentials stay on the host asked.
"""

from __future__ import annotations

import re

import httpx

from workbench.confluence.errors import (
    ConfluenceError,
    LoginBlocked,
    LoginRedirect,
    ServerError,
)


def login_denied(response: httpx.Response) -> LoginBlocked | None:
    """Data Center's "I did not even check the password" answer, or None.

    Seraph sets ``X-Seraph-LoginReason: AUTHENTICATION_DENIED`` and, for the CAPTCHA that follows
    failed logins, ``X-Authentication-Denied-Reason: CAPTCHA_CHALLENGE; login-url=…/login.action``
    (Confluence answers 401, Jira 403). Sources: Atlassian KB "AUTHENTICATION_DENIED error when
    accessing Confluence content via REST API Call" (confkb 966681459) and "Configuring Captcha for
    failed logins" (REST answers 401 until a browser login completes the CAPTCHA)."""
    reason = response.headers.get("X-Authentication-Denied-Reason", "")
    seraph = response.headers.get("X-Seraph-LoginReason", "").upper()
    if not reason and "AUTHENTICATION_DENIED" not in seraph:
        return None
    host = _host_of(response)
    login_url = _same_host_login_url(reason, response)
    where = f"at {login_url}" if login_url else f"on {host}"
    if "CAPTCHA" in reason.upper():
        return LoginBlocked(
            f"Confluence wants a CAPTCHA before it checks this password again, after failed logins "
            f"({response.status_code}, CAPTCHA_CHALLENGE). Log in once in a browser {where}, then try again. "
            "Nothing more was sent: every further attempt would count as another failed login.",
            status=response.status_code,
            login_url=login_url,
        )
    return LoginBlocked(
        f"Confluence refused to check the login ({response.status_code}, AUTHENTICATION_DENIED): usually a "
        f"CAPTCHA after failed logins, or a disabled account. Log in once in a browser {where}, then try "
        "again. Nothing more was sent.",
        status=response.status_code,
        login_url=login_url,
    )


def _host_of(response: httpx.Response) -> str:
    try:
        return (
            response.request.url.netloc.decode("ascii", "replace").rpartition("@")[2] or "the site"
        )
    except RuntimeError:
        return "the site"


def _same_host_login_url(reason: str, response: httpx.Response) -> str:
    """The ``login-url=`` of the denial header, only when it is on the host that was asked (a header
    pointing elsewhere is not repeated: it could send the person to a look-alike page)."""
    match = re.search(r"login-url=(\S+)", reason)
    if not match:
        return ""
    url = match.group(1).strip().rstrip(";,")
    try:
        asked = response.request.url
        target = httpx.URL(url)
    except (RuntimeError, httpx.InvalidURL):
        return ""
    if (
        target.scheme in ("http", "https")
        and target.host == asked.host
        and target.port == asked.port
    ):
        return str(target.copy_with(query=None, fragment=None))
    return ""


_LOGIN_PATHS = (
    "/login.action",
    "/login.jsp",
    "/dologin.action",
    "/plugins/servlet/samlsso",
    "/plugins/servlet/external-login",
    "/plugins/servlet/oidc",
)


def redirect_error(response: httpx.Response) -> ConfluenceError:
    """A 3xx answer to an API request (redirects are never followed: credentials stay on the host).

    To a login page (Data Center's ``login.action?os_destination=…``, an SSO servlet, or another
    host, as an identity provider is): :class:`LoginRedirect` with the way out (a personal access
    token). Anything else: the URL is probably not the site's base URL."""
    status = response.status_code
    location = response.headers.get("Location", "")
    try:
        asked = response.request.url
        target = asked.join(location) if location else None
    except (RuntimeError, httpx.InvalidURL):
        asked, target = None, None
    host = _host_of(response)
    if target is not None and asked is not None:
        shown = str(target.copy_with(query=None, fragment=None))
        other_host = target.host != asked.host
        to_login = any(
            target.path.lower().endswith(p) or p + "/" in target.path.lower() for p in _LOGIN_PATHS
        )
        if to_login or (other_host and target.scheme in ("http", "https")):
            return LoginRedirect(
                f"{host} sent the request to a login page ({status} to {shown}) instead of answering: the "
                "site wants a browser login (single sign-on), which the workbench cannot do. Log in with a "
                "token instead: a personal access token on Data Center (your profile → Personal Access "
                "Tokens; then 'workbench login URL --method pat'), an API token on Cloud.",
                status=status,
                location=shown,
            )
        if target.scheme == "https" and asked.scheme == "http" and target.host == asked.host:
            return ServerError(
                f"{host} redirects to https ({status}): use the https:// address of the site.",
                status=status,
            )
        return ServerError(
            f"The server redirected the request ({status} to {shown}) instead of answering. Is the URL the "
            "site's base URL (Cloud: https://SITE.atlassian.net/wiki; Data Center: the address including any "
            "context path, e.g. https://confluence.example.com/confluence)?",
            status=status,
        )
    return ServerError(
        f"The server redirected the request ({status}) instead of answering. Is the URL the "
        "site's base URL?",
        status=status,
    )
