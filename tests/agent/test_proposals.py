"""Proposals: hunks from difflib grouped opcodes, accept/reject, the result (pure)."""

from __future__ import annotations

from workbench.agent.proposals import ACCEPTED, EDIT, NEW_PAGE, REJECTED, Proposal, make_hunks

BEFORE = "".join(f"line {n}\n" for n in range(1, 31))


def _after(changes: dict[int, str]) -> str:
    lines = BEFORE.splitlines(keepends=True)
    for n, text in changes.items():
        lines[n - 1] = text
    return "".join(lines)


def _proposal(after: str) -> Proposal:
    return Proposal(
        kind=EDIT, summary="s", before=BEFORE, after=after, page_id="1", title="T", base_version=3
    )


def test_none_all_and_alternating_hunks():
    after = _after({2: "two\n", 12: "twelve\n", 22: "twenty-two\n"})
    p = _proposal(after)
    assert len(p.hunks) == 3
    assert p.result() == BEFORE  # pending hunks are not applied
    p.set_all(ACCEPTED)
    assert p.result() == after
    p.set_state(1, REJECTED)
    assert p.result() == _after({2: "two\n", 22: "twenty-two\n"})
    p.set_all(REJECTED)
    assert p.result() == BEFORE


def test_adjacent_changes_share_a_hunk_and_inserts_deletes_work():
    lines = BEFORE.splitlines(keepends=True)
    after = "".join(
        lines[:4] + ["new A\n", "new B\n"] + lines[5:6] + lines[7:]
    )  # replace 5, drop 7
    p = _proposal(after)
    assert len(p.hunks) == 1
    p.set_all(ACCEPTED)
    assert p.result() == after
    rows = p.hunk_lines(p.hunks[0])
    assert ("-", "line 5") in rows and ("+", "new A") in rows and ("-", "line 7") in rows
    assert rows[0] == (" ", "line 3")  # context lines


def test_trailing_newline_and_first_last_lines():
    before = "a\n" + "".join(f"{n}\n" for n in range(10)) + "z"
    after = "A\n" + "".join(f"{n}\n" for n in range(10)) + "z\n"
    p = Proposal(kind=EDIT, summary="", before=before, after=after, page_id="1", base_version=1)
    assert len(p.hunks) == 2
    p.set_state(1, ACCEPTED)
    assert p.result() == before + "\n"
    p.set_state(0, ACCEPTED)
    assert p.result() == after
    p = Proposal(
        kind=EDIT, summary="", before="a\nb\nc", after="A\nb\nc\n", page_id="1", base_version=1
    )
    diff = p.unified_diff()
    assert "-a\n" in diff and "+A\n" in diff and "\\ No newline at end of file" in diff


def test_unchanged_has_no_hunks_and_new_page_is_one_hunk():
    assert make_hunks("x\n", "x\n") == []
    p = Proposal(
        kind=NEW_PAGE, summary="", before="", after="# New\n\nbody\n", space_key="ENG", title="New"
    )
    assert len(p.hunks) == 1
    assert p.result() == ""
    p.set_all(ACCEPTED)
    assert p.result() == "# New\n\nbody\n"
    assert "new page 'New' in space ENG, at the top of the space" == p.target


def test_diff_hash_is_stable_and_depends_on_the_text():
    p = _proposal(_after({5: "five\n"}))
    q = _proposal(_after({5: "five\n"}))
    assert p.diff_hash() == q.diff_hash()
    assert p.diff_hash() != p.diff_hash(BEFORE)
    assert p.diff_hash().startswith("sha256:")
