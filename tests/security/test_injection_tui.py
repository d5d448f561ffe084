"""D1/D3 in the TUI: hostile titles, space names, labels, comments, authors and version messages are
shown as text on every screen, never as markup and never as terminal controls.

Through Textual's Pilot against the local Confluence seeded with ``hostile.py``. After every step the
whole rendered screen (what the terminal would be sent) is checked: not one control character, and
the payload is visible as text (``␛]0;PWNED-TITLE␇``). The D3 crashes — ``[/x]`` in a title after a
save, and on reopening a page with a draft — are walked through.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Input, Static, TextArea

from tests.security.hostile import (
    BIDI_CONTROLS,
    CHILD_TITLE,
    PAGE_TITLE,
    dangerous,
    seed_hostile,
)
from tests.tui.helpers import SIZE, make_app, notes, settle, wait_until
from workbench.tui.widgets.editor import MdEditor
from workbench.tui.widgets.site_tree import SiteTree

VISIBLE = "␛]0;PWNED-TITLE␇"


def screen_text(app) -> str:
    """Every character of the current screen as it would go to the terminal (after line filters)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip if not seg.control) for strip in strips)


def assert_clean(app, *expected: str) -> str:
    text = screen_text(app)
    assert not dangerous(text, allow="\n"), (
        f"controls on screen: {dangerous(text, allow=chr(10))!r}"
    )
    for piece in expected:
        assert piece in text, f"{piece!r} is not on the screen:\n{text}"
    assert app.is_running and app.return_code is None
    return text


async def test_browsing_hostile_content(demo_server):
    ids = seed_hostile(demo_server)
    app = make_app(demo_server)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        tree = app.main.query_one(SiteTree)
        space = tree.node_for(f"space:{ids['space_id']}")
        tree.move_cursor(space)
        space.expand()
        await settle(app, pilot)
        assert_clean(app, "Evil space ␛]0;PWNED-TITLE␇", "Zebra ␛]0;PWNED")  # tree rows

        app.open_page(ids["page_id"])
        await settle(app, pilot)
        text = assert_clean(
            app,
            "Zebra ␛]0;PWNED-TITLE␇",
            "v2 · Mallory",  # header: title, last editor,
            "evil␛]0;PWNED-TITLE␇␛]52;c;aWQgfCBzaA==␇[/x]",  # the label,
            "[/x] [WIP] [@click=app.quit]q[/]",
        )  # markup shown as typed
        assert "<U+202E>gnp.exe" in text and "<U+009B>2J" in text  # bidi and C1 shown, not applied
        viewer = app.main.query_one("#viewer")
        viewer.scroll_end(animate=False)
        await pilot.pause()
        assert_clean(
            app, "<U+009D>0;PWNED-COMMENT<U+009C>", "Comments (1)"
        )  # the comment and its author

        await pilot.press("h")  # history: authors, version messages, the diff
        await settle(app, pilot)
        assert_clean(app, "version message", "␛]0;PWNED-TITLE␇␛[2J")
        await pilot.press("enter")
        await settle(app, pilot)
        assert_clean(app, "edited")

        app.main.results_pane.run_search("title ~ Zebra")  # results: titles, space names, excerpts
        await settle(app, pilot)
        assert_clean(app, "Zebra ␛]0;PWNED-TITLE␇", "Evil space ␛")

        app.main.action_labels()  # the labels prompt holds the label as it is (the filter guards it)
        await settle(app, pilot)
        assert app.screen.query_one(Input).value.startswith("evil\x1b]0;PWNED-TITLE\x07")
        assert_clean(app)
        await pilot.press("escape")
        await settle(app, pilot)

        await pilot.press(
            "ctrl+p"
        )  # open page by title: the palette used to parse titles as markup
        await pilot.pause()
        for ch in "Zebra":
            await pilot.press(ch)
        await pilot.pause(1.0)
        await settle(app, pilot)
        assert_clean(app, "open: Zebra ␛]0;PWNED-TITLE␇")
        await pilot.press("escape")
        await settle(app, pilot)

        app.open_page(ids["raw_id"])  # storage that is not even XML: ESC in the body itself
        await settle(app, pilot)
        assert_clean(app, "raw ␛")
        await pilot.press(
            "e"
        )  # the editor holds the exact text; the terminal still gets no control
        await settle(app, pilot)
        editor = app.main.query_one("#editor", MdEditor)
        assert "\x1b" in editor.text
        assert_clean(app)
        assert not [n for n in notes(app) if "rror" in n]


