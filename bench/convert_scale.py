"""The converter against the parse floor, its growth with the page's size, and its memory.

Pages are real corpus pages (``tests/corpus``) repeated to 100 KB, 300 KB, 1 MB and 3 MB.

1. storage → Markdown against an lxml parse of the same page (``recover=True``, the floor of any
   XML-reading converter), interleaved, median of the pairs' ratios. Budget at 300 KB: ≤ 15×.
2. Growth: time ∝ size^k, least squares on log–log from 100 KB to 3 MB. Budget: linear (k ≤ 1.1).
3. Memory: the peak resident memory a conversion adds (a fresh process per size: VmHWM after the
   conversion minus the resident size before it), per byte of storage. Budget: ≤ 25 B per byte.

CPU time (``time.process_time``) is measured, so a loaded machine slows both sides alike.
Run: ``.venv/bin/python bench/convert_scale.py``; ``--child SIZE`` is one memory measurement.
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
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _local import load_line  # noqa: E402

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


def memory_child(size: int) -> dict:
    from workbench.convert import storage_to_markdown

    storage = page(size)
    storage_to_markdown(page(20_000))  # imports and first-use caches, not the page's cost
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", type=int)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(memory_child(args.child)))
        return 0
    from workbench.convert import storage_to_markdown
    from workbench.convert.api import clear_cache

    print(load_line())
    storage_to_markdown(page(20_000))
    rows = []
    for size in SIZES:
        storage = page(size)
        rounds = 5 if size <= 300_000 else 3 if size <= 1_000_000 else 2
        ours, floor, ratios = [], [], []
        for _ in range(rounds):  # A B A B …: the ratio is taken pair by pair
            clear_cache()
            a = cpu(lambda s=storage: storage_to_markdown(s))
            b = cpu(lambda s=storage: lxml_parse(s))
            ours.append(a)
            floor.append(b)
            ratios.append(a / b)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(size)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        mem = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(
            (
                len(storage.encode("utf-8")),
                statistics.median(ours),
                statistics.median(floor),
                statistics.median(ratios),
                mem["added"] / mem["bytes"],
            )
        )
    print("storage → Markdown (CPU time, cold parse cache) against an lxml parse of the same page")
    print(f"  {'size':>8}{'convert':>11}{'lxml':>9}{'ratio':>8}{'memory B/B':>12}")
    for size, ours_s, floor_s, ratio, per_byte in rows:
        print(
            f"  {size / 1000:>6.0f}KB{ours_s * 1000:>9.1f}ms{floor_s * 1000:>7.1f}ms"
            f"{ratio:>7.1f}×{per_byte:>12.1f}"
        )
    xs = [math.log(r[0]) for r in rows]
    ys = [math.log(r[1]) for r in rows]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    k = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )
    at300 = next(r for r in rows if r[0] >= 300_000)
    print(f"  growth: time ∝ size^{k:.2f} from 100 KB to 3 MB (budget: linear, k ≤ 1.1)")
    print(
        f"  budget: 300 KB ≤ 15× lxml: {at300[3]:.1f}× {'OK' if at300[3] <= 15 else 'OVER BUDGET'}; "
        f"≤ 25 B of memory per byte: {at300[4]:.1f} {'OK' if at300[4] <= 25 else 'OVER BUDGET'}"
    )
    print(load_line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
