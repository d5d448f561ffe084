"""Evaluate parsed CQL against the local Confluence's SQLite store.

``compile_query(query, account=…, now=…, space_key=…)`` turns a :class:`~workbench.confluence.cql.Query`
into a SQL condition over ``pages p JOIN spaces s``, an ORDER BY, and the words to highlight.
Searchable content is every current piece of content: pages, blog posts and (on Cloud) folders,
whiteboards, databases and smart links, by their title; ``type = …`` picks among them.
Dates are interpreted in UTC; a date without a time covers that whole day for ``=``/``!=`` and
means its midnight for ``<``, ``<=``, ``>``, ``>=``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from workbench.confluence import cql
from workbench.emulator import schema
from workbench.emulator.errors import bad_request
from workbench.emulator.schema import iso

_COLUMNS = {"created": "p.created_at", "lastmodified": "p.modified_at"}
_ORDER = {
    "title": "p.title COLLATE NOCASE",
    "created": "p.created_at",
    "lastmodified": "p.modified_at",
    "id": "p.id",
    "space": "s.key",
    "type": "1",
}
_TERM = re.compile(r"[\w*?]+", re.UNICODE)
_DESCENDANTS = (
    "p.id IN (WITH RECURSIVE d(id) AS (SELECT id FROM pages WHERE parent_id = ? "
    "UNION ALL SELECT pages.id FROM pages JOIN d ON pages.parent_id = d.id) SELECT id FROM d)"
)


@dataclass
class Compiled:
    where: str
    params: list[Any]
    order: str
    join: str = ""  # joins the relevance score as ``r.score`` when ranking by text
    join_params: list[Any] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # words to highlight


def compile_query(
    query: cql.Query, *, account: str, now: datetime | None = None, space_key: str | None = None
) -> Compiled:
    ctx = _Context(
        account, now or schema.utcnow(), space_key
    )  # looked up at call time: tests fix the clock
    where, params = ctx.node(query.where, negated=False) if query.where is not None else ("1", [])
    join, join_params = "", []
    if ctx.match:
        # bm25 weights: a hit in the title counts ten times a hit in the body, a label five times
        join = (
            "LEFT JOIN (SELECT rowid AS rid, bm25(pages_fts, 10.0, 1.0, 5.0) AS score FROM pages_fts "
            "WHERE pages_fts MATCH ?) r ON r.rid = p.id"
        )
        join_params = [" OR ".join(f"({m})" for m in ctx.match)]
    if query.order_by:
        order = ", ".join(
            f"{_ORDER[o.field]} {'DESC' if o.descending else 'ASC'}" for o in query.order_by
        )
        order += ", p.id"
    elif ctx.match:
        order = "r.score, p.modified_at DESC, p.id"
    else:
        order = "p.modified_at DESC, p.id"
    return Compiled(where, params, order, join, join_params, ctx.terms)


class _Context:
    def __init__(self, account: str, now: datetime, space_key: str | None) -> None:
        self.account = account
        self.now = now
        self.space_key = space_key
        self.terms: list[str] = []
        self.match: list[str] = []

    def node(self, node, negated: bool) -> tuple[str, list[Any]]:
        if isinstance(node, cql.And | cql.Or):
            parts = [self.node(item, negated) for item in node.items]
            joiner = " AND " if isinstance(node, cql.And) else " OR "
            return "(" + joiner.join(sql for sql, _ in parts) + ")", [
                p for _, ps in parts for p in ps
            ]
        if isinstance(node, cql.Not):
            sql, params = self.node(node.item, not negated)
            return f"NOT ({sql})", params
        return self.clause(node, negated)

    def clause(self, clause: cql.Clause, negated: bool) -> tuple[str, list[Any]]:
        positive_op = {"!=": "=", "!~": "~", "not in": "in"}.get(clause.op, clause.op)
        inverted = positive_op != clause.op
        if clause.field in ("created", "lastmodified"):
            return self.date(clause)
        parts = [self.one(clause.field, positive_op, v, negated != inverted) for v in clause.values]
        sql = "(" + " OR ".join(s for s, _ in parts) + ")"
        params = [p for _, ps in parts for p in ps]
        return (f"NOT {sql}" if inverted else sql), params

    def value(self, value: cql.Value | cql.Function) -> str:
        if isinstance(value, cql.Value):
            return value.text
        key = value.key
        if key == "currentuser":
            return self.account
        if key == "currentspace":
            if not self.space_key:
                raise bad_request("currentSpace() needs a cqlcontext with a spaceKey.")
            return self.space_key
        raise bad_request(
            f"The local Confluence does not track what {value.name}() needs; remove it from the query."
        )

    def one(
        self, name: str, op: str, value: cql.Value | cql.Function, negated: bool
    ) -> tuple[str, list[Any]]:
        if isinstance(value, cql.Function) and value.key in _NOTHING_TRACKED:
            return "0", []  # nobody has favourites or a viewing history on the local Confluence
        if name in _NOTHING_KEPT or name.startswith("content.property["):
            return (
                "0",
                [],
            )  # documented fields whose data the local Confluence does not keep: nothing matches
        if name == "space.desc":
            return self.like("s.description", value)
        if name.endswith(".fullname"):
            column = {
                "creator.fullname": "p.author_id",
                "mention.fullname": None,
                "contributor.fullname": None,
            }[name]
            words = _words(self.value(value))
            if not words:
                return "0", []
            named = "SELECT account_id FROM users WHERE " + " AND ".join(
                "display_name LIKE ?" for _ in words
            )
            params = [f"%{w.strip('*?')}%" for w in words]
            if column:
                return f"{column} IN ({named})", params
            if name == "contributor.fullname":
                return (
                    f"EXISTS (SELECT 1 FROM page_versions v WHERE v.page_id = p.id AND v.author_id IN ({named}))",
                    params,
                )
            return (
                f"EXISTS (SELECT 1 FROM users u WHERE u.account_id IN ({named}) AND "
                "instr(p.body, 'ri:account-id=\"' || u.account_id || '\"') > 0)"
            ), params
        if name in ("text", "title", "sitesearch") and op == "~":
            match = _fts(
                value.text if isinstance(value, cql.Value) else self.value(value),
                "title" if name == "title" else None,
            )
            if match is None:
                return "0", []
            if not negated:
                self.terms += _words(value.text if isinstance(value, cql.Value) else "")
                self.match.append(match)
            return "p.id IN (SELECT rowid FROM pages_fts WHERE pages_fts MATCH ?)", [match]
        text = self.value(value)
        if (
            name == "type"
        ):  # page, blogpost, folder, whiteboard, database, embed (comments are not searched)
            return "p.type = ?", [text.lower()]
        if name in ("space", "space.key"):
            return "s.key = ?", [text]
        if name == "space.title":
            if op == "~":
                return self.like("s.name", value)
            return "s.name = ? COLLATE NOCASE", [text]
        if name == "space.type":
            return "s.type = ?", [text]
        if name == "title":
            return "p.title = ? COLLATE NOCASE", [text]
        if name == "label":
            return (
                "EXISTS (SELECT 1 FROM page_labels pl JOIN labels l ON l.id = pl.label_id "
                "WHERE pl.page_id = p.id AND l.name = ?)"
            ), [text.lower()]
        if name in ("id", "content"):
            return "p.id = ?", [_content_id(text)]
        if name in ("parent", "container"):
            return "p.parent_id = ?", [_content_id(text)]
        if name == "ancestor":
            return _DESCENDANTS, [_content_id(text)]
        if name == "creator":
            return "p.author_id = ?", [text]
        if name == "contributor":
            return (
                "EXISTS (SELECT 1 FROM page_versions v WHERE v.page_id = p.id AND v.author_id = ?)",
                [text],
            )
        if name == "mention":
            return "instr(p.body, ?) > 0", [f'ri:account-id="{text}"']
        if name == "macro":
            return "instr(p.body, ?) > 0", [f'ac:name="{text}"']
        raise bad_request(f"The field '{name}' cannot be searched on the local Confluence.")

    def like(self, column: str, value: cql.Value | cql.Function) -> tuple[str, list[Any]]:
        """Every word of the value occurs in ``column`` (case-insensitive)."""
        words = _words(self.value(value))
        if not words:
            return "0", []
        return "(" + " AND ".join(f"{column} LIKE ?" for _ in words) + ")", [
            f"%{w.strip('*?')}%" for w in words
        ]

    def date(self, clause: cql.Clause) -> tuple[str, list[Any]]:
        column = _COLUMNS[clause.field]
        start, end = self.moment(clause.values[0])
        op = clause.op
        if op == "=":
            return f"({column} >= ? AND {column} < ?)", [iso(start), iso(end)]
        if op == "!=":
            return f"({column} < ? OR {column} >= ?)", [iso(start), iso(end)]
        return f"{column} {op} ?", [iso(start)]

    def moment(self, value: cql.Value | cql.Function) -> tuple[datetime, datetime]:
        if isinstance(value, cql.Value):
            text = value.text.replace("/", "-")
            timed = " " in text
            try:
                start = datetime.strptime(text, "%Y-%m-%d %H:%M" if timed else "%Y-%m-%d").replace(
                    tzinfo=UTC
                )
            except ValueError:
                raise bad_request(f"'{value.text}' is not a valid date.") from None
            return start, start + (timedelta(minutes=1) if timed else timedelta(days=1))
        instant = resolve_date_function(value.key, value.args[0] if value.args else "", self.now)
        return instant, instant + timedelta(milliseconds=1)


#: Functions over data the local Confluence does not keep (favourites, views): their sets are empty.
_NOTHING_TRACKED = frozenset(
    {"favouritespaces", "favoritespaces", "recentlyviewedcontent", "recentlyviewedspaces"}
)
#: Documented fields whose data the local Confluence does not keep (watches, favourites, space
#: categories, content properties): they match nothing, as on a site where nobody set them.
_NOTHING_KEPT = frozenset({"watcher", "favourite", "favorite", "space.category"})


def resolve_date_function(name: str, inc: str, now: datetime) -> datetime:
    """``now``, ``startOfDay`` … ``endOfYear`` with an optional offset such as ``"-2w"``."""
    if name == "now":
        return shift(now, inc)
    edge, unit = name[: name.index("of")], name[name.index("of") + 2 :]
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit == "day":
        start, nxt = day, day + timedelta(days=1)
    elif unit == "week":
        start = day - timedelta(days=day.weekday())
        nxt = start + timedelta(days=7)
    elif unit == "month":
        start = day.replace(day=1)
        nxt = shift(start, "1M")
    else:
        start = day.replace(month=1, day=1)
        nxt = start.replace(year=start.year + 1)
    moment = start if edge == "start" else nxt - timedelta(milliseconds=1)
    return shift(moment, inc)


def shift(moment: datetime, inc: str) -> datetime:
    if not inc:
        return moment
    m = re.fullmatch(r"([+-]?)(\d+)([yMwdhm])", inc)
    if m is None:
        raise bad_request(f"'{inc}' is not a time offset.")
    n = int(m.group(2)) * (-1 if m.group(1) == "-" else 1)
    unit = m.group(3)
    if unit in "yM":
        months = moment.month - 1 + (n * 12 if unit == "y" else n)
        year, month = moment.year + months // 12, months % 12 + 1
        days_in = [
            31,
            29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ][month - 1]
        return moment.replace(year=year, month=month, day=min(moment.day, days_in))
    return (
        moment
        + {
            "w": timedelta(weeks=n),
            "d": timedelta(days=n),
            "h": timedelta(hours=n),
            "m": timedelta(minutes=n),
        }[unit]
    )


def _content_id(text: str) -> int:
    """A content id for SQL; ids beyond SQLite's integers match nothing (-1) instead of failing."""
    number = int(text)
    return number if number < 2**63 else -1


def _words(text: str) -> list[str]:
    return [w for w in _TERM.findall(text.replace("\\", " ")) if w.strip("*?")]


def _fts(text: str, column: str | None) -> str | None:
    """An FTS5 query for a CQL text value: all words must occur; ``"…"`` inside means a phrase;
    a trailing ``*`` (or a ``?``) makes a prefix search; Lucene escapes are ignored."""
    raw = text.strip()
    phrase = len(raw) > 1 and raw[0] == raw[-1] == '"'
    words = _words(raw)
    if not words:
        return None
    prefix = f"{column} : " if column else ""
    if phrase:
        return prefix + '"' + " ".join(w.strip("*?") for w in words) + '"'
    parts = []
    for word in words:
        core = word.split("?")[0].split("*")[0]
        if not core:
            continue
        parts.append(prefix + f'"{core}"' + ("*" if core != word else ""))
    return " AND ".join(parts) if parts else None
