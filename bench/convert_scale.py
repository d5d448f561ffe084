"""The converter against its parse floors, its growth with the page's size, and its memory.

Pages are real corpus pages (``tests/corpus``) repeated to 100 KB, 300 KB, 1 MB and 3 MB.

1. storage → Markdown against an lxml parse of the same page (``recover=True``, the floor of any
   XML-reading converter), interleaved pair by pair, median of the pairs' ratios, in a process warmed
   up on a small page; and **cold**: the first conversion of the page in a fresh process (modules
   imported, nothing converted yet) against that process's first lxml parse. Budget at 300 KB: ≤ 15×.
2. Markdown → storage against a mistune parse of the same Markdown (``renderer=None``: its token tree,
   the floor of any Markdown-reading converter), interleaved the same way: fresh Markdown (no base),
   and the editor's save — one word changed, the base's parse cached. No budget in issue 18; shown so
   that a change to one direction cannot hide a cost in the other.
3. Growth: time ∝ size^k, least squares on log–log from 100 KB to 3 MB. Budget: linear (k ≤ 1.1).
4. Memory: the peak resident memory a conversion adds (a fresh process per size: VmHWM after the
   conversion minus the resident size before it), per byte of storage; and the peak of the memory
   traced by ``tracemalloc`` during the conversion (another fresh process). Budget: ≤ 25 B per byte.

CPU time (``time.process_time``) is measured, so a loaded machine slows both sides alike; each
measurement runs in a process of its own. ``--before DIR`` also measures the converter of another
checkout (a directory holding its ``workbench`` package, e.g. ``git archive REV workbench | tar -x -C
DIR``) with this script's method, its processes alternating with this checkout's, so before and
after are ratios to the same floors under the same load.
Run: ``.venv/bin/python bench/convert_scale.py [--before DIR]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _local import load_line  # noqa: E402
from _report import record  # noqa: E402

SIZES = (100_000, 300_000, 1_000_000, 3_000_000)


def page(size: int) -> str:
    docs = [
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "corpus").glob("*.xml"))
    ]
    parts, n = [], 0
    while n < size:
        for doc in docs:
            parts.append(doc)
            n += len(doc.encode("utf-8"))
            if n >= size:
                break
    return "\n".join(parts)


def lxml_parse(storage: str) -> None:
    from lxml import etree

    wrapped = f'<r xmlns:ac="urn:ac" xmlns:ri="urn:ri">{storage}</r>'.encode()
    etree.fromstring(wrapped, etree.XMLParser(recover=True, resolve_entities=False))


def cpu(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def one_word_changed(md: str) -> str:
    words = md.split(" ")
    middle = len(words) // 2
    return " ".join(words[:middle] + ["changed"] + words[middle + 1 :])


def timing_child(size: int, rounds: int) -> dict:
    """One process's measurements of the converter found first on sys.path."""
    import mistune
    from lxml import etree  # noqa: F401 - imported before the cold pair, like the converter

    from workbench.convert import markdown_to_storage, storage_to_markdown
    from workbench.convert.api import clear_cache

    storage = page(size)
    cold = cpu(lambda: storage_to_markdown(storage)) / cpu(lambda: lxml_parse(storage))
    storage_to_markdown(page(20_000))  # first-use caches, not the page's cost
    tokens = mistune.create_markdown(renderer=None)
    md = storage_to_markdown(storage)
    edited = one_word_changed(md)
    s2m, floor, fresh, save, md_floor = [], [], [], [], []
    for _ in range(rounds):  # A B A B …: each ratio is taken pair by pair
        clear_cache()
        s2m.append(cpu(lambda: storage_to_markdown(storage)))
        floor.append(cpu(lambda: lxml_parse(storage)))
        fresh.append(cpu(lambda: markdown_to_storage(md)))
        md_floor.append(cpu(lambda: tokens(md)))
        save.append(cpu(lambda: markdown_to_storage(edited, base=storage)))  # base parse cached
    return {
        "bytes": len(storage.encode("utf-8")),
        "s2m": statistics.median(s2m),
        "lxml": statistics.median(floor),
        "ratio": statistics.median(a / b for a, b in zip(s2m, floor, strict=True)),
        "cold": cold,
        "fresh": statistics.median(fresh),
        "mistune": statistics.median(md_floor),
        "fresh_ratio": statistics.median(a / b for a, b in zip(fresh, md_floor, strict=True)),
        "save": statistics.median(save),
        "save_ratio": statistics.median(a / b for a, b in zip(save, md_floor, strict=True)),
    }


def memory_child(size: int, traced: bool) -> dict:
    from workbench.convert import storage_to_markdown

    storage = page(size)
    storage_to_markdown(page(20_000))  # imports and first-use caches, not the page's cost
    if traced:
        import tracemalloc

        tracemalloc.start()
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        storage_to_markdown(storage)
        _, peak = tracemalloc.get_traced_memory()
        return {"bytes": len(storage.encode("utf-8")), "added": max(0, peak - before)}
    status = Path("/proc/self/status")

    def field(name: str) -> int:
        for line in status.read_text().splitlines():
            if line.startswith(name):
                return int(line.split()[1]) * 1024
        raise SystemExit(f"no {name} in /proc/self/status")

    before = field("VmRSS:")
    storage_to_markdown(storage)
    peak = field("VmHWM:")
    return {"bytes": len(storage.encode("utf-8")), "added": max(0, peak - before)}


