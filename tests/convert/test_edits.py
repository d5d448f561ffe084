"""Edits in every kind of container stay local; markup-touching edits keep what they do not touch."""

from __future__ import annotations

from tests.convert.helpers import assert_well_formed
from workbench.convert import markdown_to_storage, storage_to_markdown


def edit(storage: str, old: str, new: str, count: int = 1) -> str:
    md = storage_to_markdown(storage)
    assert md.count(old) >= 1, md
    out = markdown_to_storage(md.replace(old, new, count), base=storage)
    assert_well_formed(out)
    return out


ALERT = (
    '<ac:structured-macro ac:name="info" ac:schema-version="1" ac:macro-id="m-1">'
    '<ac:parameter ac:name="title">Heads up</ac:parameter><ac:rich-text-body>'
    '<p local-id="p1">The deploy window is Friday.</p><p local-id="p2">Ask Ana first.</p>'
    "</ac:rich-text-body></ac:structured-macro>"
)


def test_alert_markdown_and_word_edit():
    md = storage_to_markdown(ALERT)
    assert md == "> [!NOTE] Heads up\n> The deploy window is Friday.\n>\n> Ask Ana first.\n"
    assert edit(ALERT, "Friday", "Monday") == ALERT.replace("Friday", "Monday")


def test_alert_insert_and_delete_paragraph():
    out = edit(ALERT, "> Ask Ana first.", "> Ask Ana first.\n>\n> Then ship it.")
    assert out == ALERT.replace("Ask Ana first.</p>", "Ask Ana first.</p><p>Then ship it.</p>")
    out = edit(ALERT, ">\n> Ask Ana first.\n", "\n")
    assert out == ALERT.replace('<p local-id="p2">Ask Ana first.</p>', "")


def test_alert_type_and_title_change_edit_the_macro_in_place():
    out = edit(ALERT, "[!NOTE] Heads up", "[!CAUTION] Stop")
    assert out == ALERT.replace('ac:name="info"', 'ac:name="warning"').replace("Heads up", "Stop")


EXPAND = (
    '<h2 local-id="h">Details</h2>\n<ac:structured-macro ac:name="expand" ac:macro-id="e-1">'
    '<ac:parameter ac:name="title">Click</ac:parameter><ac:rich-text-body>\n'
    '<p class="x">Hidden text&rsquo;s body.</p>\n</ac:rich-text-body></ac:structured-macro>\n'
)


def test_expand_body_edit_keeps_entities_and_whitespace():
    md = storage_to_markdown(EXPAND)
    assert '::: expand title="Click"\nHidden text’s body.\n:::' in md
    assert edit(EXPAND, "Hidden", "Secret") == EXPAND.replace("Hidden", "Secret")
    out = edit(EXPAND, "Hidden text’s body.", "Hidden text’s body.\n\nMore.")
    assert out == EXPAND.replace("body.</p>", "body.</p>\n<p>More.</p>")


def test_heading_and_empty_paragraph_keep_attributes():
    s = '<h2 local-id="h1">Old title</h2><p local-id="e" />'
    md = storage_to_markdown(s)
    assert md == "## Old title\n\n⟦empty⟧\n"
    assert edit(s, "Old", "New") == s.replace("Old", "New")
    assert (
        edit(s, "⟦empty⟧", "Now text")
        == '<h2 local-id="h1">Old title</h2><p local-id="e">Now text</p>'
    )


LAYOUT = (
    '<ac:layout><ac:layout-section ac:type="two_equal" ac:breakout-mode="default">'
    "<ac:layout-cell><p>Left side</p></ac:layout-cell>"
    "<ac:layout-cell><p>Right side</p></ac:layout-cell>"
    "</ac:layout-section></ac:layout>"
)


def test_layout_cells_are_editable():
    md = storage_to_markdown(LAYOUT)
    assert md == (
        "::::: layout\n:::: section two_equal\n::: cell\nLeft side\n:::\n::: cell\nRight side\n:::\n"
        "::::\n:::::\n"
    )
    assert edit(LAYOUT, "Right", "Other") == LAYOUT.replace("Right", "Other")
    out = edit(LAYOUT, "Left side\n", "Left side\n\nSecond left\n")
    assert out == LAYOUT.replace("<p>Left side</p>", "<p>Left side</p><p>Second left</p>")


