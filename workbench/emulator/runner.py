"""Run the local Confluence: in a background thread (tests, ``workbench demo``) or in the foreground.

``start_in_thread(...)`` binds a loopback socket (port 0 picks a free one), starts uvicorn in a
daemon thread and returns a :class:`RunningServer` once it accepts connections.
``serve(...)`` does the same in the calling thread until Ctrl-C.
"""

from __future__ import annotations

import functools
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from workbench.emulator.jira.seed import seed_schema
from workbench.emulator.seed import apply_seed, parse_seed
from workbench.emulator.store import Store
from workbench.errors import UsageError, WorkbenchError

P = ParamSpec("P")
R = TypeVar("R")

DB_NAME = "confluence.sqlite3"
START_TIMEOUT = 15.0  # seconds for uvicorn to accept connections in start_in_thread


def open_store(seed: str = "demo", data_dir: str | Path | None = None) -> Store:
    """A store with ``seed`` applied; with ``data_dir`` the state lives there and is seeded only once."""
    store = claim_store(seed, data_dir)
    try:
        fill_store(store, seed)
    except BaseException:
        store.close()
        raise
    return store


def claim_store(seed: str = "demo", data_dir: str | Path | None = None) -> Store:
    """The store, opened — with ``data_dir``, that folder made and locked for this server — but not
    seeded yet (:func:`fill_store`): what can refuse a start (a bad seed, a folder that cannot be
    used or is in use, a database of another version) refuses it here, before the seeding."""
    parse_seed(seed)  # validate before touching anything
    if data_dir is None:
        store = Store(None)
    else:
        folder = Path(data_dir).expanduser()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(
                f"Cannot use {folder} as the data directory: {exc.strerror}."
            ) from None
        lock = _lock_data_dir(folder)
        try:
            store = Store(folder / DB_NAME)
        except BaseException:
            lock.release()
            raise
        store.on_close.append(lock.release)
    return store


def fill_store(store: Store, seed: str) -> None:
    """Apply ``seed`` to a new store (one transaction); an existing data directory keeps its state."""
    store.seeded_now = store.is_empty() and store.meta("seed") is None
    if store.seeded_now:
        with store.transaction():
            apply_seed(store, seed)
            store.set_meta("seed", seed)
    else:  # a data directory from before the local Jira: give it Jira's schema (no issues)
        seed_schema(store)


def describe_data(store: Store, data_dir: str | Path | None) -> str:
    """One line saying where the state lives and which seed it came from."""
    seed = store.meta("seed") or "?"
    if data_dir is None:
        return f"Data: in memory, seed {seed} (lost at exit; use --data DIR to keep it)"
    if store.seeded_now:
        return f"Data: {Path(data_dir).expanduser()} (new, seeded with {seed})"
    return (
        f"Data: {Path(data_dir).expanduser()} (existing, first seeded with {seed}; --seed ignored)"
    )


