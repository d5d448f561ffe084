"""The consent page and the callback page in a real browser (headless Chromium through DevTools).

Skipped when Chromium is not installed (``.ci/run`` installs Debian's ``chromium``).
"""

from __future__ import annotations

import asyncio

import pytest

from workbench.auth.oauth_login import OAuthLogin

from .browser import demo_app
from .cdp import Chromium, chromium_path

pytestmark = [
    pytest.mark.chromium,
    pytest.mark.skipif(chromium_path() is None, reason="chromium is not installed"),
]


def drive(url: str, profile_dir) -> dict:
    """Open the consent page, read it, click Accept, follow the redirect, read the callback page."""
    seen: dict = {}
    with Chromium(profile_dir) as browser:
        browser.call("Page.enable")
        browser.call("Runtime.enable")
        browser.load(url)
        seen["consent_title"] = browser.evaluate("document.getElementById('title').textContent")
        seen["scopes"] = browser.evaluate("document.getElementById('scopes').innerText")
        seen["radios"] = browser.evaluate(
            "[...document.querySelectorAll('input[type=radio]')].map(r => r.value)"
        )
        seen["checked"] = browser.evaluate(
            "document.querySelector('input[type=radio]:checked').value"
        )
        browser.events.clear()
        browser.evaluate(
            "document.querySelector('input[type=radio][value=\"7c9e6679-7425-40de-944b-e07fc1f90ae7\"]').click();"
            "document.getElementById('accept').click()"
        )
        browser.wait_event("Page.loadEventFired")
        seen["callback_url"] = browser.evaluate("location.href")
        seen["result"] = browser.evaluate("document.getElementById('result').textContent")
        seen["detail"] = browser.evaluate("document.body.innerText")
    return seen


async def test_consent_and_callback_pages_in_headless_chromium(local_confluence, tmp_path):
    server = local_confluence("empty")
    runs: list[asyncio.Future] = []

    def on_url(url: str) -> None:
        runs.append(asyncio.ensure_future(asyncio.to_thread(drive, url, tmp_path / "chromium")))

    flow = OAuthLogin(demo_app(server), on_url=on_url, timeout=60)
    result = await flow.run()
    seen = await runs[0]
    assert seen["consent_title"] == "Confluence Workbench (demo) wants access to your Confluence"
    assert "offline_access" in seen["scopes"] and "write:page:confluence" in seen["scopes"]
    assert seen["radios"][0] == "*" and len(seen["radios"]) == 3 and seen["checked"] == "*"
    assert (
        seen["callback_url"].startswith("http://127.0.0.1:")
        and "/callback?code=" in seen["callback_url"]
    )
    assert seen["result"] == "Login worked" and "close this tab" in seen["detail"]
    # the site chosen on the consent page is the one granted, so no picker was needed
    assert result.site.id == "7c9e6679-7425-40de-944b-e07fc1f90ae7" and len(result.sites) == 1
