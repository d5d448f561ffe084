"""``workbench login/logout/sites`` as a person runs them: real subprocesses against ``serve-local``.

Includes the secrets check: every file the app wrote and every line it printed is searched for the
issued tokens and the client secret.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.auth import store
from workbench.auth.connect import open_client
from workbench.config import load_settings

from .browser import play

SANDBOX = "7c9e6679-7425-40de-944b-e07fc1f90ae7"


@pytest.fixture
def server(local_confluence):
    return local_confluence("empty")


def workbench(*args: str, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


async def cli_oauth_login(
    server,
    *extra: str,
    choose: str | None = "2",
    client: tuple[str, ...] = ("--client-id", "demo-client"),
) -> tuple[int, str, str]:
    """Run ``workbench login --method oauth`` and play the browser and the person at the prompt."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "workbench",
        "login",
        "--method",
        "oauth",
        *client,
        "--auth-url",
        server.origin,
        "--api-url",
        server.origin,
        "--port",
        "0",
        "--no-browser",
        "--timeout",
        "30",
        *extra,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={
            **os.environ,
            "WORKBENCH_OAUTH_CLIENT_SECRET": "demo-secret",
            "WORKBENCH_OAUTH_CLIENT_ID": "demo-client",
        },
    )
    out: list[str] = []
    try:
        while True:
            line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
            assert line, (
                "login exited before printing the URL: " + (await proc.stderr.read()).decode()
            )
            out.append(line)
            if line.startswith("  http"):
                page = await play(line.strip())
                assert "Login worked" in page.text
                break
        if choose is not None:
            while True:
                line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
                assert line, "no site prompt"
                out.append(line)
                if line.startswith("  2."):
                    proc.stdin.write(f"{choose}\n".encode())
                    await proc.stdin.drain()
                    break
        rest, err = await asyncio.wait_for(proc.communicate(), 30)
    finally:
        if proc.returncode is None:
            proc.kill()
    return proc.returncode, "".join(out) + rest.decode(), err.decode()


async def test_cli_oauth_login_with_picker_then_use_and_no_secret_anywhere(server, isolated_home):
    oauth = server.state.extras["oauth"]
    code, out, err = await cli_oauth_login(server)
    assert code == 0, err
    assert (
        "Which one should this profile use?" in out
        and "Local Confluence Sandbox" in out
        and SANDBOX in out
    )
    assert "as profile 'local-confluence-sandbox'" in out
    profile = load_settings().profiles["local-confluence-sandbox"]
    assert (
        profile.cloud_id == SANDBOX
        and profile.auth == "oauth"
        and profile.auth_url == server.origin
    )

    async with open_client() as client:  # the default profile, through the gateway
        assert (await client.current_user()).account_id == "557058:demo-user"
        oauth.expire_access_tokens()
        await client.current_user()  # 401 → refresh → retry
    sites = workbench("sites")
    assert (
        sites.returncode == 0
        and "local-confluence-sandbox" in sites.stdout
        and "yes" in sites.stdout
    )
    # links shown to a person name the site, not the API gateway the profile talks to (interop D7)
    space = server.store.create_space("ENG", "Engineering", author="557058:demo-user")
    server.store.create_page(space["id"], "Runbook", "<p>steps</p>", author="557058:demo-user")
    found = json.loads(workbench("search", "type = page", "--limit", "2", "--json").stdout)
    assert found["results"] and all(
        r["url"].startswith(profile.site_url + "/spaces/") for r in found["results"]
    )
    assert "/ex/confluence/" in profile.url and "/ex/confluence/" not in profile.site_url
    listing = json.loads(workbench("sites", "--json").stdout)
    assert listing[0]["usable"] is True and listing[0]["auth"] == "oauth"

    issued = set(oauth._access) | set(oauth._refresh) | {"demo-secret"}
    assert len(issued) >= 5
    printed = out + err + sites.stdout + sites.stderr
    written = [
        p for p in Path(isolated_home).rglob("*") if p.is_file() and "python_keyring" not in p.parts
    ]
    assert any(p.name == "config.toml" for p in written)
    for secret in issued:
        assert secret not in printed
        for path in written:
            assert secret.encode() not in path.read_bytes(), f"a secret leaked into {path}"
    # the keyring (here the test backend's file) is the only place that holds them
    assert store.load_tokens("local-confluence-sandbox").refresh_token in oauth._refresh


async def test_cli_login_with_site_option_needs_no_prompt(server):
    code, out, err = await cli_oauth_login(
        server, "--site", SANDBOX, "--profile", "sb", choose=None
    )
    assert code == 0, err
    assert "Which one" not in out and "as profile 'sb'" in out
    # the client id from WORKBENCH_OAUTH_CLIENT_ID, the site from the positional SITE_URL (by name)
    code, out, err = await cli_oauth_login(server, "Local Confluence", choose=None, client=())
    assert code == 0, err
    assert "Logged in to Local Confluence (" in out and "Which one" not in out


