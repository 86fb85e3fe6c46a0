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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from app.core.free_prompt import read_free_prompt
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
    r"(?P<number>\d+)\. (?P<role>[A-Z][a-z]+) — (?P<place>[^:\n(;]*?)"
    r"(?: \(left (?P<x>\d+)%, top (?P<y>\d+)%, width (?P<w>\d+)%, height (?P<h>\d+)%\))?"
    r"(?:; (?P<look>[^:\n]*))?"
    r": exactly (?P<open>.)",
    re.DOTALL,
)
_LOOK_WEIGHT = re.compile(r"\(weight (\d+)\)")
_LOOK_COLOUR = re.compile(r"colour (#[0-9A-Fa-f]{6}(?:[0-9A-Fa-f]{2})?)")
_LOOK_ALIGN = re.compile(r"\b(left|right)-aligned|\b(centred) lines")
VERTICAL_WORDS: Final = "set vertically, top to bottom, columns from right to left"
EXACT_TEXT_HEADER: Final = (
    "Leave clean, calm, empty space (no objects, no pattern, no text) at these places; text will "
    "be set there afterwards:"
)
NO_TEXT: Final = "No text, letters, numbers, logos or signage anywhere in the image."


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
    look: BlockLook | None = None


@dataclass(frozen=True, slots=True)
class BlockLook:
    """The typography a prompt states for a block, read back."""

    weight: int | None = None
    color: str | None = None
    align: str | None = None
    vertical: bool = False


@dataclass(frozen=True, slots=True)
class ParsedPrompt:
    description: str
    blocks: tuple[ParsedBlock, ...]
    structured: bool
    """True when the prompt was written by the compiler; False for quoted strings found loosely."""

    def text_blocks(self) -> tuple[TextBlock, ...]:
        return tuple(_text_block(block) for block in self.blocks)


def _text_block(block: ParsedBlock) -> TextBlock:
    look = block.look or BlockLook()
    return TextBlock(
        role=block.role,
        text=block.text,
        box=block.box,
        weight=look.weight,
        color=look.color,
        align=look.align,
        vertical=look.vertical,
    )


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


def _place(block: TextBlock) -> str:
    """Where the block goes, in words (and in percentages when it has a box)."""
    if block.box is None:
        return _ROLE_PLACES.get(block.role, "placed by its role")
    x, y, w, h = (round(value * 100) for value in block.box)
    words = place_in_words(block.box)
    if block.align in ("left", "right") or block.vertical:
        # The box is centred, its text is not: say where the box is without "centred".
        words = words.replace("centred", "across the middle")
    return f"{words} (left {x}%, top {y}%, width {w}%, height {h}%)"


def _weight_words(weight: int) -> str:
    if weight >= 850:
        return "black"
    if weight >= 750:
        return "extra bold"
    if weight >= 600:
        return "bold"
    if weight >= 450:
        return "medium"
    return "light" if weight < 350 else "regular"


def _look(block: TextBlock) -> str:
    """The typography the block asks for, in words the model follows and the engine reads back."""
    parts = []
    if block.vertical:
        parts.append(VERTICAL_WORDS)
    if block.align == "center":
        parts.append("centred lines")
    elif block.align is not None:
        parts.append(f"{block.align}-aligned")
    if block.weight is not None:
        parts.append(f"{_weight_words(block.weight)} (weight {block.weight})")
    if block.color is not None and _SAYABLE.fullmatch(block.color):
        parts.append(f"colour {block.color}" if block.color.startswith("#") else block.color)
    if block.stroke is not None and block.stroke.width > 0:
        parts.append(f"outlined in {block.stroke.color}")
    if block.shadow is not None:
        parts.append("with a soft drop shadow")
    if block.font is not None and _SAYABLE.fullmatch(block.font):
        parts.append(f"in a typeface like {block.font}")
    return ", ".join(parts)


# A colour or family name is said only when it cannot break the prompt's format.
_SAYABLE: Final = re.compile(r"#[0-9A-Fa-f]{6}(?:[0-9A-Fa-f]{2})?|[\w][\w .\-]{0,40}")


def _item_line(number: int, block: TextBlock) -> str:
    opening, closing = _delimiters_for(block.text)
    look = _look(block)
    place = f"{_place(block)}; {look}" if look else _place(block)
    return f"{number}. {block.role.capitalize()} — {place}: exactly {opening}{block.text}{closing}"


def _read_look(look: str | None) -> BlockLook | None:
    if not look:
        return None
    weight = _LOOK_WEIGHT.search(look)
    colour = _LOOK_COLOUR.search(look)
    align = _LOOK_ALIGN.search(look)
    return BlockLook(
        weight=int(weight.group(1)) if weight else None,
        color=colour.group(1) if colour else None,
        align=None if align is None else (align.group(1) or "center"),
        vertical=VERTICAL_WORDS in look,
    )


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
    """The generation prompt for a spec (in exact-text mode: the scene alone, space kept clear)."""
    lead = _sentence(spec.description)
    if spec.style.strip():
        lead = f"{lead} Style: {_sentence(spec.style)}".strip()
    if spec.exact_text:
        return compile_text_free(lead, spec.texts)
    return compile_blocks(lead, spec.texts)


def compile_text_free(lead: str, blocks: Sequence[TextBlock]) -> CompiledPrompt:
    """A prompt for a background with clean space where the blocks go, and no text at all.

    The texts themselves are not in it: the studio sets them over the image afterwards.
    """
    parts = [lead.strip()] if lead.strip() else []
    if blocks:
        lines = [EXACT_TEXT_HEADER]
        lines += [f"- {_place(block)}" for block in blocks]
        parts.append("\n".join(lines))
    parts.append(NO_TEXT)
    text = "\n\n".join(parts)
    return CompiledPrompt(text=text, warnings=tuple(_warnings(text, ())))


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

    A compiled prompt gives back its blocks exactly. Any other prompt is read as people write
    prompts (``read_free_prompt``): its quoted or cued texts, in order, with the roles the words
    around them name, so they are laid out by role defaults.
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
        look = _read_look(match.group("look"))
        place = match.group("place")
        blocks.append(ParsedBlock(role, prompt[text_start:text_end], place, box, look))
        position = text_end + 1


def _parse_loosely(prompt: str) -> ParsedPrompt:
    description, found = read_free_prompt(prompt)
    blocks = tuple(ParsedBlock(item.role, item.text, "", None) for item in found)
    return ParsedPrompt(description, blocks, structured=False)
