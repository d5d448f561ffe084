"""A JQL subset: parse a query into clauses, with Jira's own wording for what is wrong.

The parser is :class:`workbench.confluence.query_base.QueryParser`, the one CQL's parser
(:mod:`workbench.confluence.cql`) is built on: the same lexer (:func:`workbench.confluence.cql_lex.lex`:
words, quoted strings, ``= != ~ !~ < > <= >=``, parentheses and commas), the same query tree and boolean
grammar; JQL gives its clauses and Jira's words. The local server evaluates what this parses
(``workbench.emulator.jira.jql_sql``); the client uses :func:`check` to explain a query before sending
it, and the search bar :func:`tokenize` to colour it.

Supported: ``project``, ``key`` (``issuekey``, ``id``), ``status``, ``statusCategory``, ``assignee``,
``reporter``, ``issuetype`` (``type``), ``priority``, ``labels``, ``summary``, ``description``,
``comment``, ``text``, ``created``, ``updated``; ``AND``/``OR``/``NOT``/parentheses; ``IN``/``NOT IN``
lists; ``IS [NOT] EMPTY``; the functions ``currentUser()`` and ``now()``; ``ORDER BY`` with
``ASC``/``DESC``.

Error messages follow Jira Cloud's words, as recorded answers quote them (e.g. "Error in the JQL Query:
Expecting a field name but got 'AND'. You must surround 'AND' in quotation marks to use it as a field
name. (line 1, character 3)", a 400 from ``/rest/api/3/search/jql`` recorded against a live site,
``tests/contract/recorded/lighthouse__cloud_search_jql_400.json``; "Field 'x' does not exist or you do not have
permission to view it." and "The value 'x' does not exist for the field 'project'." are Jira's
messages for an unknown field and value).
"""

from __future__ import annotations

