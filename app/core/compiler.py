"""The prompt compiler: a spec becomes the prompt the model renders Chinese text best from.

Practice it follows (DESIGN §1): the English description and style first; every required text in
quotes with "exactly", its role and its place; short segments; a closing "no other text" line.

The output is also a format that can be read back (``parse_prompt``): the embedded engine only
receives the prompt, and lays out the texts it reads from it. Each text is wrapped in a pair of
delimiters whose closing mark does not occur in the text, so any text — quote marks, 「」 and line
breaks included — is kept verbatim and still ends unambiguously.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from app.core.placement import place_in_words
from app.core.spec import ROLES, Box, Spec, TextBlock

MAX_PROMPT_CHARS: Final = 32_000
NEAR_LIMIT_CHARS: Final = 28_000
LONG_SEGMENT_CHARS: Final = 24

TEXT_HEADER: Final = (
    "Text in the image, each rendered exactly as written, character for character "
    "(nothing added, dropped or changed):"
)
NO_OTHER_TEXT: Final = "No other text, letters or numbers anywhere in the image."

# Curly quotes read most naturally to the model; the others are used when a text contains the
# closing mark of the ones before.
_PREFERRED_DELIMITERS: Final = (
    ("\u201c", "\u201d"),  # “ ”
    ("\u00ab", "\u00bb"),  # « »
    ("\u27e6", "\u27e7"),  # ⟦ ⟧
    ("\u27ea", "\u27eb"),  # ⟪ ⟫
    ("\u3016", "\u3017"),  # 〖 〗
    ("\u2983", "\u2984"),  # ⦃ ⦄
)
_CLOSING_FOR: Final = dict(_PREFERRED_DELIMITERS)

_ITEM_START = re.compile(
    r"(?P<number>\d+)\. (?P<role>[A-Z][a-z]+) — (?P<place>[^:\n(]*?)"
    r"(?: \(left (?P<x>\d+)%, top (?P<y>\d+)%, width (?P<w>\d+)%, height (?P<h>\d+)%\))?"
    r": exactly (?P<open>.)",
    re.DOTALL,
)
_LOOSE_QUOTES = re.compile(r"\u201c([^\u201d]+)\u201d|\"([^\"]+)\"")


@dataclass(frozen=True, slots=True)
class CompiledPrompt:
    text: str
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ParsedBlock:
    role: str
    text: str
    place: str
    box: Box | None


@dataclass(frozen=True, slots=True)
class ParsedPrompt:
    description: str
    blocks: tuple[ParsedBlock, ...]
    structured: bool
    """True when the prompt was written by the compiler; False for quoted strings found loosely."""

    def text_blocks(self) -> tuple[TextBlock, ...]:
        return tuple(TextBlock(role=b.role, text=b.text, box=b.box) for b in self.blocks)


def _delimiters_for(text: str) -> tuple[str, str]:
    for opening, closing in _PREFERRED_DELIMITERS:
        if closing not in text:
            return opening, closing
    # A text holding every preferred closing mark: use one private-use character as both marks.
    for code in range(0xE000, 0xF900):
        mark = chr(code)
        if mark not in text:
            return mark, mark
    raise ValueError("text uses every delimiter the prompt format has")  # > 6,400 distinct marks


def _closing_mark(opening: str) -> str:
    return _CLOSING_FOR.get(opening, opening)


def rounded_box(box: Box) -> Box:
    """A box as the prompt states it: whole percentages."""
    x, y, w, h = (round(value * 100) / 100 for value in box)
    return (x, y, w, h)


def _item_line(number: int, block: TextBlock) -> str:
    opening, closing = _delimiters_for(block.text)
    if block.box is None:
        place = _ROLE_PLACES.get(block.role, "placed by its role")
    else:
        x, y, w, h = (round(value * 100) for value in block.box)
        place = f"{place_in_words(block.box)} (left {x}%, top {y}%, width {w}%, height {h}%)"
    return f"{number}. {block.role.capitalize()} — {place}: exactly {opening}{block.text}{closing}"


_ROLE_PLACES: Final = {
    "headline": "large and prominent, top of the image, centred",
    "subhead": "smaller, just below the headline, centred",
    "body": "small, below the subhead, centred",
    "date": "small, below the other texts, centred",
    "price": "large and bold, near the bottom",
    "button": "a button shape near the bottom, centred",
    "label": "a small badge near the bottom",
    "caption": "small, along the bottom edge, centred",
}


def _sentence(text: str) -> str:
    text = text.strip()
    if text and text[-1] not in ".!?。！？":
        text += "."
    return text


def compile_blocks(lead: str, blocks: Sequence[TextBlock]) -> CompiledPrompt:
    """A prompt from an opening paragraph and the required texts (generation or edit)."""
    parts = [lead.strip()] if lead.strip() else []
    if blocks:
        lines = [TEXT_HEADER]
        lines += [_item_line(number, block) for number, block in enumerate(blocks, start=1)]
        lines.append(NO_OTHER_TEXT)
        parts.append("\n".join(lines))
    else:
        parts.append("No text, letters or numbers anywhere in the image.")
    text = "\n\n".join(parts)
    return CompiledPrompt(text=text, warnings=tuple(_warnings(text, blocks)))


def compile_prompt(spec: Spec) -> CompiledPrompt:
    """The generation prompt for a spec."""
    lead = _sentence(spec.description)
    if spec.style.strip():
        lead = f"{lead} Style: {_sentence(spec.style)}".strip()
    return compile_blocks(lead, spec.texts)


def compile_edit_prompt(instruction: str, blocks: Sequence[TextBlock]) -> CompiledPrompt:
    """An edit prompt: the instruction, then the texts that must stay exact."""
    return compile_blocks(_sentence(instruction), blocks)


def long_blocks(blocks: Sequence[TextBlock]) -> list[tuple[int, int]]:
    """(index, characters) of each block over ``LONG_SEGMENT_CHARS``: long segments come out
    wrong more often, so the builder warns on the block itself."""
    lengths = (len(block.text.replace("\n", "")) for block in blocks)
    return [(i, length) for i, length in enumerate(lengths) if length > LONG_SEGMENT_CHARS]


def _warnings(text: str, blocks: Sequence[TextBlock]) -> Iterator[str]:
    for index, length in long_blocks(blocks):
        yield (
            f"text {index + 1} ({blocks[index].role}) has {length} characters: long segments "
            "come out wrong more often; split it into shorter blocks"
        )
    if len(text) > MAX_PROMPT_CHARS:
        yield (
            f"the prompt has {len(text):,} characters, over the limit of {MAX_PROMPT_CHARS:,}: "
            "shorten the description or the texts"
        )
    elif len(text) >= NEAR_LIMIT_CHARS:
        yield (f"the prompt has {len(text):,} characters, near the limit of {MAX_PROMPT_CHARS:,}")


def parse_prompt(prompt: str) -> ParsedPrompt:
    """Read the required texts back from a prompt.

    A compiled prompt gives back its blocks exactly. Any other prompt gives its quoted strings
    (“…” or "…"), in order, as headline, subhead, body…, so they are laid out by role defaults.
    """
    start = 0
    while (found := prompt.find(TEXT_HEADER, start)) >= 0:
        blocks = _parse_items(prompt, found + len(TEXT_HEADER))
        if blocks is not None:
            return ParsedPrompt(prompt[:found].strip(), tuple(blocks), structured=True)
        start = found + 1
    return _parse_loosely(prompt)


def _parse_items(prompt: str, position: int) -> list[ParsedBlock] | None:
    blocks: list[ParsedBlock] = []
    while True:
        if not prompt.startswith("\n", position):
            return None
        position += 1
        if prompt[position:].rstrip() == NO_OTHER_TEXT:
            return blocks
        match = _ITEM_START.match(prompt, position)
        role = match.group("role").lower() if match else ""
        if match is None or role not in ROLES or int(match.group("number")) != len(blocks) + 1:
            return None
        text_start = match.end()
        text_end = prompt.find(_closing_mark(match.group("open")), text_start)
        if text_end < 0:
            return None
        box: Box | None = None
        if match.group("x") is not None:
            x, y, w, h = (int(match.group(key)) / 100 for key in "xywh")
            box = (x, y, w, h)
        blocks.append(ParsedBlock(role, prompt[text_start:text_end], match.group("place"), box))
        position = text_end + 1


def _parse_loosely(prompt: str) -> ParsedPrompt:
    texts = [a or b for a, b in _LOOSE_QUOTES.findall(prompt)]
    texts = [
        text for text in texts if any(not unicodedata.category(c).startswith("Z") for c in text)
    ]
    order = ("headline", "subhead", "body", "caption")
    blocks = tuple(
        ParsedBlock(order[min(index, len(order) - 1)], text, "", None)
        for index, text in enumerate(texts)
    )
    description = _LOOSE_QUOTES.sub(" ", prompt).strip()
    return ParsedPrompt(description, blocks, structured=False)
