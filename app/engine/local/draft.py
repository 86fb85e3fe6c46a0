"""Local drafts: the required texts typeset exactly over a derived scene, or over an edited image.

A ``Drafter`` lays the texts out once at the output size; ``render`` then draws image ``index`` at
any scale: a partial image is the same picture rasterised small and enlarged (blurred), so partials
sharpen towards the final one. Text colours are chosen per block for contrast with what lies under
the block. An edit first clears what it changes, as a model would: the mask's editable part, or
(without a mask) the places of the texts it replaces, painted over from their surroundings
(``fill``); the new text is drawn there, and the base outside stays exactly as it was.
Everything here runs in worker threads; a QGuiApplication must exist.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QImageWriter, QPainter

from app.core.spec import TextBlock
from app.engine.local.fill import cleared, fill_editable
from app.engine.local.scene import PixelBox, paint_scene, scene_for
from app.typeset.layout import BlockLayout, layout_blocks
from app.typeset.render import Palette, draw_layouts, palette_for_background

# Partial images are the final picture drawn at these fractions of its size, then enlarged.
PARTIAL_SCALES: Final[dict[int, tuple[float, ...]]] = {
    0: (),
    1: (1 / 8,),
    2: (1 / 16, 1 / 4),
    3: (1 / 16, 1 / 8, 1 / 4),
}
_SAMPLE_EDGE: Final = 256  # long edge of the small render that text colours are chosen from
_SAMPLE_CELLS: Final = 8
_ARGB: Final = QImage.Format.Format_ARGB32_Premultiplied
_ALPHA8: Final = QImage.Format.Format_Alpha8
# A replaced text's place is cleared this far around its lines, in ems (antialiasing, accents).
_CLEAR_MARGIN_EM: Final = 0.15
DEFAULT_QUALITY: Final = 90  # webp and jpeg without output_compression
_PARTIAL_QUALITY: Final = 75
# Qt maps a PNG "quality" to a zlib level: 50 is level 4 (a third faster than the default, 15%
# larger), 80 is level 1.
_PNG_QUALITY: Final = 50
_PNG_PARTIAL_QUALITY: Final = 80


@dataclass(frozen=True, slots=True)
class DraftPlan:
    """What to draw. ``base`` (edits) replaces the scene; ``mask`` is the base's Alpha8 mask.

    With ``text_free`` the blocks are laid out only to keep their places clear of the scene's
    motifs: the studio sets the text itself (exact-text mode).
    """

    width: int
    height: int
    blocks: tuple[TextBlock, ...]
    description: str
    transparent: bool = False
    base: QImage | None = None
    mask: QImage | None = None
    text_free: bool = False  # exact-text mode: clean space where the blocks go, no text drawn
    # Edits without a mask: (index of a block, the text it replaces); the replaced text's place
    # is cleared before the block is drawn.
    replaced: tuple[tuple[int, str], ...] = ()


_LOOK_CELLS: Final = 6


def look_of(image: QImage) -> QImage:
    """A reference image's palette and light without its details (its texts above all): what a
    draft made "in the style of" a reference starts from."""
    small = image.scaled(
        _LOOK_CELLS, _LOOK_CELLS, Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )  # fmt: skip
    return small.scaled(
        image.width(), image.height(), Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )  # fmt: skip


def _cover(image: QImage, width: int, height: int) -> QImage:
    """The image scaled to cover ``width`` x ``height`` and cropped to it, centred."""
    if image.width() == width and image.height() == height:
        return image
    scaled = image.scaled(
        QSize(width, height),
        Qt.AspectRatioMode.KeepAspectRatioByExpanding,
        Qt.TransformationMode.SmoothTransformation,
    )
    left = (scaled.width() - width) // 2
    top = (scaled.height() - height) // 2
    return scaled.copy(QRect(left, top, width, height))


def has_transparency(image: QImage) -> bool:
    """Whether any pixel of the image is not fully opaque."""
    if not image.hasAlphaChannel():
        return False
    alpha = image.convertToFormat(QImage.Format.Format_Alpha8)
    data = bytes(alpha.constBits())[: alpha.sizeInBytes()]
    stride, width = alpha.bytesPerLine(), alpha.width()
    return any(
        min(data[row * stride : row * stride + width]) < 255 for row in range(alpha.height())
    )


def _text_area(layout: BlockLayout) -> PixelBox:
    if layout.backdrop is not None:
        return layout.backdrop
    drawn = [box for box in layout.line_boxes if box[2] > 0] or [layout.box]
    left = min(box[0] for box in drawn)
    top = min(box[1] for box in drawn)
    right = max(box[0] + box[2] for box in drawn)
    bottom = max(box[1] + box[3] for box in drawn)
    return (left, top, right - left, bottom - top)


def _clear_margin(layout: BlockLayout) -> float:
    """How far around a block's lines its ink may reach, in ems: a margin, its outline, its
    shadow."""
    margin = _CLEAR_MARGIN_EM
    if layout.stroke is not None:
        margin += layout.stroke.width
    if layout.shadow is not None:
        shadow = layout.shadow
        margin += max(abs(shadow.x), abs(shadow.y)) + shadow.blur
    return margin


def _mean_rgb(image: QImage, area: QRectF) -> tuple[int, int, int]:
    """The average colour of an area, composited over white."""
    rect = area.toAlignedRect().intersected(image.rect())
    if rect.isEmpty():
        return (255, 255, 255)
    cells = image.copy(rect).scaled(
        _SAMPLE_CELLS,
        _SAMPLE_CELLS,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    totals = [0.0, 0.0, 0.0]
    for y in range(cells.height()):
        for x in range(cells.width()):
            colour = cells.pixelColor(x, y)
            alpha = colour.alphaF()
            for channel, value in enumerate((colour.redF(), colour.greenF(), colour.blueF())):
                totals[channel] += value * alpha + (1.0 - alpha)
    count = cells.width() * cells.height()
    red, green, blue = (round(255 * total / count) for total in totals)
    return (red, green, blue)


class Drafter:
    """Draws the images of one request. Build it in a worker thread: it lays out the text."""

    def __init__(self, plan: DraftPlan) -> None:
        self.plan = plan
        self.layouts = layout_blocks(plan.blocks, plan.width, plan.height)
        self._avoid = [_text_area(layout) for layout in self.layouts]
        self._base = None if plan.base is None else _cover(plan.base, plan.width, plan.height)
        self._mask = None
        keep = None
        if plan.mask is not None:
            self._mask = _cover(plan.mask.convertToFormat(_ARGB), plan.width, plan.height)
            same_size = plan.mask.size() == self._mask.size()
            keep = plan.mask if same_size else self._mask.convertToFormat(_ALPHA8)
        elif plan.replaced:
            keep = self._replaced_places()
        if self._base is not None and keep is not None:
            self._base = self._cleared_base(self._base, keep)

    def _cleared_base(self, base: QImage, keep: QImage) -> QImage:
        """The base with its part that ``keep`` (Alpha8) leaves editable cleared."""
        if self.plan.transparent:
            return cleared(base, keep)
        if base.hasAlphaChannel():  # an opaque draft shows the base over white
            flat = QImage(base.size(), QImage.Format.Format_RGB32)
            flat.fill(QColor("#ffffff"))
            painter = QPainter(flat)
            painter.drawImage(0, 0, base)
            painter.end()
            base = flat
        return fill_editable(base, keep)

    def _replaced_places(self) -> QImage:
        """An Alpha8 mask, 0 where a replaced text stood (laid out as the block was) or where its
        new text goes, 255 elsewhere."""
        keep = QImage(self.plan.width, self.plan.height, _ALPHA8)
        keep.fill(255)
        blocks = list(self.plan.blocks)
        painter = QPainter(keep)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        for index, old in self.plan.replaced:
            if not 0 <= index < len(blocks) or not old.strip():
                continue
            was = [
                *blocks[:index],
                dataclasses.replace(blocks[index], text=old),
                *blocks[index + 1 :],
            ]
            old_layout = layout_blocks(was, self.plan.width, self.plan.height)[index]
            for layout in (old_layout, self.layouts[index]):
                x, y, w, h = _text_area(layout)
                pad = round(_clear_margin(layout) * layout.font_px)
                painter.fillRect(x - pad, y - pad, w + 2 * pad, h + 2 * pad, QColor(0, 0, 0, 0))
        painter.end()
        return keep

    def _paint_under_text(self, painter: QPainter, index: int) -> None:
        if self._base is not None:
            painter.drawImage(QRectF(0, 0, self.plan.width, self.plan.height), self._base)
            return
        scene = scene_for(self.plan.description, index)
        paint_scene(
            painter,
            scene,
            self.plan.width,
            self.plan.height,
            avoid=self._avoid,
            transparent=self.plan.transparent,
        )

    def _canvas(self, scale: float, *, white: bool) -> tuple[QImage, QPainter]:
        width = max(1, round(self.plan.width * scale))
        height = max(1, round(self.plan.height * scale))
        image = QImage(width, height, _ARGB)
        image.fill(QColor("#ffffff") if white else QColor(0, 0, 0, 0))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.scale(width / self.plan.width, height / self.plan.height)
        return image, painter

    def palettes(self, index: int) -> list[Palette]:
        """Per block: dark or light text, whichever contrasts more with what lies under it."""
        scale = min(1.0, _SAMPLE_EDGE / max(self.plan.width, self.plan.height))
        image, painter = self._canvas(scale, white=False)
        try:
            self._paint_under_text(painter, index)
        finally:
            painter.end()
        factor = image.width() / self.plan.width
        palettes = []
        for x, y, w, h in self._avoid:
            area = QRectF(x * factor, y * factor, w * factor, h * factor)
            palettes.append(palette_for_background(_mean_rgb(image, area)))
        return palettes

    def _draw_text(self, painter: QPainter, palettes: Sequence[Palette]) -> None:
        if self.plan.text_free:
            return
        # A replaced text is drawn alone: the other texts are already in the base, as they were.
        only = {
            index
            for index, old in self.plan.replaced
            if 0 <= index < len(self.layouts) and old.strip() and self._mask is None
        }
        for index, (layout, palette) in enumerate(zip(self.layouts, palettes, strict=True)):
            if not only or index in only:
                draw_layouts(painter, [layout], palette=palette)

    def render(
        self, index: int, scale: float = 1.0, palettes: Sequence[Palette] | None = None
    ) -> QImage:
        """Image ``index`` at full size; drawn at ``scale`` and enlarged when below 1."""
        palettes = self.palettes(index) if palettes is None else palettes
        opaque = not self.plan.transparent
        image, painter = self._canvas(scale, white=opaque)
        try:
            self._paint_under_text(painter, index)
            if self._mask is None:
                self._draw_text(painter, palettes)
            else:
                whole = QRectF(0, 0, self.plan.width, self.plan.height)
                painter.drawImage(whole, self._masked_text(scale, palettes))
        finally:
            painter.end()
        if image.width() != self.plan.width or image.height() != self.plan.height:
            image = image.scaled(
                self.plan.width,
                self.plan.height,
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        return image

    def _masked_text(self, scale: float, palettes: Sequence[Palette]) -> QImage:
        """The text layer where the mask is transparent (editable), at the render's scale."""
        assert self._mask is not None
        layer, painter = self._canvas(scale, white=False)
        try:
            self._draw_text(painter, palettes)
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_DestinationOut)
            painter.drawImage(QRectF(0, 0, self.plan.width, self.plan.height), self._mask)
        finally:
            painter.end()
        return layer


def encode(
    image: QImage,
    output_format: str,
    compression: int | None,
    *,
    alpha: bool,
    partial: bool = False,
) -> bytes:
    """The image as png, webp or jpeg bytes.

    ``compression`` is the quality of webp and jpeg (``DEFAULT_QUALITY`` when None: lossless webp
    at 100 takes seconds for a 4K image). PNG uses a moderate zlib level; a partial image, about
    to be replaced, is encoded for speed.
    """
    if not alpha or output_format == "jpeg":
        image = image.convertToFormat(QImage.Format.Format_RGB32)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, output_format.encode())
    if output_format == "png":
        writer.setQuality(_PNG_PARTIAL_QUALITY if partial else _PNG_QUALITY)
    else:
        quality = DEFAULT_QUALITY if compression is None else compression
        writer.setQuality(min(quality, _PARTIAL_QUALITY) if partial else quality)
    written = writer.write(image)
    buffer.close()
    if not written:
        raise ValueError(
            f"the draft could not be encoded as {output_format}: {writer.errorString()}"
        )
    return bytes(data.data())
