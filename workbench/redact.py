"""Secrets this process holds never appear in a message, even when a server echoes them back.

A server, proxy or WAF may answer an error with the request's ``Authorization`` header in its body
(``upstream rejected header Authorization: Bearer …``); Workbench repeats the server's own words in
its messages, so without this the PAT, the API token (as ``Basic base64(email:token)``) or an OAuth
token would be printed on stderr and into CI logs.

Every secret is remembered when it is used: the client's request hook sees the final
``Authorization`` header of every request (API token, PAT, password, OAuth access token — including
each rotated one), the keyring layer every stored secret it reads or writes (refresh tokens, client
secrets), and the agent its model key. :func:`redact` replaces each of them — raw, URL-encoded, as
base64, and as the ``base64(user:secret)`` of a Basic header — by ``***``. It also hides a
credential after ``Basic``/``Bearer`` that it does not know (another process's header echoed by a
shared proxy), when it looks like one.

:class:`workbench.errors.WorkbenchError` redacts its message when it is made, so every expected
failure is covered wherever it is shown; the command line and the TUI also redact what they print
for unexpected errors. Secrets shorter than :data:`MIN_LENGTH` are not remembered (they would hide
ordinary words).
"""

from __future__ import annotations

import base64
import binascii
import re
import threading
from urllib.parse import quote

MASK = "***"
MIN_LENGTH = 6

_lock = threading.Lock()
_forms: set[str] = set()
_pattern: re.Pattern[str] | None = None

# A Basic credential is base64 of "user:secret"; a Bearer token is long and not a plain word.
_BASIC = re.compile(r"(?i)(\bbasic\s+)([A-Za-z0-9+/]{8,}={0,2})")
_BEARER = re.compile(r"(?i)(\bbearer\s+)([A-Za-z0-9._~+/\-]{16,}=*)")


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def remember(secret: str | None, *, username: str = "") -> None:
    """Hide ``secret`` (and, with ``username``, its Basic header form) from every message from now on."""
    if not secret:
        return
    secret = secret.strip()
    if len(secret) < MIN_LENGTH:
        return
    forms = {secret, quote(secret, safe=""), _b64(secret)}
    if username:
        forms.add(_b64(f"{username}:{secret}"))
    global _pattern
    with _lock:
        if forms <= _forms:
            return
        _forms.update(forms)
        ordered = sorted(_forms, key=len, reverse=True)  # longest first: a form may contain another
        _pattern = re.compile("|".join(re.escape(form) for form in ordered))


def remember_authorization(value: str | None) -> None:
    """Remember the credential in an ``Authorization`` header value (``Basic …``, ``Bearer …``)."""
    if not value:
        return
    scheme, _, credential = value.strip().partition(" ")
    credential = credential.strip()
    if scheme.lower() == "basic":
        try:
            user, sep, password = (
                base64.b64decode(credential, validate=True).decode("utf-8").partition(":")
            )
        except (binascii.Error, UnicodeDecodeError, ValueError):
            remember(credential)
            return
        remember(password if sep else user, username=user if sep else "")
        remember(credential)
    else:
        remember(credential)


def _is_basic_credential(candidate: str) -> bool:
    try:
        decoded = base64.b64decode(candidate + "=" * (-len(candidate) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    return b":" in decoded


def _looks_like_token(candidate: str) -> bool:
    return any(c.isdigit() for c in candidate) or any(c in "._~+/-" for c in candidate)


def redact(text: str) -> str:
    """``text`` with every known secret, and anything that looks like a credential after
    ``Basic``/``Bearer``, replaced by ``***``."""
    if not text:
        return text
    pattern = _pattern
    if pattern is not None:
        text = pattern.sub(MASK, text)
    text = _BASIC.sub(
        lambda m: m.group(1) + MASK if _is_basic_credential(m.group(2)) else m.group(0), text
    )
    return _BEARER.sub(
        lambda m: m.group(1) + MASK if _looks_like_token(m.group(2)) else m.group(0), text
    )


def forget_all() -> None:
    """Forget every remembered secret (tests)."""
    global _pattern
    with _lock:
        _forms.clear()
        _pattern = None
