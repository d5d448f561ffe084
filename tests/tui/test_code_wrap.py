"""Code blocks never lose characters: a long line folds at the width, each continuation row marked
with ``↪``; nothing is cut with an ellipsis — in the renderer and in a narrow viewer."""

from __future__ import annotations

from rich.text import Text

from workbench.tui.render import render_lines, render_markdown
from workbench.tui.render_code import CONTINUED, fold

from .helpers import make_app, open_page, settle, wait_until

LONG = "pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) AS lag_bytes -- " + "x" * 70


def _rows(markdown: str, width: int) -> list[str]:
    doc = render_markdown(markdown)
    return [
        "".join(seg.text for seg in line)
        for block in render_lines(doc.blocks, width)
        for line in block
    ]


def _unfolded(rows: list[str]) -> list[str]:
    """The code lines back from the rendered rows: bars, padding, gutters and marks removed."""
    out: list[str] = []
    for row in rows:
        body = row.split("▌ ", 1)[1] if "▌ " in row else None
        if body is None:
            continue
        body = body[1:-1]  # the padding columns (a folded row is full up to them)
        if body.lstrip().startswith(CONTINUED):
            out[-1] += body[body.index(CONTINUED) + len(CONTINUED) :]
        else:
            out.append(body)
    return [line.rstrip() for line in out]  # a line's last row is padded to the width


def test_fold_keeps_every_character_and_style():
    line = Text("abcdef", style="bold") + Text("ghij", style="red")
    rows = fold(line, 4, 2)
    assert [r.plain for r in rows] == ["abcd", "ef", "gh", "ij"]
    assert "".join(r.plain for r in rows) == line.plain
    assert rows[3].spans and rows[3].spans[0].style == "red"
    assert [r.plain for r in fold(Text("日本語テキスト"), 4, 2)] == [
        "日本",
        "語",
        "テ",
        "キ",
        "ス",
        "ト",
    ]
    assert fold(Text("short"), 10, 2)[0].plain == "short"


def test_long_code_lines_fold_with_a_mark_at_every_width():
    markdown = f"```sql\nSELECT 1;\n{LONG}\n```\n"
    for width in (24, 40, 60, 200):
        rows = _rows(markdown, width)
        assert not any("…" in r for r in rows)
        assert all(len(r) <= width for r in rows)
        assert _unfolded(rows) == ["SELECT 1;", LONG], width
        assert any(CONTINUED in r for r in rows) == (len(LONG) + 6 > width)


def test_numbered_code_keeps_its_numbers_on_the_first_row_only():
    markdown = f'```python linenumbers="true" firstline="9"\nx = 1\n{LONG}\n```\n'
    rows = [r for r in _rows(markdown, 40) if "▌" in r]
    assert rows[0].split("▌ ", 1)[1].lstrip().startswith("9 x = 1")
    assert rows[1].split("▌ ", 1)[1].lstrip().startswith("10 pg_wal")
    assert rows[2].split("▌ ", 1)[1].lstrip().startswith(CONTINUED.strip())


async def test_the_runbooks_sql_keeps_every_character_beside_the_agent_panel(demo_server):
    app = make_app(demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        main = await open_page(app, pilot, demo_server, "Runbook: Database failover")
        viewer = main.page_pane.viewer
        wide = viewer.region.width
        await pilot.press("ctrl+a")  # the agent panel takes room: the page column narrows
        await wait_until(app, pilot, lambda: viewer.region.width < wide)
        await settle(app, pilot)
        await wait_until(app, pilot, lambda: viewer.complete)
        lines = viewer.plain_lines()
        assert not any("…" in line for line in lines)
        joined = "".join(
            line.split("▌ ", 1)[-1].strip().removeprefix(CONTINUED.strip()).strip()
            for line in lines
            if "▌" in line
        )
        assert "pg_wal_lsn_diff(pg_current_wal_lsn(),replay_lsn)ASlag_bytes" in joined.replace(
            " ", ""
        )


async def test_a_long_page_is_laid_out_beside_its_scrollbar_never_under_it(demo_server):
    """A page is laid out at the view's width less its vertical scrollbar, whether or not the
    scrollbar shows yet: laid out before it appeared, the page was a column too wide, and the
    viewer grew a horizontal scrollbar (the inline-image snapshot caught it one run in two)."""
    app = make_app(demo_server)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(app, pilot)
        main = await open_page(app, pilot, demo_server, "Runbook: Database failover")
        viewer = main.page_pane.viewer
        await wait_until(app, pilot, lambda: viewer.complete and viewer.show_vertical_scrollbar)
        await settle(app, pilot)
        room = viewer.scrollable_content_region.width
        assert max(len(line) for line in viewer.plain_lines()) < room
        assert viewer.virtual_size.width <= room
        assert not viewer.show_horizontal_scrollbar
        viewer.restyle()  # laid out again, now with the scrollbar showing: the same width
        await wait_until(app, pilot, lambda: viewer.complete)
        assert viewer.scrollable_content_region.width == room
        assert not viewer.show_horizontal_scrollbar
