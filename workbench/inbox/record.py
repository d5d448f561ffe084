"""A proposal as plain JSON data, and back: what the inbox keeps on disk.

Everything :func:`workbench.agent.apply.apply_proposal` needs is kept: the target, the Markdown
before and after, and for an edit the pinned base version *with its storage*, so approving later
converts the accepted Markdown against exactly the version the agent read (untouched macros stay
byte for byte) and a page that moved on since is caught as a conflict, never overwritten.
Hunks are not stored: they are recomputed from before/after (``difflib`` is deterministic), so a
record cannot carry hunk states that were not the person's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.agent.proposals import Proposal

_TEXT_FIELDS = ("kind", "summary", "before", "after", "title", "space_key", "parent_title")


class BrokenRecord(WorkbenchError):
    """A stored proposal that cannot be read back (hand-edited, another version of the workbench)."""


def proposal_to_data(proposal: Proposal) -> dict[str, Any]:
    """The proposal as JSON-able data (without hunk states)."""
    data: dict[str, Any] = {name: getattr(proposal, name) for name in _TEXT_FIELDS}
    data.update(
        page_id=proposal.page_id,
        parent_id=proposal.parent_id,
        base_version=proposal.base_version,
        users=dict(proposal.users),
        unknown_mentions=list(proposal.unknown_mentions),
        labels=list(proposal.labels),
        draft=proposal.draft,
        comment_id=proposal.comment_id,
        comment_inline=proposal.comment_inline,
        base=_base_to_data(proposal),
    )
    return data


def proposal_from_data(data: dict[str, Any], proposal_id: int) -> Proposal:
    """The proposal again (hunks pending), ``id`` the inbox's; ``BrokenRecord`` when a field is wrong."""
    # lazy, for start-up: workbench.agent.proposals loads on first use
    from workbench.agent.proposals import (
        COMMENT,
        EDIT,
        LABELS,
        NEW_PAGE,
        REPLY,
        Proposal,
    )

    try:
        kind = _text(data, "kind")
        if kind not in (EDIT, NEW_PAGE, COMMENT, REPLY, LABELS):
            raise BrokenRecord(f"Proposal {proposal_id} has an unknown kind '{kind}'.")
        base_version = data.get("base_version")
        if base_version is not None and not isinstance(base_version, int):
            raise BrokenRecord(f"Proposal {proposal_id} has a base version that is not a number.")
        proposal = Proposal(
            kind=kind,
            summary=_text(data, "summary"),
            before=_text(data, "before"),
            after=_text(data, "after"),
            page_id=_optional_text(data, "page_id"),
            title=_text(data, "title"),
            space_key=_text(data, "space_key"),
            parent_id=_optional_text(data, "parent_id"),
            parent_title=_text(data, "parent_title"),
            base_version=base_version,
            users={str(k): str(v) for k, v in dict(data.get("users") or {}).items()},
            unknown_mentions=tuple(str(n) for n in data.get("unknown_mentions") or ()),
            labels=tuple(str(n) for n in data.get("labels") or ()),
            draft=bool(data.get("draft", False)),
            comment_id=_optional_text(data, "comment_id"),
            comment_inline=bool(data.get("comment_inline", False)),
            id=proposal_id,
        )
        proposal.base = _base_from_data(data.get("base"), proposal)
    except (TypeError, ValueError, AttributeError) as exc:
        raise BrokenRecord(f"Proposal {proposal_id} cannot be read ({exc}).") from None
    if kind == EDIT and proposal.base is None:
        raise BrokenRecord(f"Proposal {proposal_id} is an edit without its base version.")
    return proposal


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
