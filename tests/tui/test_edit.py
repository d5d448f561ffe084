"""Editing and saving: one request, drafts, conflicts (clean and conflicted), failures keep the draft."""

from __future__ import annotations

from textual.widgets import Input

from workbench.tui.widgets.editor import MdEditor

from .helpers import (
    SIZE,
    make_app,
    notes,
    open_page,
    page_id,
    save,
    settle,
    viewer_text,
    wait_until,
)

TITLE = "Runbook: Database failover"


async def _edit(app, pilot, change):
    """Press e, apply ``change(text) -> text`` to the buffer, and return the editor."""
    await pilot.press("e")
    editor = app.main.query_one("#editor", MdEditor)
    await wait_until(app, pilot, lambda: editor.has_focus)
    assert editor.has_focus
    editor.text = change(editor.text)
    await pilot.pause()
    return editor


def _replace_line(text: str, index: int, new: str) -> str:
    lines = text.split("\n")
    lines[index] = new
    return "\n".join(lines)


def _paragraph_lines(md: str) -> list[int]:
    """Indexes of plain paragraph lines (safe to edit without touching macros)."""
    return [
        i
        for i, line in enumerate(md.split("\n"))
        if line and line[0].isalpha() and "⟦" not in line and len(line) > 20
    ]


async def _save_over_their_edit(app, pilot, server, pid: str) -> int:
    """Rewrite the first paragraph as "Mine wins." while someone else rewrites its first words as
    "Theirs wins." on the server, then press ctrl+s (a conflict). Returns the base version."""
    md = app.workspace.current.markdown
    base = app.workspace.current.base_version
    first = _paragraph_lines(md)[0]
    words = md.split("\n")[first].split()[:3]
    await _edit(app, pilot, lambda t: _replace_line(t, first, "Mine wins."))
    row = server.store.get_page(pid)
    theirs_storage = row["body"].replace(" ".join(words), "Theirs wins.", 1)
    assert theirs_storage != row["body"]
    server.store.update_page(pid, theirs_storage)
    await save(app, pilot)
    return base


async def test_save_is_two_requests_and_shows_the_new_version(started, demo_server):
    app, pilot = started
    await open_page(app, pilot, demo_server, TITLE)
    storage_before = demo_server.store.get_page(page_id(demo_server, TITLE))["body"]
    base = app.workspace.current.base_version
    await _edit(app, pilot, lambda t: t.rstrip("\n") + "\n\nAdded from the workbench.\n")
    assert str(app.main.query_one("#tabs").get_tab("tab-editor").label) == "Editor ●"
    assert app.main.has_unsaved()
    before = app.workspace.client.request_count
    seen = len(demo_server.requests.entries())
    await save(app, pilot)
    received = [f"{s.method} {s.path}" for s in demo_server.requests.entries()[seen:]]
    # a look at the page (version, storage), the PUT
    assert app.workspace.client.request_count - before == 2, received
    assert f"as version {base + 1}" in " ".join(notes(app))
    row = demo_server.store.get_page(page_id(demo_server, TITLE))
    assert row["version"] == base + 1
    assert row["body"].startswith(
        storage_before.rstrip()[:200]
    )  # untouched storage kept byte for byte
    assert "Added from the workbench." in row["body"]
    assert "Added from the workbench." in viewer_text(app)
    assert (
        app.main.page_pane.extras.editor_name == "Demo User"
    )  # the header names who saved last: you
    assert not app.main.has_unsaved()
    assert app.workspace.drafts.for_page(page_id(demo_server, TITLE)) == []


