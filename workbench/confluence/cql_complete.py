"""Context-aware CQL completion for the search bar, built on :mod:`workbench.confluence.cql`.

``complete(text, cursor)`` looks at what comes before the word under the cursor and proposes only
what may come next: a field at the start of a clause, that field's operators after it, values and
functions of the right kind after an operator, ``AND``/``OR``/``ORDER BY`` after a complete clause,
order fields after ``ORDER BY``. Known values (space keys, labels) can be passed in by the caller.
Pure and fast; no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workbench.confluence import cql

_PARTIAL = re.compile(r"""[^\s()=,!~<>"']*$""")


@dataclass(frozen=True)
class Completion:
    """Replace ``text[start:cursor]`` with one of ``candidates`` (best first); ``expected`` names what
    fits here: ``field``, ``operator``, ``value``, ``keyword``, ``order-field`` or ``paren``."""

    start: int
    candidates: tuple[str, ...]
    expected: str


def complete(
    text: str, cursor: int | None = None, *, values: Mapping[str, Iterable[str]] | None = None
) -> Completion:
    cursor = len(text) if cursor is None else max(0, min(cursor, len(text)))
    head = text[:cursor]
    partial = _PARTIAL.search(head)  # always matches (possibly empty, at the end)
    start = partial.start() if partial else len(head)
    prefix = head[start:].lower()
    expected, options = _expect(head[:start], values or {})
    matches = [o for o in options if o.lower().startswith(prefix) and o.lower() != prefix]
    return Completion(start, tuple(matches), expected)


def _expect(before: str, values: Mapping[str, Iterable[str]]) -> tuple[str, list[str]]:
    toks = [t for t in cql.lex(before) if t.kind != "eof"]
    state, field, op = "field", "", ""
    i = 0
    while i < len(toks):
        tok = toks[i]
        word = tok.text.lower() if tok.kind == "word" else ""
        if state == "field":
            if tok.kind == "(" or word == "not":
                pass
            elif word == "order":
                state = "by"
            elif tok.kind == "word":
                field, state = word, "operator"
        elif state == "operator":
            if tok.kind == "op":
                op, state = tok.text, "value"
            elif word == "in":
                op, state = "in", "list-open"
            elif word == "not":
                state = "not-in"
        elif state == "not-in":
            op, state = "not in", "list-open" if word == "in" else "operator"
        elif state == "list-open":
            state = "list-value" if tok.kind == "(" else "list-open"
        elif state == "list-value":
            if tok.kind in ("word", "string"):
                state = "list-next"
                if i + 1 < len(toks) and toks[i + 1].kind == "(":  # a function call inside the list
                    i = _skip_call(toks, i)
        elif state == "list-next":
            state = "list-value" if tok.kind == "," else "after" if tok.kind == ")" else "list-next"
        elif state == "value":
            if tok.kind in ("word", "string"):
                state = "after"
                if i + 1 < len(toks) and toks[i + 1].kind == "(":
                    i = _skip_call(toks, i)
        elif state == "after":
            if word in ("and", "or"):
                state = "field"
            elif word == "order":
                state = "by"
        elif state == "by":
            state = "order-field" if word == "by" else "by"
        elif state == "order-field":
            state = "order-after" if tok.kind == "word" else "order-field"
        elif state == "order-after":
            if tok.kind == ",":
                state = "order-field"
            elif word in ("asc", "desc"):
                state = "order-comma"
        elif state == "order-comma":
            state = "order-field" if tok.kind == "," else "order-comma"
        i += 1
    return _options(state, field, op, values)


def _skip_call(toks: list, i: int) -> int:
    depth = 0
    for j in range(i + 1, len(toks)):
        depth += {"(": 1, ")": -1}.get(toks[j].kind, 0)
        if depth == 0:
            return j
    return len(toks)


def _options(
    state: str, field: str, op: str, values: Mapping[str, Iterable[str]]
) -> tuple[str, list[str]]:
    if state == "field":
        return "field", [*cql.FIELDS, "NOT", "ORDER BY"]
    if state in ("operator", "not-in"):
        ops = cql.operators_for(field)
        return "operator", [o.upper() for o in ops] if state == "operator" else ["IN"]
    if state == "list-open":
        return "paren", ["("]
    if state in ("value", "list-value"):
        spec = cql.FIELDS.get(field)
        if spec is None:
            return "value", []
        known = list(values.get(field) or values.get(field.split(".")[0]) or ())
        return "value", [cql.quote_value(v) for v in (*spec.values, *known)] + list(
            cql.functions_of_kind(spec.kind)
        )
    if state == "list-next":
        return "paren", [",", ")"]
    if state == "after":
        return "keyword", ["AND", "OR", "ORDER BY"]
    if state == "by":
        return "keyword", ["BY"]
    if state == "order-field":
        return "order-field", list(cql.ORDER_FIELDS)
    if state == "order-after":
        return "keyword", ["ASC", "DESC", ","]
    return "keyword", [","]
