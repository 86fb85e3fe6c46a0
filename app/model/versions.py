"""The version tree as a Qt item model, and the pictures of versions (decoded off the GUI thread).

One row per version at any depth, under the version it was edited from; the current version is
marked (bold, and ``CURRENT_ROLE``). Thumbnails come from the window's one ``ImageDecoder`` and
are held in a bounded cache; a full-size picture (for Compare) is decoded on request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QFont, QIcon, QImage, QPixmap, QStandardItem, QStandardItemModel

from app.model.images import ImageCache, ImageDecoder
from app.store.versions import VersionTree

IMAGE_ID_ROLE: Final = Qt.ItemDataRole.UserRole + 1
CURRENT_ROLE: Final = Qt.ItemDataRole.UserRole + 2
THUMB_SIDE: Final = 96
_THUMB: Final = "version-thumb"
_FULL: Final = "version-full"


class VersionImages(QObject):
    """Pictures of library images by id: thumbnails (cached) and full images (for Compare)."""

    thumbnail_ready = Signal(int)  # image id
    image_ready = Signal(str, int, QImage)  # purpose, image id, image

    def __init__(self, decoder: ImageDecoder, cache: ImageCache | None = None) -> None:
        super().__init__()
        self._decoder = decoder
        self._cache = cache if cache is not None else ImageCache(16 * 1024 * 1024)
        self._asked: set[int] = set()
        decoder.decoded.connect(self._arrived)

    def thumbnail(self, image_id: int, path: Path) -> QImage | None:
        """The cached thumbnail, else None (and it is decoded: ``thumbnail_ready`` follows)."""
        image = self._cache.get(image_id)
        if image is None and image_id not in self._asked:
            self._asked.add(image_id)
            # Four parts: the gallery's decoder listener ignores keys of that shape.
            self._decoder.submit(
                (_THUMB, "", image_id, 0), path, QSize(THUMB_SIDE * 2, THUMB_SIDE * 2)
            )
        return image

    def request(self, purpose: str, image_id: int, path: Path, fit: QSize | None) -> None:
        self._decoder.submit((_FULL, purpose, image_id, 0), path, fit)

    def _arrived(self, key: object, image: QImage) -> None:
        if not (isinstance(key, tuple) and len(key) == 4 and key[0] in (_THUMB, _FULL)):
            return
        kind, purpose, image_id, _ = key
        if kind == _THUMB:
            self._asked.discard(image_id)
            if not image.isNull():
                self._cache.put(image_id, image)
                self.thumbnail_ready.emit(image_id)
        elif not image.isNull():
            self.image_ready.emit(purpose, image_id, image)


def _icon(picture: QImage) -> QIcon:
    """An icon, so the view draws it at its icon size (a bare image is drawn at its own)."""
    return QIcon(QPixmap.fromImage(picture))


class VersionTreeModel(QStandardItemModel):
    """The tree of the image the edit panel shows; rebuilt when the tree changes."""

    def __init__(self, images: VersionImages) -> None:
        super().__init__()
        self._images = images
        self._items: dict[int, QStandardItem] = {}
        self._paths: dict[int, Path] = {}
        self.tree: VersionTree | None = None
        images.thumbnail_ready.connect(self._thumbnail)

    def show_tree(
        self,
        tree: VersionTree | None,
        labels: dict[int, str],
        tips: dict[int, str] | None = None,
    ) -> None:
        """Rebuild from ``tree``; ``labels`` gives each version's line (number and turn),
        ``tips`` its tooltip (the turn that made it, whole)."""
        self.tree = tree
        self.clear()
        self._items = {}
        self._paths = {}
        if tree is None:
            return
        for version in tree.versions:
            image = version.image
            current = image.id == tree.current_id
            label = labels.get(image.id, str(image.id))
            item = QStandardItem(f"● {label}" if current else label)  # the current version
            item.setEditable(False)
            tip = (tips or {}).get(image.id)
            if tip:
                item.setToolTip(tip)
            item.setData(image.id, IMAGE_ID_ROLE)
            item.setData(current, CURRENT_ROLE)
            if current:
                font = QFont()
                font.setBold(True)
                item.setFont(font)
            self._paths[image.id] = image.path
            picture = self._images.thumbnail(image.id, image.path)
            if picture is not None:
                item.setIcon(_icon(picture))
            parent = self._items.get(image.parent_image_id or -1)
            (parent or self.invisibleRootItem()).appendRow(item)
            self._items[image.id] = item

    def item_of(self, image_id: int) -> QStandardItem | None:
        return self._items.get(image_id)

    def _thumbnail(self, image_id: int) -> None:
        item = self._items.get(image_id)
        if item is not None:
            picture = self._images.thumbnail(image_id, self._paths[image_id])
            if picture is not None:
                item.setIcon(_icon(picture))
