"""The tree: a 5 000-page space, and the children of ONE page at 1 000, 10 000 and 30 000.

The local Confluence runs in its own process (``serve-local``), the app headless in this one
(Textual's Pilot, 120×40), its tree cache cold. Expansions are started the way the expand key does
(``node.expand()``, as ``SiteTree.action_expand``) and timed until the rows are in the tree, so the
figures are the app's own time, without Pilot's key-press overhead (~100 ms a key).

1. ``--seed large:5000``: the space shown; expand the space → its sections; expand the 300-child
   "Archive" section; expand 300 more nodes one by one. A deep, narrow tree: no level is wide.
2. ``--seed wide:W`` for W = 1 000, 10 000, 30 000, each in a fresh process: expand the one page
   with W children → first rows, all W rows in the tree. Baseline, in the same process right
   after: the same listing (``direct-children``, 250 a request, following ``next``) with a bare
   httpx client. Also measured: the event loop's worst delay while the rows stream in (how long a
   key press could wait), and the CPU the process burns in the second after the rows are shown
   (≈ 0 when it is idle).

Budgets: usable ≤ 300 ms and RSS ≤ 200 MB (5 000 pages); W = 10 000 shown within 3× the HTTP
listing. ``--before DIR`` also measures the app of another checkout (e.g. ``git archive`` of an
older commit, ``tar -x -C DIR``) against the same servers, its processes alternating with this
checkout's (``--rounds`` pairs per width), so before and after are compared in the same run.
Usage: ``python bench/tree_large.py [--widths 1000,10000,30000] [--before DIR [--rounds N]]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _local import ROOT, load_line, start_server, stop_server, until  # noqa: E402
from _report import number, record  # noqa: E402

AUTH = ("demo@example.com", "demo-token")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class LoopLag:
    """The event loop's delays: a task asks to wake every 5 ms and records how late it wakes."""

    def __init__(self) -> None:
        self.lags: list[float] = []
        self._task: asyncio.Task | None = None

    async def _tick(self) -> None:
        while True:
            t = time.perf_counter()
            await asyncio.sleep(0.005)
            self.lags.append(time.perf_counter() - t - 0.005)

    def __enter__(self) -> LoopLag:
        self._task = asyncio.get_running_loop().create_task(self._tick())
        return self

    def __exit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()


async def open_app(base_url: str, space_title: str):
    from workbench.services.sites import url_site
    from workbench.tui.app import WorkbenchApp

    return WorkbenchApp(url_site(base_url, name="bench")), space_title


async def expand(tree, node) -> None:
    """What the expand key does on a collapsed node (``SiteTree.action_expand``)."""
    node.expand()


async def deep(base_url: str) -> dict:
    from workbench.tui.widgets.site_tree import SiteTree

    app, _ = await open_app(base_url, "Large space")
    out: dict = {}
    start = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        tree: SiteTree | None = None

        def spaces_shown() -> bool:
            nonlocal tree
            if app.main is None:
                return False
            tree = app.main.query_one(SiteTree)
            return any(n.data.title == "Large space" for n in tree.root.children)

        await until(spaces_shown)
        out["spaces"] = time.perf_counter() - start
        assert tree is not None
        await app.workers.wait_for_complete()
        await pilot.pause()
        space = next(n for n in tree.root.children if n.data.title == "Large space")
        t0 = time.perf_counter()
        await expand(tree, space)
        await until(lambda: bool(space.children))
        out["space_first"] = time.perf_counter() - t0
        await until(lambda: len(space.children) >= 10 and space.data.loaded)
        out["space_all"] = time.perf_counter() - t0
        archive = space.children[0]
        t0 = time.perf_counter()
        await expand(tree, archive)
        await until(lambda: len(archive.children) > 0)
        out["archive_first"] = time.perf_counter() - t0
        await until(lambda: archive.data.loaded and not archive.data.loading)
        out["archive_all"] = time.perf_counter() - t0
        out["archive_rows"] = len(archive.children)
        t0 = time.perf_counter()
        frontier = list(space.children[1:])
        expanded = 0
        while frontier and expanded < 300:
            node = frontier.pop(0)
            if node.allow_expand and not node.is_expanded:
                await expand(tree, node)
                expanded += 1
                await until(lambda n=node: n.data.loaded)
                frontier.extend(node.children)
        out["more"] = time.perf_counter() - t0
        out["expanded"] = expanded
        out["rows"] = sum(len(rows) for rows in tree.rows.by_parent.values())
    out["rss"] = peak_rss_mb()
    return out


