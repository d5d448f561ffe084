"""``n`` on a space's Blog node starts a new blog post there (Pilot, against the local Confluence):
a title taken by another blog post of the space is refused in the dialog, ctrl+s creates it as a
blog post (no parent) and it shows under the Blog node."""

from __future__ import annotations

from tests.tui.helpers import SIZE, make_app, settle, wait_until
from workbench.tui.widgets.editor import MdEditor
from workbench.tui.widgets.site_tree import SiteTree


async def test_n_on_the_blog_node_creates_a_blog_post(demo_server):
    app = make_app(demo_server)
    space = demo_server.store.space_by_key("PROD")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        tree = app.main.query_one(SiteTree)
        tree.node_for(f"space:{space['id']}").expand()
        await settle(app, pilot)
        tree.focus()
        tree.select_key(f"blog:{space['id']}")
        await pilot.press("n")
        await wait_until(app, pilot, lambda: app.screen.id == "new-page-title")
        question = str(app.screen.query_one(".question").render())
        assert "new blog post" in question and space["name"] in question
        field = app.screen.query_one("#prompt-input")
        field.value = "Workbench 1.0 beta opens to all teams"  # another blog post's title
        await pilot.press("enter")
        problem = app.screen.query_one("#title-problem")
        await wait_until(
            app, pilot, lambda: "is taken in this space (blog post" in str(problem.render())
        )
        assert app.screen.id == "new-page-title"
        field.value = "Release notes for December"
        await pilot.press("enter")
        await wait_until(app, pilot, lambda: app.screen.id != "new-page-title")
        app.main.query_one("#editor", MdEditor).text = "Three things shipped.\n"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        row = demo_server.store.query_one(
            "SELECT parent_id, type, space_id FROM pages WHERE title = 'Release notes for December'"
        )
        assert row is not None and row["type"] == "blogpost" and row["parent_id"] is None
        assert row["space_id"] == space["id"]
        tree.node_for(f"blog:{space['id']}").expand()
        await wait_until(
            app,
            pilot,
            lambda: (
                "Release notes for December"
                in [n.data.title for n in tree.node_for(f"blog:{space['id']}").children]
            ),
        )
