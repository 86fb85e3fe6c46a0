"""The image with its mask over it, painted with the pointer: brush, eraser, rectangle, lasso.

The mask lives at the image's full size in ``MaskModel``; what is shown is a display copy of it,
at most 2048 pixels on its long side (``MaskOverlay``: a whole-number reduction of the image, so
a block of the mask's pixels averages into one overlay pixel). Zoomed in past that reduction, a
second overlay at the mask's full resolution is shown instead, so a painted edge is as sharp as
the mask sent. A change to the mask marks its rectangle of both overlays out of date, only that
part of the screen is repainted, and the overlay shown is redrawn there as it is painted, so
painting on a 3840x2160 image costs what painting on a small one does. The image itself is
shown from a copy of the same reduction, and at full size only when zoomed in past it.

Mouse: left button paints with the tool (Alt: the opposite, paint <-> erase); middle button or
Space + drag pans; the wheel (or + and -) zooms about the pointer.
"""

from __future__ import annotations

import enum
from typing import Final

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QRegion,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

from app.model.mask import MaskModel
from app.ui.mask_overlay import MaskOverlay

ZOOM_STEP: Final = 1.25
MIN_ZOOM, MAX_ZOOM = 0.02, 32.0
REFIT_MS: Final = 120
LASSO_STEP_PX: Final = 3.0
"""A lasso point is added once the pointer has moved this far on screen."""


class Tool(enum.Enum):
    BRUSH = "brush"
    ERASER = "eraser"
    RECTANGLE = "rectangle"
    LASSO = "lasso"


def check_sizes(mask: MaskModel | None, image: QImage | None) -> None:
    if mask is not None and image is not None and not image.isNull() and image.size() != mask.size:
        size, other = image.size(), mask.size
        raise ValueError(
            f"the mask is {other.width()}x{other.height()}, "
            f"the image {size.width()}x{size.height()}: they must be the same size"
        )


