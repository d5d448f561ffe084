"""Emoticons as their emoji in the viewer (the page's Markdown keeps its ``⟦:name:⟧`` placeholders,
so the storage round trip is untouched: only what the viewer draws changes).

Confluence Cloud writes an emoticon as
``<ac:emoticon ac:name="smile" ac:emoji-shortname=":slight_smile:" ac:emoji-id="1f642"
ac:emoji-fallback="🙂"/>``: the short name follows Atlassian's emoji set (EmojiOne's names, which
are not Unicode's or GitHub's: ``slight_smile``, ``check_mark``), ``ac:emoji-id`` is the code
point(s) in hex for a standard emoji (a UUID or a name for a site's custom emoji), and
``ac:emoji-fallback`` is the character itself (or ``:name:`` for a custom one). Data Center writes
only ``ac:name`` (``smile``, ``tick``, ``light-on``), which :data:`render_base.EMOTICONS` knows.
Forms as real pages carry them are quoted in public converters, e.g. the ``_transform_emoji``
comments of hunyadi/md2conf (``md2conf/converter.py``: ``ac:emoji-id="1f609"
ac:emoji-fallback="&#128521;"``, ``ac:name="blue-star" ac:emoji-shortname=":heavy_plus_sign:"``),
and Atlassian's own ticks are custom emoji (``ac:emoji-id="atlassian-check_mark"
ac:emoji-fallback=":check_mark:"``): no character in the storage, so the name table answers.

So the viewer takes the emoji from the page's own storage first (exact, whatever the name), then
from :data:`SHORT_NAMES` (Atlassian names Rich does not know), then from Rich's table.
"""

from __future__ import annotations

import re
from html import unescape

#: Atlassian short names (EmojiOne's) that Rich's emoji table names differently or lacks.
SHORT_NAMES = {
    "slight_smile": "🙂",
    "slight_frown": "🙁",
    "check_mark": "✅",
    "cross_mark": "❌",
    "thumbsup": "👍",
    "thumbsdown": "👎",
    "stuck_out_tongue": "😛",
    "smiley": "😃",
    "grinning": "😀",
    "information_source": "ℹ️",
    "info": "ℹ️",
    "question": "❓",
    "exclamation": "❗",
    "heavy_plus_sign": "➕",
    "heavy_minus_sign": "➖",
    "star": "⭐",
    "heart": "❤️",
    "bulb": "💡",
    "rocket": "🚀",
    "tada": "🎉",
    "fire": "🔥",
    "eyes": "👀",
    "pray": "🙏",
    "clap": "👏",
    "wave": "👋",
    "white_check_mark": "✅",
    "x": "❌",
    "warning": "⚠️",
    "joy": "😂",
    "thinking": "🤔",
    "rofl": "🤣",
    "upside_down": "🙃",
    "sunglasses": "😎",
}

_ELEMENT = re.compile(r"<ac:emoticon\b([^>]*)>")
_ATTRIBUTE = re.compile(r'([\w:-]+)\s*=\s*"([^"]*)"')
_PLACEHOLDER = re.compile(r"(?<!\\)⟦:([\w+-]{1,60}):⟧")
_HEX_ID = re.compile(r"[0-9a-fA-F]{2,6}(?:-[0-9a-fA-F]{2,6}){0,7}")


def storage_emoji(storage: str | None) -> dict[str, str]:
    """``{name: emoji}`` for every emoticon in a page's storage that says which character it is
    (an ``ac:emoji-fallback`` that is a character, not a ``:name:``; else ``ac:emoji-id``'s code
    points).
    Keyed by the name the Markdown placeholder uses (the short name, else ``ac:name``)."""
    found: dict[str, str] = {}
    if not storage or "<ac:emoticon" not in storage:
        return found
    for element in _ELEMENT.finditer(storage):
        attrs = {k: unescape(v) for k, v in _ATTRIBUTE.findall(element.group(1))}
        name = attrs.get("ac:emoji-shortname", "").strip(":") or attrs.get("ac:name", "")
        char = _a_character(attrs.get("ac:emoji-fallback", "")) or _from_code_points(
            attrs.get("ac:emoji-id", "")
        )
        if name and char:
            found.setdefault(name, char)
    return found


def with_emoji(markdown: str, storage: str | None = None) -> str:
    """``markdown`` with each ``⟦:name:⟧`` the page's storage or :data:`SHORT_NAMES` knows shown as
    its emoji (the rest is left to the renderer: Data Center names and Rich's table)."""
    if "⟦:" not in markdown:
        return markdown
    known = {**SHORT_NAMES, **storage_emoji(storage)}
    return _PLACEHOLDER.sub(lambda m: known.get(m.group(1), m.group(0)), markdown)


def _from_code_points(emoji_id: str) -> str:
    if not _HEX_ID.fullmatch(emoji_id):
        return ""  # a custom emoji's id (a UUID, a name): no character
    try:
        chars = "".join(chr(int(part, 16)) for part in emoji_id.split("-"))
    except (ValueError, OverflowError):
        return ""
    return chars if _a_character(chars) else ""


def _a_character(text: str) -> str:
    """``text`` when it is an emoji-like character sequence (no ASCII, no control, short)."""
    if not text or len(text) > 12 or any(ord(ch) < 0xA0 for ch in text):
        return ""
    return text
