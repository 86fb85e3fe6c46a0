"""Drawing laid-out text: over a caller's background, or as a transparent text layer.

Colours come from a palette chosen for the background: dark text on light backgrounds, light text
on dark ones (``palette_for_background``). Prices take the palette's accent; buttons are text on a
filled pill. A block's own colour wins; for a button it is the pill's colour, and the text takes
whichever of dark or light contrasts more with it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QImageWriter,
    QPainter,
    QPainterPath,
    QPen,
    QTransform,
)

from app.core.spec import Shadow, TextBlock
from app.typeset.breaking import single_line_layout
from app.typeset.fonts import make_font
from app.typeset.layout import BlockLayout, layout_blocks
from app.typeset.styles import Ink, style_for
from app.typeset.vertical import VERT

Rgb = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Palette:
    """Colours as "#rrggbb": text, secondary text, accent (prices), a button's pill and its text."""

    text: str
    muted: str
    accent: str
    fill: str
    on_fill: str

    def ink(self, ink: Ink) -> str:
        return {"text": self.text, "muted": self.muted, "accent": self.accent}[ink]


DARK_TEXT: Final = Palette(
    text="#1b1b1f", muted="#4a4a55", accent="#d92d20", fill="#d92d20", on_fill="#ffffff"
)
"""For light backgrounds."""
LIGHT_TEXT: Final = Palette(
    text="#ffffff", muted="#e4e7ec", accent="#fdb022", fill="#fdb022", on_fill="#1b1b1f"
)
"""For dark backgrounds."""


def relative_luminance(rgb: Rgb) -> float:
    """WCAG relative luminance of an sRGB colour (0 black .. 1 white)."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = rgb
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def _contrast(first: float, second: float) -> float:
    return (max(first, second) + 0.05) / (min(first, second) + 0.05)


def _rgb(color: str) -> Rgb:
    qcolor = QColor(color)
    return (qcolor.red(), qcolor.green(), qcolor.blue())


def palette_for_background(rgb: Rgb) -> Palette:
    """The palette whose text contrasts more with a background of this colour."""
    background = relative_luminance(rgb)
    dark = _contrast(background, relative_luminance(_rgb(DARK_TEXT.text)))
    light = _contrast(background, relative_luminance(_rgb(LIGHT_TEXT.text)))
    return DARK_TEXT if dark >= light else LIGHT_TEXT


def text_color_for_background(rgb: Rgb) -> str:
    """Dark or light text, "#rrggbb", whichever contrasts more with the background colour."""
    return palette_for_background(rgb).text


def _color(value: str | None, fallback: str) -> QColor:
    if value is not None:
        color = QColor(value)
        if color.isValid():
            return color
    return QColor(fallback)


def _line_glyphs(text: str, font: QFont, x: float, top: float) -> list[QPainterPath]:
    """The outline of each glyph of ``text`` set on one line whose box's top-left is (x, top)."""
    layout = single_line_layout(text, font)
    if layout.lineCount() == 0:
        return []
    glyphs = []
    for run in layout.lineAt(0).glyphRuns():
        raw = run.rawFont()
        for glyph, position in zip(run.glyphIndexes(), run.positions(), strict=True):
            outline = raw.pathForGlyph(glyph)
            if not outline.isEmpty():
                glyphs.append(outline.translated(x + position.x(), top + position.y()))
    return glyphs


def _horizontal_glyphs(layout: BlockLayout, font: QFont) -> list[QPainterPath]:
    glyphs: list[QPainterPath] = []
    ascent = QFontMetricsF(font).ascent()
    for text, (pen_x, baseline) in zip(layout.lines, layout.origins, strict=True):
        if text.strip():
            glyphs += _line_glyphs(text, font, pen_x, baseline - ascent)
    return glyphs


def _vertical_glyphs(layout: BlockLayout, font: QFont) -> list[QPainterPath]:
    """Upright cells with the ``vert`` forms; Latin runs turned a quarter clockwise."""
    assert layout.vertical is not None
    upright = QFont(font)
    upright.setFeature(VERT, 1)
    px = layout.font_px
    ascent = QFontMetricsF(font).ascent()
    centre = layout.vertical.centre_ratio * px
    glyphs: list[QPainterPath] = []
    for cell in layout.vertical.cells:
        if cell.upright:
            advance = QFontMetricsF(upright).horizontalAdvance(cell.text)
            baseline = cell.top + cell.length / 2 + centre
            left = cell.centre_x - advance / 2
            glyphs += _line_glyphs(cell.text, upright, left, baseline - ascent)
        else:
            turn = QTransform().translate(cell.centre_x, cell.top).rotate(90)
            glyphs += [turn.map(g) for g in _line_glyphs(cell.text, font, 0.0, centre - ascent)]
    return glyphs


