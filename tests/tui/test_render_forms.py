"""The page viewer renders every form of the Markdown dialect (docs/markdown-dialect.md) as a reader
expects it: merged cells span, ``<br>`` breaks a cell's line, columns keep their alignment, ``html:`` /
``macro:`` / ``adf:`` containers read like the constructs they are, code fences show their parameters."""

from __future__ import annotations

import re
from pathlib import Path

from rich.console import Console

from workbench.tui.render import Palette, render_lines, render_markdown

ROOT = Path(__file__).resolve().parents[2]


def _lines(markdown: str, width: int = 80, palette: Palette | None = None) -> list[str]:
    doc = render_markdown(markdown, palette)
    return [
        "".join(seg.text for seg in line).rstrip()
        for block in render_lines(doc.blocks, width)
        for line in block
    ]


def _text(markdown: str, width: int = 80) -> str:
    return "\n".join(_lines(markdown, width))


def _ansi(markdown: str, palette: Palette, width: int = 80) -> str:
    console = Console(
        width=width,
        color_system="truecolor",
        force_terminal=True,
        record=True,
        file=open("/dev/null", "w"),
    )  # noqa: SIM115 - closed with the console
    for block in render_markdown(markdown, palette).blocks:
        console.print(block)
    return console.export_text(styles=True)


def _rgb(colour: str) -> str:
    return ";".join(str(int(colour[k : k + 2], 16)) for k in (1, 3, 5))


MERGED = (
    "| Merged header || Third |\n| --- | --- | --- |\n"
    "| Spans two rows | b1 | c1 |\n| ^^ | b2 | c2 |\n"
)


# -- tables ---------------------------------------------------------------------------------------
def test_colspan_marker_makes_one_cell_across_two_columns():
    lines = _lines(MERGED)
    header = next(line for line in lines if "Merged header" in line)
    body = next(line for line in lines if "Spans two rows" in line)
    assert header.count("│") == 3 and body.count("│") == 4  # no line inside the merged header
    assert "||" not in "\n".join(lines) and "^^" not in "\n".join(lines)
    # the line under the header opens the column the merged cell covered: ├───┬───┼───┤
    under = lines[lines.index(header) + 1]
    assert under.startswith("├") and "┬" in under and under.endswith("┤")


def test_rowspan_marker_carries_the_cell_down_through_the_row_line():
    lines = _lines(MERGED)
    first = next(n for n, line in enumerate(lines) if "Spans two rows" in line)
    between, second = lines[first + 1], lines[first + 2]
    assert re.match(
        r"│ +├─+┼─+┤$", between
    )  # the tall cell is open where the other cells get a line
    assert re.match(r"│ +│ b2 +│ c2 +│$", second)
    assert lines[first].index("b1") == second.index("b2")  # the columns stay aligned


def test_escaped_marker_and_empty_cell_are_cells_of_their_own():
    lines = _lines("| A | B |\n| --- | --- |\n| \\^^ |  |\n")
    row = next(line for line in lines if "^^" in line)
    assert row.count("│") == 3 and re.match(r"│ \^\^ +│ +│$", row)


def test_markers_that_do_not_make_rectangles_read_as_text_like_the_converter():
    # ^^ under the left half of a merged cell: the converter keeps such a table as written
    lines = _lines("| Wide || C |\n| --- | --- | --- |\n| ^^ | b | c |\n")
    assert any("^^" in line for line in lines)
    header = next(line for line in lines if "Wide" in line)
    assert header.count("│") == 4  # no span: the marker is an empty cell


def test_br_is_a_line_break_inside_a_cell():
    lines = _lines("| Item | Value |\n| --- | --- |\n| x | first line<br>second line |\n")
    assert "<br>" not in "\n".join(lines)
    first = next(line for line in lines if "first line" in line)
    second = lines[lines.index(first) + 1]
    assert "second line" in second and second.index("second") == first.index("first")


