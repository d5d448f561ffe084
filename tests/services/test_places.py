"""Back/forward, recent pages and bookmarks (headless): the trail of a session, and the lists kept
per site in the data directory — atomic, tolerant of a damaged file."""

from __future__ import annotations

import json
import os

import pytest

from workbench.services.places import RECENT_LIMIT, Place, Places, Trail


def _p(n: int, title: str = "") -> Place:
    return Place(str(n), title or f"Page {n}", "page", "ENG")


def test_the_trail_goes_back_and_forward_like_a_browser_tab():
    trail = Trail()
    assert trail.go(-1) is None and not trail.can_go(1)
    for n in (1, 2, 3):
        trail.visit(_p(n))
    assert trail.go(-1) == _p(2) and trail.go(-1) == _p(1) and trail.go(-1) is None
    assert trail.go(1) == _p(2)
    trail.visit(_p(9))  # a new page from the middle: the forward steps are dropped
    assert not trail.can_go(1) and trail.go(-1) == _p(2)
    trail.visit(_p(2, "Renamed"))  # the page shown again: the same step, its new title
    assert trail.current == _p(2, "Renamed") and trail.can_go(1)


def test_the_trail_forgets_a_page_and_is_bounded():
    trail = Trail(limit=3)
    for n in range(1, 6):
        trail.visit(_p(n))
    assert trail.go(-1) == _p(4) and trail.go(-1) == _p(3) and trail.go(-1) is None
    trail.forget("3")
    assert trail.current == _p(5) and trail.go(-1) == _p(4)


def test_recent_pages_and_bookmarks_are_kept_per_site(tmp_path):
    one = Places.for_site(tmp_path, "https://a.example/wiki")
    other = Places.for_site(tmp_path, "https://b.example/wiki")
    assert one.path != other.path
    for n in (1, 2, 1, 3):
        one.visited(_p(n))
    assert [p.page_id for p in one.recent] == ["3", "1", "2"]  # newest first, once each
    assert one.toggle_bookmark(_p(2)) is True and one.is_bookmarked("2")
    one.visited(_p(2, "Page 2, renamed"))
    again = Places.for_site(tmp_path, "https://a.example/wiki")
    assert [p.page_id for p in again.recent] == ["2", "3", "1"]
    assert again.bookmarks == [_p(2, "Page 2, renamed")]  # a bookmark follows the title
    assert again.toggle_bookmark(_p(2)) is False and not again.is_bookmarked("2")
    assert Places.for_site(tmp_path, "https://b.example/wiki").recent == []
    assert oct(os.stat(one.path).st_mode & 0o777) == "0o600"  # atomic_write: private


def test_the_recent_list_is_bounded(tmp_path):
    places = Places(tmp_path / "p.json")
    for n in range(RECENT_LIMIT + 10):
        places.visited(_p(n))
    assert len(places.recent) == RECENT_LIMIT and places.recent[0] == _p(RECENT_LIMIT + 9)


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe garbage",
        b"[1, 2, 3]",
    ],
)
def test_a_damaged_file_is_set_aside_and_the_lists_start_empty(tmp_path, content):
    path = tmp_path / "places.json"
    path.write_bytes(content)
    places = Places(path)
    assert places.recent == [] and places.bookmarks == []
    assert places.problem and "could not be read" in places.problem
    assert (tmp_path / "places.json.unreadable").read_bytes() == content  # nothing thrown away
    places.visited(_p(1))
    assert places.problem is None and Places(path).recent == [_p(1)]


def test_bad_entries_are_skipped_not_fatal(tmp_path):
    path = tmp_path / "places.json"
    path.write_text(
        json.dumps(
            {
                "recent": [
                    {"page_id": "1", "title": "One"},
                    {"page_id": "x1", "title": "not an id"},
                    {"page_id": "2"},
                    "junk",
                    {"page_id": "1", "title": "One again"},
                ],
                "bookmarks": {"not": "a list"},
            }
        )
    )
    places = Places(path)
    assert places.recent == [Place("1", "One", "page", "")] and places.bookmarks == []


def test_an_unwritable_place_is_said_and_the_lists_live_on(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    places = Places(blocker / "places.json")  # its folder cannot be made (even by root)
    places.visited(_p(1))
    assert places.recent == [_p(1)] and places.problem and "session only" in places.problem
    assert places.toggle_bookmark(_p(1)) is True and places.bookmarks == [_p(1)]
