"""The OAuth 2.0 (3LO) loopback flow end to end against ``serve-local``, over real loopback HTTP.

The test plays the browser (consent form, redirect to the listener); the tokens land in the keyring;
API calls go through the gateway with the Bearer token; expiry, rotation, revocation and concurrency
are exercised against the local authorization server.
"""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

import httpx
import pytest

from workbench.auth import store
from workbench.auth.connect import open_client
from workbench.auth.errors import LoginFailed, LoginRequired
from workbench.auth.oauth import refresh_tokens
from workbench.auth.profiles import save_oauth_login, usable
from workbench.config import load_settings

from .browser import demo_app, login


@pytest.fixture
def server(local_confluence):
    return local_confluence("empty")


def oauth_of(server):
    return server.state.extras["oauth"]


async def logged_in(server, *, pick_index: int = 0, name: str | None = None):
    seen = []

    def pick(sites):
        seen.append([s.name for s in sites])
        return sites[pick_index]

    result, page = await login(server, pick=pick)
    assert not isinstance(result, Exception), result
    assert "Login worked" in page.text and "choose the site in Workbench" in page.text
    profile = save_oauth_login(result, demo_app(server), wanted=name)
    return result, profile, seen


async def test_full_flow_tokens_gateway_refresh_logout(server):
    oauth = oauth_of(server)
    result, profile, seen = await logged_in(server, pick_index=1)
    # several sites granted: the picker was asked, with both, and its choice was kept
    assert seen == [["Local Confluence", "Local Confluence Sandbox"]]
    assert profile.cloud_id == result.site.id == "7c9e6679-7425-40de-944b-e07fc1f90ae7"
    assert profile.url == f"{server.origin}/ex/confluence/{profile.cloud_id}/wiki"
    assert profile.auth == "oauth" and profile.site_name == "Local Confluence Sandbox"
    settings = load_settings()
    assert settings.default_profile == profile.name
    stored = store.load_tokens(profile.name)
    assert stored.access_token == result.tokens.access_token and stored.refresh_token
    assert store.load_client_secret("demo-client") == "demo-secret"
    assert (
        "demo-secret" not in settings.path.read_text()
        and stored.refresh_token not in settings.path.read_text()
    )

    async with open_client(profile.name) as client:
        me = await client.current_user()
        assert me.account_id == "557058:demo-user"
        # the access token expires at the server: a 401, one refresh, one retry
        oauth.expire_access_tokens()
        before = oauth.token_requests
        assert [s async for s in client.spaces()] == []
        assert oauth.token_requests == before + 1
    rotated = store.load_tokens(profile.name)
    assert rotated.refresh_token != stored.refresh_token  # rotation persisted in the keyring
    assert rotated.access_token != stored.access_token

    # proactive: a token about to expire is refreshed before it is used (no 401 needed)
    rotated.issued_at, rotated.expires_at = time.time() - 3595, time.time() + 5
    store.save_tokens(profile.name, rotated)
    async with open_client(profile.name) as client:
        await client.current_user()
        assert client.request_count == 1
    assert oauth.token_requests == before + 2
    assert store.load_tokens(profile.name).expires_at > time.time() + 3000

    # logout --revoke: tokens gone from the keyring, the grant dead at the server
    last = store.load_tokens(profile.name)
    from workbench.cli import main

    assert await asyncio.to_thread(main, ["logout", "--revoke"]) == 0
    assert store.load_tokens(profile.name) is None
    assert usable(load_settings().profiles[profile.name]) == (False, "not logged in")
    with pytest.raises(LoginRequired):
        await refresh_tokens(demo_app(server), last, profile=profile.name)


async def test_denied_consent_is_reported_and_nothing_is_stored(server):
    result, page = await login(server, decision="deny")
    assert isinstance(result, LoginFailed) and "denied" in result.message
    assert "Login failed" in page.text
    assert load_settings().profiles == {}


