"""The image with its mask over it, painted with the pointer: brush, eraser, rectangle, lasso.

The mask lives at the image's full size in ``MaskModel``; what is shown is a display copy of it,
at most ``OVERLAY_SIDE`` pixels on its long side (a whole-number reduction of the image, so a
block of the mask's pixels averages into one overlay pixel). A change to the mask redraws only
its rectangle of that overlay, and only that part of the screen is repainted, so painting on a
3840x2160 image costs what painting on a small one does. The image itself is shown from a copy
of the same reduction, and at full size only when zoomed in past it.

Mouse: left button paints with the tool (Alt: the opposite, paint <-> erase); middle button or
Space + drag pans; the wheel zooms about the pointer.
"""

from __future__ import annotations

import enum
import math
import sys
from typing import Final

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

from app.model.mask import MaskModel

OVERLAY_SIDE: Final = 2048
"""The display copy of a mask is reduced by a whole number until its long side fits this."""
OVERLAY_COLOUR: Final = QColor(255, 40, 90)
OVERLAY_OPACITY: Final = 0.5
ZOOM_STEP: Final = 1.25
MIN_ZOOM, MAX_ZOOM = 0.02, 32.0
LASSO_STEP_PX: Final = 3.0
"""A lasso point is added once the pointer has moved this far on screen."""


class Tool(enum.Enum):
    BRUSH = "brush"
    ERASER = "eraser"
    RECTANGLE = "rectangle"
    LASSO = "lasso"


def _overlay_colours() -> npt.NDArray[np.uint8]:
    """For each coverage value, the overlay's pixel in QImage's ARGB32 premultiplied bytes."""
    alpha = np.arange(256, dtype=np.float32) * OVERLAY_OPACITY
    channels = [OVERLAY_COLOUR.red(), OVERLAY_COLOUR.green(), OVERLAY_COLOUR.blue()]
    red, green, blue = (np.round(alpha * c / 255.0) for c in channels)
    order = (blue, green, red, alpha) if sys.byteorder == "little" else (alpha, red, green, blue)
    return np.stack([np.round(c) for c in order], axis=1).astype(np.uint8)


