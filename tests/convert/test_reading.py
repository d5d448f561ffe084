"""Issue 19, "Markdown a person reads right" and "fresh Markdown → storage": what a GitHub reader sees
is what the page holds, and Markdown written by people becomes the storage they mean."""

from __future__ import annotations

import pytest

from tests.convert.helpers import assert_well_formed
from workbench.convert import local_attachment, markdown_to_storage, storage_to_markdown


def round_trip(storage: str) -> str:
    md = storage_to_markdown(storage)
    assert markdown_to_storage(md, base=storage, fast=False) == storage
    fresh = markdown_to_storage(md)
    assert_well_formed(fresh)
    assert storage_to_markdown(fresh) == md  # the Markdown means the same page when typed fresh
    return md


@pytest.mark.parametrize(
    ("storage", "md"),
    [
        ("<p>---</p>", "\\---\n"),
        ("<p>--------</p>", "\\--------\n"),
        ("<p>text<br/>===</p>", "text\\\n\\===\n"),
        ("<p>text<br/>--</p>", "text\\\n\\--\n"),
        (
            "<p>&amp;copy; and &amp;nbsp; and &amp;#169; and AT&amp;T</p>",
            "\\&copy; and \\&nbsp; and \\&#169; and AT&T\n",
        ),
        ("<h3>Ends with ##</h3>", "### Ends with \\##\n"),
        ("<h2>C# and F#</h2>", "## C# and F#\n"),
        ("<p><em> spaced </em>tail</p>", "*spaced* tail\n"),
        ("<p>x<strong> bold </strong>y</p>", "x **bold** y\n"),
    ],
)
def test_markdown_that_github_reads_as_the_page(storage, md):
    assert round_trip(storage) == md


def test_decision_lists_are_readable_and_editable():
    s = (
        '<ac:adf-extension><ac:adf-node type="decision-list"><ac:adf-attribute key="local-id">L</ac:adf-attribute>'
        '<ac:adf-node type="decision-item"><ac:adf-attribute key="local-id">1</ac:adf-attribute>'
        '<ac:adf-attribute key="state">DECIDED</ac:adf-attribute><ac:adf-content>'
        "We chose the robin plan</ac:adf-content>"
        '</ac:adf-node></ac:adf-node><ac:adf-fallback><ul class="decision-list">'
        "<li>We chose</li></ul></ac:adf-fallback></ac:adf-extension>"
    )
    md = storage_to_markdown(s)
    assert md == "::: adf:decision-list\n- We chose the robin plan\n:::\n"
    assert markdown_to_storage(md.replace("robin", "wren"), base=s) == s.replace("robin", "wren")
    out = markdown_to_storage(md.replace("plan\n", "plan\n- And the finch one\n"), base=s)
    assert out == s.replace(
        "plan</ac:adf-content></ac:adf-node>",
        'plan</ac:adf-content></ac:adf-node><ac:adf-node type="decision-item"><ac:adf-attribute key="state">DECIDED'
        "</ac:adf-attribute><ac:adf-content>And the finch one</ac:adf-content></ac:adf-node>",
    )
    fresh = markdown_to_storage(md)
    assert_well_formed(fresh)
    assert '<ac:adf-node type="decision-item">' in fresh and storage_to_markdown(fresh) == md


def test_content_after_an_unclosed_paragraph_is_readable():
    s = "<p>Unclosed about a newt<p>Second about a toad</p><ul><li>item</li></ul>"
    md = storage_to_markdown(s)
    assert md == "Unclosed about a newt\n\nSecond about a toad\n\n- item\n"
    assert markdown_to_storage(md.replace("toad", "frog"), base=s) == s.replace("toad", "frog")
    assert markdown_to_storage(md.replace("newt", "eft"), base=s) == s.replace("newt", "eft")


def test_misnested_and_stray_tags_show_no_raw_tags():
    s = (
        '<p><strong>bold <ac:inline-comment-marker ac:ref="r">marked</strong>'
        " rest</ac:inline-comment-marker></p><p>a</p></div>"
    )
    md = storage_to_markdown(s)
    assert "<" not in md and "marked" in md and "rest" in md
    assert markdown_to_storage(md, base=s, fast=False) == s
    assert markdown_to_storage(md.replace("rest", "the rest"), base=s) == s.replace(
        " rest", " the rest"
    )