async def test_one_granted_site_is_used_without_asking(server):
    asked = []
    result, _ = await login(
        server, site="a3f1c2e4-5b6d-4e7f-8a9b-0c1d2e3f4a5b", pick=lambda s: asked.append(s)
    )
    assert result.site.name == "Local Confluence" and [s.id for s in result.sites] == [
        result.site.id
    ]
    assert asked == []
    bearer = {"Authorization": f"Bearer {result.tokens.access_token}"}
    async with httpx.AsyncClient(trust_env=False) as http:  # the gateway serves granted sites only
        granted = await http.get(
            f"{server.origin}/ex/confluence/{result.site.id}/wiki/api/v2/spaces", headers=bearer
        )
        other = await http.get(
            f"{server.origin}/ex/confluence/7c9e6679-7425-40de-944b-e07fc1f90ae7/wiki/api/v2/spaces",
            headers=bearer,
        )
    assert granted.status_code == 200 and other.status_code == 401


async def test_site_hint_chooses_without_a_prompt(server):
    result, _ = await login(server, hint="Local Confluence Sandbox")
    assert result.site.id == "7c9e6679-7425-40de-944b-e07fc1f90ae7"


async def test_localhost_redirect_host_still_listens_on_loopback(server):
    result, page = await login(
        server, app=demo_app(server, redirect_host="localhost"), hint="Local Confluence"
    )
    assert not isinstance(result, Exception) and "Login worked" in page.text


async def test_revoked_refresh_token_asks_for_a_new_login_once(server):
    oauth = oauth_of(server)
    _, profile, _ = await logged_in(server)
    oauth.revoke_all()  # e.g. the user removed the app's access, or a password change
    before = oauth.token_requests
    async with open_client(profile.name) as client:
        with pytest.raises(LoginRequired) as err:
            await client.current_user()
    assert "log in again" in err.value.message and err.value.profile == profile.name
    assert oauth.token_requests == before + 1  # one refresh attempt, no loop
    assert usable(load_settings().profiles[profile.name]) == (
        False,
        "log in again (refused by the server)",
    )
    with pytest.raises(LoginRequired):  # known invalid: refused before any network call
        open_client(profile.name)


async def test_twenty_concurrent_requests_on_an_expired_token_refresh_once(server):
    oauth = oauth_of(server)
    _, profile, _ = await logged_in(server)
    async with open_client(profile.name) as client:
        await client.current_user()
        oauth.expire_access_tokens()
        before = oauth.token_requests
        users = await asyncio.gather(*(client.current_user() for _ in range(20)))
    assert {u.account_id for u in users} == {"557058:demo-user"}
    assert oauth.token_requests == before + 1


async def test_gateway_refuses_unknown_and_expired_bearer_tokens(server):
    oauth = oauth_of(server)
    result, profile, _ = await logged_in(server)
    url = f"{profile.url}/api/v2/spaces"
    async with httpx.AsyncClient(trust_env=False) as http:
        ok = await http.get(url, headers={"Authorization": f"Bearer {result.tokens.access_token}"})
        assert ok.status_code == 200
        guessed = await http.get(url, headers={"Authorization": "Bearer " + "A" * 43})
        assert guessed.status_code == 401
        # an OAuth token works only through the gateway, not on the site URL
        direct = await http.get(
            f"{server.base_url}/api/v2/spaces",
            headers={"Authorization": f"Bearer {result.tokens.access_token}"},
        )
        assert direct.status_code == 401
        oauth.expire_access_tokens()
        expired = await http.get(
            url, headers={"Authorization": f"Bearer {result.tokens.access_token}"}
        )
        assert expired.status_code == 401


