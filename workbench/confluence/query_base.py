"""What CQL (:mod:`workbench.confluence.cql`) and JQL (:mod:`workbench.jira.jql`) share: the lexer
(:func:`workbench.confluence.cql_lex.lex`), the query tree, and a recursive-descent base that walks
the lexemes, marks the tokens it classifies (for highlighting), and parses the boolean grammar
(``OR`` of ``AND`` of ``NOT``/parenthesised/clause). Each language gives its clause, its ``ORDER BY``
and its own words for what is wrong (:meth:`QueryParser.fail`, :meth:`QueryParser.unclosed`).

:meth:`QueryParser.highlighted` turns a parser run into classified tokens for a search bar, the part
after a syntax error guessed by the language's own rule (:func:`guess_kind`). Pure Python, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from workbench.confluence.cql_lex import (
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


@dataclass(frozen=True)
class Value:
    text: str
    quoted: bool
    position: int


@dataclass(frozen=True)
class Function:
    name: str  # CQL: as typed; JQL: lower-case
    args: tuple[str, ...]
    position: int

    @property
    def key(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Clause:
    field: str  # canonical lower-case name
    op: str  # "=", "!=", "~", "!~", "<", ">", "<=", ">=", "in", "not in" (JQL also "is", "is not")
    values: tuple[Value | Function, ...]  # JQL: empty for IS [NOT] EMPTY
    position: int


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: object


@dataclass(frozen=True)
class OrderBy:
    field: str
    descending: bool = False


@dataclass(frozen=True)
class Query:
    where: Clause | And | Or | Not | None
    order_by: tuple[OrderBy, ...] = field(default=())


class QueryParser:
    """The cursor over the lexemes of one query, the marks made so far, and the boolean grammar."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = lex(text)
        self.i = 0
        self.marks: list[Token] = []  # classified tokens, for highlighting

    # -- the language's own parts ---------------------------------------------------------------
    def fail(self, message: str, tok: Token | None = None) -> Exception:
        raise NotImplementedError

    def unclosed(self, open_tok: Token) -> str:
        """The words for a ``(`` whose ``)`` is missing (the token found instead is ``self.tok``)."""
        raise NotImplementedError

    def clause(self) -> Clause:
        raise NotImplementedError

    def query(self) -> Query:
        raise NotImplementedError

    def error_at(self, exc: Exception) -> int | None:
        """Where the language's error ``exc`` puts the problem (None: not the language's error)."""
        raise NotImplementedError

    def guess(self, item: Token, nxt: Token | None) -> str:
        """The highlight kind of a lexeme after the error (see :func:`guess_kind`)."""
        raise NotImplementedError

    # -- highlighting ---------------------------------------------------------------------------
    def highlighted(self) -> list[Token]:
        """Classified tokens of the query for a search bar; never raises for a bad query. The token
        where the query goes wrong is an ``error`` token and the ones after it get :meth:`guess`'s
        kind, so the rest stays readable."""
        try:
            self.query()
            return self.marks
        except Exception as exc:  # the language's own error type, positioned (else: raised on)
            where = self.error_at(exc)
            if where is None:
                raise
        tokens = [t for t in self.marks if t.end <= where]
        rest = [item for item in self.toks if item.kind != "eof" and item.end > where]
        for i, item in enumerate(rest):
            if i == 0 or item.kind in ("bad", "unterminated"):
                kind = ERROR
            else:
                kind = self.guess(item, rest[i + 1] if i + 1 < len(rest) else None)
            tokens.append(Token(kind, item.text, item.start, item.end, item.value))
        return tokens

    # -- the cursor -----------------------------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.toks[self.i]

    def ahead(self, n: int = 1) -> Token:
        return self.toks[min(self.i + n, len(self.toks) - 1)]

    def advance(self, kind: str | None = None) -> Token:
        """Step over the current lexeme; ``kind`` marks it (for highlighting)."""
        tok = self.toks[self.i]
        if tok.kind != "eof":
            self.i += 1
        if kind:
            self.marks.append(Token(kind, tok.text, tok.start, tok.end, tok.value))
        return tok

    def is_word(self, *words: str) -> bool:
        return self.tok.kind == "word" and self.tok.text.lower() in words

    # -- the boolean grammar --------------------------------------------------------------------
    def or_expr(self):
        items = [self.and_expr()]
        while self.is_word("or"):
            self.advance(KEYWORD)
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self):
        items = [self.not_expr()]
        while self.is_word("and"):
            self.advance(KEYWORD)
            items.append(self.not_expr())
        return items[0] if len(items) == 1 else And(tuple(items))

    def not_expr(self):
        if self.is_word("not"):
            self.advance(KEYWORD)
            return Not(self.not_expr())
        if self.tok.kind == "(":
            open_tok = self.advance(PAREN)
            inner = self.or_expr()
            if self.tok.kind != ")":
                raise self.fail(self.unclosed(open_tok))
            self.advance(PAREN)
            return inner
        return self.clause()


def guess_kind(
    item: Token,
    nxt: Token | None,
    *,
    keyword: Callable[[str], bool],
    field: Callable[[str, Token | None], bool],
) -> str:
    """The highlight kind of a lexeme after a syntax error, from what it looks like: punctuation by
    its kind, a word before ``(`` a function, then the language's ``keyword`` and ``field`` rules
    (given the lower-case word and the next lexeme), else a value."""
    kind = {"op": OPERATOR, "(": PAREN, ")": PAREN, ",": COMMA, "string": VALUE}.get(item.kind)
    if kind is not None:
        return kind
    word = item.text.lower()
    if nxt is not None and nxt.kind == "(":
        return FUNCTION
    if keyword(word):
        return KEYWORD
    return FIELD if field(word, nxt) else VALUE
