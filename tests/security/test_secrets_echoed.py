"""D5: a server (or proxy) that echoes the Authorization header never gets a secret printed.

Every command the audit tried — spaces, cat, search and login, with an API token (Basic, so the
echo is base64(email:token)) and a PAT (Bearer) — against bodies of each kind (401 JSON, 500
text/plain, 400 v1 JSON, 403 v2 JSON). The secret must not appear in any form: raw, base64, or the
base64 of email:token.
"""

from __future__ import annotations

import base64
import io

import pytest

from tests.cli.helpers import run
from tests.security.echo_server import MODES, echo_server
from workbench.redact import MASK, forget_all, redact, remember, remember_authorization

API_TOKEN = "API-s3cr3t-0123456789abcdef"
PAT = "PAT-s3cr3t-0123456789abcdef"
EMAIL = "me@example.com"


def _forms(secret: str) -> list[str]:
    return [
        secret,
        base64.b64encode(f"{EMAIL}:{secret}".encode()).decode(),
        base64.b64encode(secret.encode()).decode(),
    ]


@pytest.fixture
def echo():
    with echo_server() as origin:
        yield origin


def _use(monkeypatch, url: str, secret: str) -> None:
    monkeypatch.setenv("CONFLUENCE_URL", url)
    if secret == PAT:
        monkeypatch.setenv("CONFLUENCE_PERSONAL_TOKEN", PAT)
    else:
        monkeypatch.setenv("CONFLUENCE_USERNAME", EMAIL)
        monkeypatch.setenv("CONFLUENCE_API_TOKEN", API_TOKEN)


@pytest.mark.parametrize("secret", [API_TOKEN, PAT], ids=["api-token", "pat"])
@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize(
    "command",
    [["spaces"], ["cat", "65537"], ["search", "type = page"]],
    ids=["spaces", "cat", "search"],
)
def test_commands_never_print_an_echoed_secret(echo, monkeypatch, capsys, secret, mode, command):
    forget_all()  # a fresh process knows nothing yet: the first request teaches it
    _use(monkeypatch, f"{echo}{mode}/wiki", secret)
    code, out, err = run(capsys, *command)
    assert code != 0
    assert "Authorization" in err or "Denied for" in err  # the server's words are still shown …
    assert MASK in err  # … with the credential hidden
    for form in _forms(secret):
        assert form not in out + err


@pytest.mark.parametrize("secret", [API_TOKEN, PAT], ids=["api-token", "pat"])
@pytest.mark.parametrize("mode", ["/echo401", "/echo403"])
def test_login_never_prints_an_echoed_secret(echo, monkeypatch, capsys, secret, mode):
    forget_all()
    monkeypatch.setattr("sys.stdin", io.StringIO(secret + "\n"))
    argv = ["login", f"{echo}{mode}/wiki", "--method", "pat" if secret == PAT else "api-token"]
    if secret == API_TOKEN:
        argv += ["--username", EMAIL]
    code, out, err = run(capsys, *argv)
    assert code == 4 and "refused the" in err
    if mode == "/echo401":  # the server's words are quoted (with the credential hidden)
        assert MASK in err
    for form in _forms(secret):
        assert form not in out + err


def test_redact_forms_and_unknown_credentials():
    forget_all()
    remember_authorization("Basic " + base64.b64encode(f"{EMAIL}:{API_TOKEN}".encode()).decode())
    remember("short")  # too short to hide without hiding ordinary words
    text = (
        f"raw {API_TOKEN} / basic "
        f"{base64.b64encode(f'{EMAIL}:{API_TOKEN}'.encode()).decode()} short"
    )
    shown = redact(text)
    assert API_TOKEN not in shown and "short" in shown
    # a credential nobody told us about, echoed by a shared proxy: hidden when it looks like one
    other = base64.b64encode(b"you@example.com:their-token").decode()
    assert redact(f"Authorization: Basic {other}") == f"Authorization: Basic {MASK}"
    assert (
        redact("Authorization: Bearer eyJhbGciOi.JIUzI1NiJ9.x") == f"Authorization: Bearer {MASK}"
    )
    # ordinary words after those schemes are left alone
    assert redact("Basic authentication is disabled; a Bearer token is required") == (
        "Basic authentication is disabled; a Bearer token is required"
    )


def test_every_workbench_error_is_redacted():
    from workbench.errors import WorkbenchError

    forget_all()
    remember(PAT)
    error = WorkbenchError(f"the proxy said {PAT}")
    assert PAT not in error.message and PAT not in str(error) and PAT not in repr(error.args)
