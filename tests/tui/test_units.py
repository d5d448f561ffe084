"""Unit tests of the pure pieces under the TUI: drafts, tree cache, CQL helpers, diffs, the renderer."""

from __future__ import annotations

import json

from rich.console import Console

from workbench.confluence.models import PageSummary, Space
from workbench.services.cache import TreeCache
from workbench.services.diffing import stats, unified
from workbench.services.drafts import DraftStore, new_draft_id, new_page_key
from workbench.services.search import split_highlights, to_cql
from workbench.tui.render import render_lines, render_markdown


def test_drafts_are_keyed_by_site_page_and_base_version(tmp_path):
    a = DraftStore(tmp_path, "https://a.example/wiki")
    b = DraftStore(tmp_path, "https://b.example/wiki")
    a.save("42", 3, "T", "v3 text")
    a.save("42", 4, "T", "v4 text")
    b.save("42", 3, "T", "other site")
    assert a.load("42", 3).markdown == "v3 text"
    assert {d.base_version for d in a.for_page("42")} == {3, 4}
    assert [d.markdown for d in b.for_page("42")] == ["other site"]
    a.discard("42", 3)
    assert a.load("42", 3) is None and a.load("42", 4) is not None
    a.discard("42")
    assert a.for_page("42") == [] and b.for_page("42") != []


def test_drafts_survive_a_corrupt_file_and_leave_no_temp_files(tmp_path):
    store = DraftStore(tmp_path, "site")
    key = new_page_key("7", new_draft_id())
    store.save(key, 0, "New: page/with slash", "body")
    assert store.for_page(key)[0].markdown == "body"
    (tmp_path / next(p.name for p in tmp_path.iterdir())).write_text("{not json")
    assert store.for_page(key) == []
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_tree_cache_round_trip_and_corruption(tmp_path):
    cache = TreeCache(tmp_path, "site")
    cache.put_spaces([Space("1", "ENG", "Engineering")])
    cache.put_children("space:1", [PageSummary("10", "Home", "1")])
    cache.save()
    again = TreeCache(tmp_path, "site")
    assert again.spaces() == [Space("1", "ENG", "Engineering")]
    assert again.children("space:1") == [PageSummary("10", "Home", "1")]
    assert again.children("page:10") is None
    cache.path.write_text(json.dumps({"format": 999}))
    assert TreeCache(tmp_path, "site").spaces() == []
    cache.path.write_text("garbage")
    assert TreeCache(tmp_path, "site").spaces() == []


def test_plain_words_become_text_search_and_cql_stays():
    assert to_cql("deploy runbook").cql == 'text ~ "deploy runbook"'
    assert to_cql('say "hi"').cql == 'text ~ "say \\"hi\\""'
    assert to_cql("space = ENG AND label = runbook").cql == "space = ENG AND label = runbook"
    check = to_cql("space = ")
    assert check.error and check.position == 7
    assert to_cql("   ").error


def test_highlight_markers_split():
    assert split_highlights("a @@@hl@@@b@@@endhl@@@ c") == [
        ("a ", False),
        ("b", True),
        (" c", False),
    ]
    assert split_highlights("plain") == [("plain", False)]


def test_unified_diff_and_stats():
    lines = unified("a\nb\n", "a\nc\n", "old", "new")
    assert lines[:2] == ["--- old", "+++ new"] and "-b" in lines and "+c" in lines
    assert stats(lines) == (1, 1)
    assert unified("same\n", "same\n") == []


def _text(markdown: str, width: int = 80) -> str:
    doc = render_markdown(markdown)
    return "\n".join(
        "".join(seg.text for seg in line)
        for block in render_lines(doc.blocks, width)
        for line in block
    )