async def test_short_token_ttl_is_refreshed_before_it_expires(local_confluence, monkeypatch):
    """A token that lives less than the refresh skew (60 s) is not refreshed on every call (the skew
    is capped at a quarter of its life), and is refreshed ahead of its expiry: no 401, no retry.

    The client reads the test's clock: a busy machine cannot make the fresh token look old (with a
    real clock and a 1 s token, a slow login alone used up its first 0.75 s). The server keeps real
    time with a lifetime no delay here comes near."""
    from workbench.auth import tokens

    now = [time.time()]
    monkeypatch.setattr(tokens, "time", SimpleNamespace(time=lambda: now[0]))
    server = local_confluence("empty", token_ttl=40)  # serve-local --token-ttl 40
    oauth = oauth_of(server)
    _, profile, _ = await logged_in(server)
    async with open_client(profile.name) as client:
        before = oauth.token_requests
        await client.current_user()
        assert oauth.token_requests == before  # fresh: no refresh on every call
        now[0] += 31  # less than a quarter of its life (10 s) before expiry
        await client.current_user()
        assert oauth.token_requests == before + 1
        assert client.request_count == 2  # refreshed ahead of time: no 401 and no retry


async def test_wrong_client_secret_fails_clearly_and_saves_nothing(server):
    from workbench.auth.oauth import OAuthApp

    app = OAuthApp(
        client_id="demo-client",
        client_secret="not-the-secret",
        port=0,
        auth_url=server.origin,
        api_url=server.origin,
    )
    result, page = await login(server, app=app)
    assert isinstance(result, LoginFailed) and "client credentials" in result.message
    assert (
        "Login failed" in page.text and "client credentials" in page.text
    )  # the browser is told too
    assert "not-the-secret" not in result.message + page.text
    assert store.load_client_secret("demo-client") is None and load_settings().profiles == {}


async def test_unreachable_authorization_server_is_a_network_error(server):
    from workbench.auth.oauth import OAuthApp
    from workbench.auth.tokens import TokenSet
    from workbench.confluence.errors import NetworkError

    app = OAuthApp(
        client_id="demo-client", client_secret="demo-secret", auth_url="http://127.0.0.1:9"
    )
    with pytest.raises(NetworkError, match="Cannot reach"):
        await refresh_tokens(app, TokenSet(access_token="a", refresh_token="r"), profile="p")


async def test_a_data_dir_that_cannot_hold_the_refresh_lock_is_a_plain_error(
    server, tmp_path, monkeypatch
):
    from workbench.errors import WorkbenchError

    oauth = oauth_of(server)
    _, profile, _ = await logged_in(server)
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data directory should be")
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(blocker))
    async with open_client(profile.name) as client:
        oauth.expire_access_tokens()
        with pytest.raises(
            WorkbenchError,
            match=r"^Cannot create .*data/locks for the token refresh lock \(.*\)\. "
            r"Check that the data directory \(WORKBENCH_DATA_DIR\) is writable\.$",
        ):
            await client.current_user()


async def test_a_missing_scope_is_named_and_does_not_rotate_the_refresh_token(server):
    """The gateway answers 401 "scope does not match" for an endpoint the grant does not cover: the
    message names the scope (from the specs), other calls keep working, and no refresh is spent on it
    (each refresh rotates the refresh token: interop report D10)."""
    from dataclasses import replace

    from workbench.auth.oauth import SCOPES
    from workbench.confluence.errors import ScopeMissing

    oauth = oauth_of(server)
    app = replace(demo_app(server), scopes=tuple(s for s in SCOPES if s != "search:confluence"))
    result, _page = await login(server, pick=lambda sites: sites[0], app=app)
    profile = save_oauth_login(result, app)
    before = oauth.token_requests
    stored = store.load_tokens(profile.name)
    async with open_client(profile.name) as client:
        for _ in range(3):
            with pytest.raises(ScopeMissing) as caught:
                await client.search_page("type = page")
        assert (
            await client.current_user()
        ).account_id == "557058:demo-user"  # the login itself is fine
    assert caught.value.scopes == ("search:confluence",)
    assert (
        "it needs search:confluence" in caught.value.message
        and "scope does not match" in caught.value.message
    )
    assert oauth.token_requests == before  # no refresh, no rotation
    assert store.load_tokens(profile.name).refresh_token == stored.refresh_token
