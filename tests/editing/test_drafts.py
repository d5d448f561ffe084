"""Drafts obey the person: keys, discard (also of the draft in the editor), the max wait, a drafts
folder that cannot be written. Drafts are the TUI's (``push`` edits a file, the agent's text is the
proposal); the session that owns them is the same one the other callers save through."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.tui.helpers import SIZE, make_app, notes, open_page, page_id, save, settle, wait_until
from workbench.services.drafts import DraftSchedule, DraftStore, new_draft_id, new_page_key


def test_new_page_drafts_are_keyed_by_a_stable_id_not_the_title(tmp_path):
    store = DraftStore(tmp_path, "https://site.example/wiki")
    pairs = [
        ("Q3 plan", "Q3-plan"),
        ("Q3 plan", "Q3_plan"),
        ("a/b", "a:b"),
        ("Notes (v2)", "Notes _v2_"),
    ]
    for one, other in pairs:
        a, b = new_page_key("7", new_draft_id()), new_page_key("7", new_draft_id())
        store.save(a, 0, one, f"text of {one}")
        store.save(b, 0, other, f"text of {other}")
        assert (
            store.load(a, 0).markdown == f"text of {one}"
            and store.load(b, 0).markdown == f"text of {other}"
        )
    assert len(store.new_pages_under("7")) == 2 * len(pairs)
    assert {d.title for d in store.new_pages_under("7")} == {t for pair in pairs for t in pair}


def test_steady_typing_is_drafted_within_the_max_wait():
    schedule = DraftSchedule(debounce=1.0, max_wait=2.0)
    now, written_at, typed = 0.0, [], []
    due = None
    while (
        now < 10.0
    ):  # a keystroke every 0.15 s, never a pause: the debounce alone would never fire
        typed.append(now)
        due = schedule.changed(now)
        now += 0.15
        if due <= now:
            written_at.append(due)
            schedule.written()
    assert len(written_at) >= 4
    waits = [min(w for w in written_at if w >= t) - t for t in typed if t <= written_at[-1]]
    assert max(waits) <= 2.0 + 1e-9  # no keystroke stays unsaved longer than the max wait


async def test_discard_also_discards_the_draft_that_is_in_the_editor(demo_server):
    parent = page_id(demo_server, "Runbooks")
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, "Runbooks")
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(Input).value = "Runbook: Throwaway"
        await pilot.press("enter")
        await settle(app, pilot)
        app.main.query_one("#editor").text = "Not worth keeping.\n"
        await wait_until(app, pilot, lambda: app.workspace.drafts.new_pages_under(parent))
        await pilot.press("escape")
        app.open_page(
            parent
        )  # the parent again: its unfinished child is offered (it is the one in the editor)
        await settle(app, pilot)
        assert app.screen.id == "draft-recovery"
        await pilot.press("d")
        await settle(app, pilot)
        assert app.workspace.drafts.new_pages_under(parent) == []
        assert not app.main.has_unsaved() and app.main.query_one("#editor").text == ""
        await app.main.close()  # quitting writes no draft back
        assert app.workspace.drafts.new_pages_under(parent) == []
    app = make_app(demo_server)  # and the next run does not offer it again
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, "Runbooks")
        assert app.screen.id != "draft-recovery"


async def test_discarding_a_draft_of_the_open_page_resets_the_editor(demo_server):
    pid = page_id(demo_server, "Runbooks")
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, "Runbooks")
        base = app.workspace.current.base_version
        app.workspace.drafts.save(
            pid, base, "Runbooks", app.workspace.current.markdown + "\nOld idea.\n"
        )
        await pilot.press("e")  # the draft is restored into the editor …
        await pilot.pause()
        assert "Old idea." in app.main.query_one("#editor").text and app.main.has_unsaved()
        app.main.editor_pane._draft_chosen(
            "discard", app.workspace.current, app.workspace.drafts.for_page(pid)[0]
        )
        await settle(app, pilot)  # … and discarding it empties it back to the page
        assert "Old idea." not in app.main.query_one("#editor").text and not app.main.has_unsaved()
        await app.main.close()
        assert app.workspace.drafts.for_page(pid) == []


async def test_a_drafts_folder_that_cannot_be_written_says_so_at_once_and_keeps_the_text(
    demo_server, tmp_path, monkeypatch
):
    data = tmp_path / "data"
    data.mkdir()
    (data / "drafts").write_text(
        "a file where the drafts folder should be"
    )  # no folder can be made there
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(data))
    app = make_app(demo_server)
    pid = page_id(demo_server, "Runbooks")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, "Runbooks")
        await pilot.press("e")  # said at once, before anything is typed
        await settle(app, pilot)
        said = " ".join(notes(app))
        assert "Cannot write drafts to" in said and "still in the editor" in said
        assert app.screen.id == "drafts-folder"
        await pilot.press("escape")  # not now: typing goes on, the text stays in the editor
        await pilot.pause()
        editor = app.main.query_one("#editor")
        editor.text = editor.text + "\nTyped with nowhere to draft it.\n"
        app.main.flush_draft()  # what the timer does: no crash, no second dialog for the same folder
        await settle(app, pilot)
        assert app.is_running and app.screen.id is None
        assert "Typed with nowhere to draft it." in editor.text
        # another folder, chosen later: the draft lands there
        spare = tmp_path / "elsewhere"
        app.main.editor_pane._drafts_problem = None
        app.main.flush_draft()
        await settle(app, pilot)
        assert app.screen.id == "drafts-folder"
        app.screen.query_one(Input).value = str(spare)
        await pilot.press("enter")
        await settle(app, pilot)
        drafts = list(Path(spare).glob("*.json"))
        assert drafts and "Typed with nowhere to draft it." in drafts[0].read_text()
        await save(app, pilot)  # and saving to Confluence works throughout
    assert "Typed with nowhere to draft it." in demo_server.store.get_page(pid)["body"]
