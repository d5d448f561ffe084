"""The editor on a huge line: the memory it takes is a small multiple of the text's own size
(tracemalloc's peak, a ratio — no timing), however many keys are typed into it; and the lean helpers
that make it so (``workbench.tui.widgets.editor_memory``) answer exactly as Textual's own, checked
against them on generated text."""

from __future__ import annotations

import gc
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult

from workbench.tui.widgets import editor_memory
from workbench.tui.widgets.editor import MdEditor
from workbench.tui.widgets.editor_memory import ORIGINAL, ByteOffsets, ascii_wrap_offsets

#: The characters of the huge line (one word: Textual folds it across the editor's rows).
HUGE = 400_000
#: Bytes of memory per character of the page the editor may take at its peak (it took ~140).
BUDGET = 25


class _EditorApp(App[None]):
    def compose(self) -> ComposeResult:
        yield MdEditor(id="editor")


async def test_a_huge_line_costs_the_editor_a_small_multiple_of_its_size_at_most():
    page = "# Rollback\n\nRoll back with " + "x" * HUGE + " the previous tag.\n\n- ask *first*\n"
    app = _EditorApp()
    async with app.run_test(size=(100, 30)) as pilot:
        editor = app.query_one(MdEditor)
        editor.focus()
        await pilot.pause()
        gc.collect()
        tracemalloc.start()
        try:
            editor.load_text(page)  # the document, its syntax tree, the wrapping
            await pilot.pause()  # drawn, highlighted
            loaded, _ = tracemalloc.get_traced_memory()
            editor.move_cursor((2, len("Roll back with ") + HUGE // 2))
            for key in "abc":  # typed in the middle of the huge line
                await pilot.press(key)
            await pilot.pause()
            gc.collect()
            typed, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        line = editor.document.lines[2]
    assert len(line) == len("Roll back with  the previous tag.") + HUGE + 3
    assert "x" * (HUGE // 2 - 1) + "abc" + "x" in line  # typed where the cursor was
    ratio = peak / len(page)
    assert ratio <= BUDGET, f"{ratio:.1f} bytes per character at the peak (budget {BUDGET})"
    # keys typed into it keep nothing of the line's earlier versions
    assert typed - loaded <= 2 * len(page), f"{(typed - loaded) / len(page):.1f} B/char kept"


def test_the_lean_helpers_are_in_textual():
    import textual.document._syntax_aware_document as syntax_document
    import textual.document._wrapped_document as wrapped
    import textual.widgets._text_area as text_area

    assert editor_memory.install()  # the editor installed them; a second call changes nothing
    assert isinstance(text_area.build_byte_to_codepoint_dict(b"\xc3\xa9" * 5000), ByteOffsets)
    assert wrapped.compute_wrap_offsets is not ORIGINAL["compute_wrap_offsets"]
    assert syntax_document.Parser is editor_memory.WholeTextParser


TEXT = st.text(
    alphabet=st.sampled_from(["a", "b", " ", "é", "ß", "€", "😀", "\t", "世", "-"]), max_size=80
)


@given(TEXT)
@settings(max_examples=200, deadline=None)
def test_byte_offsets_are_textuals_dict(text):
    data = text.encode("utf-8")
    expected = ORIGINAL["build_byte_to_codepoint_dict"](data)
    offsets = ByteOffsets(data)
    assert dict(offsets) == expected and len(offsets) == len(expected)
    for offset in range(-2, len(data) + 3):  # every offset, also inside a character and past it
        assert offsets.get(offset) == expected.get(offset)
        assert offsets.get(offset, 0) == expected.get(offset, 0)


@given(
    st.text(alphabet=st.sampled_from(["a", "b", "c", " ", "-", "."]), max_size=120),
    st.integers(min_value=1, max_value=25),
    st.booleans(),
)
@settings(max_examples=300, deadline=None)
def test_ascii_wrapping_is_textuals(text, width, fold):
    expected = ORIGINAL["compute_wrap_offsets"](text, width, 4, fold)
    assert ascii_wrap_offsets(text, width, fold) == expected


@pytest.mark.parametrize("width", [1, 7, 80])
def test_wrapping_other_text_is_left_to_textual(width):
    import textual.document._wrapped_document as wrapped

    for text in ("tab\there and there", "wide 世界 characters " * 3, "ctrl\x01char " * 4, ""):
        assert wrapped.compute_wrap_offsets(text, width, 4) == ORIGINAL["compute_wrap_offsets"](
            text, width, 4
        )


def test_encoding_answers_as_before_for_short_and_long_strings():
    import textual.widgets._text_area as text_area

    long = "é" + "x" * 10_000
    for text in ("", "short é", long, long):
        assert text_area._utf8_encode(text) == text.encode("utf-8")


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_the_syntax_tree_is_the_one_the_read_callable_gives(newline):
    from textual._tree_sitter import get_language
    from textual.document._syntax_aware_document import SyntaxAwareDocument

    language = get_language("markdown")
    text = newline.join(["# Title", "", "Some *text* é", "", "- a", "- `b`", ""])
    document = SyntaxAwareDocument(text, language)
    by_callable = ORIGINAL["Parser"](language)
    tree = by_callable.parse(document._read_callable)
    assert str(document._syntax_tree.root_node) == str(tree.root_node)
    for start, end, insert in (
        ((2, 5), (2, 5), "**bold** "),
        ((0, 0), (1, 0), ""),
        ((4, 3), (5, 2), "x\n- y"),
    ):
        document.replace_range(start, end, insert)
        fresh = by_callable.parse(document._read_callable)  # from scratch, the old way
        assert str(document._syntax_tree.root_node) == str(fresh.root_node)
