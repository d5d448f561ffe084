"""One source for the CQL vocabulary: the function table and the quoting.

``cql_catalogue.FUNCTION_SPECS`` is the only list of CQL functions; the parser's lookup, the names in
messages, completion and the local server's evaluation all follow it. ``cql.quote_string`` is the only
place a CQL string is quoted.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.confluence import cql
from workbench.confluence.cql_complete import complete
from workbench.emulator.cql_sql import compile_query
from workbench.services import search

# a field of each kind a function can stand for
FIELD_OF_KIND = {"date": "created", "user": "creator", "key": "space", "id": "id"}


def test_the_lookup_and_the_names_come_from_the_one_table():
    spellings = {s.lower() for f in cql.FUNCTION_SPECS for s in f.spellings}
    assert set(cql.FUNCTIONS) == spellings
    assert cql.FUNCTION_NAMES == tuple(f.name for f in cql.FUNCTION_SPECS)
    assert len(set(cql.FUNCTION_NAMES)) == len(cql.FUNCTION_NAMES)
    for spec in cql.FUNCTION_SPECS:
        assert spec.kind in FIELD_OF_KIND
        for spelling in spec.spellings:
            assert cql.FUNCTIONS[spelling.lower()] == (spec.min_args, spec.max_args, spec.kind)
    assert cql.FUNCTIONS["favoritespaces"] == cql.FUNCTIONS["favouritespaces"]  # both spellings


@pytest.mark.parametrize("spec", cql.FUNCTION_SPECS, ids=lambda f: f.name)
def test_every_function_is_known_to_the_parser_in_every_spelling(spec):
    field = FIELD_OF_KIND[spec.kind]
    op = "in" if spec.kind in ("key", "id") else "="
    for spelling in spec.spellings:
        query = f"{field} {op} ({spelling}())" if op == "in" else f"{field} {op} {spelling}()"
        checked = cql.check(query)
        assert checked.error is None and not checked.warnings, (query, checked)


@pytest.mark.parametrize("kind", sorted(FIELD_OF_KIND))
def test_completion_offers_exactly_the_functions_of_the_field_kind(kind):
    field = FIELD_OF_KIND[kind]
    offered = {c for c in complete(f"{field} = ").candidates if c.endswith("()")}
    assert offered == {f"{f.name}()" for f in cql.FUNCTION_SPECS if f.kind == kind}


@pytest.mark.parametrize("spec", cql.FUNCTION_SPECS, ids=lambda f: f.name)
def test_the_local_server_evaluates_every_function(spec):
    field = FIELD_OF_KIND[spec.kind]
    op = {"date": ">", "user": "="}.get(spec.kind)
    query = cql.parse(f"{field} {op} {spec.name}()" if op else f"{field} in ({spec.name}())")
    compiled = compile_query(query, account="557058:demo-user", space_key="ENG")
    assert compiled.where  # no "the local Confluence does not track" refusal


def test_unknown_function_message_names_the_table():
    checked = cql.check("created > tomorrow()")
    assert checked.warnings
    message = str(checked.warnings[0])
    assert all(f"{name}()" in message for name in cql.FUNCTION_NAMES)


HOSTILE = [
    'say "hi"',
    "back\\slash",
    'both \\" mixed',
    "",
    "AND",
    "~jsmith",
    "ünïcode ✓",
    '\\"\\\\"',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_quote_string_reads_back_exactly(text):
    query = cql.parse(f"title ~ {cql.quote_string(text)}")
    (value,) = query.where.values  # type: ignore[union-attr]
    assert value.text == text and value.quoted


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30))
def test_quote_value_reads_back_exactly(text):
    quoted = cql.quote_value(text)
    query = cql.parse(f"title = {quoted}")
    (value,) = query.where.values  # type: ignore[union-attr]
    assert value.text == text


def test_the_search_service_quotes_with_the_one_function():
    for text in HOSTILE:
        assert search.quote(text) == cql.quote_string(text)
    phrase = 'say "hi" now'
    assert search.to_cql(phrase).cql == "text ~ " + cql.quote_string(phrase)
