"""The CQL vocabulary: fields with their operators and value kinds, functions, keywords, reserved words.

From Atlassian's CQL references (developer.atlassian.com/cloud/confluence/cql-fields/,
…/server/confluence/cql-field-reference/, …/cql-functions/). It serves highlighting, completion and hints;
the server decides what a query means (see ``cql.check``).

Re-exported by :mod:`workbench.confluence.cql`, which is the module to import.
"""

from __future__ import annotations

from dataclasses import dataclass

EQ_OPS = ("=", "!=", "in", "not in")
TEXT_OPS = ("~", "!~")
RANGE_OPS = ("=", "!=", ">", ">=", "<", "<=")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    operators: tuple[str, ...]
    kind: str  # text | key | id | user | date | enum | name
    doc: str = ""
    values: tuple[str, ...] = ()


_F = FieldSpec
FIELDS: dict[str, FieldSpec] = {
    f.name: f
    for f in (
        _F(
            "type",
            EQ_OPS,
            "enum",
            "content type",
            ("page", "blogpost", "comment", "attachment", "whiteboard", "folder"),
        ),
        _F("space", EQ_OPS, "key", "space key"),
        _F("space.key", EQ_OPS, "key", "space key"),
        _F("space.title", (*EQ_OPS, *TEXT_OPS), "text", "space name"),
        _F(
            "space.type",
            EQ_OPS,
            "enum",
            "space type",
            ("global", "personal", "collaboration", "knowledge_base"),
        ),
        _F("title", (*EQ_OPS, *TEXT_OPS), "text", "page title"),
        _F("text", TEXT_OPS, "text", "title, body and labels (full text)"),
        _F("sitesearch", TEXT_OPS, "text", "the site search (Cloud): title, body and labels"),
        _F("label", EQ_OPS, "name", "label name"),
        _F("id", EQ_OPS, "id", "content id"),
        _F("content", EQ_OPS, "id", "content id"),
        _F("parent", EQ_OPS, "id", "direct parent page id"),
        _F("ancestor", EQ_OPS, "id", "any ancestor page id"),
        _F("container", EQ_OPS, "id", "containing page id"),
        _F("creator", EQ_OPS, "user", "account id of the creator"),
        _F("contributor", EQ_OPS, "user", "account id of a creator or editor"),
        _F("mention", EQ_OPS, "user", "account id mentioned in the body"),
        _F("created", RANGE_OPS, "date", "creation date"),
        _F("lastmodified", RANGE_OPS, "date", "last modification date"),
        _F("macro", EQ_OPS, "name", "macro name used in the body"),
        _F("watcher", EQ_OPS, "user", "account id of a watcher"),
        _F("favourite", EQ_OPS, "user", "account id of someone who saved it"),
        _F("favorite", EQ_OPS, "user", "account id of someone who saved it"),
        _F("space.category", EQ_OPS, "name", "space category"),
        _F("space.desc", TEXT_OPS, "text", "space description"),
        _F("creator.fullname", TEXT_OPS, "text", "creator's full name (Data Center)"),
        _F(
            "contributor.fullname",
            TEXT_OPS,
            "text",
            "a creator's or editor's full name (Data Center)",
        ),
        _F("mention.fullname", TEXT_OPS, "text", "full name of someone mentioned (Data Center)"),
    )
}
#: ``content.property[key].path``: content properties indexed by an app (Cloud and Data Center).
PROPERTY_FIELD = FieldSpec(
    "content.property",
    ("=", "!=", "~", "!~", ">", ">=", "<", "<=", "in", "not in"),
    "any",
    "an indexed content property, content.property[key].path",
)
ORDER_FIELDS = ("title", "created", "lastmodified", "id", "space", "type")
OPERATORS = ("=", "!=", "~", "!~", ">", ">=", "<", "<=", "in", "not in")
KEYWORDS = ("and", "or", "not", "in", "order", "by", "asc", "desc")


@dataclass(frozen=True)
class FunctionSpec:
    """One CQL function: its documented name, how many arguments it takes, the kind of value it
    stands for (``date``, ``user``, ``key`` or ``id``: the fields of that kind take it), and other
    spellings the server accepts."""

    name: str
    min_args: int
    max_args: int
    kind: str
    aliases: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


#: The one table of CQL functions (Atlassian's cql-functions reference). Everything else is derived.
FUNCTION_SPECS: tuple[FunctionSpec, ...] = (
    FunctionSpec("now", 0, 1, "date"),
    FunctionSpec("currentUser", 0, 0, "user"),
    *(
        FunctionSpec(f"{edge}Of{unit}", 0, 1, "date")
        for edge in ("start", "end")
        for unit in ("Day", "Week", "Month", "Year")
    ),
    FunctionSpec("currentSpace", 0, 0, "key"),
    FunctionSpec("favouriteSpaces", 0, 0, "key", aliases=("favoriteSpaces",)),
    FunctionSpec("recentlyViewedContent", 0, 2, "id"),
    FunctionSpec("recentlyViewedSpaces", 0, 1, "key"),
)
#: lower-cased spelling -> (min args, max args, kind of result)
FUNCTIONS: dict[str, tuple[int, int, str]] = {
    spelling.lower(): (f.min_args, f.max_args, f.kind)
    for f in FUNCTION_SPECS
    for spelling in f.spellings
}
#: the documented names, for messages and highlighting
FUNCTION_NAMES: tuple[str, ...] = tuple(f.name for f in FUNCTION_SPECS)


def functions_of_kind(kind: str) -> tuple[str, ...]:
    """``name()`` of every function whose value fits a field of ``kind`` (for completion)."""
    return tuple(f"{f.name}()" for f in FUNCTION_SPECS if f.kind == kind)


RESERVED = frozenset(
    "after and as avg before begin by commit contains count distinct else empty end explain from having if in "
    "inner insert into is isnull left like limit max min not null or order outer right select sum then was "
    "where update".split()
)


def field_spec(name: str) -> FieldSpec | None:
    """The field's entry (``content.property[…]…`` included), or None for a name CQL's reference lacks."""
    low = name.lower()
    if low.startswith("content.property[") and "]" in low:
        return PROPERTY_FIELD
    return FIELDS.get(low)


def operators_for(field_name: str) -> tuple[str, ...]:
    """The operators a field accepts (``()`` for an unknown field)."""
    spec = field_spec(field_name)
    return spec.operators if spec else ()