def test_a_closed_paragraph_holding_a_list_shows_the_list():
    s = "<p>text<ul><li>a</li></ul></p>"
    assert round_trip(s) == "::: html:p\ntext\n\n- a\n:::\n"


# -- tables --------------------------------------------------------------------------------------------
MERGED = (
    '<table><tbody><tr><th colspan="2"><p>Both</p></th><th><p>Third</p></th></tr>'
    '<tr><td rowspan="2"><p>Tall</p></td><td><p>b1</p></td><td><p>c1</p></td></tr>'
    "<tr><td><p>b2</p></td><td><p>c2</p></td></tr></tbody></table>"
)


def test_merged_cells_read_as_a_compact_table():
    md = round_trip(MERGED)
    assert md == "| Both || Third |\n| --- | --- | --- |\n| Tall | b1 | c1 |\n| ^^ | b2 | c2 |\n"
    assert markdown_to_storage(md.replace("b2", "bee"), base=MERGED) == MERGED.replace("b2", "bee")
    assert markdown_to_storage(md.replace("Both", "All"), base=MERGED) == MERGED.replace(
        "Both", "All"
    )


def test_changing_the_merges_rewrites_the_table_it_says():
    md = storage_to_markdown(MERGED)
    out = markdown_to_storage(md.replace("| ^^ | b2 |", "| new | b2 |"), base=MERGED)
    assert_well_formed(out)
    assert '<td rowspan="2">' not in out and "<td>new</td>" in out
    assert storage_to_markdown(out) == md.replace("| ^^ | b2 |", "| new | b2 |")


def test_line_breaks_and_alignment_in_gfm_tables():
    s = (
        '<table><tbody><tr><th style="text-align: center;"><p>A</p></th><th><p>B</p></th></tr>'
        '<tr><td style="text-align:center"><p>x<br/>y</p></td><td><p>z</p></td></tr></tbody></table>'
    )
    md = round_trip(s)
    assert md == "| A | B |\n| :---: | --- |\n| x<br>y | z |\n"
    assert markdown_to_storage(md.replace("z |", "w |"), base=s) == s.replace(">z<", ">w<")
    out = markdown_to_storage(md.replace("| z |", "| z |\n| new | row |"), base=s)
    assert out == s.replace(
        "</tr></tbody>",
        '</tr><tr><td style="text-align: center;">new</td><td>row</td></tr></tbody>',
    )


def test_text_that_looks_like_a_merge_marker_is_escaped():
    s = "<table><tbody><tr><td><p>^^</p></td><td><p>x</p></td></tr></tbody></table>"
    assert round_trip(s) == "| \\^^ | x |\n| --- | --- |\n"


def test_tables_with_blocks_in_cells_keep_the_container_form():
    s = "<table><tbody><tr><td><ul><li>a</li></ul></td></tr></tbody></table>"
    assert round_trip(s).startswith("::::: table\n")


