"""Stored profiles → ready clients, and the profile bookkeeping the login commands need.

A profile (``workbench.config.Profile``) never holds a secret: the token or token set is in the
keyring under the profile's name (see ``workbench.auth.store``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

import httpx

from workbench.auth import store
from workbench.auth.errors import LoginRequired
from workbench.config import AUTH_METHODS, Profile, load_settings, save_settings
from workbench.confluence.urls import same_site
from workbench.errors import ConfigError

if TYPE_CHECKING:
    from workbench.config import Profile, Settings
    from workbench.confluence.client import ConfluenceClient


def oauth_app_for(profile: Profile):
    """The OAuthApp a stored OAuth profile refreshes against (client secret from the keyring)."""
    # lazy, for start-up: workbench.auth.oauth loads on first use
    from workbench.auth.oauth import DEFAULT_API_URL, DEFAULT_AUTH_URL, OAuthApp

    if not profile.client_id:
        raise LoginRequired(_again(profile, "has no OAuth client id"), profile=profile.name)
    secret = store.load_client_secret(profile.client_id)
    if not secret:
        raise LoginRequired(
            _again(profile, "has no client secret in the keyring"), profile=profile.name
        )
    return OAuthApp(
        client_id=profile.client_id,
        client_secret=secret,
        auth_url=profile.auth_url or DEFAULT_AUTH_URL,
        api_url=profile.api_url or DEFAULT_API_URL,
    )


def auth_for_profile(profile: Profile) -> httpx.Auth:
    """The httpx auth for a profile; LoginRequired when its secret is missing or known invalid."""
    if profile.auth == "oauth":
        # lazy, for start-up: workbench.auth.refresh loads on first use
        from workbench.auth.refresh import OAuthAuth

        tokens = store.load_tokens(profile.name)
        if tokens is None or not tokens.usable:
            why = (
                "needs a new login (the last refresh was refused)"
                if tokens
                else "has no OAuth login stored"
            )
            raise LoginRequired(_again(profile, why), profile=profile.name)
        return OAuthAuth(profile.name, oauth_app_for(profile))
    if profile.auth not in AUTH_METHODS:
        raise ConfigError(
            f"Profile '{profile.name}' has auth = '{profile.auth}'; use one of {', '.join(AUTH_METHODS)}."
        )
    secret = store.load_token(profile.name)
    if not secret:
        raise LoginRequired(_again(profile, "has no token in the keyring"), profile=profile.name)
    if profile.auth == "pat":
        # lazy, for start-up: workbench.auth.connect loads on first use
        from workbench.auth.connect import BearerAuth

        return BearerAuth(secret)
    if not profile.username:
        raise ConfigError(
            f"Profile '{profile.name}' uses {profile.auth} but has no username (email)."
        )
    return httpx.BasicAuth(profile.username, secret)


def client_for_profile(profile: Profile, **client_options) -> ConfluenceClient:
    """A ConfluenceClient for a stored profile (the contract used by ``connect.open_client``)."""
    # lazy, for start-up: workbench.confluence.client loads on first use
    from workbench.confluence.client import ConfluenceClient

    kind = "dc" if profile.auth == "pat" else (profile.kind or "cloud")
    # links shown to people go to the site, not to the API base (the OAuth gateway is no web address)
    client_options.setdefault("site_url", profile.site_url)
    return ConfluenceClient(
        profile.url, auth=auth_for_profile(profile), kind=kind, **client_options
    )


def usable(profile: Profile) -> tuple[bool, str]:
    """(usable?, why) for ``workbench sites``: a secret is present and not known to be revoked."""
    if profile.auth == "oauth":
        tokens = store.load_tokens(profile.name)
        if tokens is None:
            return False, "not logged in"
        if not tokens.usable:
            return False, "log in again (refused by the server)"
        if not profile.client_id or not store.load_client_secret(profile.client_id):
            return False, "client secret missing"
        return True, "yes"
    if not store.load_token(profile.name):
        return False, "no token stored"
    return True, "yes"


def _again(profile: Profile, why: str) -> str:
    return f"Profile '{profile.name}' {why}. Please log in again: workbench login --profile {profile.name}."


def stored_profile_for(
    settings: Settings | None, name: str | None = None, url: str | None = None
) -> Profile | None:
    """The stored profile for a site: by name, else the one whose ``url`` or ``site_url`` is the site
    ``url`` names (``CONFLUENCE_URL``; :func:`workbench.confluence.urls.same_site`); None otherwise."""
    if settings is None:
        return None
    if name:
        return settings.profiles.get(name)
    if url:
        for profile in settings.profiles.values():
            if same_site(profile.url, url) or (
                profile.site_url and same_site(profile.site_url, url)
            ):
                return profile
    return None


def profile_name_for(
    settings: Settings, *, url: str, cloud_id: str = "", wanted: str | None, hint: str
) -> str:
    """``wanted`` if given; else the profile already stored for this site; else a new slug of ``hint``."""
    if wanted:
        return wanted
    for name, prof in settings.profiles.items():
        if (cloud_id and prof.cloud_id == cloud_id) or (not cloud_id and same_site(prof.url, url)):
            return name
    base = re.sub(r"[^a-z0-9]+", "-", hint.lower()).strip("-") or "site"
    name, n = base, 2
    while name in settings.profiles:
        name, n = f"{base}-{n}", n + 1
    return name


def keep_fences(old: Profile | None, new: Profile) -> Profile:
    """``new`` with the agent fences (``agent_profile``, ``allow_spaces``) of the profile it replaces.

    Logging in again must not widen what the agent may do; both settings only ever narrow it.
    """
    if old is None:
        return new

    spaces = old.allow_spaces
    return replace(
        new,
        agent_profile=old.agent_profile,
        allow_spaces=spaces if isinstance(spaces, str) else list(spaces),
    )


def save_oauth_login(
    result, app, *, wanted: str | None = None, settings: Settings | None = None
) -> Profile:
    """Store a finished OAuth login: secret and tokens in the keyring, the profile in the config file.

    ``result`` is an ``oauth.LoginResult``, ``app`` the ``OAuthApp`` used. The profile is ``wanted``,
    else the one already stored for this cloud id, else a new one named after the site. It becomes the
    default profile when there is none. Used by ``workbench login`` and by the TUI.
    """
    # lazy, for start-up: workbench.auth.oauth loads on first use
    from workbench.auth.oauth import DEFAULT_API_URL, DEFAULT_AUTH_URL

    settings = settings or load_settings()
    site = result.site
    api_base = site.api_base(app.api_url)
    name = profile_name_for(settings, url=api_base, cloud_id=site.id, wanted=wanted, hint=site.name)
    store.save_client_secret(app.client_id, app.client_secret)
    store.save_tokens(name, result.tokens)
    profile = Profile(
        name=name,
        url=api_base,
        auth="oauth",
        kind="cloud",
        site_url=site.wiki_url,
        site_name=site.name,
        cloud_id=site.id,
        client_id=app.client_id,
        auth_url=app.auth_url if app.auth_url != DEFAULT_AUTH_URL else "",
        api_url=app.api_url if app.api_url != DEFAULT_API_URL else "",
    )
    return remember(settings, profile)


def remember(settings: Settings, profile: Profile) -> Profile:
    """Put a freshly logged-in ``profile`` in the config file (keeping the agent fences of the profile it
    replaces) and make it the default when there is none. Every login (CLI, TUI; OAuth, token) ends here."""
    kept = settings.profiles[profile.name] = keep_fences(
        settings.profiles.get(profile.name), profile
    )
    if not settings.default_profile or settings.default_profile not in settings.profiles:
        settings.default_profile = profile.name
    save_settings(settings)
    return kept
