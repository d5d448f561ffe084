"""The page lifecycle in the TUI through Pilot against the local Confluence: move, copy, delete and
undo from the trash on the selected tree row, restore a version from the history — with the
refusals (a page changed meanwhile: 409-style; no permission) leaving everything as it was."""

from __future__ import annotations

from textual.widgets import Button, Checkbox, Input, OptionList, Select

from workbench.tui.widgets.site_tree import SiteTree

from .helpers import SIZE, make_app, notes, open_page, page_id, settle, wait_until

RUNBOOKS, PAYMENTS, TLS, ADRS, RELEASES = "65538", "65539", "65543", "65544", "65552"


async def select_row(app, pilot, key: str) -> SiteTree:
    """Expand the first space and Runbooks, and put the cursor on ``key``."""
    tree = app.main.query_one(SiteTree)
    tree.focus()
    for parent in ("space:98305", f"page:{RUNBOOKS}"):
        node = tree.node_for(parent)
        assert node is not None, parent
        node.expand()
        await settle(app, pilot)
    node = tree.node_for(key)
    assert node is not None, key
    tree.move_cursor(node)
    await pilot.pause()
    return tree


def titles_under(tree: SiteTree, key: str) -> list[str]:
    node = tree.node_for(key)
    assert node is not None, key
    return [c.data.title for c in node.children]


async def answer(app, pilot, screen_id: str, **inputs: str) -> None:
    await wait_until(app, pilot, lambda: app.screen.id == screen_id)
    for widget_id, value in inputs.items():
        app.screen.query_one(f"#{widget_id}", Input).value = value
    first = next(iter(inputs))
    screen = app.screen
    screen.query_one(f"#{first}", Input).focus()
    await pilot.pause()
    await pilot.press("enter")
    await wait_until(app, pilot, lambda: app.screen is not screen)


async def confirm(app, pilot, yes: bool = True, *, more: bool = False) -> str:
    """Answer the confirmation; returns its question. ``more``: another dialog follows (the flow's
    worker waits for it, so only the dialog's closing is waited for)."""
    from workbench.tui.screens.modals import ConfirmScreen

    await wait_until(app, pilot, lambda: isinstance(app.screen, ConfirmScreen))
    screen = app.screen
    # a dialog just pushed may not be composed yet (NoMatches '.question' once under load)
    await wait_until(app, pilot, lambda: bool(screen.query(".question")))
    question = str(screen.query_one(".question").render())
    await wait_until(app, pilot, lambda: bool(screen.query("#yes")))
    # the button pressed as a click would (a click can land before the dialog is laid out)
    screen.query_one("#yes" if yes else "#no", Button).press()
    await wait_until(app, pilot, lambda: app.screen is not screen)  # never settle under a dialog
    if not more:
        await settle(app, pilot)
    return question


def placed(tree, title: str, under: str, selected: str) -> bool:
    """``title`` is listed under the row ``under`` and the cursor is on ``selected`` (the row at its
    new place)."""
    return title in titles_under(tree, under) and tree.cursor_node.data.key == selected


async def test_move_under_another_page_refreshes_the_tree(started, demo_server):
    app, pilot = started
    tree = await select_row(app, pilot, f"page:{TLS}")
    await pilot.press("M")
    await answer(app, pilot, "move-dialog", **{"move-target": "Architecture decisions"})
    question = await confirm(app, pilot)
    assert "under “Architecture decisions”" in question and "version 2" in question
    assert demo_server.store.get_page(TLS)["parent_id"] == int(ADRS)
    await wait_until(
        app,
        pilot,
        lambda: placed(tree, "Runbook: Rotating TLS certificates", f"page:{ADRS}", f"page:{TLS}"),
    )
    assert "Runbook: Rotating TLS certificates" not in titles_under(tree, f"page:{RUNBOOKS}")
    assert any("Moved" in n for n in notes(app))


