"""The site's schema in the tool descriptions: the spaces the agent may use, and a short CQL guide.

A model on a real site otherwise guesses space keys, or spends a step on ``list_spaces``, and writes
CQL that fails (an unquoted ``~personal`` key, ``title = "…"`` for a fuzzy match). The allowed spaces
are discovered once when a session starts (one spaces listing) and refreshed whenever the model
calls ``list_spaces``. What this adds to the tools sent with every request is bounded:
:data:`SCHEMA_BUDGET` bytes in all, spaces dropped past it ("… N more: list_spaces").
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: Bytes the site schema and the CQL guide may add to the JSON of the tools (every request).
SCHEMA_BUDGET = 1_400
#: Spaces named at most (the rest: "… N more").
MAX_SPACES = 40
NAME_CHARS = 28

CQL_GUIDE = (
    'CQL: words need text ~ "deploy"; title ~ "runbook" (fuzzy); label = "ops"; ancestor = 12345 '
    '(every page below it); lastmodified >= now("-7d"); quote personal space keys: space = "~jdoe"; '
    "AND/OR/NOT; ORDER BY lastmodified DESC."
)


def cql_key(key: str) -> str:
    """A space key as CQL needs it: personal keys (``~name``) quoted."""
    return f'"{key}"' if not key.isalnum() else key


@dataclass(frozen=True, slots=True)
class SiteSchema:
    """The allowed spaces as ``(key, name)``, in the order the site lists them."""

    spaces: tuple[tuple[str, str], ...] = ()
    more: int = 0  # allowed spaces not named (past MAX_SPACES)

    @classmethod
    def of(cls, spaces: Iterable[tuple[str, str]]) -> SiteSchema:
        listed = list(spaces)
        return cls(tuple(listed[:MAX_SPACES]), max(0, len(listed) - MAX_SPACES))

    def spaces_text(self, budget: int) -> str:
        """``Spaces you may use: ENG (Engineering), "~jdoe" (Jo Doe) …`` within ``budget`` bytes."""
        if not self.spaces:
            return "No space is allowed here."
        head, parts, used = "Spaces you may use: ", [], 0
        shown = 0
        for key, name in self.spaces:
            short = " ".join(name.split())
            short = short if len(short) <= NAME_CHARS else short[: NAME_CHARS - 1] + "…"
            part = f"{cql_key(key)} ({short})"
            size = len(json.dumps(part)) + 2
            if len(head) + used + size + 40 > budget:
                break
            parts.append(part)
            used += size
            shown += 1
        rest = len(self.spaces) - shown + self.more
        tail = f", … {rest} more (list_spaces)" if rest else ""
        return head + ", ".join(parts) + tail + "."

    def example_key(self) -> str:
        for key, _ in self.spaces:
            if key.isalnum():
                return key
        return "ENG"


def with_site(schemas: list[dict[str, Any]], site: SiteSchema | None) -> list[dict[str, Any]]:
    """The tool schemas with the site's spaces and the CQL guide written into their descriptions."""
    if site is None:
        return schemas
    out = json.loads(json.dumps(schemas))  # the static specs stay untouched
    spaces_budget = SCHEMA_BUDGET - len(json.dumps(CQL_GUIDE)) - 80
    spaces = site.spaces_text(spaces_budget)
    key = site.example_key()
    for tool in out:
        fn = tool["function"]
        if fn["name"] == "search_pages":
            fn["description"] = (
                f"Search pages with CQL, e.g. 'type=page AND space={key} AND text ~ \"deploy\"'. One line per hit: "
                f"page id, space, title, excerpt. {spaces} {CQL_GUIDE}"
            )
        elif fn["name"] == "propose_page":
            fn["parameters"]["properties"]["space_key"]["description"] = (
                "A key from search_pages' list of spaces."
            )
    return out
