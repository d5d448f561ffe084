"""The type gate: mypy over the whole package (configuration in pyproject.toml), every error shown.

``--pending PATH`` (repeatable) names a folder whose errors are shown and counted but do not fail
the gate yet: the work to clear them is under way and said in the closing line. Without it, any
error fails. Exit status: 0 clean (outside pending folders), 1 otherwise.

Run: ``.venv/bin/python scripts/typecheck.py [--pending workbench/tui]`` (``make lint`` does).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ERROR = re.compile(r"^(?P<path>[^:\s]+\.py):\d+(?::\d+)?: error: ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pending", action="append", default=[], metavar="PATH")
    args = parser.parse_args(argv)
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    if done.returncode not in (0, 1):  # 2: mypy itself failed (bad configuration, crash)
        return done.returncode
    pending = tuple(p.rstrip("/") + "/" for p in args.pending)
    counts: Counter[str] = Counter()
    failing = 0
    for line in done.stdout.splitlines():
        match = ERROR.match(line)
        if match is None:
            continue
        path = match["path"]
        if path.startswith(pending):
            counts[next(p for p in pending if path.startswith(p))] += 1
        else:
            failing += 1
    for folder, n in sorted(counts.items()):
        print(f"typecheck: {n} error(s) in {folder} are pending (shown above, not yet gated)")
    if failing:
        print(f"typecheck: {failing} error(s) outside the pending folders: the gate fails")
        return 1
    print("typecheck: clean" + (" outside " + ", ".join(sorted(counts)) if counts else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
