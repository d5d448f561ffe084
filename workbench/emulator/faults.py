"""Load and faults on demand: latency, a token-bucket rate limit, and injected failures.

``Chaos`` is an ASGI middleware in front of the API routes (``/wiki/...``):

- ``latency_ms`` delays every answer;
- ``rate_limit`` (requests per second) answers 429 with ``Retry-After`` (whole seconds) and the
  ``X-RateLimit-*`` headers once the bucket (capacity: one second's worth, at least 1) is empty;
- ``fault_rate`` fails that fraction of requests: half *before* processing (a 503 with
  ``Retry-After``, or a connection dropped after a partial response head), half *after* processing
  (the request took effect but the response is lost: a head announcing more bytes than are sent,
  then the connection closes). Clients must treat the second kind as an ambiguous write.

Randomness comes from ``random.Random(seed)`` so tests are reproducible.

Failures of one endpoint, on demand (``server.state.extras["chaos"]``): :meth:`Chaos.refuse`
answers a status for the requests whose path matches (a 403 on labels, the 410 Gone some Cloud
sites give for v1 content), :meth:`Chaos.slow` delays them (one answer later than the others).
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import random
import re
import threading
import time
from datetime import UTC, datetime, timedelta

LOST = "lost"
RESET = "reset"
UNAVAILABLE = "503"
_INCOMPLETE_MESSAGES = ("ASGI callable returned without completing response",)


class TokenBucket:
    """``rate`` tokens per second, holding at most ``capacity``; thread-safe."""

    def __init__(self, rate: float, capacity: float | None = None, clock=time.monotonic) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.capacity = capacity if capacity is not None else max(1.0, rate)
        self.tokens = self.capacity
        self.clock = clock
        self.updated = clock()
        self.lock = threading.Lock()

    def take(self) -> tuple[bool, float]:
        """``(allowed, seconds until the next token)``."""
        with self.lock:
            now = self.clock()
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True, 0.0
            return False, (1 - self.tokens) / self.rate

    @property
    def remaining(self) -> int:
        return int(self.tokens)


class Chaos:
    """ASGI middleware injecting latency, 429s and faults into ``/wiki`` and Jira (``/rest/api/``) requests."""

    def __init__(
        self,
        app,
        *,
        rate_limit: float | None = None,
        fault_rate: float = 0.0,
        latency_ms: int = 0,
        seed: int | str | None = None,
    ) -> None:
        if not 0.0 <= fault_rate <= 1.0:
            raise ValueError("fault_rate must be between 0 and 1")
        self.app = app
        self.bucket = TokenBucket(rate_limit) if rate_limit else None
        self.fault_rate = fault_rate
        self.latency = max(0, latency_ms) / 1000.0
        self.random = random.Random(seed)
        self.counts = {LOST: 0, RESET: 0, UNAVAILABLE: 0, "429": 0}
        self.refusals: list[tuple[re.Pattern[str], int, bytes]] = []
        self.delays: list[tuple[re.Pattern[str], float]] = []
        if fault_rate:
            _quiet_uvicorn_for_faults()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(("/wiki", "/rest/api/")):
            await self.app(scope, receive, send)
            return
        if self.latency:
            await asyncio.sleep(self.latency)
        path = scope["path"]
        for pattern, seconds in self.delays:
            if pattern.search(path):
                await asyncio.sleep(seconds)
        for pattern, status, body in self.refusals:
            if pattern.search(path):
                await _send_json(send, status, body, [])
                return
        if self.bucket is not None:
            allowed, wait = self.bucket.take()
            if not allowed:
                self.counts["429"] += 1
                await _send_429(send, self.bucket, wait)
                return
            send = _with_quota_headers(send, self.bucket)
        fault = self._pick_fault()
        if fault == UNAVAILABLE:
            self.counts[UNAVAILABLE] += 1
            await _send_json(
                send,
                503,
                b'{"errors":[{"status":503,"code":"SERVICE_UNAVAILABLE",'
                b'"title":"Service temporarily unavailable (injected fault).","detail":null}]}',
                [(b"retry-after", b"1")],
            )
            return
        if fault == RESET:
            self.counts[RESET] += 1
            await _break_connection(send, 500)
            return
        if fault == LOST:
            self.counts[LOST] += 1
            await self.app(scope, receive, _swallow)  # the request takes effect ...
            await _break_connection(send, 200)  # ... but its answer never arrives
            return
        await self.app(scope, receive, send)

    def refuse(
        self, path: str, status: int, message: str = "", *, body: dict | None = None
    ) -> None:
        """Answer ``status`` (a v1 error body: ``statusCode``, ``message``; or ``body``, e.g. Jira's
        ``ErrorCollection``) to every request whose path matches the regular expression ``path``,
        from now on."""
        body = body or {
            "statusCode": status,
            "message": message or f"Refused ({status}, injected).",
        }
        self.refusals.append((re.compile(path), status, json.dumps(body).encode()))

    def slow(self, path: str, seconds: float) -> None:
        """Delay the answers to requests whose path matches ``path`` by ``seconds`` more."""
        self.delays.append((re.compile(path), seconds))

    def _pick_fault(self) -> str | None:
        if not self.fault_rate or self.random.random() >= self.fault_rate:
            return None
        if self.random.random() < 0.5:
            return LOST
        return UNAVAILABLE if self.random.random() < 0.5 else RESET


async def _swallow(message) -> None:
    return None


async def _send_json(send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _send_429(send, bucket: TokenBucket, wait: float) -> None:
    retry = max(1, math.ceil(wait))
    reset = (datetime.now(UTC) + timedelta(seconds=wait)).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = (
        b'{"errors":[{"status":429,"code":"TOO_MANY_REQUESTS","title":"Rate limit exceeded. '
        b'Retry after the delay in the Retry-After header.","detail":null}]}'
    )
    await _send_json(
        send,
        429,
        body,
        [
            (b"retry-after", str(retry).encode()),
            (b"x-ratelimit-limit", str(int(bucket.capacity)).encode()),
            (b"x-ratelimit-remaining", b"0"),
            (b"x-ratelimit-reset", reset.encode()),
            (b"ratelimit-reason", b"confluence-quota-tenant-based"),
        ],
    )


def _with_quota_headers(send, bucket: TokenBucket):
    """Successful answers carry the quota too, with ``X-RateLimit-NearLimit`` under 20 % left."""
    limit, remaining = int(bucket.capacity), bucket.remaining

    async def wrapped(message) -> None:
        if message["type"] == "http.response.start":
            headers = [
                *message.get("headers", []),
                (b"x-ratelimit-limit", str(limit).encode()),
                (b"x-ratelimit-remaining", str(remaining).encode()),
            ]
            if remaining < 0.2 * limit:
                headers.append((b"x-ratelimit-nearlimit", b"true"))
            message = {**message, "headers": headers}
        await send(message)

    return wrapped


async def _break_connection(send, status: int) -> None:
    """Announce a body, send part of it, and stop: the server then closes the connection."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
        }
    )
    await send({"type": "http.response.body", "body": b'{"results":[', "more_body": True})


class _DropIncomplete(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not any(m in record.getMessage() for m in _INCOMPLETE_MESSAGES)


def _quiet_uvicorn_for_faults() -> None:
    """Injected broken responses are on purpose: keep uvicorn from logging them as errors."""
    log = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _DropIncomplete) for f in log.filters):
        log.addFilter(_DropIncomplete())
