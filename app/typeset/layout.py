"""Laying out text blocks: lines, font size and line positions of every block on a canvas.

Each block is fitted to its box: the largest pixel size (by binary search) at which every line,
ink included, fits the box's width and all lines fit its height. Manual line breaks ("\\n") are
honoured; the text is never changed. Headlines, subheads, buttons and labels get balanced lines;
other roles keep full lines but avoid a last line of a single character (``balance``).
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtGui import QFontMetricsF, QRawFont

from app.core.placement import resolve_boxes
from app.core.spec import Box, Shadow, Stroke, TextBlock
from app.typeset.breaking import Line
from app.typeset.fitting import MAX_PX, MIN_PX, Fitter, Measure, PixelBox, Tier
from app.typeset.fonts import make_font, resolve_family
from app.typeset.styles import (
    ALIGNMENTS,
    PILL_INSET_X,
    PILL_INSET_X_MAX_OF_WIDTH,
    PILL_INSET_Y,
    RoleStyle,
    style_for,
)
from app.typeset.vertical import VerticalFitter, VerticalSetting, place_columns, turned

__all__ = ["MAX_PX", "MIN_PX", "BlockLayout", "PixelBox", "layout_blocks"]


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
    tracking_px: float = 0.0  # extra space after each character
    stroke: Stroke | None = None
    shadow: Shadow | None = None
    tier: Tier | None = None  # how the lines were broken (None: set by hand elsewhere)
    vertical: VerticalSetting | None = None  # set in columns (竖排); ``lines`` are the columns


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


def block_measure(block: TextBlock, style: RoleStyle, weight: int) -> Measure:
    """The family, weight and spacing a block is set with: its own where given, else its role's."""
    return Measure(
        family=resolve_family(block.font),
        weight=weight,
        tracking=block.tracking or 0.0,
        line_height=block.line_height or style.line_height,
        hang=style.hang,
    )


def layout_vertical(block: TextBlock, style: RoleStyle, box: PixelBox) -> BlockLayout:
    """A block set in columns (竖排), right to left."""
    area = _text_area(box, style)
    weight = block.weight if block.weight is not None else style.weight
    measure = dataclasses.replace(block_measure(block, style, weight), hang=False)
    centre = _centre_ratio(measure.family)
    fitter = VerticalFitter(block.text.split("\n"), style, measure, turned(area), centre)
    setting, overflow = fitter.fit()
    columns = [line.text for line in setting.lines]
    align = block.align if block.align in ALIGNMENTS else "left"
    cells, column_boxes = place_columns(fitter, columns, setting.px, setting.pitch, area, align)
    return BlockLayout(
        role=block.role,
        text=block.text,
        lines=tuple(columns),
        font_px=setting.px,
        box=box,
        line_boxes=tuple(column_boxes),
        weight=weight,
        color=block.color,
        align=align,
        family=measure.family,
        origins=tuple((b[0] + b[2] / 2, float(b[1])) for b in column_boxes),
        backdrop=_backdrop(box, area, column_boxes) if style.pill else None,
        overflow=overflow,
        tracking_px=measure.tracking * setting.px,
        stroke=block.stroke,
        shadow=block.shadow,
        tier=setting.tier,
        vertical=VerticalSetting(tuple(cells), setting.pitch, centre),
    )


def _layout_block(block: TextBlock, fractions: Box, box: PixelBox) -> BlockLayout:
    style = style_for(block.role)
    if block.vertical:
        return layout_vertical(block, style, box)
    area = _text_area(box, style)
    paragraphs = block.text.split("\n")
    weight = block.weight if block.weight is not None else style.weight
    measure = block_measure(block, style, weight)
    fitter = Fitter(paragraphs, style, measure, area, _centre_ratio(measure.family))
    setting, overflow = fitter.fit()
    if block.weight is None and style.small_weight is not None and setting.px < style.small_px:
        weight = style.small_weight
        measure = dataclasses.replace(measure, weight=weight)
        fitter = Fitter(paragraphs, style, measure, area, _centre_ratio(measure.family))
        setting, overflow = fitter.fit()

    align = block.align if block.align in ALIGNMENTS else _default_align(style, fractions)
    top, bottom = fitter.content_span(setting)
    first_top = area[1] + (area[3] - (bottom - top)) / 2 - top
    baseline = fitter.baseline(setting)
    line_boxes: list[PixelBox] = []
    origins: list[tuple[float, float]] = []
    for number, line in enumerate(setting.lines):
        line_top = first_top + number * setting.pitch
        pen = _pen_x(line, area, align)
        left = math.floor(pen)
        line_boxes.append(
            (left, math.floor(line_top), math.ceil(pen + line.advance) - left, setting.pitch)
        )
        origins.append((pen, line_top + baseline))

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
        family=measure.family,
        origins=tuple(origins),
        backdrop=_backdrop(box, area, line_boxes) if style.pill else None,
        overflow=overflow,
        tracking_px=measure.tracking * setting.px,
        stroke=block.stroke,
        shadow=block.shadow,
        tier=setting.tier,
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
