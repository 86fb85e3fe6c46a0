"""Text as the fidelity check compares it: whitespace removed, punctuation variants made one.

OCR engines and image models disagree about punctuation that means the same thing: an ASCII comma
or a full-width one, a middle dot ``·`` or a katakana middle dot ``・``, an em dash or a horizontal
bar, straight or curly quotes. Those are mapped to one form on both sides of the comparison.
Letters never are: a look-alike character (茶 and 荼, 日 and 曰) is a different character, and a
wrong character in an image is exactly what the check must report. Full-width forms of ASCII
(``Ａ``, ``１``) count as their ASCII letter or digit: the same character at another width.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# Each group of variants becomes its first member.
_VARIANT_GROUPS: Final = (
    "，,",
    "。.｡．",
    "、､",
    "：:",
    "；;",
    "！!",
    "？?",
    "（(",
    "）)",
    "·・･•‧∙⋅",
    "—―‒–─━‐‑",
    '"“”„‟＂〃',
    "'‘’‚‛＇",
    "～~〜",
    "¥￥",
    "…",
)
_VARIANTS: Final = {variant: group[0] for group in _VARIANT_GROUPS for variant in group}
_FULL_WIDTH_FIRST: Final = 0xFF01  # ！ .. ～ are ASCII ! .. ~ at full width
_FULL_WIDTH_LAST: Final = 0xFF5E
_FULL_WIDTH_OFFSET: Final = 0xFEE0
_ELLIPSIS_DOTS: Final = "。。。"  # "..." once its dots are mapped


@dataclass(frozen=True, slots=True)
class NormalChar:
    """One character of normalised text and the span of the original text it came from."""

    char: str
    start: int
    end: int


def _canonical(char: str) -> str:
    code = ord(char)
    if _FULL_WIDTH_FIRST <= code <= _FULL_WIDTH_LAST:
        char = chr(code - _FULL_WIDTH_OFFSET)
    return _VARIANTS.get(char, char)


def normalise_chars(text: str) -> list[NormalChar]:
    """``text`` without whitespace and with punctuation variants mapped, each character with the
    span of ``text`` it stands for (so a difference can be shown where it is)."""
    result: list[NormalChar] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char.isspace():
            index += 1
            continue
        run = "".join(_canonical(c) for c in text[index : index + 3])
        if run == _ELLIPSIS_DOTS:  # three dots typed for an ellipsis
            result.append(NormalChar("…", index, index + 3))
            index += 3
            continue
        result.append(NormalChar(_canonical(char), index, index + 1))
        index += 1
    return result


def normalise(text: str) -> str:
    """The form two texts are compared in: ``normalise(a) == normalise(b)`` means the same text."""
    return "".join(item.char for item in normalise_chars(text))