async def test_typing_writes_a_draft_that_is_offered_back_after_a_crash(demo_server):
    app = make_app(demo_server)
    pid = page_id(demo_server, TITLE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, TITLE)
        base = app.workspace.current.base_version
        await _edit(app, pilot, lambda t: t + "\nUnsaved thought.\n")
        await wait_until(
            app, pilot, lambda: app.workspace.drafts.for_page(pid)
        )  # the debounced draft
        drafts = app.workspace.drafts.for_page(pid)
        assert (
            len(drafts) == 1
            and drafts[0].base_version == base
            and "Unsaved thought." in drafts[0].markdown
        )
    # A new run (as after kill -9): reopening the page offers the draft with a diff.
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_page(pid)
        await settle(app, pilot)
        assert app.screen.id == "draft-recovery"
        assert "+Unsaved thought." in str(app.screen.query_one("#diff-body").render())
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        hint = app.screen.query_one(".dialog .hint")
        assert hint.size.height >= 2 and "escape: cancel" in str(hint.render())  # wrapped, not cut
        await pilot.press("enter")
        await settle(app, pilot)
        editor = app.main.query_one("#editor", MdEditor)
        assert "Unsaved thought." in editor.text and editor.has_focus
        assert app.main.has_unsaved()


async def test_ctrl_end_and_ctrl_home_go_to_the_end_and_the_start_of_the_text(started, demo_server):
    app, pilot = started
    await open_page(app, pilot, demo_server, TITLE)
    editor = await _edit(app, pilot, lambda t: t)
    await pilot.press("ctrl+end")
    assert editor.cursor_location == editor.document.end
    await pilot.press("Z")
    assert editor.text.endswith("Z")
    await pilot.press("ctrl+home")
    assert editor.cursor_location == (0, 0)
    await pilot.press("ctrl+shift+end")
    assert editor.selected_text == editor.text


async def test_a_key_that_comes_after_the_max_wait_writes_the_draft_at_once(started, demo_server):
    """Keys kept coming past the max wait (a busy machine, a fast typist): the overdue draft is
    written by that key, not left to a 0 s timer (which Textual never fires: no draft at all)."""
    app, pilot = started
    pid = page_id(demo_server, TITLE)
    await open_page(app, pilot, demo_server, TITLE)
    editor = await _edit(app, pilot, lambda t: t + "\nFirst key")
    assert not app.workspace.drafts.for_page(pid)  # due in a second: not yet
    schedule = app.main.editor_pane.session.schedule
    assert schedule.pending_since is not None
    schedule.pending_since -= 60  # the first unsaved key was a minute ago: the draft is overdue
    editor.insert(", and the next.", editor.document.end)
    await pilot.pause()
    drafts = app.workspace.drafts.for_page(pid)
    assert drafts and "First key, and the next." in drafts[0].markdown
    assert not schedule.pending


async def test_a_draft_on_an_older_version_is_merged_onto_the_current_page(demo_server):
    app = make_app(demo_server)
    pid = page_id(demo_server, TITLE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, TITLE)
        md = app.workspace.current.markdown
        base = app.workspace.current.base_version
        app.workspace.drafts.save(pid, base, TITLE, md + "\nMy draft line.\n")
    row = demo_server.store.get_page(pid)
    demo_server.store.update_page(pid, row["body"].replace("</p>", " (theirs)</p>", 1))
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_page(pid)
        await settle(app, pilot)
        assert app.screen.id == "draft-recovery"
        assert f"made on v{base}, the page is now v{base + 1}" in str(
            app.screen.query_one(".question").render()
        )
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.id == "merge-approval"
        await pilot.press("enter")
        await settle(app, pilot)
        row = demo_server.store.get_page(pid)
        assert (
            row["version"] == base + 2
            and "(theirs)" in row["body"]
            and "My draft line." in row["body"]
        )


