"""The gallery: tiles of the session's images (the current job's first) and one large below.

Keys while the gallery has focus: 1…9 select variation N of the current job, F favourite,
Delete discard (Ctrl+Z brings it back), Ctrl+C copy the image. Compare shows the two selected
images side by side (or the selected one and the one selected before it).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QGuiApplication,
    QHideEvent,
    QImage,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListView,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.model.gallery import GalleryModel, Tile, TileKey
from app.model.gallery_fidelity import FidelityProxy
from app.ui.icons import icon
from app.ui.image_viewer import ImageViewer
from app.ui.tile_delegate import TileDelegate, check_description

TILE_ROW_HEIGHT = 215
LARGE_SIDE = 3840  # zoomed in, the large view decodes up to this; fitted, only what it shows


_GLYPH_OF = {
    "favourite": "favourite", "discard": "delete", "copy": "copy", "open": "open-external",
    "folder": "folder", "fit": "zoom-fit", "actual": "zoom-actual",
}  # fmt: skip


class GalleryView(QListView):
    def __init__(self, gallery: GalleryModel | FidelityProxy) -> None:
        super().__init__()
        self.setAccessibleName("Gallery")
        self.setModel(gallery)
        self.setItemDelegate(TileDelegate(self))
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        self.setMovement(QListView.Movement.Static)
        self.setSpacing(2)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setDragEnabled(False)


class GalleryPage(QWidget):
    """The Variations tab; ``compare_changed`` tells the Compare tab which two to show."""

    compare_changed = Signal(object, object)  # rows, or None

    def __init__(self, gallery: GalleryModel) -> None:
        super().__init__()
        self.gallery = gallery
        # Rows of the view (sorted, filtered by text fidelity) are mapped to the gallery's rows.
        self.proxy = FidelityProxy(gallery, self)
        self.proxy.describe_check = check_description  # what a screen reader says of the badge
        self.list = GalleryView(self.proxy)
        self.viewer = ImageViewer(
            "Selected image", self.tr("Generated images appear here. Select one to see it large.")
        )
        self._previous: int | None = None
        self._current: TileKey | None = None
        self._path: Path | None = None  # the file the large view shows
        self._detailed = False  # the large view holds the image at full resolution

        self.bar = QToolBar()
        self.bar.setAccessibleName("Image actions")
        self.bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.actions_by_name: dict[str, QAction] = {}
        for name, text, keys, slot in (
            ("favourite", self.tr("Favourite"), "F", self.toggle_favourite),
            ("discard", self.tr("Discard"), "Delete", self.discard),
            ("copy", self.tr("Copy image"), QKeySequence.StandardKey.Copy, self.copy),
            ("open", self.tr("Open in viewer"), None, self.open_externally),
            ("folder", self.tr("Show in folder"), None, self.show_in_folder),
            ("fit", self.tr("Fit"), None, self.viewer.fit_to_view),
            ("actual", self.tr("100%"), None, self.viewer.actual_size),
        ):
            action = QAction(icon(_GLYPH_OF[name]), text, self)
            if keys is not None:
                action.setShortcut(QKeySequence(keys))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            self.bar.addAction(action)
            self.actions_by_name[name] = action
        undo = gallery.undo_stack.createUndoAction(self, self.tr("Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        undo.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(undo)
        self.actions_by_name["undo"] = undo
        for number in range(1, 10):
            select = QAction(self)
            select.setShortcut(QKeySequence(str(number)))
            select.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            select.triggered.connect(lambda _=False, row=number - 1: self.select_row(row))
            self.addAction(select)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("gallery-splitter")
        splitter.addWidget(self.list)
        splitter.addWidget(self.viewer)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([TILE_ROW_HEIGHT, 600])  # one row of tiles; the large view gets the rest
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        layout.addWidget(splitter)

        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.list.selectionModel().selectionChanged.connect(lambda *_: self._emit_compare())
        gallery.image_ready.connect(self._image_ready)
        gallery.dataChanged.connect(self._tile_changed)
        self.viewer.detail_wanted.connect(self._full_detail)
        gallery.rowsRemoved.connect(lambda *_: self._refresh_current())
        self._update_actions()

    # Selection
    def current_row(self) -> int | None:
        """The gallery's row of the current tile."""
        index = self.proxy.mapToSource(self.list.currentIndex())
        return index.row() if index.isValid() else None

    def current_tile(self) -> Tile | None:
        row = self.current_row()
        return None if row is None else self.gallery.tile(row)

    def select_row(self, row: int) -> None:
        """Select the tile in the view's ``row`` (as the view is sorted and filtered)."""
        if 0 <= row < self.proxy.rowCount():
            index = self.proxy.index(row, 0)
            self.list.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.list.scrollTo(index)

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if previous.isValid():
            self._previous = self.proxy.mapToSource(previous).row()
        self._refresh_current()

    def _refresh_current(self) -> None:
        tile = self.current_tile()
        key = None if tile is None else tile.key
        if tile is None or tile.path is None:
            self._current = key
            self.viewer.show_image(key, None)
        elif key != self._current or not self.viewer.has_image or tile.path != self._path:
            self._current = key
            self._path = tile.path
            self._detailed = False
            row = self.current_row()
            if row is not None:
                self.gallery.request_image("large", row, self.viewer.fitting_size())
        self._update_actions()
        self._emit_compare()

    def _tile_changed(self, top: QModelIndex, bottom: QModelIndex, roles: object = None) -> None:
        row = self.current_row()
        if row is not None and top.row() <= row <= bottom.row():
            tile = self.gallery.tile(row)
            if tile.path is not None and (not self.viewer.has_image or tile.path != self._path):
                self._refresh_current()  # a first picture, or another version of the image
            self._update_actions()

    def _full_detail(self) -> None:
        row = self.current_row()
        if row is not None and not self._detailed:
            self._detailed = True
            self.gallery.request_image("large", row, QSize(LARGE_SIDE, LARGE_SIDE))

    def _image_ready(self, purpose: str, key: object, image: QImage) -> None:
        if purpose == "large" and key == self._current:
            self.viewer.show_image(key, image)
        elif purpose == "copy":
            QGuiApplication.clipboard().setImage(image)

    def _emit_compare(self) -> None:
        rows = sorted(
            self.proxy.mapToSource(index).row()
            for index in self.list.selectionModel().selectedIndexes()
        )
        if len(rows) >= 2:
            self.compare_changed.emit(rows[0], rows[1])
        else:
            current = self.current_row()
            other = self._previous if self._previous != current else None
            if other is not None and other >= self.gallery.rowCount():
                other = None
            self.compare_changed.emit(current, other)

    def _update_actions(self) -> None:
        tile = self.current_tile()
        done = tile is not None and tile.state == "done"
        for name in ("favourite", "copy", "open", "folder"):
            self.actions_by_name[name].setEnabled(done)
        self.actions_by_name["discard"].setEnabled(tile is not None)
        if tile is not None:
            self.actions_by_name["favourite"].setText(
                self.tr("Unfavourite") if tile.favourite else self.tr("Favourite")
            )

    # Actions
    def toggle_favourite(self) -> None:
        row = self.current_row()
        if row is not None:
            self.gallery.set_favourite(row, not self.gallery.tile(row).favourite)
            self._update_actions()

    def discard(self) -> None:
        row = self.current_row()
        if row is not None:
            self.gallery.discard(row)

    def copy(self) -> None:
        row = self.current_row()
        if row is not None:
            self.gallery.request_image("copy", row)

    def open_externally(self) -> None:
        tile = self.current_tile()
        if tile is not None and tile.path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(tile.path)))

    def show_in_folder(self) -> None:
        tile = self.current_tile()
        if tile is not None and tile.path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(tile.path.parent)))


