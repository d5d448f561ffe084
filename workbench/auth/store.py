"""Secrets in the OS keyring, and nowhere else.

Entries live under the service ``workbench``:

- ``profile:<name>:oauth_tokens``  the OAuth token set as one JSON value (atomic update)
- ``profile:<name>:api_token``     an API token (Cloud, Basic) or a Personal Access Token (DC, Bearer)
- ``oauth-client:<client_id>:secret``  the OAuth app's client secret (shared by profiles of that app)

``keyring`` is imported inside functions so modules that import this one stay light. A missing or
failing backend raises :class:`KeyringUnavailable` with the fix; there is no plaintext fallback.

Every read and write holds one file lock, ``<data dir>/locks/keyring.lock``, across all Workbench
processes: file backends (``keyrings.alt``, which the docs suggest for headless machines) rewrite
the whole file on each write — truncate, then write — so two processes writing at once lost each
other's entries, and a reader in between saw no entries at all. Locking costs one ``flock`` per call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from workbench.auth.errors import NO_KEYRING, KeyringUnavailable
from workbench.auth.tokens import TokenSet
from workbench.errors import WorkbenchError
from workbench.redact import remember

SERVICE = "workbench"
LOCK_TIMEOUT = 30.0

T = TypeVar("T")


def keyring_lock_path() -> Path:
    # lazy, for start-up: workbench.config loads on first use
    from workbench.config import data_dir

    return data_dir() / "locks" / "keyring.lock"


@contextmanager
def _keyring_lock() -> Iterator[None]:
    """The cross-process lock around one keyring call (see the module docstring).

    A new ``FileLock`` per call: each holds its own descriptor, so threads of one process exclude
    each other as processes do. When the lock file cannot be made (a read-only data dir), the call
    goes ahead unlocked rather than failing: the keyring itself may still work.
    """
    # lazy, for start-up: filelock, workbench.config (with filelock) loads on first use
    from filelock import FileLock, Timeout

    from workbench.config import private_dir

    path = keyring_lock_path()
    lock = FileLock(str(path), mode=0o600)
    try:
        private_dir(path.parent)
        lock.acquire(timeout=LOCK_TIMEOUT)
        locked = True
    except Timeout:
        raise WorkbenchError(
            f"Another Workbench process has held the keyring lock for over {LOCK_TIMEOUT:g} s ({path}). "
            "Close it and try again."
        ) from None
    except OSError:
        locked = False
    try:
        yield
    finally:
        if locked:
            lock.release()


def _keyring():
    """The keyring module once a real backend is known to be there."""
    # lazy, for start-up: keyring, keyring.backends (with backports …) loads on first use
    import keyring
    from keyring.backends import chainer, fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        raise KeyringUnavailable(NO_KEYRING)
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        raise KeyringUnavailable(NO_KEYRING)
    return keyring


def check_keyring() -> str:
    """The backend's name, or raise KeyringUnavailable."""
    backend = _keyring().get_keyring()
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _call(fn: Callable[..., T], *args: str) -> T | None:
    # lazy, for start-up: keyring.errors (with backports, importlib_metadata …) loads on first use
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        with _keyring_lock():
            return fn(*args)
    except PasswordDeleteError:
        return None
    except KeyringError as exc:
        # The backend's message may name the entry but never holds the secret itself.
        raise KeyringUnavailable(
            f"The OS keyring refused the request ({type(exc).__name__}). {NO_KEYRING}"
        ) from None


def _get(key: str) -> str | None:
    kr = _keyring()
    value = _call(kr.get_password, SERVICE, key)
    if value and not key.endswith(":oauth_tokens"):  # a token set is remembered by TokenSet itself
        remember(value)
    return value


def _set(key: str, value: str) -> None:
    kr = _keyring()
    if not key.endswith(":oauth_tokens"):
        remember(value)
    _call(kr.set_password, SERVICE, key, value)


def _delete(key: str) -> bool:
    kr = _keyring()

    def get_then_delete(service: str, name: str) -> bool:
        if kr.get_password(service, name) is None:
            return False
        kr.delete_password(service, name)
        return True

    return bool(_call(get_then_delete, SERVICE, key))


def _tokens_key(profile: str) -> str:
    return f"profile:{profile}:oauth_tokens"


def _token_key(profile: str) -> str:
    return f"profile:{profile}:api_token"


def _client_key(client_id: str) -> str:
    return f"oauth-client:{client_id}:secret"


def load_tokens(profile: str) -> TokenSet | None:
    raw = _get(_tokens_key(profile))
    return TokenSet.from_json(raw) if raw else None


def save_tokens(profile: str, tokens: TokenSet) -> None:
    """One keyring write holding the whole set, so a reader sees the old set or the new one."""
    _set(_tokens_key(profile), tokens.to_json())


def mark_tokens_invalid(profile: str) -> None:
    """Forget the tokens but remember that the profile needs a new login."""
    _set(_tokens_key(profile), TokenSet(access_token="", invalid=True).to_json())


def delete_tokens(profile: str) -> bool:
    return _delete(_tokens_key(profile))


def load_token(profile: str) -> str | None:
    return _get(_token_key(profile))


def save_token(profile: str, token: str) -> None:
    _set(_token_key(profile), token)


def delete_token(profile: str) -> bool:
    return _delete(_token_key(profile))


def load_client_secret(client_id: str) -> str | None:
    return _get(_client_key(client_id))


def save_client_secret(client_id: str, secret: str) -> None:
    _set(_client_key(client_id), secret)


def delete_client_secret(client_id: str) -> bool:
    return _delete(_client_key(client_id))
