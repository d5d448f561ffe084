"""The local authorization server's memory: consent requests waiting for a decision,
authorization codes (single-use, short-lived, PKCE ``S256``), grant families, access tokens and
refresh-token rotation with a reuse leeway (later reuse revokes the whole family, as Atlassian does).
In memory only and thread-safe; :class:`~workbench.emulator.oauth.OAuthServer` serves it over HTTP."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

CODE_TTL = 300.0
REFRESH_INACTIVITY = 90 * 24 * 3600.0


class GrantRefused(Exception):
    """A token request refused: the OAuth error (``invalid_grant`` …) and its HTTP status."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description


@dataclass
class _Pending:
    client_id: str
    redirect_uri: str
    state: str
    scope: str
    challenge: str
    created: float


@dataclass
class _Code:
    client_id: str
    redirect_uri: str
    scope: str
    sites: list[str]
    challenge: str
    expires: float
    used: bool = False
    family: str = ""


@dataclass
class _Family:
    client_id: str
    scope: str
    sites: list[str]
    account: str
    revoked: bool = False
    access: set[str] = field(default_factory=set)


@dataclass
class _Refresh:
    family: str
    issued: float
    rotated_at: float | None = None


class TokenLedger:
    """Codes, grants and tokens of one authorization server. Thread-safe: tests may call it from
    their own thread."""

    def __init__(
        self,
        *,
        sites: list[tuple[str, str]],
        account: str,
        token_ttl: float = 3600.0,
        reuse_leeway: float = 600.0,
        clients: dict[str, tuple[str, str]],
    ) -> None:
        self.clients = clients  # client id -> (secret, app name): the apps registered
        self.sites = sites  # [(cloud id, name)]
        self.account = account
        self.token_ttl = float(token_ttl)
        self.reuse_leeway = float(reuse_leeway)
        self._lock = threading.Lock()
        self._pending: dict[str, _Pending] = {}
        self._codes: dict[str, _Code] = {}
        self._families: dict[str, _Family] = {}
        self._refresh: dict[str, _Refresh] = {}
        self._access: dict[str, tuple[str, float]] = {}  # token -> (family, expiry)
        self.token_requests = 0  # for tests: how many times /oauth/token answered a refresh

    # -- used by the API and by tests -------------------------------------------------------
    def validate_bearer(self, token: str, cloud_id: str | None = None) -> str | None:
        """The account id for a live access token used on the gateway of a granted site, else None (→ 401).

        As on Atlassian, an OAuth access token works only through ``/ex/confluence/{cloudId}`` and
        only for the sites the user granted, not on the site URL itself.
        """
        with self._lock:
            fam = self._live_family(token)
            if fam is None or cloud_id is None or cloud_id not in fam.sites:
                return None
            return fam.account

    def granted_scopes(self, token: str) -> set[str] | None:
        """The scopes granted with a live access token, else None (not one of this server's tokens)."""
        with self._lock:
            fam = self._live_family(token)
            return None if fam is None else set(fam.scope.split())

    def granted_sites(self, token: str) -> list[str] | None:
        """The cloud ids a live access token was granted for, else None (→ 401)."""
        with self._lock:
            fam = self._live_family(token)
            return None if fam is None else list(fam.sites)

    def _live_family(self, token: str) -> _Family | None:
        """The grant behind an unexpired, unrevoked access token (call with the lock held)."""
        entry = self._access.get(token)
        if entry is None:
            return None
        fam = self._families.get(entry[0])
        if fam is None or fam.revoked or time.time() >= entry[1]:
            return None
        return fam

    def expire_access_tokens(self) -> None:
        """Make every issued access token expired now (tests of the 401 → refresh path)."""
        with self._lock:
            for token, (fam, _) in list(self._access.items()):
                self._access[token] = (fam, 0.0)

    def revoke_all(self) -> None:
        with self._lock:
            for fam in self._families.values():
                fam.revoked = True

    # -- consent and grants ------------------------------------------------------------------
    def hold_request(self, pending: _Pending) -> str:
        """Keep an authorization request until the user decides; its id goes into the consent form."""
        request_id = secrets.token_urlsafe(18)
        with self._lock:
            self._pending[request_id] = pending
        return request_id

    def take_request(self, request_id: str) -> _Pending | None:
        """The request a consent form answers, once (None when unknown or expired)."""
        with self._lock:
            pending = self._pending.pop(request_id, None)
        if pending is None or time.time() - pending.created > CODE_TTL:
            return None
        return pending

    def new_code(self, pending: _Pending, sites: list[str]) -> str:
        """An authorization code for an accepted request, granting ``sites``."""
        code = secrets.token_urlsafe(32)
        with self._lock:
            self._codes[code] = _Code(
                pending.client_id,
                pending.redirect_uri,
                pending.scope,
                sites,
                pending.challenge,
                time.time() + CODE_TTL,
            )
        return code

    def redeem_code(self, client_id: str, params: dict[str, str]) -> dict[str, Any]:
        """The tokens for an authorization code (``authorization_code`` grant)."""
        with self._lock:
            code = self._codes.get(params.get("code", ""))
            if code is None or code.client_id != client_id or time.time() > code.expires:
                raise GrantRefused(403, "invalid_grant", "Invalid authorization code.")
            if code.used:  # replay: revoke what the code produced (RFC 6749 §4.1.2)
                if code.family in self._families:
                    self._families[code.family].revoked = True
                raise GrantRefused(403, "invalid_grant", "Authorization code already used.")
            if params.get("redirect_uri") != code.redirect_uri:
                raise GrantRefused(
                    403, "invalid_grant", "redirect_uri does not match the authorization request."
                )
            if code.challenge:
                verifier = params.get("code_verifier", "")
                digest = (
                    base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                    .rstrip(b"=")
                    .decode()
                )
                if not verifier or not hmac.compare_digest(digest, code.challenge):
                    raise GrantRefused(403, "invalid_grant", "PKCE verification failed.")
            code.used = True
            family = secrets.token_urlsafe(12)
            code.family = family
            self._families[family] = _Family(client_id, code.scope, code.sites, self.account)
            return self._issue(family)

    def rotate_refresh(self, client_id: str, params: dict[str, str]) -> dict[str, Any]:
        """New tokens for a refresh token (``refresh_token`` grant), rotating it."""
        now = time.time()
        with self._lock:
            self.token_requests += 1
            entry = self._refresh.get(params.get("refresh_token", ""))
            fam = self._families.get(entry.family) if entry else None
            unknown = GrantRefused(403, "invalid_grant", "Unknown or invalid refresh token.")
            if entry is None or fam is None or fam.revoked or fam.client_id != client_id:
                raise unknown
            if now - entry.issued > REFRESH_INACTIVITY:
                raise unknown
            if entry.rotated_at is not None and now - entry.rotated_at > self.reuse_leeway:
                fam.revoked = True  # breach detection: reuse after the leeway kills the family
                raise unknown
            if entry.rotated_at is None:
                entry.rotated_at = now
            return self._issue(entry.family)

    def _issue(self, family: str) -> dict[str, Any]:
        fam = self._families[family]
        access = secrets.token_urlsafe(32)
        self._access[access] = (family, time.time() + self.token_ttl)
        fam.access.add(access)
        body: dict[str, Any] = {
            "access_token": access,
            "expires_in": int(self.token_ttl),
            "scope": fam.scope,
            "token_type": "Bearer",
        }
        if "offline_access" in fam.scope.split():
            refresh = secrets.token_urlsafe(48)
            self._refresh[refresh] = _Refresh(family=family, issued=time.time())
            body["refresh_token"] = refresh
        return body

    def revoke_token(self, token: str) -> None:
        """Revoke the family of an access or refresh token (RFC 7009); unknown tokens are ignored."""
        with self._lock:
            family = (
                self._refresh[token].family
                if token in self._refresh
                else (self._access[token][0] if token in self._access else None)
            )
            if family in self._families:
                self._families[family].revoked = True

    def scopes_of(self, token: str) -> list[str]:
        """The scopes of the grant that issued access token ``token`` ([] when none did)."""
        with self._lock:
            return next((f.scope.split() for f in self._families.values() if token in f.access), [])
