"""``workbench login`` and ``workbench logout``: a site's login (OAuth in the browser, an API token,
a PAT, a password) into the keyring, and out of it again.

Nothing here ever prints a token: the OAuth tokens, API tokens, PATs and the client secret go from
the prompt (or the token endpoint) straight into the keyring.
"""

from __future__ import annotations

import os
import sys
from urllib.parse import urlsplit

from workbench.config import load_settings, save_settings
from workbench.errors import ConfigError, UsageError
from workbench.textsafe import printable


# -- login ------------------------------------------------------------------------------------
def run_login(args) -> int:
    # lazy, for start-up: workbench.auth.store loads on first use
    from workbench.auth.store import check_keyring

    check_keyring()  # fail before asking for anything
    _defaults_from_profile(args)
    method = args.method or ("oauth" if not args.site_url else "")
    if method == "oauth":
        return _login_oauth(args)
    return _login_token(args, method)


def _defaults_from_profile(args) -> None:
    """``workbench login --profile NAME`` of a stored token profile logs in again to the same site.

    Its method, URL and email fill in what the command line leaves out (OAuth profiles already
    reuse their client id and servers in ``_login_oauth``).
    """
    wanted = getattr(args, "profile", None)
    if not wanted:
        return

    existing = load_settings().profiles.get(wanted)
    if existing is None or existing.auth not in ("api-token", "basic", "pat"):
        return
    if args.method is None and (
        args.site_url is None or args.site_url.rstrip("/") == existing.url.rstrip("/")
    ):
        args.method = existing.auth
    if args.site_url is None and args.method in ("api-token", "basic", "pat"):
        args.site_url = existing.url
    if args.username is None and existing.username:
        args.username = existing.username
    if getattr(args, "flavour", None) is None and existing.kind in ("cloud", "dc"):
        args.flavour = existing.kind


def _login_oauth(args) -> int:
    # lazy, for start-up: asyncio, webbrowser, workbench.auth.oauth … loads on first use
    import asyncio
    import webbrowser

    from workbench.auth import store
    from workbench.auth.oauth import (
        DEFAULT_API_URL,
        DEFAULT_AUTH_URL,
        SCOPES,
        WITHOUT_JIRA,
        OAuthApp,
    )
    from workbench.auth.oauth_login import OAuthLogin
    from workbench.auth.profiles import save_oauth_login

    settings = load_settings()
    wanted = getattr(args, "profile", None)
    existing = settings.profiles.get(wanted) if wanted else None
    client_id = (
        args.client_id
        or os.environ.get("WORKBENCH_OAUTH_CLIENT_ID", "").strip()
        or (existing.client_id if existing else "")
    )
    if not client_id:
        raise UsageError(
            "--client-id is required for OAuth: the Client ID of your OAuth 2.0 (3LO) app "
            "(developer.atlassian.com/console/myapps → your app → Settings). Without an app, log in "
            "with an API token: workbench login https://SITE.atlassian.net/wiki --username EMAIL."
        )
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535, not {args.port}.")
    if not args.timeout > 0:
        raise UsageError(f"--timeout is in seconds and must be more than 0, not {args.timeout:g}.")
    secret = os.environ.get(
        "WORKBENCH_OAUTH_CLIENT_SECRET", ""
    ).strip() or store.load_client_secret(client_id)
    if not secret:
        secret = _hidden("Client secret of the OAuth app (input hidden): ", "client secret")
    auth_url = args.auth_url or (
        existing.auth_url if existing and existing.auth_url else DEFAULT_AUTH_URL
    )
    api_url = args.api_url or (
        existing.api_url if existing and existing.api_url else DEFAULT_API_URL
    )
    for flag, url in (("--auth-url", auth_url), ("--api-url", api_url)):
        _require_safe_url(flag, url)
    app = OAuthApp(
        client_id=client_id,
        client_secret=secret,
        port=args.port,
        redirect_host=args.redirect_host,
        auth_url=auth_url,
        api_url=api_url,
        scopes=WITHOUT_JIRA if getattr(args, "no_jira", False) else SCOPES,
    )

    def on_url(url: str) -> None:
        if args.no_browser:
            print("Open this URL in your browser to log in:", flush=True)
        else:
            print("Opening your browser to log in. If it does not open, visit:", flush=True)
        print(f"  {url}", flush=True)

    flow = OAuthLogin(
        app,
        pick_site=_prompt_site,
        site_hint=args.site or args.site_url,
        on_url=on_url,
        open_browser=None if args.no_browser else webbrowser.open,
        timeout=args.timeout,
    )
    result = asyncio.run(flow.run())
    profile = save_oauth_login(result, app, wanted=wanted, settings=settings)
    site = result.site
    print(
        f"Logged in to {printable(site.name)} ({printable(site.url)}, cloud id {printable(site.id)}) "
        f"as profile '{printable(profile.name)}'."
    )
    if site.has_jira:
        print("Jira on this site is granted too ('workbench jira search JQL').")
    elif not getattr(args, "no_jira", False):
        print(
            "Jira was not granted on this site (no Jira scopes in the grant): 'workbench jira' will not "
            "work with this login."
        )
    return 0


