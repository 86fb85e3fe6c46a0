"""One image, large: fitted to the view, or zoomed (Ctrl+wheel, +, -, 0 for fit, 1 for 100%).

The image arrives decoded (off the GUI thread) as a QImage; the pixmap is made here, on the GUI
thread. Only the image on screen is held. Outlines (the text check's wrong characters) are drawn
over it, given in the image file's pixels and scaled to the picture shown.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QPainter,
    QPen,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QLabel,
    QStackedLayout,
    QWidget,
)

ZOOM_STEP = 1.25
OUTLINE_COLOUR = QColor("#e11d48")
OUTLINE_PAD = 3  # file pixels (at least) around a character: the outline never covers strokes


class ImageViewer(QWidget):
    detail_wanted = Signal()  # zoomed in: the caller may send the image at full resolution
    zoomed = Signal()  # the magnification changed (fitted, 100% or zoomed): a linked view follows

    def __init__(self, name: str, empty_text: str) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self._scene = QGraphicsScene(self)
        self._item = QGraphicsPixmapItem()
        self._item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self._scene.addItem(self._item)
        self.view = QGraphicsView(self._scene)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.view.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.view.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.view.setAccessibleName(f"{name} image")
        self.view.wheelEvent = self._wheel  # type: ignore[method-assign]
        self.empty = QLabel(empty_text)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setEnabled(False)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.empty)
        self._stack.addWidget(self.view)
        self.fit = True
        self.key: object = None
        self._outline_key: object = None
        self._outline_boxes: tuple[tuple[int, int, int, int], ...] = ()
        self._outline_width = 0  # the width of the file the boxes are measured in
        self._outline_items: list[QGraphicsRectItem] = []

    def show_image(self, key: object, image: QImage | None) -> None:
        previous_key, self.key = self.key, key
        if image is None or image.isNull():
            self._item.setPixmap(QPixmap())
            self._place_outlines()
            self._stack.setCurrentWidget(self.empty)
            return
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(1.0)
        old = self._item.pixmap()
        if not self.fit and not old.isNull() and key == previous_key and pixmap.width():
            # The same image in more detail: keep what is on screen the same size.
            factor = old.width() / pixmap.width()
            self.view.scale(factor, factor)
        self._item.setPixmap(pixmap)
        self._scene.setSceneRect(self._item.boundingRect())
        self._stack.setCurrentWidget(self.view)
        self._place_outlines()
        if self.fit:
            self.fit_to_view()

    def set_outlines(
        self, key: object, boxes: Sequence[tuple[int, int, int, int]], source_width: int
    ) -> None:
        """Outline ``boxes`` (x, y, w, h in the pixels of a file ``source_width`` wide) on the
        image ``key``; they go when another image is shown."""
        wanted = (key, tuple(boxes), source_width)
        if wanted == (self._outline_key, self._outline_boxes, self._outline_width):
            return  # already drawn (the gallery changes often while images stream in)
        self._outline_key = key
        self._outline_boxes = tuple(boxes)
        self._outline_width = source_width
        self._place_outlines()

    def outlines(self) -> list[QRectF]:
        """The outlines on screen, in the picture's pixels."""
        return [item.rect() for item in self._outline_items]

    def _place_outlines(self) -> None:
        for item in self._outline_items:
            self._scene.removeItem(item)
        self._outline_items = []
        pixmap = self._item.pixmap()
        if self._outline_key != self.key or pixmap.isNull() or self._outline_width <= 0:
            return
        scale = pixmap.width() / self._outline_width
        pen = QPen(OUTLINE_COLOUR, 2.5)
        pen.setCosmetic(True)  # as thick at any zoom
        for x, y, w, h in self._outline_boxes:
            pad = max(OUTLINE_PAD, round(0.1 * min(w, h)))
            rect = QRectF(x - pad, y - pad, w + 2 * pad, h + 2 * pad)
            item = QGraphicsRectItem(
                QRectF(rect.topLeft() * scale, rect.bottomRight() * scale).normalized()
            )
            item.setPen(pen)
            item.setZValue(1)
            self._scene.addItem(item)
            self._outline_items.append(item)

    def clear(self) -> None:
        self.show_image(None, None)

    @property
    def has_image(self) -> bool:
        return not self._item.pixmap().isNull()

    def fit_to_view(self) -> None:
        self.fit = True
        if self.has_image:
            self.view.fitInView(self._item, Qt.AspectRatioMode.KeepAspectRatio)
            self.zoomed.emit()

    def actual_size(self) -> None:
        self.fit = False
        self.view.resetTransform()
        self.zoomed.emit()
        self.detail_wanted.emit()

    def zoom(self, factor: float) -> None:
        self.fit = False
        self.view.scale(factor, factor)
        self.zoomed.emit()
        if factor > 1:
            self.detail_wanted.emit()

    def picture_width(self) -> int:
        return self._item.pixmap().width()

    def fitting_size(self) -> QSize:
        """The pixels the image needs to fill the view when fitted (HiDPI included)."""
        ratio = self.devicePixelRatioF()
        side = max(512, int(max(self.width(), self.height()) * ratio))
        return QSize(side, side)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fit:
            self.fit_to_view()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(ZOOM_STEP)
        elif key == Qt.Key.Key_Minus:
            self.zoom(1 / ZOOM_STEP)
        elif key == Qt.Key.Key_0:
            self.fit_to_view()
        else:
            super().keyPressEvent(event)

    def _wheel(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP)
            event.accept()
        else:
            QGraphicsView.wheelEvent(self.view, event)
