"""Who is calling: one object that checks every request's credentials.

``AuthGate.authenticate(request)`` answers the caller's account id, or ``None`` (the HTTP layer then
answers 401). It accepts the demo Basic credentials of the flavour (Cloud: the account email and an
API token, ``demo@example.com`` / ``demo-token``; Data Center: a username and password, ``demo`` /
``demo-password``), the demo token as a Bearer token (a personal access token on Data Center, a
stand-in for an access token on Cloud), and any Bearer token that ``bearer_validator`` accepts: the
OAuth endpoints (``workbench.emulator.oauth``) set that hook to check the access tokens they issue.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Callable

from starlette.requests import Request

from workbench.emulator.schema import DEMO_ACCOUNT_ID

DEMO_EMAIL = "demo@example.com"
DEMO_TOKEN = "demo-token"
DEMO_USERNAME = "demo"  # Data Center: Basic username:password
DEMO_PASSWORD = "demo-password"


class AuthGate:
    """Checks credentials; knows nothing about routes."""

    def __init__(self, credentials: dict[str, tuple[str, str]] | None = None, *, flavour: str = "cloud") -> None:
        # email -> (api token, account id)
        self.credentials = credentials or {DEMO_EMAIL: (DEMO_TOKEN, DEMO_ACCOUNT_ID)}
        # Data Center: username -> (password, account id); Basic takes these instead of email + token
        self.passwords = {DEMO_USERNAME: (DEMO_PASSWORD, DEMO_ACCOUNT_ID)} if flavour == "dc" else {}
        # (token, cloud id of the gateway path or None) -> account id or None
        self.bearer_validator: Callable[[str, str | None], str | None] | None = None

    def __repr__(self) -> str:  # never show tokens
        return f"AuthGate(users={len(self.credentials)}, bearer={'yes' if self.bearer_validator else 'no'})"

    def authenticate(self, request: Request) -> str | None:
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        scheme = scheme.lower()
        value = value.strip()
        if scheme == "basic":
            return self._basic(value)
        if scheme == "bearer" and value:
            for token, account in self.credentials.values():
                if hmac.compare_digest(value.encode(), token.encode()):
                    return account
            if self.bearer_validator is not None:
                return self.bearer_validator(value, request.scope.get("wb.cloud_id"))
        return None

    def _basic(self, value: str) -> str | None:
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        email, sep, token = decoded.partition(":")
        if not sep:
            return None
        known = self.passwords.get(email) if self.passwords else self.credentials.get(email)
        if known is None or not hmac.compare_digest(token.encode(), known[0].encode()):
            return None
        return known[1]
