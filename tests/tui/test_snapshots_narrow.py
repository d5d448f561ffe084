"""Snapshot tests at 80×24 of the screens the 120×40 snapshots cover only wide (test_snapshots.py
has page_open, editor_dirty and search_results at both sizes): the tree, the help, the history's
diff, a merge, the find bar and the welcome screen (the agent panel at 80×24: test_narrow.py —
its transcript's scrolling is not steady enough for a snapshot). Deterministic as there."""

from __future__ import annotations

import pytest

from workbench.tui.app import WorkbenchApp

from .helpers import page_id, settle, wait_until
from .test_snapshots import PAGE, _app, _before, _quiet

SMALL = (80, 24)


@pytest.fixture
def server(fixed_clock, local_confluence):
    return local_confluence("demo")


def test_tree_only_80x24(server, snap_compare):
    async def expand(app, pilot):
        await pilot.press("down", "right")

    assert snap_compare(
        _app(server), terminal_size=SMALL, run_before=_before(server, expand, page=None)
    )


def test_help_80x24(server, snap_compare):
    async def help_screen(app, pilot):
        await pilot.press("question_mark")

    assert snap_compare(
        _app(server), terminal_size=SMALL, run_before=_before(server, help_screen, page=None)
    )


def test_history_diff_80x24(server, snap_compare):
    pid = page_id(server, PAGE)
    row = server.store.get_page(pid)
    server.store.update_page(
        pid, row["body"].replace("</p>", " Updated by a colleague.</p>", 1), message="clarify"
    )

    async def history(app, pilot):
        await pilot.press("h")
        await settle(app, pilot)
        await pilot.press("enter")

    assert snap_compare(_app(server), terminal_size=SMALL, run_before=_before(server, history))


def test_merge_approval_80x24(server, snap_compare):
    pid = page_id(server, PAGE)

    async def conflict(app, pilot):
        await pilot.press("e")
        editor = app.main.query_one("#editor")
        editor.text = editor.text.rstrip("\n") + "\n\nMy closing note.\n"
        row = server.store.get_page(pid)
        server.store.update_page(pid, row["body"].replace("</p>", " Their edit.</p>", 1))
        await pilot.press("ctrl+s")
        await wait_until(app, pilot, lambda: app.screen.id == "save-prompt")
        await pilot.press("ctrl+s")
        await wait_until(app, pilot, lambda: app.screen.id == "merge-approval")

    assert snap_compare(_app(server), terminal_size=SMALL, run_before=_before(server, conflict))


def test_find_in_page_80x24(server, snap_compare):
    async def find(app, pilot):
        await pilot.press("slash", *"replica", "enter", "n")

    assert snap_compare(_app(server), terminal_size=SMALL, run_before=_before(server, find))


def test_welcome_80x24(snap_compare):
    async def settle_only(pilot):
        await pilot.pause()
        _quiet(pilot.app)

    assert snap_compare(WorkbenchApp(None), terminal_size=SMALL, run_before=settle_only)