async def test_conflict_with_a_clean_merge_is_shown_and_saved_on_top_of_theirs(
    started, demo_server
):
    app, pilot = started
    pid = page_id(demo_server, TITLE)
    await open_page(app, pilot, demo_server, TITLE)
    md = app.workspace.current.markdown
    base = app.workspace.current.base_version
    lines = _paragraph_lines(md)
    mine_at = lines[-1]
    await _edit(app, pilot, lambda t: _replace_line(t, mine_at, "Mine: a line I rewrote."))
    # Someone else saves in between, changing the first paragraph only.
    row = demo_server.store.get_page(pid)
    demo_server.store.update_page(
        pid, row["body"].replace("</p>", " Edited by someone else.</p>", 1)
    )
    before = app.workspace.client.request_count
    await save(app, pilot)
    assert app.screen.id == "merge-approval"
    assert "+Mine: a line I rewrote." in str(app.screen.query_one("#diff-body").render())
    await pilot.press("enter")
    await settle(app, pilot)
    row = demo_server.store.get_page(pid)
    assert row["version"] == base + 2  # base+1 of theirs
    assert "Edited by someone else." in row["body"] and "Mine: a line I rewrote." in row["body"]
    # The failed PUT, one GET of theirs, the PUT of the merge.
    assert app.workspace.client.request_count - before == 3
    assert app.workspace.current.base_version == base + 2
    assert not app.main.has_unsaved()


async def test_conflicting_edits_open_the_resolve_view_and_never_overwrite(started, demo_server):
    app, pilot = started
    pid = page_id(demo_server, TITLE)
    await open_page(app, pilot, demo_server, TITLE)
    base = await _save_over_their_edit(app, pilot, demo_server, pid)
    editor = app.main.query_one("#editor", MdEditor)
    assert "<<<<<<< mine" in editor.text and ">>>>>>> theirs" in editor.text
    assert "Mine wins." in editor.text
    assert app.main.query_one("#theirs").display
    assert "conflict" in str(app.main.query_one("#editor-banner").render())
    # Saving with markers left is refused; nothing is written.
    await save(app, pilot)
    assert demo_server.store.get_page(pid)["version"] == base + 1
    assert any("still has conflict markers" in n and "Nothing was sent" in n for n in notes(app))
    # Resolve: keep mine, drop the markers.
    text = editor.text
    start, end = (
        text.index("<<<<<<< mine"),
        text.index(">>>>>>> theirs") + len(">>>>>>> theirs\n"),
    )
    editor.text = text[:start] + "Mine wins, after reading theirs.\n" + text[end:]
    await save(app, pilot)
    row = demo_server.store.get_page(pid)
    assert row["version"] == base + 2 and "Mine wins, after reading theirs." in row["body"]


async def test_a_failed_save_keeps_the_draft_and_can_be_retried(local_confluence):
    server = local_confluence("demo")
    app = make_app(server)
    pid = page_id(server, TITLE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, server, TITLE)
        await _edit(app, pilot, lambda t: t + "\nWritten while offline.\n")
        server.go_offline()
        await save(app, pilot)
        messages = " ".join(notes(app))
        assert "your text is kept" in messages and "ctrl+s to try again" in messages
        assert app.main.has_unsaved()
        drafts = app.workspace.drafts.for_page(pid)
        assert drafts and "Written while offline." in drafts[0].markdown
        assert app.main.query_one("#status").state == "offline"


async def test_saving_a_page_deleted_meanwhile_says_so_and_keeps_the_draft(started, demo_server):
    app, pilot = started
    pid = page_id(demo_server, TITLE)
    await open_page(app, pilot, demo_server, TITLE)
    await _edit(app, pilot, lambda t: t + "\nLate edit.\n")
    demo_server.store.delete_page(pid)
    demo_server.store.delete_page(
        pid, purge=True
    )  # gone for good (a trashed page would be restored)
    await save(app, pilot)
    assert app.screen.id == "page-gone"
    question = str(app.screen.query_one(".question").render())
    assert (
        "was deleted" in question
        and "nothing was saved" in question
        and "Your text is kept" in question
    )
    await pilot.press("escape")
    await pilot.pause()
    assert "Late edit." in app.workspace.drafts.for_page(pid)[0].markdown
    assert "Late edit." in app.main.query_one("#editor", MdEditor).text


