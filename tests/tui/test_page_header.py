"""The page header paints at once from what the tree cache knows, and corrects itself from the
server's answer: a page opened by id (a link, back/forward, the palette) in a later session shows
the breadcrumb the tree stored; after the branch it sits in was moved on the site (which the page's
own answer cannot tell: its parent is the same), the header ends on the new place. The local
Confluence answers slowly (latency), the header's own request later still, so the header's two
moments — with the page, and after its own request — can both be seen; what is asserted is what
they show."""

from __future__ import annotations

from .helpers import SIZE, make_app, notes, page_id, settle, viewer_text, wait_until

RUNBOOK = "Runbook: Database failover"  # demo: Platform Engineering › (homepage) › Runbooks


def header(app) -> str:
    return str(app.main.query_one("#page-header").render()).replace("\n", " ")


async def test_the_header_shows_the_cached_breadcrumb_then_corrects_a_move(local_confluence):
    server = local_confluence("demo", latency_ms=400)
    pid = page_id(server, RUNBOOK)

    # a first session: the person expands the space and Runbooks (the tree cache keeps the rows)
    app = make_app(server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "right")  # the first space: its homepage's children
        await settle(app, pilot)
        tree = app.main.tree_pane.site_tree
        await pilot.press("down")
        assert tree.cursor_node.data.title == "Runbooks"
        await pilot.press("right")
        await settle(app, pilot)
        cache = app.main.tree_cache
        assert cache.wait_written(30)
    assert cache.trail(pid) is not None and cache.trail(pid)[-2:] == ["Runbooks", RUNBOOK]

    # meanwhile someone moves the runbooks, with the runbook in them, under the service catalogue
    server.store.move_page(
        page_id(server, "Runbooks"), "append", page_id(server, "Service catalogue")
    )

    # a later session opens it by id: the header comes with the page, from the cache …
    server.state.extras["chaos"].slow(rf"/rest/api/content/{pid}$", 1.0)  # (its answer: later)
    app = make_app(server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = app.main.page_pane
        app.open_page(pid)
        ws = app.workspace
        await wait_until(app, pilot, lambda: ws.current is not None and ws.current.page.id == pid)
        assert pane.extras is None  # the header's own request has not answered yet
        assert "Platform Engineering › Runbooks › " + RUNBOOK in header(app)
        # … and once the site has answered, it shows where the page is now
        await wait_until(app, pilot, lambda: pane.extras is not None)
        await settle(app, pilot)
        assert "Service catalogue › Runbooks › " + RUNBOOK in header(app)
        assert notes(app) == []


async def test_the_people_a_page_mentions_are_named_after_its_header_asking_once(local_confluence):
    """The header's one request names the commenters; the people the page's text mentions are
    asked for beside it (one users request), and the viewer shows them by name once known — the
    pane's own look-up joins that request rather than sending another."""
    server = local_confluence("demo", latency_ms=100)
    title = "Runbook: Payments API latency"  # its escalation section mentions Marcus
    pid = page_id(server, title)
    app = make_app(server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        server.requests.clear()
        app.open_page(pid)
        pane = app.main.page_pane
        await wait_until(app, pilot, lambda: pane.extras is not None)
        await wait_until(
            app, pilot, lambda: "page @Marcus Oyelaran" in viewer_text(app).replace("\n", " ")
        )
        await settle(app, pilot)
        seen = [(e.method, e.path) for e in server.requests.entries()]
        assert seen.count(("GET", f"/wiki/api/v2/pages/{pid}")) == 1
        assert seen.count(("GET", f"/wiki/rest/api/content/{pid}")) == 1  # the whole header
        assert seen.count(("POST", "/wiki/api/v2/users-bulk")) <= 1
        assert not [p for _, p in seen if p.endswith(("/ancestors", "/footer-comments"))]
        assert notes(app) == []
