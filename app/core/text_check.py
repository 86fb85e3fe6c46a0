"""Characters a designer cannot see, checked before any text goes into a prompt.

Text comes from spec files, flags and pasted copy. What is invisible must not reach the model (it
asks for characters nobody sees) nor the terminal (an ESC rewrites the screen), so per kind:

- refused, with the position named: control characters (NUL, ESC, DEL, C1), bidirectional controls
  (RLO and friends reorder what is shown against what is sent) and lone surrogates (a ``\\ud800``
  escape without its pair, or bytes that were not UTF-8 on the command line);
- removed with a warning: zero-width and other invisible formatting characters that copy-paste
  brings along (ZERO WIDTH SPACE, BOM, SOFT HYPHEN…); a ZERO WIDTH JOINER is kept inside an emoji
  sequence, where it is part of the character;
- kept: tab and line breaks (CR LF, CR and the Unicode line separators become ``\\n``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

_LINE_BREAKS: Final = re.compile("\r\n|[\r\u2028\u2029]")
# Regex classes written with escapes, so the JSON Schema shows them legibly.
_BIDI: Final = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
REFUSED_CHARACTERS: Final = rf"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]"
"""What a text may not hold: controls, direction controls, surrogates (the schema says so too)."""
INVISIBLE_CHARACTERS: Final = r"[\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff]"
"""What is removed from a text with a warning."""
VISIBLE_CHARACTER: Final = rf"[^\s{INVISIBLE_CHARACTERS[1:-1]}]"
"""What makes a text not blank."""
_REFUSED: Final = re.compile(REFUSED_CHARACTERS)
_INVISIBLE: Final = re.compile(INVISIBLE_CHARACTERS)
_ZWJ: Final = "\u200d"
_CONTROL_NAMES: Final = {0: "NUL", 0x1B: "ESC", 0x7F: "DEL", 0x07: "BEL", 0x08: "BACKSPACE"}
_MAX_NAMED: Final = 3


class TextError(ValueError):
    """A text with a character that cannot be sent; the message names it and its position."""


@dataclass(frozen=True, slots=True)
class CheckedText:
    text: str
    warnings: tuple[str, ...] = ()


def character_name(char: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``: how a message names an invisible character."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "")
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"


def _refusal(char: str) -> str:
    """Why ``char``, one of ``REFUSED_CHARACTERS``, cannot be in a text."""
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # how Python keeps a byte that was not UTF-8 (surrogateescape)
        return f"the byte 0x{code - 0xDC00:02X} is not UTF-8 text; write the text in UTF-8"
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate U+{code:04X} is not a character; remove the \\u escape"
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"the control character {character_name(char)} cannot be in a text; remove it"
    return (
        f"the invisible direction control {character_name(char)} would change what is shown "
        "against what is sent; remove it"
    )


def _joins_emoji(text: str, index: int) -> bool:
    """A ZERO WIDTH JOINER between two pictographs (👩‍💻): part of one emoji, not an invisible."""
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    pictograph = ("So", "Sk", "Mn")  # symbols, skin-tone modifiers, variation selectors
    return bool(before and after) and (
        unicodedata.category(before) in pictograph and unicodedata.category(after) == "So"
    )


def check_text(value: str, where: str) -> CheckedText:
    """``value`` ready for a prompt, or :class:`TextError`; positions count from 1."""
    refused = _REFUSED.search(value)
    if refused is not None:
        raise TextError(f"{where}: at position {refused.start() + 1}, {_refusal(refused.group())}")
    removed = [
        (match.start(), match.group())
        for match in _INVISIBLE.finditer(value)
        if not (match.group() == _ZWJ and _joins_emoji(value, match.start()))
    ]
    text = value
    warnings: tuple[str, ...] = ()
    if removed:
        dropped = {index for index, _ in removed}
        text = "".join(char for index, char in enumerate(value) if index not in dropped)
        named = ", ".join(
            f"{character_name(char)} at position {i + 1}" for i, char in removed[:_MAX_NAMED]
        )
        more = f" and {len(removed) - _MAX_NAMED} more" if len(removed) > _MAX_NAMED else ""
        warnings = (f"{where}: removed invisible characters: {named}{more}",)
    return CheckedText(_LINE_BREAKS.sub("\n", text), warnings)


_UNPRINTABLE: Final = re.compile(rf"\r|{REFUSED_CHARACTERS}")


def printable(text: str) -> str:
    """``text`` safe for a terminal: controls, direction controls and surrogates escaped."""
    return _UNPRINTABLE.sub(lambda match: ascii(match.group())[1:-1], text)
