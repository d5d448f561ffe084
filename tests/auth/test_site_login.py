"""Logging in to Cloud and Data Center sites: the server is asked what it is and where its API lives,
Basic (username + password) and personal access tokens on Data Center, any context path, and Data
Center's refusals (wrong password, CAPTCHA, single sign-on redirect) said plainly, with nothing retried.

In-process CLI against the local Confluence in both flavours (real HTTP on loopback)."""

from __future__ import annotations

import io

import httpx
import pytest

from workbench.auth import store
from workbench.cli import main
from workbench.config import load_settings

DC_USER, DC_PASSWORD = "demo", "demo-password"


def run(capsys, monkeypatch, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("context", ["/confluence", None])
def test_data_center_password_login_finds_the_context_path(
    local_confluence, capsys, monkeypatch, context
):
    server = local_confluence("demo", flavour="dc", context_path=context)
    # the bare host is given: the API is found without credentials, then the password is sent once
    code, out, err = run(
        capsys,
        monkeypatch,
        "login",
        server.origin,
        "--username",
        DC_USER,
        "--profile",
        "dc",
        stdin=DC_PASSWORD + "\n",
    )
    assert code == 0, err
    assert out.strip() == (
        f"Logged in to {server.base_url} (Confluence Data Center) as Demo User; saved as "
        "profile 'dc'."
    )
    profile = load_settings().profiles["dc"]
    assert (profile.url, profile.auth, profile.kind, profile.username) == (
        server.base_url,
        "basic",
        "dc",
        DC_USER,
    )
    assert (
        store.load_token("dc") == DC_PASSWORD
        and DC_PASSWORD not in load_settings().path.read_text()
    )
    code, out, err = run(capsys, monkeypatch, "spaces", "--profile", "dc")
    assert code == 0 and "ENG" in out, err
    assert server.state.auth_gate.failed_logins(DC_USER) == 0


def test_cloud_is_recognised_from_the_bare_address(local_confluence, capsys, monkeypatch):
    server = local_confluence("empty")
    code, out, err = run(
        capsys,
        monkeypatch,
        "login",
        server.origin,
        "--username",
        "demo@example.com",
        "--profile",
        "c",
        stdin="demo-token\n",
    )
    assert code == 0, err
    profile = load_settings().profiles["c"]
    assert (profile.url, profile.auth, profile.kind) == (server.base_url, "api-token", "cloud")


def test_a_personal_access_token_on_a_page_address(local_confluence, capsys, monkeypatch):
    server = local_confluence("demo", flavour="dc", context_path="/confluence")
    pasted = f"{server.base_url}/display/ENG/Runbooks"  # what the browser's address bar shows
    code, out, err = run(
        capsys,
        monkeypatch,
        "login",
        pasted,
        "--method",
        "pat",
        "--profile",
        "p",
        stdin="demo-token\n",
    )
    assert code == 0, err
    profile = load_settings().profiles["p"]
    assert (profile.url, profile.auth, profile.kind) == (server.base_url, "pat", "dc")


def test_a_wrong_password_is_sent_once_and_said_with_the_captcha_warning(
    local_confluence, capsys, monkeypatch
):
    server = local_confluence("empty", flavour="dc", context_path="/confluence", captcha_after=3)
    code, out, err = run(
        capsys,
        monkeypatch,
        "login",
        server.origin,
        "--username",
        DC_USER,
        "--profile",
        "dc",
        stdin="not-it\n",
    )
    assert code == 4 and out == ""
    assert one_line(err) == (
        "workbench: Confluence did not accept the username and password or token (401, AUTHENTICATED_FAILED). "
        "Check them, or run 'workbench login' again; after a few failed logins (three by default) Data Center "
        "asks for a CAPTCHA in the browser before it accepts the password again. Nothing was saved."
    )
    assert "not-it" not in err and load_settings().profiles == {}
    assert (
        server.state.auth_gate.failed_logins(DC_USER) == 1
    )  # one credentialed request, not one per probe


def test_the_captcha_is_explained_and_nothing_more_is_sent(local_confluence, capsys, monkeypatch):
    server = local_confluence("empty", flavour="dc", context_path="/confluence", captcha_after=0)
    code, out, err = run(
        capsys,
        monkeypatch,
        "login",
        server.base_url,
        "--username",
        DC_USER,
        stdin=DC_PASSWORD + "\n",
    )
    assert code == 4 and out == ""
    assert one_line(err) == (
        "workbench: Confluence wants a CAPTCHA before it checks this password again, after failed logins (401, "
        f"CAPTCHA_CHALLENGE). Log in once in a browser at {server.base_url}/login.action, then try again. "
        "Nothing more was sent: every further attempt would count as another failed login. Nothing was saved."
    )
    assert load_settings().profiles == {}


async def test_a_client_stops_after_a_refused_login(local_confluence):
    """Each request with a wrong password is another failed login on Data Center: the client sends one."""
    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.errors import AuthError, LoginBlocked

    server = local_confluence("demo", flavour="dc", captcha_after=3)
    async with ConfluenceClient(
        server.base_url, auth=httpx.BasicAuth(DC_USER, "wrong"), kind="dc"
    ) as client:
        for _ in range(5):
            with pytest.raises(AuthError, match="AUTHENTICATED_FAILED"):
                await client.get_page("65537")
        assert client.request_count == 1
    assert server.state.auth_gate.failed_logins(DC_USER) == 1
    server.state.auth_gate.captcha_after = 0  # the account is now behind the CAPTCHA
    async with ConfluenceClient(
        server.base_url, auth=httpx.BasicAuth(DC_USER, DC_PASSWORD), kind="dc"
    ) as client:
        with pytest.raises(LoginBlocked) as caught:
            [s async for s in client.spaces()]
        with pytest.raises(LoginBlocked):
            await client.current_user()
        assert (
            client.request_count == 1
            and caught.value.login_url == f"{server.base_url}/login.action"
        )


def test_a_single_sign_on_site_says_use_a_personal_access_token(
    local_confluence, capsys, monkeypatch
):
    server = local_confluence("demo", flavour="dc", context_path="/confluence", login_redirect=True)
    code, out, err = run(
        capsys,
        monkeypatch,
        "login",
        server.base_url,
        "--username",
        DC_USER,
        stdin=DC_PASSWORD + "\n",
    )
    assert code == 4 and out == ""
    assert one_line(err) == (
        f"workbench: 127.0.0.1:{server.port} sent the request to a login page (302 to {server.base_url}/login.action) "
        "instead of answering: the site wants a browser login (single sign-on), which the workbench cannot do. "
        "Log in with a token instead: a personal access token on Data Center (your profile → Personal Access "
        "Tokens; then 'workbench login URL --method pat'), an API token on Cloud. Nothing was saved."
    )
    code, out, err = run(
        capsys,
        monkeypatch,
        "login",
        server.base_url,
        "--method",
        "pat",
        "--profile",
        "sso",
        stdin="demo-token\n",
    )
    assert code == 0, err
    assert run(capsys, monkeypatch, "spaces", "--profile", "sso")[0] == 0


@pytest.mark.parametrize(
    ("flavour", "method", "says"),
    [
        ("dc", "api-token", "This site is Confluence Data Center, which has no API tokens"),
        ("cloud", "basic", "This site is Confluence Cloud, which takes neither passwords"),
    ],
)
def test_a_method_of_the_other_product_is_refused(
    local_confluence, capsys, monkeypatch, flavour, method, says
):
    server = local_confluence("empty", flavour=flavour)
    user, secret = (DC_USER, DC_PASSWORD) if flavour == "dc" else ("demo@example.com", "demo-token")
    code, _, err = run(
        capsys,
        monkeypatch,
        "login",
        server.base_url,
        "--method",
        method,
        "--username",
        user,
        stdin=secret + "\n",
    )
    assert code == 4 and says in one_line(err) and load_settings().profiles == {}


def test_the_flavour_can_be_said_instead_of_asked(local_confluence, capsys, monkeypatch):
    server = local_confluence("empty", flavour="dc", context_path="/confluence")
    code, _, err = run(
        capsys,
        monkeypatch,
        "login",
        server.base_url,
        "--flavour",
        "cloud",
        "--username",
        DC_USER,
        stdin=DC_PASSWORD + "\n",
    )
    assert code == 4 and "No Confluence REST API answered at " in err  # Cloud's /wiki is not there
    code, _, err = run(
        capsys,
        monkeypatch,
        "login",
        server.base_url,
        "--flavor",
        "dc",
        "--username",
        DC_USER,
        "--profile",
        "d",
        stdin=DC_PASSWORD + "\n",
    )
    assert code == 0, err
    assert load_settings().profiles["d"].kind == "dc"


def test_environment_variables_ask_the_server(local_confluence, capsys, monkeypatch):
    server = local_confluence(
        "demo", flavour="dc", context_path="/wiki"
    )  # a DC that lives under /wiki
    monkeypatch.setenv("CONFLUENCE_URL", server.base_url)
    monkeypatch.setenv("CONFLUENCE_USERNAME", DC_USER)
    monkeypatch.setenv("CONFLUENCE_PASSWORD", DC_PASSWORD)
    code, out, err = run(capsys, monkeypatch, "spaces")
    assert code == 0 and "ENG" in out, err  # /wiki in the path did not make it Cloud
    monkeypatch.setenv("CONFLUENCE_FLAVOUR", "cloud")
    code, _, err = run(capsys, monkeypatch, "spaces")
    assert code == 5  # told Cloud: v2 is asked for, and Data Center has none
    monkeypatch.setenv("CONFLUENCE_FLAVOUR", "server")
    code, _, err = run(capsys, monkeypatch, "spaces")
    assert code == 2 and "CONFLUENCE_FLAVOUR is 'server'; use 'cloud' or 'dc'" in err


def test_the_tui_token_login_takes_a_data_center_password(local_confluence):
    from workbench.services.sites import token_login

    server = local_confluence("empty", flavour="dc", context_path="/confluence")
    site = token_login(server.origin + "/", DC_USER, DC_PASSWORD)
    profile = load_settings().profiles[load_settings().default_profile]
    assert (profile.url, profile.auth, profile.kind) == (server.base_url, "basic", "dc")
    client = site.connect()
    assert client.kind == "dc" and client.base_url == server.base_url
