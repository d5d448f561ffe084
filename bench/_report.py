"""What a benchmark measured, recorded as JSON lines so that ``bench/run_all.py`` can make one table.

The contract for a bench script: for every budget it measures (and every figure the README shows),
call :func:`record` once, after the measurement::

    from _report import record

    record(
        "first launch",            # what was measured: the table's first column
        first_ms, "ms",            # the figure and its unit
        baseline=hello_ms,         # the baseline measured in the SAME run (None: there is none)
        baseline_name="Textual hello world",
        ratio=median_of_ratios,    # optional: default figure / baseline; give it when the script
                                   # takes the ratio round by round (the median of the ratios)
        budget=2.5, budget_on="ratio",   # the budget is an upper bound on the ratio or the figure
        note="tmux 120×40, 7 rounds",    # how: anything the table reader needs (sizes, options)
    )

Every record carries: ``name``, ``figure``, ``unit``, ``baseline``, ``baseline_name``, ``ratio``,
``budget``, ``budget_on`` (``"ratio"`` or ``"figure"``), ``met`` (``True``/``False``, ``None`` with no
budget), ``load`` (the 1-, 5- and 15-minute load averages when recorded), ``cores``, ``date`` (UTC,
ISO 8601), ``command`` (the script and its options as run), ``script`` and ``note``. Budgets are
upper bounds ("≤"): every figure the benches compare is a time, a size, a count or a share.

Where the record goes: appended as one JSON line to the file named by the ``BENCH_RESULTS``
environment variable (``run_all.py`` sets it, one file for the whole run); without it, to
``bench/results/<script>.jsonl`` (a script run on its own keeps its last results there). Either
way a one-line summary is printed, so a script run by hand shows its verdicts.

Nothing here measures: the script keeps its own method and only reports what it found.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import shlex
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS_DIR = HERE / "results"
ENV = "BENCH_RESULTS"
FIELDS = (
    "name",
    "figure",
    "unit",
    "baseline",
    "baseline_name",
    "ratio",
    "budget",
    "budget_on",
    "met",
    "load",
    "cores",
    "date",
    "command",
    "script",
    "note",
)


def command_line(argv: list[str] | None = None) -> str:
    """The command that ran this script, as a person would type it from the repository root."""
    args = list(sys.argv if argv is None else argv)
    script = Path(args[0]) if args else Path("?")
    try:
        shown = str(script.resolve().relative_to(HERE.parent))
    except ValueError:
        shown = str(script)
    return shlex.join(["python", shown, *args[1:]])


def make_record(
    name: str,
    figure: float,
    unit: str,
    *,
    baseline: float | None = None,
    baseline_name: str = "",
    ratio: float | None = None,
    budget: float | None = None,
    budget_on: str = "ratio",
    note: str = "",
    argv: list[str] | None = None,
    load: tuple[float, float, float] | None = None,
    now: _dt.datetime | None = None,
) -> dict[str, Any]:
    """The record :func:`record` writes, without writing it (the checks are the same)."""
    if not name.strip():
        raise ValueError("a result needs a name")
    if budget_on not in ("ratio", "figure"):
        raise ValueError(f"budget_on is 'ratio' or 'figure', not {budget_on!r}")
    figure = float(figure)
    if not math.isfinite(figure):
        raise ValueError(f"{name}: the figure is {figure}, not a measurement")
    if ratio is None and baseline:
        ratio = figure / baseline
    if budget is not None and budget_on == "ratio" and ratio is None:
        raise ValueError(f"{name}: a budget on the ratio needs a baseline or a ratio")
    bounded = ratio if budget_on == "ratio" else figure
    met = None if budget is None or bounded is None else bool(bounded <= budget)
    when = now or _dt.datetime.now(_dt.UTC)
    loads = load if load is not None else os.getloadavg()
    argv = list(sys.argv if argv is None else argv)
    return {
        "name": name,
        "figure": figure,
        "unit": unit,
        "baseline": None if baseline is None else float(baseline),
        "baseline_name": baseline_name,
        "ratio": None if ratio is None else float(ratio),
        "budget": None if budget is None else float(budget),
        "budget_on": budget_on,
        "met": met,
        "load": [round(v, 2) for v in loads],
        "cores": os.cpu_count(),
        "date": when.astimezone(_dt.UTC).isoformat(timespec="seconds"),
        "command": command_line(argv),
        "script": Path(argv[0]).name if argv else "",
        "note": note,
    }


def record(name: str, figure: float, unit: str, **details: Any) -> dict[str, Any]:
    """Record one result (see the module's docstring for the arguments); returns the record.

    Appends it to ``$BENCH_RESULTS`` (or ``bench/results/<script>.jsonl``) and prints one line."""
    entry = make_record(name, figure, unit, **details)
    target = os.environ.get(ENV)
    if target:
        path = Path(target)
    else:
        stem = Path(entry["script"]).stem or "bench"
        path = RESULTS_DIR / f"{stem}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(entry, ensure_ascii=False) + "\n")
    print(f"result: {summary(entry)}", flush=True)
    return entry


def read(path: Path) -> list[dict[str, Any]]:
    """The records of a JSON-lines file, in order; a line that is not a whole record (a script
    killed while writing) is skipped and said on stderr, the others are kept."""
    kept = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            print(f"{path}:{number}: not a JSON record, skipped", file=sys.stderr)
            continue
        if not isinstance(entry, dict) or not {"name", "figure", "unit"} <= entry.keys():
            print(f"{path}:{number}: not a bench record, skipped", file=sys.stderr)
            continue
        kept.append(entry)
    return kept


def number(value: float, unit: str = "") -> str:
    """A figure as the table shows it: three significant digits, thousands spaced, with its unit."""
    if value == int(value) and abs(value) < 1e15:
        text = f"{int(value):,}".replace(",", "\u202f")  # a count, or a round figure: no decimals
    else:
        magnitude = math.floor(math.log10(abs(value)))
        decimals = max(0, 2 - magnitude)
        text = f"{value:,.{decimals}f}".replace(",", "\u202f")
    if not unit:
        return text
    return f"{text}{unit}" if unit in ("%", "×") else f"{text} {unit}"


def verdict(entry: dict[str, Any]) -> str:
    """``met``, ``NOT met`` or ``—`` (no budget)."""
    met = entry.get("met")
    return "—" if met is None else ("met" if met else "NOT met")


def budget_text(entry: dict[str, Any]) -> str:
    """``≤ 2.5×`` for a budget on the ratio, ``≤ 300 ms`` for one on the figure, ``—`` for none."""
    budget = entry.get("budget")
    if budget is None:
        return "—"
    if entry.get("budget_on") == "figure":
        return f"≤ {number(budget, entry.get('unit', ''))}"
    return f"≤ {number(budget)}×"


def summary(entry: dict[str, Any]) -> str:
    """One line: ``name: figure (baseline …, ratio …×) budget …: met``."""
    parts = [f"{entry['name']}: {number(entry['figure'], entry['unit'])}"]
    if entry.get("baseline") is not None:
        name = entry.get("baseline_name") or "baseline"
        parts.append(f"vs {number(entry['baseline'], entry['unit'])} ({name})")
    if entry.get("ratio") is not None:
        parts.append(f"= {number(entry['ratio'])}×")
    if entry.get("budget") is not None:
        parts.append(f"budget {budget_text(entry)}: {verdict(entry)}")
    load = entry.get("load") or []
    if load:
        parts.append(f"(load {load[0]:.2f})")
    return " ".join(parts)
