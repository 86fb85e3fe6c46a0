"""The image-size rules of the GPT image API (CONTRACTS §1, DESIGN §3).

A size is ``auto`` or ``WIDTHxHEIGHT``: both sides multiples of 16, the ratio within 1:3..3:1, the
long edge at most 3840 and the pixel count within [655,360, 8,294,400]. Sizes over 3,686,400
pixels (2560x1440) are allowed but experimental.

Designers mostly ask for a ratio and a tier instead of a size; :func:`size_for_ratio` turns those
into the size that is requested, and :data:`PRESETS` holds the ratios of the usual platforms.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

MIN_PIXELS: Final = 655_360
MAX_PIXELS: Final = 8_294_400
EXPERIMENTAL_PIXELS: Final = 3_686_400
MAX_EDGE: Final = 3840
MAX_RATIO: Final = 3.0
STEP: Final = 16

TIER_LONG_EDGE: Final[dict[str, int]] = {"1k": 1024, "2k": 2048, "4k": 3840}

# A float ratio computed from "1:3" may land a hair outside the range; that is still 1:3.
_RATIO_SLACK: Final = 1e-9
# A second nearest size is offered when it is about as near as the first (1000 → 992 and 1008).
_TIE_FACTOR: Final = 1.1

# Digits spelled out (not \d) so that the spec's JSON Schema, which shares these patterns, means
# the same in every validator; full-width digits and colon are what a Chinese keyboard types.
_DIGIT = "[0-9０-９]"
_NUMBER = rf"[+-]?(?:{_DIGIT}+(?:\.{_DIGIT}*)?|\.{_DIGIT}+)"
RATIO_PATTERN: Final = rf"^\s*({_NUMBER})\s*[:：]\s*({_NUMBER})\s*$"
"""A ratio as written: "3:4", "2.35:1", "3：4"."""
SIZE_PATTERN: Final = rf"^\s*(?:[Aa][Uu][Tt][Oo]|({_DIGIT}+)\s*[xX×]\s*({_DIGIT}+))\s*$"
"""A size as written: "auto" or "1024x1024" (also X or ×)."""
_RATIO_RE: Final = re.compile(RATIO_PATTERN)
_SIZE_RE: Final = re.compile(SIZE_PATTERN)
# More digits than any size has: refused before int() (which refuses over 4,300 digits itself).
_MAX_SIDE_DIGITS: Final = 6


class SizeError(ValueError):
    """A size, ratio, tier or preset that cannot be used; the message says what to use instead."""


@dataclass(frozen=True, slots=True)
class Size:
    """A width and height in pixels. Only :func:`check_size` and friends promise a valid one."""

    width: int
    height: int

    def __str__(self) -> str:
        return f"{self.width}x{self.height}"

    @property
    def pixels(self) -> int:
        return self.width * self.height

    @property
    def ratio(self) -> float:
        """Width over height."""
        return self.width / self.height

    @property
    def long_edge(self) -> int:
        return max(self.width, self.height)

    @property
    def short_edge(self) -> int:
        return min(self.width, self.height)

    @property
    def experimental(self) -> bool:
        """Allowed by the API, but above the sizes it renders reliably."""
        return self.pixels > EXPERIMENTAL_PIXELS


@dataclass(frozen=True)
class Preset:
    """A platform's canvas shape: a stable key, a label for people, and a "W:H" ratio."""

    key: str
    label: str
    ratio: str


PRESETS: Final[tuple[Preset, ...]] = (
    Preset("xiaohongshu", "小红书 3:4", "3:4"),
    Preset("douyin", "抖音/视频号 9:16", "9:16"),
    Preset("wechat-cover", "公众号封面 2.35:1", "2.35:1"),
    Preset("taobao", "淘宝主图 1:1", "1:1"),
    Preset("landscape", "Landscape 16:9", "16:9"),
    Preset("banner", "Banner 3:1", "3:1"),
    Preset("a4-poster", "A4 poster 1:1.414", "1:1.414"),
)


def preset(key: str) -> Preset:
    """The preset named ``key``; :class:`SizeError` naming the known keys otherwise."""
    for candidate in PRESETS:
        if candidate.key == key:
            return candidate
    known = ", ".join(p.key for p in PRESETS)
    raise SizeError(f"{key!r} is not a known preset: use one of {known}.")


