"""Fitting one block's paragraphs to an area: the breaks, the size, and the order of compromises.

A setting is good when it breaks only between words (headline roles; running text may break
wherever kinsoku allows) and leaves no one-character last line. The largest size at which a good
setting fits wins; only when none fits at any size does the fitter give up, one step at a time:
first a one-character last line, then breaks inside words (still by UAX #14, kinsoku kept),
then breaks anywhere; and when nothing fits at the smallest size, the block overflows.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from PySide6.QtGui import QFont

from app.typeset.balance import choose_lines
from app.typeset.breaking import (
    INK_PAD,
    Ink,
    Line,
    break_opportunities,
    measure,
    visible_widths,
    wrap,
)
from app.typeset.fonts import make_font
from app.typeset.styles import RoleStyle
from app.typeset.words import word_starts

PixelBox = tuple[int, int, int, int]
"""x, y, w, h in pixels, origin top-left."""

MIN_PX: Final = 6
MAX_PX: Final = 2000
# Part of an em kept free at the end of a wrapped line, for outlines that overhang their advance.
_WRAP_SLACK: Final = 0.05
# Lines are measured once at this size and scaled: unhinted outlines and advances scale linearly,
# so the size search costs no text layout per step. The chosen size is then measured for real.
REFERENCE_PX: Final = 200
_CONFIRM_STEPS: Final = 4
# Full-width punctuation whose ink sits in the left half of its em: at a headline's line end it
# hangs by half an em (行末标点半宽), so the line's text, not the blank half, is aligned.
HANGING_PUNCTUATION: Final = frozenset("，。、；：」』）》〉】〕〗”’")


@dataclass(frozen=True, slots=True)
class Tier:
    """One way of breaking lines: where breaks may go, and whether a lone last character may."""

    words: bool  # only between words (else wherever UAX #14 allows)
    allow_orphan: bool
    anywhere: bool = False  # any character boundary, a last resort


WORD_TIERS: Final = (
    Tier(words=True, allow_orphan=False),
    Tier(words=True, allow_orphan=True),
    Tier(words=False, allow_orphan=False),
    Tier(words=False, allow_orphan=True),
    Tier(words=False, allow_orphan=True, anywhere=True),
)
RUNNING_TIERS: Final = WORD_TIERS[2:]


@dataclass(frozen=True, slots=True)
class Setting:
    """A candidate: one size and the lines of every paragraph."""

    px: int
    pitch: int  # distance between baselines
    paragraphs: tuple[tuple[Line, ...], ...]
    tier: Tier

    @property
    def lines(self) -> list[Line]:
        return [line for paragraph in self.paragraphs for line in paragraph]


@dataclass(frozen=True, slots=True)
class Measure:
    """How a block's text is set: the family, weight and spacing the fitter measures with."""

    family: str
    weight: int
    tracking: float = 0.0  # ems between characters
    line_height: float = 1.3
    hang: bool = False  # hanging punctuation at line ends


