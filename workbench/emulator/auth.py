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
import threading
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request

from workbench.emulator.schema import DEMO_ACCOUNT_ID

DEMO_EMAIL = "demo@example.com"
DEMO_TOKEN = "demo-token"
DEMO_USERNAME = "demo"  # Data Center: Basic username:password
DEMO_PASSWORD = "demo-password"


#: What :meth:`AuthGate.verdict` can say besides "this account": no usable credentials, a wrong
#: Basic login (Data Center counts it), a Basic login held back by the CAPTCHA, or a request the site
#: sends to its login page (single sign-on).
NONE, FAILED, CAPTCHA, SSO = "none", "failed", "captcha", "sso"


@dataclass(frozen=True)
class Verdict:
    account: str | None
    refusal: str = NONE  # NONE, FAILED, CAPTCHA or SSO when account is None


class AuthGate:
    """Checks credentials; knows nothing about routes.

    Data Center behaviour on request (both off by default):

    - ``captcha_after=N``: after N failed Basic logins of a username, every Basic login of it is
      refused unchecked (the CAPTCHA Data Center puts in front of an account after failed logins, three
      by default; only a browser login clears it — here :meth:`reset_failed_logins`). ``0`` starts so.
    - ``login_redirect=True``: requests without a personal access token are sent to the login page
      (a site whose logins go through single sign-on and that refuses Basic on the API).
    """

    def __init__(
        self, credentials: dict[str, tuple[str, str]] | None = None, *, flavour: str = "cloud"
    ) -> None:
        # email -> (api token, account id)
        self.credentials = credentials or {DEMO_EMAIL: (DEMO_TOKEN, DEMO_ACCOUNT_ID)}
        # Data Center: username -> (password, account id); Basic takes these instead of email + token
        self.passwords = (
            {DEMO_USERNAME: (DEMO_PASSWORD, DEMO_ACCOUNT_ID)} if flavour == "dc" else {}
        )
        # (token, cloud id of the gateway path or None) -> account id or None
        self.bearer_validator: Callable[[str, str | None], str | None] | None = None
        self.captcha_after: int | None = None
        self.login_redirect = False
        self._failed: dict[str, int] = {}
        self._lock = threading.Lock()

    def reset_failed_logins(self) -> None:
        """What a successful browser login (with the CAPTCHA) does on Data Center."""
        with self._lock:
            self._failed.clear()

    def failed_logins(self, username: str) -> int:
        with self._lock:
            return self._failed.get(username, 0)

    def verdict(self, request: Request) -> Verdict:
        """The account, or why there is none (what the HTTP layer then answers)."""
        header = request.headers.get("authorization", "")
        scheme = header.partition(" ")[0].lower()
        if self.login_redirect and scheme != "bearer":
            return Verdict(None, SSO)
        if scheme == "basic" and self.passwords:
            username = self._basic_user(header.partition(" ")[2].strip())
            if username is not None and self.captcha_after is not None:
                with self._lock:
                    if self._failed.get(username, 0) >= self.captcha_after:
                        return Verdict(None, CAPTCHA)
            account = self.authenticate(request)
            if account is None:
                if username is not None:
                    with self._lock:
                        self._failed[username] = self._failed.get(username, 0) + 1
                return Verdict(None, FAILED)
            return Verdict(account)
        account = self.authenticate(request)
        return Verdict(account, NONE if account is None and scheme != "basic" else FAILED)

    @staticmethod
    def _basic_user(value: str) -> str | None:
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        user, sep, _secret = decoded.partition(":")
        return user if sep else None

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
