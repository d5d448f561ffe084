"""Three-way merge of Markdown used after a save conflict."""

from __future__ import annotations

from workbench.services.merge import has_conflict_markers, merge3_text

BASE = "# Title\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n"


def test_disjoint_edits_merge_cleanly():
    mine = BASE.replace("First", "1st")
    theirs = BASE.replace("Third", "3rd")
    result = merge3_text(BASE, mine, theirs)
    assert result.clean
    assert "1st paragraph." in result.text and "3rd paragraph." in result.text
    assert not has_conflict_markers(result.text)


def test_same_edit_on_both_sides_is_clean():
    mine = theirs = BASE.replace("Second", "2nd")
    result = merge3_text(BASE, mine, theirs)
    assert result.clean and result.text == mine


def test_overlapping_edits_conflict_with_markers_mine_first():
    mine = BASE.replace("Second", "My second")
    theirs = BASE.replace("Second", "Their second")
    result = merge3_text(BASE, mine, theirs)
    assert result.conflicts == 1 and not result.clean
    lines = result.text.splitlines()
    start = lines.index("<<<<<<< mine")
    assert lines[start + 1] == "My second paragraph."
    assert lines[start + 2] == "======="
    assert lines[start + 3] == "Their second paragraph."
    assert lines[start + 4] == ">>>>>>> theirs"
    assert has_conflict_markers(result.text)


def test_missing_final_newline_does_not_glue_marker_lines():
    result = merge3_text("a\nb", "a\nX", "a\nY")
    assert "X\n=======\nY\n>>>>>>> theirs" in result.text
