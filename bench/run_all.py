"""Run every benchmark in this directory once, and make the README's Performance table from that run.

Each script measures its budget side by side with its baseline in the same run (these machines are
noisy, so ratios matter more than absolute figures) and records its results through
``bench/_report.py``. This runs the scripts one after another with ``BENCH_RESULTS`` pointing at
one file, then writes the whole run — when, which commit, how long each script took, its exit
status, every result — to ``bench/results/<UTC date-time>.json`` and prints the Markdown table
(``bench/table.py``), also saved beside it as ``.md``. ``make bench`` runs this.

Usage: ``python bench/run_all.py [--only NAME ...] [--skip NAME ...] [--results DIR]`` (names
without ``.py``; ``python bench/table.py RUN.json`` renders a saved run again).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _report import ENV, RESULTS_DIR, read  # noqa: E402
from table import render  # noqa: E402

NOT_BENCHES = {"run_all.py", "table.py"}


def scripts(only: list[str], skip: list[str]) -> list[Path]:
    """The bench scripts to run, in name order: every ``bench/*.py`` but the helpers."""
    found = sorted(
        p for p in HERE.glob("*.py") if p.name not in NOT_BENCHES and not p.name.startswith("_")
    )
    names = {p.stem for p in found}
    unknown = sorted(set(only + skip) - names)
    if unknown:
        raise SystemExit(
            f"no such bench: {', '.join(unknown)} (there are {', '.join(sorted(names))})"
        )
    return [p for p in found if (not only or p.stem in only) and p.stem not in skip]


def children_cpu() -> float:
    """CPU seconds used so far by the processes this one waited for (a script, its servers, its
    measuring processes): what a script costs whatever the load, unlike its wall time."""
    import resource

    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def commit() -> str:
    done = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=HERE, capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", default=[], metavar="NAME")
    parser.add_argument("--skip", nargs="+", default=[], metavar="NAME")
    parser.add_argument(
        "--results", type=Path, default=RESULTS_DIR, metavar="DIR", help="where the run is saved"
    )
    args = parser.parse_args(argv)
    chosen = scripts(args.only, args.skip)
    started = dt.datetime.now(dt.UTC)
    run: dict = {
        "started": started.isoformat(timespec="seconds"),
        "commit": commit(),
        "cores": os.cpu_count(),
        "load_start": [round(v, 2) for v in os.getloadavg()],
        "scripts": [],
    }
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        results = Path(tmp) / "results.jsonl"
        results.touch()
        env = {**os.environ, ENV: str(results)}
        for script in chosen:
            print(f"\n=== {script.name} ===", flush=True)
            start, used = time.perf_counter(), children_cpu()
            done = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, env=env)
            seconds, cpu = time.perf_counter() - start, children_cpu() - used
            print(
                f"--- {script.name}: {seconds:.1f} s, CPU {cpu:.1f} s, exit {done.returncode}",
                flush=True,
            )
            run["scripts"].append(
                {
                    "script": script.name,
                    "seconds": round(seconds, 1),
                    "cpu": round(cpu, 1),
                    "exit": done.returncode,
                }
            )
        run["results"] = read(results)
    run["seconds"] = round(time.perf_counter() - began, 1)
    run["load_end"] = [round(v, 2) for v in os.getloadavg()]
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"{started:%Y-%m-%dT%H%M%SZ}.json"
    out.write_text(json.dumps(run, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    table = render(run)
    out.with_suffix(".md").write_text(table, encoding="utf-8")
    print(f"\n{table}\n(saved: {out} and its .md)")
    failed = [s["script"] for s in run["scripts"] if s["exit"]]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