class ComparePage(QWidget):
    """Two images side by side; a view the edit panel will extend."""

    def __init__(self, gallery: GalleryModel) -> None:
        super().__init__()
        self.gallery = gallery
        hint = self.tr("Select two images in Variations (Ctrl+click) to compare them here.")
        self.left = ImageViewer("Compare left", hint)
        self.right = ImageViewer("Compare right", hint)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.left)
        splitter.addWidget(self.right)
        layout.addWidget(splitter)
        self._wanted: dict[str, TileKey | None] = {"compare-left": None, "compare-right": None}
        self._rows: tuple[object, object] = (None, None)
        gallery.image_ready.connect(self._image_ready)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.show_rows(*self._rows)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.left.clear()  # only the images on screen are held
        self.right.clear()

    def show_rows(self, left: object, right: object) -> None:
        self._rows = (left, right)
        for purpose, row, viewer in (
            ("compare-left", left, self.left),
            ("compare-right", right, self.right),
        ):
            valid = isinstance(row, int) and 0 <= row < self.gallery.rowCount()
            tile = self.gallery.tile(row) if valid and isinstance(row, int) else None
            key = None if tile is None else tile.key
            if key == self._wanted[purpose] and viewer.has_image:
                continue
            self._wanted[purpose] = key
            if tile is None or not isinstance(row, int) or tile.path is None:
                viewer.clear()
            elif self.isVisible():
                self.gallery.request_image(purpose, row, viewer.fitting_size())

    def _image_ready(self, purpose: str, key: object, image: QImage) -> None:
        viewer = {"compare-left": self.left, "compare-right": self.right}.get(purpose)
        if viewer is not None and self._wanted.get(purpose) == key:
            viewer.show_image(key, image)
