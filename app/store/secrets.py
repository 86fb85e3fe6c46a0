"""The API key: from the OPENAI_API_KEY environment variable, else the system keyring.

The key lives only there: never in the settings, the library, exported files, logs or messages
(``redact`` masks it in any text bound for a user). A machine without a keyring backend simply has
no stored key: reading never raises.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Final, Literal

import keyring
import keyring.backends.fail
import keyring.backends.null
import keyring.errors

from app.store.files import StoreError

log = logging.getLogger(__name__)

SERVICE: Final = "zi-studio"
USERNAME: Final = "openai-api-key"
ENV_VARIABLE: Final = "OPENAI_API_KEY"

KeySource = Literal["environment", "keyring", "none"]


class KeyStoreError(StoreError):
    """The key could not be stored or removed; ``code`` (empty, no_keyring, locked) lets a
    window word it in its own language."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


def load_key(env: Mapping[str, str] = os.environ) -> str | None:
    """The key to use: the environment variable first, then the keyring; ``None`` when neither."""
    from_env = env.get(ENV_VARIABLE, "").strip()
    if from_env:
        return from_env
    return _stored_key()


def key_source(env: Mapping[str, str] = os.environ) -> KeySource:
    """Where ``load_key`` finds the key, for the settings page to show."""
    if env.get(ENV_VARIABLE, "").strip():
        return "environment"
    return "keyring" if _stored_key() else "none"


def keyring_available() -> bool:
    """Whether a real keyring backend is there to store a key in."""
    backend = keyring.get_keyring()
    return not isinstance(backend, keyring.backends.fail.Keyring | keyring.backends.null.Keyring)


def store_key(key: str) -> None:
    """Keep ``key`` in the system keyring; ``StoreError`` when there is no keyring to keep it in."""
    key = key.strip()
    if not key:
        raise KeyStoreError(
            "The API key is empty: paste the whole key and try again.", code="empty"
        )
    if not keyring_available():
        raise _no_keyring()
    try:
        keyring.set_password(SERVICE, USERNAME, key)
    except keyring.errors.NoKeyringError as error:
        raise _no_keyring() from error
    except keyring.errors.KeyringError as error:
        raise KeyStoreError(
            "The system keyring refused to store the API key (is it locked?): unlock it and try "
            f"again, or set {ENV_VARIABLE} instead.",
            code="locked",
        ) from error


def delete_key() -> bool:
    """Forget the stored key; ``True`` when there was one. No keyring: nothing to forget."""
    try:
        keyring.delete_password(SERVICE, USERNAME)
    except keyring.errors.PasswordDeleteError:
        return False
    except keyring.errors.NoKeyringError:
        return False
    except keyring.errors.KeyringError as error:
        raise KeyStoreError(
            "The system keyring refused to remove the API key (is it locked?): unlock it and "
            "try again.",
            code="locked",
        ) from error
    return True


def _stored_key() -> str | None:
    try:
        stored = keyring.get_password(SERVICE, USERNAME)
    except keyring.errors.NoKeyringError:
        return None
    except Exception as error:  # any backend failure (locked, D-Bus gone) means no usable key
        log.warning(
            "The system keyring could not be read (%s): no stored key.", type(error).__name__
        )
        return None
    if not stored or not stored.strip():
        return None
    return stored.strip()


def _no_keyring() -> KeyStoreError:
    return KeyStoreError(
        f"This computer has no system keyring to keep the API key in: set {ENV_VARIABLE} instead.",
        code="no_keyring",
    )
