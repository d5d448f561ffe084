"""Unit tests for the CQL tokenizer, parser and quoting helper (pure, no server)."""

from __future__ import annotations

import pytest

from workbench.confluence import cql
from workbench.errors import WorkbenchError


def test_simple_clause_and_conjunctions():
    q = cql.parse("type = page AND space = ENG or label = adr")
    assert isinstance(q.where, cql.Or)
    left, right = q.where.items
    assert isinstance(left, cql.And)
    assert [c.field for c in left.items] == ["type", "space"]
    assert right == cql.Clause("label", "=", (cql.Value("adr", False, 39),), 31)


def test_precedence_not_and_parentheses():
    q = cql.parse('NOT (label = draft or label = old) and title ~ "release"')
    assert isinstance(q.where, cql.And)
    negated, title = q.where.items
    assert isinstance(negated, cql.Not) and isinstance(negated.item, cql.Or)
    assert title.op == "~" and title.values[0].text == "release" and title.values[0].quoted


def test_in_and_not_in_lists():
    q = cql.parse('label not in (draft, "needs review") and space in (ENG, "~demo")')
    first, second = q.where.items
    assert first.op == "not in" and [v.text for v in first.values] == ["draft", "needs review"]
    assert second.op == "in" and [v.text for v in second.values] == ["ENG", "~demo"]


def test_order_by_several_fields():
    q = cql.parse("space = ENG order by lastModified desc, title")
    assert q.order_by == (cql.OrderBy("lastmodified", True), cql.OrderBy("title", False))
    assert cql.parse("ORDER BY created ASC").where is None


def test_functions_and_dates():
    q = cql.parse(
        'created >= "2026/01/31" and lastmodified > now("-2w") and creator = currentUser() '
        'and created < startOfMonth("+1M")'
    )
    a, b, c, d = q.where.items
    assert a.values[0].text == "2026/01/31"
    assert (
        b.values[0] == cql.Function("now", ("-2w",), b.values[0].position)
        and b.values[0].key == "now"
    )
    assert c.values[0].key == "currentuser" and d.values[0].args == ("+1M",)
    assert cql.parse('created = "2026-01-31 14:05"').where.values[0].text == "2026-01-31 14:05"


def test_quoting_and_escapes():
    q = cql.parse(r'title = "say \"hi\"" and text ~ "\"exact phrase\"" and title ~ ' + r"'it\'s'")
    assert q.where.items[0].values[0].text == 'say "hi"'
    assert q.where.items[1].values[0].text == '"exact phrase"'
    assert q.where.items[2].values[0].text == "it's"
    assert cql.parse(r"title = 'single \' quote'").where.values[0].text == "single ' quote"
    assert cql.parse(r'title = "back\\slash"').where.values[0].text == "back\\slash"


@pytest.mark.parametrize(
    "value",
    [
        "ENG",
        "~jsmith",
        "and",
        "Order",
        "two words",
        'quote " inside',
        "back\\slash",
        "a,b",
        "x=y",
        "",
        "ünïcode text",
        "it's",
        "100%",
        "*",
    ],
)
def test_quote_value_round_trips(value):
    quoted = cql.quote_value(value)
    assert cql.parse(f"title = {quoted}").where.values[0].text == value


def test_quote_value_leaves_safe_words_bare():
    assert cql.quote_value("ENG") == "ENG"
    assert cql.quote_value("release_notes") == "release_notes"
    assert cql.quote_value("~jsmith") == '"~jsmith"'
    assert cql.quote_value("AND") == '"AND"'


