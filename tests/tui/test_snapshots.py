"""Snapshot tests of the main screens (pytest-textual-snapshot), 120×40 and 80×24, dark and light.

Deterministic: a fixed clock for the seed, a site named "Demo" (no random port on screen), isolated
config/data/cache dirs (tests/conftest.py), no cursor blink. Update baselines only after reading
snapshot_report.html: ``pytest tests/tui/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from workbench.config import Settings
from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.cql_bar import CqlBar

from .helpers import make_app, page_id, settle, wait_until

PAGE = "Runbook: Database failover"


@pytest.fixture
def server(fixed_clock, local_confluence):
    return local_confluence("demo")


def _quiet(app) -> None:
    for widget in app.screen.query("Input, TextArea, CqlBar"):
        widget.cursor_blink = False
    for area in app.screen.query(TextArea):
        # Textual keys a TextArea's cached lines by its cursor only while the cursor blinks: a line
        # cached in the blink's "off" half stayed without its cursor once blinking stopped (how
        # often depended on the timing). Drop the cache: the lines are drawn as they are now.
        area.notify_style_update()
    app.clear_notifications()
    app.screen.query("Toast").remove()


def _before(server, *steps, page: str | None = PAGE):
    async def run_before(pilot):
        app = pilot.app
        await settle(app, pilot)
        if page:
            app.open_page(page_id(server, page))
            await settle(app, pilot)
        for step in steps:
            await step(app, pilot)
            await settle(app, pilot)
        _quiet(app)
        await pilot.pause()

    return run_before


def _app(server, theme: str = "textual-dark") -> WorkbenchApp:
    return make_app(server, settings=Settings(theme=theme))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_page_open(server, snap_compare, size, theme):
    assert snap_compare(_app(server, theme), terminal_size=size, run_before=_before(server))


def test_tree_only(server, snap_compare):
    async def expand(app, pilot):
        await pilot.press("down", "right")

    assert snap_compare(
        _app(server), terminal_size=(120, 40), run_before=_before(server, expand, page=None)
    )


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_editor_dirty(server, snap_compare, size):
    async def edit(app, pilot):
        await pilot.press("e")
        await wait_until(app, pilot, lambda: app.main.query_one("#editor").has_focus)
        app.main.query_one("#editor").insert("A new line typed in the editor.\n", (2, 0))

    assert snap_compare(_app(server), terminal_size=size, run_before=_before(server, edit))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_search_results(server, snap_compare, theme, size):
    async def search(app, pilot):
        bar = app.main.query_one(CqlBar)
        bar.focus()
        bar.value = "failover"
        await pilot.press("enter")

    assert snap_compare(
        _app(server, theme), terminal_size=size, run_before=_before(server, search, page=None)
    )


def test_invalid_cql(server, snap_compare):
    async def bad(app, pilot):
        bar = app.main.query_one(CqlBar)
        bar.focus()
        bar.value = "space = ENG AND"
        await pilot.press("enter")

    assert snap_compare(
        _app(server), terminal_size=(120, 40), run_before=_before(server, bad, page=None)
    )


def test_history_diff(server, snap_compare):
    pid = page_id(server, PAGE)
    row = server.store.get_page(pid)
    server.store.update_page(
        pid, row["body"].replace("</p>", " Updated by a colleague.</p>", 1), message="clarify"
    )

    async def history(app, pilot):
        await pilot.press("h")
        await settle(app, pilot)
        await pilot.press("enter")

    assert snap_compare(_app(server), terminal_size=(120, 40), run_before=_before(server, history))


def test_merge_approval(server, snap_compare):
    pid = page_id(server, PAGE)

    async def conflict(app, pilot):
        await pilot.press("e")
        editor = app.main.query_one("#editor")
        editor.text = editor.text.rstrip("\n") + "\n\nMy closing note.\n"
        row = server.store.get_page(pid)
        server.store.update_page(pid, row["body"].replace("</p>", " Their edit.</p>", 1))
        await pilot.press("ctrl+s")  # the save prompt …
        await wait_until(app, pilot, lambda: app.screen.id == "save-prompt")
        await pilot.press("ctrl+s")  # … confirmed
        await wait_until(app, pilot, lambda: app.screen.id == "merge-approval")

    assert snap_compare(_app(server), terminal_size=(120, 40), run_before=_before(server, conflict))


def test_help(server, snap_compare):
    async def help_screen(app, pilot):
        await pilot.press("question_mark")

    assert snap_compare(
        _app(server), terminal_size=(120, 40), run_before=_before(server, help_screen, page=None)
    )


def test_welcome(snap_compare):
    async def settle_only(pilot):
        await pilot.pause()
        _quiet(pilot.app)

    assert snap_compare(WorkbenchApp(None), terminal_size=(120, 40), run_before=settle_only)


def test_viewer_dialect_forms(snap_compare):
    """Every visible form of the dialect (tests/tui/dialect_forms.md) as the page viewer draws it."""
    from .test_viewer_forms import _Viewer

    async def rendered(pilot):
        viewer = pilot.app.query_one("#viewer")
        while not viewer.complete:
            await pilot.pause(0.05)
        await pilot.pause()

    assert snap_compare(_Viewer(), terminal_size=(100, 60), run_before=rendered)
