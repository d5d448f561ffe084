"""Shared bits for the client's integration tests against the local Confluence."""

from __future__ import annotations

import asyncio

import httpx

from workbench.confluence.client import ConfluenceClient
from workbench.confluence.transport import RetryPolicy

DEMO_AUTH = ("demo@example.com", "demo-token")


class WaitLog:
    """Records ``on_wait`` calls and sleeps for at most ``cap`` seconds per wait.

    Used where a test would otherwise sleep on the server's whole-second ``Retry-After``; the
    waits asked for are still recorded and checked.
    """

    def __init__(self, cap: float | None = None) -> None:
        self.cap = cap
        self.waits: list[tuple[float, str]] = []
        self.slept: list[float] = []

    def on_wait(self, seconds: float, reason: str) -> None:
        self.waits.append((seconds, reason))

    async def sleep(self, seconds: float) -> None:
        actual = seconds if self.cap is None else min(seconds, self.cap)
        self.slept.append(actual)
        await asyncio.sleep(actual)


def client_for(
    server, *, kind: str = "cloud", auth=DEMO_AUTH, log: WaitLog | None = None, **policy
) -> ConfluenceClient:
    """A client on ``server`` with fast backoff; ``log`` (if given) sees every wait."""
    options = {"backoff_base": 0.01, "max_wait": 5.0, "total_timeout": 60.0}
    options.update(policy)
    retry = RetryPolicy(**options, **({"sleep": log.sleep} if log else {}))
    return ConfluenceClient(
        server.base_url,
        auth=httpx.BasicAuth(*auth) if isinstance(auth, tuple) else auth,
        kind=kind,
        retry_policy=retry,
        on_wait=log.on_wait if log else None,
        timeout=10.0,
    )
