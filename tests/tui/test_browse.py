"""Browsing and reading: tree → page, header, comments, links, filter, cache-first start."""

from __future__ import annotations

from workbench.tui.widgets.site_tree import SiteTree

from .helpers import SIZE, make_app, notes, open_page, page_id, settle, viewer_text


async def follow(app, pilot, wanted) -> None:
    """Follow the first link of the page for which ``wanted(text, href)`` holds, as enter in the
    ``g`` list or a click does, and wait for what it opens."""
    links = app.main.viewer_links()
    index = next(i for i, (text, href) in enumerate(links) if wanted(text, href))
    await app.main.run_action(f"follow_link({index})")
    await settle(app, pilot)


async def test_tree_opens_a_page_with_keys(started, demo_server):
    app, pilot = started
    tree = app.main.query_one(SiteTree)
    assert tree.has_focus
    assert [n.data.title for n in tree.root.children] == [
        "Platform Engineering",
        "Product & Design",
        "Demo User",
    ]
    assert app.main.query_one("#status").state == "online"
    await pilot.press(
        "down", "right"
    )  # expand the first space: its homepage's children load lazily
    await settle(app, pilot)
    assert "Platform Engineering" not in [n.data.title for n in tree.cursor_node.children]
    await pilot.press("down")
    assert tree.cursor_node.data.title == "Runbooks"
    await pilot.press("enter")
    await settle(app, pilot)
    ws = app.workspace
    assert ws.current.page.title == "Runbooks"
    header = str(app.main.query_one("#page-header").render())
    assert "Platform Engineering › Runbooks" in header.replace("\n", " ")
    assert "Platform Engineering › Platform Engineering" not in header.replace("\n", " ")
    assert "v1" in header
    assert notes(app) == []


async def test_viewer_renders_headings_code_alerts_and_comments(started, demo_server):
    app, pilot = started
    await open_page(app, pilot, demo_server, "Runbook: Payments API latency")
    text = viewer_text(app)
    md = app.workspace.current.markdown
    assert "```" in md  # the page has a code block …
    assert "```" not in text  # … which is rendered, not shown as Markdown source
    first_heading = next(line[2:].strip() for line in md.splitlines() if line.startswith("## "))
    assert first_heading in text
    extras = app.main.page_pane.extras
    assert extras is not None and extras.ancestors[:2] == (
        "Platform Engineering",
        "Platform Engineering",
    )
    if extras.comments:
        assert f"Comments ({len(extras.comments)})" in text
        assert extras.comments[0].author in text


async def test_page_links_open_inside_the_workbench(started, demo_server):
    app, pilot = started
    await open_page(app, pilot, demo_server, "Platform Engineering")
    await follow(app, pilot, lambda _t, href: href.startswith("page:") and "Runbooks" in href)
    assert app.workspace.current.page.title == "Runbooks"


async def test_filter_narrows_the_loaded_tree(started, demo_server):
    app, pilot = started
    tree = app.main.query_one(SiteTree)
    await pilot.press("down", "right")
    await settle(app, pilot)
    await pilot.press("f")
    assert app.main.query_one("#tree-filter").has_focus
    for ch in "runb":
        await pilot.press(ch)
    await pilot.pause()
    visible = [tree.get_node_at_line(i).data.title for i in range(tree.last_line + 1)]
    assert "Runbooks" in visible
    assert "Release notes" not in visible and "Product & Design" not in visible
    none = app.main.query_one("#tree-filter-none")
    assert not none.display
    for ch in "zzq":
        await pilot.press(ch)
    await pilot.pause()
    assert none.display and "ctrl+p" in str(none.render())  # says why it is empty
    await pilot.press("escape")
    await pilot.pause()
    assert not none.display
    assert tree.has_focus and tree.filter_text == ""
    visible = [tree.get_node_at_line(i).data.title for i in range(tree.last_line + 1)]
    assert "Release notes" in visible


async def test_opening_a_page_is_one_request(started, demo_server):
    app, pilot = started
    ws = app.workspace
    before = ws.client.request_count
    opened = await ws.open(page_id(demo_server, "Runbooks"))
    assert ws.client.request_count - before == 1
    assert opened.page.title == "Runbooks"