def block_glyphs(layout: BlockLayout) -> list[QPainterPath]:
    """The outline of each glyph of a laid-out block, in canvas pixels.

    Drawn one glyph at a time: Qt's antialiasing rasteriser starts each fill with a small cell
    pool and starts over with a larger one whenever a path overflows it, so one path for a whole
    4K headline was filled several times over (bench_typeset.py: 3.4 times slower).
    """
    font = make_font(layout.font_px, layout.weight, layout.family)
    if layout.tracking_px:
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, layout.tracking_px)
    glyphs = _vertical_glyphs(layout, font) if layout.vertical else _horizontal_glyphs(layout, font)
    for glyph in glyphs:
        # Variable fonts draw strokes as overlapping contours: the even-odd rule would punch holes.
        glyph.setFillRule(Qt.FillRule.WindingFill)
    return glyphs


def _joined(glyphs: Sequence[QPainterPath]) -> QPainterPath:
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    for glyph in glyphs:
        path.addPath(glyph)
    return path


def _draw_shadow(painter: QPainter, path: QPainterPath, shadow: Shadow, px: int) -> None:
    """The path filled in the shadow's colour, offset, and blurred by drawing it small."""
    dx, dy, blur = shadow.x * px, shadow.y * px, max(0.0, shadow.blur * px)
    area = path.boundingRect().translated(dx, dy).adjusted(-blur * 2, -blur * 2, blur * 2, blur * 2)
    if area.isEmpty():
        return
    scale = 1.0 if blur < 1 else min(1.0, 2.0 / blur)
    width = max(1, math.ceil(area.width() * scale))
    height = max(1, math.ceil(area.height() * scale))
    small = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    small.fill(Qt.GlobalColor.transparent)
    shadow_painter = QPainter(small)
    try:
        shadow_painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        shadow_painter.scale(scale, scale)
        shadow_painter.translate(dx - area.left(), dy - area.top())
        shadow_painter.fillPath(path, _color(shadow.color, "#80000000"))
    finally:
        shadow_painter.end()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    painter.drawImage(area, small)
    painter.restore()


def _draw_block(painter: QPainter, layout: BlockLayout, palette: Palette) -> None:
    style = style_for(layout.role)
    if layout.backdrop is not None:
        fill = _color(layout.color, palette.fill)
        x, y, w, h = layout.backdrop
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF(x, y, w, h), h / 2, h / 2)
        if layout.color is None:
            text_color = QColor(palette.on_fill)
        else:
            text_color = QColor(text_color_for_background((fill.red(), fill.green(), fill.blue())))
    else:
        text_color = _color(layout.color, palette.ink(style.ink))
    glyphs = block_glyphs(layout)
    if layout.shadow is not None:  # drawn small and scaled up: one path is cheap there
        _draw_shadow(painter, _joined(glyphs), layout.shadow, layout.font_px)
    if layout.stroke is not None and layout.stroke.width > 0:
        # Stroked under the fill, twice as wide: the outline grows outwards only.
        pen = QPen(_color(layout.stroke.color, "#ffffff"), 2 * layout.stroke.width * layout.font_px)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        for glyph in glyphs:
            painter.strokePath(glyph, pen)
    for glyph in glyphs:
        painter.fillPath(glyph, text_color)


def draw_layouts(
    painter: QPainter, layouts: Sequence[BlockLayout], *, palette: Palette = DARK_TEXT
) -> None:
    """Draws the blocks with ``painter``, over whatever it has drawn already."""
    painter.save()
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        for layout in layouts:
            _draw_block(painter, layout, palette)
    finally:
        painter.restore()


def render_text_layer(
    layouts_or_blocks: Sequence[BlockLayout] | Sequence[TextBlock],
    width: int,
    height: int,
    *,
    color: str | None = None,
    palette: Palette | None = None,
) -> QImage:
    """The text alone on a transparent ``width`` x ``height`` image (ARGB32 premultiplied).

    Text blocks are laid out first. ``color`` replaces the palette's text colours (text and muted);
    prices and buttons keep theirs.
    """
    items = list(layouts_or_blocks)
    if all(isinstance(item, BlockLayout) for item in items):
        layouts = [item for item in items if isinstance(item, BlockLayout)]
    elif all(isinstance(item, TextBlock) for item in items):
        layouts = layout_blocks(
            [item for item in items if isinstance(item, TextBlock)], width, height
        )
    else:
        raise TypeError("render_text_layer takes either laid-out blocks or text blocks, not both")
    chosen = palette or DARK_TEXT
    if color is not None:
        chosen = replace(chosen, text=color, muted=color)
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        draw_layouts(painter, layouts, palette=chosen)
    finally:
        painter.end()
    return image


def image_to_png_bytes(image: QImage) -> bytes:
    """The image encoded as PNG."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    saved = writer.write(image)
    buffer.close()
    if not saved:
        raise ValueError(f"the image could not be encoded as PNG: {writer.errorString()}")
    return bytes(data.data())
