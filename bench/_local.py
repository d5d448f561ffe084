"""Shared by the benchmarks: a throw-away home, the local Confluence, bounded waits, medians."""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
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
