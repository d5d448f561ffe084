"""The OAuth token set kept in the keyring as one JSON entry (so a write is atomic)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

#: Refresh this many seconds before the access token expires.
REFRESH_SKEW = 60.0


@dataclass(slots=True)
class TokenSet:
    """Access and refresh token with the access token's absolute expiry (epoch seconds).

    ``invalid`` marks a set the server refused (``invalid_grant``): the profile needs a new login.
    The repr never shows a token.
    """

    access_token: str = field(repr=False)
    refresh_token: str = field(default="", repr=False)
    expires_at: float = 0.0
    scope: str = ""
    token_type: str = "Bearer"
    invalid: bool = False
    issued_at: float = 0.0

    def __post_init__(self) -> None:
        # lazy, for start-up: workbench.redact loads on first use
        from workbench.redact import remember

        remember(self.access_token)  # an echoing server never gets a token printed
        remember(self.refresh_token)

    def __repr__(self) -> str:
        state = "invalid" if self.invalid else f"expires_at={self.expires_at:.0f}"
        return f"TokenSet(***, {state}, refresh={'yes' if self.refresh_token else 'no'})"

    def expires_soon(self, skew: float = REFRESH_SKEW, now: float | None = None) -> bool:
        """True within ``skew`` seconds of expiry (at most a quarter of a short token's lifetime)."""
        if self.issued_at and self.expires_at > self.issued_at:
            skew = min(skew, (self.expires_at - self.issued_at) / 4)
        return (now if now is not None else time.time()) >= self.expires_at - skew

    @property
    def usable(self) -> bool:
        return not self.invalid and bool(self.access_token or self.refresh_token)

    @classmethod
    def from_response(
        cls, data: dict, *, previous_refresh: str = "", now: float | None = None
    ) -> TokenSet:
        """Build from a token-endpoint answer (``expires_in`` relative to ``now``)."""
        now = now if now is not None else time.time()
        try:
            expires_in = float(data.get("expires_in") or 3600)
        except (TypeError, ValueError):
            expires_in = 3600.0
        return cls(
            access_token=str(data["access_token"]),
            refresh_token=str(data.get("refresh_token") or previous_refresh),
            expires_at=now + expires_in,
            scope=str(data.get("scope") or ""),
            token_type=str(data.get("token_type") or "Bearer"),
            issued_at=now,
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "access_token": self.access_token,
                "refresh_token": self.refresh_token,
                "expires_at": self.expires_at,
                "scope": self.scope,
                "token_type": self.token_type,
                "invalid": self.invalid,
                "issued_at": self.issued_at,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> TokenSet | None:
        """Parse a stored entry; None for anything unreadable (treated as 'not logged in')."""
        try:
            raw = json.loads(text)
            return cls(
                access_token=str(raw.get("access_token") or ""),
                refresh_token=str(raw.get("refresh_token") or ""),
                expires_at=float(raw.get("expires_at") or 0),
                scope=str(raw.get("scope") or ""),
                token_type=str(raw.get("token_type") or "Bearer"),
                invalid=bool(raw.get("invalid", False)),
                issued_at=float(raw.get("issued_at") or 0),
            )
        except (ValueError, TypeError, AttributeError):
            return None
