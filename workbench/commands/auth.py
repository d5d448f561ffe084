"""``workbench login``, ``workbench logout`` and ``workbench sites``: their arguments here, their
work in :mod:`~workbench.commands.login` and :mod:`~workbench.commands.sites`.

Nothing here ever prints a token: the OAuth tokens, API tokens, PATs and the client secret go from
the prompt (or the token endpoint) straight into the keyring.
"""

from __future__ import annotations

import argparse

from workbench.commands.login import run_login, run_logout
from workbench.commands.sites import run_sites
from workbench.config import AUTH_METHODS as METHODS


def register(sub) -> None:
    login = sub.add_parser(
        "login",
        help="log in to a Confluence site (OAuth 2.0, API token or PAT) and store it as a profile",
        description=(
            "Log in and save a profile. OAuth 2.0 (3LO) opens the browser and receives the answer on "
            "http://127.0.0.1:PORT/callback. With a SITE_URL the server is asked whether it is Cloud or "
            "Data Center and where its API lives (any context path); API tokens (Cloud), passwords and "
            "personal access tokens (Data Center) are read from a hidden prompt, or from stdin when it is "
            "not a terminal. Secrets are kept only in the OS keyring."
        ),
    )
    login.add_argument(
        "site_url",
        nargs="?",
        metavar="SITE_URL",
        help="site URL (e.g. https://acme.atlassian.net or https://confluence.example.com/confluence); "
        "with --method oauth it chooses among the granted sites like --site",
    )
    login.add_argument(
        "--method",
        choices=METHODS,
        help="oauth (default without SITE_URL); with a SITE_URL: api-token (Cloud: email + API "
        "token), basic (Data Center: username + password) or pat (Data Center personal access "
        "token). Default: a username (--username or a prompt) means api-token/basic as the "
        "site turns out to be, none means pat",
    )
    login.add_argument(
        "--flavour",
        "--flavor",
        choices=("cloud", "dc"),
        help="say whether the site is Cloud or Data Center instead of asking the server",
    )
    login.add_argument(
        "--profile", default=argparse.SUPPRESS, metavar="NAME", help="name of the profile to save"
    )
    oauth = login.add_argument_group("OAuth 2.0 (3LO)")
    oauth.add_argument(
        "--client-id",
        help="Client ID of your OAuth 2.0 (3LO) app (or WORKBENCH_OAUTH_CLIENT_ID); "
        "the secret comes from WORKBENCH_OAUTH_CLIENT_SECRET or a hidden prompt",
    )
    oauth.add_argument(
        "--port", type=int, default=8765, help="registered callback port (default 8765)"
    )
    oauth.add_argument(
        "--redirect-host",
        choices=("127.0.0.1", "localhost"),
        default="127.0.0.1",
        help="host in the registered callback URL; the listener binds 127.0.0.1 either way",
    )
    oauth.add_argument(
        "--auth-url", default=None, help="authorization server (default https://auth.atlassian.com)"
    )
    oauth.add_argument(
        "--api-url", default=None, help="API gateway (default https://api.atlassian.com)"
    )
    oauth.add_argument(
        "--no-browser",
        action="store_true",
        help="print the authorization URL instead of opening it",
    )
    oauth.add_argument(
        "--site", help="choose the site by cloud id, URL or name instead of a prompt"
    )
    oauth.add_argument(
        "--no-jira",
        action="store_true",
        help="ask for Confluence's scopes only (for an OAuth app without the Jira API); by default "
        "the login also asks for read:jira-work, write:jira-work and read:jira-user",
    )
    oauth.add_argument(
        "--timeout", type=float, default=300.0, help="seconds to wait for the browser (default 300)"
    )
    token = login.add_argument_group("API token / password / PAT")
    token.add_argument(
        "--username",
        "--email",
        dest="username",
        help="Cloud: the Atlassian account email (api-token); Data Center: the username (basic)",
    )
    login.set_defaults(handler=run_login)

    logout = sub.add_parser(
        "logout",
        help="remove a profile's tokens from the keyring",
        description="Remove the profile's tokens from the keyring (the profile stays "
        "listed unless --forget).",
    )
    logout.add_argument(
        "--profile", default=argparse.SUPPRESS, metavar="NAME", help="profile to log out"
    )
    logout.add_argument(
        "--revoke",
        action="store_true",
        help="also revoke the OAuth grant where the server supports it",
    )
    logout.add_argument(
        "--forget", action="store_true", help="also remove the profile from the config file"
    )
    logout.set_defaults(handler=run_logout)

    sites = sub.add_parser(
        "sites",
        help="list stored profiles, their auth method and whether they are usable",
        description="List the stored profiles (sites), how each logs in and whether it is "
        "usable now. '*' marks the site commands use when no --profile is "
        "given: the CONFLUENCE_* environment variables when set, else the "
        "default profile.",
    )
    sites.add_argument("--json", action="store_true", help="machine-readable output")
    sites.set_defaults(handler=run_sites)
