"""The editor's find and replace (ctrl+f), and its preview (alt+p / f5) — against the demo site,
through Pilot; the replaced text is saved through the one save path."""

from __future__ import annotations

from textual.widgets import Input

from workbench.tui.widgets.editor import CURRENT, FOUND, MdEditor

from .helpers import SIZE, make_app, open_page, save, settle, wait_until

TITLE = "Runbook: Database failover"


async def _editing(app, pilot, demo_server) -> MdEditor:
    await settle(app, pilot)
    await open_page(app, pilot, demo_server, TITLE)
    await pilot.press("e")
    editor = app.main.query_one("#editor", MdEditor)
    await wait_until(app, pilot, lambda: editor.has_focus)
    editor.move_cursor((0, 0))
    return editor


def _count(app) -> str:
    return str(app.main.editor_pane.find_bar.query_one(".find-count").render())


async def test_find_highlights_every_match_and_moves_between_them(demo_server):
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        editor = await _editing(app, pilot, demo_server)
        expected = editor.text.lower().count("replica")
        assert expected >= 3
        await pilot.press("ctrl+f")
        bar = app.main.editor_pane.find_bar
        assert bar.is_open and bar.query_input.has_focus
        await pilot.press(*"replica")
        await pilot.pause()
        assert len(editor.matches) == expected and _count(app).startswith(f"1/{expected}")
        first = editor.matches[0]
        assert editor.selected_text.lower() == "replica"
        names = [h[2] for line in editor._highlights.values() for h in line]
        assert names.count(FOUND) == expected - 1 and names.count(CURRENT) == 1
        await pilot.press("enter")  # enter: the next one (the bar keeps the focus)
        assert editor.match_index == 1 and bar.query_input.has_focus
        await pilot.press("up", "up")  # back past the first: the last
        assert editor.match_index == expected - 1
        await pilot.press("escape")  # the text again, the highlights gone
        assert editor.has_focus and not bar.is_open and editor.matches == []
        assert first.line >= 0


async def test_replace_one_then_all_is_an_edit_that_saves(demo_server):
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        editor = await _editing(app, pilot, demo_server)
        total = editor.text.count("Patroni")
        assert total >= 2
        await pilot.press("ctrl+f", *"Patroni")
        with_field = app.main.editor_pane.find_bar.query_one(".find-with", Input)
        with_field.focus()
        await pilot.press(*"Stolon", "enter")  # the current match replaced, on to the next
        await pilot.pause()
        assert editor.text.count("Stolon") == 1 and editor.text.count("Patroni") == total - 1
        assert _count(app).startswith(f"1/{total - 1}")
        await pilot.press("ctrl+r")  # all the others
        await pilot.pause()
        assert editor.text.count("Patroni") == 0 and editor.text.count("Stolon") == total
        assert app.main.has_unsaved()  # the session saw it as typing
        await save(app, pilot)
        row = demo_server.store.query_one("SELECT body FROM pages WHERE title = ?", (TITLE,))
        assert "Patroni" not in row["body"] and "Stolon" in row["body"]


async def test_preview_renders_the_buffer_beside_it_as_you_type(demo_server):
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        editor = await _editing(app, pilot, demo_server)
        pane = app.main.editor_pane
        await pilot.press("alt+p")
        await settle(app, pilot)
        assert pane.previewing and editor.has_focus
        preview = pane.preview
        text = "\n".join(preview.plain_lines())
        assert "When to use it" in text and "## When" not in text  # rendered, not Markdown
        assert "```" not in text
        editor.insert("# A brand new heading\n\n", (0, 0))
        await wait_until(
            app, pilot, lambda: "A brand new heading" in "\n".join(preview.plain_lines())
        )
        assert "# A brand" not in "\n".join(preview.plain_lines())
        await pilot.press("f5")  # the same key closes it
        assert not pane.previewing


async def test_undo_after_replace_all_is_one_step_and_so_is_redo(demo_server):
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        editor = await _editing(app, pilot, demo_server)
        original = editor.text
        await pilot.press(*"Note: ")  # typing first: its own undo step, kept apart
        typed = editor.text
        total = typed.count("Patroni")
        assert total >= 2
        await pilot.press("ctrl+f", *"Patroni")
        with_field = app.main.editor_pane.find_bar.query_one(".find-with", Input)
        with_field.focus()
        await pilot.press(*"Stolon", "ctrl+r")
        await pilot.pause()
        replaced = editor.text
        assert replaced.count("Stolon") == total and "Patroni" not in replaced
        editor.focus()
        await pilot.press("ctrl+z")  # ONE undo: every match back, the typing kept
        assert editor.text == typed
        await pilot.press("ctrl+y")  # ONE redo: every match replaced again
        assert editor.text == replaced
        await pilot.press("ctrl+z", "ctrl+z")  # then the typing, on its own
        assert editor.text == original
