"""The CQL of ``GET /rest/api/search/user``: user fields only.

The v1 spec's examples (``tests/specs/confluence-cloud-v1.openapi.json``, ``searchUser``): ``type=user``
(every user), ``user="1234"``, ``user IN ("12", "34")`` (also ``NOT IN``, ``!=``),
``user.fullname~jo`` ("users with nickname/full name starting with jo"), ``user.accountid="123"``;
Atlassian's reference adds ``user.userkey`` and says queries "only support user-specific fields".
Clauses combine with ``AND``/``OR`` (``AND`` binds tighter) and parentheses.

``matcher(cql)`` parses once and returns a predicate over user rows (``account_id``,
``display_name``); a query it cannot parse raises a 400 ``ApiError`` saying where.

Names are compared folded (:func:`fold`): case and accents aside, so ``user.fullname ~ "zoe"``
finds "Zoë Lefèvre" and ``~ "zoë"`` finds "Zoe Smith". Atlassian's published material does not say
how Confluence Cloud's user search treats accents; the nearest record is Atlassian's own user
autocomplete fix "Make the user autocomplete treat accented characters as their non-accented
versions and vice-versa" (BCLOUD-2938, resolved 2016-04-15,
https://bitbucket.org/site/master/issues/2938/make-the-user-autocomplete-treat-accented), and
Lucene's ASCIIFoldingFilter folds alike on both sides (the index and the query). This server folds;
nothing in the client depends on it (a server that does not fold finds fewer people, nothing else).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from workbench.emulator.errors import bad_request

Row = dict[str, Any]
Predicate = Callable[[Row], bool]

_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\')|(?P<op>!=|=|~|\(|\)|,)'
    r"|(?P<word>[^\s=!~(),\"']+))"
)
ID_FIELDS = ("user", "user.accountid", "user.userkey")
FIELDS = ("type", *ID_FIELDS, "user.fullname")
_ONLY = (
    "The user search takes user fields only: type, user, user.accountid, user.userkey, "
    'user.fullname (e.g. user.fullname ~ "jo").'
)


def _tokens(cql: str) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    at = 0
    while at < len(cql):
        if cql[at:].strip() == "":
            break
        m = _TOKEN.match(cql, at)
        if m is None or m.end() == at:
            raise bad_request(f"Could not parse cql: {cql} (at character {at + 1}).")
        kind = m.lastgroup or "word"
        text = m.group(kind)
        if kind == "str":
            text = re.sub(r"\\(.)", r"\1", text[1:-1])
        out.append((kind, text, m.start(kind) + 1))
        at = m.end()
    return out


class _Parser:
    def __init__(self, cql: str) -> None:
        self.cql = cql
        self.items = _tokens(cql)
        self.i = 0

    def fail(self, what: str) -> Exception:
        where = self.items[self.i][2] if self.i < len(self.items) else len(self.cql) + 1
        return bad_request(f"Could not parse cql: {self.cql} ({what} at character {where}).")

    def peek(self, *words: str) -> bool:
        if self.i >= len(self.items):
            return False
        kind, text, _ = self.items[self.i]
        return kind != "str" and text.lower() in words

    def take(self) -> tuple[str, str, int]:
        if self.i >= len(self.items):
            raise self.fail("unexpected end")
        self.i += 1
        return self.items[self.i - 1]

    def parse(self) -> Predicate:
        if not self.items:
            raise bad_request('The cql parameter is required, e.g. user.fullname ~ "jo".')
        predicate = self.either()
        if self.i < len(self.items):
            raise self.fail("unexpected text")
        return predicate

    def either(self) -> Predicate:
        parts = [self.both()]
        while self.peek("or"):
            self.take()
            parts.append(self.both())
        return parts[0] if len(parts) == 1 else (lambda row: any(p(row) for p in parts))

    def both(self) -> Predicate:
        parts = [self.unit()]
        while self.peek("and"):
            self.take()
            parts.append(self.unit())
        return parts[0] if len(parts) == 1 else (lambda row: all(p(row) for p in parts))

    def unit(self) -> Predicate:
        if self.peek("("):
            self.take()
            inner = self.either()
            if not self.peek(")"):
                raise self.fail("a missing ')'")
            self.take()
            return inner
        if self.peek("not"):
            self.take()
            inner = self.unit()
            return lambda row: not inner(row)
        return self.clause()

    def clause(self) -> Predicate:
        kind, name, _ = self.take()
        field = name.lower()
        if kind == "str" or field not in FIELDS:
            self.i -= 1
            raise bad_request(_ONLY)
        op = self.take()[1].lower()
        if op == "not" and self.peek("in"):
            self.take()
            op = "not in"
        if op in ("in", "not in"):
            values = self.values()
        elif op in ("=", "!=", "~"):
            values = [self.value()]
        else:
            self.i -= 1
            raise self.fail(f"an unknown operator '{op}'")
        return _clause(field, op, values, self)

    def values(self) -> list[str]:
        if not self.peek("("):
            raise self.fail("a missing '(' after IN")
        self.take()
        out = [self.value()]
        while self.peek(","):
            self.take()
            out.append(self.value())
        if not self.peek(")"):
            raise self.fail("a missing ')'")
        self.take()
        return out

    def value(self) -> str:
        kind, text, _ = self.take()
        if kind == "op":
            self.i -= 1
            raise self.fail("a missing value")
        return text


#: letters NFKD does not take apart, folded as Lucene's ASCIIFoldingFilter folds them
_LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"}
)


def fold(text: str) -> str:
    """``text`` for comparing names: case-folded, accents and marks dropped ("Zoë" → "zoe",
    "Łukasz" → "lukasz", "Straße" → "strasse")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.translate(_LETTERS)


def _clause(field: str, op: str, values: list[str], parser: _Parser) -> Predicate:
    if field == "type":
        if op not in ("=", "!="):
            raise parser.fail("type takes = or !=")
        is_user = values[0].lower() == "user"
        return (lambda row: is_user) if op == "=" else (lambda row: not is_user)
    if field in ID_FIELDS:
        if op == "~":
            raise parser.fail(f"{field} takes =, !=, IN or NOT IN")
        wanted = set(values)
        if op in ("=", "in"):
            return lambda row: row["account_id"] in wanted
        return lambda row: row["account_id"] not in wanted
    # user.fullname: "~" matches names with words starting with each word searched for (folded)
    words = fold(values[0]).split()
    if op == "~":
        return lambda row: (
            bool(words)
            and all(any(n.startswith(w) for n in fold(row["display_name"]).split()) for w in words)
        )
    names = {fold(v) for v in values}
    if op in ("=", "in"):
        return lambda row: fold(row["display_name"]) in names
    return lambda row: fold(row["display_name"]) not in names


def matcher(cql: str) -> Predicate:
    return _Parser(cql).parse()
