"""Property tests: the CQL module never fails in an unexpected way, whatever is typed."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from workbench.confluence import cql
from workbench.confluence.cql_complete import complete

CQL_ALPHABET = st.sampled_from(
    list("abcdeilnoprstxy.=!~<>(),\"' \\*-0123456789")
    + ["and ", "or ", "not ", "in ", "order by ", "now(", "title ", "type ", "label "]
)
typed = st.lists(CQL_ALPHABET, max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(typed, st.text(max_size=60)))
def test_parse_raises_only_cql_errors_with_a_position_inside_the_text(text):
    try:
        cql.parse(text)
    except cql.CqlError as exc:
        assert 0 <= exc.position <= len(text)
        assert exc.reason


@settings(max_examples=400, deadline=None)
@given(st.one_of(typed, st.text(max_size=60)))
@example("0[ ]")  # found by hypothesis: a property key in brackets may hold a space
def test_tokenize_never_raises_and_covers_the_text_in_order(text):
    tokens = cql.tokenize(text)
    assert [t.start for t in tokens] == sorted(t.start for t in tokens)
    assert all(text[t.start : t.end] == t.text for t in tokens)
    covered = "".join(t.text for t in tokens)
    assert covered == "".join(text[t.start : t.end] for t in tokens)
    # whitespace is in no token, except inside quotes and a property key in brackets
    assert len(covered) == len("".join(text.split())) or any(c in text for c in "\"'[")
    assert {t.kind for t in tokens} <= {
        "field",
        "operator",
        "keyword",
        "value",
        "function",
        "paren",
        "comma",
        "error",
    }


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=40))
def test_quote_value_round_trips_any_text(value):
    assert cql.parse(f"title = {cql.quote_value(value)}").where.values[0].text == value


@settings(max_examples=300, deadline=None)
@given(typed, st.integers(min_value=0, max_value=40))
def test_complete_never_raises(text, cursor):
    result = complete(text, cursor)
    assert 0 <= result.start <= min(cursor, len(text))


@pytest.mark.parametrize("value", ["0\n", "a\n", "ENG\n"])
def test_quote_value_keeps_a_trailing_newline(value):
    # Found by the property test above: a bare-safe value followed by a newline came back without it.
    assert cql.quote_value(value).startswith('"')
    assert cql.parse(f"title = {cql.quote_value(value)}").where.values[0].text == value


@pytest.mark.parametrize("query", ['created > "2026-01-01\n"', 'lastmodified > now("-2w\n")'])
def test_a_date_or_offset_with_a_trailing_newline_is_refused(query):
    with pytest.raises(cql.CqlError):
        cql.parse(query)
