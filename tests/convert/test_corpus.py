"""Every corpus document: identity, no raw XML, well-formed output, one-word locality on every
plain-text paragraph (at any depth), and insertion/deletion of top-level blocks."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.convert.helpers import (
    CORPUS_FILES,
    assert_well_formed,
    read,
    walk_units,
    without_code,
)
from workbench.convert import markdown_to_storage, storage_to_markdown
from workbench.convert.api import parse_document
from workbench.convert.blocks import InlineUnit

IDS = [p.stem for p in CORPUS_FILES]
_WORD = re.compile(r"(?<![\w&#;])[A-Za-z]{3,}(?![\w;])")


def test_corpus_is_complete():
    assert len(CORPUS_FILES) == 73
    assert (CORPUS_FILES[0].parent / "SOURCES.md").exists()


@pytest.mark.parametrize("path", CORPUS_FILES, ids=IDS)
def test_identity(path):
    storage = read(path)
    md = storage_to_markdown(storage)
    assert markdown_to_storage(md, base=storage) == storage
    # the block-by-block merge alone (no "unchanged → base" shortcut) must reproduce it too
    assert markdown_to_storage(md, base=storage, fast=False) == storage


@pytest.mark.parametrize("path", CORPUS_FILES, ids=IDS)
def test_no_raw_xml_in_markdown(path):
    md = without_code(storage_to_markdown(read(path)))
    md = re.sub(r"(?m)^(\|.*)<br>", r"\1", md)  # GFM's line break in a table cell is allowed
    assert not re.search(r"</?(ac|ri|at):", md)
    assert not re.search(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^>]*)?/?>", md), re.search(
        r"</?[a-zA-Z][^>]*>", md
    )
    assert "CDATA" not in md and "<!--" not in md


@pytest.mark.parametrize("path", CORPUS_FILES, ids=IDS)
def test_input_and_fresh_output_are_well_formed(path):
    storage = read(path)
    assert_well_formed(storage)
    fresh = markdown_to_storage(storage_to_markdown(storage))
    assert_well_formed(fresh)
    # fresh storage is itself a base that round-trips
    assert markdown_to_storage(storage_to_markdown(fresh), base=fresh, fast=False) == fresh


def _word_edits(storage: str):
    """One edit per plain-text paragraph/cell/item: the storage with one word of it changed."""
    doc = parse_document(storage)
    for unit, path in walk_units(doc.flow):
        if not isinstance(unit, InlineUnit):
            continue
        for seg in unit.segs:
            if seg.kind != "plain":
                continue
            m = _WORD.search(seg.md)
            if m:
                start = seg.start + m.start()
                yield (
                    path,
                    start,
                    m.group(0),
                    storage[:start] + "Zebrawords" + storage[start + len(m.group(0)) :],
                )
                break


@pytest.mark.parametrize("path", CORPUS_FILES, ids=IDS)
def test_one_word_edit_is_local(path):
    storage = read(path)
    md = storage_to_markdown(storage)
    count = 0
    for where, _start, word, expected in _word_edits(storage):
        edited_md = storage_to_markdown(expected)
        # the Markdown edit is exactly one word …
        spots = [m.start() for m in re.finditer(re.escape(word), md)]
        assert any(md[:q] + "Zebrawords" + md[q + len(word) :] == edited_md for q in spots), (
            where,
            word,
        )
        # … and the storage changes in that word only, every tag and attribute kept
        out = markdown_to_storage(edited_md, base=storage)
        assert out == expected, (path.name, where, word)
        count += 1
    if re.search(r"<p[ >][^<]*[A-Za-z]{3}", storage):
        assert count > 0


def _containers_covered() -> set[str]:
    kinds: set[str] = set()
    for path in CORPUS_FILES:
        for where, *_ in _word_edits(read(path)):
            kinds.update(where)
    return kinds


def test_locality_reaches_every_container_kind():
    covered = _containers_covered()
    for kind in (
        "alert",
        "div:panel",
        "div:expand",
        "div:cell",
        "gfm-cell",
        "div:td",
        "item",
        "task",
        "quote",
    ):
        assert kind in covered, kind


def _loose(unit) -> bool:
    return isinstance(unit, InlineUnit) and unit.tag is None


def _top_blocks(storage: str):
    doc = parse_document(storage)
    return doc, [u.md for u in doc.flow.units]


@pytest.mark.parametrize("path", CORPUS_FILES, ids=IDS)
def test_insert_block_everywhere_at_top_level(path):
    storage = read(path)
    doc, blocks = _top_blocks(storage)
    units = doc.flow.units
    gaps = [storage[a.end : b.start] for a, b in zip(units, units[1:], strict=False)]
    sep = Counter(g for g in gaps if not g.strip()).most_common(1)[0][0] if gaps else ""
    new = "<p>A brand new paragraph.</p>"
    for k in range(len(blocks) + 1):
        md = "\n\n".join(blocks[:k] + ["A brand new paragraph."] + blocks[k:])
        out = markdown_to_storage(md, base=storage)
        if not units:
            expected = storage + new if not storage.strip() else None
        elif k == 0:
            expected = storage[: units[0].start] + new + sep + storage[units[0].start :]
        else:
            at = units[k - 1].end
            expected = storage[:at] + sep + new + storage[at:]
        assert out == expected, (path.name, k)
        assert_well_formed(out)


@pytest.mark.parametrize("path", CORPUS_FILES, ids=IDS)
def test_delete_each_top_level_block(path):
    storage = read(path)
    doc, blocks = _top_blocks(storage)
    units = doc.flow.units
    for k, unit in enumerate(units):
        md = "\n\n".join(blocks[:k] + blocks[k + 1 :])
        out = markdown_to_storage(md, base=storage)
        candidates = set()
        # a block identical to another one in Markdown: deleting either twin is the same edit
        for j in (j for j, u in enumerate(units) if u.md == unit.md):
            u = units[j]
            before = units[j - 1].end if j else u.start
            after = units[j + 1].start if j + 1 < len(units) else u.end
            found = {
                storage[:before] + storage[u.end :],
                storage[: u.start] + storage[after:],
                storage[: u.start] + storage[u.end :],
            }
            neighbours = (units[j - 1], units[j + 1]) if 0 < j < len(units) - 1 else ()
            if (
                neighbours
                and all(map(_loose, neighbours))
                and not all(u.bare_image for u in neighbours)
            ):
                # text runs left side by side would read as one paragraph: the second one gets a <p>
                nxt = units[j + 1]
                found = {
                    c.replace(
                        storage[nxt.start : nxt.end], f"<p>{storage[nxt.start : nxt.end]}</p>", 1
                    )
                    for c in found
                }
            candidates |= found
        assert out in candidates, (path.name, k)
        assert_well_formed(out)
