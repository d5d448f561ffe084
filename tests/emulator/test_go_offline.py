"""``RunningServer.go_offline``: a site that cannot be reached, whose address nobody else can take.

Tests that need "the site is unreachable" used to stop the server, which frees its port at once;
under load another worker's server (started with port 0) could be given that port, and the client
of the "unreachable" site then searched *that* site: the agent's offline search once reported "4 hits
outside the allow-list" — the demo seed's four PROD pages about a launch — instead of the one
SECRET page the index held.
"""

from __future__ import annotations

import errno
import socket

import httpx
import pytest

from workbench.emulator.runner import start_in_thread


def test_a_server_gone_offline_refuses_connections_and_keeps_its_port():
    server = start_in_thread(seed="empty")
    try:
        assert httpx.get(f"{server.base_url}/rest/api/space", timeout=10).status_code == 401
        server.go_offline()
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{server.base_url}/rest/api/space", timeout=10)
        intruder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            with pytest.raises(OSError) as taken:
                intruder.bind((server.host, server.port))
            assert taken.value.errno == errno.EADDRINUSE
        finally:
            intruder.close()
    finally:
        server.stop()
    freed = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        freed.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        freed.bind((server.host, server.port))  # stop() gave the port back
    finally:
        freed.close()


def test_the_same_server_comes_back_on_the_kept_port(tmp_path):
    data = tmp_path / "emulator"
    first = start_in_thread(seed="demo", data_dir=data)
    try:
        first.go_offline()  # its store closed: the data directory is free for the second
        second = start_in_thread(seed="demo", data_dir=data, port=first.port)
        try:
            answer = httpx.get(
                f"{second.base_url}/rest/api/space",
                auth=("demo@example.com", "demo-token"),
                timeout=10,
            )
            assert answer.status_code == 200 and answer.json()["results"]
        finally:
            second.stop()
    finally:
        first.stop()
