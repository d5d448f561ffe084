"""``workbench.textsafe.printable``: server text can never drive the terminal."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from workbench.textsafe import is_printable, printable

BIDI_CONTROLS = "\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

# The payloads the audit used (shared/reports/security-reliability.md, D1/D12).
OSC_TITLE = "Zebra \x1b]0;PWNED-TITLE\x07\x1b[2J\x1b[31;5mRED\x08\x08"
OSC52_CLIPBOARD = "Zebrafive \x1b]52;c;aWQgfCBzaA==\x07 clip"


def test_escape_sequences_are_shown_not_sent():
    assert printable(OSC_TITLE) == "Zebra ␛]0;PWNED-TITLE␇␛[2J␛[31;5mRED␈␈"
    assert printable(OSC52_CLIPBOARD) == "Zebrafive ␛]52;c;aWQgfCBzaA==␇ clip"


def test_c1_controls_and_bidi_overrides_are_shown_as_code_points():
    assert printable("a\x9b2Jb\x9d0;t\x9c") == "a<U+009B>2Jb<U+009D>0;t<U+009C>"
    assert printable("invoice\u202egnp.exe") == "invoice<U+202E>gnp.exe"
    assert printable("x\u2066y\u2069") == "x<U+2066>y<U+2069>"
    assert printable("line\u2028sep") == "line<U+2028>sep"


def test_one_line_text_shows_newlines_tabs_and_carriage_returns():
    assert printable("safe\rrm -rf ~\nnext\tcol") == "safe␍rm -rf ~␊next␉col"
    assert printable("del\x7f nul\x00") == "del␡ nul␀"


def test_multiline_keeps_newlines_and_tabs_but_not_lone_carriage_returns():
    assert printable("a\r\nb\n\tc\rd\x1b[2J", multiline=True) == "a\nb\n\tc␍d␛[2J"


def test_ordinary_unicode_is_untouched():
    text = "Ünïcødé — 日本語 עברית العربية 👩‍💻 🇫🇷 \u200f soft\u00adhyphen [/x] [b]markup[/b]"
    assert printable(text) == text
    assert is_printable(text)


def test_lone_surrogates_become_encodable():
    shown = printable("bad \ud800 half")
    assert shown == "bad <U+D800> half"
    shown.encode("utf-8")


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=200))
def test_no_control_survives_and_the_function_is_idempotent(text):
    for multiline in (False, True):
        shown = printable(text, multiline=multiline)
        allowed = {"\n", "\t"} if multiline else set()
        assert not [c for c in shown if unicodedata.category(c) == "Cc" and c not in allowed]
        assert not set(shown) & set(BIDI_CONTROLS + "\u2028\u2029")
        shown.encode("utf-8")  # no lone surrogate left
        assert printable(shown, multiline=multiline) == shown
        assert is_printable(shown, multiline=multiline)
