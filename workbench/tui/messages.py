"""App-wide messages (widget-specific ones are nested in their widgets)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from workbench.services.pages import OpenedPage


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


@dataclass
class PageShown(Message):
    """The page being shown changed: opened (``loaded``), or saved as a new version. Posted by the
    page pane, the one writer of ``Workspace.current``; the screen tells the other panes."""

    page: OpenedPage
    loaded: bool = True


@dataclass
class WriteFailed(Message):
    """A file written in the background (the recent pages and bookmarks) could not be written:
    say so. Posted from the writer thread (``post_message`` is thread-safe)."""

    problem: str
