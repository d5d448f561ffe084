"""The footer follows the focus after the terminal said the window lost it.

A detached tmux (the tmux tests, a session started in the background) answers the app's request
for focus reports with a focus-out at once; the app then runs without "app focus" until the first
key. The footer skips rebuilds that would show the same keys, and it must compare with what it
shows, not with what it last meant to show: a '/' just after start-up focused the search bar while
the footer kept the tree's keys (``test_tmux.py::test_search_from_the_cql_bar`` waited for
``esc Back`` in vain).
"""

from __future__ import annotations

from textual import events

from workbench.tui.widgets.cql_bar import CqlBar
from workbench.tui.widgets.key_footer import KeyFooter
from workbench.tui.widgets.site_tree import SiteTree

from .helpers import make_app, settle, wait_until


def _footer_actions(app) -> list[str]:
    return app.screen.query_one(KeyFooter).actions()


async def test_the_footer_shows_the_search_bar_keys_after_a_focus_out(demo_server):
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        main = app.main
        await pilot.press("slash")
        await wait_until(app, pilot, lambda: isinstance(main.focused, CqlBar))
        await wait_until(app, pilot, lambda: "screen.leave_search" in _footer_actions(app))

        app.post_message(events.AppBlur())  # what tmux sends when the app asks for focus reports
        await wait_until(app, pilot, lambda: not app.app_focus)
        main.focus_tree()  # the screen moves the focus meanwhile (start-up does)
        await wait_until(app, pilot, lambda: isinstance(main.focused, SiteTree))
        # the footer lays its keys out again while the app has no focus (a resize across the
        # narrow breakpoint and back does; at start-up the first resize does)
        await pilot.resize_terminal(90, 30)
        await wait_until(app, pilot, lambda: "screen.leave_search" not in _footer_actions(app))
        await pilot.resize_terminal(120, 40)
        await settle(app, pilot)
        assert "screen.leave_search" not in _footer_actions(app)

        await pilot.press("slash")  # the first key gives the app the focus back
        await wait_until(app, pilot, lambda: isinstance(main.focused, CqlBar))
        await wait_until(app, pilot, lambda: "screen.leave_search" in _footer_actions(app))
        assert app.app_focus
