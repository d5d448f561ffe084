"""D10: inputs that gave tracebacks now give one plain line (and the right exit code).

The audit's two (a config file with invalid UTF-8, a 100 KB CQL query) plus what the same probing
found next to them: arguments and standard input that are not UTF-8, and text that cannot be encoded
(a lone surrogate) reaching a request.
"""

from __future__ import annotations

import io

import pytest

from tests.cli.helpers import run, use_site
from workbench.config import config_path
from workbench.confluence.client import ConfluenceClient
from workbench.confluence.errors import BadRequest


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("workbench: ") and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("command", [["sites"], ["spaces"]])
def test_config_with_invalid_utf8(capsys, command):
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"default_profile = '\xff'\n")
    code, _, err = run(capsys, *command)
    assert code == 2
    assert "is not UTF-8 text (byte 0xff at offset 19)" in _one_line(err)


def test_a_100_kb_cql_query(demo_server, monkeypatch, capsys):
    use_site(monkeypatch, demo_server.base_url)
    code, out, err = run(capsys, "search", 'text ~ "' + "a" * 100_000 + '"')
    assert code == 2 and out == ""
    assert "too long to send" in _one_line(err)


def test_an_argument_that_was_not_utf8(monkeypatch, capsys, demo_server):
    use_site(monkeypatch, demo_server.base_url)
    # what Python makes of the bytes 'text ~ "\xff"' on a UTF-8 command line (surrogateescape)
    code, _, err = run(capsys, "search", 'text ~ "\udcff"')
    assert code == 2 and "is not valid UTF-8 text" in _one_line(err) and "<U+DCFF>" in err


@pytest.mark.parametrize(
    "data", ["\udcff\udcfe notes", "caf\udce9"], ids=["c-locale-bytes", "latin-1"]
)
def test_standard_input_that_was_not_utf8(monkeypatch, capsys, demo_server, data):
    use_site(monkeypatch, demo_server.base_url)
    monkeypatch.setattr("sys.stdin", io.StringIO(data))
    code, _, err = run(capsys, "push", "65537", "-", "--base-version", "1")
    assert code == 2 and "standard input is not UTF-8 text" in _one_line(err)


async def test_a_lone_surrogate_in_a_request_is_a_clear_error(demo_server):
    async with ConfluenceClient(
        demo_server.base_url, auth=("demo@example.com", "demo-token")
    ) as client:
        page = await client.get_page("65537")
        with pytest.raises(BadRequest, match="not valid Unicode"):
            await client.update_page(
                page.id,
                title=page.title + " \ud800",
                storage=page.storage or "",
                base_version=page.version.number,
            )
        assert (
            await client.get_page(page.id)
        ).version.number == page.version.number  # nothing sent


def test_https_to_a_plain_http_port_is_not_called_a_certificate_problem(
    demo_server, monkeypatch, capsys
):
    """D11: any "ssl" in the error was reported as an unverifiable certificate, with SSL_CERT_FILE advice."""
    use_site(monkeypatch, demo_server.base_url.replace("http://", "https://"))
    code, _, err = run(capsys, "spaces")
    line = _one_line(err)
    assert code == 1 and "No TLS (https) connection could be set up with 127.0.0.1" in line
    assert (
        "use an http:// URL" in line and "certificate" not in line and "SSL_CERT_FILE" not in line
    )