def _lock_data_dir(folder: Path):
    """One server per data directory: a second one would seed or write behind the first one's back."""
    # lazy, for start-up: filelock (with filelock) loads on first use
    from filelock import FileLock, Timeout

    lock = FileLock(str(folder / ".lock"), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise UsageError(
            f"{folder} is in use by another local Confluence; stop it or pick another --data "
            "directory."
        ) from None
    return lock


@dataclass
class RunningServer:
    """A local Confluence serving in a background thread."""

    host: str
    port: int
    store: Store
    server: object = field(repr=False)
    thread: threading.Thread = field(repr=False)
    app: object = field(repr=False)
    #: A socket bound to the server's address that never listens: it keeps the port this server's
    #: until :meth:`stop` (see :meth:`go_offline` and ``_holder``).
    holder: socket.socket | None = field(default=None, repr=False)

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The site's base URL: ``{origin}/wiki`` on Cloud, ``{origin}{context path}`` on Data Center."""
        return f"{self.origin}{self.state.context_path}"

    @property
    def flavour(self) -> str:
        return self.state.flavour

    @property
    def state(self):
        """The :class:`~workbench.emulator.http.EmulatorState` (auth gate, cloud id, chaos counters)."""
        return self.app.state.emulator  # type: ignore[attr-defined]

    @property
    def requests(self):
        """The :class:`~workbench.emulator.requestlog.RequestLog` of API requests answered so far."""
        return self.state.extras["requests"]

    def stop(self) -> None:
        """Stop serving, close the store and give the port back."""
        self._stop_serving()
        if self.holder is not None:
            self.holder.close()
            self.holder = None
        self.store.close()

    def go_offline(self) -> None:
        """Stop serving (and close the store, as :meth:`stop` does) but keep the address:
        connections to it are refused — a site that cannot be reached — and no other server
        (another test's, another process's) is given the port until :meth:`stop`. A stopped server
        frees its port at once, and a server started elsewhere with port 0 may get it: a client of
        the "unreachable" site would then talk to that one. The same server may come back on the
        port (``start_in_thread(port=…)`` binds beside the holder)."""
        self._stop_serving()  # the listening socket is closed; the holder keeps the port
        self.store.close()

    def _stop_serving(self) -> None:
        self.server.should_exit = True  # type: ignore[attr-defined]
        self.thread.join(timeout=10)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets whose proto says
    # TCP; without it small answers wait ~40 ms for Nagle and delayed ACKs.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if port and exc.errno in (98, 48):  # EADDRINUSE (Linux, macOS)
            raise UsageError(
                f"Port {port} on {host} is already in use; pick another with --port."
            ) from None
        raise UsageError(f"Cannot listen on {host}:{port}: {exc.strerror}.") from None
    return sock


def _listen(sock: socket.socket) -> None:
    sock.listen(2048)  # accept connections (queued) as soon as the URL is announced
    sock.set_inheritable(True)


def _holder(sock: socket.socket) -> socket.socket:
    """A second socket bound to ``sock``'s address before ``sock`` listens (SO_REUSEADDR on both
    allows it then, and only then). It never listens: once the server stops, connecting to the
    address is refused, and the port stays taken — the kernel hands a port that is still bound to
    nobody asking for port 0 — until the holder is closed (:meth:`RunningServer.go_offline`)."""
    holder = socket.socket(sock.family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        holder.bind(sock.getsockname()[:2])
    except OSError:
        holder.close()
        sock.close()
        raise
    return holder


def _uvicorn_server(app, *, quiet: bool):
    # lazy, for start-up: uvicorn (with click, uvicorn) loads on first use
    import uvicorn

    config = uvicorn.Config(
        app,
        log_level="warning" if quiet else "info",
        access_log=not quiet,
        lifespan="off",
        loop="asyncio",
        http="h11",
        ws="none",
        timeout_graceful_shutdown=2,
    )
    return uvicorn.Server(config)


@dataclass(frozen=True, slots=True)
class ServerOptions:
    """What the local Confluence is started with: the one list of its keywords (those of
    :func:`start_in_thread`; :func:`serve` takes one; ``workbench serve-local``'s options)."""

    seed: str = "demo"
    data_dir: str | Path | None = None
    host: str = "127.0.0.1"
    port: int = 0
    rate_limit: float | None = None
    fault_rate: float | None = 0.0
    latency_ms: int | None = 0
    token_ttl: int = 3600
    fault_seed: int | str | None = 0
    flavour: str = "cloud"
    context_path: str | None = None
    captcha_after: int | None = None
    login_redirect: bool = False


def _open(
    options: ServerOptions, *, hold: bool = False
) -> tuple[Store, Any, socket.socket, socket.socket | None]:
    """Check the options, open (and seed) the store, build the app and bind the socket (with a
    :func:`_holder` of its port when ``hold``), listening.

    Returns ``(store, app, sock, holder)``; on failure nothing stays open."""
    # lazy, for start-up: workbench.emulator.app, workbench.emulator.flavour loads on first use
    from workbench.emulator.app import build_app
    from workbench.emulator.flavour import normalise_context

    o = options
    normalise_context(o.flavour, o.context_path)  # a bad flavour or path: refused before opening
    if o.flavour != "dc" and (o.captcha_after is not None or o.login_redirect):
        raise UsageError(
            "--captcha-after and --login-redirect are Data Center behaviours; add --flavour dc."
        )
    if o.captcha_after is not None and int(o.captcha_after) < 0:
        raise UsageError("--captcha-after must be 0 or more failed logins.")
    if o.fault_rate is not None and not 0.0 <= float(o.fault_rate) <= 1.0:
        raise UsageError("--fault-rate must be between 0 and 1 (a fraction of requests).")
    if o.rate_limit is not None and float(o.rate_limit) <= 0:
        raise UsageError("--rate-limit must be a positive number of requests per second.")
    if o.latency_ms is not None and int(o.latency_ms) < 0:
        raise UsageError("--latency must be zero or more milliseconds.")
    store = open_store(o.seed, o.data_dir)
    try:
        app = build_app(
            store,
            rate_limit=o.rate_limit,
            fault_rate=float(o.fault_rate or 0.0),
            latency_ms=int(o.latency_ms or 0),
            token_ttl=int(o.token_ttl),
            fault_seed=o.fault_seed,
            flavour=o.flavour,
            context_path=o.context_path,
            captcha_after=o.captcha_after,
            login_redirect=o.login_redirect,
        )
        sock = _bind(o.host, o.port)
        holder = _holder(sock) if hold else None
        _listen(sock)
    except BaseException:
        store.close()
        raise
    return store, app, sock, holder


def _with_options(
    make: Callable[P, ServerOptions],
) -> Callable[[Callable[[ServerOptions], R]], Callable[P, R]]:
    """``run(options)`` callable with :class:`ServerOptions`' own keywords (one list of them, typed)."""

    def wrap(run: Callable[[ServerOptions], R]) -> Callable[P, R]:
        @functools.wraps(run)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            return run(make(*args, **kwargs))

        return call

    return wrap


@_with_options(ServerOptions)
def start_in_thread(options: ServerOptions) -> RunningServer:
    """Start the local Confluence in a thread; the keywords are :class:`ServerOptions`' (a free
    port by default). ``flavour="dc"`` plays Data Center (v1 only) under ``context_path`` (default:
    none); Cloud always serves under ``/wiki``. See :mod:`workbench.emulator.flavour`. Data Center
    only: ``captcha_after`` failed Basic logins lock an account behind a CAPTCHA; ``login_redirect``
    sends every request without a personal access token to the login page (single sign-on)."""
    store, app, sock, holder = _open(options, hold=True)
    assert holder is not None
    actual_port = sock.getsockname()[1]
    server = _uvicorn_server(app, quiet=True)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # surfaced to the caller below
            errors.append(exc)
        finally:
            sock.close()

    thread = threading.Thread(target=run, name=f"local-confluence-{actual_port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if errors or not thread.is_alive():
            holder.close()
            store.close()
            why = f" ({type(errors[0]).__name__}: {errors[0]})" if errors else ""
            raise WorkbenchError(f"The local Confluence failed to start{why}.")
        if time.monotonic() > deadline:
            server.should_exit = True
            thread.join(timeout=5)
            holder.close()
            store.close()
            raise WorkbenchError(
                f"The local Confluence did not start within {START_TIMEOUT:g} seconds; "
                "the machine may be overloaded. Try again."
            )
        time.sleep(0.005)
    return RunningServer(
        host=options.host,
        port=actual_port,
        store=store,
        server=server,
        thread=thread,
        app=app,
        holder=holder,
    )


def serve(
    options: ServerOptions,
    *,
    announce: Callable[[str, str], None] = lambda url, note: print(url, note),
    quiet: bool = False,
) -> None:
    """Serve in the foreground until interrupted; ``announce(base_url, data_note)`` runs once the
    socket accepts connections."""
    store, app, sock, _ = _open(options)
    host = options.host
    shown_host = f"[{host}]" if ":" in host else host
    context = app.state.emulator.context_path
    try:
        announce(
            f"http://{shown_host}:{sock.getsockname()[1]}{context}",
            describe_data(store, options.data_dir),
        )
        _uvicorn_server(app, quiet=quiet).run(sockets=[sock])
    finally:
        sock.close()
        store.close()
