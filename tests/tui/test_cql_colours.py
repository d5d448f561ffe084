"""The search bar colours CQL with the theme's colours (``tui/theme.py`` ``cql_styles``), in the
dark and the light theme alike, and follows a theme switch."""

from __future__ import annotations

from rich.text import Text

from workbench.tui.widgets.cql_bar import CqlBar


def _styled(bar: CqlBar, query: str) -> dict[str, str]:
    text = Text(query)
    bar.highlighter.highlight(text)
    return {text.plain[s.start : s.end]: str(s.style) for s in text.spans}


async def test_the_search_bar_colours_cql_from_the_theme_in_both_themes(started):
    app, pilot = started
    bar = app.main.query_one(CqlBar)
    seen = {}
    for theme in ("textual-dark", "textual-light"):
        app.theme = theme
        await pilot.pause()
        colours = app.theme_variables
        styled = _styled(bar, 'space = "ENG" AND title ~ x ORDER BY created')
        assert styled["space"] == f"bold {colours['text-primary']}"
        assert styled['"ENG"'] == colours["text-success"]
        assert styled["AND"] == f"bold {colours['text-secondary']}"
        assert styled["~"] == f"bold {colours['text-warning']}"
        seen[theme] = styled
    assert seen["textual-dark"] != seen["textual-light"]