async def test_reorder_before_a_sibling(started, demo_server):
    app, pilot = started
    tree = await select_row(app, pilot, f"page:{TLS}")
    await pilot.press("M")
    await wait_until(app, pilot, lambda: app.screen.id == "move-dialog")
    app.screen.query_one("#move-position", Select).value = "before"
    await answer(app, pilot, "move-dialog", **{"move-target": PAYMENTS})
    question = await confirm(app, pilot)
    assert "just before" in question and "without a new version" in question
    await wait_until(
        app,
        pilot,
        lambda: titles_under(tree, f"page:{RUNBOOKS}")[0] == "Runbook: Rotating TLS certificates",
    )


async def test_refusals_change_nothing(started, demo_server):
    app, pilot = started
    await select_row(app, pilot, f"page:{TLS}")
    # someone saves while the confirmation is up: the move is refused, nothing is sent
    await pilot.press("M")
    await answer(app, pilot, "move-dialog", **{"move-target": "Architecture decisions"})
    await wait_until(app, pilot, lambda: app.screen.id != "move-dialog")
    demo_server.store.update_page(TLS, "<p>theirs</p>", message="another user")
    await confirm(app, pilot)
    said = notes(app)
    assert any("changed since version 1 (now 2)" in n for n in said), said
    assert demo_server.store.get_page(TLS)["parent_id"] == int(RUNBOOKS)
    # no permission: Confluence refuses, the page stays
    demo_server.store.restrict_edits(TLS)
    await pilot.press("D")
    await confirm(app, pilot)
    said = notes(app)
    assert any("permission" in n for n in said), said
    assert demo_server.store.get_page(TLS)["status"] == "current"


async def test_delete_says_what_breaks_and_the_trash_restores_it(started, demo_server):
    app, pilot = started
    tree = await select_row(app, pilot, f"page:{RUNBOOKS}")
    await pilot.press("D")
    question = await confirm(app, pilot)
    assert "Its 3 child page(s) move up under “Platform Engineering”" in question
    assert "Undo: T shows the trash" in question
    assert demo_server.store.get_page(RUNBOOKS, trashed=True)["status"] == "trashed"
    await wait_until(app, pilot, lambda: "Runbooks" not in titles_under(tree, "space:98305"))
    assert "Runbook: Payments API latency" in titles_under(tree, "space:98305")
    await pilot.press("T")
    await wait_until(app, pilot, lambda: app.screen.id == "trash-dialog")
    listing = app.screen.query_one("#trash-list", OptionList)
    assert "Runbooks" in str(listing.get_option_at_index(0).prompt)
    await wait_until(app, pilot, lambda: listing.has_focus)
    listing.highlighted = 0
    await pilot.press("enter")
    question = await confirm(app, pilot, more=True)
    assert "Restore “Runbooks”" in question
    # Confluence's restore leaves the children where they went: the undo offers them back
    question = await confirm(app, pilot)
    assert "3 child page(s) moved up" in question
    assert demo_server.store.get_page(RUNBOOKS)["status"] == "current"
    await wait_until(app, pilot, lambda: tree.cursor_node.data.key == f"page:{RUNBOOKS}")
    space = titles_under(tree, "space:98305")
    assert "Runbooks" in space and "Runbook: Payments API latency" not in space
    assert titles_under(tree, f"page:{RUNBOOKS}") == [
        "Runbook: Payments API latency",
        "Runbook: Database failover",
        "Runbook: Rotating TLS certificates",
    ]


async def test_copy_a_tree_lists_it_first(started, demo_server):
    app, pilot = started
    tree = await select_row(app, pilot, f"page:{RUNBOOKS}")
    await pilot.press("C")
    await wait_until(app, pilot, lambda: app.screen.id == "copy-dialog")
    app.screen.query_one("#copy-tree", Checkbox).value = True
    await answer(
        app,
        pilot,
        "copy-dialog",
        **{"copy-parent": "Architecture decisions", "copy-name": "Old "},
    )
    question = await confirm(app, pilot)
    assert "creates 4 page(s)" in question and "Old Runbook: Database failover" in question
    copy_made = "SELECT id FROM pages WHERE title = 'Old Runbooks'"
    # the copy is a long task on the server: its pages may be written after the dialog closed
    await wait_until(app, pilot, lambda: demo_server.store.query_one(copy_made) is not None)
    copied = page_id(demo_server, "Old Runbooks")
    await wait_until(
        app,
        pilot,
        lambda: placed(tree, "Old Runbooks", f"page:{ADRS}", f"page:{copied}"),
    )


