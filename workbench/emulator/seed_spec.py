"""The names of the seeds (``demo``, ``empty``, ``large:N``, ``wide:N``), checked without loading
the store: ``workbench demo`` says a bad ``--seed`` at once, before the TUI and the server start."""

from __future__ import annotations

from workbench.errors import UsageError


def parse_seed(seed: str) -> tuple[str, int]:
    """``("demo"|"empty"|"large"|"wide", N)``; a clear :class:`UsageError` otherwise."""
    name, _, count = (seed or "").partition(":")
    if name in ("demo", "empty") and not count:
        return name, 0
    if name in ("large", "wide"):
        try:
            n = int(count)
        except ValueError:
            n = 0
        if n < 1 or n > 1_000_000:
            raise UsageError(
                f"--seed {name}:N needs a page count N between 1 and 1000000, e.g. {name}:5000."
            )
        return name, n
    raise UsageError(
        f"Unknown seed '{seed}'; use demo, empty, large:N or wide:N (e.g. large:5000)."
    )
