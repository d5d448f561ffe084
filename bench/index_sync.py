"""``workbench sync`` of a whole space against the raw HTTP it needs; incremental cost; memory; size.

Starts ``workbench serve-local --seed large:N`` (default 20 000 pages) as a subprocess, then, in
turn (A B A B …, a fresh data directory for every A):

- **A**: ``python -m workbench sync LARGE`` as a process of its own: listing, bodies, conversion to
  text, full-text indexing, compression, commits;
- **B** (baseline): ``python bench/index_sync.py --raw URL`` as a process of its own: the same
  requests with bare httpx — the CQL listing (``/rest/api/search``, 250 a page, the same
  expansions, following ``next``) in one thread, one answer ahead, and for each listing page the
  bodies by id (``/api/v2/pages?id=…&body-format=storage``), each answer parsed as JSON and dropped.

Prints each round's wall times and the A/B ratio (budget: median ≤ 1.5), A's peak RSS (the
process's own ``ru_maxrss``; budget ≤ 150 MB), then an incremental sync after 50 pages were changed
over the REST API (requests counted by the sync itself; budget ≤ 60), and the index's size on disk
against the storage it holds (budget ≤ 1.5×).

Then the same size ratio for tiny sites, where a file's fixed cost shows (``--tiny``, default
``large:100``, ``large:300``, ``large:500`` — pages of ~220 B — and the ``demo`` seed), each synced whole by
``workbench sync --all`` into a fresh data directory; ``--tiny-only`` measures just those.

Usage: ``python bench/index_sync.py [--pages 20000] [--rounds 3] [--tiny 100,300,500] [--tiny-only]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _report import number, record  # noqa: E402

AUTH = ("demo@example.com", "demo-token")
CQL = 'space = "LARGE" and type in (page, blogpost, folder) order by lastmodified asc'  # what the sync asks
EXPAND = "content.version,content.metadata.labels,content.ancestors,content.history"


def raw(base_url: str) -> int:
    """The baseline: the listing and the bodies with bare httpx (run as its own process). The listing
    runs one answer ahead of the body reads in a thread of its own, as the sync's stages do, so the
    baseline pays for the same overlap and the ratio measures what the sync adds."""
    import queue
    import threading

    import httpx

    origin = base_url[: -len("/wiki")] if base_url.endswith("/wiki") else base_url
    pages: queue.Queue[dict | None] = queue.Queue(maxsize=2)
    counts = {"listed": 0, "bodies": 0}

    def lister() -> None:
        with httpx.Client(auth=httpx.BasicAuth(*AUTH), timeout=120) as http:
            url: str | None = f"{base_url}/rest/api/search"
            params: dict | None = {"cql": CQL, "limit": 250, "excerpt": "none", "expand": EXPAND}
            while url:
                answer = http.get(url, params=params).json()
                pages.put(answer)
                nxt = (answer.get("_links") or {}).get("next")
                url, params = (
                    (origin + (answer["_links"].get("context") or "") + nxt if nxt else None),
                    None,
                )
                if not answer.get("results"):
                    break
        pages.put(None)

    thread = threading.Thread(target=lister, daemon=True)
    thread.start()
    with httpx.Client(auth=httpx.BasicAuth(*AUTH), timeout=120) as http:
        while (answer := pages.get()) is not None:
            ids: dict[str, list[str]] = {"page": [], "blogpost": []}
            for item in answer.get("results", []):
                content = item.get("content") or {}
                if content.get("type") in ids:
                    ids[content["type"]].append(content["id"])
            counts["listed"] += len(answer.get("results", []))
            for kind, wanted in ids.items():
                if not wanted:
                    continue
                body_url: str | None = f"{base_url}/api/v2/{kind}s"
                body_params: dict | None = {
                    "id": ",".join(wanted),
                    "body-format": "storage",
                    "limit": 250,
                    "status": "current",
                }
                while body_url:
                    found = http.get(body_url, params=body_params).json()
                    counts["bodies"] += len(found.get("results", []))
                    nxt = (found.get("_links") or {}).get("next")
                    body_url, body_params = (origin + nxt if nxt else None), None
    thread.join()
    print(json.dumps(counts))
    return 0


def rss_of_one(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """``(wall seconds, peak RSS MB, stdout)`` of a command run as a process of its own (os.wait4)."""
    began = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - began
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode})")
    return wall, usage.ru_maxrss / 1e3, out


def change_pages(base_url: str, count: int) -> None:
    """Edit ``count`` pages of LARGE over the v2 REST API (a new version each)."""
    import httpx

    with httpx.Client(auth=httpx.BasicAuth(*AUTH), timeout=60) as http:
        listing = http.get(
            f"{base_url}/rest/api/search",
            params={"cql": 'space = "LARGE" and type = page', "limit": count},
        ).json()
        ids = [r["content"]["id"] for r in listing["results"]][:count]
        for ident in ids:
            page = http.get(
                f"{base_url}/api/v2/pages/{ident}", params={"body-format": "storage"}
            ).json()
            body = page["body"]["storage"]["value"] + "<p>changed for the benchmark</p>"
            answer = http.put(
                f"{base_url}/api/v2/pages/{ident}",
                json={
                    "id": ident,
                    "status": "current",
                    "title": page["title"],
                    "body": {"representation": "storage", "value": body},
                    "version": {"number": page["version"]["number"] + 1},
                },
            )
            answer.raise_for_status()


def index_ratio(home: str) -> tuple[int, int]:
    """``(bytes on disk, storage bytes held)`` of the one index under ``home``, in whichever form it
    is (the file, or the snapshot of a small one: ``workbench/index/snapshot.py``), every file
    beside it counted (a WAL left over, the shared-memory file, the lock file)."""
    import gzip
    import sqlite3

    found = next(p for p in Path(home).rglob("*.sqlite3*") if ".sqlite3" in p.name)
    index = found.with_name(found.name[: found.name.index(".sqlite3") + len(".sqlite3")])
    # measured before this bench opens it: its own connection would add a shared-memory file
    size = sum(p.stat().st_size for p in index.parent.glob(index.name + "*") if p.is_file())
    if index.exists():
        db = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    else:
        db = sqlite3.connect(":memory:")
        db.deserialize(gzip.decompress(Path(f"{index}.gz").read_bytes()))
    held = int(db.execute("SELECT SUM(storage_bytes) FROM content").fetchone()[0] or 0)
    db.close()
    return size, held


def record_size(seed: str, size: int, held: int, note: str) -> None:
    """The index's bytes on disk against the storage it holds, in the run's results (≤ 1.5×)."""
    scale, unit = (1e6, "MB") if held >= 1e6 else (1e3, "kB")
    record(
        f"local index size on disk, site {seed}",
        size / scale,
        unit,
        baseline=held / scale,
        baseline_name="the storage it holds",
        budget=1.5,
        note=note,
    )


def tiny_sizes(sizes: list[int]) -> bool:
    """Sync tiny sites whole and print each index's size against the storage it holds."""
    import shutil

    from _local import start_server

    ok = True
    for seed in [f"large:{n}" for n in sizes] + ["demo"]:
        server, base_url = start_server("--seed", seed)
        home = tempfile.mkdtemp(prefix="wb-sync-tiny-")
        try:
            env = {
                **os.environ,
                "CONFLUENCE_URL": base_url,
                "CONFLUENCE_USERNAME": AUTH[0],
                "CONFLUENCE_API_TOKEN": AUTH[1],
                "CONFLUENCE_FLAVOUR": "cloud",
                "PYTHONPATH": str(ROOT),
                "XDG_DATA_HOME": home,
                "XDG_CACHE_HOME": home,
                "XDG_CONFIG_HOME": home,
            }
            rss_of_one([sys.executable, "-m", "workbench", "sync", "--all", "--json"], env)
            size, held = index_ratio(home)
            ratio = size / max(held, 1)
            ok = ok and ratio <= 1.5
            print(
                f"tiny site {seed}: index {size / 1e3:.0f} kB for {held / 1e3:.0f} kB of storage: "
                f"{ratio:.2f}x (budget <= 1.5x)"
            )
            record_size(seed, size, held, "files right after `workbench sync --all`")
        finally:
            server.terminate()
            server.wait(30)
            shutil.rmtree(home, ignore_errors=True)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--raw", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument(
        "--tiny", default="100,300,500", help="page counts of the tiny sites measured for size"
    )
    parser.add_argument("--tiny-only", action="store_true", help="measure only the tiny sites")
    args = parser.parse_args()
    if args.raw:
        return raw(args.raw)
    tiny = [int(n) for n in args.tiny.split(",") if n.strip()]
    if args.tiny_only:
        return 0 if tiny_sizes(tiny) else 1
    from _local import start_server

    t = time.perf_counter()
    server, base_url = start_server("--seed", f"large:{args.pages}")
    print(
        f"serve-local --seed large:{args.pages} ready in {time.perf_counter() - t:.0f} s (not measured)"
    )
    homes: list[str] = []
    try:
        env = {
            **os.environ,
            "CONFLUENCE_URL": base_url,
            "CONFLUENCE_USERNAME": AUTH[0],
            "CONFLUENCE_API_TOKEN": AUTH[1],
            "CONFLUENCE_FLAVOUR": "cloud",
            "PYTHONPATH": str(ROOT),
        }
        ratios: list[float] = []
        syncs: list[float] = []
        raws: list[float] = []
        peaks: list[float] = []
        sync_home = ""
        # The server's caches warmed by one raw listing (the same requests as the sync's), not
        # counted; a whole warm-up sync as well cost ~40 s more and moved no ratio.
        b, _, said = rss_of_one(
            [sys.executable, str(Path(__file__).resolve()), "--raw", base_url], env
        )
        print(f"warm-up: raw {b:.1f} s ({said.strip()})")
        for n in range(1, args.rounds + 1):
            sync_home = tempfile.mkdtemp(prefix="wb-sync-bench-")
            homes.append(sync_home)
            a_env = {
                **env,
                "XDG_DATA_HOME": sync_home,
                "XDG_CACHE_HOME": sync_home,
                "XDG_CONFIG_HOME": sync_home,
            }
            a, peak, _ = rss_of_one(
                [sys.executable, "-m", "workbench", "sync", "LARGE", "--json"], a_env
            )
            b, _, said = rss_of_one(
                [sys.executable, str(Path(__file__).resolve()), "--raw", base_url], env
            )
            syncs.append(a)
            raws.append(b)
            peaks.append(peak)
            ratios.append(a / b)
            print(
                f"round {n}: sync {a:.1f} s ({args.pages / a:.0f} pages/s, peak RSS {peak:.0f} MB), "
                f"raw listing + bodies {b:.1f} s, ratio {a / b:.2f}"
            )
        print(
            f"full sync of {args.pages:,} pages: median {statistics.median(syncs):.1f} s against "
            f"{statistics.median(raws):.1f} s of raw HTTP; ratio median {statistics.median(ratios):.2f} "
            f"[{min(ratios):.2f}–{max(ratios):.2f}] (budget <= 1.5); peak RSS max {max(peaks):.0f} MB "
            "(budget <= 150 MB)"
        )

        a_env = {
            **env,
            "XDG_DATA_HOME": sync_home,
            "XDG_CACHE_HOME": sync_home,
            "XDG_CONFIG_HOME": sync_home,
        }
        change_pages(base_url, 50)
        wall, peak, out = rss_of_one([sys.executable, "-m", "workbench", "sync", "--json"], a_env)
        result = json.loads(out.strip().splitlines()[-1])
        print(
            f"incremental sync after 50 changes: {result['requests']} requests (budget <= 60), "
            f"{wall:.1f} s, peak RSS {peak:.0f} MB"
        )

        size, held = index_ratio(sync_home)
        print(
            f"index size {size / 1e6:.1f} MB for {held / 1e6:.1f} MB of storage: {size / max(held, 1):.2f}x "
            "(budget <= 1.5x)"
        )
        pages = number(args.pages)
        record(
            f"local index: full `workbench sync` of {pages} pages",
            statistics.median(syncs),
            "s",
            baseline=statistics.median(raws),
            baseline_name="the same listing and bodies, bare httpx",
            ratio=statistics.median(ratios),
            budget=1.5,
            note=f"seed large:{args.pages}, each side its own process, {args.rounds} rounds A B A B, "
            f"median of the rounds' ratios [{min(ratios):.2f}–{max(ratios):.2f}]",
        )
        record(
            f"local index: peak RSS of the sync of {pages} pages",
            max(peaks),
            "MB",
            budget=150,
            budget_on="figure",
            note="the sync process's own ru_maxrss, worst round",
        )
        record(
            "local index: incremental sync after 50 changes",
            result["requests"],
            "requests",
            budget=60,
            budget_on="figure",
            note=f"counted by the sync itself; {wall:.1f} s",
        )
        record_size(f"large:{args.pages}", size, held, "after the full and the incremental sync")
        ok = statistics.median(ratios) <= 1.5 and max(peaks) <= 150 and result["requests"] <= 60
        ok = tiny_sizes(tiny) and ok
        return 0 if ok else 1
    finally:
        server.terminate()
        server.wait(30)
        import shutil

        for home in homes:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
