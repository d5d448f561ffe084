"""Back/forward, recent pages and bookmarks (headless): the trail of a session, and the lists kept
per site in the data directory — written off the caller's thread, atomic (kill -9 leaves a whole
file), tolerant of a damaged file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

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
    assert one.wait_written(30)
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
    assert places.wait_written(30)
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
    told: list[str] = []
    places = Places(blocker / "places.json", on_problem=told.append)  # its folder cannot be made
    places.visited(_p(1))
    assert places.wait_written(30)
    assert places.recent == [_p(1)] and places.problem and "session only" in places.problem
    assert places.toggle_bookmark(_p(1)) is True and places.bookmarks == [_p(1)]
    places.visited(_p(2))
    assert places.wait_written(30)
    assert len(told) == 1 and "session only" in told[0]  # said once, not at every page opened
    blocker.unlink()  # the folder can be made now: the next write succeeds, and is quiet
    places.visited(_p(3))
    assert places.wait_written(30)
    assert places.problem is None and [p.page_id for p in Places(places.path).recent] == [
        "3",
        "2",
        "1",
    ]
    assert len(told) == 1


def test_opening_a_page_does_not_fsync_on_the_callers_thread(tmp_path, monkeypatch):
    """The event loop opens pages; the file is written (and fsynced) by the writer thread."""
    synced_by: list[str] = []
    real_fsync = os.fsync

    def watched_fsync(fd: int) -> None:
        synced_by.append(threading.current_thread().name)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", watched_fsync)
    places = Places(tmp_path / "places.json")
    for n in range(20):  # twenty pages opened in a row: the newest lists are what is written
        places.visited(_p(n))
    assert places.wait_written(30)
    assert synced_by and threading.current_thread().name not in synced_by
    assert set(synced_by) == {"workbench-places"}
    assert len(synced_by) <= 20
    assert [p.page_id for p in Places(tmp_path / "places.json").recent][:3] == ["19", "18", "17"]


def test_the_last_page_opened_is_written_before_the_process_exits(tmp_path):
    script = textwrap.dedent(
        f"""
        from workbench.services.places import Place, Places
        places = Places.for_site({str(tmp_path)!r}, "site")
        places.visited(Place("42", "The last page", "page", "ENG"))  # the process ends at once
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    assert Places.for_site(tmp_path, "site").recent == [_p(42, "The last page")]


def test_kill_9_while_pages_are_opened_leaves_a_readable_file(tmp_path):
    script = textwrap.dedent(
        f"""
        from workbench.services.places import Place, Places
        places = Places.for_site({str(tmp_path)!r}, "site")
        if not places.is_bookmarked("1"):
            places.toggle_bookmark(Place("1", "Kept", "page", "ENG"))
        places.visited(Place("1", "Kept", "page", "ENG"))
        places.wait_written()
        print("written", flush=True)
        n = 1
        while True:  # a reader opening page after page until it is killed
            n += 1
            places.visited(Place(str(n), f"Page {{n}}", "page", "ENG"))
        """
    )
    path = Places.for_site(tmp_path, "site").path
    for round_ in range(4):
        child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "written"
            time.sleep(0.02 * round_)  # somewhere in the middle of later writes
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
        json.loads(path.read_text(encoding="utf-8"))  # a whole file, never half of one
        places = Places.for_site(tmp_path, "site")
        assert places.problem is None and places.bookmarks[0].title == "Kept"
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".unreadable")]
