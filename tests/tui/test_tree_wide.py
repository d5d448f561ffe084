"""A page with thousands of children: every row shown in order, the tree's lines laid out a bounded
number of times while they stream in (no whole-tree lay-out per request), nothing done once shown.

Counts, not times: ``get_label_width`` is what Textual's ``Tree`` asks of every line each time it
lays its lines out again, so the number of calls is the lay-out work done."""

from __future__ import annotations

from workbench.tui.widgets.site_tree import SiteTree

from .helpers import SIZE, make_app, notes, settle

WIDTH = 2000  # eight requests of 250


def _count_layouts(tree: SiteTree) -> list[int]:
    """Wrap the tree's width query (looked up on the instance by Tree's lay-out): one count per line."""
    calls = [0]
    width_of = tree.get_label_width

    def counted(node):
        calls[0] += 1
        return width_of(node)

    tree.get_label_width = counted  # type: ignore[method-assign]
    return calls


async def _the_wide_page(app, pilot):
    """The tree, once started, and the "Wide" page's node in its expanded space (not expanded)."""
    await settle(app, pilot)
    tree = app.main.query_one(SiteTree)
    space = next(n for n in tree.root.children if n.data.title == "Wide space")
    space.expand()
    await settle(app, pilot)
    return tree, next(n for n in space.children if n.data.title == "Wide")


async def test_a_wide_level_streams_in_with_bounded_layout_work_and_then_rests(local_confluence):
    server = local_confluence(f"wide:{WIDTH}")
    app = make_app(server)
    async with app.run_test(size=SIZE) as pilot:
        tree, wide = await _the_wide_page(app, pilot)
        before = len(server.requests.entries())
        laid_out = _count_layouts(tree)
        wide.expand()
        await settle(app, pilot)
        titles = [n.data.title for n in wide.children]
        assert titles == [f"Child {n:06d}" for n in range(1, WIDTH + 1)]
        assert wide.data.loaded and not wide.data.loading
        assert tree.last_line + 1 >= WIDTH
        # one request per 250 rows, none twice
        listing = [
            e for e in server.requests.entries()[before:] if e.path.endswith("/direct-children")
        ]
        assert len(listing) == WIDTH // 250
        # rows added in chunks that grow: the lines are laid out a few times, not once per request
        # (one lay-out per request of 250 would be 250 + 500 + … + 2 000 = 9 000 lines)
        assert laid_out[0] <= 2 * WIDTH, laid_out[0]
        # shown: the tree rests — nothing laid out again while idle
        rested = laid_out[0]
        await pilot.pause(0.3)
        await settle(app, pilot)
        assert laid_out[0] == rested
        # still a tree one can walk: the last row, then back to the parent
        tree.move_cursor(wide.children[-1])
        await pilot.press("left")
        assert tree.cursor_node is wide
        assert notes(app) == []


async def test_a_wide_level_is_filtered_and_reloaded_in_full(local_confluence):
    server = local_confluence("wide:600")
    app = make_app(server)
    async with app.run_test(size=SIZE) as pilot:
        tree, wide = await _the_wide_page(app, pilot)
        wide.expand()
        await settle(app, pilot)
        assert len(wide.children) == 600
        assert tree.apply_filter("000599")
        await settle(app, pilot)
        shown = [n.data.title for n in tree.root.children[-1].children[0].children]
        assert shown == ["Child 000599"]
        tree.apply_filter("")
        app.main.query_one("#left").reload()
        await settle(app, pilot)
        wide = tree.node_for(wide.data.key)
        assert wide is not None and len(wide.children) == 600
        assert [n.data.title for n in wide.children][-2:] == ["Child 000599", "Child 000600"]


async def test_a_cached_wide_level_stays_as_it_is_while_it_is_listed_again(local_confluence):
    server = local_confluence("wide:1200")
    app = make_app(server)
    async with app.run_test(size=SIZE) as pilot:
        tree, wide = await _the_wide_page(app, pilot)
        wide.expand()
        await settle(app, pilot)
        rows = list(wide.children)
        assert len(rows) == 1200
        before = len(server.requests.entries())
        # listed again (the cache has the level): the rows shown are kept, none made again
        app.main.query_one("#left").reload()
        await settle(app, pilot)
        own = f"/pages/{wide.data.ident}/direct-children"
        listing = [e for e in server.requests.entries()[before:] if e.path.endswith(own)]
        assert len(listing) == 1200 // 250 + 1  # listed again, in full
        assert tree.node_for(wide.data.key) is wide
        assert len(wide.children) == 1200
        assert all(a is b for a, b in zip(wide.children, rows, strict=True))
        assert wide.data.loaded and not wide.data.loading
        assert notes(app) == []