TABLE = (
    '<table data-layout="default"><tbody><tr><th><p>Key</p></th><th><p>Value</p></th></tr>'
    '<tr><td class="c"><p local-id="a">alpha</p></td><td><p>1 | 2</p></td></tr>'
    "<tr><td><p>beta</p></td><td><p>2</p></td></tr></tbody></table>"
)


def test_gfm_table_cell_edit_and_rows():
    md = storage_to_markdown(TABLE)
    assert md == "| Key | Value |\n| --- | --- |\n| alpha | 1 \\| 2 |\n| beta | 2 |\n"
    assert edit(TABLE, "alpha", "gamma") == TABLE.replace("alpha", "gamma")
    assert edit(TABLE, "1 \\| 2", "1 \\| 3") == TABLE.replace("1 | 2", "1 | 3")
    out = edit(TABLE, "| beta | 2 |", "| beta | 2 |\n| delta | 4 |")
    assert out == TABLE.replace("</tr></tbody>", "</tr><tr><td>delta</td><td>4</td></tr></tbody>")
    out = edit(TABLE, "| beta | 2 |\n", "")
    assert out == TABLE.replace("<tr><td><p>beta</p></td><td><p>2</p></td></tr>", "")


MERGED = (
    '<table><tbody><tr><th colspan="2">Both</th></tr>'
    '<tr><td rowspan="2"><p>Tall cell</p></td><td><ul><li>one</li><li>two</li></ul></td></tr>'
    "</tbody></table>"
)


def test_fallback_table_round_trips_and_edits_locally():
    md = storage_to_markdown(MERGED)
    assert "::: th colspan=2\nBoth\n:::" in md and "::: td rowspan=2" in md and "- one\n- two" in md
    assert markdown_to_storage(md, base=MERGED, fast=False) == MERGED
    assert edit(MERGED, "Tall", "Short") == MERGED.replace("Tall", "Short")
    assert edit(MERGED, "- two", "- two\n- three") == MERGED.replace(
        "<li>two</li>", "<li>two</li><li>three</li>"
    )


LIST = (
    '<ul>\n  <li>First\n    <ol start="3">\n      <li>inner a</li>\n      <li>inner b</li>\n    </ol>\n  </li>\n'
    '  <li><p local-id="x">Second</p></li>\n</ul>'
)


def test_list_items_nested():
    md = storage_to_markdown(LIST)
    assert md == "- First\n  3. inner a\n  4. inner b\n- Second\n"
    assert edit(LIST, "inner b", "inner c") == LIST.replace("inner b", "inner c")
    out = edit(LIST, "  4. inner b\n", "  4. inner b\n  5. inner new\n")
    assert out == LIST.replace("<li>inner b</li>", "<li>inner b</li>\n      <li>inner new</li>")
    out = edit(LIST, "  3. inner a\n", "")  # the list now starts at 4, as the Markdown says
    assert out == LIST.replace("      <li>inner a</li>\n", "").replace('start="3"', 'start="4"')
    assert edit(LIST, "- Second", "- Second item") == LIST.replace(">Second<", ">Second item<")


TASKS = (
    "<ac:task-list><ac:task><ac:task-id>7</ac:task-id><ac:task-uuid>u-7</ac:task-uuid>"
    "<ac:task-status>incomplete</ac:task-status><ac:task-body>Write docs by "
    '<time datetime="2026-10-26" /> with <ac:link><ri:user ri:account-id="557058:ana" /></ac:link></ac:task-body>'
    "</ac:task><ac:task><ac:task-id>9</ac:task-id><ac:task-status>complete</ac:task-status>"
    "<ac:task-body>Ship</ac:task-body></ac:task></ac:task-list>"
)


def test_task_lists():
    md = storage_to_markdown(TASKS)
    assert md == "- [ ] Write docs by ⟦date: 2026-10-26⟧ with ⟦@557058:ana⟧\n- [x] Ship\n"
    out = edit(TASKS, "- [ ] Write", "- [x] Write")
    assert out == TASKS.replace("incomplete", "complete", 1)
    assert edit(TASKS, "Write docs", "Write the docs") == TASKS.replace(
        "Write docs", "Write the docs"
    )
    out = edit(TASKS, "- [x] Ship", "- [x] Ship\n- [ ] Announce")
    assert out.endswith(
        "<ac:task><ac:task-id>10</ac:task-id><ac:task-status>incomplete</ac:task-status>"
        "<ac:task-body>Announce</ac:task-body></ac:task></ac:task-list>"
    )


