"""After an edit, the page reads back as the Markdown that was typed: for random word changes, added
bold, inserted, deleted and duplicated lines over every corpus document (deterministic seed). The only
tolerated difference is list renumbering, which the Markdown view derives from the storage."""

from __future__ import annotations

import os
import random
import re
from collections import Counter

import pytest

from tests.convert.helpers import CORPUS_FILES, assert_well_formed, read
from workbench.convert import markdown_to_storage, storage_to_markdown
from workbench.convert.mdsplit import split_blocks

_ORDINAL = re.compile(r"(?m)^([ >]*)\d{1,9}\.")


def _norm(md: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", _ORDINAL.sub(r"\g<1>1.", md)).strip("\n")


def _edits(md: str, rng: random.Random):
    lines = md.split("\n")
    for _ in range(12):
        edited = lines[:]
        i = rng.randrange(len(edited))
        op = rng.choice(["word", "bold", "insert", "delete", "duplicate"])
        words = list(re.finditer(r"(?<![\\\w])[A-Za-z]{3,}(?!\w)", edited[i]))
        if op in ("word", "bold"):
            if not words or "`" in edited[i] or "⟦" in edited[i]:
                continue
            w = rng.choice(words)
            new = "Quux" if op == "word" else f"**{w.group()}**"
            edited[i] = edited[i][: w.start()] + new + edited[i][w.end() :]
        elif op == "insert":
            edited.insert(i, "Inserted text here.")
            edited.insert(i, "")
            edited.insert(i + 2, "")
        elif op == "delete":
            del edited[i]
        else:  # the line again, as a block of its own
            edited[i:i] = [edited[i], ""]
        yield op, i, "\n".join(edited)


def _blocks(md: str) -> list[str]:
    return [b.text for b in split_blocks(_norm(md))]


def _canonical(edited: str, old_blocks: Counter) -> bool:
    """Every top-level block that is new (or one more copy) reads back as itself when rendered on its own."""
    new_blocks = Counter(b.text for b in split_blocks(edited))
    for text, count in new_blocks.items():
        if count > old_blocks[text] and _blocks(storage_to_markdown(markdown_to_storage(text))) != [
            text
        ]:
            return False
    return True


@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.stem for p in CORPUS_FILES])
def test_the_page_reads_back_as_typed(path):
    _check(path)


def test_enough_edits_are_checked():
    assert sum(_check(path) for path in CORPUS_FILES) >= 400


def _check(path) -> int:
    storage = read(path)
    md = storage_to_markdown(storage)
    old_blocks = Counter(b.text for b in split_blocks(md))
    checked = 0
    rng = random.Random(path.stem + os.environ.get("WORKBENCH_VIEW_SEED", ""))
    for op, i, edited in _edits(md, rng):
        out = markdown_to_storage(edited, base=storage)
        assert_well_formed(out)
        if not _canonical(edited, old_blocks):
            continue  # the edit is not in canonical form (e.g. a line that merges with the one above)
        assert _blocks(storage_to_markdown(out)) == _blocks(edited), (op, i)
        checked += 1
    return checked
