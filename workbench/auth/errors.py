"""Errors of the login layer. Messages never contain a secret."""

from __future__ import annotations

from workbench.confluence.errors import AuthError
from workbench.errors import WorkbenchError


class LoginRequired(AuthError):
    """The stored credentials can no longer be used (revoked, rotated away, missing): log in again.

    The TUI catches this to offer a re-login; the command line prints the message (exit code 4).
    ``profile`` names the profile to log in to again (empty for the environment variables).
    """

    def __init__(self, message: str, *, profile: str = "") -> None:
        super().__init__(message, status=401)
        self.profile = profile


class LoginFailed(WorkbenchError):
    """The login did not complete: consent denied, timeout, port busy, bad client credentials."""

    exit_code = 4


class KeyringUnavailable(WorkbenchError):
    """No usable OS keyring backend, so no secret can be stored or read."""

    exit_code = 2


NO_KEYRING = (
    "No OS keyring is available, and Workbench keeps secrets only in the keyring. Install and unlock "
    "one (gnome-keyring, KWallet, macOS Keychain, Windows Credential Locker), or on a headless machine "
    "install keyrings.alt and set PYTHON_KEYRING_BACKEND=keyrings.alt.file.EncryptedKeyring."
)
