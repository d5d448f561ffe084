"""Waiting out Confluence's rate limits during a sync.

The transport already retries a 429 a few times and waits out long pauses when asked to; when a 429
still comes through (:class:`~workbench.confluence.errors.RateLimited`), a sync — which is resumable
anyway — waits the time Confluence asked for, tells its watcher (the countdown), and tries again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from workbench.confluence.errors import RateLimited
from workbench.index.events import OnEvent, Waiting

T = TypeVar("T")

#: Rate-limit waits in a row before the sync gives up (each one is Confluence's own Retry-After).
MAX_WAITS = 50
#: The wait when Confluence did not say how long.
DEFAULT_WAIT = 5.0


class Patience:
    def __init__(self, on_event: OnEvent) -> None:
        self.on_event = on_event
        self.waits = 0

    async def call(self, make: Callable[[], Awaitable[T]]) -> T:
        """``await make()``, waiting and trying again while Confluence answers 429."""
        while True:
            try:
                result = await make()
            except RateLimited as exc:
                self.waits += 1
                if self.waits > MAX_WAITS:
                    raise
                wait = exc.retry_after if exc.retry_after and exc.retry_after > 0 else DEFAULT_WAIT
                self.on_event(Waiting(wait, "rate limited by Confluence"))
                await asyncio.sleep(wait)
                continue
            self.waits = 0
            return result
