"""The process of the demo's local Confluence (:mod:`workbench.emulator.child`), as the app drives it.

:func:`spawn` starts it as early as ``workbench demo`` can — before the app decides whether the
server is needed at once — and it waits, having only started its interpreter, until :meth:`go`
says so: at once on a first launch (it loads and seeds while this process loads the TUI), after
the first frame when the tree cache can draw the spaces (then it does not compete with the first
frame for the processor). This module loads nothing but the standard library, and that only
when called, so spawning costs the app nothing before the TUI starts.

This process binds the listening socket and hands it down: the server's address is known at once,
and the app's first requests wait in the socket's backlog while the server loads and seeds — no
readiness poll; they are answered as soon as it serves. The child's first line on stdout says its
address once its data directory is its own, or why it cannot start. Closing its stdin stops it;
the system closes it when the app dies (kill -9 too), so no server outlives the app.
"""

from __future__ import annotations

import threading
from pathlib import Path

from workbench.errors import WorkbenchError

#: the line on the child's stdin that lets it start (EOF instead: it exits without serving)
GO = b"go\n"


class DemoProcess:
    """One child process: started by :func:`spawn`, let go by :meth:`go`, asked where it serves by
    :meth:`wait`, stopped by :meth:`stop`. Thread-safe: the app's worker threads call ``wait``."""

    def __init__(self, process) -> None:
        self.process = process
        self.base_url: str | None = None
        self.error: BaseException | None = None
        self.released = False
        self._lock = threading.Lock()

    def go(self) -> None:
        """Let the child claim its data, seed and serve (again: nothing)."""
        with self._lock:
            if self.released:
                return
            self.released = True
            try:
                self.process.stdin.write(GO)
                self.process.stdin.flush()
            except (OSError, ValueError):  # it is gone already: wait() says so
                pass

    def wait(self) -> str:
        """The base URL the child serves at (its first line), or the error it gave, raised. Call
        :meth:`go` first: until then the child says nothing."""
        with self._lock:
            if self.base_url is None and self.error is None:
                try:
                    self.base_url = _first_line(self.process)
                except BaseException as exc:  # noqa: BLE001 - raised below, every time asked
                    self.error = exc
            if self.error is not None:
                raise self.error
            assert self.base_url is not None
            return self.base_url

    def stop(self) -> None:
        """Close its stdin (it stops serving and exits); kill it if it does not within 10 s."""
        # lazy, for start-up: subprocess loads on first use
        import subprocess

        process = self.process
        if process.poll() is not None:
            return
        try:
            process.stdin.close()
            process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()


def spawn(seed: str, data_dir: str | Path | None) -> DemoProcess:
    """``python -m workbench.emulator.child`` with a loopback socket bound here and passed down
    (where a socket cannot be passed, the child binds its own and says where); it waits for
    :meth:`DemoProcess.go`."""
    # lazy, for start-up: os, socket, subprocess, sys load on first use
    import os
    import socket
    import subprocess
    import sys

    sock = None
    if os.name == "posix":
        # proto=IPPROTO_TCP: asyncio sets TCP_NODELAY only on accepted sockets whose proto says TCP
        # (as workbench.emulator.runner._bind); without it small answers wait ~40 ms for Nagle.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.bind(("127.0.0.1", 0))
            sock.listen(2048)
        except OSError:
            sock.close()
            sock = None  # the child tries on its own, and says why if it cannot
    folder = str(Path(data_dir).expanduser()) if data_dir else ""
    # -P: not the current folder first on the path (python -m puts it there), so a folder named
    # workbench where the app was started cannot stand in for the package (Python ≥ 3.11)
    command = [sys.executable, "-P", "-m", "workbench.emulator.child", seed, folder]
    try:
        process = subprocess.Popen(
            command + ([str(sock.fileno())] if sock is not None else []),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # its one word to the app is the line on stdout
            pass_fds=(sock.fileno(),) if sock is not None else (),
        )
    finally:
        if sock is not None:
            sock.close()  # the child's now: connections fail as soon as it is gone
    return DemoProcess(process)


def _first_line(process) -> str:
    """The base URL the child announces, or the error it says (then it is stopped)."""
    # lazy, for start-up: json loads on first use
    import json

    line = process.stdout.readline()
    try:
        answer = json.loads(line) if line.strip() else {}
    except ValueError:
        answer = {}
    if "base_url" not in answer:
        process.kill()
        process.wait()
        raise WorkbenchError(
            answer.get("error")
            or f"The local Confluence stopped before it could start (exit status {process.poll()})."
        )
    return str(answer["base_url"])
