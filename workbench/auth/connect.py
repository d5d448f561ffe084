"""Turn settings (a stored profile, or the ``CONFLUENCE_*`` environment) into a ready client.

Precedence: an explicit ``--profile``; else the ``CONFLUENCE_URL`` environment variables; else the
default profile. Secrets are read from the keyring (never from the config file).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import httpx

from workbench.errors import ConfigError

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient
    from workbench.config import Settings

NO_SITE = (
    "No Confluence site is configured. Run 'workbench login' (or 'workbench demo' to try the local "
    "one), or set CONFLUENCE_URL with CONFLUENCE_USERNAME + CONFLUENCE_API_TOKEN, or "
    "CONFLUENCE_PERSONAL_TOKEN."
)


def client_from_env(**client_options) -> ConfluenceClient | None:
    """A client for the site named by ``CONFLUENCE_*`` variables, or None when they are not set."""
    url = os.environ.get("CONFLUENCE_URL", "").strip()
    if not url:
        return None
    from workbench.confluence.client import ConfluenceClient

    pat = os.environ.get("CONFLUENCE_PERSONAL_TOKEN", "").strip()
    user = os.environ.get("CONFLUENCE_USERNAME", "").strip()
    token = os.environ.get("CONFLUENCE_API_TOKEN", "").strip()
    if pat:
        return ConfluenceClient(url, auth=BearerAuth(pat), kind="dc", **client_options)
    if user and token:
        return ConfluenceClient(url, auth=httpx.BasicAuth(user, token), kind=_kind_of(url), **client_options)
    raise ConfigError(
        "CONFLUENCE_URL is set but no credentials are: set CONFLUENCE_USERNAME and "
        "CONFLUENCE_API_TOKEN (Cloud), or CONFLUENCE_PERSONAL_TOKEN (Data Center)."
    )


def open_client(profile: str | None = None, settings: Settings | None = None, **client_options) -> ConfluenceClient:
    """The client for ``profile`` (or the environment, or the default profile)."""
    from workbench.config import load_settings

    if not profile:
        env_client = client_from_env(**client_options)
        if env_client is not None:
            return env_client
    settings = settings or load_settings()
    prof = settings.profile(profile)
    if prof is None:
        raise ConfigError(NO_SITE)
    from workbench.auth.profiles import client_for_profile

    return client_for_profile(prof, **client_options)


def _kind_of(url: str) -> str:
    return "cloud" if (".atlassian.net" in url or "/ex/confluence/" in url or "/wiki" in url) else "dc"


class BearerAuth(httpx.Auth):
    """httpx auth flow that sends ``Authorization: Bearer <token>``; the token never appears in repr."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __repr__(self) -> str:
        return "BearerAuth(***)"

    def auth_flow(self, request):
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request