async def test_a_deleted_pages_text_goes_to_a_new_file_never_over_one(demo_server, isolated_home):
    """f writes the text to a file: the name offered is one no file has, and a file typed over is
    refused (it is the person's), with another name offered."""
    app = make_app(demo_server)
    pid = page_id(demo_server, TITLE)
    theirs = isolated_home / "Runbook_-Database-failover.md"
    theirs.write_text("Somebody's own notes.\n", encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, TITLE)
        await _edit(app, pilot, lambda t: t + "\nKept in a file.\n")
        demo_server.store.delete_page(pid)
        demo_server.store.delete_page(pid, purge=True)
        await save(app, pilot)
        assert app.screen.id == "page-gone"
        await pilot.press("f")
        await pilot.pause()
        assert app.screen.id == "write-file"
        prompt = app.screen.query_one(Input)
        assert prompt.value == str(isolated_home / "Runbook_-Database-failover-2.md")  # not theirs
        prompt.value = str(theirs)
        await pilot.press("enter")
        await settle(app, pilot)
        assert theirs.read_text(encoding="utf-8") == "Somebody's own notes.\n"
        assert app.screen.id == "write-file"  # still asking, saying why
        problem = str(app.screen.query_one("#title-problem").render())
        assert "is there already and is not replaced" in problem, problem
        assert "Runbook_-Database-failover-2.md is free" in problem
        prompt.value = str(theirs / "inside-a-file.md")  # cannot be written: said, still asking
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.id == "write-file"
        assert "Cannot write" in str(app.screen.query_one("#title-problem").render())
        prompt.value = str(isolated_home / "Runbook_-Database-failover-2.md")
        await pilot.press("enter")
        await settle(app, pilot)
        written = (isolated_home / "Runbook_-Database-failover-2.md").read_text(encoding="utf-8")
        assert "Kept in a file." in written
        assert any("Your text is in" in n for n in notes(app))
        assert "Kept in a file." in app.main.query_one("#editor", MdEditor).text
        assert "Kept in a file." in app.workspace.drafts.for_page(pid)[0].markdown


async def test_new_child_page_title_then_editor_then_create(started, demo_server):
    app, pilot = started
    await open_page(app, pilot, demo_server, "Runbooks")
    await pilot.press("n")
    await wait_until(app, pilot, lambda: app.screen.id == "new-page-title")
    assert app.screen.id == "new-page-title"
    for ch in "Runbook: Cache warmup":
        await pilot.press(ch if ch != " " else "space")
    await pilot.press("enter")
    await settle(app, pilot)  # the title is checked (one request) before the editor opens
    editor = app.main.query_one("#editor", MdEditor)
    await wait_until(app, pilot, lambda: editor.has_focus)
    assert editor.has_focus
    editor.text = "# Steps\n\n- [ ] Warm the cache\n\n```bash\nmake warm\n```\n"
    await save(app, pilot)
    assert app.workspace.current.page.title == "Runbook: Cache warmup"
    row = demo_server.store.get_page(app.workspace.current.page.id)
    assert str(row["parent_id"]) == page_id(demo_server, "Runbooks")
    assert "ac:task" in row["body"] and 'ac:name="code"' in row["body"]
    assert any("Created" in n for n in notes(app))
    header = str(app.main.query_one("#page-header").render())
    assert "Runbooks › Runbook: Cache warmup" in header  # under its parent
    assert (
        "runbook " not in header and app.main.page_pane.extras.labels == ()
    )  # none of the parent's labels
    assert app.main.page_pane.extras.editor_name == "Demo User"  # who made it


async def test_editing_another_page_keeps_the_first_edit_as_a_draft(started, demo_server):
    app, pilot = started
    await open_page(app, pilot, demo_server, TITLE)
    await _edit(app, pilot, lambda t: t + "\nFirst page edit.\n")
    await open_page(app, pilot, demo_server, "Runbooks")  # well within the draft debounce
    await pilot.press("e")
    await pilot.pause()
    draft = app.workspace.drafts.for_page(page_id(demo_server, TITLE))
    assert draft and "First page edit." in draft[0].markdown
    assert any("kept as a draft" in n for n in notes(app))