def parse_ratio(text: str) -> float:
    """Width over height from ``"W:H"`` (decimals allowed: ``"2.35:1"``, ``"1:1.414"``)."""
    match = _RATIO_RE.match(text)
    if match is None:
        raise SizeError(f"{text!r} is not a ratio: write it as W:H, for example 3:4 or 2.35:1.")
    width, height = float(match.group(1)), float(match.group(2))
    if width <= 0 or height <= 0:
        raise SizeError(
            f"{text.strip()} is not a valid ratio: both sides must be greater than zero."
        )
    return _checked_ratio(width / height, text.strip())


def size_for_ratio(ratio: str | float, tier: str = "1k") -> Size:
    """The size requested for a ratio (``"W:H"`` or width/height) at a tier.

    The long edge is the tier's (1024, 2048 or 3840) and the short edge follows, both multiples of
    16. When that leaves the pixel range, the short edge steps by 16 (the long edge following the
    ratio) until the pixel count is inside it: 3:1 at 1k is 1440x480, 1:1 at 4k is 2880x2880.
    """
    long_edge = TIER_LONG_EDGE.get(tier.strip().lower())
    if long_edge is None:
        known = ", ".join(TIER_LONG_EDGE)
        raise SizeError(f"{tier!r} is not a known tier: use one of {known}.")
    value = parse_ratio(ratio) if isinstance(ratio, str) else _checked_ratio(float(ratio))
    wide = max(value, 1 / value)
    landscape = value >= 1

    def oriented(long: int, short: int) -> Size:
        return Size(long, short) if landscape else Size(short, long)

    short = _round16(long_edge / wide)
    first = oriented(long_edge, short)
    if not _problems(first.width, first.height):
        return first

    def long_for(short: int) -> int:
        # Never more than 3 * short: the rounding cannot push the ratio past 3:1.
        return _round16(short * wide)

    while long_for(short) * short < MIN_PIXELS:
        short += STEP
    while long_for(short) * short > MAX_PIXELS or long_for(short) > MAX_EDGE:
        short -= STEP
    return oriented(long_for(short), short)


def parse_size(text: str) -> Size | None:
    """``None`` for ``auto``; otherwise the checked size from ``"WxH"`` (also ``X`` or ``×``)."""
    match = _SIZE_RE.match(text)
    if match is None:
        raise SizeError(
            f"{text!r} is not a size: write it as WIDTHxHEIGHT, for example 1024x1024, or auto."
        )
    if match.group(1) is None:
        return None
    if max(len(match.group(1)), len(match.group(2))) > _MAX_SIDE_DIGITS:
        raise SizeError(
            f"{text.strip()[:40]}… is far too large: a side is at most {MAX_EDGE} pixels."
        )
    return check_size(int(match.group(1)), int(match.group(2)))


def is_valid_size(width: int, height: int) -> bool:
    return not _problems(width, height)


def check_size(width: int, height: int) -> Size:
    """The size if the API accepts it, else :class:`SizeError` naming the nearest valid ones."""
    problems = _problems(width, height)
    if not problems:
        return Size(width, height)
    given = f"{width}x{height}"
    if width <= 0 or height <= 0:
        raise SizeError(f"{given} is not a valid size: {problems[0]}.")
    nearest = nearest_valid_sizes(width, height)
    if len(nearest) == 1:
        suggestion = f"the nearest valid size is {nearest[0]}"
    else:
        suggestion = f"the nearest valid sizes are {nearest[0]} and {nearest[1]}"
    raise SizeError(f"{given} is not a valid size: {_join(problems)}; {suggestion}.")


def nearest_valid_sizes(width: int, height: int) -> list[Size]:
    """The one or two valid sizes nearest to ``width`` x ``height``, smaller first.

    The asked size is first brought inside the rules as real numbers: the ratio clamped to
    1:3..3:1 (keeping the long edge), the long edge to 3840, then the pixel count into its range.
    The valid sizes on the 16-pixel grid around that are then ranked by how far their shape
    (the ratio) and their scale differ from it, the shape counting double. A valid size is its
    own nearest.
    """
    if width <= 0 or height <= 0:
        raise SizeError(f"{width}x{height} is not a valid size: both sides must be positive.")
    target_w, target_h = _clamped_target(width, height)
    candidates = [
        Size(w, h)
        for w in _grid_around(target_w)
        for h in _grid_around(target_h)
        if is_valid_size(w, h)
    ]
    if not candidates:
        # Three grid steps around a target inside the rules always hold a valid size; this only
        # keeps the answer valid should that ever change.
        candidates = [size_for_ratio(target_w / target_h)]
    ranked = sorted(candidates, key=lambda s: _distance(s, target_w, target_h))
    best = _distance(ranked[0], target_w, target_h)
    chosen = ranked[:1]
    if len(ranked) > 1 and _distance(ranked[1], target_w, target_h) <= best * _TIE_FACTOR:
        chosen.append(ranked[1])
    return sorted(chosen, key=lambda s: (s.pixels, s.width))


