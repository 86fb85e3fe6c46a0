"""Transparent backgrounds where a service refuses them: a flat key colour, removed locally.

Magenta, not green: green is the colour of tea, plants and packaging that designers put in front of
it, and a green key would eat into them.
"""

from __future__ import annotations

import io
from typing import Final

from PIL import Image, ImageChops

KEY_COLOUR: Final = "#FF00FF"
KEY_SENTENCE: Final = (
    "Background: a perfectly flat, uniform pure magenta (#FF00FF) backdrop with no shadows, "
    "gradients, texture or reflections; no magenta anywhere in the subject or the text."
)
# How far a pixel's "magenta-ness" (min(R, B) - G) must go before it counts as backdrop.
_OPAQUE_BELOW: Final = 60
_CLEAR_ABOVE: Final = 160


def with_key_colour(prompt: str) -> str:
    """The prompt, asking for the key-colour backdrop."""
    return f"{prompt}\n\n{KEY_SENTENCE}"


def remove_key_colour(image_bytes: bytes) -> bytes:
    """A PNG with the magenta backdrop made transparent, edges softened and de-tinted."""
    with Image.open(io.BytesIO(image_bytes)) as source:
        rgb = source.convert("RGB")
    red, green, blue = rgb.split()
    keyness = ImageChops.subtract(ImageChops.darker(red, blue), green)
    span = _CLEAR_ABOVE - _OPAQUE_BELOW
    alpha = keyness.point(
        lambda v: 255 if v <= _OPAQUE_BELOW else 0 if v >= _CLEAR_ABOVE
        else round(255 * (_CLEAR_ABOVE - v) / span)
    )  # fmt: skip
    # Edge pixels keep a magenta tint: pull red and blue down to green's level there.
    edge = alpha.point(lambda v: 255 if 0 < v < 255 else 0)
    limit = ImageChops.lighter(green, ImageChops.darker(red, blue).point(lambda v: v // 2))
    red = Image.composite(ImageChops.darker(red, limit), red, edge)
    blue = Image.composite(ImageChops.darker(blue, limit), blue, edge)
    result = Image.merge("RGBA", (red, green, blue, alpha))
    buffer = io.BytesIO()
    result.save(buffer, "PNG")
    return buffer.getvalue()