async def listing(http, base_url: str, page_id: str, width: int) -> None:
    """The floor: the page's children, 250 a request, following ``next`` (bare httpx)."""
    origin = base_url[: -len("/wiki")]
    url, params = f"{base_url}/api/v2/pages/{page_id}/direct-children", {"limit": 250}
    rows: list[dict] = []
    for _ in range(10_000):
        data = (await http.get(url, params=params)).json()
        rows += data["results"]
        nxt = data.get("_links", {}).get("next")
        if not nxt:
            break
        url, params = origin + nxt, None
    assert len(rows) == width, len(rows)


async def wide(base_url: str, width: int) -> dict:
    import httpx

    from workbench.tui.widgets.site_tree import SiteTree

    out: dict = {"width": width}
    page_id = ""
    async with httpx.AsyncClient(auth=httpx.BasicAuth(*AUTH), timeout=120) as http:
        found = await http.get(
            f"{base_url}/rest/api/content/search", params={"cql": 'title = "Wide"'}
        )
        page_id = str(found.json()["results"][0]["id"])
        await listing(http, base_url, page_id, width)  # warms the server up: its first answers
    app, _ = await open_app(base_url, "Wide space")
    async with app.run_test(size=(120, 40)) as pilot:
        tree: SiteTree | None = None

        def spaces_shown() -> bool:
            nonlocal tree
            if app.main is None:
                return False
            tree = app.main.query_one(SiteTree)
            return any(n.data.title == "Wide space" for n in tree.root.children)

        await until(spaces_shown)
        assert tree is not None
        await app.workers.wait_for_complete()
        space = next(n for n in tree.root.children if n.data.title == "Wide space")
        await expand(tree, space)
        await until(lambda: space.data.loaded and bool(space.children))
        await app.workers.wait_for_complete()
        await pilot.pause()
        page = next(n for n in space.children if n.data.title == "Wide")
        cpu0 = time.process_time()
        t0 = time.perf_counter()
        with LoopLag() as lag:
            await expand(tree, page)
            await until(lambda: len(page.children) > 0, timeout=300)
            out["first"] = time.perf_counter() - t0
            await until(
                lambda: page.data.loaded and len(page.children) >= width and not page.data.loading,
                timeout=300,
            )
            out["loaded"] = time.perf_counter() - t0
            # the tree's lines are laid out (drawing the 40 visible ones is what any tree costs)
            await until(lambda: tree.last_line + 1 >= width, timeout=300)
            out["shown"] = time.perf_counter() - t0
        out["cpu_while"] = time.process_time() - cpu0
        out["lag_max"] = max(lag.lags, default=0.0)
        out["lag_p95"] = sorted(lag.lags)[int(len(lag.lags) * 0.95)] if lag.lags else 0.0
        await app.workers.wait_for_complete()
        cpu1, t1 = time.process_time(), time.perf_counter()
        await asyncio.sleep(1.0)
        out["cpu_after"] = (time.process_time() - cpu1) / (time.perf_counter() - t1)
    out["rss"] = peak_rss_mb()
    floors, floor_cpu = [], []
    async with httpx.AsyncClient(auth=httpx.BasicAuth(*AUTH), timeout=120) as http:
        await listing(http, base_url, page_id, width)  # the connection
        for _ in range(3):
            t, c = time.perf_counter(), time.process_time()
            await listing(http, base_url, page_id, width)
            floors.append(time.perf_counter() - t)
            floor_cpu.append(time.process_time() - c)
    out["floor"] = statistics.median(floors)
    out["floor_cpu"] = statistics.median(floor_cpu)
    return out


