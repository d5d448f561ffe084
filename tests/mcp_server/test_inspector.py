"""A second, independent client: the MCP Inspector CLI (``@modelcontextprotocol/inspector-cli``, Node).

It is not fetched by the test (nothing leaves 127.0.0.1 here). Install it once with
``npm install --prefix .cache/mcp-inspector @modelcontextprotocol/inspector-cli@1.0.3`` (``.ci/run``
does), or point ``WORKBENCH_MCP_INSPECTOR`` at its ``build/index.js``; without node or the package,
the test is skipped and says why.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = (
    ROOT / ".cache/mcp-inspector/node_modules/@modelcontextprotocol/inspector-cli/build/index.js"
)


def _inspector() -> list[str]:
    node = shutil.which("node")
    script = Path(os.environ.get("WORKBENCH_MCP_INSPECTOR") or DEFAULT)
    if node is None:
        pytest.skip("node is not installed, so the MCP Inspector CLI cannot run")
    if not script.is_file():
        pytest.skip(
            f"the MCP Inspector CLI is not installed at {script} (see this file's docstring)"
        )
    return [node, str(script)]


def _run(env: dict[str, str], *method: str, profile: str = "propose") -> tuple[int, object, str]:
    # the server's command first, its arguments after "--" (the CLI's own wrapper passes them so); the
    # server inherits the CLI's environment (the site, the isolated home)
    args = [
        *_inspector(),
        sys.executable,
        *method,
        "--",
        "-m",
        "workbench",
        "mcp",
        "--agent-profile",
        profile,
    ]
    # run from its build folder: the CLI looks for its package.json relative to the working directory
    # (fs.existsSync("../package.json")) but imports it relative to itself; from elsewhere it fails
    cwd = Path(args[1]).parent
    env = {**env, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        args, env=env, cwd=cwd, capture_output=True, text=True, timeout=180, check=False
    )
    try:
        data = json.loads(out.stdout)
    except json.JSONDecodeError:
        data = None
    return out.returncode, data, out.stderr


def test_the_inspector_lists_tools_reads_and_proposes(env, site, allow):
    allow()
    code, listed, err = _run(env, "--method", "tools/list", profile="read-only")
    assert code == 0, err
    assert isinstance(listed, dict)
    tools = {t["name"]: t for t in listed["tools"]}
    assert "propose_edit" not in tools and tools["get_page"]["annotations"]["readOnlyHint"] is True

    # the Inspector JSON-parses --tool-arg values, so page_id=65539 arrives as a number: taken as its
    # digits (the schema allows whole-number ids), and as a string too
    for value in (site.runbook, f'"{site.runbook}"'):
        code, page, err = _run(
            env,
            "--method",
            "tools/call",
            "--tool-name",
            "get_page",
            "--tool-arg",
            f"page_id={value}",
        )
        assert code == 0, err
        assert isinstance(page, dict) and page["isError"] is False, page
        assert "Deploys happen on Tuesdays." in page["content"][0]["text"]
    # a number that is no id is still refused, with what to send
    code, negative, err = _run(
        env, "--method", "tools/call", "--tool-name", "get_page", "--tool-arg", "page_id=-3"
    )
    assert code == 0, err
    assert isinstance(negative, dict) and negative["isError"] is True
    assert (
        'page_id must be a page id of ASCII digits like "65538", not -3'
        in (negative["content"][0]["text"])
    )
    code, garbage, err = _run(
        env,
        "--method",
        "tools/call",
        "--tool-name",
        "search_pages",
        "--tool-arg",
        "limit=ten",
        "cql=x",
    )
    assert code == 0, err
    assert isinstance(garbage, dict) and garbage["isError"] is True
    assert "limit must be an integer" in garbage["content"][0]["text"]

    code, made, err = _run(
        env,
        "--method",
        "tools/call",
        "--tool-name",
        "propose_comment",
        "--tool-arg",
        f"page_id={site.runbook}",
        "markdown=From the inspector.",
    )
    assert code == 0, err
    assert isinstance(made, dict) and made["isError"] is False
    assert made["structuredContent"] == {"proposal_id": 1}
    from workbench.inbox.store import Inbox

    assert Inbox().get(1).proposal["page_id"] == site.runbook  # kept as its digits
    assert not list(site.store.comments(site.runbook))
