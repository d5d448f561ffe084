"""Logging in with a username and a secret (Basic: an API token on Cloud, a password on Data Center) or a
personal access token (Data Center, Bearer): the server is asked which product it is and where its API
lives (``workbench.confluence.discover``), the credentials are checked once, then the secret goes to the
keyring and the profile to the config.

The command line (`workbench login --method api-token|basic|pat`) and the TUI's welcome screen both end
here; they only differ in how they ask for the URL and the secret.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import httpx

from workbench.config import AuthMethod, Profile, load_settings

#: How each way of logging in is stored (``Profile.auth``) by flavour: Basic is an API token on Cloud
#: and a password on Data Center; a personal access token is Data Center's.
BASIC_AUTH_NAME: dict[str, AuthMethod] = {"cloud": "api-token", "dc": "basic"}


def site_hint(url: str) -> str:
    """A profile name from a URL: 'acme' for acme.atlassian.net, 'local' for this machine."""
    host = urlsplit(url).hostname or "site"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return "local" if host == "localhost" else host.split(".")[0]
    return "local" if ip.is_loopback else host.replace(".", "-").replace(":", "-")


def check_login(
    url: str,
    auth: httpx.Auth,
    *,
    username: str,
    flavour: str | None = None,
    method: str = "",
    transport: httpx.BaseTransport | None = None,
):
    """Find the site and check the credentials; a ``LoginFailed`` that says what happened (nothing saved).

    Returns ``discover.SiteFound``."""
    # lazy, for start-up: workbench.auth.errors, workbench.confluence.discover … loads on first use
    from workbench.auth.errors import LoginFailed
    from workbench.confluence.discover import NotConfluence, discover
    from workbench.confluence.errors import AuthError, LoginBlocked, LoginRedirect, NotFound
    from workbench.confluence.urls import without_userinfo

    try:
        return discover(url, auth, flavour=flavour, transport=transport)
    except (LoginBlocked, LoginRedirect) as exc:
        raise LoginFailed(f"{exc.message} Nothing was saved.") from None
    except (NotConfluence, NotFound) as exc:
        raise LoginFailed(f"{exc.message.rstrip('.')}, so nothing was saved.") from None
    except AuthError as exc:
        if (
            "AUTHENTICATED_FAILED" in exc.message
        ):  # Data Center's own words, with the CAPTCHA warning
            raise LoginFailed(f"{exc.message} Nothing was saved.") from None
        said = exc.said.strip().rstrip(".")
        code = f" ({exc.status}: {said})" if said else f" ({exc.status})" if exc.status else ""
        if not username:
            check = (
                "the personal access token (personal access tokens are Data Center's; on Cloud log in with "
                "the account email and an API token)"
            )
        elif method == "api-token":
            check = "the email and API token (an account password does not work here)"
        elif method == "basic":
            check = "the username and password"
        else:
            check = "the username (on Cloud the account email) and the API token (Cloud) or password (Data Center)"
        raise LoginFailed(
            f"{without_userinfo(url)} refused the login{code}, so nothing was saved. Check {check}."
        ) from None


def save_token_login(
    url: str,
    *,
    username: str,
    secret: str,
    wanted: str | None = None,
    flavour: str | None = None,
    method: str = "",
    transport: httpx.BaseTransport | None = None,
) -> tuple[str, str]:
    """Check the credentials against the site at ``url`` and store them: Basic (``username`` + API token or
    password) when ``username`` is given, else a personal access token. ``flavour`` ("cloud"/"dc")
    overrides what the server says it is; ``method`` (api-token, basic, pat) is what the person asked for,
    refused when the site is the other product. Returns (profile name, display name); nothing is saved
    on failure."""
    # lazy, for start-up: workbench.auth.connect, workbench.auth.profiles … loads on first use
    from workbench.auth import store
    from workbench.auth.connect import BearerAuth
    from workbench.auth.profiles import profile_name_for, remember

    store.check_keyring()  # before any network: a missing keyring costs nothing
    auth: httpx.Auth = httpx.BasicAuth(username, secret) if username else BearerAuth(secret)
    found = check_login(
        url, auth, username=username, flavour=flavour, method=method, transport=transport
    )
    _check_method(method, found.kind)
    settings = load_settings()
    name = profile_name_for(
        settings, url=found.base_url, wanted=wanted, hint=site_hint(found.base_url)
    )
    store.save_token(name, secret)
    stored_as: AuthMethod = BASIC_AUTH_NAME[found.kind] if username else "pat"
    remember(
        settings,
        Profile(
            name=name,
            url=found.base_url,
            auth=stored_as,
            username=username,
            kind=found.kind,
            site_url=found.base_url,
        ),
    )
    return name, found.user.display_name or ""


def _check_method(method: str, kind: str) -> None:
    """An API token is Cloud's; a password and a personal access token are Data Center's."""
    # lazy, for start-up: workbench.auth.errors loads on first use
    from workbench.auth.errors import LoginFailed

    if method == "api-token" and kind == "dc":
        raise LoginFailed(
            "This site is Confluence Data Center, which has no API tokens: log in with --method "
            "basic (username + password) or --method pat (personal access token). Nothing was saved."
        )
    if method in ("basic", "pat") and kind == "cloud":
        raise LoginFailed(
            "This site is Confluence Cloud, which takes neither passwords nor personal access "
            "tokens from API clients: log in with --method api-token (account email + API token) "
            "or OAuth. Nothing was saved."
        )
