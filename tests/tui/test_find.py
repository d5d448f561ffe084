"""Find in the page: ``ctrl+f`` and ``/`` (as in less), matches highlighted, ``n``/``N``, a count;
against the demo site over HTTP, through Pilot."""

from __future__ import annotations

from workbench.tui.find import Match, count_text, find_all, nearest

from .helpers import open_page, settle

PAGE = "Runbook: Database failover"


def test_smart_case_and_offsets():
    lines = ["Replica lag", "the replica REPLICA", "none"]
    assert find_all(lines, "replica") == [Match(0, 0, 7), Match(1, 4, 11), Match(1, 12, 19)]
    assert find_all(lines, "REPLICA") == [Match(1, 12, 19)]  # a capital: exact case
    assert find_all(lines, "") == []
    assert find_all(["Straße strasse"], "strasse") == [Match(0, 7, 14)]  # offsets stay put
    assert nearest(find_all(lines, "replica"), 1) == 1
    assert nearest(find_all(lines, "replica"), 2) == 0  # wraps to the top
    assert nearest(find_all(lines, "replica"), 0, forward=False) == 0
    assert count_text([], -1, "x") == "no match" and count_text([Match(0, 0, 1)], 0, "x") == "1/1"


def _count(app) -> str:
    return str(app.main.page_pane.find_bar.query_one(".find-count").render())


async def test_slash_in_the_viewer_finds_and_n_moves_between_matches(started, demo_server):
    app, pilot = started
    main = await open_page(app, pilot, demo_server, PAGE)
    viewer = main.page_pane.viewer
    assert viewer.has_focus  # reading focus: the page, not the tree
    lines = viewer.plain_lines()
    expected = sum(line.lower().count("replica") for line in lines)
    assert expected >= 3  # the page talks about replicas more than once
    await pilot.press("slash")
    bar = main.page_pane.find_bar
    assert bar.is_open and bar.query_input.has_focus
    await pilot.press(*"replica")
    await pilot.pause()
    assert len(viewer.matches) == expected
    assert _count(app).startswith(f"1/{expected}")
    await pilot.press("enter")  # back to reading, the highlights stay
    assert viewer.has_focus and viewer.find_query == "replica"
    first = viewer.matches[viewer.match_index]
    await pilot.press("n")
    assert viewer.match_index == 1 and _count(app).startswith(f"2/{expected}")
    await pilot.press("N", "N")  # back past the first: wraps to the last
    assert viewer.match_index == expected - 1
    await pilot.press("n")
    assert viewer.matches[viewer.match_index] == first
    # the current match is drawn in another style than the others
    row = viewer.render_line(first.line - int(viewer.scroll_y))
    styles = {seg.style for seg in row if "eplica" in seg.text.lower()}
    assert styles and any(s and s.bgcolor for s in styles)
    await pilot.press("escape")  # clears the find (n is "new page" again) …
    assert viewer.find_query == "" and viewer.matches == [] and not bar.is_open
    assert viewer.has_focus
    await pilot.press("escape")  # … and the next escape goes back to the tree
    assert main.tree_pane.query_one("#tree").has_focus


async def test_ctrl_f_from_the_tree_and_a_query_nothing_matches(started, demo_server):
    app, pilot = started
    main = await open_page(app, pilot, demo_server, PAGE)
    await pilot.press("escape")
    assert main.tree_pane.query_one("#tree").has_focus
    await pilot.press("ctrl+f")
    bar = main.page_pane.find_bar
    assert bar.is_open and bar.query_input.has_focus
    await pilot.press(*"zqxj-nowhere")
    await pilot.pause()
    assert _count(app).startswith("no match")
    await pilot.press("enter")
    viewer = main.page_pane.viewer
    assert viewer.has_focus and viewer.matches == []
    await pilot.press("n")  # says so, opens nothing
    await settle(app, pilot)
    assert app.screen is main and main.editor_pane.query_one("#editor").text == ""
    await pilot.press("ctrl+f")  # the last query comes back, selected
    assert bar.query_input.value == "zqxj-nowhere"
    await pilot.press("escape")
    assert not bar.is_open and viewer.find_query == ""


async def test_the_find_follows_a_new_rendering_and_clears_on_another_page(started, demo_server):
    app, pilot = started
    main = await open_page(app, pilot, demo_server, PAGE)
    viewer = main.page_pane.viewer
    await pilot.press("slash", *"replica", "enter")
    wide = len(viewer.matches)
    assert wide >= 2
    await pilot.resize_terminal(80, 24)  # re-rendered at another width: the matches follow
    await settle(app, pilot)
    assert viewer.find_query == "replica" and len(viewer.matches) >= wide
    await open_page(app, pilot, demo_server, "Runbooks")
    assert viewer.find_query == "" and not main.page_pane.find_bar.is_open
