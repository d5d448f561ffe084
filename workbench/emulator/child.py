"""The local Confluence of ``workbench demo`` in a process of its own.

``python -m workbench.emulator.child SEED [DATA_DIR [FD]]`` serves the local Confluence on the
listening socket ``FD`` its parent bound and passed down (``subprocess.Popen(pass_fds=…)``), or on
a free loopback port of its own without one. The app spawns it early and lets it go with a line on
its stdin (:mod:`workbench.services.demo_process`; EOF instead: it exits without serving). It
prints ONE line of JSON on stdout as soon as its
data directory is its own — ``{"base_url": …}``, or ``{"error": …}`` saying why it cannot start (a
data directory in use or unusable, a bad seed) — and only then seeds, loads the web app and
serves. The socket listens from the start: requests sent meanwhile wait in its backlog and are
answered as soon as the server runs, so the app never polls for readiness and its first requests
go out as soon as it wants them. It serves until its stdin is closed: the app closes it when it
quits, and the system closes it when the app dies (kill -9 too), so no server is left behind.

In its own process the server's seeding and answering do not compete with the TUI for the
interpreter (one lock for all threads). An unexpected failure after the line (a bug) ends the
process: the app's requests then fail as a site that went away.
"""

from __future__ import annotations

import gc

# Starting the server (its modules, the seeded store, the web app) allocates ~a million objects and
# frees almost none: the cyclic collector's passes meanwhile find nothing (~7 % of the CPU before
# the server answers, which the first launch waits for). Off until the server is up, as the TUI
# does for its own start (workbench.tui.warmup). Only as the process's own program: imported, it
# leaves the importer's collector alone.
_PAUSED = __name__ == "__main__" and gc.isenabled()
if _PAUSED:
    gc.disable()

import json  # noqa: E402 - after the collector is off
import socket  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402

from workbench.emulator.flavour import CLOUD_CONTEXT  # noqa: E402
from workbench.errors import WorkbenchError  # noqa: E402


def _say(answer: dict[str, str]) -> None:
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()


def _socket(fd: str) -> socket.socket:
    """The parent's listening socket (``fd``), or one of this process's own on a free port."""
    if fd:
        return socket.socket(fileno=int(fd))
    # lazy: only without a socket from the parent
    from workbench.emulator.runner import _bind, _listen

    sock = _bind("127.0.0.1", 0)
    _listen(sock)
    return sock


def _stop_when_stdin_closes(server) -> None:
    """A thread that tells ``server`` to stop once stdin is closed (the app quit, or it died)."""

    def watch() -> None:
        try:
            sys.stdin.buffer.read()
        except (OSError, ValueError):
            pass
        server.should_exit = True

    threading.Thread(target=watch, name="stdin-closed", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    seed = args[0] if args else "demo"
    data_dir = args[1] if len(args) > 1 and args[1] else None
    fd = args[2] if len(args) > 2 else ""

    if not sys.stdin.buffer.readline():  # the app's go (workbench.services.demo_process), or EOF:
        return 0  # it quit before it needed the server
    try:
        sock = _socket(fd)
        # lazy, for start-up: the store (claimed before the line), the seed, the web app, uvicorn
        from workbench.emulator.runner import claim_store

        store = claim_store(seed, data_dir)
    except WorkbenchError as exc:
        _say({"error": exc.message})
        return 2
    except Exception as exc:  # noqa: BLE001 - said to the app, which shows it
        _say({"error": f"The local Confluence did not start: {exc}"})
        return 1
    host, port = sock.getsockname()[:2]
    _say({"base_url": f"http://{host}:{port}{CLOUD_CONTEXT}"})
    try:
        # lazy, for start-up: the web app (starlette) and uvicorn load after the line is said
        from workbench.emulator.app import build_app
        from workbench.emulator.runner import _uvicorn_server, fill_store

        fill_store(store, seed)
        server = _uvicorn_server(build_app(store), quiet=True)
        if _PAUSED:  # what start-up made goes to the oldest generation (as the TUI does), then on
            gc.freeze()
            gc.unfreeze()
            gc.enable()
        _stop_when_stdin_closes(server)
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
