"""The prompt spec: a designer's image described as data (CONTRACTS §1).

A spec is frozen: the builder, the library and the exported files all hold the same value, and a
change makes a new spec (``dataclasses.replace``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

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


@dataclass(frozen=True, slots=True)
class Stroke:
    """An outline around the glyphs: ``width`` in ems (0.04 is a thin line), any CSS colour."""

    width: float
    color: str = "#ffffff"


@dataclass(frozen=True, slots=True)
class Shadow:
    """A drop shadow: offsets and blur radius in ems, colour "#rrggbb" or "#aarrggbb"."""

    color: str = "#80000000"
    x: float = 0.04
    y: float = 0.06
    blur: float = 0.08


@dataclass(frozen=True, slots=True)
class TextBlock:
    """One required text: exact characters, a role, and optionally a place and typography.

    Typography the layout engine adds (CONTRACTS §1): ``font`` a family name, ``weight`` 100..1000
    (the variable font's ``wght`` axis), ``color``, ``align``, ``vertical`` (竖排: columns right
    to left), ``tracking`` (extra space between characters, in ems), ``line_height`` (line pitch
    as a multiple of the size), ``stroke`` and ``shadow``. None takes the role's default.
    """

    role: str
    text: str
    box: Box | None = None
    font: str | None = None
    weight: int | None = None
    color: str | None = None
    align: str | None = None
    vertical: bool = False
    tracking: float | None = None
    line_height: float | None = None
    stroke: Stroke | None = None
    shadow: Shadow | None = None


@dataclass(frozen=True, slots=True)
class Spec:
    """Everything a designer asked for. Paths in ``references`` are absolute once loaded."""

    description: str = ""
    style: str = ""
    texts: tuple[TextBlock, ...] = ()
    ratio: str | None = None
    tier: str = "1k"
    size: str | None = None
    quality: str = "medium"
    n: int = 1
    background: str = "auto"
    output_format: str = "png"
    output_compression: int | None = None
    model: str = DEFAULT_MODEL
    references: tuple[str, ...] = field(default=())
    exact_text: bool = False
    version: int = SPEC_VERSION
