"""Any query the parser accepts is evaluated by the local Confluence without a server error."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.confluence import cql
from workbench.emulator.cql_sql import compile_query
from workbench.emulator.errors import ApiError

FIELDS = sorted(cql.FIELDS)
VALUES = [
    "page",
    "ENG",
    '"~demo"',
    "adr",
    "65538",
    '"2026-01-31"',
    '"2026/01/31 10:30"',
    'now("-2w")',
    "currentUser()",
    'startOfWeek("+1d")',
    'endOfMonth("-1M")',
    '"two words"',
    '"\\"phrase here\\""',
    '"run*"',
    '"x?z"',
    "currentSpace()",
    '"557058:demo-user"',
]


@st.composite
def clauses(draw):
    field = draw(st.sampled_from(FIELDS))
    op = draw(st.sampled_from(cql.FIELDS[field].operators))
    if op in ("in", "not in"):
        values = draw(st.lists(st.sampled_from(VALUES), min_size=1, max_size=3))
        return f"{field} {op} ({', '.join(values)})"
    return f"{field} {op} {draw(st.sampled_from(VALUES))}"


queries = st.recursive(
    clauses(),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from([" and ", " or "]), inner).map("".join),
        inner.map(lambda q: f"not ({q})"),
        inner.map(lambda q: f"({q})"),
    ),
    max_leaves=4,
)


@pytest.fixture(scope="module")
def store():
    from workbench.emulator.runner import open_store

    opened = open_store("demo")
    yield opened
    opened.close()


@settings(max_examples=300, deadline=None)
@given(queries, st.sampled_from(["", " order by title", " order by lastmodified desc, id asc"]))
def test_every_parsable_query_evaluates(store, query, order):
    try:
        parsed = cql.parse(query + order)
    except cql.CqlError:
        return  # e.g. a function that does not fit the field: the parser's job, tested elsewhere
    try:
        compiled = compile_query(parsed, account="557058:demo-user", space_key="ENG")
    except ApiError as exc:
        assert exc.status == 400
        return
    store.query(
        f"SELECT p.id FROM pages p JOIN spaces s ON s.id = p.space_id {compiled.join} "
        f"WHERE ({compiled.where}) ORDER BY {compiled.order} LIMIT 5",
        [*compiled.join_params, *compiled.params],
    )
