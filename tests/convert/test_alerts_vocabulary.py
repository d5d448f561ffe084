"""The alert/panel vocabulary comes from one table (``workbench.convert.alerts``): writing, reading
back, editing the head line and the index's plain text all follow it."""

from __future__ import annotations

import pytest

from workbench.convert import markdown_to_storage, storage_to_markdown
from workbench.convert.alerts import (
    ALERT_KINDS,
    ALERT_OF_PANEL,
    DEFAULT_PANEL,
    PANEL_OF_ALERT,
    panel_for,
)
from workbench.index.text import markdown_text


def test_the_table_is_consistent():
    assert set(PANEL_OF_ALERT.values()) == set(
        ALERT_OF_PANEL
    )  # every panel is written by some kind
    for panel, kind in ALERT_OF_PANEL.items():
        assert (
            PANEL_OF_ALERT[kind] == panel
        )  # the kind a panel is read as saves as that panel again
    assert (
        panel_for("tip") == "tip"
        and panel_for("Caution") == "warning"
        and panel_for("SUCCESS") == DEFAULT_PANEL
    )


@pytest.mark.parametrize("kind", ALERT_KINDS)
def test_every_kind_is_saved_as_its_panel_and_read_back_as_the_panel_s_kind(kind):
    storage = markdown_to_storage(f"> [!{kind}] Heads up\n> Mind the gap.\n")
    panel = PANEL_OF_ALERT[kind]
    assert f'ac:name="{panel}"' in storage
    again = storage_to_markdown(storage)
    assert f"[!{ALERT_OF_PANEL[panel]}]" in again and "Mind the gap." in again


@pytest.mark.parametrize("panel", sorted(ALERT_OF_PANEL))
def test_every_panel_round_trips(panel):
    storage = (
        f'<ac:structured-macro ac:name="{panel}"><ac:rich-text-body><p>Body text</p>'
        "</ac:rich-text-body></ac:structured-macro>"
    )
    markdown = storage_to_markdown(storage)
    assert markdown.lstrip("> ").startswith(f"[!{ALERT_OF_PANEL[panel]}]")
    assert markdown_to_storage(markdown, storage) == storage


def test_changing_the_kind_in_the_head_line_changes_the_panel():
    storage = markdown_to_storage("> [!TIP]\n> Use the cache.\n")
    markdown = storage_to_markdown(storage).replace("[!TIP]", "[!CAUTION]")
    assert 'ac:name="warning"' in markdown_to_storage(markdown, storage)


@pytest.mark.parametrize("kind", ALERT_KINDS)
def test_the_index_text_drops_every_marker(kind):
    assert markdown_text(f"> [!{kind}] Title\n> words").split() == ["Title", "words"]
