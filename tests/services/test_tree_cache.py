"""The tree cache is written off the event loop (one writer thread, the newest content, changes
made during a write go into the next one) and survives kill -9 at any moment: the file on disk is
always a whole cache, the old one or the new one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

from workbench.confluence.models import PageSummary, Space
from workbench.services.cache import TreeCache


def rows(n: int, tag: str) -> list[PageSummary]:
    return [PageSummary(str(i), f"{tag} page {i}", "S", None) for i in range(n)]


def test_save_soon_returns_at_once_and_the_last_change_is_what_is_on_disk(tmp_path):
    cache = TreeCache(tmp_path, "site")
    cache.put_spaces([Space("S", "ENG", "Engineering")])
    for level in range(30):  # a person expanding one level after another
        cache.put_children(f"page:{level}", rows(200, f"level {level}"))
        cache.save_soon()
    assert cache.wait_written(30)
    again = TreeCache(tmp_path, "site")
    assert again.spaces() == [Space("S", "ENG", "Engineering")]
    for level in range(30):
        assert again.children(f"page:{level}") == rows(200, f"level {level}")
    assert not cache.problem
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_the_writer_copes_with_changes_while_it_writes(tmp_path):
    cache = TreeCache(tmp_path, "site")
    cache.put_children("space:S", rows(5_000, "root"))
    cache.save_soon()
    # the loop keeps changing the cache while the writer encodes it (no "changed size" error)
    for n in range(200):
        cache.put_children(f"page:{n}", rows(20, f"child {n}"))
        cache.save_soon()
    assert cache.wait_written(30)
    assert not cache.problem
    assert TreeCache(tmp_path, "site").children("page:199") == rows(20, "child 199")


def test_a_write_that_fails_is_said_and_the_next_one_tries_again(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    cache = TreeCache(blocked, "site")  # its folder is a file: the write fails
    cache.put_spaces([])
    cache.save_soon()
    assert cache.wait_written(30)
    assert "could not be written" in cache.problem
    assert threading.active_count() >= 1  # and the app goes on


def test_the_last_write_is_finished_when_the_process_exits(tmp_path):
    script = textwrap.dedent(
        f"""
        from workbench.confluence.models import PageSummary
        from workbench.services.cache import TreeCache
        cache = TreeCache({str(tmp_path)!r}, "site")
        cache.put_children("space:S", [PageSummary(str(i), "t", "S") for i in range(20000)])
        cache.save_soon()  # the process ends right after asking
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    assert len(TreeCache(tmp_path, "site").children("space:S") or []) == 20000


def test_kill_9_at_any_moment_leaves_a_whole_cache(tmp_path):
    # a process expands level after level, asking for a write each time, until it is killed
    script = textwrap.dedent(
        f"""
        import sys
        from workbench.confluence.models import PageSummary
        from workbench.services.cache import TreeCache
        cache = TreeCache({str(tmp_path)!r}, "site")
        generation = 0
        while True:
            generation += 1
            cache.put_children("space:S", [
                PageSummary(str(i), f"gen {{generation}}", "S") for i in range(3000)
            ])
            cache.save_soon()
            if generation == 1:
                cache.wait_written()
                print("written", flush=True)
        """
    )
    path = TreeCache(tmp_path, "site").path
    for round_ in range(5):
        child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "written"
            deadline = time.monotonic() + 60
            while 'gen 1"' in path.read_text(encoding="utf-8")[:200]:  # until a later write
                assert time.monotonic() < deadline, "no write after the first one"
                time.sleep(0.005)
            time.sleep(0.01 * round_)  # then somewhere in the middle of later writes
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
        raw = json.loads(path.read_text(encoding="utf-8"))  # whole JSON, never half a file
        cache = TreeCache(tmp_path, "site")
        listed = cache.children("space:S")
        assert raw["format"] == 1 and listed is not None and len(listed) == 3000
        # one generation's rows, all of them: the file is one write, not pieces of two
        titles = {r.title for r in listed}
        assert len(titles) == 1 and titles != {"gen 1"}  # one later write, whole
