"""The prompt spec: a designer's image described as data (CONTRACTS §1).

A spec is frozen: the builder, the library and the exported files all hold the same value, and a
change makes a new spec (``dataclasses.replace``).

Each attribute declared with ``spec_field`` is a key of the spec file: its type, default, allowed
values and description here are all the reader (``spec_json``) and the JSON Schema
(``spec_schema``) know, so adding a key to the file is adding an attribute here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final

from app.core.params import DALLE_QUALITIES, validate_params
from app.core.sizes import RATIO_PATTERN, SIZE_PATTERN
from app.core.spec_fields import spec_field

SPEC_VERSION: Final = 1

ROLES: Final = ("headline", "subhead", "body", "caption", "button", "label", "price", "date")
TIERS: Final = ("1k", "2k", "4k")
QUALITIES: Final = ("low", "medium", "high", "auto", "xhigh", "max")
BACKGROUNDS: Final = ("auto", "opaque", "transparent")
OUTPUT_FORMATS: Final = ("png", "webp", "jpeg")
ALIGNMENTS: Final = ("left", "center", "right")

DEFAULT_MODEL: Final = "gpt-image-2"
MAX_IMAGES_PER_REQUEST: Final = 10
MAX_REFERENCES: Final = 16

Box = tuple[float, float, float, float]
"""[x, y, w, h] as fractions 0..1 of the canvas, origin top-left."""


class SpecError(ValueError):
    """A spec that cannot be used; the message names the field and the problem."""


def _box_inside_canvas(box: Box) -> str | None:
    x, y, w, h = box
    if not all(math.isfinite(v) for v in box):
        return "every number must be between 0 and 1"
    if w <= 0 or h <= 0 or x + w > 1.0001 or y + h > 1.0001:
        return "the box must have a size and lie inside the canvas"
    return None


def _not_dalle_quality(quality: Any) -> str | None:
    """Say what to use instead of a DALL·E quality, not just "not one of"."""
    if quality not in DALLE_QUALITIES:
        return None
    problems = validate_params({"quality": quality, "prompt": "x"})
    return next(p.message for p in problems if p.param == "quality")


def _supported_version(version: Any) -> str | None:
    if version == SPEC_VERSION:
        return None
    return f"{version} is not supported (this studio reads version {SPEC_VERSION})"


_COLOR_PATTERN: Final = r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$"
_COLOR_HINT: Final = '"#rrggbb" or "#aarrggbb"'


@dataclass(frozen=True, slots=True)
class Stroke:
    """An outline around the glyphs, grown outwards."""

    width: float = spec_field(
        0.05, "The outline's width in ems (0.05 is a thin line)", minimum=0, maximum=0.3,
        required=True,
    )  # fmt: skip
    color: str = spec_field(
        "#ffffff", "The outline's colour", pattern=_COLOR_PATTERN, pattern_hint=_COLOR_HINT
    )


@dataclass(frozen=True, slots=True)
class Shadow:
    """A drop shadow under the glyphs; offsets and blur in ems."""

    color: str = spec_field(
        "#80000000", "The shadow's colour", pattern=_COLOR_PATTERN, pattern_hint=_COLOR_HINT
    )
    x: float = spec_field(0.04, "Offset to the right, in ems", minimum=-1, maximum=1)
    y: float = spec_field(0.06, "Offset downwards, in ems", minimum=-1, maximum=1)
    blur: float = spec_field(0.08, "Blur radius, in ems", minimum=0, maximum=1)


@dataclass(frozen=True, slots=True)
class TextBlock:
    """One required text: exact characters, a role, and optionally a place and typography.

    Typography the layout engine adds (CONTRACTS §1); None takes the role's default.
    """

    role: str = spec_field("headline", "What the text is; sets its default look", choices=ROLES)
    text: str = spec_field(
        "",
        "the exact text to render",
        required=True,
        blank_message="give the exact text or remove the block",
    )
    box: Box | None = spec_field(  # noqa: RUF009 (a field declaration, not a shared default)
        None,
        "[x, y, w, h] as fractions 0..1 of the canvas, origin top-left",
        minimum=0,
        maximum=1,
        check=_box_inside_canvas,
        schema_checked=False,
    )
    font: str | None = spec_field(None, "A font family name")
    weight: int | None = spec_field(None, "The font weight", minimum=100, maximum=900)
    color: str | None = spec_field(None, "The text colour, as #RRGGBB")
    align: str | None = spec_field(None, "The horizontal alignment", choices=ALIGNMENTS)
    vertical: bool = spec_field(
        False, "Set in vertical lines (竖排): columns right to left, Latin turned"
    )
    tracking: float | None = spec_field(
        None, "Extra space between characters, in ems", minimum=-0.2, maximum=1
    )
    line_height: float | None = spec_field(
        None, "The line pitch as a multiple of the size", minimum=0.8, maximum=3
    )
    stroke: Stroke | None = spec_field(None, "An outline around the glyphs")  # noqa: RUF009
    shadow: Shadow | None = spec_field(None, "A drop shadow under the glyphs")  # noqa: RUF009


CHAINS: Final = ("first", "previous")
MIN_SHOTS: Final = 2
MAX_SHOTS: Final = 16


@dataclass(frozen=True, slots=True)
class Shot:
    """One image of a series: what differs from the spec (what is not given comes from it)."""

    description: str | None = spec_field(None, "This shot's description (else the spec's)")
    texts: tuple[TextBlock, ...] | None = spec_field(
        None, "This shot's texts, each exactly as given (else the spec's)"
    )


@dataclass(frozen=True, slots=True)
class Spec:
    """Everything a designer asked for. Paths in ``references`` are absolute once loaded."""

    description: str = spec_field("", "The image in words (English recommended)")
    style: str = spec_field("", "Free text added to the description")
    texts: tuple[TextBlock, ...] = spec_field((), "The required texts, each exactly as given")
    ratio: str | None = spec_field(
        None,
        "The canvas shape W:H, with tier (not with size)",
        pattern=RATIO_PATTERN,
        pattern_hint="W:H, for example 3:4 or 2.35:1",
    )
    tier: str = spec_field("1k", "The long edge with a ratio: 1024, 2048, 3840", choices=TIERS)
    size: str | None = spec_field(
        None,
        "WIDTHxHEIGHT or auto (not with ratio)",
        pattern=SIZE_PATTERN,
        pattern_hint="WIDTHxHEIGHT, for example 1024x1024, or auto",
    )
    quality: str = spec_field(
        "medium", "The rendering quality", choices=QUALITIES, check=_not_dalle_quality
    )
    n: int = spec_field(1, "How many images", minimum=1, maximum=MAX_IMAGES_PER_REQUEST)
    background: str = spec_field("auto", "The background", choices=BACKGROUNDS)
    output_format: str = spec_field("png", "The image file format", choices=OUTPUT_FORMATS)
    output_compression: int | None = spec_field(
        None, "Compression for webp and jpeg", minimum=0, maximum=100
    )
    model: str = spec_field(DEFAULT_MODEL, "The image model")
    references: tuple[str, ...] = spec_field(
        (), "Reference images, relative to the spec file", max_items=MAX_REFERENCES
    )
    exact_text: bool = spec_field(
        False,
        "Ask for the scene with clean space where the texts go and no text, and set the texts "
        "locally over it (exact-text compositing)",
    )
    shots: tuple[Shot, ...] = spec_field(
        (),
        "A series: 2..16 images that share a look, each later one made with an earlier one as "
        "its reference",
        min_items=MIN_SHOTS,
        max_items=MAX_SHOTS,
    )
    chain: str | None = spec_field(
        None,
        "In a series, the reference of each later shot: the first shot's image (default) or "
        "the previous one's",
        choices=CHAINS,
    )
    version: int = spec_field(
        SPEC_VERSION, "The spec format", choices=(SPEC_VERSION,), check=_supported_version
    )


ONE_OF_REQUIRED: Final = ("description", "texts")
"""A spec says what to make: a description that is not blank, or at least one text."""
EXCLUSIVE: Final = ("ratio", "size")
"""Keys that cannot be given together (a null counts as not given)."""
