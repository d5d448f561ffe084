"""How fast the client lists a 5 000-page space, and how much memory it holds.

Starts ``workbench serve-local --seed large:5000`` as a subprocess (so the server does not share
this process's GIL), then, in this process:

- ``raw httpx``: one ``httpx.AsyncClient`` built before the timing and reused, a bare loop over
  ``/api/v2/spaces/{id}/pages`` following the ``next`` links,
  keeping the JSON dicts — the floor any client pays for the same requests;
- ``client``: ``ConfluenceClient.space_pages(space_id, depth="all")``, keeping the typed models;
- ``first level``: ``space_pages(depth="root")`` plus ``children(home)`` — what the tree needs to
  be usable.

Each round runs the three one after another; the client/raw ratio is taken round by round and
its median printed. Prints pages/second side by side, the client/raw ratio, and peak RSS of this (client) process.
Budget (design §4): tree usable ≤ 300 ms, RSS ≤ 200 MB for a 5 000-page space.

Usage: ``python bench/client_list.py [--pages 5000] [--rounds 7]``
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _local import load_line, start_server  # noqa: E402
from _report import number, record  # noqa: E402

AUTH = ("demo@example.com", "demo-token")
MAX_PAGES = 1000  # of 250 results: far more than any --pages this script is run with


def rss_mb() -> float:
    """Current resident set size of this process (Linux /proc), in MB."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        return float("nan")


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak / 1e3


async def raw_list(http, base_url: str, space_id: str) -> int:
    """The floor: the same requests with a bare httpx client built once, outside the timing, and
    reused — as ``ConfluenceClient`` is (building a client makes an SSL context: ~20 ms)."""
    origin = base_url[: -len("/wiki")]
    kept = []
    url = f"{base_url}/api/v2/spaces/{space_id}/pages"
    params: dict | None = {"depth": "all", "limit": 250, "status": "current"}
    for _ in range(MAX_PAGES):  # bounded like the client's own pagination
        data = (await http.get(url, params=params)).json()
        kept.extend(data["results"])
        nxt = data.get("_links", {}).get("next")
        if not nxt:
            return len(kept)
        url, params = origin + nxt, None
    raise SystemExit(f"the server kept sending 'next' links after {MAX_PAGES} pages")


async def client_list(client, space_id: str) -> int:
    kept = [p async for p in client.space_pages(space_id, depth="all")]
    return len(kept)


async def first_level(client, space_id: str, home_id: str) -> int:
    roots = [p async for p in client.space_pages(space_id, depth="root")]
    kids = [c async for c in client.children(home_id)]
    return len(roots) + len(kids)


async def measure(base_url: str, rounds: int) -> dict:
    import httpx

    from workbench.confluence.client import ConfluenceClient

    results: dict[str, list[float]] = {"raw": [], "client": [], "first": []}
    ratios: list[float] = []
    counts: dict[str, int] = {}
    async with (
        ConfluenceClient(base_url, auth=httpx.BasicAuth(*AUTH)) as client,
        httpx.AsyncClient(auth=httpx.BasicAuth(*AUTH), timeout=60) as http,
    ):
        space = await client.space_by_key("LARGE")
        await raw_list(http, base_url, space.id)  # warm both up (connection, first-use imports)
        await client_list(client, space.id)
        rss_before = rss_mb()
        for _ in range(rounds):
            for name, run in (
                ("raw", lambda: raw_list(http, base_url, space.id)),
                ("client", lambda: client_list(client, space.id)),
                ("first", lambda: first_level(client, space.id, space.homepage_id or "")),
            ):
                start = time.perf_counter()
                counts[name] = await run()
                results[name].append(time.perf_counter() - start)
            ratios.append(results["client"][-1] / results["raw"][-1])  # pair by pair
        requests = client.request_count
    return {
        "times": results,
        "ratios": ratios,
        "counts": counts,
        "rss_before": rss_before,
        "requests": requests,
    }


def main() -> int:
    print(load_line())
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    start_rss = rss_mb()
    proc, base_url = start_server("--seed", f"large:{args.pages}")
    try:
        out = asyncio.run(measure(base_url, args.rounds))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    times, counts = out["times"], out["counts"]
    raw, cli, first = (statistics.median(times[k]) for k in ("raw", "client", "first"))
    print(
        f"space of {counts['client']} pages, {args.rounds} rounds (median), server in a subprocess"
    )
    print(f"  {'':22}{'seconds':>10}{'pages/s':>12}")
    print(f"  {'raw httpx loop':22}{raw:>10.3f}{counts['raw'] / raw:>12.0f}")
    print(f"  {'ConfluenceClient':22}{cli:>10.3f}{counts['client'] / cli:>12.0f}")
    r = sorted(out["ratios"])
    print(
        f"  client / raw time ratio: {statistics.median(r):.2f}× (median of the {len(r)} rounds' "
        f"ratios [{r[0]:.2f}–{r[-1]:.2f}]; baseline: one httpx client reused, as the product does)"
    )
    print(
        f"  tree usable (root + first level, {counts['first']} rows): {first * 1000:.0f} ms (budget 300 ms)"
    )
    print(
        f"  RSS of the client process: {start_rss:.0f} MB at start, {out['rss_before']:.0f} MB before listing, "
        f"peak {peak_rss_mb():.0f} MB (budget 200 MB)"
    )
    pages = number(counts["client"])
    record(
        f"client listing a {pages}-page space",
        cli * 1000,
        "ms",
        baseline=raw * 1000,
        baseline_name="plain httpx, one client reused",
        ratio=statistics.median(r),
        note=f"server in another process, {args.rounds} rounds, median of the rounds' ratios",
    )
    record(
        f"client: tree usable (root + first level), {pages}-page space",
        first * 1000,
        "ms",
        budget=300,
        budget_on="figure",
        note=f"{counts['first']} rows",
    )
    record(
        f"client: peak RSS listing a {pages}-page space",
        peak_rss_mb(),
        "MB",
        budget=200,
        budget_on="figure",
        note="the client's process, typed models kept",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
