"""Run every benchmark in this directory, one after another, and print their reports.

Each script measures its budget side by side with its baseline in the same run (these machines are
noisy, so ratios matter more than absolute figures). ``make bench`` runs this.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    scripts = sorted(
        p for p in HERE.glob("*.py") if p.name != Path(__file__).name and not p.name.startswith("_")
    )
    failed = []
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        start = time.perf_counter()
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent)
        print(
            f"--- {script.name}: {time.perf_counter() - start:.1f} s, exit {result.returncode}",
            flush=True,
        )
        if result.returncode:
            failed.append(script.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
