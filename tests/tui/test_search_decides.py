"""The search bar hints; Confluence decides: documented CQL runs with no warning, a name the local
parser does not know is sent with a warning under the bar (interop report D6)."""

from __future__ import annotations

from workbench.tui.widgets.cql_bar import CqlBar

from .helpers import settle


async def _search(app, pilot, query: str) -> None:
    bar = app.main.query_one(CqlBar)
    bar.focus()
    bar.value = query
    await pilot.press("enter")
    await settle(app, pilot)


async def test_documented_and_unknown_names_both_reach_the_server(started, demo_server):
    app, pilot = started
    error = app.main.query_one("#cql-error")
    seen = len(demo_server.requests.entries(path_prefix="/wiki/rest/api/search"))
    await _search(app, pilot, "space in favouriteSpaces() or id in recentlyViewedContent(10)")
    assert not error.display  # documented: no warning, and the server answers (no favourites here)
    assert "0 results" in str(app.main.query_one("#results-summary").render())
    await _search(app, pilot, 'type = page and space = ENG and frobnicate ~ "x"')
    shown = str(error.render())
    assert shown.startswith("✗ Confluence: No field exists with the name: 'frobnicate'"), shown
    sent = demo_server.requests.entries(path_prefix="/wiki/rest/api/search")[seen:]
    assert [e.status for e in sent] == [200, 400]