def _require_safe_url(flag: str, url: str) -> None:
    """HTTPS, or plain HTTP to this machine only (the local Confluence): secrets travel on it."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        raise UsageError(f"{flag} '{url}' is not a URL.") from None
    if parts.scheme == "https" and host:
        return
    if parts.scheme == "http" and host in ("127.0.0.1", "::1", "localhost"):
        return
    raise UsageError(
        f"{flag} must be an https:// URL (plain http only to 127.0.0.1 or localhost), not '{url}'."
    )


def _prompt_site(sites):
    print("You granted access to several sites. Which one should this profile use?", flush=True)
    for i, site in enumerate(sites, 1):
        print(f"  {i}. {printable(site.label())}", flush=True)
    for _ in range(3):
        try:
            answer = input(f"Site [1-{len(sites)}]: ").strip()
        except EOFError:
            break
        if answer.isdigit() and 1 <= int(answer) <= len(sites):
            return sites[int(answer) - 1]
        print(f"Please type a number from 1 to {len(sites)}.", flush=True)
    raise UsageError(
        "No site was chosen, so nothing was saved. Choose one with --site (cloud id, URL or name)."
    )


def _hidden(prompt: str, what: str) -> str:
    """A secret from a hidden prompt, or from one line of stdin when it is not a terminal."""
    if sys.stdin is not None and sys.stdin.isatty():
        # lazy, for start-up: getpass loads on first use
        import getpass

        value = getpass.getpass(prompt)
    else:
        value = sys.stdin.readline() if sys.stdin is not None else ""
    value = value.strip()
    if not value:
        raise UsageError(f"No {what} was given, so nothing was saved.")
    return value


def _login_token(args, method: str) -> int:
    """API token, password or personal access token. ``method`` is "" when the command line did not say:
    a username means Basic (an API token on Cloud, a password on Data Center), none a PAT."""
    # lazy, for start-up: workbench.auth.env, workbench.auth.token_login … loads on first use
    from workbench.auth import env
    from workbench.auth.token_login import save_token_login
    from workbench.confluence.urls import typed_site_url

    # a user:password@ part is never stored or shown
    url = typed_site_url(args.site_url or os.environ.get(env.URL, ""))
    example = (
        "https://acme.atlassian.net" if method == "api-token" else "https://confluence.example.com"
    )
    if not url:
        raise UsageError(
            f"--method {method or 'api-token|basic|pat'} needs the site URL, e.g. "
            f"workbench login {example}."
        )
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"'{url}' is not a site URL; give the whole address, e.g. {example}.")
    interactive = sys.stdin is not None and sys.stdin.isatty()
    username = ""
    if method != "pat":
        username = (args.username or os.environ.get(env.USERNAME, "")).strip()
        if not username and interactive:
            ask = {"api-token": "Atlassian account email: ", "basic": "Username: "}.get(
                method,
                "Username, or the account email on Cloud (leave empty to use a personal access token): ",
            )
            username = input(ask).strip()
        if not username and method in ("api-token", "basic"):
            what = "the account email" if method == "api-token" else "the username"
            raise UsageError(f"--method {method} needs {what}: pass --username.")
    if username:
        label = {"api-token": "API token", "basic": "Password"}.get(
            method, "API token (Cloud) or password"
        )
        secret = _hidden(f"{label} (input hidden): ", label.lower())
    else:
        secret = _hidden("Personal access token (input hidden): ", "personal access token")
    name, user = save_token_login(
        url,
        username=username,
        secret=secret,
        wanted=getattr(args, "profile", None),
        flavour=getattr(args, "flavour", None),
        method=method,
    )

    saved = load_settings().profiles[name]
    who = f" as {printable(user)}" if user else ""
    product = "Confluence Cloud" if saved.kind == "cloud" else "Confluence Data Center"
    print(
        f"Logged in to {printable(saved.url)} ({product}){who}; saved as profile '{printable(name)}'."
    )
    return 0


# -- logout -----------------------------------------------------------------------------------
def run_logout(args) -> int:
    # lazy, for start-up: asyncio, workbench.auth.connect, workbench.auth.store loads on first use
    import asyncio

    from workbench.auth import store
    from workbench.auth.connect import NO_SITE

    settings = load_settings()
    profile = settings.profile(getattr(args, "profile", None))
    if profile is None:
        raise ConfigError(
            NO_SITE
            if not settings.profiles
            else "Several profiles are stored and none is the default; name one with --profile."
        )
    notes: list[str] = []
    if profile.auth == "oauth":
        tokens = store.load_tokens(profile.name)
        removed = store.delete_tokens(profile.name)
        if args.revoke and tokens is not None and tokens.usable:
            # lazy, for start-up: workbench.auth.oauth, workbench.auth.profiles loads on first use
            from workbench.auth.oauth import revoke
            from workbench.auth.profiles import oauth_app_for

            done = asyncio.run(revoke(oauth_app_for(profile), tokens))
            notes.append(
                "the grant was revoked at the authorization server"
                if done
                else "the server offers no revocation endpoint; remove the app's access at "
                "https://id.atlassian.com/manage-profile/apps"
            )
    else:
        removed = store.delete_token(profile.name)
        if args.revoke:
            notes.append(
                "API tokens and PATs are revoked where they were created (id.atlassian.com or "
                "your Data Center profile)"
            )
    if args.forget:
        del settings.profiles[profile.name]
        if settings.default_profile == profile.name:
            settings.default_profile = next(iter(settings.profiles), "")
        save_settings(settings)
        notes.append("the profile was removed from the config file")
        client_id = profile.client_id if profile.auth == "oauth" else ""
        if (
            client_id
            and not any(p.client_id == client_id for p in settings.profiles.values())
            and store.delete_client_secret(client_id)
        ):
            notes.append("the OAuth app's client secret was removed too (no other profile uses it)")
    what = "tokens removed from the keyring" if removed else "no tokens were stored"
    print(
        f"Logged out of '{printable(profile.name)}': {what}"
        + "".join(f"; {n}" for n in notes)
        + "."
    )
    return 0
