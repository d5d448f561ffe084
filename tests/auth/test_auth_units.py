"""Pure logic of the login layer: token sets, the keyring store, site choice, the authorization URL."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from workbench.auth import store
from workbench.auth.errors import KeyringUnavailable, LoginFailed, LoginRequired
from workbench.auth.oauth import OAuthApp, Site
from workbench.auth.oauth_login import OAuthLogin, choose_site, match_site
from workbench.auth.tokens import TokenSet
from workbench.confluence.errors import AuthError

SITES = [
    Site(id="11111111-aaaa", name="Acme Engineering", url="https://acme.atlassian.net"),
    Site(id="22222222-bbbb", name="Acme Sandbox", url="https://acme-sandbox.atlassian.net"),
]


def test_token_set_never_shows_tokens_and_round_trips():
    tokens = TokenSet(
        access_token="AT-secret-123", refresh_token="RT-secret-456", expires_at=2_000_000_000.0
    )
    assert "secret" not in repr(tokens) and "secret" not in str(tokens)
    again = TokenSet.from_json(tokens.to_json())
    assert again == tokens
    assert TokenSet.from_json("not json") is None
    assert TokenSet.from_json('{"access_token": "x", "expires_at": "soon"}') is None


def test_token_set_expiry_and_response_parsing():
    tokens = TokenSet.from_response(
        {"access_token": "a", "expires_in": 100, "scope": "s"}, previous_refresh="r", now=1000
    )
    assert (
        tokens.expires_at == 1100 and tokens.refresh_token == "r"
    )  # rotation absent: keep the old one
    assert not tokens.expires_soon(skew=60, now=1000)
    assert not tokens.expires_soon(skew=60, now=1074) and tokens.expires_soon(
        skew=60, now=1076
    )  # 100 s token: skew 25 s
    assert not TokenSet(access_token="", invalid=True).usable


def test_store_round_trip_in_the_keyring():
    store.save_tokens("work", TokenSet(access_token="a1", refresh_token="r1", expires_at=5.0))
    assert store.load_tokens("work").refresh_token == "r1"
    store.mark_tokens_invalid("work")
    assert store.load_tokens("work").usable is False
    assert store.delete_tokens("work") is True
    assert store.load_tokens("work") is None and store.delete_tokens("work") is False
    store.save_token("dc", "pat-value")
    assert store.load_token("dc") == "pat-value"
    store.save_client_secret("cid", "shh")
    assert store.load_client_secret("cid") == "shh"


def test_missing_keyring_backend_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    import keyring.core

    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    with pytest.raises(KeyringUnavailable) as err:
        store.save_token("x", "y")
    assert "PYTHON_KEYRING_BACKEND" in err.value.message and "keyring" in err.value.message
    keyring.core._keyring_backend = None  # let the next test pick its backend again


def test_login_required_is_an_auth_error():
    exc = LoginRequired("log in again", profile="p")
    assert isinstance(exc, AuthError) and exc.exit_code == 4 and exc.profile == "p"


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        ("22222222-bbbb", "Acme Sandbox"),
        ("https://acme.atlassian.net/wiki", "Acme Engineering"),
        ("https://ACME-sandbox.atlassian.net/", "Acme Sandbox"),
        ("acme engineering", "Acme Engineering"),
    ],
)
def test_match_site_by_id_url_or_name(hint, expected):
    assert match_site(SITES, hint).name == expected


def test_match_site_refuses_unknown_and_ambiguous():
    with pytest.raises(LoginFailed, match="No granted site matches"):
        match_site(SITES, "other")
    twins = [Site(id="1", name="A", url="http://same"), Site(id="2", name="B", url="http://same")]
    with pytest.raises(LoginFailed, match="Several granted sites"):
        match_site(twins, "http://same")


async def test_choose_site_never_takes_the_first_silently():
    calls = []

    def picker(sites):
        calls.append(len(sites))
        return sites[1]

    assert (await choose_site(SITES[:1], hint=None, pick_site=picker)).name == "Acme Engineering"
    assert calls == []  # one site: used without asking
    assert (await choose_site(SITES, hint=None, pick_site=picker)).name == "Acme Sandbox"
    assert calls == [2]
    with pytest.raises(LoginFailed, match="choose one with --site"):
        await choose_site(SITES, hint=None, pick_site=None)
    with pytest.raises(LoginFailed, match="no Confluence site"):
        await choose_site([], hint=None, pick_site=picker)

    async def async_picker(sites):
        return sites[0]

    assert (await choose_site(SITES, hint=None, pick_site=async_picker)).name == "Acme Engineering"
    with pytest.raises(LoginFailed, match="No site was chosen"):
        await choose_site(SITES, hint=None, pick_site=lambda sites: None)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_authorization_url_has_what_atlassian_requires(host):
    app = OAuthApp(client_id="cid", client_secret="never-in-url", redirect_host=host)
    flow = OAuthLogin(app)
    url = flow.authorization_url(8765)
    parts = urlsplit(url)
    q = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://auth.atlassian.com/authorize"
    assert (
        q["audience"] == "api.atlassian.com"
        and q["prompt"] == "consent"
        and q["response_type"] == "code"
    )
    assert q["client_id"] == "cid" and q["redirect_uri"] == f"http://{host}:8765/callback"
    assert q["state"] == flow.state and len(flow.state) >= 32
    assert q["code_challenge_method"] == "S256" and len(q["code_challenge"]) == 43
    scopes = q["scope"].split()
    assert (
        "offline_access" in scopes
        and "read:page:confluence" in scopes
        and "write:page:confluence" in scopes
    )
    assert "search:confluence" in scopes
    assert "never-in-url" not in url
    assert "never-in-url" not in repr(app)
    assert OAuthLogin(app).state != flow.state
