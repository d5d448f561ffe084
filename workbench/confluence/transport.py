"""The one place requests are retried and paced: an ``httpx.AsyncBaseTransport`` wrapper.

Rules (design §2.2, Atlassian's rate-limiting recipe, developer.atlassian.com/cloud/confluence/rate-limiting/):

- Reads (GET/HEAD/OPTIONS) are retried on 429, 502, 503, 504 and on transport errors.
- Writes are retried only when the server provably did not run them: a 429 answer, or a
  connection that could not even be opened (nothing was sent). Any other failure of a write is
  left to the client, which re-reads to learn whether the write landed.
- At most ``max_attempts`` attempts; exponential backoff from ``backoff_base`` doubling, times a
  jitter factor in 0.7–1.3; ``Retry-After`` (seconds or an HTTP date; on 429 and 503) is the minimum
  wait. The whole exchange is bounded by ``total_timeout``: each attempt's timeout is cut to the time
  left, so a server that never answers costs ``total_timeout`` and not more.
- A server that asks for more than ``max_wait`` is not waited for by the request: the pause is
  written in the site's :class:`~workbench.confluence.pauses.PauseBook`, and until it ends every
  request to the site fails at once with the time left (:class:`RateLimited`, nothing sent) — or,
  with ``wait_for_pause``, waits it out (``on_wait`` tells the countdown).
- One backoff is shared by all concurrent requests of the client (:mod:`workbench.confluence.pacing`):
  a 429 pauses them all and narrows the window of requests in flight, which widens again as answers
  come; ``X-RateLimit-NearLimit: true`` slows the client to one request at a time.
- ``on_wait(seconds, reason)`` is called before every sleep (the TUI shows a countdown).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from workbench.confluence.errors import RateLimited
from workbench.confluence.pacing import Pacer
from workbench.confluence.pauses import MAX_REMEMBERED, PauseBook, clock_time, duration

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Request extension marking a POST that only reads (retried like a GET).
IDEMPOTENT = "workbench.idempotent"
RETRY_READ_STATUSES = frozenset({429, 502, 503, 504})
#: Transport errors raised before any byte of the request reached the server.
NOT_SENT_ERRORS: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)

OnWait = Callable[[float, str], object]
#: The least time worth giving one more try (seconds): a retry is sent only if this much is left.
MIN_TRY = 1.0


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
    clock: Callable[[], float] = field(default=time.monotonic)
    wall: Callable[[], float] = field(default=time.time)  # for pauses remembered across processes
    #: While Confluence says ``X-RateLimit-NearLimit: true``: one request at a time, this far apart
    #: (seconds), for ``near_limit_hold`` seconds after the last such answer (0 turns the spacing off).
    near_limit_interval: float = 1.0
    near_limit_hold: float = 60.0

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


def pause_reason(response: httpx.Response) -> str:
    """Why the server asked to wait: ``429, confluence-quota-global-based`` or ``503``."""
    reason = response.headers.get("RateLimit-Reason", "").strip()
    return f"{response.status_code}, {reason}" if reason else str(response.status_code)


class RetryTransport(httpx.AsyncBaseTransport):
    """Wraps a real transport; counts every request it sends in ``request_count``.

    ``site`` names the site in the pause book (the client passes its API base); ``pauses`` is the
    book (default: one of this transport's own; the client passes the process's shared one)."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        policy: RetryPolicy | None = None,
        *,
        on_wait: OnWait | None = None,
        site: str = "",
        pauses: PauseBook | None = None,
        wait_for_pause: bool = False,
        max_in_flight: int = 8,
    ) -> None:
        self.inner = inner
        self.policy = policy or RetryPolicy()
        self.on_wait = on_wait
        self.request_count = 0
        self.site = site
        self.pauses = pauses if pauses is not None else PauseBook()
        self.wait_for_pause = wait_for_pause
        self.pacer = Pacer(
            max_in_flight,
            clock=self.policy.clock,
            near_limit_interval=self.policy.near_limit_interval,
            near_limit_hold=self.policy.near_limit_hold,
        )

    @property
    def paused_until(self) -> float:
        """Until when (on the policy's clock) a 429 holds back every request of this client."""
        return self.pacer.paused_until

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        policy = self.policy
        is_read = request.method.upper() in READ_METHODS or bool(request.extensions.get(IDEMPOTENT))
        started = policy.clock()
        attempt = 0
        covered = 0.0  # the shared pause this request already waited out
        while True:
            await self._honour_site_pause()
            covered = await self.pacer.acquire(self._wait, covered)
            attempt += 1
            self.request_count += 1
            try:
                self._bound_timeout(request, started)
                response = await self.inner.handle_async_request(request)
                try:
                    # Read the body here, so a connection that breaks mid-body is retried
                    # (reads) or reported as ambiguous (writes) like any other transport error.
                    await response.aread()
                except BaseException:
                    await response.aclose()
                    raise
            except httpx.TransportError as exc:
                self.pacer.release()
                retryable = is_read or isinstance(exc, NOT_SENT_ERRORS)
                delay = policy.backoff(attempt)
                if not retryable or not self._may_retry(attempt, started, delay):
                    raise
                await self._wait(delay, f"connection problem ({type(exc).__name__})")
                continue
            except BaseException:
                self.pacer.release()
                raise
            self.pacer.release()
            status = response.status_code
            near_limit = response.headers.get("X-RateLimit-NearLimit", "").strip().lower() == "true"
            if status == 429 or (is_read and status in RETRY_READ_STATUSES):
                server_wait = retry_after_of(response) if status in (429, 503) else None
                if server_wait is not None and server_wait > MAX_REMEMBERED:
                    # not a pause (a recorded DC answer says Retry-After: 9223372036854775807 for an
                    # endpoint its admin allows no requests to): report it, do not block the site
                    return response
                if server_wait is not None and server_wait > policy.max_wait:
                    self._remember(server_wait, pause_reason(response))
                    if self.wait_for_pause and (is_read or status == 429):
                        continue  # the person chose to wait: the site's pause is waited out above
                    return response  # the caller reports the wait; later requests fail fast
                delay = max(server_wait or 0.0, policy.backoff(attempt))
                delay = min(delay, policy.max_wait)
                if status == 429:
                    covered = self.pacer.on_rate_limited(delay)
                else:
                    self.pacer.on_answer(near_limit)
                if not self._may_retry(attempt, started, delay):
                    return response
                reason = (
                    "rate limited by Confluence"
                    if status == 429
                    else f"Confluence is busy ({status})"
                )
                await self._wait(delay, reason)
                continue
            self.pacer.on_answer(near_limit)
            return response

    # -- requests sent outside this transport ------------------------------------------------
    # A streamed download must not be read whole (``handle_async_request`` reads every answer
    # before it returns), so it goes through its own httpx client; these two calls give it the
    # same pacing as every request here: the site's long pause, the shared window and pace, the
    # count, and what a 429 or a busy answer does to all of the client's requests.
    async def admit(self, covered: float = 0.0) -> float:
        """Wait for a place, as a request of this transport would (the site's pause honoured, then
        the pacer's admission), and count the request. Returns the shared pause now covered. Each
        ``admit`` is followed by one :meth:`settle`."""
        await self._honour_site_pause()
        covered = await self.pacer.acquire(self._wait, covered)
        self.request_count += 1
        return covered

    async def settle(
        self, response: httpx.Response | None, attempt: int, started: float, *, is_read: bool = True
    ) -> bool:
        """The place taken by :meth:`admit` is given back and the pacer told what came back
        (``response`` None: the connection failed). True: send it again — after the wait the
        answer asks for (a 429 pauses every request of the client: the next :meth:`admit` waits
        it out; a busy answer or a failed connection waits here); False: the answer stands."""
        policy = self.policy
        self.pacer.release()
        if response is None:
            delay = policy.backoff(attempt)
            if not self._may_retry(attempt, started, delay):
                return False
            await self._wait(delay, "connection problem")
            return True
        status = response.status_code
        near_limit = response.headers.get("X-RateLimit-NearLimit", "").strip().lower() == "true"
        if not (status == 429 or (is_read and status in RETRY_READ_STATUSES)):
            self.pacer.on_answer(near_limit)
            return False
        server_wait = retry_after_of(response) if status in (429, 503) else None
        if server_wait is not None and server_wait > MAX_REMEMBERED:
            return False
        if server_wait is not None and server_wait > policy.max_wait:
            self._remember(server_wait, pause_reason(response))
            return self.wait_for_pause  # the next admit waits out the site's pause, or fails fast
        delay = min(max(server_wait or 0.0, policy.backoff(attempt)), policy.max_wait)
        if status == 429:
            self.pacer.on_rate_limited(delay)
            return self._may_retry(attempt, started, delay)
        self.pacer.on_answer(near_limit)
        if not self._may_retry(attempt, started, delay):
            return False
        await self._wait(delay, f"Confluence is busy ({status})")
        return True

    async def _honour_site_pause(self) -> None:
        """A long pause the site asked for: fail at once (nothing sent), or wait when chosen."""
        waited = 0.0  # each pause is waited out once
        while True:
            now = self.policy.wall()
            pause = self.pauses.pause_of(self.site, now=now)
            if pause is None or pause.until <= waited:
                return
            left = pause.left(now)
            if not self.wait_for_pause:
                self._tell(left, f"paused by Confluence until {clock_time(pause.until)}")
                raise RateLimited(
                    f"Confluence asked for a pause until {clock_time(pause.until)} ({duration(left)} from now; "
                    f"{pause.reason}), so nothing was sent. Try again then, or let it wait: --wait-rate-limit, "
                    "or wait_rate_limit = true under [network] in config.toml.",
                    retry_after=left,
                )
            waited = pause.until
            await self._wait(
                left, f"waiting out Confluence's pause until {clock_time(pause.until)}"
            )

    def _remember(self, seconds: float, reason: str) -> None:
        now = self.policy.wall()
        pause = self.pauses.remember(self.site, seconds, reason, now=now)
        self._tell(pause.left(now), f"paused by Confluence until {clock_time(pause.until)}")

    def _bound_timeout(self, request: httpx.Request, started: float) -> None:
        """Cut this attempt's timeouts to what is left of ``total_timeout`` (at least ``MIN_TRY``)."""
        left = max(MIN_TRY, self.policy.total_timeout - (self.policy.clock() - started))
        current = request.extensions.get("timeout")
        if not isinstance(current, dict):
            return
        if "workbench.timeout" not in request.extensions:
            request.extensions["workbench.timeout"] = dict(current)  # the configured ones, kept
        configured = request.extensions["workbench.timeout"]
        request.extensions["timeout"] = {
            key: (left if value is None else min(value, left)) for key, value in configured.items()
        }

    def _may_retry(self, attempt: int, started: float, delay: float) -> bool:
        """Another try only if it fits: the wait before it plus a useful try (``MIN_TRY``) inside the budget."""
        if attempt >= self.policy.max_attempts:
            return False
        return (self.policy.clock() - started) + delay + MIN_TRY <= self.policy.total_timeout

    def _tell(self, delay: float, reason: str) -> None:
        if self.on_wait is not None:
            try:
                self.on_wait(delay, reason)
            except Exception:  # a broken status-bar callback must not break the request
                pass

    async def _wait(self, delay: float, reason: str) -> None:
        self._tell(delay, reason)
        if delay > 0:
            await self.policy.sleep(delay)

    async def aclose(self) -> None:
        await self.inner.aclose()