async def test_restore_a_version_from_the_history(started, demo_server):
    app, pilot = started
    await open_page(app, pilot, demo_server, "Runbook: Payments API latency")
    await pilot.press("h")
    await settle(app, pilot)
    versions = app.main.query_one("#versions", OptionList)
    versions.focus()
    await wait_until(app, pilot, lambda: versions.has_focus and versions.option_count == 3)
    versions.highlighted = 2  # newest first: v3, v2, v1
    await pilot.press("R")
    question = await confirm(app, pilot)
    assert "Save v1" in question and "as its new version v4" in question
    stored = demo_server.store.get_page(PAYMENTS)
    assert stored["version"] == 4
    assert stored["body"] == demo_server.store.get_page(PAYMENTS, version=1)["body"]
    await wait_until(app, pilot, lambda: app.workspace.current.page.version.number == 4)


async def test_the_trash_puts_back_children_of_a_page_deleted_on_the_command_line(
    demo_server, monkeypatch
):
    import asyncio

    from workbench.cli import main

    monkeypatch.setenv("CONFLUENCE_URL", demo_server.base_url)
    monkeypatch.setenv("CONFLUENCE_USERNAME", "demo@example.com")
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", "demo-token")
    assert await asyncio.to_thread(main, ["delete", RUNBOOKS, "--yes"]) == 0
    # someone moves one of the children elsewhere meanwhile: that one stays where it is now
    assert await asyncio.to_thread(main, ["move", TLS, "--under", ADRS, "--yes"]) == 0
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        tree = app.main.query_one(SiteTree)
        tree.focus()
        tree.move_cursor(tree.node_for("space:98305"))
        await pilot.press("T")
        await wait_until(app, pilot, lambda: app.screen.id == "trash-dialog")
        listing = app.screen.query_one("#trash-list", OptionList)
        # no deletion date in Confluence's answer: the row's date is labelled for what it is
        assert "last changed" in str(listing.get_option_at_index(0).prompt)
        hint = str(app.screen.query_one(".hint").render())
        assert "Confluence gives no deletion date" in hint
        await wait_until(app, pilot, lambda: listing.has_focus)
        listing.highlighted = 0
        await pilot.press("enter")
        assert "Restore “Runbooks”" in await confirm(app, pilot, more=True)
        question = await confirm(app, pilot)
        assert "3 child page(s) moved up. Move 2 of them back" in question
        assert "“Runbook: Rotating TLS certificates” stays: moved elsewhere since" in question
        await wait_until(app, pilot, lambda: tree.cursor_node.data.key == f"page:{RUNBOOKS}")
        assert [r["title"] for r in demo_server.store.children(RUNBOOKS)] == [
            "Runbook: Payments API latency",
            "Runbook: Database failover",
        ]
        assert demo_server.store.get_page(TLS)["parent_id"] == int(ADRS)
        tree.cursor_node.expand()  # the tree shows them there
        await wait_until(app, pilot, lambda: len(titles_under(tree, f"page:{RUNBOOKS}")) == 2)


async def test_move_into_a_folder_by_its_id(demo_server):
    forms = str(demo_server.store.scalar("SELECT id FROM pages WHERE title = 'Forms'"))
    version = demo_server.store.get_page(TLS)["version"]
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await select_row(app, pilot, f"page:{TLS}")
        await pilot.press("M")
        await answer(app, pilot, "move-dialog", **{"move-target": forms})
        question = await confirm(app, pilot)
        assert "under the folder “Forms”" in question and "without a new version" in question
        assert demo_server.store.get_page(TLS)["parent_id"] == int(forms)
        assert demo_server.store.get_page(TLS)["version"] == version
        assert any("now under “Forms”" in n for n in notes(app))
