"""File names from a template, safe on every platform the studio runs on.

A designer names exports with a template such as ``{date} {headline} {ratio}-{index}``. The fields
come from the job (its texts are often Chinese, and may hold ``/``, ``:`` or line breaks), so the
result is cleaned: no path separators or characters Windows forbids, no control characters, no
trailing dots or spaces, no reserved device names (``CON``, ``NUL``, ``COM1``...), and no longer
than filesystems allow, counted in UTF-8 bytes and cut on a character boundary. Chinese is kept.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Mapping
from typing import Final

DEFAULT_TEMPLATE: Final = "{date}-{headline}-{index}"
TEMPLATE_FIELDS: Final = ("date", "job", "index", "headline", "ratio")
MAX_STEM_BYTES: Final = 200
"""Most filesystems allow 255 bytes per name: room is left for ``-2``, the extension and a
temporary file's prefix and suffix."""
FALLBACK_STEM: Final = "image"

_FORBIDDEN: Final = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')
_SPACES: Final = re.compile(r"\s+")
_RESERVED: Final = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$")


class TemplateError(ValueError):
    """A template with a field the studio does not know, or unbalanced braces."""


def check_template(template: str) -> None:
    """Refuse a template that cannot be filled; the message lists the fields there are."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as error:
        raise TemplateError(f"The file-name template {template!r} is not valid: {error}.") from None
    for _text, name, _spec, _conversion in parsed:
        if name is not None and name not in TEMPLATE_FIELDS:
            known = ", ".join("{" + field + "}" for field in TEMPLATE_FIELDS)
            raise TemplateError(
                f"The file-name template has an unknown field {{{name}}}: use {known}."
            )


def fill_template(template: str, fields: Mapping[str, str]) -> str:
    """The template with its fields filled in, then made safe (see ``safe_stem``)."""
    check_template(template)
    values = {name: fields.get(name, "") for name in TEMPLATE_FIELDS}
    filled = "".join(
        text + (values[name] if name is not None else "")
        for text, name, _spec, _conversion in string.Formatter().parse(template)
    )
    return safe_stem(filled)


def safe_stem(name: str, *, max_bytes: int = MAX_STEM_BYTES) -> str:
    """``name`` made usable as a file name (without extension) on Windows, macOS and Linux."""
    text = unicodedata.normalize("NFC", name)
    text = _SPACES.sub(" ", text)  # line breaks and tabs in a headline become spaces
    text = _FORBIDDEN.sub("_", text)
    text = _cut_to_bytes(text, max_bytes)
    text = text.strip(" .")
    # Windows reserves device names even with an extension: "NUL.final" is still the device.
    if _RESERVED.match(text.split(".")[0].rstrip(" ")):
        text = "_" + text
    return text or FALLBACK_STEM


def _cut_to_bytes(text: str, max_bytes: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    return encoded[:max_bytes].decode("utf-8", errors="ignore")
