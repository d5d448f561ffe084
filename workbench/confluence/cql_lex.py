"""CQL lexing: the raw lexemes the parser and the completer share, and the token kinds of highlighting."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Kinds of classified tokens (``cql.tokenize``), for highlighting.
FIELD, OPERATOR, KEYWORD, VALUE, FUNCTION, PAREN, COMMA, ERROR = (
    "field",
    "operator",
    "keyword",
    "value",
    "function",
    "paren",
    "comma",
    "error",
)

_WORD = re.compile(r"[^\s()=,!~<>\"'\\*?/@+#%^$|;\[\]{}]+")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int
    value: str = ""  # a value's text without quotes and escapes


def lex(cql: str) -> list[Token]:
    """Raw lexemes: Tokens of kind word | string | unterminated | op | ( | ) | , | bad, then eof.

    Never raises; a string's ``value`` is its text without quotes and escapes."""
    out: list[Token] = []
    i, n = 0, len(cql)
    while i < n:
        c = cql[i]
        if c.isspace():
            i += 1
        elif c in "(),":
            out.append(Token(c, c, i, i + 1))
            i += 1
        elif cql.startswith(("!=", "!~", ">=", "<="), i):
            out.append(Token("op", cql[i : i + 2], i, i + 2))
            i += 2
        elif c in "=~<>":
            out.append(Token("op", c, i, i + 1))
            i += 1
        elif c in "\"'":
            j, chars, closed = i + 1, [], False
            while j < n:
                if cql[j] == "\\" and j + 1 < n:
                    chars.append(cql[j + 1])
                    j += 2
                elif cql[j] == c:
                    closed = True
                    j += 1
                    break
                else:
                    chars.append(cql[j])
                    j += 1
            out.append(
                Token("string" if closed else "unterminated", cql[i:j], i, j, "".join(chars))
            )
            i = j
        else:
            m = _WORD.match(cql, i)
            if m:
                end = m.end()
                # content.property[key].path: a bracketed key belongs to the field name
                while end < n and cql[end] == "[" and "]" in cql[end:]:
                    close = cql.index("]", end)
                    after = _WORD.match(cql, close + 1)
                    end = after.end() if after else close + 1
                out.append(Token("word", cql[i:end], i, end, cql[i:end]))
                i = end
            else:
                out.append(Token("bad", c, i, i + 1))
                i += 1
    out.append(Token("eof", "", n, n))
    return out
