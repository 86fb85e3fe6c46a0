"""What the ratio picker shows: the size to be requested, or why it is refused and what to use."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from app.core.plan import DEFAULT_RATIO
from app.core.sizes import (
    MAX_RATIO,
    Size,
    SizeError,
    nearest_valid_sizes,
    parse_ratio,
    size_for_ratio,
    size_problems,
)
from app.core.spec import Spec

_LOOSE_RATIO: Final = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[:：]\s*(\d+(?:\.\d+)?)\s*$")
_LOOSE_SIZE: Final = re.compile(r"^\s*(\d+)\s*[xX×]\s*(\d+)\s*$")

Problem = tuple[str, Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class SizeStatus:
    """``size`` is what will be requested (None: refused, or "auto" when ``auto``). A refusal
    has ``problems`` (codes with values) and a fix: ``nearest_ratio`` or ``nearest_size``."""

    size: Size | None = None
    auto: bool = False
    problems: tuple[Problem, ...] = ()
    nearest_size: Size | None = None
    nearest_ratio: str | None = None
    ratio: float | None = None  # width over height, for the preview, even when refused
    alternatives: tuple[Size, ...] = field(default=())

    @property
    def refused(self) -> bool:
        return bool(self.problems)

    @property
    def experimental(self) -> bool:
        return self.size is not None and self.size.experimental


def size_status(spec: Spec) -> SizeStatus:
    if spec.size is not None:
        return _exact(spec.size)
    return _by_ratio(spec.ratio or DEFAULT_RATIO, spec.tier)


def _exact(text: str) -> SizeStatus:
    if text.strip().lower() == "auto":
        return SizeStatus(auto=True)
    match = _LOOSE_SIZE.match(text)
    if match is None:
        return SizeStatus(problems=(("size_text", {"text": text}),))
    width, height = int(match.group(1)), int(match.group(2))
    problems = size_problems(width, height)
    if not problems:
        size = Size(width, height)
        return SizeStatus(size=size, ratio=size.ratio)
    if width <= 0 or height <= 0:
        return SizeStatus(problems=tuple(problems))
    nearest = nearest_valid_sizes(width, height)
    return SizeStatus(
        problems=tuple(problems),
        nearest_size=nearest[0],
        alternatives=tuple(nearest),
        ratio=width / height,
    )


def _by_ratio(text: str, tier: str) -> SizeStatus:
    try:
        value = parse_ratio(text)
        size = size_for_ratio(value, tier)
    except SizeError:
        match = _LOOSE_RATIO.match(text)
        if match is None or float(match.group(1)) <= 0 or float(match.group(2)) <= 0:
            return SizeStatus(problems=(("ratio_text", {"text": text}),))
        value = float(match.group(1)) / float(match.group(2))
        nearest = "3:1" if value > MAX_RATIO else "1:3"
        return SizeStatus(
            problems=(("ratio_range", {"text": text.strip()}),),
            nearest_ratio=nearest,
            nearest_size=size_for_ratio(nearest, tier),
            ratio=value,
        )
    return SizeStatus(size=size, ratio=size.ratio)
