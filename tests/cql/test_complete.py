"""Context-aware CQL completion (pure)."""

from __future__ import annotations

import pytest

from workbench.confluence.cql_complete import complete

KNOWN = {"space": ["ENG", "~demo"], "label": ["adr", "runbook"]}


@pytest.mark.parametrize(
    ("text", "expected", "start", "must", "must_not"),
    [
        ("", "field", 0, {"type", "space", "title", "text", "NOT"}, {"AND", "="}),
        ("ti", "field", 0, {"title"}, {"type"}),
        ("title ", "operator", 6, {"=", "~", "NOT IN"}, {">"}),
        ("created ", "operator", 8, {">", "<="}, {"~"}),
        ("type = ", "value", 7, {"page", "blogpost"}, {"AND"}),
        ("type = p", "value", 7, {"page"}, {"blogpost"}),
        ("space = ", "value", 8, {"ENG", '"~demo"', "currentSpace()"}, {"now()"}),
        ("creator = ", "value", 10, {"currentUser()"}, {"now()"}),
        ("created >= ", "value", 11, {"now()", "startOfWeek()"}, {"currentUser()"}),
        ("type = page ", "keyword", 12, {"AND", "OR", "ORDER BY"}, {"type"}),
        ("type = page an", "keyword", 12, {"AND"}, {"OR"}),
        ("type = page and lab", "field", 16, {"label"}, set()),
        ("label in ", "paren", 9, {"("}, set()),
        ("label in (adr, ", "value", 15, {"runbook", "adr"}, set()),
        ("label in (ad", "value", 10, {"adr"}, {"runbook"}),
        ("label not ", "operator", 10, {"IN"}, set()),
        ('created > now("-1d") ', "keyword", 21, {"AND", "ORDER BY"}, set()),
        ("(type = page or label = x) ", "keyword", 27, {"AND"}, set()),
        ("space = ENG order ", "keyword", 18, {"BY"}, set()),
        ("space = ENG order by ", "order-field", 21, {"title", "lastmodified"}, {"text"}),
        ("space = ENG order by title ", "keyword", 27, {"ASC", "DESC", ","}, set()),
        ("space = ENG order by title desc, ", "order-field", 33, {"created"}, set()),
    ],
)
def test_completion_follows_the_grammar(text, expected, start, must, must_not):
    result = complete(text, values=KNOWN)
    assert result.expected == expected
    assert result.start == start
    assert must <= set(result.candidates), result.candidates
    assert not (must_not & set(result.candidates))


def test_cursor_in_the_middle():
    text = "type = page and lab = adr"
    result = complete(text, cursor=19)
    assert result.start == 16 and "label" in result.candidates
    assert complete(text, cursor=999).expected == "value"