async def test_agent_interface_opens_markdown_in_the_editor(started, demo_server):
    app, pilot = started
    await open_page(app, pilot, demo_server, TITLE)
    proposed = app.workspace.current.markdown + "\nProposed by the agent.\n"
    app.edit_markdown(proposed)
    await pilot.pause()
    editor = app.main.query_one("#editor", MdEditor)
    assert editor.text == proposed and editor.has_focus and app.main.has_unsaved()
    before = app.workspace.client.request_count
    await save(app, pilot)
    assert app.workspace.client.request_count - before == 2
    assert (
        "Proposed by the agent." in demo_server.store.get_page(page_id(demo_server, TITLE))["body"]
    )


async def test_typing_while_a_save_is_on_its_way_is_kept(started, demo_server):
    app, pilot = started
    pid = page_id(demo_server, TITLE)
    await open_page(app, pilot, demo_server, TITLE)
    base = app.workspace.current.base_version
    editor = await _edit(app, pilot, lambda t: t + "\nSaved part.\n")
    app.main.action_save()
    await pilot.pause()
    app.screen.action_save()  # confirmed: the save is on its way …
    editor.insert(
        "Typed during the save.\n", editor.document.end
    )  # … while the person keeps typing
    await settle(app, pilot)
    assert demo_server.store.get_page(pid)["version"] == base + 1
    assert "Typed during the save." in editor.text and app.main.has_unsaved()
    assert app.main.editor_pane.session.opened.base_version == base + 1
    draft = app.workspace.drafts.load(pid, base + 1)
    assert draft is not None and "Typed during the save." in draft.markdown


async def test_typing_after_a_save_is_tracked_again(started, demo_server):
    app, pilot = started
    pid = page_id(demo_server, TITLE)
    await open_page(app, pilot, demo_server, TITLE)
    base = app.workspace.current.base_version
    editor = await _edit(app, pilot, lambda t: t + "\nFirst save.\n")
    await save(app, pilot)
    assert not app.main.has_unsaved()
    app.main.query_one("#tabs").active = "tab-editor"
    editor.focus()
    editor.insert("More after saving.\n", editor.document.end)
    await pilot.pause()
    assert app.main.has_unsaved()
    await save(app, pilot)
    row = demo_server.store.get_page(pid)
    assert row["version"] == base + 2 and "More after saving." in row["body"]


async def test_an_uncreated_new_page_is_offered_back_on_its_parent(demo_server):
    app = make_app(demo_server)
    parent = page_id(demo_server, "Runbooks")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, "Runbooks")
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = "Runbook: Queue backlog"
        await pilot.press("enter")
        await pilot.pause()
        app.main.query_one("#editor").text = "# Drain the queue\n"
        await wait_until(
            app, pilot, lambda: list(app.workspace.drafts.directory.glob("*new_*--v0.json"))
        )
    app = make_app(demo_server)  # a new run, as after a crash
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_page(parent)
        await settle(app, pilot)
        assert app.screen.id == "draft-recovery"
        assert "Runbook: Queue backlog" in str(app.screen.query_one(".question").render())
        await pilot.press("enter")
        await pilot.pause()
        assert app.main.query_one("#editor").text == "# Drain the queue\n"
        await save(app, pilot)
        assert app.workspace.current.page.title == "Runbook: Queue backlog"
        assert app.workspace.drafts.new_pages_under(parent) == []


async def test_escape_leaves_the_editor_and_keeps_the_buffer(started, demo_server):
    app, pilot = started
    await open_page(app, pilot, demo_server, TITLE)
    editor = await _edit(app, pilot, lambda t: t + "\nKept while reading.\n")
    await pilot.press("escape")
    await pilot.pause()
    assert (
        app.main.query_one("#tabs").active == "tab-page" and app.main.query_one("#viewer").has_focus
    )
    await pilot.press("e")
    await pilot.pause()
    assert "Kept while reading." in editor.text and app.main.has_unsaved()


