"""Following the inbox while the workbench runs: the count of pending proposals for the status bar's
badge (live as agents add them through ``workbench mcp``), and a notice when new ones arrive.

The inbox is files another process writes (``workbench.inbox.store``); :meth:`InboxWatch.check`
compares the folder's signature (names, sizes, times) and counts the pending proposals only when it
changed. The app polls it (:data:`EVERY`) and keeps the count in ``WorkbenchApp.pending_proposals``,
which the status bar watches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.inbox.store import Inbox

EVERY = 1.0  # seconds between looks at the inbox folder (the inbox screen polls as often)


class InboxWatch:
    """The pending count of one inbox, recounted when its files change."""

    def __init__(self, inbox: Inbox | None = None) -> None:
        # lazy, for start-up: workbench.inbox.store loads on first use
        from workbench.inbox.store import Inbox

        self.inbox = inbox or Inbox()
        self._signature: tuple[tuple[str, int], ...] | None = None
        self.pending = 0

    def check(self) -> int | None:
        """The new pending count when the inbox changed since the last look, else None."""
        # lazy, for start-up: workbench.inbox.store loads on first use
        from workbench.inbox.store import PENDING

        try:
            signature = self.inbox.signature()
        except OSError:  # a folder we cannot read: the badge keeps what it showed
            return None
        if signature == self._signature:
            return None
        self._signature = signature
        self.pending = len(self.inbox.items(PENDING))
        return self.pending