def test_column_alignment_from_the_delimiter_row():
    md = "| Left | Centre | Right |\n| :--- | :---: | ---: |\n| a | b | c |\n| wider cell | wider cell | wider cell |\n"
    row = next(line for line in _lines(md) if "│ a" in line)
    cells = row.strip("│").split("│")
    assert cells[0].startswith(" a ") and cells[2].endswith(" c ")
    assert cells[1].strip() == "b" and abs(cells[1].index("b") - (len(cells[1]) - 1) / 2) <= 1


def test_alignment_and_br_in_a_merged_table_too():
    md = "| A || C |\n| --- | --- | ---: |\n| x<br>y | b | c |\n"
    lines = _lines(md)
    assert any(re.match(r"│ x +│ b +│ +c │$", line) for line in lines)
    assert any(re.match(r"│ y +│ +│ +│$", line) for line in lines)


def test_a_header_row_alone_has_no_empty_body():
    lines = _lines("| \\^^ | literal markers |\n| --- | --- |\n")
    assert len([line for line in lines if line]) == 3 and not any(
        line.startswith("├") for line in lines
    )


def test_fenced_table_cells_span_columns_and_rows():
    md = (
        "::::: table\n:::: tr\n::: th colspan=2\nFenced header\n:::\n::::\n"
        ":::: tr\n::: td rowspan=2\n- one\n- two\n:::\n::: td\nright\n:::\n::::\n"
        ":::: tr\n::: td\nbelow\n:::\n::::\n:::::\n"
    )
    lines = _lines(md)
    header = next(line for line in lines if "Fenced header" in line)
    assert header.count("│") == 2  # one cell across both columns
    two = next(line for line in lines if "• two" in line)
    assert "├" in two  # the list cell spans down past the line between "right" and "below"
    below = next(line for line in lines if "below" in line)
    assert below.index("below") == next(line for line in lines if "right" in line).index("right")


def test_table_borders_and_header_take_the_palette():
    palette = Palette(primary="#123456", muted="#654321")
    out = _ansi(MERGED, palette)
    assert f"38;2;{_rgb(palette.muted)}m╭" in out  # borders in the muted colour
    assert (
        f"38;2;{_rgb(palette.primary)}" in out.split("Merged header")[0].rsplit("\n", 1)[-1]
    )  # header


# -- code -----------------------------------------------------------------------------------------
def test_code_fence_parameters_in_the_title_line():
    info = 'java title="Main.java" linenumbers="true" firstline="10" collapse="true"'
    lines = _lines(f"```{info}\nclass A {{}}\nint x;\n```\n")
    assert lines[0].strip() == "java  Main.java · collapsed"
    assert re.search(r"\b10 class A \{\}", lines[1]) and re.search(
        r"\b11 int x;", lines[2]
    )  # numbered from 10
    assert not any("title=" in line or "linenumbers" in line for line in lines)


def test_code_fence_forms_without_a_language():
    assert (
        _lines('```macro:plantuml format="svg"\nA -> B\n```\n')[0].strip()
        == "plantuml  format: svg"
    )
    assert _lines("```noformat\nraw\n```\n")[0].strip() == "noformat"
    assert _lines('```title="Only a title"\nx\n```\n')[0].strip() == "code  Only a title"
    assert _lines("``` {.sourceCode .python}\nx = 1\n```\n")[0].strip() == "python"
    assert _lines('```sql firstline="5"\nselect 1\n```\n')[0].strip() == "sql  first line 5"
    plain = _lines("```python\nprint('hi')\n```\n")
    assert plain[0].strip() == "python" and plain[1] == "▌  print('hi')"  # as before: no numbers


# -- containers -----------------------------------------------------------------------------------
def test_html_containers_read_as_the_elements_they_are():
    text = _text(
        "::: html:div\nIn a div.\n:::\n\n::: html:p\nPara with list\n\n- a\n:::\n\n"
        "::: html:section\nSection text\n:::\n"
    )
    assert "html" not in text and "▌" not in text  # a div, p or section shows only its content
    assert "In a div." in text and "• a" in text and "Section text" in text


