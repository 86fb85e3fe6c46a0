"""Compare two images: a swipe overlay (one image over the other, cut at a divider the designer
drags) and a link that keeps two side-by-side viewers zoomed and panned in step.

In the swipe view both images share one scene, scaled to the same width, so zoom (Ctrl+wheel, +,
-, 0 to fit) and pan (drag) move them together by construction. The divider follows a drag that
starts on it, or the slider below.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QScrollBar,
    QSlider,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.model.gallery import GalleryModel
from app.model.versions import VersionImages
from app.ui.gallery_view import ComparePage
from app.ui.image_viewer import ZOOM_STEP, ImageViewer

GRAB_PX = 8  # how close to the divider (on screen) a drag must start to move it


class _SwipeGraphics(QGraphicsView):
    def __init__(self, owner: SwipeView) -> None:
        super().__init__()
        self._owner = owner
        self._dragging = False
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)

    def _near_divider(self, event: QMouseEvent) -> bool:
        x = self.mapFromScene(self._owner.divider_x(), 0).x()
        return abs(event.position().x() - x) <= GRAB_PX

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._near_divider(event):
            self._dragging = True
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._dragging:
            scene_x = self.mapToScene(event.position().toPoint()).x()
            self._owner.set_position(scene_x / max(1.0, self._owner.scene_width()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._dragging:
            self._dragging = False
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._owner.zoom(ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP)
            event.accept()
        else:
            super().wheelEvent(event)


class SwipeView(QWidget):
    """The "before" image over the "after" one, shown left of the divider."""

    def __init__(self, empty_text: str) -> None:
        super().__init__()
        self.setAccessibleName("Swipe compare")
        self._scene = QGraphicsScene(self)
        self._after = QGraphicsPixmapItem()
        self._clip = QGraphicsRectItem()
        self._clip.setPen(QPen(Qt.PenStyle.NoPen))
        self._clip.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape)
        self._before = QGraphicsPixmapItem(self._clip)
        self._line = QGraphicsLineItem()
        pen = QPen(QColor("white"), 2)
        pen.setCosmetic(True)
        self._line.setPen(pen)
        self._line.setZValue(2)
        for item in (self._after, self._before):
            item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self._scene.addItem(self._after)
        self._scene.addItem(self._clip)
        self._scene.addItem(self._line)
        self.view = _SwipeGraphics(self)
        self.view.setScene(self._scene)
        self.view.setAccessibleName("Swipe compare image")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 1000)
        self.slider.setValue(500)
        self.slider.setAccessibleName("Swipe position")
        self.slider.valueChanged.connect(lambda value: self._place(value / 1000))
        self.empty_text = empty_text
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.slider)
        self.fit = True
        self._position = 0.5

    def show_images(self, before: QImage | None, after: QImage | None) -> None:
        """``before`` left of the divider, ``after`` right of it, both at ``after``'s width."""
        if before is None or after is None or before.isNull() or after.isNull():
            self._before.setPixmap(QPixmap())
            self._after.setPixmap(QPixmap())
            return
        after_pixmap = QPixmap.fromImage(after)
        before_pixmap = QPixmap.fromImage(before)
        self._after.setPixmap(after_pixmap)
        self._before.setPixmap(before_pixmap)
        self._before.setScale(after_pixmap.width() / max(1, before_pixmap.width()))
        self._scene.setSceneRect(self._after.boundingRect())
        self._place(self._position)
        if self.fit:
            self.fit_to_view()

    @property
    def has_images(self) -> bool:
        return not self._after.pixmap().isNull()

    def scene_width(self) -> float:
        return self._scene.sceneRect().width()

    def divider_x(self) -> float:
        return self._position * self.scene_width()

    def position(self) -> float:
        return self._position

    def set_position(self, fraction: float) -> None:
        self.slider.setValue(round(min(1.0, max(0.0, fraction)) * 1000))

    def _place(self, fraction: float) -> None:
        self._position = fraction
        rect = self._scene.sceneRect()
        self._clip.setRect(QRectF(0, 0, rect.width() * fraction, rect.height()))
        x = rect.width() * fraction
        self._line.setLine(x, 0, x, rect.height())

    def zoom(self, factor: float) -> None:
        self.fit = False
        self.view.scale(factor, factor)

    def fit_to_view(self) -> None:
        self.fit = True
        if self.has_images:
            self.view.fitInView(self._after, Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fit:
            self.fit_to_view()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.fit:  # sized only now: fitted while hidden, it was fitted to nothing
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


class ViewLink(QObject):
    """Keeps two side-by-side viewers at the same zoom and the same place in their images."""

    def __init__(self, first: ImageViewer, second: ImageViewer) -> None:
        super().__init__(first)
        self._busy = False
        for source, target in ((first, second), (second, first)):
            source.zoomed.connect(lambda s=source, t=target: self._follow_zoom(s, t))
            for bar, other in (
                (source.view.horizontalScrollBar(), target.view.horizontalScrollBar()),
                (source.view.verticalScrollBar(), target.view.verticalScrollBar()),
            ):
                bar.valueChanged.connect(lambda _, b=bar, o=other: self._follow_scroll(b, o))

    def _follow_zoom(self, source: ImageViewer, target: ImageViewer) -> None:
        if self._busy or not (isValid(source) and isValid(target)):
            return
        self._busy = True
        try:
            target.fit = source.fit
            if source.fit:
                target.fit_to_view()
            else:
                # The same magnification of the image, whatever resolution each was decoded at.
                scale = source.view.transform().m11() * source.picture_width()
                target.view.resetTransform()
                own = target.picture_width()
                if own:
                    target.view.scale(scale / own, scale / own)
        finally:
            self._busy = False

    def _follow_scroll(self, bar: QScrollBar, other: QScrollBar) -> None:
        if self._busy or not (isValid(bar) and isValid(other)):  # the window is closing
            return
        self._busy = True
        try:
            span = bar.maximum() - bar.minimum()
            fraction = (bar.value() - bar.minimum()) / span if span else 0.0
            other.setValue(round(other.minimum() + fraction * (other.maximum() - other.minimum())))
        finally:
            self._busy = False


class VersionComparePage(ComparePage):
    """The Compare tab: the gallery's two selected images, or two versions of an edited image,
    side by side (zoomed and panned in step) or as a swipe overlay."""

    def __init__(self, gallery: GalleryModel, versions: VersionImages) -> None:
        super().__init__(gallery)
        self._versions = versions
        self._version_pair: tuple[tuple[int, Path], tuple[int, Path]] | None = None
        self._images: dict[str, QImage] = {}
        self.link = ViewLink(self.left, self.right)
        splitter = self.left.parentWidget()
        outer = self.layout()
        assert isinstance(splitter, QWidget) and outer is not None
        outer.removeWidget(splitter)
        self.swipe = SwipeView(self.tr("Select two images to compare them here."))
        self.stack = QStackedWidget()
        self.stack.addWidget(splitter)
        self.stack.addWidget(self.swipe)
        self.side_button = self._mode_button(self.tr("Side by side"), "Side by side", 0)
        self.swipe_button = self._mode_button(self.tr("Swipe"), "Swipe", 1)
        self.side_button.setChecked(True)
        self.caption = QLabel()
        self.caption.setAccessibleName("Compare caption")
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        bar.addWidget(self.side_button)
        bar.addWidget(self.swipe_button)
        bar.addSpacing(12)
        bar.addWidget(self.caption, 1)
        column = QWidget()
        column_layout = QVBoxLayout(column)
        column_layout.setContentsMargins(0, 0, 0, 0)
        column_layout.setSpacing(0)
        column_layout.addLayout(bar)
        column_layout.addWidget(self.stack, 1)
        outer.addWidget(column)
        versions.image_ready.connect(self._version_ready)

    def _version_ready(self, purpose: str, image_id: int, image: QImage) -> None:
        self._image_ready(purpose, ("version", image_id), image)

    def _mode_button(self, text: str, name: str, page: int) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setAccessibleName(name)
        button.setCheckable(True)
        button.setAutoExclusive(True)
        button.toggled.connect(lambda on: self._mode(on, page))
        return button

    def _mode(self, on: bool, page: int) -> None:
        if on:
            self.stack.setCurrentIndex(page)

    def use_swipe(self, on: bool) -> None:
        (self.swipe_button if on else self.side_button).setChecked(True)

    def show_versions(
        self, first: tuple[int, Path], second: tuple[int, Path], caption: str = ""
    ) -> None:
        """Compare two library images by (id, path): the older left (before), the newer right."""
        self._version_pair = (first, second)
        self.caption.setText(caption)
        self._images.clear()
        self.left.clear()
        self.right.clear()
        self.swipe.show_images(None, None)
        if self.isVisible():
            self._request_versions()

    def show_rows(self, left: object, right: object) -> None:
        self._version_pair = None
        self.caption.setText("")
        super().show_rows(left, right)

    def showEvent(self, event: QShowEvent) -> None:
        if self._version_pair is None:
            super().showEvent(event)
        else:
            QWidget.showEvent(self, event)
            self._request_versions()

    def _request_versions(self) -> None:
        if self._version_pair is None:
            return
        for purpose, (image_id, path), viewer in zip(
            ("compare-left", "compare-right"),
            self._version_pair,
            (self.left, self.right),
            strict=True,
        ):
            # A version's key beside the gallery's tile keys (the base class only compares them).
            self._wanted[purpose] = ("version", image_id)  # type: ignore[assignment]
            self._versions.request(purpose, image_id, path, viewer.fitting_size())

    def _image_ready(self, purpose: str, key: object, image: QImage) -> None:
        super()._image_ready(purpose, key, image)
        if purpose in self._wanted and self._wanted[purpose] == key:
            self._images[purpose] = image
            self.swipe.show_images(
                self._images.get("compare-left"), self._images.get("compare-right")
            )
