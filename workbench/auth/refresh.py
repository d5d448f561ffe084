"""``OAuthAuth``: an ``httpx.Auth`` that sends the profile's Bearer token and keeps it fresh.

- Proactive: a token that expires within :data:`REFRESH_SKEW` seconds is refreshed before use.
- Reactive: a 401 causes one refresh and one retry of the request; a second 401 is returned to the
  client (which raises ``AuthError``) — never a loop. The gateway's 401 "scope does not match" is
  not refreshed for: a new token would lack the scope too (the client names the missing scope).
- Single-flight: an ``asyncio.Lock`` in this object and a ``filelock.FileLock`` in the data dir
  across processes. After taking the file lock the keyring is read again, because another process
  (or another client in this one) may have refreshed already; then its tokens are used as they are.
- The rotated refresh token is written to the keyring *before* the new access token is used. One
  window remains, and cannot be closed from this side: the server has already rotated the token when
  its answer arrives, so a crash (``kill -9``, power loss) between that answer and the keyring write
  loses the new refresh token. The next run still works while the server accepts the replaced one
  (Atlassian's reuse interval is 10 minutes); after that the profile needs a new login (audit D15).
- ``invalid_grant`` marks the stored set invalid and raises :class:`LoginRequired`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator
from pathlib import Path

import httpx

from workbench.auth import store
from workbench.auth.errors import LoginRequired
from workbench.auth.oauth import OAuthApp, refresh_tokens
from workbench.auth.tokens import REFRESH_SKEW, TokenSet
from workbench.confluence.transport import RefreshingAuth
from workbench.errors import WorkbenchError

LOCK_TIMEOUT = 60.0


def lock_path(profile: str, data_dir: Path | None = None) -> Path:
    if data_dir is None:
        # lazy, for start-up: workbench.config loads on first use
        from workbench.config import data_dir as default_data_dir

        data_dir = default_data_dir()
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in profile)
    return data_dir / "locks" / f"oauth-{safe}.lock"


class OAuthAuth(RefreshingAuth):
    """Bearer auth for one OAuth profile; the tokens come from (and go to) the keyring."""

    def __init__(
        self,
        profile: str,
        app: OAuthApp,
        *,
        data_dir: Path | None = None,
        skew: float = REFRESH_SKEW,
    ) -> None:
        self.profile = profile
        self.app = app
        self.skew = skew
        self._lock_path = lock_path(profile, data_dir)
        self._tokens: TokenSet | None = None
        self._lock: asyncio.Lock | None = None
        self.refresh_count = 0  # refreshes this object performed itself (for diagnostics and tests)

    def __repr__(self) -> str:
        return f"OAuthAuth(profile={self.profile!r}, ***)"

    def sync_auth_flow(self, request):  # pragma: no cover - the client is async-only
        raise RuntimeError("OAuthAuth works with httpx.AsyncClient only.")

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        tokens = await self._current()
        request.headers["Authorization"] = f"Bearer {tokens.access_token}"
        response = yield request
        if response.status_code != 401:
            return
        await response.aread()
        if _scope_mismatch(response):
            # The token is fine, it just lacks a scope for this endpoint: a refresh would rotate the
            # refresh token for nothing, on every such call (interop report D10). The client says
            # which scope is missing.
            return
        tokens = await self._refresh(stale=tokens.access_token)
        request.headers["Authorization"] = f"Bearer {tokens.access_token}"
        yield request  # the answer to this retry goes back to the client as it is

    # -- internals -------------------------------------------------------------------------
    def _async_lock(self) -> asyncio.Lock:
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    def _load(self) -> TokenSet:
        tokens = store.load_tokens(self.profile)
        if tokens is None or not tokens.usable:
            reason = (
                "The login for this profile was revoked or expired"
                if tokens
                else "No OAuth login is stored"
            )
            raise LoginRequired(
                f"{reason}. Please log in again: workbench login --profile {self.profile}.",
                profile=self.profile,
            )
        return tokens

    async def _current(self) -> TokenSet:
        tokens = self._tokens
        if tokens is None:
            tokens = self._tokens = self._load()
        if tokens.expires_soon(self.skew):
            tokens = await self._refresh(stale=tokens.access_token)
        return tokens

    async def _refresh(self, *, stale: str) -> TokenSet:
        """Make sure the token in use is not ``stale``; refresh at most once across tasks and processes."""
        async with self._async_lock():
            mine = self._tokens
            if mine is not None and mine.access_token != stale and not mine.expires_soon(self.skew):
                return mine  # another task refreshed while we waited
            # lazy, for start-up: filelock (with filelock) loads on first use
            from filelock import FileLock, Timeout

            try:
                # lazy, for start-up: workbench.config loads on first use
                from workbench.config import private_dir

                private_dir(self._lock_path.parent)
            except OSError as exc:
                raise WorkbenchError(
                    f"Cannot create {self._lock_path.parent} for the token refresh lock ({exc.strerror}). "
                    "Check that the data directory (WORKBENCH_DATA_DIR) is writable."
                ) from None
            lock = FileLock(str(self._lock_path), thread_local=False, mode=0o600)
            deadline = time.monotonic() + LOCK_TIMEOUT
            while True:  # poll so the event loop keeps running while another process refreshes
                try:
                    lock.acquire(timeout=0)
                    break
                except Timeout:
                    if time.monotonic() > deadline:
                        raise LoginRequired(
                            "Another Workbench process has held the token refresh lock for over a "
                            f"minute ({self._lock_path}). Close it, or log in again.",
                            profile=self.profile,
                        ) from None
                    await asyncio.sleep(0.05)
            try:
                stored = self._load()
                fresh_elsewhere = stored.access_token != stale and not stored.expires_soon(
                    self.skew
                )
                if fresh_elsewhere:
                    self._tokens = stored
                    return stored
                try:
                    new = await refresh_tokens(self.app, stored, profile=self.profile)
                except LoginRequired:
                    store.mark_tokens_invalid(self.profile)
                    self._tokens = None
                    raise
                store.save_tokens(self.profile, new)  # persist the rotated refresh token first
                self._tokens = new
                self.refresh_count += 1
                return new
            finally:
                lock.release()


def _scope_mismatch(response: httpx.Response) -> bool:
    """The gateway's answer for a token without the scope an endpoint needs:
    ``{"code":401,"message":"Unauthorized; scope does not match"}`` (fact sheet §6)."""
    # lazy, for start-up: workbench.confluence.http_errors loads on first use
    from workbench.confluence.http_errors import server_message

    return "scope does not match" in server_message(response).lower()
