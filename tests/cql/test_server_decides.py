"""The local CQL parser informs (highlighting, completion, hints); Confluence decides.

Every query below is documented CQL (Atlassian's CQL field and function references, Cloud and Data
Center) that the parser used to refuse before it reached the server (interop report, D6). ``check``
must take each with no syntax error; fields or functions it does not describe are warnings.
"""

from __future__ import annotations

import pytest

from workbench.confluence import cql

DOCUMENTED = [
    "watcher = currentUser()",
    "favourite = currentUser()",
    "favorite = currentUser() and type = page",
    "space.category = marketing",
    'space.desc ~ "handbook"',
    "content.property[metadata].status = approved",
    'content.property[myprop].nested.key ~ "x"',
    'creator.fullname ~ "Priya"',
    "id in recentlyViewedContent(10)",
    "id in recentlyViewedContent(10, 5)",
    "space in favouriteSpaces()",
    "space in recentlyViewedSpaces(3)",
    "space not in favoriteSpaces() and type = page",
]


@pytest.mark.parametrize("query", DOCUMENTED)
def test_documented_queries_are_taken_without_a_doubt(query):
    result = cql.check(query)
    assert result.error is None and result.query is not None, result.error
    assert result.warnings == ()


@pytest.mark.parametrize(
    ("query", "doubt"),
    [
        ("watchr = currentUser()", "No field exists with the name: 'watchr'"),
        ("id in lastWeeksPages()", "unknown function 'lastWeeksPages()'"),
        ("label ~ draft", "the operator '~' is not supported by the 'label' field"),
        ('created > "last tuesday"', "is not a date"),
        ("user.fullname ~ ada and type = page", "No field exists with the name: 'user.fullname'"),
    ],
)
def test_unknown_names_are_warnings_and_the_query_stays_whole(query, doubt):
    result = cql.check(query)
    assert result.error is None and result.query is not None
    assert [doubt in str(w) for w in result.warnings] == [True]
    with pytest.raises(
        cql.CqlDoubt
    ):  # the local server's evaluator still refuses what it cannot run
        cql.parse(query)


def test_syntax_errors_are_errors_with_a_position():
    result = cql.check("space = ENG and")
    assert result.query is None and result.error is not None and result.error.position == 15


def test_property_fields_lex_as_one_word_and_highlight_as_fields():
    tokens = cql.tokenize("content.property[a b].x = 1")
    assert [(t.kind, t.text) for t in tokens][:2] == [
        ("field", "content.property[a b].x"),
        ("operator", "="),
    ]
