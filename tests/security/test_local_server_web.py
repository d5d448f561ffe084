"""D13 and D17: the local server's web view runs no page script; its bind warning says what is true.

D13: page storage is served as live XHTML on the same origin as the OAuth consent form, so a page
holding ``<script>`` (or an ``onerror=``) ran in the browser of whoever pressed ``o``. Every web page
now carries a Content-Security-Policy that allows no script; headless Chromium confirms nothing runs.
"""

from __future__ import annotations

import base64

import httpx
import pytest

from tests.auth.cdp import Chromium, chromium_path
from workbench.commands.serve import exposure

AUTH = ("demo@example.com", "demo-token")
SCRIPTED = (
    '<p>Hello</p><script>document.title = "PWNED-BY-SCRIPT"; window.pwned = 1;</script>'
    '<img src="/nothing.png" onerror="window.pwned = 2"/>'
    '<p onclick="window.pwned = 3" id="para">click me</p>'
)


def _scripted_page(server) -> str:
    page = server.store.query_one(
        "SELECT p.id, s.key FROM pages p JOIN spaces s ON s.id = p.space_id "
        "WHERE p.title = 'Runbooks'"
    )
    server.store.update_page(page["id"], SCRIPTED)
    return f"/wiki/spaces/{page['key']}/pages/{page['id']}"


def test_every_web_page_forbids_scripts(demo_server):
    path = _scripted_page(demo_server)
    with httpx.Client(base_url=demo_server.origin, auth=AUTH, timeout=10) as web:
        for url in (path, "/wiki/spaces/ENG", "/wiki/spaces"):
            answer = web.get(url)
            assert answer.status_code == 200
            policy = answer.headers["content-security-policy"]
            assert (
                "default-src 'none'" in policy and "script-src" not in policy
            )  # so: no script at all
            assert "form-action 'none'" in policy and "frame-ancestors 'none'" in policy
            assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.mark.chromium
@pytest.mark.skipif(chromium_path() is None, reason="chromium is not installed")
def test_a_page_script_does_not_run_in_a_real_browser(demo_server, tmp_path):
    path = _scripted_page(demo_server)
    basic = base64.b64encode(f"{AUTH[0]}:{AUTH[1]}".encode()).decode()
    with Chromium(tmp_path / "chromium") as browser:
        browser.call("Page.enable")
        browser.call("Runtime.enable")
        browser.call("Network.enable")
        browser.call("Network.setExtraHTTPHeaders", headers={"Authorization": f"Basic {basic}"})
        browser.load(demo_server.origin + path)
        assert (
            browser.evaluate("document.querySelector('h1').textContent") == "Runbooks"
        )  # the page is shown
        browser.evaluate("document.getElementById('para').click()")
        assert browser.evaluate("document.title") == "Runbooks · Local Confluence"
        assert (
            browser.evaluate("typeof window.pwned") == "undefined"
        )  # neither <script>, onerror nor onclick ran


@pytest.mark.parametrize(
    ("host", "warned"),
    [
        ("127.0.0.1", None),
        ("localhost", None),
        ("::1", None),
        ("[::1]", None),
        ("127.0.0.2", None),
        ("127.1", None),
        ("", "every interface (--host '')"),
        ("0.0.0.0", "every interface (0.0.0.0)"),
        ("::", "every interface (::)"),
        ("10.1.2.3", "10.1.2.3"),
    ],
)
def test_the_bind_warning_names_what_is_exposed(host, warned):
    assert exposure(host) == warned
