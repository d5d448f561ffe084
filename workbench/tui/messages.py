"""App-wide messages (widget-specific ones are nested in their widgets)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class RateLimitWait(Message):
    """The client is waiting before a retry (429 or a transient failure): show a countdown."""

    seconds: float
    reason: str


@dataclass
class PageSaved(Message):
    """A page was written (by the editor, a merge or the agent panel): refresh what shows it."""

    page_id: str
    version: int
