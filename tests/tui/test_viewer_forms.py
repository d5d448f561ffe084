"""The page viewer in the running app: a real demo page with merged cells, and the dialect's forms in
a DocumentView (Pilot)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult

from workbench.tui.widgets.document import DocumentView

from .helpers import notes, open_page, viewer_text, wait_until

FORMS = (Path(__file__).parent / "dialect_forms.md").read_text()


async def test_roadmap_table_shows_its_merged_cells_spanning(started, demo_server):
    app, pilot = started
    await open_page(app, pilot, demo_server, "Roadmap 2027")
    md = app.workspace.current.markdown
    assert "| ^^ |" in md and "||" in md  # the converter writes the spans as markers …
    lines = viewer_text(app).splitlines()
    assert not any("^^" in line for line in lines)  # … the viewer draws them
    quarter = next(line for line in lines if "Reliability of checkout" in line)
    merchant = next(line for line in lines if "Merchant self-service" in line)
    column = quarter.index("Q1 2027")
    assert (
        merchant[column - 2] == "│" and merchant[column : column + 7].strip() == ""
    )  # covered by Q1 2027
    between = lines[lines.index(merchant) - 1]
    assert between[column - 2] == "┤"  # the line under "Reliability …" stops at the tall cell
    assert between[column : column + 7].strip() == ""
    payouts = next(line for line in lines if "Multi-currency payouts" in line)
    assert payouts.count("│") == quarter.count("│") - 1  # one cell across Theme and Quarter
    assert notes(app) == []


class _Viewer(App):
    """The viewer alone, showing the dialect sample."""

    def compose(self) -> ComposeResult:
        yield DocumentView(id="viewer")

    def on_mount(self) -> None:
        self.query_one(DocumentView).show(FORMS)


async def test_every_form_of_the_sample_renders_in_the_viewer():
    app = _Viewer()
    async with app.run_test(size=(100, 60)) as pilot:
        viewer = app.query_one(DocumentView)
        await wait_until(app, pilot, lambda: viewer.complete and viewer.line_count > 0)
        text = "\n".join(viewer.plain_lines())
        for shown in (
            "Merged header",
            "second line",
            "java  Main.java · collapsed",
            "⤷ We go with plan A",
            "Heading with",
            "▸ Summary line",
            "Narrow column",
        ):
            assert shown in text, shown
        for hidden in (":::", "||", "<br>", "html:", "macro:", "adf:"):
            assert hidden not in text, hidden
        # links inside the sample (a blog post) are listed for `g`
        assert ("a blog post", "blog:OPS/2026-03-04/News") in viewer.links
