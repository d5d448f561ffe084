"""Search, history, labels, comments, palette, help, keymap, theme, agent slot, rate-limit countdown."""

from __future__ import annotations

from textual.widgets import OptionList

from workbench.config import Settings
from workbench.tui.messages import RateLimitWait
from workbench.tui.widgets.cql_bar import CqlBar

from .helpers import SIZE, make_app, notes, open_page, page_id, settle, wait_until


def _palette_top(app) -> str:
    """The palette's highlighted entry (what enter runs), or "" while it has none."""
    from textual.command import CommandList

    found = app.screen.query(CommandList)
    if not found:
        return ""
    options = found.first()
    if options.highlighted is None or not options.option_count:
        return ""
    return str(options.get_option_at_index(options.highlighted).prompt)


async def _type(pilot, text: str) -> None:
    for ch in text:
        await pilot.press({" ": "space", "=": "equals_sign", '"': "quotation_mark"}.get(ch, ch))


async def test_plain_words_search_and_the_first_hit_is_highlighted(started, demo_server):
    app, pilot = started
    await pilot.press("slash")
    assert app.main.query_one(CqlBar).has_focus
    await _type(pilot, "failover")
    await pilot.press("enter")
    await settle(app, pilot)
    results = app.main.query_one("#results", OptionList)
    assert results.has_focus and results.highlighted == 0
    assert app.main.query_one("#tabs").active == "tab-results"
    summary = str(app.main.query_one("#results-summary").render())
    assert 'text ~ "failover"' in summary
    titles = [r.title for r in app.main.results_pane.results]
    assert "Runbook: Database failover" in titles
    prompt = results.get_option_at_index(0).prompt  # the title line, then the excerpt under it
    title, excerpt = prompt.renderables[0], prompt.renderables[1].renderable
    spans = title.spans + excerpt.spans
    assert any(
        span.style and "reverse" in str(span.style) or "yellow" in str(span.style) for span in spans
    )
    assert len(excerpt.plain) <= 181
    index = titles.index("Runbook: Database failover")
    results.highlighted = index
    await pilot.press("enter")
    await settle(app, pilot)
    assert app.workspace.current.page.title == "Runbook: Database failover"
    # History with up: the query comes back (from the tree: / in the viewer finds in the page).
    await pilot.press("escape", "slash")
    bar = app.main.query_one(CqlBar)
    bar.value = ""
    await pilot.press("up")
    assert bar.value == "failover"


async def test_invalid_cql_shows_the_message_and_keeps_the_query(started, demo_server):
    app, pilot = started
    await pilot.press("slash")
    await _type(pilot, "space = ")
    error = app.main.query_one("#cql-error")
    assert not error.display  # unfinished while typing at its end: no red line yet
    await _type(pilot, "ENG and la = x")
    shown = str(error.render())  # a name the local parser does not know: a warning at once
    assert error.display and shown.startswith("⚠") and "'la'" in shown
    assert "Confluence decides" in shown
    app.main.query_one(CqlBar).value = "space = "
    await pilot.pause()
    searches = len(demo_server.requests.entries(path_prefix="/wiki/rest/api/search"))
    await pilot.press("enter")
    await settle(app, pilot)
    error = app.main.query_one("#cql-error")
    assert error.display
    shown = str(error.render())
    assert (
        shown.startswith("✗ Confluence:") and "expected a value" in shown
    )  # the server's own words
    assert app.main.query_one(CqlBar).value == "space = "
    sent = demo_server.requests.entries(path_prefix="/wiki/rest/api/search")[searches:]
    assert [e.status for e in sent] == [400]  # sent once: the server decides
    # What only the server can judge: its own message appears under the bar.
    app.main.results_pane.run_search('space = "NOPE" AND type = page ORDER BY nonsense')
    await settle(app, pilot)
    text = str(error.render())
    assert "Confluence:" in text and error.display
    assert app.main.query_one(CqlBar).has_focus


