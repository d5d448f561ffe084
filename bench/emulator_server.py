"""How fast the local Confluence seeds and answers (server side of the benchmarks).

Measures, in one run:

- seeding ``large:N`` for several N (budget: 5 000 pages in a few seconds), side by side with a
  bare SQLite ``executemany`` of the same rows as the floor;
- GET of the ~100 KB "Service catalogue" page with its storage body, next to a tiny request
  (``/rest/api/user/current``) as the baseline: the ratio is what the body costs;
- CQL search latency on the 5 000-page space (full text, title, ancestor).

Usage: ``python bench/emulator_server.py [--rounds 20]``
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _local import median_ms  # noqa: E402
from _report import record  # noqa: E402

AUTH = ("demo@example.com", "demo-token")


def floor_insert(n: int) -> float:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, parent INTEGER, title TEXT, body TEXT)")
    rows = [(i, i // 7, f"Page {i}", "<p>" + "x" * 300 + "</p>") for i in range(n)]
    began = time.perf_counter()
    with db:
        db.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", rows)
    return (time.perf_counter() - began) * 1000


def main() -> int:
    import httpx

    from workbench.emulator.runner import open_store, start_in_thread

    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    print(f"{'seed':<14}{'build ms':>10}{'bare insert ms':>16}{'ratio':>8}")
    for n in (1000, 5000, 20000):
        began = time.perf_counter()
        store = open_store(f"large:{n}")
        built = (time.perf_counter() - began) * 1000
        store.close()
        floor = floor_insert(n)
        print(f"{'large:' + str(n):<14}{built:>10.0f}{floor:>16.0f}{built / floor:>8.1f}")
        if n == 5000:
            record(
                "local server: seed large:5000",
                built,
                "ms",
                baseline=floor,
                baseline_name="bare SQLite inserts",
                note="in process",
            )

    server = start_in_thread(seed="demo")
    try:
        with httpx.Client(base_url=server.base_url, auth=AUTH) as http:
            page = http.get("/api/v2/pages", params={"title": "Service catalogue"}).json()[
                "results"
            ][0]
            big = median_ms(
                lambda: http.get(f"/api/v2/pages/{page['id']}", params={"body-format": "storage"}),
                args.rounds,
            )
            tiny = median_ms(lambda: http.get("/rest/api/user/current"), args.rounds)
        print(f"\n{'request (demo seed)':<40}{'median ms':>10}")
        print(f"{'GET /rest/api/user/current (baseline)':<40}{tiny:>10.1f}")
        print(f"{'GET 100 KB page with storage body':<40}{big:>10.1f}   ratio {big / tiny:.1f}x")
        record(
            "local server: GET of the 100 KB page with its storage",
            big,
            "ms",
            baseline=tiny,
            baseline_name="GET /rest/api/user/current",
            note=f"median of {args.rounds}, server in a thread of this process",
        )
    finally:
        server.stop()

    server = start_in_thread(seed="large:5000")
    try:
        with httpx.Client(base_url=server.base_url, auth=AUTH) as http:
            print(f"\n{'CQL on large:5000 (limit 25)':<40}{'median ms':>10}")
            for cql in (
                'text ~ "throughput"',
                'title ~ "level 4"',
                "ancestor = 65538 order by title",
                'lastmodified > now("-30d")',
            ):
                ms = median_ms(
                    lambda q=cql: http.get("/rest/api/search", params={"cql": q}),
                    max(3, args.rounds // 4),
                )
                print(f"{cql:<40}{ms:>10.1f}")
            home = server.store.query_one("SELECT homepage_id FROM spaces WHERE key = 'LARGE'")[
                "homepage_id"
            ]
            ms = median_ms(
                lambda: http.get(f"/api/v2/pages/{home}/children", params={"limit": 250}),
                args.rounds,
            )
            print(f"{'children of the homepage (v2)':<40}{ms:>10.1f}")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
