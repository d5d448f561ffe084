"""What the index holds, as values: a space's sync position, a content entry, a row to write, and
the times (epoch milliseconds in the file, ISO-8601 outside)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True)
class IndexedSpace:
    key: str
    id: str
    name: str
    type: str
    homepage_id: int | None
    state: str
    watermark: str
    synced_at: float | None
    checked_at: float | None


@dataclass(frozen=True, slots=True)
class Entry:
    """What the index knows of one piece of content, without its body (change detection)."""

    id: int
    type: str
    title: str
    version: int
    parent_id: int | None
    labels: str
    has_body: bool


@dataclass(frozen=True, slots=True)
class Row:
    """One piece of content to write: ``storage``/``text`` None keeps the body already indexed."""

    id: int
    type: str
    space_key: str
    title: str
    version: int
    parent_id: int | None = None
    parent_type: str | None = None
    modified_at: str = ""
    modified_by: str = ""
    author_id: str = ""
    labels: str = ""
    webui: str = ""
    storage: str | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class OldRow:
    """What a content row held before a write or a removal, with the text its full-text entry was
    given (the full-text table is contentless: removing an entry needs the old values)."""

    title: str
    labels: str
    parent_id: int | None
    chunk: int | None
    slot: int | None
    text: str
    size: int


def millis(value: str) -> int | None:
    """Epoch milliseconds of an ISO-8601 time (``…Z`` or ``…+02:00``), or None."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def iso(ms: int | None) -> str:
    """``2024-02-01T02:34:14.885Z`` for epoch milliseconds ("" for None)."""
    if ms is None:
        return ""
    when = datetime.fromtimestamp(ms / 1000, UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
