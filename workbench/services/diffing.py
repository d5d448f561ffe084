"""Text diffs between page versions, drafts and merges (pure, no I/O)."""

from __future__ import annotations

import difflib


def unified(
    before: str,
    after: str,
    before_label: str = "before",
    after_label: str = "after",
    context: int = 3,
) -> list[str]:
    """Unified diff lines (without trailing newlines); empty when the texts are equal."""
    return [
        line.rstrip("\n")
        for line in difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            before_label,
            after_label,
            n=context,
        )
    ]


def stats(lines: list[str]) -> tuple[int, int]:
    """(added, removed) line counts of a unified diff."""
    added = sum(1 for line in lines if line.startswith("+") and not line.startswith("+++"))
    removed = sum(1 for line in lines if line.startswith("-") and not line.startswith("---"))
    return added, removed