CODE = (
    '<ac:structured-macro ac:name="code" ac:macro-id="c-1"><ac:parameter ac:name="language">python</ac:parameter>'
    '<ac:parameter ac:name="breakoutMode">wide</ac:parameter><ac:parameter ac:name="title">Example</ac:parameter>'
    "<ac:plain-text-body><![CDATA[print('hi')\n]]></ac:plain-text-body></ac:structured-macro>"
)


def test_code_block_body_and_language_edits():
    md = storage_to_markdown(CODE)
    assert md == "```python title=\"Example\"\nprint('hi')\n```\n"
    assert edit(CODE, "print('hi')", "print('bye')") == CODE.replace("hi", "bye")
    out = edit(CODE, "```python", "```ruby")
    assert out.startswith('<ac:structured-macro ac:name="code" ac:macro-id="c-1">')
    assert '<ac:parameter ac:name="language">ruby</ac:parameter>' in out
    assert '<ac:parameter ac:name="breakoutMode">wide</ac:parameter>' in out


PARA = (
    '<p local-id="p">See <ac:link><ri:page ri:space-key="OPS" ri:content-title="Incident runbook" '
    'ri:version-at-save="4" /><ac:link-body>the runbook</ac:link-body></ac:link>, it&rsquo;s '
    '<ac:structured-macro ac:name="status" ac:macro-id="s1"><ac:parameter ac:name="colour">Green</ac:parameter>'
    '<ac:parameter ac:name="title">On track</ac:parameter></ac:structured-macro> and '
    '<ac:inline-comment-marker ac:ref="r-1">under review</ac:inline-comment-marker> today.</p>'
)


def test_paragraph_with_constructs():
    md = storage_to_markdown(PARA)
    assert md == (
        "See [the runbook](page:OPS/Incident%20runbook), it’s ⟦status Green: On track⟧ and "
        "⟦comment⟧under review⟦/comment⟧ today.\n"
    )
    # plain words anywhere: a splice, entity spelling and every construct kept
    assert edit(PARA, "today", "tomorrow") == PARA.replace("today", "tomorrow")
    assert edit(PARA, "review", "discussion") == PARA.replace("under review", "under discussion")
    assert edit(PARA, "the runbook", "our runbook") == PARA.replace(
        ">the runbook<", ">our runbook<"
    )


def test_markup_edit_rerenders_but_restores_constructs():
    out = edit(PARA, "today", "**today**")
    assert out.startswith('<p local-id="p">') and "<strong>today</strong>" in out
    for piece in ('ri:version-at-save="4"', 'ac:macro-id="s1"', 'ac:ref="r-1"'):
        assert piece in out


def test_deleting_a_placeholder_deletes_the_construct():
    out = edit(PARA, " ⟦status Green: On track⟧", "")
    assert (
        "status" not in out
        and "ac:ref" in out
        and "it&rsquo;s and" in out.replace("it’s", "it&rsquo;s")
    )


def test_typed_placeholders_become_constructs():
    base = "<p>Hello</p>"
    out = edit(
        base,
        "Hello",
        "Hello\n\nState ⟦status Red: Blocked⟧ due ⟦date: 2026-10-26⟧ for ⟦@abc⟧\n\n⟦toc⟧",
    )
    assert (
        '<ac:parameter ac:name="colour">Red</ac:parameter><ac:parameter ac:name="title">Blocked</ac:parameter>'
        in out
    )
    assert '<time datetime="2026-10-26" />' in out and '<ri:user ri:account-id="abc" />' in out
    assert out.endswith('<ac:structured-macro ac:name="toc" />')


def test_moving_a_placeholder_to_a_new_paragraph_restores_its_source():
    s = (
        '<p>A <ac:structured-macro ac:name="status" ac:macro-id="z"><ac:parameter '
        'ac:name="title">X</ac:parameter></ac:structured-macro></p><p>B</p>'
    )
    out = edit(s, "B", "B ⟦status: X⟧")
    assert out.count('ac:macro-id="z"') == 2


