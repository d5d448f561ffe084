"""The history tab marks a version saved as a minor edit (Pilot, against the local Confluence)."""

from __future__ import annotations

from workbench.tui.panes.history import VersionList

from .helpers import SIZE, make_app, open_page, settle, wait_until

TITLE = "Runbook: Rotating TLS certificates"


async def test_the_history_marks_minor_edits(demo_server):
    store = demo_server.store
    page = store.query_one("SELECT id, body FROM pages WHERE title = ?", (TITLE,))
    store.update_page(page["id"], page["body"] + "<p>typo</p>", message="typo", minor_edit=True)
    store.update_page(page["id"], page["body"] + "<p>rewrite</p>", message="rewritten")
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, TITLE)
        await pilot.press("h")
        await settle(app, pilot)
        listing = app.main.query_one("#versions", VersionList)
        await wait_until(app, pilot, lambda: listing.option_count >= 3)
        rows = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        newest, minor, first = rows[0], rows[1], rows[-1]
        assert newest.startswith("v3") and "minor edit" not in newest and "rewritten" in newest
        assert minor.startswith("v2") and "minor edit" in minor and "typo" in minor
        assert "minor edit" not in first
