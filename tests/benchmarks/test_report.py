"""bench/_report.py (what a bench records) and bench/table.py (the README's table from one run).

The run read here, ``data/run-2026-12-05T220042Z.json``, is a real one: ``bench/run_all.py --only
convert convert_scale emulator_server mentions`` on this project's machine at load ~5–8, saved
as it was written (one of its budgets, settle_mentions ≤ 10 ms, was not met under that load).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import _report  # noqa: E402
import table  # noqa: E402

RUN = Path(__file__).parent / "data" / "run-2026-12-05T220042Z.json"
NOON = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)


def recorded_run() -> dict:
    return json.loads(RUN.read_text(encoding="utf-8"))


def rows_of(markdown: str) -> list[list[str]]:
    """The body rows of the table, split into cells (an escaped pipe stays inside its cell)."""
    rows = []
    for line in markdown.splitlines():
        if line.startswith("| ") and not line.startswith("| what"):
            cells = line[2:-2].replace("\\|", "\0").split(" | ")
            rows.append([c.replace("\0", "|") for c in cells])
    return rows


# --- a record: unhappy paths first -------------------------------------------------------------


def test_a_budget_on_the_ratio_without_a_baseline_is_refused():
    with pytest.raises(ValueError, match="needs a baseline or a ratio"):
        _report.make_record("first launch", 420, "ms", budget=2.5, argv=["bench/x.py"])


@pytest.mark.parametrize("figure", [math.nan, math.inf])
def test_a_figure_that_is_not_a_measurement_is_refused(figure):
    with pytest.raises(ValueError, match="not a measurement"):
        _report.make_record("header", figure, "ms", argv=["bench/x.py"])


def test_a_budget_on_something_else_is_refused():
    with pytest.raises(ValueError, match="budget_on"):
        _report.make_record("x", 1, "ms", budget=1, budget_on="baseline", argv=["bench/x.py"])


def test_a_result_needs_a_name():
    with pytest.raises(ValueError, match="needs a name"):
        _report.make_record("  ", 1, "ms", argv=["bench/x.py"])


def test_the_ratio_is_taken_from_the_baseline_and_the_budget_bounds_it():
    entry = _report.make_record(
        "first launch",
        421,
        "ms",
        baseline=161,
        baseline_name="Textual hello world",
        budget=2.5,
        argv=[str(ROOT / "bench" / "startup.py"), "--runs", "7"],
        load=(0.61, 0.9, 1.1),
        now=NOON,
    )
    assert entry["ratio"] == pytest.approx(421 / 161)
    assert entry["met"] is False  # 2.61× > 2.5×
    assert entry["load"] == [0.61, 0.9, 1.1]
    assert entry["date"] == "2026-12-05T12:00:00+00:00"
    assert entry["command"] == "python bench/startup.py --runs 7"
    assert entry["script"] == "startup.py"
    assert set(entry) == set(_report.FIELDS)


def test_a_ratio_given_by_the_script_wins_over_figure_by_baseline():
    # the median of round-by-round ratios is not the ratio of the medians
    entry = _report.make_record(
        "x", 100, "ms", baseline=50, ratio=2.4, budget=2.5, argv=["bench/x.py"]
    )
    assert entry["ratio"] == 2.4 and entry["met"] is True


def test_a_budget_on_the_figure_ignores_the_ratio():
    entry = _report.make_record(
        "header at 100 ms latency",
        310,
        "ms",
        baseline=100,
        budget=300,
        budget_on="figure",
        argv=["bench/page_open.py"],
    )
    assert entry["met"] is False and entry["ratio"] == pytest.approx(3.1)
    assert _report.budget_text(entry) == "≤ 300 ms"


def test_no_budget_means_no_verdict():
    entry = _report.make_record("seed", 81, "ms", baseline=3, argv=["bench/x.py"])
    assert entry["met"] is None and _report.verdict(entry) == "—"
    assert _report.budget_text(entry) == "—"


# --- writing and reading -----------------------------------------------------------------------


def test_record_appends_to_the_run_file_and_read_skips_a_torn_line(tmp_path, monkeypatch, capsys):
    target = tmp_path / "run.jsonl"
    monkeypatch.setenv(_report.ENV, str(target))
    monkeypatch.setattr(sys, "argv", [str(ROOT / "bench" / "convert.py"), "--repeat", "3"])
    _report.record("round trip", 0.133, "ms", baseline=0.905, budget=1.0)
    _report.record("settle", 13.3, "ms", budget=10, budget_on="figure")
    said = capsys.readouterr().out.splitlines()
    assert said[0].startswith("result: round trip: 0.133 ms vs 0.905 ms")
    assert said[1].startswith("result: settle: 13.3 ms budget ≤ 10 ms: NOT met (load ")
    with target.open("a") as out:
        out.write('{"name": "killed while wri')  # a script killed mid-line
    kept = _report.read(target)
    assert [e["name"] for e in kept] == ["round trip", "settle"]
    assert kept[0]["command"] == "python bench/convert.py --repeat 3"
    assert "not a JSON record, skipped" in capsys.readouterr().err


def test_without_a_run_file_a_script_keeps_its_last_results_beside_itself(tmp_path, monkeypatch):
    monkeypatch.delenv(_report.ENV, raising=False)
    monkeypatch.setattr(_report, "RESULTS_DIR", tmp_path)
    monkeypatch.setattr(sys, "argv", ["bench/tree_large.py"])
    _report.record("tree usable", 33, "ms", budget=300, budget_on="figure")
    assert [e["name"] for e in _report.read(tmp_path / "tree_large.jsonl")] == ["tree usable"]


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (0.13316, "ms", "0.133 ms"),
        (42.49, "ms", "42.5 ms"),
        (553.2, "ms", "553 ms"),
        (1188.48, "ms", "1\u202f188 ms"),
        (2, "requests", "2 requests"),
        (14.66, "×", "14.7×"),
        (0.0, "B", "0 B"),
        (100_000, "", "100\u202f000"),  # a count in a row's name: "100 000 pages"
    ],
)
def test_figures_are_shown_with_three_significant_digits(value, unit, shown):
    assert _report.number(value, unit) == shown


# --- the table, from the recorded run ----------------------------------------------------------


def test_every_recorded_result_is_a_row_with_its_figure_baseline_ratio_budget_and_load():
    run = recorded_run()
    markdown = table.render(run)
    rows = rows_of(markdown)
    assert len(rows) == len(run["results"]) == 14
    for entry, cells in zip(run["results"], rows, strict=True):
        assert len(cells) == len(table.HEADER)
        assert cells[0].startswith(entry["name"]) and f"`{entry['script']}`" in cells[0]
        assert cells[1] == _report.number(entry["figure"], entry["unit"])
        assert cells[6] == f"{entry['load'][0]:.2f}"
    by_name = {cells[0].split(" (`")[0]: cells for cells in rows}
    lxml = by_name["converter storage → Markdown, 302 KB, CPU time"]
    assert lxml[1:6] == ["42.5 ms", "2.92 ms (an lxml parse)", "14.7×", "≤ 15×", "met"]
    settle = by_name["mentions: mapping names back before a save (settle_mentions)"]
    assert settle[1:6] == ["13.3 ms", "—", "—", "≤ 10 ms", "**NOT met**"]
    seed = by_name["local server: seed large:5000"]
    assert seed[4:6] == ["—", "—"]  # no budget: no verdict


def test_the_table_says_when_where_and_how_long():
    markdown = table.render(recorded_run())
    first = markdown.splitlines()[0]
    assert first.startswith("One `make bench` run, 2026-12-05 22:00:42 UTC (commit ff1a2d6-dirty")
    assert (
        "1 min 56 s in all" in first and "load average 5.45 at the start, 8.01 at the end" in first
    )
    assert (
        "Time per script: `convert.py` 16 s, `convert_scale.py` 1 min 29 s, "
        "`emulator_server.py` 7 s, `mentions.py` 4 s." in markdown
    )
    assert "Missing" not in markdown


def test_a_failed_script_and_a_silent_one_are_named_under_the_table():
    run = recorded_run()
    run["scripts"].append({"script": "tree_large.py", "seconds": 12.0, "exit": 1})
    run["scripts"].append({"script": "startup.py", "seconds": 3.0, "exit": 0})
    markdown = table.render(run)
    assert (
        "**Missing:** `tree_large.py` recorded no result (exit 1); "
        "`startup.py` recorded no result (exit 0)." in markdown
    )


def test_a_script_that_exits_1_for_a_missed_budget_is_not_called_failed():
    run = recorded_run()  # mentions.py recorded settle_mentions NOT met; say it exited 1 for it
    mentions = next(s for s in run["scripts"] if s["script"] == "mentions.py")
    mentions["exit"] = 1
    markdown = table.render(run)
    assert "A budget not met (above) made `mentions.py` exit 1." in markdown
    assert "Missing" not in markdown
    convert = next(s for s in run["scripts"] if s["script"] == "convert.py")
    convert["exit"] = 1  # every convert.py budget was met: exit 1 is a failure
    assert "**Missing:** `convert.py` failed (exit 1) after 4 results." in table.render(run)


def test_text_that_would_break_the_table_stays_in_its_cell():
    run = recorded_run()
    run["results"] = [dict(run["results"][0], name="a | b", note="two\nlines")]
    (cells,) = rows_of(table.render(run))
    assert cells[0] == "a | b (`convert.py`; two lines)"


def test_table_py_renders_a_saved_run_and_says_what_is_wrong_with_a_bad_one(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "table.py"), str(RUN)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == table.render(recorded_run())
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "table.py"), str(bad)], capture_output=True, text=True
    )
    assert done.returncode == 1 and f"cannot read {bad}" in done.stderr
    assert not done.stdout


# --- run_all: one real run of a bench, end to end ----------------------------------------------


def run_all(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run_all.py"), *args],
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_run_all_saves_one_run_with_its_results_and_the_table(tmp_path):
    done = run_all("--only", "mentions", "--results", str(tmp_path))
    assert done.returncode == 0, done.stderr
    (saved,) = tmp_path.glob("*.json")
    run = json.loads(saved.read_text())
    assert [s["script"] for s in run["scripts"]] == ["mentions.py"]
    assert run["scripts"][0]["exit"] == 0
    assert 0 < run["scripts"][0]["cpu"]  # the script's own CPU time, whatever the load
    names = [e["name"] for e in run["results"]]
    assert "mentions: requests to save without conflict" in names
    save = next(
        e for e in run["results"] if e["name"] == "mentions: requests to save without conflict"
    )
    assert save["figure"] == 2 and save["met"] is True  # a look at the page, then the PUT
    assert all(e["command"] == "python bench/mentions.py" for e in run["results"])
    assert saved.with_suffix(".md").read_text() == table.render(run)
    assert table.render(run) in done.stdout


def test_run_all_refuses_a_bench_that_does_not_exist(tmp_path):
    done = run_all("--only", "nope", "--results", str(tmp_path))
    assert done.returncode != 0 and "no such bench: nope" in done.stderr
    assert not list(tmp_path.iterdir())
