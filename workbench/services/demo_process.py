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

The app waits at most :data:`START_TIMEOUT` seconds for that line (``WORKBENCH_DEMO_START_TIMEOUT``
overrides it): a child that hangs or dies is stopped, and :meth:`DemoProcess.wait` raises an error
that says what failed, the last lines the child wrote on stderr (kept by a thread that reads its
stderr while it runs) and what to do.
"""

from __future__ import annotations

import threading
from pathlib import Path

from workbench.errors import WorkbenchError

#: the line on the child's stdin that lets it start (EOF instead: it exits without serving)
GO = b"go\n"
#: seconds the app waits for the child's first line once let go (it comes before seeding: ~0.1 s)
START_TIMEOUT = 60.0
#: the variable that overrides :data:`START_TIMEOUT` (seconds)
TIMEOUT_VARIABLE = "WORKBENCH_DEMO_START_TIMEOUT"
#: bytes of the child's stderr kept for the error message (its last lines)
TAIL_BYTES = 4096


class DemoProcess:
    """One child process: started by :func:`spawn`, let go by :meth:`go`, asked where it serves by
    :meth:`wait`, stopped by :meth:`stop`. Thread-safe: the app's worker threads call ``wait``."""

    def __init__(self, process, timeout: float = START_TIMEOUT) -> None:
        self.process = process
        self.timeout = timeout  # seconds wait() allows the child to say its first line
        self.stderr = _Tail(process.stderr) if process.stderr is not None else None
        self.base_url: str | None = None
        self.error: BaseException | None = None
        self.failed = False  # it did not start (error), and not because the app stopped it first
        self.released = False
        self.stopping = False
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
        :meth:`go` first: until then the child says nothing. A child that says nothing within
        :attr:`timeout` seconds, or dies first, is stopped and a :class:`WorkbenchError` says why."""
        with self._lock:
            if self.base_url is None and self.error is None:
                try:
                    self.base_url = _first_line(self.process, self.timeout, self.stderr)
                except BaseException as exc:  # noqa: BLE001 - raised below, every time asked
                    self.error = exc
                    self.failed = not self.stopping
            if self.error is not None:
                raise self.error
            assert self.base_url is not None
            return self.base_url

    def stop(self) -> None:
        """Close its stdin (it stops serving and exits); kill it if it does not within 10 s."""
        # lazy, for start-up: subprocess loads on first use
        import subprocess

        self.stopping = True
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
            stderr=subprocess.PIPE,  # its last lines go into the error when it does not start
            pass_fds=(sock.fileno(),) if sock is not None else (),
        )
    finally:
        if sock is not None:
            sock.close()  # the child's now: connections fail as soon as it is gone
    return DemoProcess(process, start_timeout(os.environ.get(TIMEOUT_VARIABLE, "")))


def start_timeout(text: str) -> float:
    """The seconds ``WORKBENCH_DEMO_START_TIMEOUT`` says (:data:`START_TIMEOUT` when unset or not a
    positive number: a typo there must not make the demo fail at once or wait for ever)."""
    try:
        seconds = float(text)
    except ValueError:
        return START_TIMEOUT
    return seconds if 0 < seconds < float("inf") else START_TIMEOUT


class _Tail:
    """The last :data:`TAIL_BYTES` the child wrote on its stderr, read by a thread of its own while
    it runs (so a child that writes a lot never blocks on a full pipe)."""

    def __init__(self, stream) -> None:
        self._stream = stream
        self._kept = b""
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._read, name="demo-server-stderr", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            while chunk := self._stream.read1(TAIL_BYTES):
                with self._lock:
                    self._kept = (self._kept + chunk)[-TAIL_BYTES:]
        except (OSError, ValueError):  # closed under us: what was kept stays
            pass

    def text(self, lines: int = 12, wait: float = 2.0) -> str:
        """Its last ``lines`` lines, once the child is gone (waits up to ``wait`` s for the rest)."""
        self._thread.join(wait)
        with self._lock:
            kept = self._kept
        said = kept.decode("utf-8", "replace").rstrip().splitlines()
        return "\n".join(said[-lines:])


def _first_line(process, timeout: float, stderr: _Tail | None) -> str:
    """The base URL the child announces within ``timeout`` seconds, or a :class:`WorkbenchError`
    saying why not (then it is stopped): the error it said, its exit status, or its silence."""
    # lazy, for start-up: json loads on first use
    import json

    said: list[bytes] = []
    reader = threading.Thread(
        target=lambda: said.append(process.stdout.readline()), name="demo-server-line", daemon=True
    )
    reader.start()
    reader.join(timeout)
    silent = reader.is_alive()  # no line yet: it hangs (or is too slow to be of use)
    if silent:
        process.kill()  # its stdout closes with it: the reader ends
        process.wait()
        reader.join(5)
    line = said[0].strip() if said and not silent else b""
    try:
        answer = json.loads(line) if line else {}
    except ValueError:
        answer = None
    if isinstance(answer, dict) and "base_url" in answer:
        return str(answer["base_url"])
    if process.poll() is None:
        process.kill()
    process.wait()
    if isinstance(answer, dict) and answer.get("error"):  # it said why (a data directory in use…)
        raise WorkbenchError(str(answer["error"]))
    todo = "Try again."
    if silent:
        what = f"did not start within {timeout:g} seconds, and was stopped"
        todo = f"Try again; on a very busy machine allow it longer ({TIMEOUT_VARIABLE}=120 workbench demo)."
    elif line:
        what = f"said {line[:200].decode('utf-8', 'replace')!r} instead of its address, and was stopped"
    else:
        what = f"stopped before it could start (exit status {process.returncode})"
    last = stderr.text() if stderr is not None else ""
    words = f" Its last words on stderr:\n{last}\n" if last else " It wrote nothing on stderr. "
    raise WorkbenchError(
        f"The local Confluence of the demo {what}.{words}{todo} 'workbench serve-local' runs the "
        "same server in the foreground, where you can see why it does not start."
    )
