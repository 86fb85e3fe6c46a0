"""Keeping credentials out of every text and file the studio writes.

An API key, a bearer token or a ``user:password@`` in a URL must never reach a log, an error
message, the library or an exported image; these helpers mask them wherever text leaves the studio.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

SECRET_TOKEN: Final = re.compile(r"(?<![A-Za-z0-9])sk-[A-Za-z0-9][A-Za-z0-9_\-]{15,}")
"""An OpenAI-style secret key (``sk-...``, ``sk-proj-...``) anywhere in a text."""
REDACTED_TOKEN: Final = "sk-…redacted"
_URL_CREDENTIALS: Final = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s@?#]+@")
_QUERY_CREDENTIALS: Final = re.compile(
    r"(?i)([?&](?:api[-_]?key|key|token|access[-_]?token|password|sig)=)[^&\s#]+"
)
_CREDENTIAL_NAMES: Final = frozenset(
    {"api_key", "apikey", "key", "authorization", "auth", "password", "passwd", "secret",
     "token", "access_token", "bearer", "credentials", "cookie"}
)  # fmt: skip
_CREDENTIAL_ENDINGS: Final = ("_api_key", "_apikey", "_secret", "_token", "_password")
_BEARER: Final = re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=\-]{8,}")
_MIN_KEY_TO_REDACT: Final = 8  # shorter "keys" are placeholders; replacing them mangles text


def is_credential_name(name: str) -> bool:
    """Whether a mapping key names a credential (``api_key``, ``Authorization``, ...)."""
    normal = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return normal in _CREDENTIAL_NAMES or normal.endswith(_CREDENTIAL_ENDINGS)


def scrub_text(text: str) -> str:
    """``text`` without URL credentials (``user:password@``, ``?key=``) and secret-key tokens."""
    text = _URL_CREDENTIALS.sub(r"\1", text)
    text = _QUERY_CREDENTIALS.sub(r"\1redacted", text)
    return SECRET_TOKEN.sub(REDACTED_TOKEN, text)


def scrub_credentials(value: Any) -> Any:
    """A copy of a JSON-like value with credential keys dropped and credential texts masked."""
    if isinstance(value, Mapping):
        return {
            str(key): scrub_credentials(item)
            for key, item in value.items()
            if not is_credential_name(str(key))
        }
    if isinstance(value, list | tuple):
        return [scrub_credentials(item) for item in value]
    if isinstance(value, str):
        return scrub_text(value)
    return value


def redact(text: str, key: str | None = None) -> str:
    """``text`` with ``key``, anything that looks like a secret key, bearer tokens and URL
    credentials masked, ready for an error message or a log line."""
    if key and len(key) >= _MIN_KEY_TO_REDACT:
        text = text.replace(key, REDACTED_TOKEN)
    text = _BEARER.sub(r"\1…redacted", text)
    return scrub_text(text)
