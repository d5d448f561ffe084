"""Logging in with an API token (Cloud, Basic email:token) or a personal access token (Data Center,
Bearer): one check against the site, then the secret to the keyring and the profile to the config.

The command line (`workbench login --method api-token|pat`) and the TUI's welcome screen both end here;
they only differ in how they ask for the URL and the secret.
"""

from __future__ import annotations

import asyncio

import httpx


def site_hint(url: str) -> str:
    """A profile name from a URL: 'acme' for acme.atlassian.net, 'local' for this machine."""
    import ipaddress
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or "site"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return "local" if host == "localhost" else host.split(".")[0]
    return "local" if ip.is_loopback else host.replace(".", "-").replace(":", "-")


async def verify(url: str, auth: httpx.Auth, kind: str) -> str:
    """One API call with the new credentials; the display name, or a clear error (nothing saved)."""
    from workbench.auth.errors import LoginFailed
    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.errors import AuthError, PermissionDenied

    try:
        async with ConfluenceClient(url, auth=auth, kind=kind, max_attempts=2) as client:
            user = await client.current_user()
    except (AuthError, PermissionDenied) as exc:
        said = exc.said.strip().rstrip(".")
        code = f" ({exc.status}: {said})" if said else f" ({exc.status})" if exc.status else ""
        check = ("the email and API token (an account password does not work here)" if kind == "cloud"
                 else "the personal access token")
        raise LoginFailed(f"{url} refused the token{code}, so nothing was saved. Check {check}.") from None
    if not user.account_id:
        raise LoginFailed(
            f"{url} answered, but not like Confluence (no account in its answer), so nothing was saved. "
            "Is the URL the Confluence base URL (ending in /wiki on Cloud)?"
        )
    return user.display_name or ""


def save_token_login(url: str, *, username: str, secret: str, wanted: str | None = None) -> tuple[str, str]:
    """Check the token against ``url`` and store it: an API token when ``username`` (the account email) is
    given, else a personal access token. Returns (profile name, display name). Nothing is saved on failure."""
    from workbench.auth import store
    from workbench.auth.connect import BearerAuth
    from workbench.auth.profiles import profile_name_for, remember
    from workbench.config import Profile, load_settings

    store.check_keyring()  # before any network: a missing keyring costs nothing
    auth: httpx.Auth = httpx.BasicAuth(username, secret) if username else BearerAuth(secret)
    kind = "cloud" if username else "dc"
    user = asyncio.run(verify(url, auth, kind))
    settings = load_settings()
    name = profile_name_for(settings, url=url, wanted=wanted, hint=site_hint(url))
    store.save_token(name, secret)
    remember(settings, Profile(name=name, url=url, auth="api-token" if username else "pat",
                               username=username, kind=kind, site_url=url))
    return name, user
