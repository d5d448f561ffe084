"""An 80×24 terminal: the tree steps aside while the agent panel, the history's diff or a merge
needs the room (ctrl+b brings it back), the footer keeps q and ?, the help and the history stay
readable — through Pilot, against the demo site."""

from __future__ import annotations

import io

from workbench.tui.widgets.key_footer import KeyFooter

from .helpers import make_app, notes, open_page, page_id, save, settle, wait_until

SMALL = (80, 24)
PAGE = "Runbook: Database failover"


def _tree_shown(app) -> bool:
    return app.main.tree_pane.display and app.main.tree_pane.region.width > 0


def _footer_actions(app) -> list[str]:
    return app.screen.query_one(KeyFooter).actions()


async def test_the_tree_steps_aside_for_the_agent_panel_and_comes_back(demo_server):
    app = make_app(demo_server)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        main = await open_page(app, pilot, demo_server, PAGE)
        assert _tree_shown(app)
        await pilot.press("ctrl+a")
        await settle(app, pilot)
        assert not _tree_shown(app)
        assert main.page_pane.viewer.region.width >= 30  # was 5 columns with the tree beside
        await pilot.press("ctrl+b")  # the reader wants the tree anyway
        await settle(app, pilot)
        assert _tree_shown(app)
        await pilot.press("ctrl+b")
        await settle(app, pilot)
        assert not _tree_shown(app)
        await pilot.press("ctrl+a")  # the panel goes: the tree is back by itself
        await settle(app, pilot)
        assert _tree_shown(app)


async def test_history_stacks_the_diff_under_the_versions(demo_server):
    pid = page_id(demo_server, PAGE)
    row = demo_server.store.get_page(pid)
    demo_server.store.update_page(pid, row["body"].replace("</p>", " Updated.</p>", 1))
    app = make_app(demo_server)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        main = await open_page(app, pilot, demo_server, PAGE)
        await pilot.press("h")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert not _tree_shown(app)
        diff = main.query_one("#diff-pane")
        versions = main.query_one("#versions")
        assert diff.region.width >= 70 and diff.region.y > versions.region.y  # under, full width
        await pilot.press("escape")  # back to the page: the tree returns
        await settle(app, pilot)
        assert _tree_shown(app)


async def test_a_conflicted_merge_gets_the_room(demo_server):
    pid = page_id(demo_server, PAGE)
    app = make_app(demo_server)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        main = await open_page(app, pilot, demo_server, PAGE)
        await pilot.press("e")
        await settle(app, pilot)
        editor = main.query_one("#editor")
        first = next(line for line in editor.text.splitlines() if line.startswith("The "))
        editor.text = editor.text.replace(first, "Mine: " + first, 1)
        row = demo_server.store.get_page(pid)
        theirs = row["body"].replace("The PostgreSQL", "Theirs: The PostgreSQL", 1)
        assert theirs != row["body"]
        demo_server.store.update_page(pid, theirs)
        await save(app, pilot)
        await wait_until(app, pilot, lambda: main.query_one("#theirs").display)
        await settle(app, pilot)
        assert "<<<<<<< mine" in editor.text
        assert not _tree_shown(app)
        assert main.query_one("#theirs").region.width >= 35
        notes(app)


async def test_the_footer_keeps_quit_and_help_first_when_narrow(demo_server):
    app = make_app(demo_server)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, PAGE)
        assert _footer_actions(app)[:2] == ["quit", "help"]
        footer = app.screen.query_one(KeyFooter)
        room = 80 - sum(e.width for e in footer.entries if e.palette)  # the palette's key: right
        assert all(e.x + e.width <= room for e in footer.entries[:2]) and footer.entries[0].width
        assert "q Quit  ? Help" in footer.render_line(0).text
        await pilot.resize_terminal(120, 40)  # wide: Textual's order again
        await settle(app, pilot)
        assert _footer_actions(app)[0] not in ("quit", "app.quit")


async def test_help_is_two_readable_columns_at_80(demo_server):
    app = make_app(demo_server)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)
        table = app.screen.table
        assert len(table.columns) == 2
        from rich.console import Console

        console = Console(width=70, record=True, file=io.StringIO())
        console.print(table)
        text = console.export_text()
        assert "Edit the page as Markdown" in text  # a description on one line, not 2 columns
        assert "page.edit" in text and "viewer" in text
        await pilot.press("escape")
        await pilot.resize_terminal(120, 40)
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert len(app.screen.table.columns) == 4