IMAGE = (
    '<p>Logo <ac:image ac:align="center" ac:width="300" ac:alt="logo"><ri:attachment ri:filename="logo.svg" '
    'ri:version-at-save="2" /><ac:caption>Our logo</ac:caption></ac:image> and a blog '
    '<ac:link><ri:blog-post ri:space-key="OPS" ri:content-title="Launch" ri:posting-day="2026/03/04" /></ac:link>.</p>'
)


def test_images_and_links_keep_identity_and_attributes_through_a_rerender():
    md = storage_to_markdown(IMAGE)
    assert (
        md == "Logo ![logo](attachment:logo.svg) and a blog [Launch](blog:OPS/2026-03-04/Launch).\n"
    )
    out = edit(IMAGE, "Logo", "**Logo**")
    assert out == IMAGE.replace("<p>Logo ", "<p><strong>Logo</strong> ")
    # a new image typed next to it is a real attachment image
    out = edit(IMAGE, "and a blog", "and ![chart](attachment:chart.png) a blog")
    assert '<ac:image ac:alt="chart"><ri:attachment ri:filename="chart.png" /></ac:image>' in out
    assert 'ri:version-at-save="2" /><ac:caption>Our logo</ac:caption>' in out


def test_edit_next_to_a_transparent_tag_stays_inside_it():
    s = '<p>Text in <span style="color: red;">red words</span> here</p>'
    assert storage_to_markdown(s) == "Text in red words here\n"
    assert edit(s, "red words", "red letters") == s.replace("red words", "red letters")
    assert edit(s, "here", "there") == s.replace("here", "there")


def test_moving_blocks_keeps_their_source():
    s = (
        '<p local-id="a">First</p><ac:structured-macro ac:name="expand" ac:macro-id="x"><ac:rich-text-body>'
        '<p>Body</p></ac:rich-text-body></ac:structured-macro><p local-id="c">Last</p>'
    )
    md = storage_to_markdown(s)
    blocks = md.strip("\n").split("\n\n")
    moved = "\n\n".join([blocks[2], blocks[0], blocks[1]])
    out = markdown_to_storage(moved, base=s)
    assert (
        out
        == '<p local-id="c">Last</p><p local-id="a">First</p>'
        + s[s.index("<ac:structured-macro") : s.index('<p local-id="c">')]
    )


def test_gfm_table_add_and_remove_a_column_keeps_other_cells():
    s = (
        '<table><tbody><tr><th local-id="1"><p>A</p></th><th><p>B</p>'
        '</th></tr><tr><td class="k"><p>a1</p></td><td><p>b1</p></td>'
        "</tr></tbody></table>"
    )
    out = edit(
        s,
        "| A | B |\n| --- | --- |\n| a1 | b1 |",
        "| A | N | B |\n| --- | --- | --- |\n| a1 | n1 | b1 |",
    )
    assert out == s.replace("<th><p>B</p></th>", "<th>N</th><th><p>B</p></th>").replace(
        "<td><p>b1</p></td>", "<td>n1</td><td><p>b1</p></td>"
    )
    out = edit(s, "| A | B |\n| --- | --- |\n| a1 | b1 |", "| B |\n| --- |\n| b1 |")
    assert (
        out == "<table><tbody><tr><th><p>B</p></th></tr><tr><td><p>b1</p></td></tr></tbody></table>"
    )


def test_markup_edits_rerender_only_the_touched_piece():
    assert edit(PARA, "today", "**today**") == PARA.replace(" today.", " <strong>today</strong>.")
    s = '<p local-id="q">Use <code>foo()</code>, it&rsquo;s <span style="color: red;">red</span> &amp; fine</p>'
    assert edit(s, "`foo()`", "`bar()`") == s.replace("<code>foo()</code>", "<code>bar()</code>")
    out = edit(s, "fine", "[fine](page:OPS/Fine)")
    link = '<ac:link><ri:page ri:space-key="OPS" ri:content-title="Fine" /><ac:link-body>fine</ac:link-body></ac:link>'
    assert out == s.replace(" fine</p>", f" {link}</p>")
    out = edit(
        PARA, "[the runbook](page:OPS/Incident%20runbook)", "[the runbook](page:OPS/Runbook)"
    )
    assert out.startswith(
        '<p local-id="p">See <ac:link><ri:page ri:space-key="OPS" ri:content-title="Runbook" />'
    )
    assert out.endswith(PARA[PARA.index(", it&rsquo;s") :])