async def test_history_lists_versions_and_diffs_two_of_them(demo_server):
    app = make_app(demo_server)
    title = "Runbook: Rotating TLS certificates"
    pid = page_id(demo_server, title)
    row = demo_server.store.get_page(pid)
    demo_server.store.update_page(
        pid, row["body"].replace("</p>", " Second version.</p>", 1), message="tweak"
    )
    demo_server.store.update_page(pid, row["body"].replace("</p>", " Third version.</p>", 1))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, title)
        top = app.workspace.current.base_version
        await pilot.press("h")
        await settle(app, pilot)
        versions = app.main.query_one("#versions", OptionList)
        assert versions.has_focus and versions.option_count == top
        assert "tweak" in str(versions.get_option_at_index(1).prompt)
        await pilot.press("enter")  # newest against the one before
        await settle(app, pilot)
        diff = str(app.main.query_one("#diff").render())
        assert "-" in diff and "+" in diff and "Third version." in diff
        assert app.main.history_pane.last_diff[:2] == (top - 1, top)
        # Mark the newest, then compare with the oldest.
        await pilot.press("space")
        await pilot.press("end", "enter")
        await settle(app, pilot)
        assert app.main.history_pane.last_diff[:2] == (1, top)


async def test_labels_and_comments(demo_server):
    app = make_app(demo_server)
    title = "Code review guidelines"
    pid = page_id(demo_server, title)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, title)
        await pilot.press("l")
        await pilot.pause()
        assert app.screen.id == "labels-prompt"
        box = app.screen.query_one("#prompt-input")
        before = box.value
        assert before  # the page's labels, to add to: typing goes after them, not over them
        for key in ", extra":
            await pilot.press("comma" if key == "," else "space" if key == " " else key)
        assert box.value == before + ", extra"
        box.value = "review, team-platform"
        await pilot.press("enter")
        await settle(app, pilot)
        names = sorted(label.name for label in await app.workspace.client.labels(pid))
        assert names == ["review", "team-platform"]
        assert "team-platform" in str(app.main.query_one("#page-header").render())
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one("#comment-text").text = "Looks **good** to me."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        comments = await app.workspace.client.comments(pid)
        assert any("<strong>good</strong>" in c.storage for c in comments)
        assert "Comment added." in notes(app)
        assert "Looks good to me." in "\n".join(app.main.query_one("#viewer").plain_lines())


async def test_palette_offers_actions_and_pages_by_title(started, demo_server):
    app, pilot = started
    await open_page(app, pilot, demo_server, "Runbooks")
    await pilot.press("ctrl+p")
    await pilot.pause()
    await _type(pilot, "page: history")
    await wait_until(app, pilot, lambda: "history" in _palette_top(app))
    await pilot.press("enter")
    await settle(app, pilot)
    assert app.main.query_one("#tabs").active == "tab-history"
    await pilot.press("ctrl+p")
    await pilot.pause()
    await _type(pilot, "Database fail")
    await wait_until(app, pilot, lambda: "Runbook: Database failover" in _palette_top(app))
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert app.workspace.current.page.title == "Runbook: Database failover"


async def test_keymap_from_the_config_remaps_a_binding(demo_server):
    settings = Settings(keymap={"page.edit": "ctrl+e", "app.search": "ctrl+f"})
    app = make_app(demo_server, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, "Runbooks")
        app.main.query_one("#viewer").focus()
        await pilot.press("e")
        await pilot.pause()
        assert app.main.query_one("#tabs").active == "tab-page"
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert app.main.query_one("#tabs").active == "tab-editor"
        await pilot.press("escape")
        await pilot.press("ctrl+f")
        assert app.main.query_one(CqlBar).has_focus


