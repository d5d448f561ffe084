"""The TUI with every kind of content: a space whose folders nest three deep is walked through the
tree and every page in it is reached; whiteboards and smart links say what they are and open in the
browser; a page is created inside a folder; blog posts open, edit and save from the space's Blog
node; and a Data Center site under /confluence (Basic auth) shows a page's history."""

from __future__ import annotations

import httpx

from tests.tui.helpers import SIZE, make_app, notes, page_id, save, settle, viewer_text, wait_until
from workbench.services.workspace import SiteSpec
from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.editor import MdEditor
from workbench.tui.widgets.site_tree import SiteTree


async def expand_all(app, pilot, key: str) -> None:
    """Expand ``key`` and everything below it (lazy loads included) until nothing is left closed."""
    tree = app.main.query_one(SiteTree)
    tree.node_for(key).expand()
    await settle(app, pilot)
    for _ in range(20):  # bounded: one level per round
        closed = [
            n
            for k, n in list(tree._node_by_key.items())
            if k.startswith(("page:", "folder:", "whiteboard:", "database:", "embed:"))
            and n.allow_expand
            and not n.is_expanded
        ]
        if not closed:
            return
        for node in closed:
            node.expand()
        await settle(app, pilot)
    raise AssertionError("the tree kept growing")


async def test_every_page_under_folders_three_deep_is_reached_from_the_tree(demo_server):
    app = make_app(demo_server)
    space = demo_server.store.space_by_key("PROD")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await expand_all(app, pilot, f"space:{space['id']}")
        tree = app.main.query_one(SiteTree)
        shown = {k.partition(":")[2] for k in tree._node_by_key if k.startswith("page:")}
        pages = demo_server.store.query(
            "SELECT id FROM pages WHERE space_id = ? AND type = 'page' "
            "AND status = 'current' AND id != ?",
            (space["id"], space["homepage_id"]),
        )
        assert {str(p["id"]) for p in pages} == shown  # the homepage is the space's own row
        deepest = tree.node_for(f"page:{page_id(demo_server, 'Validation messages')}")
        assert tree.trail(deepest) == [
            "Product & Design",
            "Design handbook",
            "Components",
            "Forms",
            "Validation messages",
        ]
        labels = {
            n.data.title: str(n.label) for n in tree._node_by_key.values() if n.data is not None
        }
        assert labels["Design handbook"].startswith("▤ ") and labels[
            "Checkout flow board"
        ].startswith("◇ ")
        assert labels["Research participants"].startswith("⊞ ") and labels[
            "Figma: checkout redesign"
        ].startswith("↗ ")
        assert labels["Blog"].startswith("✎ ")
        tree.focus()
        tree.select_key(f"page:{page_id(demo_server, 'Validation messages')}")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.workspace.current.page.title == "Validation messages"
        assert "next to the field" in viewer_text(app)
        crumbs = await app.workspace.extras(app.workspace.current)
        assert crumbs.ancestors[-3:] == (
            "Design handbook",
            "Components",
            "Forms",
        )  # folders in the breadcrumb


async def test_whiteboards_and_smart_links_say_what_they_are_and_open_in_the_browser(
    demo_server, monkeypatch
):
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    app = make_app(demo_server)
    space = demo_server.store.space_by_key("PROD")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await expand_all(app, pilot, f"space:{space['id']}")
        tree = app.main.query_one(SiteTree)
        tree.focus()
        tree.select_key(f"whiteboard:{page_id(demo_server, 'Checkout flow board')}")
        notes(app)
        await pilot.press("enter")
        await settle(app, pilot)
        said = notes(app)
        assert any("is a whiteboard" in n and "Press o" in n for n in said), said
        assert app.workspace.current is None  # nothing opened in the viewer
        await pilot.press("o")
        await settle(app, pilot)
        assert (
            opened and "/whiteboard/" in opened[-1] and opened[-1].startswith(demo_server.base_url)
        )
        tree.select_key(f"folder:{page_id(demo_server, 'Forms')}")
        await pilot.press("o")
        await settle(app, pilot)
        assert "/folder/" in opened[-1]


