"""Emoticons show as their emoji in the viewer; the page's Markdown keeps the placeholders (the
storage round trip is not the viewer's business)."""

from __future__ import annotations

import pytest

from workbench.tui.emoticons import storage_emoji, with_emoji
from workbench.tui.render import render_lines, render_markdown

from .helpers import open_page, viewer_text


def _shown(markdown: str) -> str:
    doc = render_markdown(markdown)
    return "\n".join(
        "".join(seg.text for seg in line)
        for block in render_lines(doc.blocks, 80)
        for line in block
    )


@pytest.mark.parametrize(
    "storage, name, emoji",
    [
        # Cloud: short name, code point and the character (the demo's and Confluence's form)
        (
            '<ac:emoticon ac:name="smile" ac:emoji-shortname=":slight_smile:" '
            'ac:emoji-id="1f642" ac:emoji-fallback="🙂"/>',
            "slight_smile",
            "🙂",
        ),
        # the fallback as a character reference (hunyadi/md2conf quotes this form)
        (
            '<ac:emoticon ac:name="wink" ac:emoji-shortname=":wink:" ac:emoji-id="1f609" '
            'ac:emoji-fallback="&#128521;"/>',
            "wink",
            "😉",
        ),
        # a legacy name carrying a modern emoji: the short name wins
        (
            '<ac:emoticon ac:name="blue-star" ac:emoji-shortname=":heavy_plus_sign:" '
            'ac:emoji-id="2795" ac:emoji-fallback="&#10133;"/>',
            "heavy_plus_sign",
            "➕",
        ),
        # only the code points
        ('<ac:emoticon ac:emoji-shortname=":rocket:" ac:emoji-id="1f680"/>', "rocket", "🚀"),
    ],
)
def test_the_storage_says_which_character(storage, name, emoji):
    assert storage_emoji(f"<p>x {storage} y</p>") == {name: emoji}
    assert with_emoji(f"x ⟦:{name}:⟧ y", storage) == f"x {emoji} y"


def test_custom_emoji_and_escapes_stay_as_they_are():
    custom = (
        '<ac:emoticon ac:name="blue-star" ac:emoji-shortname=":partyparrot:" '
        'ac:emoji-id="a51a7674-8d5d-4495-a2d2-a67c09f32f67" ac:emoji-fallback=":partyparrot:"/>'
    )
    assert storage_emoji(custom) == {}
    assert with_emoji("⟦:partyparrot:⟧", custom) == "⟦:partyparrot:⟧"  # the renderer shows the name
    assert with_emoji("\\⟦:slight_smile:⟧") == "\\⟦:slight_smile:⟧"  # an escaped bracket is text
    assert ":partyparrot:" in _shown("a ⟦:partyparrot:⟧ b")


def test_atlassian_short_names_without_storage_still_show_their_emoji():
    # Atlassian's own tick is a custom emoji: ac:emoji-id="atlassian-check_mark",
    # ac:emoji-fallback=":check_mark:" — no character in the storage, the name table answers
    storage = (
        '<ac:emoticon ac:name="tick" ac:emoji-shortname=":check_mark:" '
        'ac:emoji-id="atlassian-check_mark" ac:emoji-fallback=":check_mark:"/>'
    )
    assert storage_emoji(storage) == {}
    assert with_emoji("done ⟦:check_mark:⟧", storage) == "done ✅"
    shown = _shown("a ⟦:slight_smile:⟧ b ⟦:check_mark:⟧ c ⟦:smile:⟧ d ⟦:tick:⟧")
    assert "⟦" not in shown and ":slight_smile:" not in shown and ":check_mark:" not in shown
    assert "🙂" in shown and "✅" in shown


@pytest.mark.parametrize(
    "title",
    ["Onboarding: your first week", "Development environment setup", "2026-11-17 Product sync"],
)
async def test_demo_pages_show_emoji_and_keep_the_placeholders(started, demo_server, title):
    app, pilot = started
    await open_page(app, pilot, demo_server, title)
    text = viewer_text(app)
    markdown = app.workspace.current.markdown
    assert "⟦:" in markdown  # the page's Markdown (editor, push) keeps the placeholders
    assert "⟦:" not in text and ":slight_smile:" not in text and ":check_mark:" not in text
    assert any(ch in text for ch in "🙂💡✅👍")
