"""TLS: an ``https://`` site is verified exactly as httpx verifies by default, and an ``http://`` site
builds no SSL context (``workbench.confluence.tls_on_demand``; it saved ~16 ms of every start).

The local Confluence is served over real TLS by uvicorn, with certificates from ``trustme`` (a test
certificate authority made per test run, trusted only where a test says so, through
``SSL_CERT_FILE`` as a person with a private authority would do).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import trustme
import uvicorn

from workbench.confluence.client import ConfluenceClient
from workbench.confluence.errors import NetworkError
from workbench.confluence.tls_on_demand import TlsOnDemand, _trusts_nothing
from workbench.emulator.app import build_app
from workbench.emulator.runner import open_store

USER, TOKEN = "demo@example.com", "demo-token"


class TlsServer:
    """The demo site over https on a free loopback port, with a certificate for ``names``."""

    def __init__(self, ca: trustme.CA, folder: Path, names: tuple[str, ...]) -> None:
        pem = folder / f"server-{'-'.join(names)}.pem"
        ca.issue_cert(*names).private_key_and_cert_chain_pem.write_to_path(str(pem))
        self.store = open_store("demo")
        config = uvicorn.Config(
            build_app(self.store),
            ssl_certfile=str(pem),
            log_level="warning",
            access_log=False,
            lifespan="off",
            loop="asyncio",
            http="h11",
            ws="none",
        )
        self.server = uvicorn.Server(config)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(
            target=lambda: self.server.run(sockets=[self.sock]), daemon=True
        )
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, (
                "TLS server did not start"
            )
            time.sleep(0.01)

    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self.port}/wiki"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()
        self.store.close()


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> tuple[trustme.CA, Path]:
    folder = tmp_path_factory.mktemp("tls")
    authority = trustme.CA()
    bundle = folder / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    return authority, folder


@pytest.fixture(scope="module")
def tls_site(ca) -> Iterator[Callable[..., TlsServer]]:
    started: dict[tuple[str, ...], TlsServer] = {}

    def start(*names: str) -> TlsServer:
        if names not in started:
            started[names] = TlsServer(ca[0], ca[1], names)
        return started[names]

    yield start
    for server in started.values():
        server.stop()


def _client(base_url: str) -> ConfluenceClient:
    return ConfluenceClient(base_url, auth=httpx.BasicAuth(USER, TOKEN), max_attempts=1)


async def _who(base_url: str) -> str:
    async with _client(base_url) as client:
        return (await client.current_user()).email


async def test_an_https_site_signed_by_an_untrusted_authority_is_refused(tls_site):
    server = tls_site("127.0.0.1")
    with pytest.raises(NetworkError) as refused:
        await _who(server.base_url)
    assert "TLS certificate of 127.0.0.1" in refused.value.message
    assert "could not be verified" in refused.value.message


async def test_an_https_site_signed_by_a_trusted_authority_answers(tls_site, ca, monkeypatch):
    server = tls_site("127.0.0.1")
    monkeypatch.setenv("SSL_CERT_FILE", str(ca[1] / "ca.pem"))
    assert await _who(server.base_url) == USER


async def test_a_trusted_certificate_for_another_host_is_refused(tls_site, ca, monkeypatch):
    """The host name is checked too: a certificate the authority issued for another name."""
    server = tls_site("example.org")
    monkeypatch.setenv("SSL_CERT_FILE", str(ca[1] / "ca.pem"))
    with pytest.raises(NetworkError) as refused:
        await _who(server.base_url)
    assert "could not be verified" in refused.value.message


async def test_an_http_site_reads_no_certificate_store(demo_server, monkeypatch):
    """``SSL_CERT_FILE`` naming a file that does not exist: httpx's SSL set-up would fail on it
    (FileNotFoundError when the client is made). An ``http://`` site never builds an SSL context,
    so it neither fails nor pays for reading the bundle."""
    monkeypatch.setenv("SSL_CERT_FILE", "/nonexistent/ca-bundle.pem")
    with pytest.raises(FileNotFoundError):
        httpx.AsyncHTTPTransport()  # what every client did before, http:// sites too
    assert await _who(demo_server.base_url) == USER


async def test_https_reached_from_an_http_site_is_verified_as_httpx_does(
    tls_site, ca, demo_server, monkeypatch
):
    """An http:// site's transport sending an https:// request (a redirect to another host, an
    absolute link): verified like any https site — refused when untrusted, answered when trusted,
    refused for a certificate of another name; http:// requests still go through."""
    server = tls_site("127.0.0.1")
    other = tls_site("example.org")
    url = f"{server.base_url}/rest/api/user/current"
    limits = httpx.Limits(max_connections=4)

    async def get(target: str) -> httpx.Response:
        transport = TlsOnDemand(limits=limits, proxy=None)
        async with httpx.AsyncClient(transport=transport, auth=(USER, TOKEN)) as http:
            return await http.get(target)

    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        await get(url)
    assert (await get(f"{demo_server.base_url}/rest/api/user/current")).status_code == 200
    monkeypatch.setenv("SSL_CERT_FILE", str(ca[1] / "ca.pem"))
    assert (await get(url)).status_code == 200
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        await get(f"{other.base_url}/rest/api/user/current")


def test_the_plain_pool_trusts_no_authority():
    """Should a TLS connection ever go through the http:// pool, it fails closed: certificates and
    host names are checked, and no authority is trusted."""
    context = _trusts_nothing()
    assert context.verify_mode.name == "CERT_REQUIRED" and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0
