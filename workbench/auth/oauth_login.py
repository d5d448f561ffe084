"""The OAuth 2.0 (3LO) login in the browser: the authorization URL, the answer on the loopback
callback, the code exchanged for tokens, and the site chosen among those the login granted
(``accessible-resources``). The app and the token endpoint: :mod:`workbench.auth.oauth`.
"""

from __future__ import annotations

import asyncio
import inspect
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from workbench.auth.errors import LoginFailed
from workbench.auth.loopback import LoopbackListener
from workbench.auth.oauth import (
    AUDIENCE,
    CALLBACK_PATH,
    OAuthApp,
    Site,
    exchange_code,
    oauth_client,
)
from workbench.auth.tokens import TokenSet
from workbench.confluence.errors import NetworkError
from workbench.errors import WorkbenchError


@dataclass(slots=True)
class LoginResult:
    tokens: TokenSet
    site: Site
    sites: list[Site]


SitePicker = Callable[[list[Site]], "Site | Awaitable[Site]"]


async def accessible_resources(app: OAuthApp, tokens: TokenSet) -> list[Site]:
    # lazy, for start-up: httpx (with click, httpx, idna …) loads on first use
    import httpx

    try:
        async with httpx.AsyncClient(timeout=30.0, trust_env=False) as http:
            resp = await http.get(
                app.resources_url,
                headers={
                    "Authorization": f"Bearer {tokens.access_token}",
                    "Accept": "application/json",
                },
            )
    except httpx.HTTPError as exc:
        raise NetworkError(
            f"Cannot reach {app.api_url} to list your sites ({type(exc).__name__})."
        ) from None
    if resp.status_code != 200:
        raise LoginFailed(
            f"Listing the sites you granted failed (HTTP {resp.status_code} from {app.resources_url})."
        )
    try:
        raw = resp.json()
        sites: dict[str, Site] = {}
        for item in raw:
            sid = str(item["id"])
            scopes = [str(s) for s in item.get("scopes") or []]
            if sid in sites:  # the same cloud id appears once per product; merge scopes
                sites[sid].scopes.extend(s for s in scopes if s not in sites[sid].scopes)
                continue
            sites[sid] = Site(
                id=sid,
                name=str(item.get("name") or sid),
                url=str(item.get("url") or ""),
                scopes=scopes,
            )
    except (ValueError, KeyError, TypeError):
        raise LoginFailed(
            "The list of granted sites could not be read (unexpected answer)."
        ) from None
    return list(sites.values())


def match_site(sites: list[Site], hint: str) -> Site:
    """The site named by a cloud id, URL or name (case-insensitive); LoginFailed if none or several."""
    want = hint.strip().rstrip("/").lower()
    if want.endswith("/wiki"):
        want = want[: -len("/wiki")]
    for key in ("id", "url", "name"):
        found = [s for s in sites if getattr(s, key).rstrip("/").lower() == want]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise LoginFailed(
                f"Several granted sites match '{hint}'; choose by cloud id: " + _listing(sites)
            )
    raise LoginFailed(f"No granted site matches '{hint}'. Granted: " + _listing(sites))


def _listing(sites: list[Site]) -> str:
    return "; ".join(s.label() for s in sites) + "."


async def choose_site(sites: list[Site], *, hint: str | None, pick_site: SitePicker | None) -> Site:
    if not sites:
        raise LoginFailed(
            "The login worked but no Confluence site was granted. Check that the app has the Confluence "
            "API enabled and that you chose a site on the consent page."
        )
    if hint:
        return match_site(sites, hint)
    if len(sites) == 1:
        return sites[0]
    if pick_site is None:
        raise LoginFailed("Several sites were granted; choose one with --site. " + _listing(sites))
    chosen = pick_site(list(sites))
    if inspect.isawaitable(chosen):
        chosen = await chosen
    if chosen is None or chosen.id not in {s.id for s in sites}:
        raise LoginFailed("No site was chosen, so the login was not saved.")
    return chosen


class OAuthLogin:
    """One run of the loopback login. The same object serves the command line and the TUI.

    ``on_url(url)`` is told the authorization URL (print it, or show it in the TUI);
    ``open_browser(url)`` opens it (None: do not open); ``pick_site(sites)`` may be sync or async.
    """

    def __init__(
        self,
        app: OAuthApp,
        *,
        pick_site: SitePicker | None = None,
        site_hint: str | None = None,
        on_url: Callable[[str], None] | None = None,
        open_browser: Callable[[str], object] | None = None,
        timeout: float = 300.0,
    ) -> None:
        self.app = app
        self.pick_site = pick_site
        self.site_hint = site_hint
        self.on_url = on_url
        self.open_browser = open_browser
        self.timeout = timeout
        self.state = secrets.token_urlsafe(24)
        self._verifier = secrets.token_urlsafe(64)
        self.redirect_uri = ""

    def authorization_url(self, port: int) -> str:
        self.redirect_uri = self.app.redirect_uri(port)
        client = oauth_client(
            self.app, redirect_uri=self.redirect_uri, scope=" ".join(self.app.scopes)
        )
        url, _ = client.create_authorization_url(
            self.app.authorize_url,
            state=self.state,
            code_verifier=self._verifier,
            audience=AUDIENCE,
            prompt="consent",
        )
        return url

    async def run(self) -> LoginResult:
        async with LoopbackListener(
            state=self.state, port=self.app.port, path=CALLBACK_PATH
        ) as listener:
            url = self.authorization_url(listener.port)
            if self.on_url is not None:
                self.on_url(url)
            if self.open_browser is not None:
                await asyncio.get_running_loop().run_in_executor(None, self.open_browser, url)
            callback = await listener.wait(self.timeout)
            try:
                tokens = await exchange_code(
                    self.app,
                    code=callback.code,
                    redirect_uri=self.redirect_uri,
                    code_verifier=self._verifier,
                )
                sites = await accessible_resources(self.app, tokens)
                site = None
                if self.site_hint or len(sites) <= 1:
                    site = await choose_site(sites, hint=self.site_hint, pick_site=None)
            except WorkbenchError as exc:
                listener.finish(False, "Login failed", exc.message)
                raise
            if site is None:
                listener.finish(True, "Login worked", "Now choose the site in Workbench to finish.")
            else:
                listener.finish(True, "Login worked", f"Workbench can now use {site.name}.")
        if site is None:
            site = await choose_site(sites, hint=None, pick_site=self.pick_site)
        return LoginResult(tokens=tokens, site=site, sites=sites)
