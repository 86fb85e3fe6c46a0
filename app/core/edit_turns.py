"""What one turn of a conversational edit asks for, beyond a typed instruction.

Replace-text: the block's new text is a required text of the edit (once, as every required text
is), and the instruction says which text it takes the place of; the old text is never required.
``replaced_texts`` reads that back from a prompt (the embedded engine clears the old text's place).
Finalize: the draft again at a higher quality or a larger tier, as an edit at the new size.
A mask brought in from a file becomes the mask the image API takes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from app.core.sizes import Size, SizeError, size_for_ratio
from app.core.spec import TextBlock


class TurnError(ValueError):
    """A turn that cannot be asked for; the message says why and what to do."""


def replaced_blocks(
    blocks: Sequence[TextBlock], index: int, new_text: str
) -> tuple[str, tuple[TextBlock, ...]]:
    """The instruction and the required texts of an edit that puts ``new_text`` in block
    ``index``'s place. The new text is required (it is among the returned blocks, exactly once
    in the prompt); the old text appears only in the instruction, as what it replaces."""
    if not 0 <= index < len(blocks):
        raise TurnError("that text block is not in this image's spec")
    old = blocks[index]
    if not new_text.strip():
        raise TurnError("the new text is empty: type the text that should appear instead")
    if new_text == old.text:
        raise TurnError("the new text is the same as the old one: change it first")
    new_blocks = tuple(
        replace(block, text=new_text) if number == index else block
        for number, block in enumerate(blocks)
    )
    instruction = (
        f"Replace the {old.role} text {_quoted(old.text)} with the {old.role} text {index + 1} "
        "listed below, in the same place, size, colour and style. Keep everything else in the "
        "image exactly as it is"
    )
    return instruction, new_blocks


def _quoted(text: str) -> str:
    return f"“{text}”" if "”" not in text else f"「{text}」"


_REPLACED: Final = re.compile(
    r"Replace the (?P<role>[a-z]+) text (?:“(?P<curly>[^”]*)”|「(?P<corner>.*?)」) with the "
    r"(?P=role) text (?P<number>\d+) listed below",
    re.DOTALL,
)


def replaced_texts(prompt: str) -> tuple[tuple[int, str], ...]:
    """What the replace-text turns of a prompt (``replaced_blocks``) replace: for each, the index
    of the required text that takes the place and the text it replaces."""
    found = []
    for match in _REPLACED.finditer(prompt):
        old = match.group("curly") if match.group("curly") is not None else match.group("corner")
        found.append((int(match.group("number")) - 1, old))
    return tuple(found)


def finalize_instruction(quality: str) -> str:
    return (
        f"Render this image again at {quality} quality, sharper and more detailed, keeping its "
        "composition, colours, layout and every text exactly as they are"
    )


def finalize_size(width: int, height: int, tier: str) -> Size:
    """The draft's shape at ``tier`` (the sizes the API takes, nearest to the draft's ratio)."""
    try:
        return size_for_ratio(width / height, tier)
    except SizeError as error:
        raise TurnError(str(error)) from None


def mask_for_api(data: bytes, width: int, height: int) -> bytes:
    """A mask file as the image API takes it: a PNG of the image's size whose alpha is 0 where
    the model may change pixels. A greyscale mask's grey becomes its alpha (black: change)."""
    from PIL import Image, UnidentifiedImageError  # loaded on use: not before the window shows

    try:
        with Image.open(io.BytesIO(data)) as opened:
            kind = opened.format
            mask = opened.copy()
    except (UnidentifiedImageError, OSError):
        raise TurnError("the mask is not an image: choose a PNG mask") from None
    if mask.size != (width, height):
        raise TurnError(
            f"the mask is {mask.width}x{mask.height}, but the image is {width}x{height}: "
            "the mask must be the same size"
        )
    if kind == "PNG" and mask.mode == "RGBA":
        return data
    if mask.mode in ("RGBA", "LA", "PA") or "transparency" in mask.info:
        alpha = mask.convert("RGBA").getchannel("A")
    elif mask.mode in ("L", "1", "I", "I;16"):
        alpha = mask.convert("L")
    else:
        raise TurnError(
            "the mask must have transparency or be greyscale: its transparent (or black) areas "
            "mark what changes"
        )
    api = Image.new("RGBA", (width, height), (0, 0, 0, 255))
    api.putalpha(alpha)
    buffer = io.BytesIO()
    api.save(buffer, "PNG")
    return buffer.getvalue()
