"""Secrets in the OS keyring, and nowhere else.

Entries live under the service ``workbench``:

- ``profile:<name>:oauth_tokens``  the OAuth token set as one JSON value (atomic update)
- ``profile:<name>:api_token``     an API token (Cloud, Basic) or a Personal Access Token (DC, Bearer)
- ``oauth-client:<client_id>:secret``  the OAuth app's client secret (shared by profiles of that app)

``keyring`` is imported inside functions so modules that import this one stay light. A missing or
failing backend raises :class:`KeyringUnavailable` with the fix; there is no plaintext fallback.
"""

from __future__ import annotations

from workbench.auth.errors import NO_KEYRING, KeyringUnavailable
from workbench.auth.tokens import TokenSet
from workbench.redact import remember

SERVICE = "workbench"


def _keyring():
    """The keyring module once a real backend is known to be there."""
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


def _call(fn, *args):
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        return fn(*args)
    except PasswordDeleteError:
        return None
    except KeyringError as exc:
        # The backend's message may name the entry but never holds the secret itself.
        raise KeyringUnavailable(f"The OS keyring refused the request ({type(exc).__name__}). {NO_KEYRING}") from None


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
    if _call(kr.get_password, SERVICE, key) is None:
        return False
    _call(kr.delete_password, SERVICE, key)
    return True


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
