"""The span-keeping tokenizer and the Markdown splitter: pure logic."""

from __future__ import annotations

from workbench.convert.mdsplit import item_parts, split_blocks, split_items, split_row
from workbench.convert.tokens import decode_entities, is_balanced, parse, text_of


def test_spans_cover_the_source_exactly():
    src = '<p a="1" b=\'2\'>x &amp; y<br/><![CDATA[<z>]]></p>\n<!-- c --><ac:x ac:y="v" />tail'
    root = parse(src)
    p, ws, comment, el, tail = root.children
    assert src[p.start : p.end] == "<p a=\"1\" b='2'>x &amp; y<br/><![CDATA[<z>]]></p>"
    assert (
        p.attrs == {"a": "1", "b": "2"}
        and src[p.open_end : p.close_start] == "x &amp; y<br/><![CDATA[<z>]]>"
    )
    assert [c.kind for c in p.children] == ["text", "el", "cdata"]
    assert text_of(src, p) == "x & y<z>"
    assert (ws.kind, comment.kind, el.selfclosing, tail.kind) == ("text", "comment", True, "text")


def test_malformed_input_never_raises():
    root = parse("<p>open <b>bold</p> stray</i> < not a tag <![CDATA[unterminated")
    p = root.children[0]
    assert p.closed and not p.children[1].closed  # <b> ends where </p> closes it
    assert any(c.kind == "stray" for c in root.children)
    assert root.children[-1].kind == "cdata"
    assert not is_balanced("<p><b>x</p>") and is_balanced("<p><b>x</b></p>")


def test_entities():
    assert decode_entities("&rsquo;&#65;&#x42;&amp;&bogus;") == "’AB&&bogus;"


def test_split_blocks_kinds():
    md = (
        "# H\n\npara\nline two\n- a\n  - b\n\n> [!NOTE] t\n> x\n\n> q\n\n```py\ncode\n\n```\n\n"
        "::: expand\nbody\n\n:::: x\ninner\n::::\n:::\n\n| a |\n| --- |\n\n---\n\n- [ ] t\n- [x] u"
    )
    kinds = [b.kind for b in split_blocks(md)]
    assert kinds == [
        "heading",
        "para",
        "list",
        "alert",
        "quote",
        "fence",
        "div",
        "table",
        "hr",
        "tasklist",
    ]


def test_items_and_rows():
    items = split_items("- a\n  more\n\n  para\n- b\n  ```\n  x\n  ```")
    assert items == ["- a\n  more\n\n  para", "- b\n  ```\n  x\n  ```"]
    assert item_parts(items[1]) == ("-", None, "b\n```\nx\n```")
    assert item_parts("- [x] done\n  next") == ("-", "x", "done\nnext")
    assert item_parts("12. twelve") == ("12.", None, "twelve")
    assert split_row("| a \\| b | `c` |  |") == ["a \\| b", "`c`", ""]


def test_the_spelled_out_whitespace_is_what_python_calls_whitespace():
    """The text reader's word class spells ``\\s`` out (a faster class for the regex engine): it must
    still be exactly ``str.isspace``, whatever the Unicode version of the Python running it."""
    import re

    from workbench.convert.inline import _WORD, SPACES

    spaces = re.compile(f"[{SPACES}]")
    word = re.compile(_WORD)
    with_backslash_s = re.compile(r"[^&\s\\`*_\[\]<⟦⟧~|]+")
    for code in range(0x110000):
        ch = chr(code)
        assert (spaces.match(ch) is not None) == ch.isspace(), hex(code)
        assert (word.fullmatch(ch) is None) == (with_backslash_s.fullmatch(ch) is None), hex(code)