async def test_tree_draws_from_the_cache_when_the_server_is_gone(local_confluence):
    server = local_confluence("demo")
    app = make_app(server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
    server.go_offline()
    app = make_app(server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        tree = app.main.query_one(SiteTree)
        assert [n.data.title for n in tree.root.children] == [
            "Platform Engineering",
            "Product & Design",
            "Demo User",
        ]
        assert app.main.query_one("#status").state == "offline"
        assert any("reach" in n.lower() or "connect" in n.lower() for n in notes(app))


async def test_clicking_a_page_link_opens_it(started, demo_server):
    app, pilot = started
    await open_page(app, pilot, demo_server, "Platform Engineering")
    viewer = app.main.query_one("#viewer")
    lines = viewer.plain_lines()
    y = next(i for i, line in enumerate(lines) if "and the Runbooks" in line)
    x = lines[y].index("the Runbooks") + len("the ")
    await pilot.click("#viewer", offset=(x + 2, y))  # the viewer has one column of padding
    await settle(app, pilot)
    assert app.workspace.current.page.title == "Runbooks"
    assert app.focused is viewer  # still reading: the keys scroll the new page


async def test_enter_on_a_space_opens_its_homepage(started, demo_server):
    app, pilot = started
    tree = app.main.query_one(SiteTree)
    await pilot.press("down", "enter")
    await settle(app, pilot)
    assert app.workspace.current.page.id == page_id(demo_server, "Platform Engineering")
    header = str(app.main.query_one("#page-header").render())
    assert not header.startswith(
        "Platform Engineering ›"
    )  # the homepage: no breadcrumb repeating it
    assert app.main.page_pane.viewer.has_focus  # reading focus; one key back to the tree
    await pilot.press("escape")
    assert tree.has_focus
    await pilot.press("right")
    await settle(app, pilot)
    titles = [n.data.title for n in tree.cursor_node.children]
    assert titles[:3] == ["Runbooks", "Architecture decisions", "Release notes"]
    await pilot.press("down", "down")
    await pilot.press("right")
    await settle(app, pilot)
    assert tree.cursor_node.data.title == "Architecture decisions" and tree.cursor_node.children


async def test_vim_keys_move_in_the_tree_and_scroll_the_page(started, demo_server):
    app, pilot = started
    tree = app.main.query_one(SiteTree)
    await pilot.press("j", "j")
    assert tree.cursor_node.data.title == "Product & Design"
    await pilot.press("k")
    assert tree.cursor_node.data.title == "Platform Engineering"
    await open_page(app, pilot, demo_server, "Service catalogue")
    viewer = app.main.query_one("#viewer")
    viewer.focus()
    await pilot.pause()
    shown = [b.binding.description for b in app.active_bindings.values() if b.binding.show]
    assert "Page down" not in shown and "Up" not in shown  # the footer keeps room for commands
    await pilot.press("j", "j", "j")
    assert viewer.scroll_y == 3
    await pilot.press("space")
    assert viewer.scroll_y > 10
    await pilot.press("b", "k")
    assert viewer.scroll_y == 2


async def test_ctrl_b_hides_the_tree_for_room_and_escape_brings_it_back(demo_server):
    app = make_app(demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, "Runbooks")
        viewer = app.main.query_one("#viewer")
        narrow = viewer.size.width
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert not app.main.query_one("#left").display or app.main.query_one("#left").has_class(
            "hidden"
        )
        assert viewer.size.width > narrow + 20 and app.focused is viewer
        await pilot.press("escape")
        await pilot.pause()
        assert app.main.query_one(SiteTree).has_focus and not app.main.query_one("#left").has_class(
            "hidden"
        )


async def test_table_of_contents_entries_scroll_to_their_heading(started, demo_server):
    app, pilot = started
    await open_page(app, pilot, demo_server, "Service catalogue")
    viewer = app.main.query_one("#viewer")
    links = app.main.viewer_links()
    index = next(i for i, (text, href) in enumerate(links) if href == "#edge-scheduler")
    assert viewer.scroll_y == 0
    await app.main.run_action(f"follow_link({index})")  # what enter in the g list and a click do
    await pilot.pause()
    assert viewer.scroll_y > 100
    assert viewer.plain_lines()[int(viewer.scroll_y)].strip() == "edge-scheduler"


async def test_g_lists_links_as_a_person_reads_them_and_enter_follows(started, demo_server):
    app, pilot = started
    await open_page(app, pilot, demo_server, "Runbook: Payments API latency")
    app.main.query_one("#viewer").focus()
    await pilot.press("g")
    await pilot.pause()
    options = app.screen.query_one("OptionList")
    shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    assert any("Symptoms" in s and "↓ on this page" in s for s in shown)
    assert any("page Runbook: Database failover" in s for s in shown) and not any(
        "%20" in s for s in shown
    )
    options.highlighted = next(i for i, s in enumerate(shown) if "Runbook: Database failover" in s)
    await pilot.press("enter")
    await settle(app, pilot)
    assert app.workspace.current.page.title == "Runbook: Database failover"


async def test_children_macro_lists_the_child_pages_the_tree_knows(started, demo_server):
    app, pilot = started
    await open_page(app, pilot, demo_server, "Platform Engineering")
    assert "child pages (in the tree)" in viewer_text(
        app
    )  # nothing loaded yet: the chip says where
    app.main.query_one(SiteTree).root.children[
        0
    ].expand()  # the space: its homepage's children load
    await settle(app, pilot)
    await open_page(app, pilot, demo_server, "Platform Engineering")
    text = viewer_text(app)
    assert (
        "• Runbooks" in text
        and "• Service catalogue" in text
        and "child pages (in the tree)" not in text
    )
    assert "⟦children⟧" in app.workspace.current.markdown  # the page itself keeps the macro
    await follow(app, pilot, lambda title, _href: title == "Service catalogue")
    assert app.workspace.current.page.title == "Service catalogue"


async def test_the_tree_cursor_follows_the_open_page_when_its_row_is_shown(started, demo_server):
    app, pilot = started
    tree = app.main.query_one(SiteTree)
    await pilot.press("down", "right")
    await settle(app, pilot)
    await open_page(app, pilot, demo_server, "Service catalogue")  # as from a search or a link
    assert tree.cursor_node.data.title == "Service catalogue"
    await open_page(
        app, pilot, demo_server, "Platform Engineering"
    )  # the homepage: its space's row
    assert tree.cursor_node.data.kind == "space"
    await open_page(
        app, pilot, demo_server, "Runbook: Database failover"
    )  # row not shown: cursor stays
    assert tree.cursor_node.data.kind == "space"


async def test_a_space_expands_from_the_cache_when_the_server_is_gone(local_confluence):
    server = local_confluence("demo")
    app = make_app(server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.main.query_one(SiteTree).root.children[0].expand()
        await settle(app, pilot)
        online = [n.data.title for n in app.main.query_one(SiteTree).root.children[0].children]
    server.go_offline()
    app = make_app(server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        space = app.main.query_one(SiteTree).root.children[0]
        space.expand()
        await settle(app, pilot)
        assert [n.data.title for n in space.children] == online and "Runbooks" in online
