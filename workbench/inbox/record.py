"""A proposal as plain JSON data, and back: what the inbox keeps on disk.

Everything :func:`workbench.agent.apply.apply_proposal` needs is kept: the target, the Markdown
before and after, and for an edit the pinned base version *with its storage*, so approving later
converts the accepted Markdown against exactly the version the agent read (untouched macros stay
byte for byte) and a page that moved on since is caught as a conflict, never overwritten.
Hunks are not stored: they are recomputed from before/after (``difflib`` is deterministic), so a
record cannot carry hunk states that were not the person's.
"""

from __future__ import annotations

from dataclasses import MISSING, Field, fields
from typing import TYPE_CHECKING, Any

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.agent.proposals import Proposal

#: the fields not kept as they are: the base (kept with its storage), the hunks (recomputed), the id
#: (the inbox's)
_SPECIAL = ("base", "hunks", "id")


class BrokenRecord(WorkbenchError):
    """A stored proposal that cannot be read back (hand-edited, another version of the workbench)."""


def _kept_fields() -> list[Field[Any]]:
    # lazy, for start-up: workbench.agent.proposals loads on first use
    from workbench.agent.proposals import Proposal

    return [f for f in fields(Proposal) if f.name not in _SPECIAL]


def proposal_to_data(proposal: Proposal) -> dict[str, Any]:
    """The proposal as JSON-able data (without hunk states): every field of
    :class:`~workbench.agent.proposals.Proposal`, so a kind or a field added later is kept whole
    (tuples become lists)."""
    data: dict[str, Any] = {f.name: _to_json(getattr(proposal, f.name)) for f in _kept_fields()}
    data["base"] = _base_to_data(proposal)
    return data


def proposal_from_data(data: dict[str, Any], proposal_id: int) -> Proposal:
    """The proposal again (hunks pending), ``id`` the inbox's; ``BrokenRecord`` when a field is wrong.

    Any kind is read back (one this version cannot apply is refused when approved, not here); each
    field is checked against the type of its default, and a field the record lacks takes it."""
    # lazy, for start-up: workbench.agent.proposals loads on first use
    from workbench.agent.proposals import EDIT, Proposal

    try:
        kind = _text(data, "kind")
        if not kind:
            raise BrokenRecord(f"Proposal {proposal_id} has no kind.")
        values: dict[str, Any] = {}
        for f in _kept_fields():
            if f.name in data:
                values[f.name] = _from_json(f, data[f.name])
            elif f.default is MISSING and f.default_factory is MISSING:
                values[f.name] = ""  # summary, before, after: text, empty when not kept
        proposal = Proposal(**values, id=proposal_id)
        proposal.base = _base_from_data(data.get("base"), proposal)
    except (TypeError, ValueError, AttributeError) as exc:
        raise BrokenRecord(f"Proposal {proposal_id} cannot be read ({exc}).") from None
    if kind == EDIT and proposal.base is None:
        raise BrokenRecord(f"Proposal {proposal_id} is an edit without its base version.")
    return proposal


def _to_json(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _to_json(v) for k, v in value.items()}
    return value


def _from_json(f: Field[Any], value: Any) -> Any:
    """``value`` as field ``f`` holds it, checked against the type of the field's default."""
    default = f.default_factory() if f.default_factory is not MISSING else f.default
    if value is None:
        if default is MISSING or default is not None and not isinstance(default, str):
            raise TypeError(f"{f.name} may not be empty")
        return default if isinstance(default, str) else None
    if isinstance(default, tuple):
        if not isinstance(value, list):
            raise TypeError(f"{f.name} is not a list")
        return tuple(str(v) for v in value)
    if isinstance(default, dict):
        if not isinstance(value, dict):
            raise TypeError(f"{f.name} is not an object")
        return {str(k): str(v) for k, v in value.items()}
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise TypeError(f"{f.name} is not true or false")
        return value
    if isinstance(default, str) or default is MISSING:
        if not isinstance(value, str):
            raise TypeError(f"{f.name} is not text")
        return value
    # a default of None: an optional id (text; a number is taken as its digits), a version number
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError(f"{f.name} is neither text nor a number")
    if f.name.endswith("_id"):
        return str(value)
    if f.name.endswith("version") and not isinstance(value, int):
        raise TypeError(f"{f.name} is not a number")
    return value


def _base_to_data(proposal: Proposal) -> dict[str, Any] | None:
    opened = proposal.base
    if opened is None:
        return None
    page = opened.page
    return {
        "id": page.id,
        "title": page.title,
        "space_id": page.space_id,
        "space_key": page.space_key,
        "version": page.version.number,
        "storage": page.storage or "",
        "parent_id": page.parent_id,
        "status": page.status,
        "type": page.type,
        "base_url": page.base_url,
        "webui": page.webui,
        "users": dict(opened.users),
    }


def _base_from_data(data: Any, proposal: Proposal):
    if data is None:
        return None
    if not isinstance(data, dict):
        raise TypeError("base is not an object")
    # lazy, for start-up: workbench.confluence.models, workbench.services.pages loads on first use
    from workbench.confluence.models import Page, Version
    from workbench.services.pages import OpenedPage

    page = Page(
        id=_text(data, "id"),
        title=_text(data, "title"),
        space_id=_text(data, "space_id"),
        version=Version(int(data["version"])),
        storage=_text(data, "storage"),
        parent_id=_optional_text(data, "parent_id"),
        status=_text(data, "status") or "current",
        space_key=_text(data, "space_key"),
        type=_text(data, "type") or "page",
        base_url=_text(data, "base_url"),
        webui=_text(data, "webui"),
    )
    users = {str(k): str(v) for k, v in dict(data.get("users") or {}).items()}
    # the Markdown the agent read is the proposal's "before": the base exactly as it was shown
    return OpenedPage(page, proposal.before, users)


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError(f"{name} is not text")
    return value


def _optional_text(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise TypeError(f"{name} is not text")
    return str(value)