@pytest.mark.parametrize(
    ("query", "position", "fragment"),
    [
        ('type = page and titl "x"', 21, "expected an operator after 'titl'"),
        ("foo = bar", 0, "No field exists with the name: 'foo'"),
        ("text = release", 5, "the operator '=' is not supported by the 'text' field"),
        ("label ~ x", 6, "not supported by the 'label' field"),
        ("space = ~demo", 8, "must be quoted"),
        ("type = and", 7, "reserved word"),
        ("type = ", 7, "expected a value after '='"),
        ("(type = page", 12, "expected ')' to close the '(' at character 1"),
        ("id in (1, 2", 11, "expected ',' or ')'"),
        ("label in draft", 9, "expected '(' and a list of values after IN"),
        ('title ~ "open', 8, "no closing quote"),
        ("type = page extra", 12, "expected AND, OR or ORDER BY"),
        ("type = page and", 15, "expected a field name"),
        ("order title", 6, "expected BY after ORDER"),
        ("type = page order by colour", 21, "expected a field to order by"),
        ('created > "last week"', 10, "is not a date"),
        ('created > now("two weeks")', 10, "is not a time offset"),
        ("created > bogus()", 10, "unknown function 'bogus()'"),
        ("creator = now()", 10, "cannot be used with the 'creator' field"),
        ("ancestor = abc", 11, "is not a content id"),
        ("title = a*b", 9, "the character '*' must be inside quotes"),
        ("", 0, "the query is empty"),
        ("currentUser() = creator", 11, "expected an operator after 'currentUser'"),
    ],
)
def test_invalid_queries_say_where(query, position, fragment):
    with pytest.raises(cql.CqlError) as info:
        cql.parse(query)
    err = info.value
    assert err.position == position, (err.position, str(err))
    assert fragment in str(err)
    assert str(err).endswith(f"(at character {position + 1})")
    assert isinstance(err, WorkbenchError) and err.exit_code == 2
    assert cql.validate(query).position == position and str(cql.validate(query)) == str(err)


def test_validate_returns_none_for_valid():
    assert cql.validate('space = "~demo" and type in (page, blogpost) order by title') is None


def test_tokenize_kinds_and_positions():
    text = 'type = page AND title ~ "a b" ORDER BY created DESC'
    tokens = cql.tokenize(text)
    assert [(t.kind, t.text) for t in tokens] == [
        ("field", "type"),
        ("operator", "="),
        ("value", "page"),
        ("keyword", "AND"),
        ("field", "title"),
        ("operator", "~"),
        ("value", '"a b"'),
        ("keyword", "ORDER"),
        ("keyword", "BY"),
        ("field", "created"),
        ("keyword", "DESC"),
    ]
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert tokens[6].value == "a b"


def test_tokenize_functions_lists_and_errors():
    kinds = [(t.kind, t.text) for t in cql.tokenize('label in (a, b) and created > now("-1d")')]
    assert ("paren", "(") in kinds and ("comma", ",") in kinds and ("function", "now") in kinds
    broken = cql.tokenize('type = page and titl "x" and space = ENG')
    assert [t.kind for t in broken] == [
        "field",
        "operator",
        "value",
        "keyword",
        "field",
        "error",
        "keyword",
        "field",
        "operator",
        "value",
    ]
    assert broken[5].text == '"x"'
    # an unknown field is still a field (the server decides what it means); only syntax is an error
    assert [t.kind for t in cql.tokenize("foo = bar and created > now()")] == [
        "field",
        "operator",
        "value",
        "keyword",
        "field",
        "operator",
        "function",
        "paren",
        "paren",
    ]
    assert cql.tokenize("") == []
    assert [t.kind for t in cql.tokenize('title ~ "unterminated')] == ["field", "operator", "error"]
    assert [t.kind for t in cql.tokenize("type = page and")] == [
        "field",
        "operator",
        "value",
        "keyword",
    ]
    text = "label in (a, b) and x"
    assert "".join(text[t.start : t.end] for t in cql.tokenize(text)) == text.replace(" ", "")


def test_catalogue_for_completion():
    assert {
        "type",
        "space",
        "title",
        "text",
        "label",
        "ancestor",
        "created",
        "lastmodified",
    } <= set(cql.FIELDS)
    assert cql.operators_for("text") == ("~", "!~")
    assert "in" in cql.operators_for("LABEL")
    assert cql.operators_for("nope") == ()
    assert "now" in cql.FUNCTION_NAMES and "and" in cql.KEYWORDS and "!~" in cql.OPERATORS
