"""ctrl+c in the middle of a turn: the proposals made so far are still printed as diffs, nothing is
written (not even with ``--approve``), the audit says why, and the exit status is 130.

A real process and a real SIGINT: ``workbench agent`` runs as a child against the local Confluence
and the scripted model, which holds its third answer back; the signal is sent once that request has
arrived (the proposal exists by then).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from workbench.agent.audit import AuditLog

from .helpers import call, last_tool_result, version_in
from .test_cli_agent import NEW, OLD, _use_model


def _wait_for(condition, what: str, limit: float = 120.0) -> None:
    """Poll until ``condition()`` (a generous bound for a busy machine; not a timing assertion)."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.05)


def _sigint_as_at_a_terminal() -> None:
    """In the child before it runs: SIGINT at its default, as for a command typed at a terminal.

    A test run started in the background by a non-interactive shell (``make test &``, ``nohup``)
    inherits SIGINT *ignored* (POSIX: the commands of an asynchronous list ignore SIGINT and
    SIGQUIT), and so did this child: Python leaves an ignored SIGINT ignored (no KeyboardInterrupt
    handler), ``asyncio.run`` then installs none of its own, and the signal below was dropped — the
    child waited out the model's 90 s request timeout and exited 1 ('did not answer within 90 s').
    Reproduced 12 times in 12 runs launched with ``&``; 0 in 14 in the foreground, at load ~14."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_prints_the_proposals_writes_nothing_and_exits_130(site, env, llm):
    def propose(body):
        v = version_in(last_tool_result(body))
        return {
            "tool_calls": [
                call(
                    "propose_edit",
                    page_id=site.runbook,
                    base_version=v,
                    edits=[{"old": OLD, "new": NEW}],
                    summary="Watch longer",
                )
            ]
        }

    model = llm(
        [
            {"tool_calls": [call("get_page", page_id=site.runbook)]},
            propose,
            {"text": "never sent", "delay": 600},
        ]
    )
    _use_model(env, model)
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "workbench",
            "agent",
            site.runbook,
            "Watch for thirty minutes",
            "--approve",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
        preexec_fn=_sigint_as_at_a_terminal,
    )
    try:
        _wait_for(
            lambda: len(model.requests) >= 3 or child.poll() is not None, "the third model request"
        )
        assert child.poll() is None, child.communicate()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 130, err
    assert "Traceback" not in err
    assert OLD in out and NEW in out  # the diff on stdout although the turn was cut
    assert "# → left as a proposal: the turn did not finish, so nothing is approved" in err
    assert err.rstrip().endswith("workbench: interrupted.")
    assert site.version(site.runbook) == 1
    writes = [e for e in AuditLog().entries() if e["event"] == "write"]
    assert [(e["approval"], e["page"]) for e in writes] == [("refused", site.runbook)]
