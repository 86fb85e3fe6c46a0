"""Images for the window, decoded off the GUI thread and held in a bounded cache.

``ImageDecoder`` turns bytes or a file into a ``QImage`` scaled to fit a box, on worker threads
(``QImageReader``; PySide6 releases the interpreter lock while Qt decodes), and hands the result to
the GUI thread through a queued signal. QPixmaps are made from these on the GUI thread only.
``ImageCache`` keeps the most recently used images and drops the oldest past its budget, so the
window's memory does not grow with the number of images in a session.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Final

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader

from app.model.tasks import background_priority

THUMBNAIL_SIDE: Final = 320  # tiles are drawn up to 160 px wide, twice that on a HiDPI screen
CACHE_BYTES: Final = 64 * 1024 * 1024


def read_image(source: bytes | Path, fit: QSize | None) -> QImage:
    """Decode ``source``; with ``fit``, scaled (keeping its shape) to fit in it. Null on failure."""
    if isinstance(source, Path):
        reader = QImageReader(str(source))
        buffer = None
    else:
        buffer = QBuffer()
        buffer.setData(QByteArray(source))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    if fit is not None:
        full = reader.size()
        if full.isValid() and (full.width() > fit.width() or full.height() > fit.height()):
            reader.setScaledSize(full.scaled(fit, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if buffer is not None:
        buffer.close()
    return image


class ImageDecoder(QObject):
    """Decodes on worker threads; ``decoded(key, image)`` arrives on the GUI thread."""

    decoded = Signal(object, QImage)

    def __init__(self, *, workers: int = 1) -> None:
        super().__init__()
        # One worker: decoding a 4K PNG takes a core for ~100 ms, and the GUI thread needs one.
        self._pool = ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="zi-decode", initializer=background_priority
        )
        self._closed = False
        self._latest: dict[Hashable, Hashable] = {}

    def submit(
        self,
        key: Hashable,
        source: bytes | Path,
        fit: QSize | None,
        *,
        group: Hashable | None = None,
    ) -> None:
        """Decode ``source`` for ``key``. Within a ``group`` (a tile) only the newest request is
        decoded: a partial image superseded before its turn is skipped."""
        if self._closed:
            return
        if group is not None:
            self._latest[group] = key
        self._pool.submit(self._decode, key, source, fit, group)

    def _decode(
        self, key: Hashable, source: bytes | Path, fit: QSize | None, group: Hashable | None
    ) -> None:
        if group is not None and self._latest.get(group) != key:
            return
        image = read_image(source, fit)
        if not self._closed:
            self.decoded.emit(key, image)  # queued: the receiver lives on the GUI thread

    def shutdown(self) -> None:
        self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)


class ImageCache:
    """The most recently used images, within a budget of bytes."""

    def __init__(self, budget: int = CACHE_BYTES) -> None:
        self.budget = budget
        self._images: OrderedDict[Hashable, QImage] = OrderedDict()
        self._bytes = 0

    def get(self, key: Hashable) -> QImage | None:
        image = self._images.get(key)
        if image is not None:
            self._images.move_to_end(key)
        return image

    def put(self, key: Hashable, image: QImage) -> None:
        self.discard(key)
        self._images[key] = image
        self._bytes += image.sizeInBytes()
        while self._bytes > self.budget and len(self._images) > 1:
            _, oldest = self._images.popitem(last=False)
            self._bytes -= oldest.sizeInBytes()

    def discard(self, key: Hashable) -> None:
        old = self._images.pop(key, None)
        if old is not None:
            self._bytes -= old.sizeInBytes()

    def __contains__(self, key: Hashable) -> bool:
        return key in self._images

    def __len__(self) -> int:
        return len(self._images)

    @property
    def size_in_bytes(self) -> int:
        return self._bytes
