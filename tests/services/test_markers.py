"""Inline-comment markers merged into an edit (services.markers): the person's words are never
changed, markers stay balanced, and each follows its text or goes with it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.services.markers import (
    CLOSE,
    OPEN,
    count_markers,
    keep_markers,
    only_markers_added,
    strip_markers,
    strip_storage_markers,
)

BASE = "Ship on Monday and test on Friday.\nSecond line here.\n"


def test_a_marker_follows_its_text_through_edits_around_and_inside_it():
    theirs = BASE.replace("Monday", f"{OPEN}Monday{CLOSE}")
    kept = keep_markers(BASE, BASE.replace("Friday", "Thursday"), theirs)
    assert kept.text == theirs.replace("Friday", "Thursday") and (kept.kept, kept.dropped) == (1, 0)
    wide = BASE.replace("Monday and test", f"{OPEN}Monday and test{CLOSE}")
    inside = keep_markers(BASE, BASE.replace("and test", "and check"), wide)
    assert inside.text == BASE.replace("Monday and test", f"{OPEN}Monday and check{CLOSE}")


def test_a_marker_whose_words_are_all_gone_is_dropped():
    theirs = BASE.replace("Monday", f"{OPEN}Monday{CLOSE}")
    gone = keep_markers(BASE, BASE.replace("Monday ", ""), theirs)
    assert gone.text == BASE.replace("Monday ", "") and (gone.kept, gone.dropped) == (0, 1)
    replaced = keep_markers(BASE, BASE.replace("Monday", "Tuesday"), theirs)
    assert replaced.text == BASE.replace("Monday", "Tuesday") and replaced.dropped == 1


def test_a_text_that_already_has_the_marker_gets_no_second_one():
    theirs = BASE.replace("Monday", f"{OPEN}Monday{CLOSE}")
    again = keep_markers(BASE, theirs.replace("Friday", "Sunday"), theirs)
    assert again.text == theirs.replace("Friday", "Sunday") and again.kept == 1


def test_a_file_made_after_the_comment_and_edited_inside_it_gets_no_second_marker():
    theirs = BASE.replace("Monday and test", f"{OPEN}Monday and test{CLOSE}")
    edited = theirs.replace("and test", "and then test").replace("Second", "2nd")
    again = keep_markers(BASE, edited, theirs)
    assert again.text == edited and again.kept == 1


def test_theirs_with_more_than_markers_is_not_for_this_merge():
    assert keep_markers(BASE, BASE, BASE.replace("Second", "Third")) is None
    assert only_markers_added(BASE, BASE.replace("Friday", f"{OPEN}Friday{CLOSE}"))
    assert not only_markers_added(BASE, BASE)


def test_storage_markers_are_stripped_with_their_text_kept():
    storage = '<p>a <ac:inline-comment-marker ac:ref="r1">b</ac:inline-comment-marker> c</p>'
    assert strip_storage_markers(storage) == "<p>a b c</p>"


WORDS = st.sampled_from(
    ["alpha", "beta", "gamma", "delta", "stand-up.", "a,b", "zeta", "eta", "theta"]
)
LINES = st.lists(st.lists(WORDS, min_size=1, max_size=8).map(" ".join), min_size=1, max_size=6)


@st.composite
def case(draw):
    lines = draw(LINES)
    base = "\n".join(lines) + "\n"
    # theirs: markers around whole words of some lines
    theirs_lines = []
    for line in lines:
        words = line.split(" ")
        if draw(st.booleans()):
            i = draw(st.integers(0, len(words) - 1))
            j = draw(st.integers(i, len(words) - 1))
            words = [*words[:i], OPEN + words[i], *words[i + 1 :]]
            words[j] = words[j] + CLOSE
        theirs_lines.append(" ".join(words))
    theirs = "\n".join(theirs_lines) + "\n"
    # mine: edits of base (replace, delete, insert words; drop or add lines), sometimes made from theirs
    from_theirs = draw(st.booleans())
    mine_lines = []
    for line in theirs_lines if from_theirs else lines:
        action = draw(st.sampled_from(["keep", "keep", "replace", "delete", "insert", "drop"]))
        words = line.split(" ")
        if action == "replace":
            at = draw(st.integers(0, len(words) - 1))
            words[at] = words[at].replace(strip_markers(words[at]), draw(WORDS).upper())
        elif action == "delete" and len(words) > 1:
            del words[draw(st.integers(0, len(words) - 1))]
        elif action == "insert":
            words.insert(draw(st.integers(0, len(words))), "NEW")
        if action != "drop":
            mine_lines.append(" ".join(words))
    if draw(st.booleans()):
        mine_lines.append("an added line")
    return base, "\n".join(mine_lines) + "\n", theirs


@settings(max_examples=300, deadline=None)
@given(case())
def test_the_persons_words_are_never_changed_and_markers_stay_balanced(c):
    base, mine, theirs = c
    merged = keep_markers(base, mine, theirs)
    if merged is None:
        return  # the session then shows a merge to approve; nothing is lost either way
    assert strip_markers(merged.text) == strip_markers(mine)
    assert merged.text.count(OPEN) == merged.text.count(CLOSE)
    assert merged.kept == count_markers(merged.text)
    assert merged.kept + merged.dropped <= count_markers(theirs) + count_markers(mine)
    if count_markers(mine) <= count_markers(
        base
    ):  # the editor's case: every new marker added once at most
        assert merged.kept <= count_markers(theirs)
    if mine == theirs:
        assert merged.text == theirs
    # A text made from the page *with* the new markers and then edited (push's case) is matched to them
    # by position and words; with lines repeated word for word a marker may be placed twice — the words
    # are still never changed (above), which is what nothing-lost needs.