async def test_saving_and_reopening_a_page_whose_title_has_markup(demo_server):
    ids = seed_hostile(demo_server)
    pid = ids["child_id"]
    app = make_app(demo_server)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        app.open_page(pid)
        await settle(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        editor = app.main.query_one("#editor", MdEditor)
        editor.text = editor.text + "\nSaved once.\n"
        await pilot.pause()
        await pilot.press("ctrl+s")  # the save prompt (its title is text too) …
        await pilot.pause()
        assert_clean(app, "Save “Routing [/api/v2] ␛]0;PWNED-TITLE␇child” as version 2")
        await pilot.press(
            "ctrl+s"
        )  # … D3: the "Saved “…”" notification raised MarkupError and ended the app
        await settle(app, pilot)
        assert demo_server.store.get_page(pid)["version"] == 2
        await pilot.pause(0.3)
        assert_clean(app, "Saved “Routing [/api/v2] ␛]0;PWNED-TITLE␇child”")  # the toast itself
        said = " ".join(notes(app))
        assert "Saved “Routing [/api/v2] ␛]0;PWNED-TITLE␇child” as version 2." in said
        await pilot.press("e")
        await pilot.pause()
        editor = app.main.query_one("#editor", MdEditor)
        editor.text = editor.text + "\nA draft to recover.\n"
        await wait_until(app, pilot, lambda: app.workspace.drafts.for_page(pid))
    # D3: reopening the page while a draft exists showed the recovery dialog with the title as markup
    app = make_app(demo_server)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        app.open_page(pid)
        await settle(app, pilot)
        assert app.screen.id == "draft-recovery"
        assert_clean(app, "unsaved draft of “Routing [/api/v2] ␛]0;PWNED-TITLE␇child”")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "A draft to recover." in app.main.query_one("#editor", MdEditor).text
        assert demo_server.store.get_page(pid)["title"] == CHILD_TITLE  # nothing renamed the page


async def test_a_new_page_titled_with_markup(demo_server):
    ids = seed_hostile(demo_server)
    app = make_app(demo_server)
    title = "Notes [/x] [b]bold?"
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        app.open_page(ids["page_id"])
        await settle(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert_clean(app, "Title of the new page under “Zebra", "␛]0;PWNED-TITLE␇␛[2J")
        app.screen.query_one(Input).value = title
        await pilot.press("enter")
        await settle(app, pilot)
        assert_clean(app, f"New page “{title}”")
        editor = app.main.query_one("#editor", MdEditor)
        editor.text = "Body of the new page.\n"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert f"Created “{title}” as version 1." in " ".join(notes(app))
        assert (
            demo_server.store.query_one("SELECT id FROM pages WHERE title = ?", (title,))
            is not None
        )


async def test_notifications_and_the_line_filter_stand_behind_every_widget(demo_server):
    app = make_app(demo_server)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        app.notify("Routing [/api/v2] \x1b]0;T\x07 [@click=app.quit]x[/]", title="Confluence [/y]")
        await pilot.pause()
        await pilot.pause(0.3)
        assert_clean(app, "[/api/v2]", "␛]0;T␇", "[@click=app.quit]x[/]", "Confluence [/y]")
        # a widget added later that forgets textsafe: the terminal still gets no control character
        box = app.main.query_one("#page-header", Static)
        box.update(Text("raw \x1b]0;PWNED\x07 \x9b2J \u202eevil"))
        await pilot.pause()
        text = assert_clean(app, "raw ]0;PWNED 2J evil")
        assert not set(text) & BIDI_CONTROLS
        app.main.query_one("#viewer").focus()
        area = TextArea("\x1b[2J in an editor")
        await app.main.query_one("#tab-page").mount(area)
        await pilot.pause()
        assert_clean(app, "[2J in an editor")
    assert PAGE_TITLE  # (the payload module is shared with the CLI tests)


async def test_only_web_links_are_handed_to_the_browser(demo_server, monkeypatch):
    """A page's web link comes from the server: ``file:``, ``javascript:`` or an app's scheme is not opened."""
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url) or True)
    app = make_app(demo_server)
    said: list[str] = []
    shown = (
        app.notify
    )  # every message is kept as it is said (a toast may time out on a busy machine)
    monkeypatch.setattr(
        app, "notify", lambda message, **kw: (said.append(message), shown(message, **kw))[1]
    )
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        for url in (
            "file:///etc/passwd",
            "javascript:alert(1)",
            "vscode://open?x",
            "ssh://evil.example",
        ):
            app.main.open_in_browser(url)
            await settle(app, pilot)
        assert opened == []
        assert sum("Not opened" in n for n in said) == 4
        app.main.open_in_browser(demo_server.base_url + "/spaces/ENG")
        await settle(app, pilot)
        assert opened == [demo_server.base_url + "/spaces/ENG"]