# -- fresh Markdown ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("md", "storage"),
    [
        ("Title\n=====\n", "<h1>Title</h1>"),
        ("Sub title\n---\n\ntext", "<h2>Sub title</h2><p>text</p>"),
        ("Two lines\nof title\n===", "<h1>Two lines\nof title</h1>"),
        ("## Closing ##", "<h2>Closing</h2>"),
        (
            "![d](diagram.png)",
            '<p><ac:image ac:alt="d"><ri:attachment ri:filename="diagram.png" /></ac:image></p>',
        ),
        ("![d](img/d%20x.png?raw=true)", '<ri:attachment ri:filename="d x.png" />'),
        (
            "[spec](docs/spec.pdf)",
            '<ac:link><ri:attachment ri:filename="spec.pdf" /><ac:link-body>spec</ac:link-body></ac:link>',
        ),
        (
            "[guide](GUIDE.md#install)",
            '<ac:link ac:anchor="install"><ri:attachment ri:filename="GUIDE.md" />',
        ),
        (
            "[x](/abs/path) [y](https://e.com/y)",
            '<a href="/abs/path">x</a> <a href="https://e.com/y">y</a>',
        ),
        (
            "see [the docs][d]\n\n[d]: https://docs.example.com",
            '<p>see <a href="https://docs.example.com">the docs</a></p>',
        ),
        (
            "text\n\n    indented code\n    more",
            '<p>text</p><ac:structured-macro ac:name="code"><ac:plain-text-body><![CDATA[indented code\nmore]]>',
        ),
        ("* a\n\n* b", "<ul><li>a</li><li>b</li></ul>"),
        ("* a lazy\ncontinued line\n* b", "<ul><li>a lazy\ncontinued line</li><li>b</li></ul>"),
        ("- a\n\n* b", "<ul><li>a</li></ul><ul><li>b</li></ul>"),
        (
            "| a | b |\n| :-- | --: |\n| 1 | 2 |",
            '<th style="text-align: left;">a</th><th style="text-align: right;">b</th>',
        ),
        (
            '<p align="center"><img src="logo.png" alt="Logo" width="100"></p>',
            (
                '<p style="text-align: center;"><ac:image ac:alt="Logo" ac:width="100">'
                '<ri:attachment ri:filename="logo.png" /></ac:image></p>'
            ),
        ),
        (
            "<details>\n<summary>More</summary>\n\n- hidden\n\n</details>",
            (
                '<ac:structured-macro ac:name="expand"><ac:parameter ac:name="title">'
                "More</ac:parameter><ac:rich-text-body><ul><li>hidden</li></ul>"
                "</ac:rich-text-body></ac:structured-macro>"
            ),
        ),
        ('<div align="center">\n\n# Big\n\n</div>', '<h1 style="text-align: center;">Big</h1>'),
        (
            "a <kbd>Ctrl</kbd>+<b>b</b><br>next <!-- hidden -->",
            "<p>a <code>Ctrl</code>+<strong>b</strong><br />next </p>",
        ),
        (
            '<a href="javascript:alert(1)">x</a> <img src=x onerror=alert(1)>',
            '<p>x <ac:image><ri:attachment ri:filename="x" /></ac:image></p>',
        ),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        (
            '<iframe src="https://evil"></iframe>',
            '<p>&lt;iframe src="https://evil"&gt;&lt;/iframe&gt;</p>',
        ),
    ],
)
def test_fresh_markdown_as_github_reads_it(md, storage):
    out = markdown_to_storage(md)
    assert_well_formed(out)
    assert storage in out, out


def test_fence_parameters_stay_visible_and_pandoc_info_gives_the_language():
    out = markdown_to_storage('``` {.sourceCode .python}\nx\n```\n\n```go hl_lines="3 6"\ny\n```\n')
    assert out.count('<ac:parameter ac:name="language">python</ac:parameter>') == 1
    assert storage_to_markdown(out) == '```python\nx\n```\n\n```go hl_lines="3 6"\ny\n```\n'


def test_local_attachment_rule_is_public_for_uploaders():
    assert local_attachment("img/diagram.png") == "diagram.png"
    assert local_attachment("./a%20b.pdf#page=2") == "a b.pdf"
    for url in (
        "https://e.com/x.png",
        "/abs/x.png",
        "#anchor",
        "docs/",
        "mailto:a@b",
        "attachment:x.png",
        "",
    ):
        assert local_attachment(url) is None, url


def test_adjacent_lists_are_written_with_another_marker():
    s = "<ul><li>a</li></ul><ul><li>b</li></ul><ol><li>c</li></ol><ol><li>d</li></ol>"
    assert round_trip(s) == "- a\n\n* b\n\n1. c\n\n1) d\n"


def test_deleting_the_paragraph_between_two_lists_keeps_two_lists():
    s = "<ul><li>a</li></ul><p>middle</p><ul><li>b</li></ul>"
    md = storage_to_markdown(s)
    assert markdown_to_storage(md.replace("middle\n\n", ""), base=s) == s.replace(
        "<p>middle</p>", ""
    )


def test_html_section_pasted_into_an_existing_page():
    s = '<p local-id="a">Intro</p><p>End</p>'
    md = storage_to_markdown(s).replace(
        "Intro\n", "Intro\n\n<details>\n<summary>More</summary>\n\n- hidden\n\n</details>\n"
    )
    expand = (
        '<ac:structured-macro ac:name="expand"><ac:parameter ac:name="title">More</ac:parameter>'
        "<ac:rich-text-body><ul><li>hidden</li></ul></ac:rich-text-body></ac:structured-macro>"
    )
    assert markdown_to_storage(md, base=s) == s.replace("</p><p>End", "</p>" + expand + "<p>End")
