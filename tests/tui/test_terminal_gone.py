"""The app ends when its terminal is gone and it is asked to quit — it does not linger.

A real pseudo-terminal, with the app as a real process (no tmux: tmux makes the pty the app's
controlling terminal, whose hang-up makes Textual give up early). Here the terminal is closed under
the app, then SIGCONT and SIGHUP arrive, as a pty without a controlling terminal or a supervisor may
send them. Before tui/quit_guard.py the quit blocked for ever in Textual's writer queue: the process
stayed, spinning on end-of-file, and ignored SIGTERM.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

WORKBENCH = str(Path(sys.executable).parent / "workbench")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals and signals")


_ESCAPE = re.compile(rb"\x1b\[[0-9;?<>=$]*[A-Za-z~]")  # colours, cursor moves, modes


def _read_until(master: int, text: bytes, within: float) -> bytes:
    """What the app drew (escape sequences left out) until ``text`` is among it."""
    seen = b""
    end = time.monotonic() + within
    while text not in _ESCAPE.sub(b"", seen) and time.monotonic() < end:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            seen += os.read(master, 65536)
    return _ESCAPE.sub(b"", seen)


def _exit_status(process: subprocess.Popen[bytes], within: float) -> int | None:
    try:
        return process.wait(within)
    except subprocess.TimeoutExpired:
        return None


@pytest.mark.parametrize("number", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_a_quit_after_the_terminal_is_gone_ends_the_process(demo_server, isolated_home, number):
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = dict(
        os.environ,
        CONFLUENCE_URL=demo_server.base_url,
        CONFLUENCE_USERNAME="demo@example.com",
        CONFLUENCE_API_TOKEN="demo-token",
        TERM="xterm-256color",
    )
    process = subprocess.Popen([WORKBENCH], stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    try:
        shown = _read_until(master, b"Demo User", within=90)
        assert b"Demo User" in shown, shown[-2000:]  # connected: the app is up and drawing
        os.close(master)  # the terminal is gone
        master = -1
        process.send_signal(signal.SIGCONT)  # Textual starts its terminal mode again on this
        time.sleep(
            1
        )  # let SIGCONT's restart happen before the quit is asked for (the hang's order)
        process.send_signal(number)
        status = _exit_status(process, within=60)
        assert status == 128 + number, f"still running {60} s after {number.name}: {status}"
    finally:
        if master >= 0:
            os.close(master)
        if process.poll() is None:
            process.kill()
            process.wait()
