"""The viewer labels a panel with the name Confluence gives it: a Confluence ``note`` panel reads
"Note", not "Warning" (its Markdown is ``> [!WARNING]``, the dialect's mapping), a ``warning``
panel "Warning", an ``info`` panel "Info", a ``tip`` panel "Tip". The panels come from a
conformance-suite page written for a real Confluence (tests/corpus/SOURCES.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.convert import markdown_to_storage, storage_to_markdown
from workbench.tui.render import alert_label, render_markdown
from workbench.tui.render_base import render_lines

CORPUS = Path(__file__).parent.parent / "corpus" / "conformance__06_macros.xml"


def _labels(markdown: str) -> list[str]:
    lines = [
        "".join(seg.text for seg in line).rstrip()
        for block in render_lines(render_markdown(markdown).blocks, 80)
        for line in block
    ]
    return [line.removeprefix("▌ ") for line in lines if line.startswith("▌ ")]


def test_confluences_panels_are_labelled_as_confluence_names_them():
    storage = CORPUS.read_text(encoding="utf-8")
    first = storage[: storage.index("A tip panel.") + 40]  # the four panels of C6.1, in order
    labels = _labels(storage_to_markdown(first))
    assert labels == [
        "Info",
        "An info panel. Its text must survive.",
        "Note",
        "A note panel.",
        "Warning",
        "A warning panel with bold inside.",
        "Tip",
        "A tip panel.",
    ], labels


@pytest.mark.parametrize(
    ("alert", "panel"),
    [
        ("NOTE", "info"),
        ("TIP", "tip"),
        ("IMPORTANT", "note"),
        ("WARNING", "note"),
        ("CAUTION", "warning"),
    ],
)
def test_an_alert_typed_in_the_editor_is_labelled_as_the_panel_it_is_saved_as(alert, panel):
    markdown = f"> [!{alert}]\n> Mind the gap.\n"
    assert f'ac:name="{panel}"' in markdown_to_storage(markdown)
    assert _labels(markdown)[0] == panel.title() == alert_label(alert)


def test_a_title_and_unknown_kinds_keep_their_words():
    assert _labels("> [!WARNING] Read first\n> Careful.\n")[0] == "Read first"
    assert _labels("> [!SUCCESS]\n> Done.\n")[0] == "Success"  # not a kind the converter knows
