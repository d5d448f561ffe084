"""The Jira client for a login: the same profile, keyring secret and environment as Confluence's.

One login covers both products on a site (issue 17): an API token (Basic, Cloud), a personal access
token (Data Center) and OAuth (the gateway's ``/ex/jira/{cloudId}``) are sent to Jira exactly as to
Confluence. Where Jira lives is worked out from the Confluence address
(:func:`workbench.jira.client.jira_root`); ``JIRA_URL`` names another address (a Data Center Jira on
its own host).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import httpx

from workbench.auth.env import env_site
from workbench.config import load_settings
from workbench.errors import ConfigError

if TYPE_CHECKING:
    from workbench.config import Settings
    from workbench.jira.client import JiraClient


def jira_url_for(confluence_url: str, settings: Settings | None = None) -> str:
    """Jira's own address for the site at ``confluence_url``: ``JIRA_URL``, else the ``jira_url`` of
    the stored profile of that site, else "" (Jira beside Confluence). A wrong value: ConfigError."""
    # lazy, for start-up: the config checks and profile lookup load on first use
    from workbench.auth.profiles import stored_profile_for
    from workbench.config import check_jira_url

    env = os.environ.get("JIRA_URL", "").strip()
    if env:
        return check_jira_url(env, "The JIRA_URL environment variable")
    try:
        site = stored_profile_for(settings or load_settings(), None, confluence_url)
    except ConfigError:
        return ""
    return site.jira_url if site is not None else ""


def open_jira(
    profile: str | None = None, settings: Settings | None = None, **client_options: Any
) -> JiraClient:
    """The Jira client for ``profile`` (or the ``CONFLUENCE_*`` environment, or the default profile),
    with the ``[network]`` settings unless ``client_options`` say otherwise."""
    # lazy, for start-up: the clients load on first use
    from workbench.auth.connect import NO_SITE, BearerAuth, _known_kind, network_options
    from workbench.jira.client import JiraClient, jira_root

    settings = settings or load_settings()
    client_options = {**network_options(settings), **client_options}
    jira_url = os.environ.get("JIRA_URL", "").strip()
    if jira_url:
        # lazy, for start-up: workbench.config's checks load on first use
        from workbench.config import check_jira_url

        jira_url = check_jira_url(jira_url, "The JIRA_URL environment variable")
    site = env_site() if not profile else None
    if site is not None:
        site.require_credentials()
        auth: httpx.Auth = (
            BearerAuth(site.personal_token)
            if site.personal_token
            else httpx.BasicAuth(site.username, site.secret)
        )
        url = site.url
        kind = site.kind() or _known_kind(url, pat=bool(site.personal_token))
        if kind is None:  # ask the server, as the Confluence client does for this environment
            # lazy, for start-up: workbench.confluence.discover loads on first use
            from workbench.confluence.discover import discover

            found = discover(url, auth)
            url, kind = found.base_url, found.kind
        return JiraClient(jira_root(url, kind, jira_url), auth=auth, kind=kind, **client_options)
    prof = settings.profile(profile)
    if prof is None:
        raise ConfigError(NO_SITE)
    # lazy, for start-up: workbench.auth.profiles loads on first use
    from workbench.auth.profiles import auth_for_profile

    kind = "dc" if prof.auth == "pat" else (prof.kind or "cloud")
    return JiraClient(
        jira_root(prof.url, kind, jira_url or prof.jira_url),
        auth=auth_for_profile(prof),
        kind=kind,
        **client_options,
    )