def run_child(*args: str, checkout: Path = ROOT) -> dict:
    """One measuring process with a home of its own: its tree cache cold (a cache left by an
    earlier process for the same server would show the rows before any request), nothing written
    into the user's home."""
    with tempfile.TemporaryDirectory(prefix="tree-large-") as home:
        env = {
            **os.environ,
            "PYTHONPATH": str(checkout),
            "XDG_CACHE_HOME": home,
            "XDG_DATA_HOME": home,
            "XDG_CONFIG_HOME": home,
        }
        done = subprocess.run(
            [sys.executable, __file__, "--checkout", str(checkout), "--child", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=900,
        )
    if done.returncode:
        raise SystemExit(f"the measuring process failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(args: list[str], checkout: str | None) -> dict:
    if checkout:  # the app of that checkout comes first on the path (PYTHONPATH says so too)
        sys.path.insert(0, checkout)
        import workbench

        found = Path(workbench.__file__).resolve()
        if not found.is_relative_to(Path(checkout).resolve()):
            raise SystemExit(f"measuring {found}, not the app in {checkout}")
    if args[0] == "deep":
        return asyncio.run(deep(args[1]))
    return asyncio.run(wide(args[1], int(args[2])))


def compare(before: Path, widths: str, rounds: int, skip_deep: bool) -> int:
    """This checkout's app and ``before``'s, alternating against the same server (no records)."""
    if not (before / "workbench" / "tui").is_dir():
        raise SystemExit(f"{before} holds no workbench/tui package")
    sides = [("after", ROOT), ("before", before)]
    print(load_line())
    print(
        f"after: this checkout ({ROOT}); before: {before}; {rounds} pair(s) per width, alternating"
    )
    if not skip_deep:
        proc, base_url = start_server("--seed", "large:5000")
        try:
            deeps = {name: run_child("deep", base_url, checkout=path) for name, path in sides}
        finally:
            stop_server(proc)
        for name, d in deeps.items():
            print(
                f"  {name:>6}: 5 000-page space: expand → first section {ms(d['space_first'])}, "
                f"'Archive' all {ms(d['archive_all'])}, {d['expanded']} more {ms(d['more'])}, "
                f"RSS {d['rss']:.0f} MB"
            )
    print(
        f"  {'W':>7}{'side':>8}{'first rows':>12}{'all shown':>12}{'HTTP floor':>12}{'ratio':>8}"
        f"{'CPU app':>9}{'worst lag':>11}{'CPU after':>11}{'RSS':>8}"
    )
    for width in (int(w) for w in widths.split(",")):
        proc, base_url = start_server("--seed", f"wide:{width}")
        ratios: dict[str, list[float]] = {name: [] for name, _ in sides}
        try:
            for i in range(rounds):
                order = sides if i % 2 == 0 else sides[::-1]
                for name, path in order:
                    w = run_child("wide", base_url, str(width), checkout=path)
                    ratios[name].append(w["shown"] / w["floor"])
                    print(
                        f"  {width:>7}{name:>8}{w['first'] * 1000:>10.0f}ms"
                        f"{w['shown'] * 1000:>10.0f}ms{w['floor'] * 1000:>10.0f}ms"
                        f"{w['shown'] / w['floor']:>7.2f}×{w['cpu_while'] * 1000:>7.0f}ms"
                        f"{w['lag_max'] * 1000:>9.0f}ms{w['cpu_after']:>10.0%}{w['rss']:>6.0f}MB",
                        flush=True,
                    )
        finally:
            stop_server(proc)
        print(
            f"  {width:>7}  median ratio: after {statistics.median(ratios['after']):.2f}×, "
            f"before {statistics.median(ratios['before']):.2f}×  {load_line()}"
        )
    print(load_line())
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", default="1000,10000,30000")
    parser.add_argument("--skip-deep", action="store_true")
    parser.add_argument("--before", metavar="DIR", help="also measure the app in DIR")
    parser.add_argument("--rounds", type=int, default=1, help="pairs per width with --before")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--checkout", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.checkout)))
        return 0
    if args.before:
        return compare(Path(args.before).resolve(), args.widths, args.rounds, args.skip_deep)
    print(load_line())
    print(f"app in its own process, headless 120×40; server in another process ({ROOT})")
    if not args.skip_deep:
        proc, base_url = start_server("--seed", "large:5000")
        try:
            d = run_child("deep", base_url)
        finally:
            stop_server(proc)
        print("5 000-page space (seed large:5000), tree cache cold:")
        print(f"  start → spaces in the tree             {ms(d['spaces'])}")
        print(
            f"  expand space → first section shown     {ms(d['space_first'])}   (budget ≤ 300 ms)"
        )
        print(f"  expand space → its sections shown      {ms(d['space_all'])}")
        print(f"  expand 'Archive' → first children      {ms(d['archive_first'])}")
        print(f"  expand 'Archive' → all {d['archive_rows']} children    {ms(d['archive_all'])}")
        print(
            f"  expand {d['expanded']} more nodes one by one      {ms(d['more'])}  "
            f"→ {d['rows']} rows loaded"
        )
        print(f"  peak RSS of the app process            {d['rss']:7.0f} MB   (budget ≤ 200 MB)")
        record(
            "tree usable: expand a 5 000-page space → first section shown",
            d["space_first"] * 1000,
            "ms",
            budget=300,
            budget_on="figure",
            note="app in its own process, server in another, tree cache cold",
        )
        record(
            "tree: peak RSS of the app, 5 000-page space",
            d["rss"],
            "MB",
            budget=200,
            budget_on="figure",
            note=f"after expanding {d['expanded']} nodes, {d['rows']} rows loaded",
        )
    print("one page with W children (seed wide:W), each W in a fresh process:")
    print(
        f"  {'W':>7}{'first rows':>12}{'all shown':>12}{'HTTP floor':>12}{'ratio':>8}"
        f"{'CPU app':>9}{'CPU floor':>10}{'worst lag':>11}{'p95 lag':>9}{'CPU after':>11}{'RSS':>8}"
    )
    for width in (int(w) for w in args.widths.split(",")):
        proc, base_url = start_server("--seed", f"wide:{width}")
        try:
            w = run_child("wide", base_url, str(width))
        finally:
            stop_server(proc)
        print(
            f"  {width:>7}{w['first'] * 1000:>10.0f}ms{w['shown'] * 1000:>10.0f}ms"
            f"{w['floor'] * 1000:>10.0f}ms{w['shown'] / w['floor']:>7.1f}×"
            f"{w['cpu_while'] * 1000:>7.0f}ms{w['floor_cpu'] * 1000:>8.0f}ms"
            f"{w['lag_max'] * 1000:>9.0f}ms{w['lag_p95'] * 1000:>7.0f}ms"
            f"{w['cpu_after']:>10.0%}{w['rss']:>6.0f}MB"
        )
        record(
            f"tree: one page with {number(width)} children, all shown",
            w["shown"] * 1000,
            "ms",
            baseline=w["floor"] * 1000,
            baseline_name="the same listing, bare httpx",
            budget=3 if width == 10_000 else None,
            note=(
                f"expand → rows in the tree, no key press; first rows {w['first'] * 1000:.0f} ms; "
                f"worst loop lag {w['lag_max'] * 1000:.0f} ms; CPU after shown {w['cpu_after']:.0%}"
            ),
        )
        if width == 10_000:
            r = w["shown"] / w["floor"]
            print(
                f"  budget: 10 000 children shown ≤ 3× the HTTP listing: {r:.1f}× "
                f"{'OK' if r <= 3 else 'OVER BUDGET'}"
            )
    print("  (CPU app: the app process's CPU from expand to shown; CPU floor: the bare listing's;")
    print("   lag: how late the event loop ran a 5 ms timer while the rows streamed in;")
    print("   CPU after: the process's CPU use in the second after they were shown, 0 % = idle)")
    print(load_line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