def child(checkout: Path, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    done = subprocess.run(
        [sys.executable, __file__, "--checkout", str(checkout), *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def growth(rows: list[dict], key: str) -> float:
    xs = [math.log(r["bytes"]) for r in rows]
    ys = [math.log(r[key]) for r in rows]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def measure(sides: list[tuple[str, Path]]) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {name: [] for name, _ in sides}
    for size in SIZES:
        runs = 2  # processes per size: the growth's fit must not hinge on one process's 3 MB
        rounds = 5 if size <= 300_000 else 3 if size <= 1_000_000 else 2
        got: dict[str, list[dict]] = {name: [] for name, _ in sides}
        for _ in range(runs):  # the sides' processes alternate
            for name, checkout in sides:
                got[name].append(child(checkout, "--time", str(size), str(rounds)))
        for name, checkout in sides:
            row = {k: statistics.median(r[k] for r in got[name]) for k in got[name][0]}
            rss = child(checkout, "--memory", str(size))
            traced = child(checkout, "--memory", str(size), "--traced")
            row["rss"] = rss["added"] / rss["bytes"]
            row["traced"] = traced["added"] / traced["bytes"]
            rows[name].append(row)
    return rows


def record_side(name: str, rows: list[dict]) -> None:
    """The budgets of issue 18 in the run's results (``bench/_report.py``): ≤ 15× lxml at 300 KB,
    linear to 3 MB, ≤ 25 B of memory per byte of page (at 300 KB and at 3 MB)."""
    side = "" if name == "this checkout" else f" — {name}"
    at300 = next(r for r in rows if r["bytes"] >= 300_000)
    largest = rows[-1]
    kb = f"{at300['bytes'] / 1000:.0f} KB"
    record(
        f"converter storage → Markdown, {kb}, CPU time{side}",
        at300["s2m"] * 1000,
        "ms",
        baseline=at300["lxml"] * 1000,
        baseline_name="an lxml parse",
        ratio=at300["ratio"],
        budget=15,
        note=f"median of pair ratios; cold (first conversion of a process) {at300['cold']:.1f}×",
    )
    record(
        f"converter storage → Markdown, growth from {rows[0]['bytes'] / 1e6:.1f} to "
        f"{largest['bytes'] / 1e6:.1f} MB{side}",
        growth(rows, "s2m"),
        "",
        budget=1.1,
        budget_on="figure",
        note=f"k in time ∝ size^k; {largest['bytes'] / 1e6:.1f} MB at {largest['ratio']:.1f}× lxml",
    )
    for row in (at300, largest):
        record(
            f"converter storage → Markdown, memory per byte of page, "
            f"{row['bytes'] / 1000:.0f} KB{side}",
            row["rss"],
            "B/B",
            budget=25,
            budget_on="figure",
            note=f"peak resident memory added; traced by tracemalloc {row['traced']:.1f} B/B",
        )


def report(name: str, rows: list[dict]) -> None:
    print(f"{name}: storage → Markdown (CPU time, cold parse cache) against an lxml parse")
    print(
        f"  {'size':>8}{'convert':>10}{'lxml':>8}{'ratio':>8}{'cold':>8}"
        f"{'memory B/B':>12}{'traced B/B':>12}"
    )
    for r in rows:
        print(
            f"  {r['bytes'] / 1000:>6.0f}KB{r['s2m'] * 1000:>8.1f}ms{r['lxml'] * 1000:>6.1f}ms"
            f"{r['ratio']:>7.1f}×{r['cold']:>7.1f}×{r['rss']:>12.1f}{r['traced']:>12.1f}"
        )
    print(f"  growth: time ∝ size^{growth(rows, 's2m'):.2f} from 100 KB to 3 MB (budget: k ≤ 1.1)")
    at300 = next(r for r in rows if r["bytes"] >= 300_000)
    print(
        f"  budget: 300 KB ≤ 15× lxml: {at300['ratio']:.1f}× "
        f"{'OK' if at300['ratio'] <= 15 else 'OVER BUDGET'} (cold {at300['cold']:.1f}×); "
        f"≤ 25 B of memory per byte: {at300['rss']:.1f} "
        f"{'OK' if at300['rss'] <= 25 else 'OVER BUDGET'} (traced {at300['traced']:.1f})"
    )
    record_side(name, rows)
    print(f"{name}: Markdown → storage against a mistune parse of the same Markdown (no budget)")
    print(f"  {'size':>8}{'fresh':>10}{'mistune':>10}{'ratio':>8}{'save':>10}{'ratio':>8}")
    for r in rows:
        print(
            f"  {r['bytes'] / 1000:>6.0f}KB{r['fresh'] * 1000:>8.1f}ms{r['mistune'] * 1000:>8.1f}ms"
            f"{r['fresh_ratio']:>7.2f}×{r['save'] * 1000:>8.1f}ms{r['save_ratio']:>7.2f}×"
        )
    print(
        f"  growth: fresh ∝ size^{growth(rows, 'fresh'):.2f}, "
        f"save (one word, base parsed) ∝ size^{growth(rows, 'save'):.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", metavar="DIR", help="also measure the converter in DIR")
    parser.add_argument("--checkout", help=argparse.SUPPRESS)
    parser.add_argument("--time", nargs=2, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--memory", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.checkout:  # a child: the converter of that checkout comes first on the path
        sys.path.insert(0, args.checkout)
        import workbench.convert

        found = Path(workbench.convert.__file__).resolve()
        if not found.is_relative_to(Path(args.checkout).resolve()):
            raise SystemExit(f"measuring {found}, not the converter in {args.checkout}")
        if args.time:
            print(json.dumps(timing_child(*args.time)))
        else:
            print(json.dumps(memory_child(args.memory, args.traced)))
        return 0
    print(load_line())
    sides = [("this checkout", ROOT)]
    if args.before:
        before = Path(args.before).resolve()
        if not (before / "workbench" / "convert").is_dir():
            raise SystemExit(f"{before} holds no workbench/convert package")
        sides.append((f"before ({args.before})", before))
    rows = measure(sides)
    for name, _ in sides:
        report(name, rows[name])
    print(load_line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
