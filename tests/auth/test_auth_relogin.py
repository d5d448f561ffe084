"""Logging in again, and the login's messages, as a newcomer meets them (in-process, real server).

- ``workbench login --profile NAME`` is what every "log in again" message tells the user to run: for
  an API-token or PAT profile it must reuse the stored site, method and email.
- Logging in again keeps the profile's agent fences (allow-list, agent profile).
- A refused token, a URL that is not a URL and a server that is not Confluence each get one plain
  message, and nothing is saved.
- ``workbench sites`` stars the site a command would use now.
"""

from __future__ import annotations

import http.server
import io
import json
import threading

import pytest

from workbench.auth import store
from workbench.cli import main
from workbench.config import load_settings, save_settings


@pytest.fixture
def server(local_confluence):
    return local_confluence("empty")


def run(capsys, monkeypatch, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def login(capsys, monkeypatch, url: str, name: str, token: str = "demo-token", *extra: str):
    return run(
        capsys,
        monkeypatch,
        "login",
        url,
        "--method",
        "api-token",
        "--username",
        "demo@example.com",
        "--profile",
        name,
        *extra,
        stdin=token + "\n",
    )


def test_login_again_with_only_the_profile_name(server, capsys, monkeypatch):
    assert login(capsys, monkeypatch, server.base_url, "work")[0] == 0
    assert run(capsys, monkeypatch, "logout", "--profile", "work")[0] == 0
    code, _, err = run(capsys, monkeypatch, "spaces", "--profile", "work")
    assert code == 4 and "workbench login --profile work" in err
    code, out, err = run(capsys, monkeypatch, "login", "--profile", "work", stdin="demo-token\n")
    assert code == 0, err
    assert (
        out.strip()
        == f"Logged in to {server.base_url} (Confluence Cloud) as Demo User; saved as profile 'work'."
    )
    assert store.load_token("work") == "demo-token"
    profile = load_settings().profiles["work"]
    assert (profile.url, profile.auth, profile.username) == (
        server.base_url,
        "api-token",
        "demo@example.com",
    )
    assert run(capsys, monkeypatch, "spaces", "--profile", "work")[0] == 0


def test_logging_in_again_keeps_the_agent_fences(server, capsys, monkeypatch):
    assert login(capsys, monkeypatch, server.base_url, "work")[0] == 0
    settings = load_settings()
    settings.profiles["work"].allow_spaces = ["ENG"]
    settings.profiles["work"].agent_profile = "read-only"
    save_settings(settings)
    assert login(capsys, monkeypatch, server.base_url, "work")[0] == 0
    profile = load_settings().profiles["work"]
    assert profile.allow_spaces == ["ENG"] and profile.agent_profile == "read-only"


def test_a_refused_token_is_one_plain_message(server, capsys, monkeypatch):
    code, out, err = login(capsys, monkeypatch, server.base_url, "work", "not-the-token")
    assert code == 4 and out == ""
    assert err.strip() == (
        f"workbench: {server.base_url} refused the login (401: Client must be authenticated to access "
        "this resource), so nothing was saved. Check the email and API token (an account password does "
        "not work here)."
    )
    assert (
        "not-the-token" not in err
        and load_settings().profiles == {}
        and store.load_token("work") is None
    )


def test_a_site_url_that_is_not_a_url(capsys, monkeypatch):
    code, _, err = run(
        capsys,
        monkeypatch,
        "login",
        "acme",
        "--method",
        "api-token",
        "--username",
        "a@b.c",
        stdin="x\n",
    )
    assert code == 2
    assert (
        err.strip()
        == "workbench: 'acme' is not a site URL; give the whole address, e.g. https://acme.atlassian.net."
    )
    code, _, err = run(capsys, monkeypatch, "login", "--method", "pat", stdin="x\n")
    assert (
        code == 2
        and "needs the site URL, e.g. workbench login https://confluence.example.com" in err
    )


class _NotConfluence(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        body = b'{"status": "ok"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_server_that_is_not_confluence_is_not_saved(capsys, monkeypatch):
    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotConfluence)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{other.server_address[1]}/wiki"
        code, out, err = login(capsys, monkeypatch, url, "other")
    finally:
        other.shutdown()
        other.server_close()
    assert code == 4 and out == ""
    assert (
        "answered, but not like Confluence" in err
        and "nothing was saved" in err
        and len(err.splitlines()) == 1
    )
    assert load_settings().profiles == {} and store.load_token("other") is None


def test_sites_stars_the_site_in_use(server, capsys, monkeypatch):
    assert login(capsys, monkeypatch, server.base_url, "work")[0] == 0
    assert login(capsys, monkeypatch, server.base_url, "spare")[0] == 0

    def starred(*argv: str) -> list[str]:
        out = run(capsys, monkeypatch, *argv)[1]
        return [line.split()[1] for line in out.splitlines() if line.startswith("*")]

    assert starred("sites") == ["work"]  # the default profile
    assert starred("--profile", "spare", "sites") == ["spare"]
    monkeypatch.setenv("CONFLUENCE_URL", server.base_url)
    monkeypatch.setenv("CONFLUENCE_USERNAME", "demo@example.com")
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", "demo-token")
    assert starred("sites") == ["(environment)"]
    rows = json.loads(run(capsys, monkeypatch, "sites", "--json")[1])
    assert [r["name"] for r in rows if r["in_use"]] == ["(environment)"]
    assert [r["name"] for r in rows if r["default"] and r["name"] != "(environment)"] == ["work"]


def test_sites_never_shows_a_password_in_confluence_url(capsys, monkeypatch):
    monkeypatch.setenv("CONFLUENCE_URL", "https://me:hunter2@acme.atlassian.net/wiki")
    monkeypatch.setenv("CONFLUENCE_USERNAME", "me@acme.com")
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", "tok-123")
    out = run(capsys, monkeypatch, "sites")[1] + run(capsys, monkeypatch, "sites", "--json")[1]
    assert (
        "https://acme.atlassian.net/wiki" in out and "hunter2" not in out and "tok-123" not in out
    )


def test_a_password_in_the_site_url_is_neither_stored_nor_shown(server, capsys, monkeypatch):
    url = server.base_url.replace("http://", "http://demo:hunter2@")
    code, out, err = login(capsys, monkeypatch, url, "work")
    assert code == 0, err
    assert "hunter2" not in out + err and "hunter2" not in load_settings().path.read_text()
    assert load_settings().profiles["work"].url == server.base_url


def test_forgetting_the_last_oauth_profile_of_an_app_removes_its_client_secret(capsys, monkeypatch):
    from workbench.auth.tokens import TokenSet
    from workbench.config import Profile, Settings

    def oauth_profile(name: str) -> Profile:
        return Profile(
            name=name,
            url=f"https://api.example.com/ex/confluence/{name}/wiki",
            auth="oauth",
            client_id="app-1",
            auth_url="https://auth.example.com",
            api_url="https://api.example.com",
        )

    save_settings(
        Settings(default_profile="a", profiles={"a": oauth_profile("a"), "b": oauth_profile("b")})
    )
    store.save_client_secret("app-1", "app-secret")
    for name in ("a", "b"):
        store.save_tokens(
            name, TokenSet(access_token=f"at-{name}", refresh_token=f"rt-{name}", expires_at=9e9)
        )
    code, out, err = run(capsys, monkeypatch, "logout", "--profile", "a", "--forget")
    assert code == 0, err
    assert (
        "client secret" not in out and store.load_client_secret("app-1") == "app-secret"
    )  # 'b' still uses it
    assert store.load_tokens("a") is None and store.load_tokens("b") is not None
    code, out, err = run(capsys, monkeypatch, "logout", "--profile", "b", "--forget")
    assert code == 0, err
    assert out.strip() == (
        "Logged out of 'b': tokens removed from the keyring; the profile was removed from the "
        "config file; the OAuth app's client secret was removed too (no other profile uses "
        "it)."
    )
    assert store.load_client_secret("app-1") is None and load_settings().profiles == {}
    assert "app-secret" not in out + err