def test_html_heading_with_a_line_break_is_a_heading_on_two_lines():
    md = "⟦toc⟧\n\n::: html:h2\nTitle\\\nsecond line\n:::\n\nAfter.\n"
    lines = _lines(md)
    assert "Title" in lines and "second line" in lines and "html" not in "\n".join(lines)
    assert "• Title" in "\n".join(lines)  # listed in the table of contents (by its first line)
    out = _ansi("::: html:h2\nTitle\\\nsecond line\n:::\n", Palette(primary="#123456"))
    assert f"1;38;2;{_rgb('#123456')}mTitle" in out  # styled like a level-2 heading


def test_html_details_is_a_disclosure():
    lines = _lines("::: html:details\nSummary line\n\nHidden detail.\n:::\n")
    assert lines[0] == "▌ ▸ Summary line" and "▌ Hidden detail." in lines


def test_macro_prefixed_containers_are_the_macros():
    md = (
        "::: macro:table\nThe macro named table.\n:::\n\n"
        ':::: macro:section\n::: column width="30%"\nNarrow column\n:::\n::: column\nWide column text\n:::\n::::\n'
    )
    lines = _lines(md, 100)
    assert (
        "▌ table" in lines and "▌ The macro named table." in lines
    )  # a titled bar, not a fenced table
    row = next(line for line in lines if "Narrow column" in line)
    assert "Wide column text" in row and 25 <= row.index("│") <= 40  # side by side, 30 % : 70 %
    assert not any("macro:" in line or "column" == line.strip() for line in lines)
    narrow = _lines(md, 40)
    assert not any(
        "Narrow column" in line and "Wide" in line for line in narrow
    )  # stacked when narrow


def test_ac_elements_out_of_place_show_their_content():
    assert _lines("> q\n>\n> ::: ac:rich-text-body\n> odd\n> :::\n") == ["▌ q", "▌", "▌ odd", ""]


def test_decision_list_items_get_the_decision_mark():
    palette = Palette(success="#123456")
    md = "::: adf:decision-list\n- We go with plan A\n- Ship the **linnet** build\n:::\n"
    lines = _lines(md)
    assert lines[:2] == ["⤷ We go with plan A", "⤷ Ship the linnet build"]
    assert "decision" not in _text(md) and "•" not in _text(md)
    assert f"38;2;{_rgb(palette.success)}m⤷" in _ansi(md, palette)


def test_other_adf_and_macro_heads_keep_their_titles():
    text = _text(
        '::: adf:panel panel-type="warning"\nCareful\n:::\n\n::: ui-tab title="Linux"\nBody\n:::\n'
    )
    assert "▌ Warning" in text and "ui tab · title: Linux" in text and "adf" not in text


# -- paragraphs and placeholders ------------------------------------------------------------------
def test_empty_paragraph_forms_are_empty_lines_and_invisible_placeholders_take_no_room():
    assert _lines("A\n\n⟦empty⟧\n\nB\n") == ["A", "", "", "", "B", ""]
    assert _lines("A\n\n\\\n\nB\n") == ["A", "", "", "", "B", ""]
    assert _lines("A\n\n⟦anchor: steps⟧\n\nB\n") == ["A", "", "B", ""]
    assert _lines("A\n\n⟦/div⟧\n\nB\n") == ["A", "", "B", ""]


def test_mention_ids_are_shown_whole_and_escaped_brackets_are_text():
    text = _text("By ⟦@557058:ana⟧ and ⟦@557058:bo⟧; \\⟦status: x⟧ is text.")
    assert "@557058:ana" in text and "@557058:bo" in text  # never cut to the same "@557058"
    assert "⟦status: x⟧ is text" in text and "\\" not in text


def test_emoji_short_names_and_include():
    text = _text(
        "⟦:tada:⟧ ⟦:+1:⟧ ⟦:partyparrot:⟧ ⟦:smile:⟧ ⟦:slight_smile:⟧\n\n"
        "⟦include: page:OPS/Other%20page⟧\n"
    )
    # a custom emoji's name shows as the name; Atlassian's short names Rich lacks as their emoji
    assert "🎉" in text and "👍" in text and ":partyparrot:" in text and "⟦" not in text
    assert ":slight_smile:" not in text and "🙂" in text
    assert "↪ included page OPS/Other page" in text


