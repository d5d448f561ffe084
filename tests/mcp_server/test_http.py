"""``workbench mcp --transport http``: 127.0.0.1 only, a bearer token made at start, 401 without it;
driven by the official SDK's Streamable HTTP client."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from .conftest import text_of


@dataclass
class HttpServer:
    url: str
    token: str
    proc: subprocess.Popen


@pytest.fixture
def http_server(env, allow) -> Iterator[HttpServer]:
    allow()
    proc = subprocess.Popen(
        [sys.executable, "-m", "workbench", "mcp", "--transport", "http"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = token = ""
    lines: list[str] = []
    assert proc.stderr is not None
    while not token:
        line = proc.stderr.readline()
        if not line:
            proc.wait(10)
            pytest.fail("workbench mcp --transport http ended early:\n" + "".join(lines))
        lines.append(line)
        if m := re.search(r"MCP over HTTP at (http://127\.0\.0\.1:\d+/mcp)", line):
            url = m.group(1)
        if m := re.search(r"Bearer token \(shown once; give it to your MCP client\): (\S+)", line):
            token = m.group(1)
    yield HttpServer(url, token, proc)
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "curl", "version": "1"},
    },
}
HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


@pytest.mark.parametrize("auth", [None, "Bearer wrong-token", "Basic ZGVtbzpkZW1v", "bearer"])
def test_without_the_token_it_is_401(http_server, auth):
    headers = dict(HEADERS)
    if auth is not None:
        headers["Authorization"] = auth
    answer = httpx.post(http_server.url, json=INIT, headers=headers, timeout=30)
    assert answer.status_code == 401
    assert http_server.token not in answer.text
    assert answer.headers["www-authenticate"].startswith("Bearer")


def test_the_token_is_long_random_and_a_prefix_of_it_is_not_enough(http_server):
    assert len(http_server.token) >= 40
    headers = {**HEADERS, "Authorization": f"Bearer {http_server.token[:-1]}"}
    assert httpx.post(http_server.url, json=INIT, headers=headers, timeout=30).status_code == 401
    assert http_server.url.startswith("http://127.0.0.1:")


async def test_the_sdk_client_with_the_token_reads_and_proposes(http_server, site):
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client
    from mcp.shared._httpx_utils import create_mcp_http_client

    http = create_mcp_http_client(headers={"Authorization": f"Bearer {http_server.token}"})
    async with http, Client(streamable_http_client(http_server.url, http_client=http)) as client:
        names = [t.name for t in (await client.list_tools()).tools]
        assert "propose_edit" in names and "get_proposal" in names
        page = text_of(await client.call_tool("get_page", {"page_id": site.runbook}))
        assert "Deploys happen on Tuesdays." in page
        made = await client.call_tool(
            "propose_comment", {"page_id": site.runbook, "markdown": "Looks right."}
        )
        assert not made.is_error, text_of(made)
        number = made.structured_content["proposal_id"]
        assert text_of(await client.call_tool("get_proposal", {"proposal_id": number})).endswith(
            "pending."
        )
    assert not list(site.store.comments(site.runbook))  # proposed, not written
    # the token is printed once and kept nowhere: not in the audit log, not in the inbox
    assert _files_holding(http_server.token.encode()) == []


def _files_holding(secret: bytes) -> list[str]:
    from workbench.config import data_dir

    found = []
    for root, _dirs, files in os.walk(data_dir()):
        for name in files:
            with open(os.path.join(root, name), "rb") as fh:
                if secret in fh.read():
                    found.append(name)
    return found


def test_a_port_in_use_is_a_plain_message(env, allow):
    import socket

    allow()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        out = subprocess.run(
            [sys.executable, "-m", "workbench", "mcp", "--transport", "http", "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert out.returncode == 2
    assert f"Port {port} on 127.0.0.1 is not free" in out.stderr and "Traceback" not in out.stderr
