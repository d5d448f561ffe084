"""Every key of the main screen, pressed with no page open and then with one: nothing unexpected."""

from __future__ import annotations

from .helpers import notes, open_page, settle

KEYS = [
    "e",
    "h",
    "n",
    "m",
    "l",
    "c",
    "r",
    "g",
    "ctrl+b",
    "ctrl+b",
    "ctrl+t",
    "question_mark",
    "escape",
    "f",
    "escape",
    "slash",
    "escape",
    "escape",
    "j",
    "k",
    "right",
    "left",
    "enter",
]


async def test_every_key_with_and_without_a_page(started, demo_server):
    app, pilot = started
    for key in KEYS:
        await pilot.press(key)
        await pilot.pause()
        while app.screen is not app.main:  # close whatever dialog the key opened
            await pilot.press("escape")
            await pilot.pause()
    await settle(app, pilot)
    await open_page(app, pilot, demo_server, "Runbooks")
    app.main.query_one("#viewer").focus()
    for key in KEYS:
        await pilot.press(key)
        await pilot.pause(0.05)
        while app.screen is not app.main:
            await pilot.press("escape")
            await pilot.pause()
        if app.main.query_one("#tabs").active == "tab-editor":
            await pilot.press("escape")
    await settle(app, pilot)
    assert not [n for n in notes(app) if "Unexpected" in n or "Traceback" in n]
    assert app.is_running
