"""Space permissions in the TUI, through Pilot against the local Confluence that enforces them
(``workbench.emulator.space_access``), logged in as Priya: a space she may not view is not in the
tree and a link into it says it is not found or not hers to see; a page she may read but not edit
opens, and its save says she may not edit it — the editor keeps her text, nothing is written, and
"deleted" is never said."""

from __future__ import annotations

from workbench.emulator.seed_people import PRIYA
from workbench.services.sites import url_site
from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.site_tree import SiteTree

from .helpers import SIZE, notes, page_id, save, settle, viewer_text, wait_until


def prod_page(server) -> str:
    row = server.store.query_one(
        "SELECT p.id FROM pages p JOIN spaces s ON s.id = p.space_id "
        "WHERE s.key = 'PROD' AND p.type = 'page' AND p.status = 'current' ORDER BY p.id LIMIT 1"
    )
    return str(row["id"])


def personal_page(server) -> str:
    row = server.store.query_one(
        "SELECT p.id FROM pages p JOIN spaces s ON s.id = p.space_id "
        "WHERE s.key = '~demo' AND p.type = 'page' AND p.status = 'current' ORDER BY p.id LIMIT 1"
    )
    return str(row["id"])


async def test_a_page_priya_may_read_but_not_edit_says_so_on_save(demo_server):
    demo_server.state.auth_gate.credentials["priya.raman@example.com"] = ("priya-token", PRIYA)
    page = prod_page(demo_server)
    before = demo_server.store.get_page(page)
    app = WorkbenchApp(
        url_site(demo_server.base_url, "priya.raman@example.com", "priya-token", name="Demo")
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        tree = app.main.query_one(SiteTree)
        await wait_until(app, pilot, lambda: bool(tree.root.children))
        titles = [n.data.title for n in tree.root.children]
        assert "Platform Engineering" in titles and len(titles) == 2, titles  # not ~demo
        # a link into the space she may not view
        app.open_page(personal_page(demo_server))
        await settle(app, pilot)
        said = " ".join(notes(app))
        assert "was not found, or you may not see it (404" in said, said
        assert "Traceback" not in said
        # a page she may read, not edit
        app.open_page(page)
        await settle(app, pilot)
        assert app.main.workspace.current.page.id == page and viewer_text(app).strip()
        await pilot.press("e")
        editor = app.main.query_one("#editor")
        await wait_until(app, pilot, lambda: editor.has_focus)
        editor.text = editor.text.rstrip("\n") + "\n\nPriya's addition.\n"
        await pilot.pause()
        await save(app, pilot)
        said = " ".join(notes(app))
        assert "you may read “Product & Design” but not edit it" in said, said
        assert "deleted" not in said
        assert editor.text.endswith("Priya's addition.\n")  # her text is still in the editor
    after = demo_server.store.get_page(page)
    assert (after["version"], after["body"]) == (before["version"], before["body"])
    assert page_id(demo_server, "Product & Design") == page
