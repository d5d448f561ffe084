"""A scripted 'browser' for the OAuth tests: it follows the consent page and the redirect over HTTP."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import httpx

REQUEST_FIELD = re.compile(r'name="request" value="([^"]+)"')


async def consent(authorize_url: str, *, decision: str = "accept", site: str = "*") -> httpx.Response:
    """GET the consent page, submit the form, return the authorization server's redirect (302)."""
    parts = urlsplit(authorize_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    async with httpx.AsyncClient(trust_env=False) as browser:
        page = await browser.get(authorize_url)
        assert page.status_code == 200, page.text
        match = REQUEST_FIELD.search(page.text)
        assert match, page.text
        return await browser.post(
            f"{origin}/authorize", data={"request": match.group(1), "decision": decision, "site": site}
        )


async def play(authorize_url: str, *, decision: str = "accept", site: str = "*") -> httpx.Response:
    """The whole browser part: consent, then follow the redirect to the loopback callback."""
    redirect = await consent(authorize_url, decision=decision, site=site)
    assert redirect.status_code == 302, redirect.text
    async with httpx.AsyncClient(trust_env=False) as browser:
        return await browser.get(redirect.headers["location"])
