"""The client honours HTTP(S)_PROXY / NO_PROXY (httpx would not, with our own transport).

A minimal forward proxy on loopback relays absolute-form requests for the made-up host
``confluence.test`` to the local Confluence: the site is only reachable through the proxy.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import httpx
import pytest

from workbench.confluence.client import ConfluenceClient
from workbench.confluence.core import proxy_for
from workbench.confluence.urls import ApiUrls


class ForwardProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.seen: list[str] = []
        self.server: asyncio.base_events.Server | None = None

    async def start(self) -> int:
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target, version = lines[0].split(" ")
            self.seen.append(f"{method} {target}")
            headers = [
                h for h in lines[1:] if h and not h.lower().startswith(("connection:", "proxy-"))
            ]
            length = next(
                (
                    int(h.split(":", 1)[1])
                    for h in headers
                    if h.lower().startswith("content-length:")
                ),
                0,
            )
            body = await reader.readexactly(length) if length else b""
            url = urlsplit(target)
            assert url.hostname == "confluence.test"
            path = url.path + (f"?{url.query}" if url.query else "")
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
            request = (
                f"{method} {path} {version}\r\n"
                + "\r\n".join(headers + ["Connection: close"])
                + "\r\n\r\n"
            )
            up_writer.write(request.encode("latin-1") + body)
            await up_writer.drain()
            answer = await up_reader.read()
            up_writer.close()
            writer.write(answer)
            await writer.drain()
        finally:
            writer.close()

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()


async def test_requests_go_through_the_proxy_from_the_environment(local_confluence, monkeypatch):
    server = local_confluence("large:10")
    proxy = ForwardProxy(server.port)
    proxy_port = await proxy.start()
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy_port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    try:
        client = ConfluenceClient(
            f"http://confluence.test:{server.port}/wiki",
            auth=httpx.BasicAuth("demo@example.com", "demo-token"),
            backoff_base=0,
        )
        async with client:
            space = await client.space_by_key("LARGE")
            pages = [p async for p in client.space_pages(space.id, depth="all")]
            page = await client.get_page(pages[-1].id)
            saved = await client.update_page(
                page.id,
                title=page.title,
                storage="<p>via proxy</p>",
                base_version=page.version.number,
            )
    finally:
        await proxy.stop()
    assert len(pages) == 10 and saved.version.number == page.version.number + 1
    assert proxy.seen and all(
        s.split(" ")[1].startswith(f"http://confluence.test:{server.port}/wiki/")
        for s in proxy.seen
    )
    assert any(s.startswith("PUT ") for s in proxy.seen)


@pytest.mark.parametrize(
    ("env", "url", "expected"),
    [
        ({"HTTPS_PROXY": "http://p:3128"}, "https://acme.atlassian.net/wiki", "http://p:3128"),
        (
            {"HTTPS_PROXY": "http://p:3128", "NO_PROXY": ".atlassian.net"},
            "https://acme.atlassian.net/wiki",
            None,
        ),
        ({"HTTP_PROXY": "http://p:3128"}, "https://acme.atlassian.net/wiki", None),
        ({"ALL_PROXY": "http://p:3128"}, "https://acme.atlassian.net/wiki", "http://p:3128"),
        (
            {"HTTP_PROXY": "http://p:3128"},
            "http://127.0.0.1:8090/wiki",
            None,
        ),  # loopback: always direct
    ],
)
def test_proxy_choice(monkeypatch, env, url, expected):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert proxy_for(ApiUrls(url)) == expected
