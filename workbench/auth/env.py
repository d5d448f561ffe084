"""The ``CONFLUENCE_*`` environment variables, read in one place.

``CONFLUENCE_URL`` names a site without a stored profile; ``CONFLUENCE_USERNAME`` with
``CONFLUENCE_API_TOKEN`` (Cloud: account email + API token) or ``CONFLUENCE_PASSWORD`` (Data Center)
log in with Basic; ``CONFLUENCE_PERSONAL_TOKEN`` is a Data Center personal access token;
``CONFLUENCE_FLAVOUR`` (or ``CONFLUENCE_FLAVOR``) says ``cloud`` or ``dc`` instead of asking the
server. The variables take precedence over the default profile when no ``--profile`` is given
(``workbench.auth.connect.open_client``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from workbench.config import SITE_KINDS
from workbench.errors import ConfigError

URL = "CONFLUENCE_URL"
USERNAME = "CONFLUENCE_USERNAME"
API_TOKEN = "CONFLUENCE_API_TOKEN"
PASSWORD = "CONFLUENCE_PASSWORD"
PERSONAL_TOKEN = "CONFLUENCE_PERSONAL_TOKEN"
FLAVOUR = "CONFLUENCE_FLAVOUR"
FLAVOR = "CONFLUENCE_FLAVOR"
NAMES = (URL, USERNAME, API_TOKEN, PASSWORD, PERSONAL_TOKEN, FLAVOUR, FLAVOR)

MISSING_CREDENTIALS = (
    f"{URL} is set but no credentials are: set {USERNAME} and {API_TOKEN} "
    f"(Cloud: email + API token; Data Center: username + password, also as {PASSWORD}), or "
    f"{PERSONAL_TOKEN} (Data Center)."
)


@dataclass(frozen=True, slots=True)
class EnvSite:
    """The site the environment names. Secrets are left out of ``repr``."""

    url: str  # as set, trimmed, without user:password@ or a trailing slash
    username: str = ""
    secret: str = field(default="", repr=False)  # CONFLUENCE_API_TOKEN, else CONFLUENCE_PASSWORD
    personal_token: str = field(default="", repr=False)
    flavour: str = ""  # as set, lower-cased: "cloud", "dc", "" (ask the server) — or a mistake

    def kind(self) -> str:
        """``"cloud"``, ``"dc"``, or ``""`` (ask the server); a ConfigError for any other flavour."""
        if self.flavour not in ("", *SITE_KINDS):
            raise ConfigError(
                f"{FLAVOUR} is '{self.flavour}'; use {' or '.join(repr(k) for k in SITE_KINDS)} (or leave it "
                "unset to ask the server)."
            )
        return self.flavour

    @property
    def auth(self) -> str:
        """``"pat"``, ``"basic"``, or ``""`` when the credentials are missing."""
        if self.personal_token:
            return "pat"
        return "basic" if self.username and self.secret else ""

    @property
    def has_credentials(self) -> bool:
        return bool(self.auth)

    def require_credentials(self) -> None:
        """ConfigError naming the variables to set when there are no credentials."""
        if not self.has_credentials:
            raise ConfigError(MISSING_CREDENTIALS)


def env_site(environ: Mapping[str, str] | None = None) -> EnvSite | None:
    """The site ``CONFLUENCE_URL`` names, or None when it is unset or empty."""
    # lazy, for start-up: workbench.confluence.urls loads on first use
    from workbench.confluence.urls import typed_site_url

    env = os.environ if environ is None else environ

    def get(name: str) -> str:
        return env.get(name, "").strip()

    url = typed_site_url(get(URL))
    if not url:
        return None
    flavour = (get(FLAVOUR) or get(FLAVOR)).lower()
    return EnvSite(
        url=url,
        username=get(USERNAME),
        secret=get(API_TOKEN) or get(PASSWORD),
        personal_token=get(PERSONAL_TOKEN),
        flavour=flavour,
    )