class MaskCanvas(QWidget):
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Mask canvas")
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setMinimumSize(160, 120)
        self.tool = Tool.BRUSH
        self.brush_size = 64.0
        """The brush's diameter, in image pixels."""
        self.hardness = 1.0
        self._overlay_visible = True
        self._mask: MaskModel | None = None
        self._image_size = QSize()
        self._reduction = 1
        self._overlay_pixels: npt.NDArray[np.uint8] = np.zeros((1, 1, 4), np.uint8)
        self._overlay = QImage()
        self._colours = _overlay_colours()
        self._small = QPixmap()
        self._full_image = QImage()
        self._full: QPixmap | None = None
        self._zoom = 1.0
        self._offset = QPointF()
        self._fit = True
        self._hover: QPointF | None = None
        self._press: QPointF | None = None  # where a rectangle started (image pixels)
        self._lasso: list[QPointF] = []
        self._pan_from: QPointF | None = None
        self._space = False

    # -- what is shown ----------------------------------------------------------------------

    def set_mask(self, mask: MaskModel | None, image: QImage | None) -> None:
        """Show ``image`` with ``mask`` over it (the mask has the image's size); None for none."""
        if self._mask is not None:
            self._mask.changed.disconnect(self._mask_changed)
            if self._mask.stroking:
                self._mask.end_stroke()
        self._mask = mask if image is not None and not image.isNull() else None
        self._press, self._lasso = None, []
        if self._mask is None or image is None:
            self._image_size = QSize()
            self._small, self._full, self._full_image = QPixmap(), None, QImage()
            self._overlay = QImage()
            self.update()
            return
        if image.size() != self._mask.size:
            raise ValueError("the mask and the image differ in size")
        self._image_size = image.size()
        side = max(image.width(), image.height())
        self._reduction = max(1, math.ceil(side / OVERLAY_SIDE))
        width = math.ceil(image.width() / self._reduction)
        height = math.ceil(image.height() / self._reduction)
        self._overlay_pixels = np.zeros((height, width, 4), np.uint8)
        self._overlay = QImage(
            self._overlay_pixels.data,
            width,
            height,
            width * 4,
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        self._full_image = image
        self._full = None
        if self._reduction == 1:
            self._small = QPixmap.fromImage(image)
        else:
            self._small = QPixmap.fromImage(
                image.scaled(
                    width,
                    height,
                    Qt.AspectRatioMode.IgnoreAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        self._mask.changed.connect(self._mask_changed)
        self._draw_overlay(QRect(0, 0, image.width(), image.height()))
        self.fit_to_view()

    @property
    def mask_model(self) -> MaskModel | None:
        return self._mask

    @property
    def overlay_visible(self) -> bool:
        return self._overlay_visible

    def set_overlay_visible(self, visible: bool) -> None:
        self._overlay_visible = visible
        self.update()

    @property
    def reduction(self) -> int:
        """How many image pixels, across, one pixel of the display overlay stands for."""
        return self._reduction

    def overlay_image(self) -> QImage:
        return self._overlay.copy()

    def _mask_changed(self, rect: QRect) -> None:
        self._draw_overlay(rect)
        self.update(self._to_view(QRectF(rect)).toAlignedRect().adjusted(-2, -2, 2, 2))

    def _draw_overlay(self, rect: QRect) -> None:
        """Redraw the overlay's pixels that show ``rect`` of the mask (image pixels)."""
        assert self._mask is not None
        k = self._reduction
        x0, y0 = rect.left() // k, rect.top() // k
        x1 = min(-(-(rect.right() + 1) // k), self._overlay_pixels.shape[1])
        y1 = min(-(-(rect.bottom() + 1) // k), self._overlay_pixels.shape[0])
        if x1 <= x0 or y1 <= y0:
            return
        block = self._mask.pixels[y0 * k : y1 * k, x0 * k : x1 * k]
        if k > 1:
            short_y, short_x = (y1 - y0) * k - block.shape[0], (x1 - x0) * k - block.shape[1]
            if short_y or short_x:  # the image's last row or column of blocks is partial
                block = np.pad(block, ((0, short_y), (0, short_x)), mode="edge")
            sums = block.reshape(y1 - y0, k, x1 - x0, k).sum(axis=(1, 3), dtype=np.uint32)
            block = ((sums + (k * k) // 2) // (k * k)).astype(np.uint8)
        self._overlay_pixels[y0:y1, x0:x1] = self._colours[block]

    # -- zoom and pan -----------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        """Screen pixels per image pixel."""
        return self._zoom

    def fit_to_view(self) -> None:
        self._fit = True
        if self._image_size.isEmpty():
            return
        margin = 8
        zoom = min(
            (self.width() - 2 * margin) / self._image_size.width(),
            (self.height() - 2 * margin) / self._image_size.height(),
        )
        self._set_zoom(max(zoom, MIN_ZOOM), None)
        size = QPointF(self._image_size.width(), self._image_size.height()) * self._zoom
        self._offset = QPointF((self.width() - size.x()) / 2, (self.height() - size.y()) / 2)
        self.update()

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom about ``anchor`` (a point on the widget; its centre by default)."""
        self._fit = False
        self._set_zoom(self._zoom * factor, anchor)
        self.update()

    def _set_zoom(self, zoom: float, anchor: QPointF | None) -> None:
        zoom = min(max(zoom, MIN_ZOOM), MAX_ZOOM)
        centre = anchor if anchor is not None else QPointF(self.width() / 2, self.height() / 2)
        fixed = self.to_image(centre)
        self._zoom = zoom
        self._offset = centre - fixed * zoom
        self.zoom_changed.emit(zoom)

    def to_image(self, point: QPointF) -> QPointF:
        """A point on the widget in image pixels."""
        return (point - self._offset) / self._zoom

    def to_view(self, point: QPointF) -> QPointF:
        return point * self._zoom + self._offset

    def _to_view(self, rect: QRectF) -> QRectF:
        return QRectF(self.to_view(rect.topLeft()), rect.size() * self._zoom)

    # -- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().color(QPalette.ColorRole.Mid))
        if self._image_size.isEmpty():
            painter.end()
            return
        target = self._to_view(QRectF(0, 0, self._image_size.width(), self._image_size.height()))
        # Magnified pixels stay sharp, so edges can be painted precisely.
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self._zoom < 2)
        base = self._small
        if self._reduction > 1 and self._zoom > 1 / self._reduction:
            if self._full is None:
                self._full = QPixmap.fromImage(self._full_image)
            base = self._full
        painter.drawPixmap(target, base, QRectF(base.rect()))
        if self._overlay_visible:
            painter.drawImage(target, self._overlay, QRectF(self._overlay.rect()))
        self._paint_tool(painter)
        painter.end()

    def _paint_tool(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        light = QPen(QColor(255, 255, 255, 220), 1.5)
        dark = QPen(QColor(0, 0, 0, 200), 1.5, Qt.PenStyle.DashLine)
        shapes: list[QPolygonF | QRectF] = []
        if self._press is not None and self._hover is not None:
            corner = self.to_image(self._hover)
            shapes.append(self._to_view(QRectF(self._press, corner).normalized()))
        if len(self._lasso) > 1:
            shapes.append(QPolygonF([self.to_view(p) for p in self._lasso]))
        for pen in (light, dark):
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for shape in shapes:
                if isinstance(shape, QRectF):
                    painter.drawRect(shape)
                else:
                    painter.drawPolygon(shape)
            if self._hover is not None and self.tool in (Tool.BRUSH, Tool.ERASER):
                radius = max(self.brush_size * self._zoom / 2, 1.0)
                painter.drawEllipse(self._hover, radius, radius)

    def _cursor_rect(self) -> QRect:
        if self._hover is None:
            return QRect()
        radius = self.brush_size * self._zoom / 2 + 3
        return QRectF(
            self._hover - QPointF(radius, radius), QSize(1, 1) * 2 * radius
        ).toAlignedRect()

    # -- input ------------------------------------------------------------------------------

    def _erasing(self, event: QMouseEvent) -> bool:
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        return (self.tool == Tool.ERASER) != alt

    def mousePressEvent(self, event: QMouseEvent) -> None:
        position = event.position()
        if event.button() == Qt.MouseButton.MiddleButton or (
            event.button() == Qt.MouseButton.LeftButton and self._space
        ):
            self._pan_from = position
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            return
        if event.button() != Qt.MouseButton.LeftButton or self._mask is None:
            return
        point = self.to_image(position)
        if self.tool in (Tool.BRUSH, Tool.ERASER):
            self._mask.begin_stroke(
                point,
                radius=self.brush_size / 2,
                hardness=self.hardness,
                erase=self._erasing(event),
            )
        elif self.tool == Tool.RECTANGLE:
            self._press = point
        else:
            self._lasso = [point]

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        position = event.position()
        previous = self._cursor_rect()
        self._hover = position
        if self._pan_from is not None:
            self._offset += position - self._pan_from
            self._pan_from = position
            self._fit = False
            self.update()
            return
        mask = self._mask
        if mask is not None and mask.stroking:
            mask.extend_stroke(self.to_image(position))
        elif self._press is not None:
            self.update()
        elif self._lasso:
            last = self.to_view(self._lasso[-1])
            if (position - last).manhattanLength() >= LASSO_STEP_PX:
                self._lasso.append(self.to_image(position))
                self.update()
        self.update(previous.united(self._cursor_rect()))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None and event.button() in (
            Qt.MouseButton.MiddleButton,
            Qt.MouseButton.LeftButton,
        ):
            self._pan_from = None
            self.setCursor(Qt.CursorShape.CrossCursor)
            return
        if event.button() != Qt.MouseButton.LeftButton or self._mask is None:
            return
        erase = self._erasing(event)
        if self._mask.stroking:
            self._mask.end_stroke()
        elif self._press is not None:
            rect = QRectF(self._press, self.to_image(event.position())).normalized()
            self._press = None
            self._mask.fill_rect(rect, erase=erase)
            self.update()
        elif self._lasso:
            polygon, self._lasso = QPolygonF(self._lasso), []
            self._mask.fill_polygon(polygon, erase=erase)
            self.update()

    def leaveEvent(self, event: object) -> None:
        self.update(self._cursor_rect())
        self._hover = None

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(ZOOM_STEP**steps, event.position())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.setCursor(Qt.CursorShape.CrossCursor)
        else:
            super().keyReleaseEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit:
            self.fit_to_view()