async def test_help_lists_every_key_and_theme_toggles(demo_server):
    app = make_app(demo_server, settings=Settings(theme="textual-light"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.theme == "textual-light"
        await pilot.press("question_mark")
        await pilot.pause()
        from rich.console import Console

        console = Console(width=200, record=True, file=open("/dev/null", "w"))
        assert app.screen.query_one("#help-table")
        console.print(app.screen.table)
        text = console.export_text()
        for binding_id in (
            "app.search",
            "page.edit",
            "editor.save",
            "page.history",
            "page.new",
            "page.comment",
            "page.labels",
            "tree.filter",
            "app.agent",
            "app.quit",
        ):
            assert binding_id in text
        assert "binding id ([keymap])" in text  # the header is text, not a markup tag
        assert "on a space: its homepage" in text
        await pilot.press("escape")
        await pilot.press("ctrl+t")
        assert app.theme == "textual-dark"


async def test_rate_limit_countdown_in_the_status_bar(started, demo_server):
    app, pilot = started
    app.main.post_message(RateLimitWait(3.0, "429 Too Many Requests"))
    await pilot.pause()
    status = app.main.query_one("#status")
    assert "retrying in 3s" in str(status.render())
    await wait_until(app, pilot, lambda: "retrying in 2s" in str(status.render()))


async def test_rate_limited_server_drives_the_countdown(local_confluence):
    server = local_confluence("demo", rate_limit=2)
    app = make_app(server)
    waits = []
    async with app.run_test(
        size=SIZE, message_hook=lambda m: isinstance(m, RateLimitWait) and waits.append(m)
    ) as pilot:
        await settle(app, pilot)
        for title in ("Runbooks", "Release notes", "Architecture decisions"):
            app.open_page(page_id(server, title))
            await settle(app, pilot)
        assert waits and waits[0].seconds > 0


async def test_quit_with_unsaved_changes_asks_first(started, demo_server):
    app, pilot = started
    await open_page(app, pilot, demo_server, "Runbooks")
    await pilot.press("e")
    app.main.query_one("#editor").text += "\nunsaved\n"
    await pilot.pause()
    app.main.query_one("#viewer").focus()
    await pilot.press("q")
    await pilot.pause()
    question = app.screen.query_one(".question")
    assert "unsaved changes" in str(question.render())
    assert question.size.height >= 2  # wrapped inside the dialog, not cut at its edge
    assert question.region.right <= app.screen.query_one(".dialog").region.right
    await pilot.press("enter")  # the focused button is "Stay"
    await pilot.pause()
    assert app.is_running and app.main.has_unsaved()


async def test_a_comment_that_fails_is_kept_for_the_next_try(local_confluence):
    server = local_confluence("demo")
    app = make_app(server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, server, "Runbooks")
        server.go_offline()
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one("#comment-text").text = "Written while the server was down."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert any("your text is kept" in n for n in notes(app))
        await pilot.press("m")
        await pilot.pause()
        assert app.screen.query_one("#comment-text").text == "Written while the server was down."


async def test_theme_switch_restyles_the_editor_and_the_page(started, demo_server):
    app, pilot = started
    await open_page(app, pilot, demo_server, "Runbooks")
    lines = app.main.query_one("#viewer").line_count
    await pilot.press("ctrl+t")
    await settle(app, pilot)
    assert app.main.query_one("#editor").theme == "github_light"
    assert app.main.query_one("#viewer").line_count == lines


async def test_copy_link_and_refresh(demo_server):
    app = make_app(demo_server)
    title = "Release notes"
    pid = page_id(demo_server, title)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, title)
        app.main.query_one("#viewer").focus()
        await pilot.press("c")
        assert app.clipboard == app.workspace.current.page.url
        assert app.clipboard.startswith(demo_server.base_url) and pid in app.clipboard
        version = app.workspace.current.base_version
        row = demo_server.store.get_page(pid)
        demo_server.store.update_page(pid, row["body"] + "<p>Added by a colleague.</p>")
        tree = app.main.query_one("#tree")
        space = tree.root.children[0]
        space.expand()  # the space shows its homepage's children
        await settle(app, pilot)
        home = space.data.home
        demo_server.store.create_page(
            row["space_id"], "A page made elsewhere", "<p>x</p>", parent_id=home
        )
        await pilot.press("r")
        await settle(app, pilot)
        assert "A page made elsewhere" in [n.data.title for n in space.children]
        assert app.workspace.current.base_version == version + 1
        assert "Added by a colleague." in "\n".join(app.main.query_one("#viewer").plain_lines())


async def test_more_results_load_on_demand(local_confluence):
    server = local_confluence("large:120")
    app = make_app(server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.main.results_pane.run_search("type = page")
        await settle(app, pilot)
        results = app.main.query_one("#results", OptionList)
        assert len(app.main.results_pane.results) == 50
        assert results.get_option_at_index(results.option_count - 1).id == "more"
        results.highlighted = results.option_count - 1
        await pilot.press("enter")
        await settle(app, pilot)
        assert len(app.main.results_pane.results) == 100 and results.highlighted == 50
        assert len({r.id for r in app.main.results_pane.results}) == 100


async def test_cql_bar_completes_in_context(started, demo_server):
    app, pilot = started
    await pilot.press("slash")
    await _type(pilot, "space = E")
    await settle(app, pilot)  # the suggestion comes from a worker
    hint = str(app.main.query_one("#cql-hint").render())
    assert hint.startswith("value:") and "ENG" in hint
    await pilot.press("right")  # accept the suggestion
    bar = app.main.query_one(CqlBar)
    assert bar.value == "space = ENG"
    await _type(pilot, " AND ty")
    await settle(app, pilot)  # the suggestion comes from a worker
    await pilot.press("right")
    assert bar.value == "space = ENG AND type"
    await pilot.press("enter")
    await settle(app, pilot)
    assert "expected" in str(
        app.main.query_one("#cql-error").render()
    )  # incomplete: said, and kept
    assert bar.value == "space = ENG AND type"
    await pilot.press("escape")
    assert app.main.query_one("#tree").has_focus


async def test_opening_a_search_result_focuses_the_page(started, demo_server):
    app, pilot = started
    app.main.results_pane.run_search('title = "Runbook: Database failover"')
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert app.focused is app.main.query_one("#viewer")
    await pilot.press("h")  # a command, not a letter typed somewhere
    await settle(app, pilot)
    assert app.main.query_one("#tabs").active == "tab-history"


async def test_open_in_browser_without_a_browser_copies_the_link(demo_server, monkeypatch):
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: False)  # a machine with no browser
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_page(app, pilot, demo_server, "Runbooks")
        notes(app)
        await pilot.press("o")
        await settle(app, pilot)
        url = app.workspace.current.page.url
        assert app.clipboard == url
        assert any("No web browser found" in n for n in notes(app))
        monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
        await pilot.press("o")
        await settle(app, pilot)
        assert opened == [url] and any(n.startswith("Opened") for n in notes(app))


async def test_keymap_mistakes_are_said_and_the_default_keys_stay(demo_server):
    settings = Settings(
        keymap={"page.edit": "['ctrl+e']", "page.nothing": "x", "app.search": "ctrl+f"}
    )
    app = make_app(demo_server, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        said = "\n".join(notes(app))
        assert "[keymap] page.edit = \"['ctrl+e']\": not a key" in said
        assert "[keymap] page.nothing: no binding has this id" in said
        await open_page(app, pilot, demo_server, "Runbooks")
        app.main.query_one("#viewer").focus()
        await pilot.press("e")  # the wrong remap left the default key in place
        await pilot.pause()
        assert app.main.query_one("#tabs").active == "tab-editor"
        await pilot.press("escape")
        await pilot.press("ctrl+f")  # the good remap of the same table applies
        assert app.main.query_one(CqlBar).has_focus


async def test_help_lists_the_agent_review_and_pane_keys_and_no_made_up_ids(demo_server):
    from workbench.tui.screens.help import key_table

    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        rows = key_table(app)
        ids = {bid for _area, _keys, _text, bid in rows}
        for binding_id in (
            "agent.cancel",
            "agent.profile",
            "review.accept",
            "review.apply",
            "history.mark",
            "tree.filter_clear",
        ):
            assert binding_id in ids
        assert "app.palette" not in ids and "app.focus" not in ids  # not bindings: nothing to remap