async def test_cli_login_without_a_site_choice_saves_nothing(server):
    code, out, err = await cli_oauth_login(server, choose="nonsense\n\n\n")
    assert code == 2 and "No site was chosen" in err and "Traceback" not in err
    assert load_settings().profiles == {}


def test_login_without_client_id_or_keyring_is_a_clear_error(monkeypatch):
    missing = workbench("login", "--method", "oauth", "--no-browser")
    assert missing.returncode == 2 and "--client-id is required" in missing.stderr
    plain = workbench(
        "login",
        "--client-id",
        "x",
        "--auth-url",
        "http://auth.example.com",
        env={"WORKBENCH_OAUTH_CLIENT_SECRET": "s"},
    )
    assert plain.returncode == 2 and "must be an https:// URL" in plain.stderr
    no_keyring = workbench(
        "login",
        "--method",
        "oauth",
        "--client-id",
        "x",
        env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
    )
    assert no_keyring.returncode == 2 and "No OS keyring is available" in no_keyring.stderr
    assert "Traceback" not in no_keyring.stderr


def test_api_token_login_is_verified_before_it_is_saved(server):
    url = server.base_url
    bad = workbench(
        "login", url, "--method", "api-token", "--username", "demo@example.com", stdin="wrong\n"
    )
    assert (
        bad.returncode == 4
        and "refused the login" in bad.stderr
        and "nothing was saved" in bad.stderr
    )
    assert "wrong" not in bad.stderr and load_settings().profiles == {}
    good = workbench(
        "login",
        url,
        "--method",
        "api-token",
        "--username",
        "demo@example.com",
        "--profile",
        "local",
        stdin="demo-token\n",
    )
    assert good.returncode == 0, good.stderr
    assert "demo-token" not in good.stdout + good.stderr
    assert store.load_token("local") == "demo-token"
    assert "demo-token" not in load_settings().path.read_text()
    sites = workbench("sites")
    assert "api-token" in sites.stdout and "yes" in sites.stdout
    out = workbench("logout", "--profile", "local")
    assert out.returncode == 0 and "tokens removed" in out.stdout
    assert store.load_token("local") is None
    assert "no token stored" in workbench("sites").stdout


def test_a_user_password_part_of_the_site_url_is_never_stored_or_shown(server):
    url = server.base_url.replace("http://", "http://demo:p@ss-s3cret@")
    done = workbench(
        "login",
        url,
        "--method",
        "api-token",
        "--username",
        "demo@example.com",
        "--profile",
        "local",
        stdin="demo-token\n",
    )
    assert done.returncode == 0, done.stderr
    assert load_settings().profiles["local"].url == server.base_url
    assert "s3cret" not in done.stdout + done.stderr + load_settings().path.read_text()
    sites = workbench("sites", env={"CONFLUENCE_URL": url})
    assert (
        "(environment)" in sites.stdout
        and server.base_url in sites.stdout
        and "s3cret" not in sites.stdout
    )


def test_pat_login_uses_bearer_and_the_dc_api(local_confluence):
    server = local_confluence("empty", flavour="dc", context_path="/confluence")
    done = workbench(
        "login", server.base_url, "--method", "pat", "--profile", "dc", stdin="demo-token\n"
    )
    assert done.returncode == 0, done.stderr
    prof = load_settings().profiles["dc"]
    assert prof.auth == "pat" and prof.kind == "dc"

    async def me():
        async with open_client("dc") as client:
            return await client.current_user()

    assert asyncio.run(me()).account_id == "557058:demo-user"


def test_environment_variables_work_without_a_profile(server, monkeypatch):
    monkeypatch.setenv("CONFLUENCE_URL", server.base_url)
    monkeypatch.setenv("CONFLUENCE_USERNAME", "demo@example.com")
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", "demo-token")

    async def me():
        async with open_client() as client:
            return await client.current_user()

    assert asyncio.run(me()).account_id == "557058:demo-user"
    sites = workbench("sites")
    assert "(environment)" in sites.stdout and "CONFLUENCE_" in sites.stdout


CHILD = """
import asyncio, os, sys, time
from workbench.auth.connect import open_client
async def main():
    client = open_client(sys.argv[1])
    while not os.path.exists(sys.argv[2]):
        time.sleep(0.01)
    async with client:
        await asyncio.gather(*(client.current_user() for _ in range(5)))
asyncio.run(main())
"""


async def test_two_processes_on_an_expired_token_refresh_once(server, tmp_path):
    from .test_auth_flow import logged_in

    oauth = server.state.extras["oauth"]
    _, profile, _ = await logged_in(server)
    tokens = store.load_tokens(profile.name)
    tokens.expires_at = 0  # both processes will see an expired token and want to refresh
    store.save_tokens(profile.name, tokens)
    go = tmp_path / "go"
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", CHILD, profile.name, str(go), stderr=asyncio.subprocess.PIPE
        )
        for _ in range(2)
    ]
    await asyncio.sleep(0.5)  # both are up and waiting at the barrier
    before = oauth.token_requests
    go.write_text("go")
    results = [await asyncio.wait_for(p.communicate(), 30) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert oauth.token_requests == before + 1
