"""A record of the requests the local Confluence answered, so tests and benchmarks can count them
from the server's side (e.g. "opening a page costs one request")."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class Seen:
    method: str
    path: str  # canonical, without the gateway prefix
    query: str
    status: (
        int | None
    )  # of the response head sent; None when none was (injected faults may break after it)


class RequestLog:
    """ASGI middleware keeping the last ``size`` API requests (``/wiki/...``) with their status."""

    def __init__(self, app, size: int = 10_000) -> None:
        self.app = app
        self._seen: deque[Seen] = deque(maxlen=size)
        self._lock = threading.Lock()

    def entries(self, method: str | None = None, path_prefix: str = "") -> list[Seen]:
        with self._lock:
            items = list(self._seen)
        return [
            s
            for s in items
            if (method is None or s.method == method) and s.path.startswith(path_prefix)
        ]

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(("/wiki", "/rest/api/")):
            await self.app(scope, receive, send)
            return
        recorded = []

        def record(status: int | None) -> None:
            recorded.append(status)
            entry = Seen(
                scope["method"],
                scope["path"],
                scope.get("query_string", b"").decode("latin-1"),
                status,
            )
            with self._lock:
                self._seen.append(entry)

        async def recording(message) -> None:
            if message["type"] == "http.response.start" and not recorded:
                record(message["status"])  # before the client can see the answer
            await send(message)

        try:
            await self.app(scope, receive, recording)
        finally:
            if not recorded:
                record(None)
