"""The footer is one widget drawing the keys that apply now (``tui/widgets/key_footer.py``): the same
line Textual's footer drew, a click presses a key (a key that does not apply now does nothing), the
key under the mouse is lit and says what it does, and the wheel scrolls a line wider than the
terminal (Pilot, the real app against the local Confluence)."""

from __future__ import annotations

from textual import events

from workbench.tui.screens.help import HelpScreen
from workbench.tui.screens.main import MainScreen
from workbench.tui.widgets.key_footer import FooterEntry, KeyFooter

from .helpers import make_app, settle, wait_until


def _entry(footer: KeyFooter, action: str) -> FooterEntry:
    return next(e for e in footer.entries if e.action == action)


async def test_the_footer_is_one_widget_with_the_keys_that_apply(started):
    app, pilot = started
    footer = app.screen.query_one(KeyFooter)
    assert not footer.children and not app.screen.query("FooterKey")  # no widget per key
    line = footer.render_line(0).text
    assert len(line) == 120
    assert line.startswith(" ⏎ Open  f Filter  / Search  e Edit  h History ")
    assert line.endswith(" q Quit  ? Help               ▏^p palette ")
    assert not _entry(footer, "edit").enabled  # no page open: dim, does nothing
    assert _entry(footer, "help").enabled


async def test_a_click_presses_the_key_and_a_key_that_does_not_apply_does_nothing(started):
    app, pilot = started
    footer = app.screen.query_one(KeyFooter)
    edit = _entry(footer, "edit")
    await pilot.click(KeyFooter, offset=(edit.x + 1, 0))
    await settle(app, pilot)
    assert isinstance(app.screen, MainScreen) and app.main.tabs.active == "tab-page"
    help_key = _entry(footer, "help")
    await pilot.click(KeyFooter, offset=(help_key.x + 1, 0))
    await wait_until(app, pilot, lambda: isinstance(app.screen, HelpScreen))


async def test_the_key_under_the_mouse_is_lit_and_says_what_it_does(started):
    app, pilot = started
    footer = app.screen.query_one(KeyFooter)
    plain = footer.render_line(0)
    keys = _entry(footer, "filter")
    await pilot.hover(KeyFooter, offset=(keys.x + 1, 0))
    await wait_until(app, pilot, lambda: footer.tooltip is not None)
    assert footer.tooltip == "Filter the loaded tree as you type"
    lit = footer.render_line(0)
    assert lit.text == plain.text  # the same words; only the key under the mouse changes colour
    cells = range(keys.x, keys.x + keys.width)
    changed = [x for x in range(120) if _style_at(lit, x) != _style_at(plain, x)]
    assert changed and set(changed) <= set(cells)
    await pilot.hover(None, offset=(60, 10))  # away from the footer: nothing lit
    await wait_until(app, pilot, lambda: footer.tooltip is None)
    assert [_style_at(footer.render_line(0), x) for x in cells] == [
        _style_at(plain, x) for x in cells
    ]


async def test_a_line_wider_than_the_terminal_scrolls_under_the_wheel(demo_server):
    app = make_app(demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        footer = app.screen.query_one(KeyFooter)
        before = footer.render_line(0).text
        assert before.startswith(" q Quit  ? Help ") and before.endswith("▏^p palette ")
        # Pilot has no wheel: the event the driver sends for one, over the footer
        footer.post_message(
            events.MouseScrollDown(footer, 5, 0, 0, 1, 0, False, False, False, screen_x=5)
        )
        await wait_until(app, pilot, lambda: footer.render_line(0).text != before)
        after = footer.render_line(0).text
        assert not after.startswith(" q Quit") and after.endswith("▏^p palette ")


def _style_at(strip, x: int):
    at = 0
    for segment in strip:
        if at <= x < at + len(segment.text):
            return segment.style
        at += len(segment.text)
    return None
