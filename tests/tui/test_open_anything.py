"""The palette opens anything: a page id, a pasted URL of any form, a tiny link, a space's address,
a title — and its title search is fresh each time it opens. Against the demo site, through Pilot."""

from __future__ import annotations

from urllib.parse import quote_plus

from textual.command import CommandPalette
from textual.widgets import Input, OptionList

from workbench.confluence.page_ref import id_to_tiny

from .helpers import SIZE, make_app, notes, page_id, settle, wait_until

PAGE = "Runbook: Database failover"


def _options(app) -> list[str]:
    palette = app.screen
    if not isinstance(palette, CommandPalette):
        return []
    listed = palette.query_one(OptionList)
    return [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]


async def _paste_and_pick(app, pilot, text: str, wanted: str) -> None:
    """Open the palette, paste ``text``, wait for the entry ``wanted``, choose it."""
    await pilot.press("ctrl+p")
    await wait_until(app, pilot, lambda: isinstance(app.screen, CommandPalette))
    app.screen.query_one(Input).value = text
    await wait_until(app, pilot, lambda: any(wanted in o for o in _options(app)))
    listed = app.screen.query_one(OptionList)
    listed.highlighted = next(i for i, o in enumerate(_options(app)) if wanted in o)
    await pilot.press("enter")
    await settle(app, pilot)


async def test_every_form_of_a_pasted_address_opens_the_page(demo_server):
    store = demo_server.store
    pid = page_id(demo_server, PAGE)
    key = store.get_space(store.get_page(pid)["space_id"])["key"]
    base = demo_server.base_url
    forms = [
        (pid, f"open: page {pid}"),
        (f"{base}/spaces/{key}/pages/{pid}/{quote_plus(PAGE)}", f"open: page {pid}"),
        (f"{base}/pages/viewpage.action?pageId={pid}", f"open: page {pid}"),
        (f"{base}/x/{id_to_tiny(int(pid))}", f"open: page {pid}"),
        (f"{base}/display/{key}/{quote_plus(PAGE)}", f"“{PAGE}” in space {key}"),
    ]
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for text, entry in forms:
            app.main.page_pane.viewer.show("")  # nothing shown between two forms
            await _paste_and_pick(app, pilot, text, entry)
            assert app.workspace.current.page.id == pid, text
            assert app.main.page_pane.viewer.has_focus  # reading focus after opening
            app.workspace.current = None
        assert notes(app) == []


async def test_a_space_address_opens_its_homepage(demo_server):
    space = demo_server.store.query_one("SELECT * FROM spaces WHERE key = 'ENG'")
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await _paste_and_pick(
            app,
            pilot,
            f"{demo_server.base_url}/spaces/ENG/overview",
            "open: the homepage of space ENG",
        )
        assert app.workspace.current.page.id == str(space["homepage_id"])


async def test_a_link_to_nothing_says_so_and_opens_nothing(started, demo_server):
    app, pilot = started
    await _paste_and_pick(app, pilot, "987654321", "open: page 987654321")
    assert app.workspace.current is None
    said = notes(app)
    assert any("987654321" in n for n in said), said
    await _paste_and_pick(
        app, pilot, f"{demo_server.base_url}/display/ENG/No+such+page", "No such page"
    )
    assert app.workspace.current is None
    assert any("No such page" in n for n in notes(app))


async def test_the_title_search_is_fresh_each_time_the_palette_opens(started, demo_server):
    app, pilot = started
    await pilot.press("ctrl+p")
    await wait_until(app, pilot, lambda: isinstance(app.screen, CommandPalette))
    app.screen.query_one(Input).value = "Runbook: Payments"
    await settle(app, pilot)
    before = [o for o in _options(app) if o.startswith("open: ")]
    assert any("Runbook: Payments API latency" in o for o in before)
    assert not any("appendix" in o for o in before)
    await pilot.press("escape")
    eng = demo_server.store.query_one("SELECT id FROM spaces WHERE key = 'ENG'")["id"]
    demo_server.store.create_page(eng, "Runbook: Payments API appendix", "<p>new</p>")
    await _paste_and_pick(app, pilot, "Runbook: Payments", "Runbook: Payments API appendix")
    assert app.workspace.current.page.title == "Runbook: Payments API appendix"
