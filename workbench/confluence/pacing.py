"""How fast one client sends: one backoff shared by all its concurrent requests.

Without it, a 429 made every waiting request sleep until the same instant and then send at once: most
got another 429, and after four attempts gave up (security report D9: 30 parallel reads against
``--rate-limit 2`` failed 18 times). Atlassian's recipe (developer.atlassian.com/cloud/confluence/
rate-limiting/): honour ``Retry-After`` for *all* calls, keep about 5–10 requests in flight, and slow
down when ``X-RateLimit-NearLimit: true`` says under 20 % of the quota is left. So:

- a 429 pauses every request of the client until its wait is over (each request waits out a given
  pause once), and drops the number of requests in flight to one;
- after that the window grows again by one request per window's worth of answers that were not a
  429 (additive increase, multiplicative decrease), up to ``max_in_flight``;
- ``X-RateLimit-NearLimit: true`` holds the window at one request at a time, at least
  ``near_limit_interval`` seconds apart, for ``near_limit_hold`` seconds after the last such answer.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

Wait = Callable[[float, str], Awaitable[None]]

NEAR_LIMIT_INTERVAL = 1.0  # seconds between request starts while the quota is nearly used up
NEAR_LIMIT_HOLD = 60.0  # seconds the slow pace lasts after the last NearLimit answer


class Pacer:
    """Admission for one client's requests: ``covered = await pacer.acquire(wait, covered)``, then
    ``pacer.release()`` when the answer is in (and ``on_rate_limited``/``on_answer`` with what it said)."""

    def __init__(
        self,
        max_in_flight: int = 8,
        *,
        clock: Callable[[], float] = time.monotonic,
        near_limit_interval: float = NEAR_LIMIT_INTERVAL,
        near_limit_hold: float = NEAR_LIMIT_HOLD,
    ) -> None:
        self.max_in_flight = max(1, max_in_flight)
        self.window = self.max_in_flight
        self.in_flight = 0
        self.paused_until = 0.0
        self.clock = clock
        self.near_limit_interval = near_limit_interval
        self.near_limit_hold = near_limit_hold
        self.near_until = 0.0
        self.next_start = 0.0
        self._answers_in_window = 0
        self._changed: asyncio.Event | None = None

    @property
    def near_limit(self) -> bool:
        return self.clock() < self.near_until

    def _event(self) -> asyncio.Event:
        if self._changed is None:
            self._changed = asyncio.Event()
        return self._changed

    def _notify(self) -> None:
        if self._changed is not None:
            self._changed.set()
            self._changed = None

    async def acquire(self, wait: Wait, covered: float) -> float:
        """Wait for a shared pause (once per pause: ``covered`` is the last one this request waited
        out), for room in the window, and for the slow pace; returns the pause now covered."""
        while True:
            if self.paused_until > covered:
                covered = self.paused_until
                hold = covered - self.clock()
                if hold > 0.01:
                    await wait(hold, "rate limited by Confluence")
                continue
            if self.in_flight >= self.window:
                await self._event().wait()
                continue
            now = self.clock()
            start = max(now, self.next_start) if self.near_limit else now
            self.in_flight += 1  # the place is held while spacing, so no one overtakes
            if self.near_limit:
                self.next_start = start + self.near_limit_interval
            if start - now > 0.01:
                try:
                    await wait(
                        start - now, "slowing down: Confluence's rate limit is nearly used up"
                    )
                except BaseException:
                    self.release()
                    raise
            return covered

    def release(self) -> None:
        self.in_flight = max(0, self.in_flight - 1)
        self._notify()

    def on_rate_limited(self, delay: float) -> float:
        """A 429: pause everyone for ``delay`` seconds and shrink the window to one request."""
        self.paused_until = max(self.paused_until, self.clock() + delay)
        self.window = 1
        self._answers_in_window = 0
        self._notify()
        return self.paused_until

    def on_answer(self, near_limit: bool) -> None:
        """Any answer that was not a 429: the window grows by one per window's worth of them."""
        if near_limit:
            self.near_until = self.clock() + self.near_limit_hold
            self.next_start = max(self.next_start, self.clock() + self.near_limit_interval)
            self.window = 1
            self._answers_in_window = 0
            return
        if self.near_limit or self.window >= self.max_in_flight:
            return
        self._answers_in_window += 1
        if self._answers_in_window >= self.window:
            self.window += 1
            self._answers_in_window = 0
            self._notify()
