"""Three-way merge of Markdown (base, mine, theirs) for save conflicts and agent proposals.

Built on ``merge3`` (the merge engine of bzr/breezy). The converter keeps storage lossless: the
merged Markdown is converted with *their* storage as base, so untouched macros stay byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MINE_MARK = "<<<<<<< mine"
SEP_MARK = "======="
THEIRS_MARK = ">>>>>>> theirs"


@dataclass(frozen=True, slots=True)
class MergeResult:
    text: str
    conflicts: int

    @property
    def clean(self) -> bool:
        return self.conflicts == 0


def merge3_text(base: str, mine: str, theirs: str) -> MergeResult:
    """Merge line by line; conflicting regions get git-style markers (mine first)."""
    # lazy, for start-up: merge3 (with merge3) loads on first use
    from merge3 import Merge3

    m = Merge3(
        base.splitlines(keepends=True),
        mine.splitlines(keepends=True),
        theirs.splitlines(keepends=True),
    )
    out: list[str] = []
    conflicts = 0
    for group in m.merge_groups():
        if group[0] == "conflict":
            _, base_lines, mine_lines, theirs_lines = group
            conflicts += 1
            out.append(MINE_MARK + "\n")
            out.extend(_ensure_nl(mine_lines))
            out.append(SEP_MARK + "\n")
            out.extend(_ensure_nl(theirs_lines))
            out.append(THEIRS_MARK + "\n")
        else:  # "unchanged", "a", "b", "same"
            out.extend(group[1])
    return MergeResult("".join(out), conflicts)


def has_conflict_markers(text: str) -> bool:
    lines = text.splitlines()
    return any(line.startswith(MINE_MARK) for line in lines) and any(
        line.startswith(THEIRS_MARK) for line in lines
    )


def _ensure_nl(lines: Sequence[str]) -> list[str]:
    if lines and not lines[-1].endswith("\n"):
        return [*lines[:-1], lines[-1] + "\n"]
    return list(lines)