async def test_opening_the_editor_without_typing_is_not_an_unsaved_change(started, demo_server):
    app, pilot = started
    await open_page(app, pilot, demo_server, TITLE)
    await pilot.press("e")
    await settle(app, pilot)
    tab = app.main.query_one("#tabs").get_tab("tab-editor")
    assert str(tab.label) == "Editor" and not app.main.has_unsaved()
    await pilot.press("end", "x")
    await pilot.pause()
    assert str(tab.label) == "Editor ●" and app.main.has_unsaved()
    await pilot.press("backspace")
    await pilot.pause()
    assert str(tab.label) == "Editor" and not app.main.has_unsaved()


async def test_a_save_whose_markdown_reads_back_normalised_is_not_left_unsaved(
    started, demo_server
):
    app, pilot = started
    await open_page(app, pilot, demo_server, "Runbook: Payments API latency")
    users = dict(app.workspace.current.users)
    assert users  # the page mentions someone, shown by name
    account, name = next(iter(users.items()))
    # A mention typed in its id form: the saved page reads it back by name.
    editor = await _edit(app, pilot, lambda t: f"Ask ⟦@{account}⟧ first.\n\n" + t)
    sent = editor.text
    await save(app, pilot)
    saved = app.workspace.current.markdown
    assert saved != sent and f"⟦@{name}⟧ first" in saved  # the text reads back differently …
    assert not app.main.has_unsaved()  # … and nothing is left "unsaved"
    assert str(app.main.query_one("#tabs").get_tab("tab-editor").label) == "Editor"
    assert editor.text == saved
    assert app.workspace.drafts.for_page(app.workspace.current.page.id) == []


async def test_a_conflict_left_unresolved_by_a_crash_comes_back_once_not_merged_again(demo_server):
    app = make_app(demo_server)
    pid = page_id(demo_server, TITLE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, TITLE)
        base = await _save_over_their_edit(app, pilot, demo_server, pid)
        assert "<<<<<<< mine" in app.main.query_one("#editor", MdEditor).text
        app.main.flush_draft()
        drafts = app.workspace.drafts.for_page(pid)
        assert [d.base_version for d in drafts] == [base + 1]  # kept against their version
    app = make_app(demo_server)  # as after kill -9
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.open_page(pid)
        await settle(app, pilot)
        assert app.screen.id == "draft-recovery"
        await pilot.press("enter")
        await settle(app, pilot)
        text = app.main.query_one("#editor", MdEditor).text
        assert (
            text.count("<<<<<<< mine") == 1 and text.count(">>>>>>> theirs") == 1
        )  # not merged into itself
        assert "Mine wins." in text and "Theirs wins." in text
        await save(app, pilot)
        assert (
            demo_server.store.get_page(pid)["version"] == base + 1
        )  # markers left: nothing written


async def test_a_new_child_of_the_homepage_appears_under_its_space(demo_server):
    from workbench.tui.widgets.site_tree import SiteTree

    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        tree = app.main.query_one(SiteTree)
        await pilot.press("down", "right")  # the space, showing its homepage's children
        await settle(app, pilot)
        await pilot.press("enter")  # opens the homepage
        await settle(app, pilot)
        assert app.workspace.current.page.title == "Platform Engineering"
        app.main.query_one("#viewer").focus()
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = "Team rituals"
        await pilot.press("enter")
        await pilot.pause()
        app.main.query_one("#editor", MdEditor).text = "Stand-up at 9:30.\n"
        await save(app, pilot)
        space = tree.root.children[0]
        assert "Team rituals" in [n.data.title for n in space.children]
        header = str(app.main.query_one("#page-header").render())
        assert "Platform Engineering › Team rituals" in header
