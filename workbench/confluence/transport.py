"""The one place requests are retried: an ``httpx.AsyncBaseTransport`` wrapper.

Rules (design §2.2, Atlassian's rate-limiting recipe):

- Reads (GET/HEAD/OPTIONS) are retried on 429, 502, 503, 504 and on transport errors.
- Writes are retried only when the server provably did not run them: a 429 answer, or a
  connection that could not even be opened (nothing was sent). Any other failure of a write is
  left to the client, which re-reads to learn whether the write landed.
- At most ``max_attempts`` attempts; exponential backoff from ``backoff_base`` doubling, times a
  jitter factor in 0.7–1.3; ``Retry-After`` (seconds or an HTTP date) is the minimum wait. A
  server that asks for more than ``max_wait`` is not waited for: the answer goes back to the
  caller, who says "try again in N s". The whole exchange is bounded by ``total_timeout``.
- ``on_wait(seconds, reason)`` is called before every sleep (the TUI shows a countdown).
- After a 429, every request through this transport holds back until the wait is over, so
  parallel requests (a tree loading children) do not keep hitting the limit.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import parsedate_to_datetime

import httpx

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Request extension marking a POST that only reads (retried like a GET).
IDEMPOTENT = "workbench.idempotent"
RETRY_READ_STATUSES = frozenset({429, 502, 503, 504})
#: Transport errors raised before any byte of the request reached the server.
NOT_SENT_ERRORS: tuple[type[Exception], ...] = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

OnWait = Callable[[float, str], object]


class RefreshingAuth(httpx.Auth):
    """Marks an auth flow that renews its own credentials (OAuth): a 401 it passes on is about this
    request (a missing scope), not a dead login, so the client keeps sending other requests."""


@dataclass(slots=True)
class RetryPolicy:
    """How hard to try. Set ``backoff_base=0`` in tests to make retries instant."""

    max_attempts: int = 4
    max_wait: float = 30.0
    backoff_base: float = 0.5
    total_timeout: float = 120.0
    jitter: tuple[float, float] = (0.7, 1.3)
    sleep: Callable[[float], Awaitable[object]] = field(default=asyncio.sleep)
    rand: Callable[[float, float], float] = field(default=random.uniform)

    def backoff(self, attempt: int) -> float:
        """Delay after failed attempt number ``attempt`` (1-based), before jitter and caps."""
        if self.backoff_base <= 0:
            return 0.0
        return self.backoff_base * (2 ** (attempt - 1)) * self.rand(*self.jitter)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def parse_reset(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds until an ``X-RateLimit-Reset`` ISO-8601 time (``2025-10-08T15:00:00Z``, seconds optional)."""
    if not value:
        return None
    from datetime import datetime

    text = value.strip().replace("Z", "+00:00")
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def retry_after_of(response: httpx.Response) -> float | None:
    """How long the server asked us to wait: ``Retry-After``, else (on a 429) ``X-RateLimit-Reset``."""
    wait = parse_retry_after(response.headers.get("Retry-After"))
    if wait is None and response.status_code == 429:
        wait = parse_reset(response.headers.get("X-RateLimit-Reset"))
    return wait


class RetryTransport(httpx.AsyncBaseTransport):
    """Wraps a real transport; counts every request it sends in ``request_count``."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        policy: RetryPolicy | None = None,
        *,
        on_wait: OnWait | None = None,
    ) -> None:
        self.inner = inner
        self.policy = policy or RetryPolicy()
        self.on_wait = on_wait
        self.request_count = 0
        # After a 429 every request of this client holds back until then (Atlassian's advice:
        # pause all calls, not just the one that was refused).
        self.paused_until = 0.0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        policy = self.policy
        is_read = request.method.upper() in READ_METHODS or bool(request.extensions.get(IDEMPOTENT))
        started = time.monotonic()
        attempt = 0
        covered = 0.0  # the pause this request already waited out
        while True:
            attempt += 1
            if self.paused_until > covered:
                covered = self.paused_until
                hold = min(covered - time.monotonic(), policy.max_wait)
                if hold > 0.01:
                    await self._wait(hold, "rate limited by Confluence")
            self.request_count += 1
            try:
                response = await self.inner.handle_async_request(request)
                try:
                    # Read the body here, so a connection that breaks mid-body is retried
                    # (reads) or reported as ambiguous (writes) like any other transport error.
                    await response.aread()
                except BaseException:
                    await response.aclose()
                    raise
            except httpx.TransportError as exc:
                retryable = is_read or isinstance(exc, NOT_SENT_ERRORS)
                delay = policy.backoff(attempt)
                if not retryable or not self._may_retry(attempt, started, delay):
                    raise
                await self._wait(delay, f"connection problem ({type(exc).__name__})")
                continue
            status = response.status_code
            if status == 429 or (is_read and status in RETRY_READ_STATUSES):
                server_wait = retry_after_of(response) if status in (429, 503) else None
                if server_wait is not None and server_wait > policy.max_wait:
                    return response  # honour it by not hammering; the caller reports the wait
                delay = max(server_wait or 0.0, policy.backoff(attempt))
                delay = min(delay, policy.max_wait)
                if not self._may_retry(attempt, started, delay):
                    return response
                if status == 429:
                    self.paused_until = max(self.paused_until, time.monotonic() + delay)
                    covered = self.paused_until
                    reason = "rate limited by Confluence"
                else:
                    reason = f"Confluence is busy ({status})"
                await self._wait(delay, reason)
                continue
            return response

    def _may_retry(self, attempt: int, started: float, delay: float) -> bool:
        if attempt >= self.policy.max_attempts:
            return False
        return (time.monotonic() - started) + delay <= self.policy.total_timeout

    async def _wait(self, delay: float, reason: str) -> None:
        if self.on_wait is not None:
            try:
                self.on_wait(delay, reason)
            except Exception:  # a broken status-bar callback must not break the request
                pass
        if delay > 0:
            await self.policy.sleep(delay)

    async def aclose(self) -> None:
        await self.inner.aclose()