def size_problems(width: int, height: int) -> list[tuple[str, dict[str, int | float]]]:
    """What is wrong with a size, as codes with values, for messages worded where they are shown:
    ``positive``, ``step``, ``ratio`` (``ratio``: width/height), ``long_edge``, ``few_pixels`` and
    ``many_pixels`` (``pixels``). Empty for a valid size."""
    if width <= 0 or height <= 0:
        return [("positive", {})]
    problems: list[tuple[str, dict[str, int | float]]] = []
    if width % STEP or height % STEP:
        problems.append(("step", {"step": STEP}))
    long, short = max(width, height), min(width, height)
    if long > MAX_RATIO * short:
        problems.append(("ratio", {"ratio": width / height}))
    if long > MAX_EDGE:
        problems.append(("long_edge", {"max": MAX_EDGE}))
    pixels = width * height
    if pixels < MIN_PIXELS:
        problems.append(("few_pixels", {"pixels": pixels, "min": MIN_PIXELS}))
    elif pixels > MAX_PIXELS:
        problems.append(("many_pixels", {"pixels": pixels, "max": MAX_PIXELS}))
    return problems


def _problems(width: int, height: int) -> list[str]:
    """What is wrong with a size, in words that complete "... is not a valid size: "."""
    words: dict[str, Callable[[dict[str, int | float]], str]] = {
        "positive": lambda v: "both sides must be positive",
        "step": lambda v: f"both sides must be multiples of {STEP}",
        "ratio": lambda v: (
            f"the ratio must be between 1:3 and 3:1 (this is {_ratio_text(v['ratio'])})"
        ),
        "long_edge": lambda v: f"the long edge must be at most {MAX_EDGE} pixels",
        "few_pixels": lambda v: (
            f"it must have at least {MIN_PIXELS:,} pixels (this has {v['pixels']:,})"
        ),
        "many_pixels": lambda v: (
            f"it must have at most {MAX_PIXELS:,} pixels (this has {v['pixels']:,})"
        ),
    }
    return [words[code](values) for code, values in size_problems(width, height)]


def _checked_ratio(value: float, shown: str | None = None) -> float:
    if not math.isfinite(value) or value <= 0:
        shown = shown or str(value)
        raise SizeError(f"{shown} is not a valid ratio: it must be a number greater than zero.")
    if value > MAX_RATIO + _RATIO_SLACK or value < 1 / MAX_RATIO - _RATIO_SLACK:
        shown = shown or _ratio_text(value)
        raise SizeError(f"{shown} is outside the allowed range of ratios, 1:3 to 3:1.")
    return min(max(value, 1 / MAX_RATIO), MAX_RATIO)


def _clamped_target(width: int, height: int) -> tuple[float, float]:
    w, h = float(width), float(height)
    if w > MAX_RATIO * h:
        h = w / MAX_RATIO
    elif h > MAX_RATIO * w:
        w = h / MAX_RATIO
    if max(w, h) > MAX_EDGE:
        scale = MAX_EDGE / max(w, h)
        w, h = w * scale, h * scale
    pixels = w * h
    if pixels < MIN_PIXELS or pixels > MAX_PIXELS:
        scale = math.sqrt(min(max(pixels, MIN_PIXELS), MAX_PIXELS) / pixels)
        w, h = w * scale, h * scale
    return w, h


def _grid_around(value: float, reach: int = 3) -> range:
    low = max(1, math.floor(value / STEP) - reach)
    high = math.ceil(value / STEP) + reach
    return range(low * STEP, (high + 1) * STEP, STEP)


def _distance(size: Size, target_w: float, target_h: float) -> float:
    shape = abs(math.log(size.ratio) - math.log(target_w / target_h))
    scale = abs(math.log(size.pixels) - math.log(target_w * target_h)) / 2
    return 2 * shape + scale


def _round16(value: float) -> int:
    # Half up, not Python's half-to-even, so equal inputs round the same way on every side.
    return max(STEP, math.floor(value / STEP + 0.5) * STEP)


def _join(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


def _ratio_text(value: float) -> str:
    """A width/height ratio as people write it: 6:1, 1:4, 2.35:1."""
    return f"{value:.3g}:1" if value >= 1 else f"1:{1 / value:.3g}"
