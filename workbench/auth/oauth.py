"""OAuth 2.0 (3LO) login against Atlassian (or the local Confluence standing in for it).

The flow follows RFC 8252 (OAuth for native apps): the system browser, a loopback redirect on
``127.0.0.1``, a random ``state`` and PKCE ``S256`` (Atlassian ignores PKCE but requires the client
secret; the local server checks both). After the code exchange the sites granted are read from
``accessible-resources`` and one is chosen: by ``site_hint``, or because it is the only one, or by the
``pick_site`` callback (a prompt on the command line, a list in the TUI) — never silently the first.

``authlib`` (httpx integration) builds the authorization URL and talks to the token endpoint; it is
imported inside functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.auth.errors import LoginFailed, LoginRequired
from workbench.auth.tokens import TokenSet
from workbench.confluence.errors import NetworkError
from workbench.jira.scopes import JIRA_SCOPES, has_jira
from workbench.redact import remember
from workbench.textsafe import printable

DEFAULT_AUTH_URL = "https://auth.atlassian.com"
DEFAULT_API_URL = "https://api.atlassian.com"
DEFAULT_PORT = 8765
CALLBACK_PATH = "/callback"
AUDIENCE = "api.atlassian.com"

#: Granular scopes for the v2 API, classic ones for v1 search/labels.
CONFLUENCE_SCOPES = (
    "read:space:confluence",
    "read:page:confluence",
    "write:page:confluence",
    "delete:page:confluence",
    "read:hierarchical-content:confluence",
    "read:folder:confluence",
    "read:whiteboard:confluence",
    "read:database:confluence",
    "read:embed:confluence",
    "read:content.metadata:confluence",
    "read:comment:confluence",
    "write:comment:confluence",
    "read:label:confluence",
    "write:label:confluence",
    "read:attachment:confluence",
    "read:user:confluence",
    "search:confluence",
    "read:confluence-user",
    "read:confluence-groups",  # people: groups and members (workbench.confluence.people)
    "write:confluence-groups",  # people: membership changes, site admins only
    "read:confluence-content.summary",
    "write:confluence-content",
    "read:me",
)
#: One login covers Confluence and Jira on the chosen site (issue 17): Confluence's scopes, Jira's
#: classic scopes (``workbench.jira.scopes.JIRA_SCOPES``), and offline_access for refresh.
SCOPES = (*CONFLUENCE_SCOPES, *JIRA_SCOPES, "offline_access")
WITHOUT_JIRA = (*CONFLUENCE_SCOPES, "offline_access")


@dataclass(slots=True)
class Site:
    """One entry of ``accessible-resources``."""

    id: str
    name: str
    url: str
    scopes: list[str] = field(default_factory=list)

    def api_base(self, api_url: str) -> str:
        """The gateway base the client talks to: ``{api}/ex/confluence/{cloudId}/wiki``."""
        return f"{api_url.rstrip('/')}/ex/confluence/{self.id}/wiki"

    @property
    def wiki_url(self) -> str:
        """Where people view pages (``https://x.atlassian.net/wiki``)."""
        url = self.url.rstrip("/")
        return url if url.endswith("/wiki") else url + "/wiki"

    def label(self) -> str:
        return f"{self.name}  {self.url}  (cloud id {self.id})"

    @property
    def has_jira(self) -> bool:
        """Jira was granted on this site (accessible-resources lists it with Jira scopes)."""
        return has_jira(self.scopes)

    def jira_base(self, api_url: str) -> str:
        """Where the Jira client talks to the site through the gateway: ``{api}/ex/jira/{cloudId}``."""
        return f"{api_url.rstrip('/')}/ex/jira/{self.id}"


@dataclass(slots=True)
class OAuthApp:
    """The registered app and the endpoints to use."""

    client_id: str
    client_secret: str = field(repr=False)
    port: int = DEFAULT_PORT
    redirect_host: str = "127.0.0.1"
    auth_url: str = DEFAULT_AUTH_URL
    api_url: str = DEFAULT_API_URL
    scopes: tuple[str, ...] = SCOPES

    def __post_init__(self) -> None:
        remember(self.client_secret)

    def __repr__(self) -> str:
        return f"OAuthApp(client_id={self.client_id!r}, auth_url={self.auth_url!r}, api_url={self.api_url!r})"

    @property
    def token_url(self) -> str:
        return f"{self.auth_url.rstrip('/')}/oauth/token"

    @property
    def authorize_url(self) -> str:
        return f"{self.auth_url.rstrip('/')}/authorize"

    @property
    def revoke_url(self) -> str:
        return f"{self.auth_url.rstrip('/')}/oauth/revoke"

    @property
    def resources_url(self) -> str:
        return f"{self.api_url.rstrip('/')}/oauth/token/accessible-resources"

    def redirect_uri(self, port: int | None = None) -> str:
        return (
            f"http://{self.redirect_host}:{port if port is not None else self.port}{CALLBACK_PATH}"
        )


def oauth_client(app: OAuthApp, **kwargs):
    # lazy, for start-up: authlib.integrations.httpx_client (with anyio …) loads on first use
    from authlib.integrations.httpx_client import AsyncOAuth2Client

    return AsyncOAuth2Client(
        client_id=app.client_id,
        client_secret=app.client_secret,
        token_endpoint_auth_method="client_secret_post",
        revocation_endpoint_auth_method="client_secret_post",
        code_challenge_method="S256",
        timeout=30.0,
        trust_env=False,
        **kwargs,
    )


def _describe(exc: Exception) -> tuple[str, str]:
    """(error code, description) of an authlib/HTTP failure, without any secret."""
    error = getattr(exc, "error", "") or ""
    description = getattr(exc, "description", "") or ""
    return printable(str(error))[:100], printable(str(description))[:300]


async def exchange_code(
    app: OAuthApp, *, code: str, redirect_uri: str, code_verifier: str
) -> TokenSet:
    client = oauth_client(app, redirect_uri=redirect_uri)
    try:
        async with client:
            data = await client.fetch_token(
                app.token_url,
                grant_type="authorization_code",
                code=code,
                code_verifier=code_verifier,
                redirect_uri=redirect_uri,
            )
    except Exception as exc:  # authlib raises its own OAuthError, httpx2 its own transport errors
        raise _token_failure(exc, app, during="the code exchange") from None
    if "access_token" not in data:
        raise LoginFailed("The token endpoint answered without an access token.")
    return TokenSet.from_response(dict(data))


async def refresh_tokens(app: OAuthApp, tokens: TokenSet, *, profile: str = "") -> TokenSet:
    """One refresh-token grant. ``invalid_grant`` becomes LoginRequired (never retried)."""
    if not tokens.refresh_token:
        raise LoginRequired(
            _relogin("The stored login has no refresh token", profile), profile=profile
        )
    client = oauth_client(app)
    try:
        async with client:
            data = await client.refresh_token(app.token_url, refresh_token=tokens.refresh_token)
    except Exception as exc:
        error, _ = _describe(exc)
        if error in ("invalid_grant", "unauthorized_client", "access_denied", "invalid_client"):
            raise LoginRequired(
                _relogin(
                    "The authorization server refused the stored login (it was revoked, expired or "
                    "used elsewhere)",
                    profile,
                ),
                profile=profile,
            ) from None
        raise _token_failure(exc, app, during="refreshing the access token") from None
    return TokenSet.from_response(dict(data), previous_refresh=tokens.refresh_token)


def _relogin(reason: str, profile: str) -> str:
    target = f" --profile {profile}" if profile else ""
    return f"{reason}. Please log in again: workbench login{target}."


def _token_failure(exc: Exception, app: OAuthApp, *, during: str) -> Exception:
    error, description = _describe(exc)
    if error:
        if error == "access_denied":
            return LoginFailed(
                f"The authorization server rejected the client credentials during {during} "
                "(check --client-id and the client secret)."
            )
        text = f"{error}: {description}" if description else error
        return LoginFailed(f"The authorization server refused {during} ({text}).")
    name = type(exc).__name__
    if "Connect" in name or "Timeout" in name or "Network" in name or isinstance(exc, OSError):
        return NetworkError(
            f"Cannot reach {app.auth_url} during {during} ({name}). Check the address and network."
        )
    return LoginFailed(
        f"{during.capitalize()} failed: the server's answer could not be used ({name})."
    )


async def revoke(app: OAuthApp, tokens: TokenSet) -> bool:
    """RFC 7009 revocation of the refresh token family. False when the server offers no endpoint."""
    client = oauth_client(app)
    token = tokens.refresh_token or tokens.access_token
    hint = "refresh_token" if tokens.refresh_token else "access_token"
    try:
        async with client:
            resp = await client.revoke_token(app.revoke_url, token=token, token_type_hint=hint)
    except Exception as exc:
        raise _token_failure(exc, app, during="revoking the token") from None
    if resp.status_code in (404, 405, 501):
        return False
    if resp.status_code >= 400:
        raise LoginFailed(
            f"Revoking the token failed (HTTP {resp.status_code}); it was removed locally anyway."
        )
    return True
