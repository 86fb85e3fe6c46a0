"""Laying out text blocks: lines, font size and line positions of every block on a canvas.

Each block is fitted to its box: the largest pixel size (by binary search) at which every line,
ink included, fits the box's width and all lines fit its height. Manual line breaks ("\\n") are
honoured; the text is never changed. Headlines, subheads, buttons and labels get balanced lines;
other roles keep full lines but avoid a last line of a single character (``balance``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from PySide6.QtGui import QFont, QFontMetricsF, QRawFont

from app.core.placement import resolve_boxes
from app.core.spec import Box, TextBlock
from app.typeset.balance import choose_lines, is_orphan
from app.typeset.breaking import Line, measure, wrap
from app.typeset.fonts import default_family, make_font
from app.typeset.styles import (
    ALIGNMENTS,
    PILL_INSET_X,
    PILL_INSET_X_MAX_OF_WIDTH,
    PILL_INSET_Y,
    RoleStyle,
    style_for,
)

PixelBox = tuple[int, int, int, int]
"""x, y, w, h in pixels, origin top-left."""

MIN_PX: Final = 6
MAX_PX: Final = 2000
# Part of an em kept free at the end of a wrapped line, for outlines that overhang their advance.
_WRAP_SLACK: Final = 0.05


@dataclass(frozen=True, slots=True)
class BlockLayout:
    """One block, laid out: its lines and where each is drawn, in canvas pixels."""

    role: str
    text: str
    lines: tuple[str, ...]  # joined, they give back ``text`` without its "\n"s
    font_px: int
    box: PixelBox
    line_boxes: tuple[PixelBox, ...]  # each line's advance box, one line pitch tall
    weight: int
    color: str | None  # the block's own colour; None lets the renderer's palette decide
    align: str
    family: str
    origins: tuple[tuple[float, float], ...]  # each line's pen origin: x, baseline y
    backdrop: PixelBox | None = None  # the pill behind a button's text
    overflow: bool = False  # True when the text could not fit even at the smallest size


@dataclass(frozen=True, slots=True)
class _Setting:
    """A candidate: one size and the lines of every paragraph."""

    px: int
    pitch: int  # distance between baselines
    baseline: float  # from the top of a line's box to its baseline
    paragraphs: tuple[tuple[Line, ...], ...]

    @property
    def lines(self) -> list[Line]:
        return [line for paragraph in self.paragraphs for line in paragraph]


@functools.cache
def _centre_ratio(family: str) -> float:
    """Height of the ideographic centre above the baseline, as a part of the pixel size."""
    font = make_font(1000, 400, family)
    raw = QRawFont.fromFont(font)
    glyphs = raw.glyphIndexesForString("国")
    if glyphs and glyphs[0] != 0:
        rect = raw.boundingRect(glyphs[0])
        if not rect.isEmpty():
            return -rect.center().y() / 1000
    metrics = QFontMetricsF(font)
    return (metrics.ascent() - metrics.descent()) / 2 / 1000


class _Fitter:
    """Sets one block's paragraphs at given sizes and widths, and checks them against an area."""

    def __init__(
        self, paragraphs: list[str], style: RoleStyle, weight: int, family: str, area: PixelBox
    ) -> None:
        self.paragraphs = paragraphs
        self.style = style
        self.weight = weight
        self.family = family
        self.area = area
        self._fonts: dict[int, QFont] = {}

    def font(self, px: int) -> QFont:
        if px not in self._fonts:
            self._fonts[px] = make_font(px, self.weight, self.family)
        return self._fonts[px]

    def wrap_width(self, px: int) -> float:
        return float(max(1, self.area[2] - math.ceil(px * _WRAP_SLACK)))

    def setting(self, px: int, *, anywhere: bool = False) -> _Setting:
        font, width = self.font(px), self.wrap_width(px)
        pitch = max(1, round(px * self.style.line_height))
        return _Setting(
            px=px,
            pitch=pitch,
            baseline=pitch / 2 + _centre_ratio(self.family) * px,
            paragraphs=tuple(
                tuple(wrap(text, font, width, anywhere=anywhere)) for text in self.paragraphs
            ),
        )

    def content_span(self, setting: _Setting) -> tuple[float, float]:
        """Top and bottom of the lines' boxes and ink, from the first line box's top."""
        top, bottom = 0.0, float(len(setting.lines) * setting.pitch)
        for number, line in enumerate(setting.lines):
            if line.ink is not None:
                baseline = number * setting.pitch + setting.baseline
                top = min(top, baseline + line.ink.top)
                bottom = max(bottom, baseline + line.ink.bottom)
        return top, bottom

    def fits(self, setting: _Setting) -> bool:
        for line in setting.lines:
            left = min(0.0, line.ink.left) if line.ink else 0.0
            right = max(line.advance, line.ink.right) if line.ink else line.advance
            if right - left > self.area[2]:
                return False
        top, bottom = self.content_span(setting)
        return bottom - top <= self.area[3]

    def largest(self, *, anywhere: bool) -> _Setting | None:
        """The setting at the largest size that fits, or None if even the smallest does not."""
        low = MIN_PX
        high = min(MAX_PX, max(MIN_PX, math.floor(self.area[3] / self.style.line_height)))
        best: _Setting | None = None
        while low <= high:
            middle = (low + high) // 2
            candidate = self.setting(middle, anywhere=anywhere)
            if self.fits(candidate):
                best, low = candidate, middle + 1
            else:
                high = middle - 1
        return best

    def refined(self, setting: _Setting) -> _Setting:
        """Balanced lines, or a last line of more than one character, where they still fit."""
        font = self.font(setting.px)
        for number, text in enumerate(self.paragraphs):
            lines = setting.paragraphs[number]
            if len(lines) < 2 or not (self.style.balance or is_orphan(lines[-1].text)):
                continue
            chosen = choose_lines(
                text, font, len(lines), self.wrap_width(setting.px), balanced=self.style.balance
            )
            if chosen is None:
                continue
            trial = _replace_paragraph(
                setting, number, tuple(measure(line, font) for line in chosen)
            )
            if self.fits(trial):
                setting = trial
        return setting


