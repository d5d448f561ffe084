"""Mentions completed from the site's people in the editor (Pilot, the real app on the local
Confluence): nobody matches, escape changes nothing; then ``@pri`` + the key picks Priya, the
mention goes in as ``⟦@Priya Raman⟧`` and the save makes it a mention of her account."""

from __future__ import annotations

from workbench.emulator.seed_people import PRIYA
from workbench.tui.mentions import MentionPicker
from workbench.tui.widgets.editor import MdEditor

from .helpers import SIZE, make_app, open_page, page_id, save, settle, wait_until

TITLE = "Runbook: Database failover"


async def _editor_with(app, pilot, tail: str) -> MdEditor:
    await pilot.press("e")
    editor = app.main.query_one("#editor", MdEditor)
    await wait_until(app, pilot, lambda: editor.has_focus)
    editor.text = editor.text.rstrip("\n") + "\n\n" + tail
    editor.move_cursor(editor.document.end)
    await pilot.pause()
    return editor


async def _picker(app, pilot) -> MentionPicker:
    await pilot.press("f8")
    await wait_until(app, pilot, lambda: isinstance(app.screen, MentionPicker))
    return app.screen


async def test_nobody_matching_and_escape_change_nothing(demo_server):
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, TITLE)
        editor = await _editor_with(app, pilot, "Ask @zzz")
        before = editor.text
        picker = await _picker(app, pilot)
        note = picker.query_one("#mention-note")
        await wait_until(app, pilot, lambda: "Nobody matches 'zzz'" in str(note.render()))
        await pilot.press("enter")  # nothing to pick: the dialog stays
        assert isinstance(app.screen, MentionPicker)
        await pilot.press("escape")
        await wait_until(app, pilot, lambda: not isinstance(app.screen, MentionPicker))
        assert editor.text == before


async def test_a_mention_is_completed_from_the_site_and_saved_as_her_account(demo_server):
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, TITLE)
        editor = await _editor_with(app, pilot, "Ask @pri")
        picker = await _picker(app, pilot)
        assert picker.query_one("#mention-query").value == "pri"
        await wait_until(app, pilot, lambda: [p.account_id for p in picker.people] == [PRIYA])
        await pilot.press("enter")
        await wait_until(app, pilot, lambda: editor.text.endswith("Ask ⟦@Priya Raman⟧"))
        assert editor.has_focus
        await save(app, pilot)
        body = demo_server.store.get_page(page_id(demo_server, TITLE))["body"]
        assert f'ri:account-id="{PRIYA}"' in body.rsplit("Ask", 1)[-1]


async def test_typing_in_the_dialog_searches_and_the_list_picks(demo_server):
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, TITLE)
        editor = await _editor_with(app, pilot, "Thanks ")
        picker = await _picker(app, pilot)
        await pilot.press(*"ha")
        await wait_until(
            app, pilot, lambda: [p.display_name for p in picker.people] == ["Hana Kowalczyk"]
        )
        await pilot.press("down", "enter")
        await wait_until(app, pilot, lambda: editor.text.endswith("Thanks ⟦@Hana Kowalczyk⟧"))


async def test_a_name_typed_without_its_accents_is_found_and_mentioned(demo_server):
    """``@zoe`` finds Zoë Lefèvre (the site's user search folds accents): the mention goes in with
    her name as the site spells it and saves as her account."""
    zoe = "557058:cccccccc-0000-4000-8000-000000000003"
    demo_server.store.add_user(zoe, "Zoë Lefèvre")
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, TITLE)
        editor = await _editor_with(app, pilot, "Ask @zoe")
        picker = await _picker(app, pilot)
        await wait_until(app, pilot, lambda: [p.account_id for p in picker.people] == [zoe])
        await pilot.press("enter")
        await wait_until(app, pilot, lambda: editor.text.endswith("Ask ⟦@Zoë Lefèvre⟧"))
        await save(app, pilot)
        body = demo_server.store.get_page(page_id(demo_server, TITLE))["body"]
        assert f'ri:account-id="{zoe}"' in body.rsplit("Ask", 1)[-1]