async def test_n_on_a_folder_creates_the_page_inside_it(demo_server):
    app = make_app(demo_server)
    space = demo_server.store.space_by_key("PROD")
    forms = page_id(demo_server, "Forms")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await expand_all(app, pilot, f"space:{space['id']}")
        tree = app.main.query_one(SiteTree)
        tree.focus()
        tree.select_key(f"folder:{forms}")
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.id == "new-page-title"
        assert "Forms" in str(app.screen.query_one(".question").render())
        app.screen.query_one("#prompt-input").value = "Checkbox groups"
        await pilot.press("enter")
        await pilot.pause()
        app.main.query_one("#editor", MdEditor).text = "Group related options.\n"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        row = demo_server.store.query_one(
            "SELECT parent_id, type FROM pages WHERE title = 'Checkbox groups'"
        )
        assert row is not None and str(row["parent_id"]) == forms and row["type"] == "page"
        assert "Checkbox groups" in [
            n.data.title for n in tree.node_for(f"folder:{forms}").children
        ]


async def test_blog_posts_open_edit_and_save_from_the_blog_node(demo_server):
    app = make_app(demo_server)
    space = demo_server.store.space_by_key("PROD")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        tree = app.main.query_one(SiteTree)
        tree.node_for(f"space:{space['id']}").expand()
        await settle(app, pilot)
        tree.node_for(f"blog:{space['id']}").expand()
        await settle(app, pilot)
        posts = [n.data.title for n in tree.node_for(f"blog:{space['id']}").children]
        assert posts == [
            "Workbench 1.0 beta opens to all teams",
            "What we learned from five merchant interviews",
        ]
        post = page_id(demo_server, "What we learned from five merchant interviews")
        tree.focus()
        tree.select_key(f"blogpost:{post}")
        await pilot.press("enter")
        await settle(app, pilot)
        current = app.workspace.current
        assert current.page.type == "blogpost" and current.page.id == post
        assert "Merchants want receipts" in viewer_text(app)
        await pilot.press("e")
        await pilot.pause()
        editor = app.main.query_one("#editor", MdEditor)
        editor.text = editor.text.rstrip("\n") + "\n\nA sixth interview is booked.\n"
        await save(app, pilot)  # ctrl+s and the save prompt
        row = demo_server.store.get_page(post)
        assert (
            row["type"] == "blogpost" and row["version"] == 3 and "sixth interview" in row["body"]
        )
        assert app.workspace.current.page.version.number == 3
        await pilot.press("h")
        await settle(app, pilot)
        assert [v.number for v in app.main.history_pane.versions] == [3, 2, 1]
        requests = [e.path for e in demo_server.requests.entries(method="PUT")]
        assert requests == [f"/wiki/api/v2/blogposts/{post}"]


async def test_a_blog_post_found_by_search_opens_as_a_blog_post(started):
    app, pilot = started
    app.main.results_pane.run_search('type = blogpost and title ~ "digest"')
    await settle(app, pilot)
    assert [r.type for r in app.main.results_pane.results] == ["blogpost"]
    await pilot.press("enter")
    await settle(app, pilot)
    assert app.workspace.current.page.title == "Postmortem digest: November"
    assert app.workspace.current.page.type == "blogpost"
    assert not [n for n in notes(app) if "not found" in n]


async def test_a_data_center_site_under_a_context_path_shows_history(local_confluence):
    server = local_confluence("demo", flavour="dc", context_path="/confluence")
    base = f"{server.origin}/confluence"

    def connect():
        from workbench.confluence.client import ConfluenceClient

        return ConfluenceClient(base, auth=httpx.BasicAuth("demo", "demo-password"), kind="dc")

    app = WorkbenchApp(SiteSpec(base, "DC", connect))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_page(page_id(server, "Runbook: Payments API latency"))
        await settle(app, pilot)
        await pilot.press("h")
        await settle(app, pilot)
        assert [v.number for v in app.main.history_pane.versions] == [3, 2, 1]
        assert not [n for n in notes(app) if "not available" in n or "not found" in n]
        await wait_until(app, pilot, lambda: app.main.query_one("#versions").option_count == 3)
        await pilot.press("enter")  # diff v3 with v2
        await settle(app, pilot)
        assert app.main.history_pane.last_diff[:2] == (2, 3)
    seen = [e.path for e in server.requests.entries(path_prefix="/wiki/rest/experimental/")]
    assert seen and all("/content/" in p for p in seen)
