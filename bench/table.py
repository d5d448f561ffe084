"""The README's Performance table from one ``make bench`` run (``bench/results/<date-time>.json``).

``render(run)`` makes the Markdown: a heading line with the run's date, commit, duration and load,
then one row per recorded result — what was measured (and how), the figure, its baseline, the
ratio, the budget, met or not, the load average when it was recorded — then the time each script
took and any script that failed or recorded nothing (so a missing row is never silent).

Usage: ``python bench/table.py [RUN.json]`` (default: the newest run in ``bench/results/``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import RESULTS_DIR, budget_text, number, verdict  # noqa: E402

HEADER = ("what", "figure", "baseline", "ratio", "budget", "met", "load")


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell: no pipe ends the cell, no newline ends the row."""
    return " ".join(text.replace("|", "\\|").split())


def row(entry: dict[str, Any]) -> list[str]:
    what = f"{entry['name']} (`{entry.get('script', '')}`"
    what += f"; {entry['note']})" if entry.get("note") else ")"
    unit = entry.get("unit", "")
    baseline = "—"
    if entry.get("baseline") is not None:
        baseline = number(entry["baseline"], unit)
        if entry.get("baseline_name"):
            baseline += f" ({entry['baseline_name']})"
    ratio = "—" if entry.get("ratio") is None else number(entry["ratio"], "×")
    met = verdict(entry)
    load = entry.get("load") or []
    return [
        what,
        number(entry["figure"], unit),
        baseline,
        ratio,
        budget_text(entry),
        f"**{met}**" if met == "NOT met" else met,
        f"{load[0]:.2f}" if load else "—",
    ]


def duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def render(run: dict[str, Any]) -> str:
    """The Markdown for one run (the dict ``run_all.py`` writes)."""
    started = run.get("started", "?").replace("T", " ").replace("+00:00", " UTC")
    load_start, load_end = run.get("load_start") or [], run.get("load_end") or []
    loads = ""
    if load_start and load_end:
        loads = f", load average {load_start[0]:.2f} at the start, {load_end[0]:.2f} at the end"
    lines = [
        f"One `make bench` run, {started} (commit {run.get('commit', '?')}, "
        f"{duration(run.get('seconds', 0))} in all{loads}, {run.get('cores', '?')} cores):",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "---|" * len(HEADER),
    ]
    for entry in run.get("results", []):
        lines.append("| " + " | ".join(cell(c) for c in row(entry)) + " |")
    results = run.get("results", [])
    times, problems, unmet = [], [], []
    for script in run.get("scripts", []):
        name = script["script"]
        cpu = f" (CPU {duration(script['cpu'])})" if "cpu" in script else ""
        times.append(f"`{name}` {duration(script['seconds'])}{cpu}")
        mine = [e for e in results if e.get("script") == name]
        if not mine:
            problems.append(f"`{name}` recorded no result (exit {script.get('exit', '?')})")
        elif script.get("exit") and any(e.get("met") is False for e in mine):
            unmet.append(f"`{name}` exit {script['exit']}")  # a bench says a missed budget so
        elif script.get("exit"):
            problems.append(f"`{name}` failed (exit {script['exit']}) after {len(mine)} results")
    if times:
        lines += ["", "Time per script: " + ", ".join(times) + "."]
    if unmet:
        lines += ["", "A budget not met (above) made " + ", ".join(unmet) + "."]
    if problems:
        lines += ["", "**Missing:** " + "; ".join(problems) + "."]
    return "\n".join(lines) + "\n"


def newest_run(folder: Path = RESULTS_DIR) -> Path | None:
    runs = sorted(folder.glob("*.json"))
    return runs[-1] if runs else None


def main(argv: list[str] | None = None) -> int:
    import json

    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else newest_run()
    if path is None:
        print(f"no run in {RESULTS_DIR}: run `make bench` first", file=sys.stderr)
        return 1
    try:
        run = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        print(f"cannot read {path}: {error}", file=sys.stderr)
        return 1
    sys.stdout.write(render(run))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