def test_renderer_alerts_tasks_code_tables_chips_links():
    md = (
        "# Title\n\n> [!WARNING] Mind the gap\n> Careful **now**\n\n- [ ] todo\n- [x] done\n\n"
        "```python\nprint('hi')\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "Status ⟦status: On track⟧ by @Alice and [Runbooks](page:ENG/Runbooks) or [site](https://x.example).\n"
    )
    doc = render_markdown(md)
    list(render_lines(doc.blocks, 80))
    assert doc.links == [("Runbooks", "page:ENG/Runbooks"), ("site", "https://x.example")]
    text = _text(md)
    assert "▌ Mind the gap" in text and "▌ Careful now" in text
    assert "☐ todo" in text and "☑ done" in text and "[ ]" not in text
    assert "print('hi')" in text and "```" not in text
    assert "│ 1 │ 2 │" in text
    assert " ON TRACK " in text and "⟦status" not in text  # a lozenge


def test_renderer_fenced_containers_and_never_raises_on_odd_input():
    md = '::::: layout\n:::: cell\nLeft\n::::\n:::: cell\nRight\n::::\n:::::\n\n::: expand title="More"\nhidden\n:::\n'
    text = _text(md)
    assert "Left" in text and "Right" in text and "⟦layout" not in text
    assert "▸ More" in text and "⟦expand" not in text and "hidden" in text
    assert "≡ table of contents" in _text("Text ⟦toc⟧") and "◷ 2026-10-26" in _text(
        "by ⟦date: 2026-10-26⟧"
    )
    for odd in ("", "```", "> [!NOTE]", "| a |\n|--|", "::: x", "- [ ]", "⟦", "[x](", "<div>"):
        _text(odd)


def test_container_headers_read_like_confluence():
    md = (
        '::: panel title="Summary" bgColor="#DEEBFF"\nBody\n:::\n\n'
        '::: adf:panel panel-type="warning"\nCareful\n:::\n\n'
        '::: some-macro "main" depth=2\nInner\n:::\n\n::: expand\nx\n:::\n'
    )
    text = _text(md)
    assert "▌ Summary" in text and "bgColor" not in text and "#DEEBFF" not in text
    assert "▌ Warning" in text and "adf:panel" not in text
    assert "some macro · main · depth: 2" in text
    assert "▸ Click here to expand…" in text
    assert "::: " in md and "⟦" not in text


def test_layout_sections_show_their_cells_side_by_side_when_there_is_room():
    md = (
        "::::: layout\n:::: section two_right_sidebar\n::: cell\nMain column text\n:::\n"
        "::: cell\nSidebar text\n:::\n::::\n:::::\n"
    )
    wide = _text(md, 80).splitlines()
    row = next(line for line in wide if "Main column text" in line)
    assert "Sidebar text" in row and "│" in row  # one row: the cells side by side, a rule between
    assert row.index("│") > 40  # the main column is the wide one (2:1)
    narrow = _text(md, 40).splitlines()
    assert not any(
        "Main column text" in line and "Sidebar text" in line for line in narrow
    )  # stacked
    assert "Main column text" in "\n".join(narrow) and "Sidebar text" in "\n".join(narrow)


def test_merged_cells_keep_the_columns_aligned():
    md = (
        "::::: table\n:::: tr\n::: th\nTheme\n:::\n::: th\nQuarter\n:::\n::: th\nOwner\n:::\n::::\n"
        ":::: tr\n::: td\nCheckout\n:::\n::: td rowspan=2\nQ1\n:::\n::: td\nAna\n:::\n::::\n"
        ":::: tr\n::: td\nSelf-service\n:::\n::: td\nBo\n:::\n::::\n"
        ":::: tr\n::: td colspan=2\nBoth columns\n:::\n::: td\nCy\n:::\n::::\n:::::\n"
    )
    lines = _text(md).splitlines()
    owner_col = next(line for line in lines if "Owner" in line).index("Owner")
    for name in ("Ana", "Bo", "Cy"):
        assert next(line for line in lines if name in line).index(name) == owner_col  # same column
    assert not any(
        line.strip("│ ") == "" and "│" in line for line in lines
    )  # no blank line inside a cell


def test_toc_lists_the_headings_and_template_chips_read_plainly():
    text = _text("⟦toc⟧\n\n## Symptoms\n\nx\n\n### Deeper\n\n## Fix ⟦anchor: fix⟧\n")
    assert "Contents" in text and "• Symptoms" in text and "  • Deeper" in text and "• Fix" in text
    assert "⟦" not in text and "anchor" not in text
    text = _text("Owner: ⟦placeholder: Type @ to mention⟧ and ⟦children⟧")
    assert "Owner: Type @ to mention" in text and "↳ child pages" in text and "⟦" not in text


def test_chips_are_coloured():
    doc = render_markdown("⟦status: Blocked⟧")
    console = Console(
        width=40,
        color_system="truecolor",
        force_terminal=True,
        record=True,
        file=open("/dev/null", "w"),
    )
    for block in doc.blocks:
        console.print(block)
    assert "48;2;" in console.export_text(styles=True)  # a background colour on the chip


def test_every_palette_action_exists():
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.keys import palette_actions
    from workbench.tui.screens.main import MainScreen

    for entry in palette_actions():
        owner = WorkbenchApp if entry.on_app else MainScreen
        name = entry.action.split("(")[0]
        assert callable(getattr(owner, f"action_{name}", None)), entry.action


def test_docs_keys_lists_every_binding_id():
    from pathlib import Path

    from workbench.tui.app import WorkbenchApp
    from workbench.tui.screens.help import key_table

    doc = (Path(__file__).resolve().parents[2] / "docs" / "keys.md").read_text()
    missing = [
        bid
        for _a, _k, _t, bid in key_table(WorkbenchApp())
        if bid.count(".") == 1 and bid not in ("app.palette", "app.focus") and f"`{bid}`" not in doc
    ]
    assert missing == []


async def test_cql_completion_and_highlighting():
    from rich.text import Text

    from workbench.tui.theme import cql_styles
    from workbench.tui.widgets.cql_bar import CqlHighlighter, CqlSuggester

    suggester = CqlSuggester(lambda: [], lambda: {"space": ["ENG", "PROD"], "label": ["runbook"]})
    assert await suggester.get_suggestion("spa") == "space"
    assert await suggester.get_suggestion("space = E") == "space = ENG"
    assert await suggester.get_suggestion("space = ENG an") == "space = ENG AND"
    assert (
        await suggester.get_suggestion("space = ENG AND label = r")
        == "space = ENG AND label = runbook"
    )
    assert await suggester.get_suggestion("creator = curr") == "creator = currentUser()"
    assert await suggester.get_suggestion("type = p") == "type = page"
    # the colours are the theme's (tui/theme.py cql_styles), not literal ones
    theme = {"text-primary": "#0000aa", "text-success": "#00aa00", "text-secondary": "#aa00aa"}
    text = Text('space = "ENG" AND title ~ x')
    CqlHighlighter(lambda: cql_styles(theme)).highlight(text)
    styled = {text.plain[s.start : s.end]: str(s.style) for s in text.spans}
    assert (
        styled["space"] == "bold #0000aa"
        and styled['"ENG"'] == "#00aa00"
        and styled["AND"] == "bold #aa00aa"
    )
    text = Text('space = "ENG" AND title ~ x')
    CqlHighlighter().highlight(text)  # no theme: attributes only
    styled = {text.plain[s.start : s.end]: str(s.style) for s in text.spans}
    assert styled["space"] == "bold" and styled["AND"] == "bold" and '"ENG"' not in styled


def test_inline_comment_markers_are_hidden_and_the_text_marked():
    text = _text("Start ⟦comment⟧marked words⟦/comment⟧ end")
    assert text.strip() == "Start marked words end"


def test_diff_marks_the_words_that_changed_in_a_changed_line():
    from workbench.tui.widgets.diff import diff_text

    lines = [
        "--- v1",
        "+++ v2",
        "@@ -1,2 +1,2 @@",
        "-They renew automatically 30 days ahead.",
        "+They renew automatically 45 days ahead. Renew early.",
        " unchanged",
        "-gone",
        "+a different line",
    ]
    text = diff_text(lines)
    marked = [text.plain[s.start : s.end].strip() for s in text.spans if "reverse" in str(s.style)]
    assert marked == ["30", "45", "Renew early."]  # not the words both versions share
    assert (
        "gone" not in marked and "a different line" not in marked
    )  # a rewritten line is not dissected
