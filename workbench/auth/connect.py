"""Turn settings (a stored profile, or the ``CONFLUENCE_*`` environment) into a ready client.

Precedence: an explicit ``--profile``; else the ``CONFLUENCE_URL`` environment variables; else the
default profile. Secrets are read from the keyring (never from the config file).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from workbench.auth.env import env_site
from workbench.config import load_settings
from workbench.errors import ConfigError

if TYPE_CHECKING:
    from workbench.config import Settings
    from workbench.confluence.client import ConfluenceClient

NO_SITE = (
    "No Confluence site is configured. Run 'workbench login' (or 'workbench demo' to try the local "
    "one), or set CONFLUENCE_URL with CONFLUENCE_USERNAME + CONFLUENCE_API_TOKEN (or CONFLUENCE_PASSWORD), "
    "or CONFLUENCE_PERSONAL_TOKEN."
)


def client_from_env(**client_options) -> ConfluenceClient | None:
    """A client for the site named by ``CONFLUENCE_*`` variables, or None when they are not set.

    The flavour: ``CONFLUENCE_FLAVOUR`` (cloud|dc) when set; a personal access token is Data Center's;
    an ``*.atlassian.net`` site or the OAuth gateway is Cloud; anything else is asked of the server
    (``workbench.confluence.discover``: one request without credentials, one with)."""
    site = env_site()
    if site is None:
        return None
    # lazy, for start-up: workbench.confluence.client loads on first use
    from workbench.confluence.client import ConfluenceClient

    flavour = site.kind()
    site.require_credentials()
    auth: httpx.Auth
    if site.personal_token:
        auth = BearerAuth(site.personal_token)
    else:
        auth = httpx.BasicAuth(site.username, site.secret)
    url, pat = site.url, bool(site.personal_token)
    kind = flavour or _known_kind(url, pat=pat)
    if kind is None:
        # lazy, for start-up: workbench.confluence.discover loads on first use
        from workbench.confluence.discover import discover

        found = discover(url, auth)
        url, kind = found.base_url, found.kind
    return ConfluenceClient(url, auth=auth, kind=kind, **client_options)


def _known_kind(url: str, *, pat: bool) -> str | None:
    """The flavour when the URL or the credential settles it without asking: Atlassian hosts Cloud sites
    on ``*.atlassian.net`` and behind the ``api.atlassian.com/ex/confluence/…`` gateway only, and personal
    access tokens exist on Data Center only. None: ask the server."""
    if pat:
        return "dc"
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if host.endswith(".atlassian.net") or "/ex/confluence/" in parts.path:
        return "cloud"
    return None


def network_options(settings: Settings | None = None) -> dict:
    """Client options from ``[network]`` (and ``WORKBENCH_TIMEOUT``): ``timeout``, ``total_timeout``,
    ``wait_for_pause``. A value that is not a positive number is a ConfigError naming it."""
    network = (settings or load_settings()).network
    values: dict[str, object] = {"timeout": network.timeout, "total_timeout": network.total_timeout}
    env = os.environ.get("WORKBENCH_TIMEOUT", "").strip()
    if env:
        values["timeout"] = env
    checked: dict = {}
    for key, value in values.items():
        where = "WORKBENCH_TIMEOUT" if key == "timeout" and env else f"{key} under [network]"
        try:
            number = float(value) if isinstance(value, int | float | str) else -1.0
        except ValueError:
            number = -1.0
        if not number > 0 or number != number or number == float("inf"):
            raise ConfigError(f"{where} must be a number of seconds above 0, not {value!r}.")
        checked[key] = number
    checked["wait_for_pause"] = bool(network.wait_rate_limit)
    return checked


def open_client(
    profile: str | None = None, settings: Settings | None = None, **client_options
) -> ConfluenceClient:
    """The client for ``profile`` (or the environment, or the default profile). ``[network]`` settings
    apply unless ``client_options`` say otherwise."""
    settings = settings or load_settings()
    client_options = {**network_options(settings), **client_options}
    if not profile:
        env_client = client_from_env(**client_options)
        if env_client is not None:
            return env_client
    prof = settings.profile(profile)
    if prof is None:
        raise ConfigError(NO_SITE)
    # lazy, for start-up: workbench.auth.profiles loads on first use
    from workbench.auth.profiles import client_for_profile

    return client_for_profile(prof, **client_options)


class BearerAuth(httpx.Auth):
    """httpx auth flow that sends ``Authorization: Bearer <token>``; the token never appears in repr."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __repr__(self) -> str:
        return "BearerAuth(***)"

    def auth_flow(self, request):
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request
