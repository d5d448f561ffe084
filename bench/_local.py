"""Shared by the benchmarks: a throw-away home, the local Confluence, bounded waits, medians."""

from __future__ import annotations

import asyncio
import os
import queue
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


async def until(predicate: Callable[[], object], timeout: float = 60.0) -> float:
    """Seconds until ``predicate()`` is true, polling every millisecond; ``TimeoutError`` after ``timeout``."""
    start = time.perf_counter()
    while not predicate():
        if time.perf_counter() - start > timeout:
            raise TimeoutError(f"condition not reached within {timeout:g} s")
        await asyncio.sleep(0.001)
    return time.perf_counter() - start


def median_ms(fn: Callable[[], object], rounds: int) -> float:
    """Median wall time of ``fn()`` over ``rounds`` calls, in milliseconds."""
    samples = []
    for _ in range(rounds):
        began = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples) * 1000


def summary(seconds: list[float]) -> str:
    """``median ms  [min–max]`` of timings given in seconds (``n/a`` for none)."""
    if not seconds:
        return "n/a"
    ms = sorted(v * 1000 for v in seconds)
    return f"{statistics.median(ms):6.0f} ms  [{ms[0]:.0f}–{ms[-1]:.0f}]"


def run_against_local(seed: str, measure: Callable[[object], Awaitable[None]]) -> int:
    """Start the local Confluence with ``seed`` (cache and data in a temporary home), run ``measure(server)``."""
    sys.path.insert(0, str(ROOT))
    from workbench.emulator.runner import start_in_thread

    with tempfile.TemporaryDirectory() as home:
        os.environ["XDG_CACHE_HOME"] = home
        os.environ["XDG_DATA_HOME"] = home
        t = time.perf_counter()
        server = start_in_thread(seed=seed)
        seeding = time.perf_counter() - t
        if seeding > 1:
            print(f"(seeding {seed} took {seeding:.1f} s; not part of the budget)")
        try:
            asyncio.run(measure(server))
        finally:
            server.stop()
    return 0


def load_line() -> str:
    """The machine's load average and cores, printed with every figure (shared, noisy machines)."""
    one, five, fifteen = os.getloadavg()
    return f"(load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores)"


def start_server(*options: str, timeout: float = 180) -> tuple[subprocess.Popen, str]:
    """``workbench serve-local --port 0 --quiet OPTIONS…`` in a subprocess (so the server does not
    share the measuring process's GIL); returns it and its base URL. The server is this checkout's,
    or the one ``BENCH_SERVER_ROOT`` names (an older checkout's app measured against today's seeds)."""
    cmd = [sys.executable, "-m", "workbench", "serve-local", "--port", "0", "--quiet", *options]
    server_root = os.environ.get("BENCH_SERVER_ROOT") or str(ROOT)
    env = {**os.environ, "PYTHONPATH": server_root}
    proc = subprocess.Popen(
        cmd, cwd=server_root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    out = proc.stdout

    def pump() -> None:  # readline() blocks: a thread reads, so the wait below stays bounded
        for line in iter(out.readline, ""):
            lines.put(line)
        lines.put("")  # end of output

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if not line:
            err = proc.stderr.read() if proc.stderr else ""
            raise SystemExit(f"serve-local exited before announcing its URL:\n{err}")
        match = re.search(r"Local Confluence at (\S+)", line)
        if match:
            return proc, match.group(1)
    proc.kill()
    raise SystemExit(f"serve-local did not start within {timeout:g} s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
