"""A scripted 'browser' for the OAuth tests: it follows the consent page and the redirect over HTTP."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import httpx

REQUEST_FIELD = re.compile(r'name="request" value="([^"]+)"')


async def consent(
    authorize_url: str, *, decision: str = "accept", site: str = "*"
) -> httpx.Response:
    """GET the consent page, submit the form, return the authorization server's redirect (302)."""
    parts = urlsplit(authorize_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    async with httpx.AsyncClient(trust_env=False) as browser:
        page = await browser.get(authorize_url)
        assert page.status_code == 200, page.text
        match = REQUEST_FIELD.search(page.text)
        assert match, page.text
        return await browser.post(
            f"{origin}/authorize",
            data={"request": match.group(1), "decision": decision, "site": site},
        )


async def play(authorize_url: str, *, decision: str = "accept", site: str = "*") -> httpx.Response:
    """The whole browser part: consent, then follow the redirect to the loopback callback."""
    redirect = await consent(authorize_url, decision=decision, site=site)
    assert redirect.status_code == 302, redirect.text
    async with httpx.AsyncClient(trust_env=False) as browser:
        return await browser.get(redirect.headers["location"])


def demo_app(server, *, port: int = 0, redirect_host: str = "127.0.0.1"):
    """The demo OAuth client pointed at a running local Confluence."""
    from workbench.auth.oauth import OAuthApp

    return OAuthApp(
        client_id="demo-client",
        client_secret="demo-secret",
        port=port,
        redirect_host=redirect_host,
        auth_url=server.origin,
        api_url=server.origin,
    )


async def login(
    server, *, site: str = "*", decision: str = "accept", pick=None, hint=None, app=None
):
    """Run the real OAuthLogin with this scripted browser; returns (result or exception, callback page)."""
    import asyncio

    from workbench.auth.oauth_login import OAuthLogin

    pages: list[asyncio.Task] = []

    def on_url(url: str) -> None:
        pages.append(
            asyncio.get_running_loop().create_task(play(url, decision=decision, site=site))
        )

    flow = OAuthLogin(
        app or demo_app(server), on_url=on_url, pick_site=pick, site_hint=hint, timeout=15
    )
    try:
        result = await flow.run()
    except Exception as exc:  # handed back so tests can assert on it together with the page
        result = exc
    return result, await pages[0]