class Fitter:
    """Sets one block's paragraphs at given sizes and checks them against an area."""

    def __init__(
        self,
        paragraphs: list[str],
        style: RoleStyle,
        measure_: Measure,
        area: PixelBox,
        centre_ratio: float,
    ) -> None:
        self.paragraphs = paragraphs
        self.style = style
        self.measure = measure_
        self.area = area
        self.centre_ratio = centre_ratio
        self._fonts: dict[int, QFont] = {}
        self._ends: dict[tuple[int, bool], list[int]] = {}
        self._reference_lines: dict[str, Line] = {}
        self._reference_width_cache: dict[str, Callable[[int, int], float]] = {}

    def font(self, px: int) -> QFont:
        if px not in self._fonts:
            font = make_font(px, self.measure.weight, self.measure.family)
            if self.measure.tracking:
                font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, self.measure.tracking * px)
            self._fonts[px] = font
        return self._fonts[px]

    def pitch(self, px: int) -> int:
        return max(1, round(px * self.measure.line_height))

    def baseline(self, setting: Setting) -> float:
        """From the top of a line's box to its baseline: the ideographic centre in the middle."""
        return setting.pitch / 2 + self.centre_ratio * setting.px

    def wrap_width(self, px: int) -> float:
        return float(max(1, self.area[2] - math.ceil(px * _WRAP_SLACK)))

    wraps_anywhere = True  # the last resort is Qt's own wrap (False: any character boundary)

    def all_ends(self, number: int) -> list[int]:
        """Every character boundary of paragraph ``number``: the last resort."""
        return list(range(1, len(self.paragraphs[number]) + 1))

    def ends(self, number: int, words: bool) -> list[int]:
        """Where lines of paragraph ``number`` may end: UAX #14's breaks, or those between words."""
        key = (number, words)
        if key not in self._ends:
            text = self.paragraphs[number]
            allowed = break_opportunities(text)
            if words:
                starts = word_starts(text)
                allowed = [end for end in allowed if end == len(text) or end in starts]
            self._ends[key] = allowed
        return self._ends[key]

    def _hang(self, text: str, px: int) -> float:
        """How far a line ending in ``text``'s last character hangs past its measure."""
        if self.measure.hang and text and text[-1] in HANGING_PUNCTUATION:
            return px / 2
        return 0.0

    def _reference_widths(self, text: str) -> Callable[[int, int], float]:
        if text not in self._reference_width_cache:
            self._reference_width_cache[text] = visible_widths(text, self.font(REFERENCE_PX))
        return self._reference_width_cache[text]

    def _measured(self, text: str, font: QFont, px: int) -> Line:
        """A line measured at the reference size and scaled: outlines scale with the size."""
        if text not in self._reference_lines:
            self._reference_lines[text] = measure(text, self.font(REFERENCE_PX))
        reference = self._reference_lines[text]
        scale = px / REFERENCE_PX
        ink = None
        if reference.ink is not None:
            pad, box = INK_PAD, reference.ink
            ink = Ink(
                (box.left + pad) * scale - pad,
                (box.top + pad) * scale - pad,
                (box.right - pad) * scale + pad,
                (box.bottom - pad) * scale + pad,
            )
        return Line(text, reference.advance * scale - self._hang(text.rstrip(), px), ink)

    def _measured_exactly(self, text: str, font: QFont, px: int) -> Line:
        line = measure(text, font)
        hang = self._hang(text.rstrip(), px)
        return dataclasses.replace(line, advance=line.advance - hang) if hang else line

    def exact(self, setting: Setting) -> Setting | None:
        """The setting's lines measured at their own size, or None if they do not fit then."""
        if setting.tier.anywhere and self.wraps_anywhere:
            return setting  # Qt's wrap measured them already
        font = self.font(setting.px)
        paragraphs = tuple(
            tuple(self._measured_exactly(line.text, font, setting.px) for line in paragraph)
            for paragraph in setting.paragraphs
        )
        exact = dataclasses.replace(setting, paragraphs=paragraphs)
        return exact if self.fits(exact) else None

    def setting(self, px: int, tier: Tier) -> Setting | None:
        """The paragraphs set at ``px`` by ``tier``, or None when the tier cannot set them."""
        font, measure_width = self.font(px), self.wrap_width(px)
        paragraphs: list[tuple[Line, ...]] = []
        for number, text in enumerate(self.paragraphs):
            if tier.anywhere and self.wraps_anywhere:
                paragraphs.append(tuple(wrap(text, font, measure_width, anywhere=True)))
                continue
            if not text.strip():
                paragraphs.append((self._measured(text, font, px),))
                continue
            chosen = choose_lines(
                text,
                self.ends(number, tier.words) if not tier.anywhere else self.all_ends(number),
                self._widths(text, font, px),
                measure_width,
                balanced=self.style.balance,
                allow_orphan=tier.allow_orphan,
            )
            if chosen is None:
                return None
            paragraphs.append(tuple(self._measured(line, font, px) for line in chosen))
        return Setting(px, self.pitch(px), tuple(paragraphs), tier)

    def _widths(self, text: str, font: QFont, px: int) -> Callable[[int, int], float]:
        reference = self._reference_widths(text)
        scale = px / REFERENCE_PX

        def width(start: int, end: int) -> float:
            return reference(start, end) * scale - self._hang(text[start:end].rstrip(), px)

        return width

    def content_span(self, setting: Setting) -> tuple[float, float]:
        """Top and bottom of the lines' boxes and ink, from the first line box's top."""
        top, bottom = 0.0, float(len(setting.lines) * setting.pitch)
        baseline = self.baseline(setting)
        for number, line in enumerate(setting.lines):
            if line.ink is not None:
                line_baseline = number * setting.pitch + baseline
                top = min(top, line_baseline + line.ink.top)
                bottom = max(bottom, line_baseline + line.ink.bottom)
        return top, bottom

    def fits(self, setting: Setting) -> bool:
        for line in setting.lines:
            left = min(0.0, line.ink.left) if line.ink else 0.0
            right = max(line.advance, line.ink.right) if line.ink else line.advance
            if right - left > self.area[2]:
                return False
        top, bottom = self.content_span(setting)
        return bottom - top <= self.area[3]

    def largest(self, tier: Tier) -> Setting | None:
        """The tier's setting at the largest size that fits, or None if none does."""
        low = MIN_PX
        high = min(MAX_PX, max(MIN_PX, math.floor(self.area[3] / self.measure.line_height)))
        best: Setting | None = None
        while low <= high:
            middle = (low + high) // 2
            candidate = self.setting(middle, tier)
            if candidate is not None and self.fits(candidate):
                best, low = candidate, middle + 1
            else:
                high = middle - 1
        if best is None:
            return None
        # Found with scaled measures; confirm with the real ones (a pixel less if rounding bites).
        for px in range(best.px, max(MIN_PX, best.px - _CONFIRM_STEPS) - 1, -1):
            candidate = best if px == best.px else self.setting(px, tier)
            exact = None if candidate is None else self.exact(candidate)
            if exact is not None:
                return exact
        return best

    def fit(self) -> tuple[Setting, bool]:
        """The best setting, and whether it overflows its area (nothing fits)."""
        for tier in WORD_TIERS if self.style.whole_words else RUNNING_TIERS:
            best = self.largest(tier)
            if best is not None:
                return best, False
        fallback = WORD_TIERS[-1]
        setting = self.setting(MIN_PX, fallback)
        assert setting is not None  # breaking anywhere always sets the text
        return setting, True