def _outline(rect: QRect, width: int = 3) -> QRegion:
    """The edges of ``rect`` on screen, ``width`` pixels either side of its outline."""
    if rect.isNull():
        return QRegion()
    outer = QRegion(rect.adjusted(-width, -width, width, width))
    inner = rect.adjusted(width, width, -width, -width)
    return outer.subtracted(QRegion(inner)) if inner.isValid() else outer


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
        self._overlay: MaskOverlay | None = None
        self._sharp: MaskOverlay | None = None  # at full resolution, for a reduced overlay
        self._small = QImage()  # the image at the overlay's reduction
        self._full = QImage()
        # The image scaled to the screen, drawn 1:1 when shown smaller than ``_small``; made
        # again shortly after the zoom settles (until then ``_small`` is drawn, coarser).
        self._fitted = QImage()
        self._fitted_zoom = 0.0
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(REFIT_MS)
        self._refit.timeout.connect(self._make_fitted)
        self._zoom = 1.0
        self._offset = QPointF()
        self._fit = True
        self._hover: QPointF | None = None
        self._press: QPointF | None = None  # where a rectangle started (image pixels)
        self._preview = QRect()  # the rectangle's outline on screen
        self._lasso: list[QPointF] = []
        self._pan_from: QPointF | None = None
        self._space = False

    # -- what is shown ----------------------------------------------------------------------

    def set_mask(self, mask: MaskModel | None, image: QImage | None) -> None:
        """Show ``image`` with ``mask`` over it (the mask has the image's size); None for none."""
        check_sizes(mask, image)
        if self._mask is not None:
            self._mask.changed.disconnect(self._mask_changed)
            if self._mask.stroking:
                self._mask.end_stroke()
        self._mask = mask if image is not None and not image.isNull() else None
        self._press, self._lasso = None, []
        if self._mask is None or image is None:
            self._image_size = QSize()
            self._small, self._full, self._fitted = QImage(), QImage(), QImage()
            self._overlay = self._sharp = None
            self.update()
            return
        self._image_size = image.size()
        self._overlay = MaskOverlay(image.width(), image.height())
        self._sharp = None
        if self._overlay.reduction > 1:
            # Made now, its memory touched: the first touch of 33 MB took 4 to 200 ms on a
            # busy machine, a stall if it came with the first zoom in.
            self._sharp = MaskOverlay(image.width(), image.height(), reduction=1)
            self._sharp.pixels.fill(0)
        width, height = self._overlay.columns, self._overlay.rows
        # Drawn as they are on every repaint: in the format the raster engine blends fastest.
        fast = (
            QImage.Format.Format_ARGB32_Premultiplied
            if image.hasAlphaChannel()
            else QImage.Format.Format_RGB32
        )
        self._full = image if image.format() == fast else image.convertToFormat(fast)
        self._fitted = QImage()
        if self._overlay.reduction == 1:
            self._small = self._full
        else:
            self._small = self._full.scaled(
                width,
                height,
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        self._mask.changed.connect(self._mask_changed)
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
        return 1 if self._overlay is None else self._overlay.reduction

    def overlay_image(self) -> QImage:
        """The reduced overlay, up to date."""
        if self._overlay is None or self._mask is None:
            return QImage()
        self._overlay.refresh(self._mask.pixels)
        return self._overlay.image.copy()

    def _mask_changed(self, rect: QRect) -> None:
        for overlay in (self._overlay, self._sharp):
            if overlay is not None:
                overlay.invalidate(rect)
        self.update(self._to_view(QRectF(rect)).toAlignedRect().adjusted(-2, -2, 2, 2))

    def _shown_overlay(self, exposed: QRect) -> MaskOverlay | None:
        """The overlay to draw at this zoom, brought up to date where ``exposed`` (widget
        pixels) shows it: the reduced one, or the full-resolution one once zoomed in past it."""
        overlay, mask = self._overlay, self._mask
        if overlay is None or mask is None:
            return None
        if self._sharp is not None and self._zoom * overlay.reduction > 1:
            overlay = self._sharp
        corner = self.to_image(QPointF(exposed.topLeft()))
        far = self.to_image(QPointF(exposed.bottomRight()) + QPointF(1, 1))
        area = QRectF(corner, far).toAlignedRect().adjusted(-1, -1, 1, 1)
        overlay.refresh(mask.pixels, area.intersected(QRect(QPoint(), self._image_size)))
        return overlay

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
        self._offset = QPointF(
            round((self.width() - size.x()) / 2), round((self.height() - size.y()) / 2)
        )
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
        offset = centre - fixed * zoom
        self._offset = QPointF(round(offset.x()), round(offset.y()))  # whole pixels: 1:1 blits
        self._refit.start()
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
            painter.setPen(
                self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            )
            painter.drawText(
                self.rect().adjusted(12, 12, -12, -12),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.tr("Select an image to paint a mask on it."),
            )
            painter.end()
            return
        target = self._to_view(QRectF(0, 0, self._image_size.width(), self._image_size.height()))
        if not self._fitted.isNull() and self._fitted_zoom == self._zoom:
            painter.drawImage(target.topLeft(), self._fitted)
        else:
            zoomed_in = self.reduction > 1 and self._zoom > 1 / self.reduction
            base = self._full if zoomed_in else self._small
            # Magnified pixels stay sharp, so edges can be painted precisely.
            smooth = self._zoom < 2 and not self._refit.isActive()
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, smooth)
            painter.drawImage(target, base, QRectF(base.rect()))
        shown = self._shown_overlay(event.rect()) if self._overlay_visible else None
        if shown is not None:
            # Smoothed when shown smaller; magnified, its pixels are drawn as they are (sharp).
            minified = self._zoom * shown.reduction < 1
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, minified)
            overlay = shown.image
            painter.drawImage(target, overlay, QRectF(overlay.rect()))
        self._paint_tool(painter)
        painter.end()

    def _make_fitted(self) -> None:
        self._fitted = QImage()
        ratio = self.devicePixelRatioF()  # in device pixels: sharp on a HiDPI screen
        width = round(self._image_size.width() * self._zoom * ratio)
        height = round(self._image_size.height() * self._zoom * ratio)
        if self._small.isNull() or width >= self._small.width() or width < 1 or height < 1:
            return  # zoomed in past the reduced copy: it, or the full image, is drawn
        self._fitted = self._small.scaled(
            width,
            height,
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        self._fitted.setDevicePixelRatio(ratio)
        self._fitted_zoom = self._zoom
        self.update()

    def _paint_tool(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        # Hairlines (cosmetic pens, far cheaper to draw around a large brush than wide ones):
        # a dark one just outside a light one shows on any picture.
        dark = QPen(QColor(0, 0, 0, 170), 0)
        light = QPen(QColor(255, 255, 255, 230), 0)
        for pen, grow in ((dark, 1.0), (light, 0.0)):
            painter.setPen(pen)
            if self._press is not None and self._hover is not None:
                corner = self.to_image(self._hover)
                rect = self._to_view(QRectF(self._press, corner).normalized())
                painter.drawRect(rect.adjusted(-grow, -grow, grow, grow))
            if len(self._lasso) > 1:
                line = QPolygonF([self.to_view(p) for p in self._lasso])
                painter.drawPolyline(line.translated(grow, grow))  # closed when released
            if self._hover is not None and self.tool in (Tool.BRUSH, Tool.ERASER):
                radius = max(self.brush_size * self._zoom / 2, 1.0) + grow
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
            delta = position - self._pan_from
            self._offset += QPointF(round(delta.x()), round(delta.y()))
            self._pan_from = position
            self._fit = False
            self.update()
            return
        mask = self._mask
        if mask is not None and mask.stroking:
            mask.extend_stroke(self.to_image(position))
        elif self._press is not None:
            # Only the outline's old and new edges are repainted, not the area inside.
            self.update(_outline(self._preview).united(_outline(self._rectangle_preview())))
            self._preview = self._rectangle_preview()
        elif self._lasso:
            last = self.to_view(self._lasso[-1])
            if (position - last).manhattanLength() >= LASSO_STEP_PX:
                self._lasso.append(self.to_image(position))
                self.update(
                    QRectF(last, position).normalized().toAlignedRect().adjusted(-3, -3, 3, 3)
                )
        self.update(previous.united(self._cursor_rect()))

    def _rectangle_preview(self) -> QRect:
        if self._press is None or self._hover is None:
            return QRect()
        corner = self.to_image(self._hover)
        return self._to_view(QRectF(self._press, corner).normalized()).toAlignedRect()

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
            self.update(_outline(self._preview))
            self._press, self._preview = None, QRect()
            self._mask.fill_rect(rect, erase=erase)
        elif self._lasso:
            polygon, self._lasso = QPolygonF(self._lasso), []
            self.update(
                self._to_view(polygon.boundingRect()).toAlignedRect().adjusted(-3, -3, 3, 3)
            )
            self._mask.fill_polygon(polygon, erase=erase)

    def leaveEvent(self, event: object) -> None:
        self.update(self._cursor_rect())
        self._hover = None

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(ZOOM_STEP**steps, event.position())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(ZOOM_STEP, self._hover)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(1 / ZOOM_STEP, self._hover)
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
