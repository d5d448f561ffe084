"""A taken title is not a dead end, and other writers are seen — for the TUI, the agent and ``push``."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from tests.tui.helpers import SIZE, make_app, notes, open_page, page_id, save, settle

from .callers import caller
from .test_guarantees import BODY, page  # noqa: F401 - the fixture

TAKEN = "Runbook: Database failover"  # a page of the demo's ENG space


# -- a taken title ----------------------------------------------------------------------------------
async def test_tui_a_taken_title_is_caught_when_typed_and_a_page_can_be_renamed_before_and_after(
    demo_server,
):
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, "Runbooks")
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(Input).value = TAKEN
        before = len(demo_server.requests.entries())
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.id == "new-page-title"  # still asked, with the reason
        assert "is taken in this space (page" in str(
            app.screen.query_one("#title-problem").render()
        )
        assert len(demo_server.requests.entries()) - before == 1  # one look at the space
        app.screen.query_one(Input).value = "Runbook: Cache warmup"
        await pilot.press("enter")
        await settle(app, pilot)
        editor = app.main.query_one("#editor")
        editor.text = "Warm the cache before the release.\n"
        # renamed before it exists (F2): to a taken title (refused), then to a free one
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen.id == "rename-title"
        app.screen.query_one(Input).value = TAKEN
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.id == "rename-title" and "is taken" in str(
            app.screen.query_one("#title-problem").render()
        )
        app.screen.query_one(Input).value = "Runbook: Cache warm-up"
        await pilot.press("enter")
        await settle(app, pilot)
        await save(app, pilot)
        made = demo_server.store.query_one(
            "SELECT id, title, version FROM pages WHERE title = 'Runbook: Cache warm-up'"
        )
        assert made is not None and made["version"] == 1
        # renamed after it exists: a version with the new title
        await pilot.press("f2")
        await pilot.pause()
        app.screen.query_one(Input).value = "Runbook: Warming the cache"
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.id == "save-prompt"
        await pilot.press("enter")
        await settle(app, pilot)
        row = demo_server.store.get_page(made["id"])
        assert row["title"] == "Runbook: Warming the cache" and row["version"] == 2
        assert "Warm the cache before the release." in row["body"]
        assert not [n for n in notes(app) if "try again" in n or "retry" in n]


async def test_push_a_taken_title_says_what_helps(page, demo_server, tmp_path, capsys, monkeypatch):  # noqa: F811
    async with caller(
        "push", demo_server, page, tmp_path, capsys=capsys, monkeypatch=monkeypatch
    ) as c:
        await c.open()
        await c.change("on Tuesdays", "on Fridays")
        result = await c.save(title=TAKEN)
        assert result.kind == "title-taken" and result.extra["code"] == 2, result.shown
        assert "Choose another --title" in result.shown and "retry" not in result.shown
        assert result.writes == 1  # the refused PUT; nothing was written
        assert demo_server.store.get_page(page)["version"] == 1
        result = await c.save(title="Release day (moved)")
        assert result.kind == "saved", result.shown
    row = demo_server.store.get_page(page)
    assert row["title"] == "Release day (moved)" and "on Fridays" in row["body"]


async def test_agent_a_taken_title_is_caught_when_proposed_and_when_applied(demo_server):
    from tests.client.helpers import client_for
    from workbench.agent.apply import apply_proposal
    from workbench.agent.fences import Fence
    from workbench.agent.proposals import ACCEPTED
    from workbench.agent.toolkit import Toolkit
    from workbench.errors import UsageError

    async with client_for(demo_server) as client:
        tools = Toolkit(client, Fence.build("propose"))
        taken = await tools.call(
            "propose_page",
            {
                "space_key": "ENG",
                "parent_id": None,
                "title": TAKEN,
                "markdown": "A second failover page.",
            },
        )
        assert (
            not taken.ok and "already has a page titled" in taken.text
        )  # the model is told at once
        proposed = await tools.call(
            "propose_page",
            {
                "space_key": "ENG",
                "parent_id": None,
                "title": "Runbook: Cache warmup",
                "markdown": "Warm it.",
            },
        )
        assert proposed.ok, proposed.text
        proposal = proposed.proposal
        proposal.set_all(ACCEPTED)
        space = demo_server.store.space_by_key("ENG")
        demo_server.store.create_page(
            space["id"], "Runbook: Cache warmup", "<p>Someone was faster.</p>"
        )
        with pytest.raises(UsageError) as info:
            await apply_proposal(client, proposal, tools.fence)
    assert (
        "is titled 'Runbook: Cache warmup'" in info.value.message
        and "another title" in info.value.message
    )
    assert "retry" not in info.value.message and "try again" not in info.value.message


# -- other writers are seen ----------------------------------------------------------------------------
async def test_tui_coming_back_to_the_window_looks_for_other_writers(demo_server, page):  # noqa: F811
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_page(page)
        await settle(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        editor = app.main.query_one("#editor")
        editor.text = editor.text + "\nMine.\n"
        await pilot.pause()
        demo_server.store.update_page(
            page, BODY.replace("Tuesdays", "Thursdays"), author="557058:priya"
        )
        notes(app)
        before = len(demo_server.requests.entries())
        app.post_message(events.AppFocus())  # the terminal window got the focus back
        await settle(app, pilot)
        seen = demo_server.requests.entries()[before:]
        # one cheap look (no body); then who saved, by name, as they were not named yet (once)
        looks = [(s.method, "body-format" in s.query) for s in seen]
        assert looks == [("GET", False), ("POST", False)]
        assert seen[1].path.endswith("/users-bulk")
        said = " ".join(notes(app))
        assert "as version 2 since you opened it" in said and "will merge" in said
        app.post_message(events.AppFocus())  # again at once: no second look
        await settle(app, pilot)
        assert len(demo_server.requests.entries()) - before == 2
        await pilot.press("ctrl+s")  # the save prompt says it too, and promises no version number
        await settle(app, pilot)
        assert app.screen.id == "save-prompt"
        said = str(app.screen.query_one("#save-remote").render())
        assert "as version 2 since you opened it" in said and "will merge" in said, said
        question = str(app.screen.query_one(".question").render())
        assert "as version" not in question, question
        await pilot.press("enter")  # the merge (clean) is shown for approval, then saved
        await settle(app, pilot)
        assert app.screen.id == "merge-approval"
        await pilot.press("enter")
        await settle(app, pilot)
        row = demo_server.store.get_page(page)
        assert row["version"] == 3 and "Thursdays" in row["body"] and "Mine." in row["body"]
        assert (
            app.main.editor_pane.session.remote is None
        )  # that look is about an older version now
        await pilot.press("e")
        await pilot.pause()
        editor.text = editor.text + "\nMore.\n"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "as version 4" in str(app.screen.query_one(".question").render())
        assert str(app.screen.query_one("#save-remote").render()).strip() == ""


async def test_tui_a_save_after_a_long_edit_looks_first_in_the_prompt(demo_server, page):  # noqa: F811
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_page(page)
        await settle(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        editor = app.main.query_one("#editor")
        editor.text = editor.text.replace("on Tuesdays", "on Mondays")
        await pilot.pause()
        app.main.editor_pane.session.checked_at -= (
            600  # ten minutes of editing without a look at the page
        )
        demo_server.store.delete_page(page)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen.id == "save-prompt"
        said = str(app.screen.query_one("#save-remote").render())
        assert "moved to the trash since you opened it" in said
        await pilot.press("escape")
        await pilot.pause()
        assert page_id(demo_server, "Release day") == page
        assert demo_server.store.get_page(page, trashed=True)["status"] == "trashed"