def test_links_inside_the_site_take_the_primary_colour():
    palette = Palette(primary="#123456", accent="#654321")
    out = _ansi(
        "[b](blog:OPS/2026-03-04/T) [a](attachment:r.pdf) [s](space:OPS) [w](https://x.example)",
        palette,
    )
    for word in "bas":
        assert f"{_rgb(palette.primary)}m{word}" in out
    assert f"{_rgb(palette.accent)}mw" in out  # a web link keeps the accent colour


# -- the dialect document itself --------------------------------------------------------------------
def _examples(doc: str) -> list[str]:
    """The ```` ```markdown ```` blocks of a document, each closed by the same fence at the same indent
    (the list-item example nests a fence one level deeper, which a CommonMark reader closes early)."""
    out, lines, n = [], doc.split("\n"), 0
    while n < len(lines):
        match = re.fullmatch(r"( *)(`{3,}|~{3,})markdown", lines[n])
        n += 1
        if match:
            indent, fence = match.groups()
            body = []
            while n < len(lines) and lines[n] != indent + fence:
                body.append(lines[n][len(indent) :])
                n += 1
            out.append("\n".join(body) + "\n")
    return out


def test_every_markdown_example_of_the_dialect_doc_renders_without_its_syntax():
    examples = _examples((ROOT / "docs" / "markdown-dialect.md").read_text())
    assert len(examples) >= 9
    for example in examples:
        text = _text(example, 100)
        for syntax in (":::", "<br>", "[!NOTE]", "- [ ]", "](", "||", "^^", "```", "⟦date", "⟦@"):
            assert syntax not in text, (syntax, example, text)


def test_the_forms_sample_renders_every_form():
    text = _text((Path(__file__).parent / "dialect_forms.md").read_text(), 100)
    for shown in (
        "Merged header",
        "second line",
        "Fenced header",
        "java  Main.java · collapsed",
        "plantuml",
        "Heading with",
        "Inside an HTML div.",
        "Narrow column",
        "⤷ We go with plan A",
        "▸ Summary line",
        "@557058:ana",
        "⟦literal⟧",
        "🎉",
        "a blog post",
    ):
        assert shown in text, shown
    for hidden in (":::", "^^ |", "||", "<br>", "html:", "macro:", "adf:", "⟦empty⟧", 'title="'):
        assert hidden not in text, hidden


def test_odd_and_hostile_forms_never_raise():
    odd = [
        "||",
        "| a || |\n| - | - | - |\n",
        "| ^^ |\n| - |\n| ^^ |\n",
        "| a |\n| - |\n| ^^ |\n| ^^ |\n",
        "> | a || b |\n> | - | - | - |\n> | ^^ | x | y |\n",
        "- | a || b |\n  | - | - | - |\n",
        "::: macro:section\ntext only\n:::\n",
        ":::: macro:section\n::: column\none\n:::\n::::\n",
        "::: html:h9\nx\n:::\n",
        "::: html:h2\n:::\n",
        "::: adf:decision-list\n:::\n",
        "::: adf:decision-list\ntext\n:::\n",
        '```java linenumbers="true" firstline="x"\ny\n```\n',
        "``` {}\nz\n```\n",
        '```title="\n```\n',
        "::::: table\n:::: tr\n::: td rowspan=99999999999999999999\nx\n:::\n::::\n:::::\n",
        "::::: table\n:::: tr\n::: td colspan=0\nx\n:::\n::::\n:::::\n",
        "::::: table\n:::::\n",
        "⟦empty⟧ ⟦/⟧ ⟦@⟧ ⟦::⟧",
    ]
    for md in odd:
        for width in (80, 12):
            _text(md, width)
    wide = "::::: table\n:::: tr\n::: td colspan=100000\nwide\n:::\n::::\n:::: tr\n::: td\na\n:::\n::::\n:::::\n"
    lines = _lines(wide, 400)
    assert (
        max(len(line) for line in lines) <= 64 * 4 + 1
    )  # the span is capped: no 100000-column grid
