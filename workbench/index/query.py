"""What to ask the local index for: plain words, or the part of CQL the index can answer.

``workbench search --local`` takes what ``workbench search`` takes. Plain words (the same rule as
the search bar, ``services.search.is_plain_words``) are searched as they are. CQL is parsed with the
client's own parser (``confluence.cql``) and answered when it is a conjunction (``and``) of:

- ``text ~ "…"`` / ``siteSearch ~ "…"``: words, ``"phrases"``, ``prefix*`` (title, text, labels);
- ``title ~ "…"``: the same, in the title only;
- ``space = KEY`` / ``space in (A, B)`` (``space.key`` too);
- ``type = page|blogpost|folder`` / ``type in (…)`` — what the index holds;
- ``label = NAME`` (each one required).

Anything else (``or``, ``not``, dates, people, ``ancestor``…) is refused with the clause named:
the index cannot answer it the way Confluence would, and a different answer would mislead.
``order by`` is refused too: local results are ranked by relevance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.errors import UsageError

if TYPE_CHECKING:
    from workbench.confluence.cql import Clause

INDEXED_TYPES = ("page", "blogpost", "folder")
_ONLINE = "drop --local to ask Confluence"


@dataclass(frozen=True, slots=True)
class LocalQuery:
    """Keyword arguments of ``LocalSearch.search`` (``words`` is its text)."""

    words: str = ""
    title_words: str = ""
    spaces: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.words.strip() or self.title_words.strip() or self.labels)


def local_query(typed: str) -> LocalQuery:
    """The :class:`LocalQuery` for what was typed; ``UsageError`` for what the index cannot answer."""
    # lazy, for start-up: workbench.services.search loads on first use
    from workbench.services.search import is_plain_words

    typed = typed.strip()
    if not typed:
        raise UsageError("The search is empty. Example: workbench search --local release notes.")
    if is_plain_words(typed):
        return LocalQuery(words=" ".join(typed.split()))
    # lazy, for start-up: workbench.confluence.cql loads on first use
    from workbench.confluence import cql

    checked = cql.check(typed)
    if checked.query is None:
        error = checked.error
        said = error.message if error is not None else "it does not parse"
        raise UsageError(f"The query is not valid CQL: {said}.")
    if checked.query.order_by:
        raise UsageError(
            f"Local results are ranked by relevance; remove 'order by' (or {_ONLINE})."
        )
    where = checked.query.where
    clauses = list(where.items) if isinstance(where, cql.And) else [where]
    words: list[str] = []
    title: list[str] = []
    spaces: list[str] = []
    types: list[str] = []
    labels: list[str] = []
    for clause in clauses:
        if not isinstance(clause, cql.Clause):
            raise UsageError(
                f"The local index answers clauses joined by 'and' only (no 'or', 'not' or "
                f"parentheses); {_ONLINE}."
            )
        values = [v.text for v in clause.values if isinstance(v, cql.Value)]
        if len(values) != len(clause.values) or not values:
            raise UsageError(
                f"The local index cannot answer '{_shown(typed, clause)}' (a function); {_ONLINE}."
            )
        field, op = clause.field, clause.op
        if field in ("text", "sitesearch", "title") and op == "~":
            (title if field == "title" else words).extend(values)
        elif field in ("space", "space.key") and op in ("=", "in"):
            spaces.extend(values)
        elif field == "type" and op in ("=", "in"):
            unknown = [v for v in values if v not in INDEXED_TYPES]
            if unknown:
                raise UsageError(
                    f"The local index holds pages, blog posts and folders, not "
                    f"{', '.join(unknown)}; {_ONLINE}."
                )
            types.extend(values)
        elif field == "label" and (op == "=" or (op == "in" and len(values) == 1)):
            labels.extend(values)
        else:
            raise UsageError(
                f"The local index cannot answer '{_shown(typed, clause)}'; it takes text ~, "
                f"title ~, space =, type = and label = joined by 'and' ({_ONLINE})."
            )
    return LocalQuery(
        " ".join(words),
        " ".join(title),
        tuple(dict.fromkeys(spaces)),
        tuple(dict.fromkeys(types)),
        tuple(dict.fromkeys(labels)),
    )


def _shown(typed: str, clause: Clause) -> str:
    """The clause as typed (from its position to the next ' and ' or the end), printable."""
    # lazy, for start-up: workbench.textsafe loads on first use
    from workbench.textsafe import printable

    rest = typed[clause.position :]
    cut = rest.lower().find(" and ")
    return printable(rest if cut < 0 else rest[:cut])[:80]