def test_mentions_with_display_names():
    from workbench.convert import mentioned_accounts

    s = (
        '<p>Ask <ac:link><ri:user ri:account-id="557058:ana" /></ac:link>'
        ' or <ac:link><ri:user ri:account-id="x-bo" /></ac:link>.</p>'
    )
    assert mentioned_accounts(s) == ["557058:ana", "x-bo"]
    users = {"557058:ana": "Ana Lopez", "x-bo": "Bo"}
    md = storage_to_markdown(s, users=users)
    assert md == "Ask ⟦@Ana Lopez⟧ or ⟦@Bo⟧.\n"
    assert markdown_to_storage(md, base=s, users=users, fast=False) == s
    assert markdown_to_storage(md.replace("Ask", "Ping"), base=s, users=users) == s.replace(
        "Ask", "Ping"
    )
    out = markdown_to_storage(md.replace(".", ", cc ⟦@Ana Lopez⟧ and ⟦@Bo⟧."), base=s, users=users)
    assert out.count('ri:account-id="557058:ana"') == 2 and out.count('ri:account-id="x-bo"') == 2
    assert '<ri:user ri:account-id="557058:ana" />' in markdown_to_storage(
        "Hi ⟦@Ana Lopez⟧", users=users
    )
    # without names the account id shows, and still round-trips
    assert storage_to_markdown(s) == "Ask ⟦@557058:ana⟧ or ⟦@x-bo⟧.\n"


def test_new_paragraph_next_to_loose_text_gets_its_own_tag():
    s = (
        '<ac:structured-macro ac:name="info"><ac:rich-text-body>This '
        "is an info!</ac:rich-text-body></ac:structured-macro><ul><li>"
        "one</li></ul>"
    )
    out = edit(s, "> This is an info!", "> This is an info!\n>\n> More.")
    assert out == s.replace("info!</ac", "info!<p>More.</p></ac")
    out = edit(s, "- one", "- one\n\n  two")
    assert out == s.replace("<li>one</li>", "<li>one<p>two</p></li>")
    assert edit(s, "- one", "- uno") == s.replace("one", "uno")


def test_numbers_at_line_starts_in_code_are_content():
    s = (
        '<ac:structured-macro ac:name="code"><ac:plain-text-body><![CDATA[1. first\n2. second]]></ac:plain-text-body>'
        "</ac:structured-macro><ol><li>a</li><li>b</li></ol>"
    )
    assert edit(s, "2. second", "3. second") == s.replace("2. second", "3. second")
    assert edit(s, "1. a\n", "1. z\n2. a\n") == s.replace(
        "<ol><li>a</li>", "<ol><li>z</li><li>a</li>"
    )


def test_renumbering_the_first_item_sets_the_list_start():
    s = '<ol class="x"><li>a</li><li>b</li></ol>'
    assert (
        edit(s, "1. a\n2. b", "4. a\n5. b") == '<ol start="4" class="x"><li>a</li><li>b</li></ol>'
    )
    s = '<ol start="3"><li>a</li></ol>'
    assert edit(s, "3. a", "1. a") == "<ol><li>a</li></ol>"
    assert edit(s, "3. a", "3. b") == s.replace(">a<", ">b<")


def test_conversions_in_threads_do_not_interfere():
    from concurrent.futures import ThreadPoolExecutor

    from tests.convert.helpers import CORPUS_FILES, read

    docs = [read(p) for p in CORPUS_FILES] * 3

    def work(s: str) -> bool:
        md = storage_to_markdown(s)
        fresh = markdown_to_storage(
            md + "\n\nA `⟦status: OK⟧` and [x](https://e/⟦@a⟧) ⟦status: OK⟧.\n", base=s
        )
        return (
            markdown_to_storage(md, base=s, fast=False) == s
            and "<code>⟦status: OK⟧</code>" in fresh
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(work, docs))


def test_empty_self_closing_cell_paragraph_stays_a_gfm_table_and_is_editable():
    s = (
        "<table><tbody><tr><th><p>A</p></th><th><p>B</p></th></tr><tr>"
        '<td><p local-id="x" /></td><td><p>b</p></td></tr></tbody></table>'
    )
    assert storage_to_markdown(s) == "| A | B |\n| --- | --- |\n|  | b |\n"
    assert edit(s, "|  | b |", "| new | b |") == s.replace(
        '<p local-id="x" />', '<p local-id="x">new</p>'
    )
