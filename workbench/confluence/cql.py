"""CQL (Confluence Query Language): tokenizer, parser, catalogue of fields/operators/functions, quoting.

Shared by the client (validate before sending), the TUI (highlighting, completion, error markers)
and the local Confluence (evaluation). Pure Python, no I/O.

- ``tokenize(cql)`` never raises: it returns :class:`Token` s with ``start``/``end`` offsets and a
  ``kind`` (field, operator, keyword, value, function, paren, comma, error) for highlighting.
- ``parse(cql)`` returns a :class:`Query` AST or raises :class:`CqlError` whose ``position`` is the
  0-based character offset of the problem; its message says what was expected there.
- ``quote_value(s)`` quotes a value so it is read back as exactly ``s`` (bare when safe);
  ``quote_string(s)`` always quotes (a phrase after ``~``).
- ``lex(cql)``: the raw lexemes parser and completer share (kept in :mod:`workbench.confluence.cql_lex`).
- ``FIELDS``, ``OPERATORS``, ``KEYWORDS``, ``FUNCTION_NAMES``, ``operators_for(field)``: the
  vocabulary (kept in :mod:`workbench.confluence.cql_catalogue`, re-exported here); grammar-aware
  completion is :func:`workbench.confluence.cql_complete.complete`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.confluence.cql_catalogue import (  # noqa: F401 - re-exported: cql is the one entry point
    FIELDS,
    FUNCTION_NAMES,
    FUNCTION_SPECS,
    FUNCTIONS,
    KEYWORDS,
    OPERATORS,
    ORDER_FIELDS,
    RESERVED,
    FieldSpec,
    FunctionSpec,
    field_spec,
    functions_of_kind,
    operators_for,
)
from workbench.confluence.cql_lex import (  # noqa: F401 - Token and the kinds are part of cql's interface
    COMMA,
    ERROR,
    FIELD,
    FUNCTION,
    KEYWORD,
    OPERATOR,
    PAREN,
    VALUE,
    Token,
    lex,
)
from workbench.confluence.query_base import (  # noqa: F401 - the query tree is part of cql's interface
    And,
    Clause,
    Function,
    Not,
    Or,
    OrderBy,
    Query,
    QueryParser,
    Value,
    guess_kind,
)
from workbench.errors import WorkbenchError

_SAFE_BARE = re.compile(
    r"[A-Za-z0-9_]+"
)  # used with fullmatch: "$" would let a trailing newline through
_DATE = re.compile(r"\d{4}[-/]\d{2}[-/]\d{2}( \d{2}:\d{2})?")  # fullmatch: no trailing newline
_INC = re.compile(r"[+-]?\d+[yMwdhm]")  # fullmatch


class CqlError(WorkbenchError):
    """The query is not valid CQL; ``position`` is the 0-based offset where it goes wrong."""

    exit_code = 2

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position + 1})")
        self.reason = message
        self.position = position


class CqlDoubt(CqlError):
    """Well-formed, but outside what the CQL references here describe: an unknown field or function, an
    operator or value the field is not documented to take. The server may know better (``check`` lists
    these as warnings and the query is sent; ``parse`` refuses them, for the local server's evaluator)."""


@dataclass(frozen=True)
class Check:
    """What ``check`` found: the query (None when it does not parse), the syntax error, the doubts."""

    query: Query | None
    error: CqlError | None
    warnings: tuple[CqlDoubt, ...]


# -- parsing ------------------------------------------------------------------------------------
class _Parser(QueryParser):
    def __init__(self, cql: str, *, lenient: bool = False) -> None:
        super().__init__(cql)
        self.cql = cql
        self.lenient = lenient  # doubts are noted in ``warnings`` instead of raised
        self.warnings: list[CqlDoubt] = []

    def doubt(self, message: str, position: int) -> None:
        error = CqlDoubt(message, position)
        if not self.lenient:
            raise error
        self.warnings.append(error)

    def fail(self, message: str, tok: Token | None = None) -> CqlError:
        tok = tok or self.tok
        if tok.kind == "bad":
            message = f"the character '{tok.text}' must be inside quotes"
        elif tok.kind == "unterminated":
            message = "this quoted value has no closing quote"
        return CqlError(message, tok.start)

    def near(self, tok: Token) -> str:
        return "the end of the query" if tok.kind == "eof" else f"'{tok.text}'"

    def query(self) -> Query:
        if self.tok.kind == "eof":
            raise CqlError("the query is empty; write a condition such as type = page", 0)
        where = None if self.is_word("order") else self.or_expr()
        order: list[OrderBy] = []
        if self.is_word("order"):
            self.advance(KEYWORD)
            if not self.is_word("by"):
                raise self.fail(f"expected BY after ORDER, found {self.near(self.tok)}")
            self.advance(KEYWORD)
            while True:
                tok = self.tok
                name = tok.text.lower() if tok.kind == "word" else ""
                if name not in ORDER_FIELDS:
                    raise self.fail(
                        f"expected a field to order by ({', '.join(ORDER_FIELDS)}), found "
                        f"{self.near(tok)}"
                    )
                self.advance(FIELD)
                descending = False
                if self.is_word("asc", "desc"):
                    descending = self.advance(KEYWORD).text.lower() == "desc"
                order.append(OrderBy(name, descending))
                if self.tok.kind != ",":
                    break
                self.advance(COMMA)
        if self.tok.kind != "eof":
            if where is not None and self.tok.kind in ("word", "string"):
                raise self.fail(f"expected AND, OR or ORDER BY, found {self.near(self.tok)}")
            raise self.fail(f"unexpected {self.near(self.tok)}")
        return Query(where, tuple(order))

    def error_at(self, exc: Exception) -> int | None:
        return exc.position if isinstance(exc, CqlError) else None

    def guess(self, item: Token, nxt: Token | None) -> str:
        return guess_kind(
            item,
            nxt,
            keyword=KEYWORDS.__contains__,
            field=lambda word, after: (
                field_spec(word) is not None
                and after is not None
                and (after.kind == "op" or after.text.lower() in ("in", "not"))
            ),
        )

    def unclosed(self, open_tok: Token) -> str:
        return (
            f"expected ')' to close the '(' at character {open_tok.start + 1}, found "
            f"{self.near(self.tok)}"
        )

    def clause(self) -> Clause:
        tok = self.tok
        if tok.kind != "word" or tok.text.lower() in ("and", "or", "order", "by", "in"):
            raise self.fail(
                f"expected a field name (such as type, space, title, text), found {self.near(tok)}"
            )
        self.advance(FIELD)
        op_tok = self.tok
        if op_tok.kind == "op":
            op = self.advance(OPERATOR).text
        elif self.is_word("in"):
            self.advance(KEYWORD)
            op = "in"
        elif (
            self.is_word("not")
            and self.toks[self.i + 1].kind == "word"
            and self.toks[self.i + 1].text.lower() == "in"
        ):
            self.advance(KEYWORD)
            self.advance(KEYWORD)
            op = "not in"
        else:
            raise self.fail(f"expected an operator after '{tok.text}', found {self.near(op_tok)}")
        spec = field_spec(tok.text)
        name = (
            tok.text.lower()
            if spec is None or spec is not FIELDS.get(tok.text.lower())
            else spec.name
        )
        if spec is not None and spec.kind == "any":
            name = tok.text  # content.property[key].path: keys and paths keep their case
        if spec is None:
            self.doubt(f"No field exists with the name: '{tok.text}'", tok.start)
            spec = FieldSpec(tok.text, OPERATORS, "any")
            name = tok.text
        if op not in spec.operators:
            allowed = ", ".join(o.upper() if o[0].isalpha() else o for o in spec.operators)
            self.doubt(
                f"the operator '{op.upper()}' is not supported by the '{name}' field; use {allowed}",
                op_tok.start,
            )
        values: list[Value | Function]
        if op in ("in", "not in") and self.tok.kind == "word" and self.toks[self.i + 1].kind == "(":
            values = [
                self.function(spec)
            ]  # space in favouriteSpaces(), id in recentlyViewedContent(10)
        elif op in ("in", "not in"):
            if self.tok.kind != "(":
                raise self.fail(
                    f"expected '(' and a list of values after {op.upper()}, found {self.near(self.tok)}"
                )
            self.advance(PAREN)
            values = [self.value(spec, op)]
            while self.tok.kind == ",":
                self.advance(COMMA)
                values.append(self.value(spec, op))
            if self.tok.kind != ")":
                raise self.fail(
                    f"expected ',' or ')' in the list of values, found {self.near(self.tok)}"
                )
            self.advance(PAREN)
        else:
            values = [self.value(spec, op)]
        return Clause(name, op, tuple(values), tok.start)

    def value(self, spec: FieldSpec, op: str) -> Value | Function:
        tok = self.tok
        if tok.kind == "op" and tok.text == "~":
            raise self.fail(
                "a value starting with '~' (a personal space key) must be quoted, e.g. \"~jsmith\""
            )
        if tok.kind == "word" and self.toks[self.i + 1].kind == "(":
            return self.function(spec)
        if tok.kind == "string":
            self.advance(VALUE)
            result = Value(tok.value, True, tok.start)
        elif tok.kind == "word":
            if tok.text.lower() in RESERVED:
                raise self.fail(
                    f"'{tok.text}' is a reserved word: quote it to use it as a value, or add the "
                    f"missing value after '{op.upper()}'"
                )
            self.advance(VALUE)
            result = Value(tok.text, False, tok.start)
        else:
            raise self.fail(f"expected a value after '{op.upper()}', found {self.near(tok)}")
        if spec.kind == "date" and not _DATE.fullmatch(result.text):
            self.doubt(
                f'\'{result.text}\' is not a date; use "yyyy-MM-dd", "yyyy/MM/dd" (optionally with '
                'HH:mm) or a function such as now("-2w")',
                tok.start,
            )
        if spec.kind == "id" and not result.text.isdigit():
            self.doubt(
                f"'{result.text}' is not a content id; {spec.name} takes numeric ids", tok.start
            )
        return result

    def function(self, spec: FieldSpec) -> Function:
        name_tok = self.advance(FUNCTION)
        key = name_tok.text.lower()
        if key not in FUNCTIONS:
            self.doubt(
                f"unknown function '{name_tok.text}()'; known functions: "
                f"{', '.join(f + '()' for f in FUNCTION_NAMES)}",
                name_tok.start,
            )
        self.advance(PAREN)
        args: list[str] = []
        while self.tok.kind in ("string", "word"):
            args.append(self.advance(VALUE).value)
            if self.tok.kind != ",":
                break
            self.advance(COMMA)
        if self.tok.kind != ")":
            raise self.fail(f"expected ')' to close {name_tok.text}(, found {self.near(self.tok)}")
        self.advance(PAREN)
        if key not in FUNCTIONS:
            return Function(name_tok.text, tuple(args), name_tok.start)
        low, high, kind = FUNCTIONS[key]
        if not low <= len(args) <= high:
            self.doubt(
                f"{name_tok.text}() takes {'no' if high == 0 else f'at most {high}'} argument"
                f"{'' if high == 1 else 's'}",
                name_tok.start,
            )
        if kind == "date" and args and not _INC.fullmatch(args[0]):
            self.doubt(
                f'\'{args[0]}\' is not a time offset; write it like "-2w", "+3d" or "1M" '
                "(units y M w d h m)",
                name_tok.start,
            )
        if kind != spec.kind and spec.kind != "any":
            self.doubt(
                f"{name_tok.text}() cannot be used with the '{spec.name}' field", name_tok.start
            )
        return Function(name_tok.text, tuple(args), name_tok.start)


def parse(cql: str) -> Query:
    """Parse ``cql`` into a :class:`Query`; raises :class:`CqlError` pointing at the problem, including
    the doubts (:class:`CqlDoubt`) ``check`` only warns about. The local server evaluates with this."""
    return _Parser(cql).query()


def check(cql: str) -> Check:
    """Parse ``cql`` the way the search bar and the command line need it: a syntax error is reported
    (``error``), and what is well-formed but unknown here (a field, a function, an operator or value a
    field is not documented to take) is a warning, not a refusal: Confluence decides."""
    parser = _Parser(cql, lenient=True)
    try:
        query = parser.query()
    except CqlError as exc:
        return Check(None, exc, tuple(parser.warnings))
    return Check(query, None, tuple(parser.warnings))


def validate(cql: str) -> CqlError | None:
    """The first error in ``cql``, or ``None`` when it parses."""
    try:
        parse(cql)
    except CqlError as exc:
        return exc
    return None


def tokenize(cql: str) -> list[Token]:
    """Classified tokens for highlighting; never raises. The token where the query goes wrong is an
    ``error`` token; the tokens after it get a best-guess kind so the rest stays readable. An unknown
    field is still a field here: only syntax is an error."""
    return _Parser(cql, lenient=True).highlighted()


def quote_string(value: str) -> str:
    """``value`` as a double-quoted CQL string (backslash and quote escaped): always quoted, as a
    phrase after ``~`` must be. The one place CQL quoting is written."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def quote_value(value: str) -> str:
    """``value`` as a CQL literal: bare when that is safe, otherwise :func:`quote_string`."""
    if _SAFE_BARE.fullmatch(value) and value.lower() not in RESERVED:
        return value
    return quote_string(value)
