"""Getting around: alt+←/alt+→ (and [ / ]) through the pages opened, recent pages in the palette and
on the home view, bookmarks (B) kept per site — against the demo site, through Pilot."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Input, OptionList

from .helpers import SIZE, make_app, open_page, page_id, settle, viewer_text, wait_until

A, B, C = "Runbooks", "Runbook: Database failover", "Platform Engineering"


def _options(app) -> list[str]:
    if not isinstance(app.screen, CommandPalette):
        return []
    listed = app.screen.query_one(OptionList)
    return [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]


def _title(app) -> str:
    return app.workspace.current.page.title


async def test_back_and_forward_walk_the_pages_opened(started, demo_server):
    app, pilot = started
    for title in (A, B, C):
        await open_page(app, pilot, demo_server, title)
    await pilot.press("alt+left")
    await settle(app, pilot)
    assert _title(app) == B
    await pilot.press("left_square_bracket")  # [ works as well (from the viewer: it has focus)
    await settle(app, pilot)
    assert _title(app) == A
    await pilot.press("alt+left")  # nothing before the first: said, nothing opened
    await settle(app, pilot)
    assert _title(app) == A
    await pilot.press("right_square_bracket")
    await settle(app, pilot)
    assert _title(app) == B
    # a link followed from the middle drops the forward steps, as in a browser
    await open_page(app, pilot, demo_server, "Service catalogue")
    await pilot.press("alt+right")
    await settle(app, pilot)
    assert _title(app) == "Service catalogue"
    await pilot.press("alt+left")
    await settle(app, pilot)
    assert _title(app) == B


async def test_brackets_type_into_the_search_bar_not_travel(started, demo_server):
    app, pilot = started
    await open_page(app, pilot, demo_server, A)
    await open_page(app, pilot, demo_server, B)
    await pilot.press("escape", "slash", "left_square_bracket")
    await settle(app, pilot)
    assert _title(app) == B and app.main.search_pane.bar.value == "["


async def test_recent_pages_and_bookmarks_survive_a_restart(demo_server):
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, A)
        await open_page(app, pilot, demo_server, B)
        await pilot.press("B")  # bookmark B
        await settle(app, pilot)
        assert app.main.navigation.places.is_bookmarked(page_id(demo_server, B))
    # a new session of the same site: the home view lists them, the palette offers them
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        home = viewer_text(app)
        assert "Bookmarks" in home and "Recent pages" in home
        assert home.index(B) < home.index("Recent pages") < home.rindex(A)
        links = app.main.viewer_links()
        index = next(i for i, (text, _h) in enumerate(links) if text == A)
        await app.main.run_action(f"follow_link({index})")  # a recent page from the home view
        await settle(app, pilot)
        assert _title(app) == A
        await pilot.press("ctrl+p")
        await wait_until(app, pilot, lambda: isinstance(app.screen, CommandPalette))
        app.screen.query_one(Input).value = "bookmark: runbook"
        wanted = f"bookmark: {B}"
        await wait_until(app, pilot, lambda: any(wanted in o for o in _options(app)))
        listed = app.screen.query_one(OptionList)
        listed.highlighted = next(i for i, o in enumerate(_options(app)) if wanted in o)
        await pilot.press("enter")
        await settle(app, pilot)
        assert _title(app) == B
        await pilot.press("B")  # again: the bookmark goes
        await settle(app, pilot)
        assert not app.main.navigation.places.is_bookmarked(page_id(demo_server, B))