from workbench.confluence.cql_lex import (
    COMMA,
    FIELD,
    FUNCTION,
    KEYWORD,
    OPERATOR,
    PAREN,
    VALUE,
    Token,
)
from workbench.confluence.query_base import (  # noqa: F401 - the query tree is part of jql's interface
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
from workbench.errors import UsageError

#: field kinds: ``key`` (issue keys), ``name`` (a named thing: project, status…), ``user``, ``text``
#: (``~`` only), ``list`` (labels), ``date``.
FIELDS: dict[str, str] = {
    "project": "name",
    "key": "key",
    "status": "name",
    "statuscategory": "name",
    "assignee": "user",
    "reporter": "user",
    "issuetype": "name",
    "priority": "name",
    "labels": "list",
    "summary": "text",
    "description": "text",
    "comment": "text",
    "text": "text",
    "created": "date",
    "updated": "date",
}
ALIASES = {"issuekey": "key", "id": "key", "issue": "key", "type": "issuetype", "label": "labels"}
#: Operators each kind of field takes (Jira's operator reference).
OPERATORS: dict[str, tuple[str, ...]] = {
    "key": ("=", "!=", "in", "not in", "<", ">", "<=", ">="),
    "name": ("=", "!=", "in", "not in", "is", "is not"),
    "user": ("=", "!=", "in", "not in", "is", "is not"),
    "list": ("=", "!=", "in", "not in", "is", "is not"),
    "text": ("~", "!~", "is", "is not"),
    "date": ("=", "!=", "<", ">", "<=", ">=", "is", "is not"),
}
ORDER_FIELDS = ("key", "created", "updated", "priority", "status", "summary", "assignee", "rank")
FUNCTIONS = {"currentuser": "user", "now": "date"}
ALL_OPERATORS = "'=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'"
RESERVED = {"and", "or", "not", "empty", "null", "order", "by", "in", "is"}


class JqlError(UsageError):
    """The query is not JQL this subset understands; ``message`` is worded as Jira words it."""

    def __init__(self, message: str, position: int | None = None, *, at: int | None = None) -> None:
        if position is not None:
            message = f"Error in the JQL Query: {message} (line 1, character {position + 1})"
        super().__init__(message)
        self.position = position
        #: where the problem is (0-based), also for Jira's messages that name no position (an
        #: unknown field, an operator the field does not take): for a search bar's marker
        self.at = position if at is None else at


class _Parser(QueryParser):
    def fail(self, message: str, tok: Token | None = None) -> JqlError:
        tok = tok or self.tok
        if tok.kind == "unterminated":
            return JqlError(f"The quoted string {tok.text} has not been completed.", tok.start)
        if tok.kind == "bad":
            return JqlError(
                f"The character '{tok.text}' is a reserved JQL character. You must enclose it in a "
                "string or use the escape '\\u"
                f"{ord(tok.text):04x}' instead.",
                tok.start,
            )
        return JqlError(message, tok.start)

    @staticmethod
    def shown(tok: Token) -> str:
        return "end of query" if tok.kind == "eof" else f"'{tok.text}'"

    def query(self) -> Query:
        where = None
        if self.tok.kind != "eof" and not self.is_word("order"):
            where = self.or_expr()
        order: list[OrderBy] = []
        if self.is_word("order"):
            self.advance(KEYWORD)
            if not self.is_word("by"):
                raise self.fail(f"Expecting 'BY' but got {self.shown(self.tok)}.")
            self.advance(KEYWORD)
            while True:
                tok = self.tok
                name = ALIASES.get(tok.text.lower(), tok.text.lower()) if tok.kind == "word" else ""
                if tok.kind not in ("word", "string"):
                    raise self.fail(f"Expecting a field name but got {self.shown(tok)}.")
                if name not in ORDER_FIELDS:
                    raise JqlError(
                        f"Field '{tok.value or tok.text}' does not exist or you do not have "
                        "permission to view it.",
                        at=tok.start,
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
            raise self.fail(
                f"Expecting either 'OR' or 'AND' but got {self.shown(self.tok)}."
                if where is not None
                else f"Expecting a field name but got {self.shown(self.tok)}."
            )
        return Query(where, tuple(order))

    def error_at(self, exc: Exception) -> int | None:
        return exc.at if isinstance(exc, JqlError) else None

    def guess(self, item: Token, nxt: Token | None) -> str:
        return guess_kind(
            item,
            nxt,
            keyword=lambda word: word in RESERVED or word in ("asc", "desc"),
            field=lambda word, _after: word in FIELDS or word in ALIASES,
        )

    def unclosed(self, open_tok: Token) -> str:
        return f"Expecting ')' but got {self.shown(self.tok)}."

    def clause(self) -> Clause:
        tok = self.tok
        if tok.kind == "word" and tok.text.lower() in RESERVED:
            raise self.fail(
                f"Expecting a field name but got '{tok.text}'. You must surround '{tok.text}' in "
                "quotation marks to use it as a field name."
            )
        if tok.kind not in ("word", "string"):
            raise self.fail(f"Expecting a field name but got {self.shown(tok)}.")
        typed = tok.value if tok.kind == "string" else tok.text
        name = ALIASES.get(typed.lower(), typed.lower())
        if name not in FIELDS:
            raise JqlError(
                f"Field '{typed}' does not exist or you do not have permission to view it.",
                at=tok.start,
            )
        self.advance(FIELD)
        kind = FIELDS[name]
        op_at = self.tok.start
        op = self.operator()
        if op not in OPERATORS[kind]:
            raise JqlError(
                f"The operator '{op.upper()}' is not supported by the '{typed}' field.", at=op_at
            )
        if op in ("is", "is not"):
            if not self.is_word("empty", "null"):
                raise self.fail(
                    f"Expecting 'EMPTY' or 'NULL' after '{op.upper()}' but got "
                    f"{self.shown(self.tok)}."
                )
            self.advance(KEYWORD)
            return Clause(name, op, (), tok.start)
        values: list[Value | Function]
        if op in ("in", "not in"):
            if self.tok.kind != "(":
                raise self.fail(f"Expecting '(' but got {self.shown(self.tok)}.")
            self.advance(PAREN)
            values = [self.value(op)]
            while self.tok.kind == ",":
                self.advance(COMMA)
                values.append(self.value(op))
            if self.tok.kind != ")":
                raise self.fail(f"Expecting ')' but got {self.shown(self.tok)}.")
            self.advance(PAREN)
        else:
            values = [self.value(op)]
        for value in values:
            if isinstance(value, Function) and FUNCTIONS[value.name] != kind:
                raise JqlError(
                    f"Jira cannot apply the function '{value.name}()' to the field '{typed}'.",
                    at=value.position,
                )
        return Clause(name, op, tuple(values), tok.start)

    def operator(self) -> str:
        tok = self.tok
        if tok.kind == "op":
            self.advance(OPERATOR)
            return tok.text
        if self.is_word("in", "is"):
            word = self.advance(KEYWORD).text.lower()
            if word == "is" and self.is_word("not"):
                self.advance(KEYWORD)
                return "is not"
            return word
        if self.is_word("not") and self.toks[self.i + 1].text.lower() == "in":
            self.advance(KEYWORD)
            self.advance(KEYWORD)
            return "not in"
        raise self.fail(
            f"Expecting operator but got {self.shown(tok)}. The valid operators are {ALL_OPERATORS}."
        )

    def value(self, op: str) -> Value | Function:
        tok = self.tok
        if tok.kind == "word" and self.toks[self.i + 1].kind == "(":
            name = tok.text.lower()
            if name not in FUNCTIONS:
                raise JqlError(f"Unable to find JQL function '{tok.text}()'.", at=tok.start)
            self.advance(FUNCTION)
            self.advance(PAREN)
            args: list[str] = []
            while self.tok.kind in ("string", "word"):
                args.append(self.advance(VALUE).value)
                if self.tok.kind != ",":
                    break
                self.advance(COMMA)
            if self.tok.kind != ")":
                raise self.fail(f"Expecting ')' but got {self.shown(self.tok)}.")
            self.advance(PAREN)
            return Function(name, tuple(args), tok.start)
        if tok.kind == "string":
            self.advance(VALUE)
            return Value(tok.value, True, tok.start)
        if tok.kind == "word" and tok.text.lower() not in RESERVED:
            self.advance(VALUE)
            return Value(tok.text, False, tok.start)
        if tok.kind == "word":
            raise self.fail(
                f"Expecting either a value, list or function but got '{tok.text}'. You must surround "
                f"'{tok.text}' in quotation marks to use it as a value."
            )
        raise self.fail(
            f"Expecting either a value, list or function but got {self.shown(tok)}."
            if op
            else f"Expecting a value but got {self.shown(tok)}."
        )


def parse(jql: str) -> Query:
    """Parse ``jql``; raises :class:`JqlError` in Jira's words. An empty query finds everything."""
    return _Parser(jql or "").query()


def check(jql: str) -> JqlError | None:
    """The first problem in ``jql``, or None when this subset parses it (Jira may know more fields)."""
    try:
        parse(jql)
    except JqlError as exc:
        return exc
    return None


def tokenize(jql: str) -> list[Token]:
    """Classified tokens for highlighting (the kinds of :func:`workbench.confluence.cql.tokenize`);
    never raises. From the token where the query goes wrong (an unknown field too) it is an ``error``
    token, and the tokens after it get a best-guess kind."""
    return _Parser(jql or "").highlighted()


def quote(value: str) -> str:
    """A JQL string literal for ``value``."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