def _replace_paragraph(setting: _Setting, number: int, lines: tuple[Line, ...]) -> _Setting:
    paragraphs = list(setting.paragraphs)
    paragraphs[number] = lines
    return _Setting(setting.px, setting.pitch, setting.baseline, tuple(paragraphs))


def _pixel_box(box: Box, width: int, height: int) -> PixelBox:
    fx, fy, fw, fh = box
    x0 = min(width, max(0, round(fx * width)))
    y0 = min(height, max(0, round(fy * height)))
    x1 = min(width, max(x0, round((fx + fw) * width)))
    y1 = min(height, max(y0, round((fy + fh) * height)))
    return (x0, y0, x1 - x0, y1 - y0)


def _text_area(box: PixelBox, style: RoleStyle) -> PixelBox:
    if not style.pill:
        return box
    x, y, w, h = box
    inset_y = round(h * PILL_INSET_Y)
    inset_x = round(min(h * PILL_INSET_X, w * PILL_INSET_X_MAX_OF_WIDTH))
    return (x + inset_x, y + inset_y, max(0, w - 2 * inset_x), max(0, h - 2 * inset_y))


def _pen_x(line: Line, area: PixelBox, align: str) -> float:
    x, _, w, _ = area
    if align == "left":
        pen = float(x)
    elif align == "right":
        pen = x + w - line.advance
    else:
        pen = x + (w - line.advance) / 2
    if line.ink is not None:  # keep overhanging outlines inside the area
        pen = min(pen, x + w - max(line.advance, line.ink.right))
        pen = max(pen, x - min(0.0, line.ink.left))
    return pen


def _default_align(style: RoleStyle, box: Box) -> str:
    """The role's alignment for a centred box; a box off to one side aligns to that side."""
    x, _, w, _ = box
    centre = x + w / 2
    if w >= 0.7 or abs(centre - 0.5) < 0.1:
        return style.align
    return "left" if centre < 0.5 else style.right_side_align


def _fit(fitter: _Fitter) -> tuple[_Setting, bool]:
    """The best setting, and whether it overflows its area."""
    best = fitter.largest(anywhere=False) or fitter.largest(anywhere=True)
    if best is None:
        return fitter.setting(MIN_PX, anywhere=True), True
    return fitter.refined(best), False


def _layout_block(block: TextBlock, fractions: Box, box: PixelBox) -> BlockLayout:
    style = style_for(block.role)
    family = block.font or default_family()
    area = _text_area(box, style)
    paragraphs = block.text.split("\n")
    weight = block.weight if block.weight is not None else style.weight
    fitter = _Fitter(paragraphs, style, weight, family, area)
    setting, overflow = _fit(fitter)
    if block.weight is None and style.small_weight is not None and setting.px < style.small_px:
        weight = style.small_weight
        fitter = _Fitter(paragraphs, style, weight, family, area)
        setting, overflow = _fit(fitter)

    align = block.align if block.align in ALIGNMENTS else _default_align(style, fractions)
    top, bottom = fitter.content_span(setting)
    first_top = area[1] + (area[3] - (bottom - top)) / 2 - top
    line_boxes: list[PixelBox] = []
    origins: list[tuple[float, float]] = []
    for number, line in enumerate(setting.lines):
        line_top = first_top + number * setting.pitch
        pen = _pen_x(line, area, align)
        left = math.floor(pen)
        line_boxes.append(
            (left, math.floor(line_top), math.ceil(pen + line.advance) - left, setting.pitch)
        )
        origins.append((pen, line_top + setting.baseline))

    return BlockLayout(
        role=block.role,
        text=block.text,
        lines=tuple(line.text for line in setting.lines),
        font_px=setting.px,
        box=box,
        line_boxes=tuple(line_boxes),
        weight=weight,
        color=block.color,
        align=align,
        family=family,
        origins=tuple(origins),
        backdrop=_backdrop(box, area, line_boxes) if style.pill else None,
        overflow=overflow,
    )


def _backdrop(box: PixelBox, area: PixelBox, line_boxes: list[PixelBox]) -> PixelBox | None:
    """The pill: the lines' extent widened by the horizontal inset, as tall as the box."""
    drawn = [line for line in line_boxes if line[2] > 0]
    if not drawn:
        return None
    inset_x = area[0] - box[0]
    left = max(box[0], min(line[0] for line in drawn) - inset_x)
    right = min(box[0] + box[2], max(line[0] + line[2] for line in drawn) + inset_x)
    return (left, box[1], right - left, box[3])


def layout_blocks(blocks: Sequence[TextBlock], width: int, height: int) -> list[BlockLayout]:
    """Lays out every block on a canvas of ``width`` x ``height`` pixels, in the blocks' order.

    Blocks without a box get their role's default place (``resolve_boxes``).
    """
    if width <= 0 or height <= 0:
        raise ValueError(f"canvas size must be positive, got {width}x{height}")
    boxes = resolve_boxes(blocks)
    return [
        _layout_block(block, box, _pixel_box(box, width, height))
        for block, box in zip(blocks, boxes, strict=True)
    ]
