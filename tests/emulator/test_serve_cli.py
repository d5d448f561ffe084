"""``workbench serve-local`` as a real process: prints its URL and credentials, serves, stops on Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import httpx


def _start(*args: str, env_home) -> subprocess.Popen:
    env = {**os.environ, "HOME": str(env_home), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "workbench", "serve-local", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_serve_local_prints_url_serves_and_stops_cleanly(tmp_path):
    proc = _start(
        "--port",
        "0",
        "--seed",
        "empty",
        "--quiet",
        "--data",
        str(tmp_path / "data"),
        env_home=tmp_path,
    )
    try:
        lines = [proc.stdout.readline() for _ in range(2)]
        match = re.search(r"(http://127\.0\.0\.1:\d+/wiki)", lines[0])
        assert match, lines
        base = match.group(1)
        assert "demo@example.com / demo-token" in lines[1]
        rest = [proc.stdout.readline() for _ in range(4)]
        assert any("Data: " in line and "(new, seeded with empty)" in line for line in rest), rest
        assert (
            "  OAuth client: demo-client / demo-secret (authorization server at the same origin)\n"
            in rest
        )
        r = httpx.get(
            base + "/rest/api/user/current", auth=("demo@example.com", "demo-token"), timeout=10
        )
        assert r.status_code == 200 and r.json()["displayName"] == "Demo User"
    finally:
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert (tmp_path / "data" / "confluence.sqlite3").exists()


def test_serve_local_bad_input_is_one_line(tmp_path):
    proc = _start("--seed", "huge", env_home=tmp_path)
    _out, err = proc.communicate(timeout=20)
    assert proc.returncode == 2
    assert (
        err.strip()
        == "workbench: Unknown seed 'huge'; use demo, empty, large:N or wide:N (e.g. large:5000)."
    )


def test_serve_local_port_in_use(tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = _start("--port", str(port), "--seed", "empty", env_home=tmp_path)
        _out, err = proc.communicate(timeout=20)
    assert proc.returncode == 2
    assert f"Port {port} on 127.0.0.1 is already in use" in err and "Traceback" not in err


def test_serve_local_data_center_flavour_under_a_context_path(tmp_path):
    proc = _start(
        "--port",
        "0",
        "--seed",
        "empty",
        "--quiet",
        "--flavour",
        "dc",
        "--context-path",
        "/confluence",
        env_home=tmp_path,
    )
    try:
        lines = [proc.stdout.readline() for _ in range(3)]
        match = re.search(r"Data Center\) at (http://127\.0\.0\.1:\d+/confluence)\n", lines[0])
        assert match, lines
        base = match.group(1)
        assert "Basic auth: demo / demo-password; personal access token: demo-token" in lines[1]
        assert f"CONFLUENCE_URL={base} CONFLUENCE_PERSONAL_TOKEN=demo-token" in lines[2]
        r = httpx.get(base + "/rest/api/user/current", auth=("demo", "demo-password"), timeout=10)
        assert r.status_code == 200 and r.json()["username"] == "demo"
        assert (
            httpx.get(
                base + "/api/v2/spaces", auth=("demo", "demo-password"), timeout=10
            ).status_code
            == 404
        )
    finally:
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err


def test_serve_local_refuses_a_context_path_on_cloud(tmp_path):
    proc = _start("--context-path", "/confluence", env_home=tmp_path)
    _out, err = proc.communicate(timeout=20)
    assert proc.returncode == 2
    assert err.strip() == (
        "workbench: Confluence Cloud always serves under /wiki; --context-path is for --flavour dc."
    )
