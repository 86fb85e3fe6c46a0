"""The mask painted over an image: which of its pixels an edit may change.

The mask is held at the image's full size as 8-bit coverage — 255 where painted (the model may
change the pixel), 0 where protected, in between where a soft brush partly painted — in a numpy
array whose rows a Grayscale8 QImage can wrap. Every change (a stroke, a filled rectangle or
lasso, invert, clear, an imported mask) is a command on ``undo_stack``.

Painting never touches the whole image: a stroke is rendered as the pointer moves, one segment at
a time, into that segment's bounding rectangle only. A segment is the brush swept from one point
to the next (a capsule) whose coverage falls from full at ``hardness`` x radius to none at the
radius; it is combined by maximum (paint) or minimum (erase), so overlapping segments never
darken or streak. The pixels a stroke is about to change are saved tile by tile the first time it
reaches them, and the stroke's undo command holds only those tiles. ``changed`` carries the
rectangle that changed, so a view redraws only that.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt
from PIL import Image, UnidentifiedImageError
from PySide6.QtCore import QObject, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPolygonF, QUndoCommand, QUndoStack

from app.core.pasteback import api_mask, painted_coverage
from app.model.tasks import background_priority

Pixels = npt.NDArray[np.uint8]

TILE: Final = 128
"""Side of the tiles a stroke saves before it changes them (what its undo restores)."""
UNDO_LIMIT: Final = 100
MAX_RADIUS: Final = 1000.0

_importer = ThreadPoolExecutor(
    max_workers=1, thread_name_prefix="zi-mask", initializer=background_priority
)


class MaskImportError(Exception):
    """A mask file that cannot be used. ``code`` says why, for the window to word: ``empty``,
    ``not-image``, ``damaged``, ``too-large`` or ``unreadable`` (``detail``: the system's
    reason)."""

    def __init__(self, path: str, code: str, detail: str = "") -> None:
        super().__init__(f"{path}: {code} {detail}".strip())
        self.path = path
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class MaskImport:
    path: str
    width: int
    height: int
    """The file's own size; it was scaled to the image's when it differs."""
    scaled: bool


def read_mask_file(data: bytes, size: QSize, path: str = "") -> tuple[Pixels, MaskImport]:
    """Decode a mask image (the API's format: transparent, or black in a greyscale image, where
    the model may change pixels) into coverage at ``size``; safe on a worker thread."""
    if not data:
        raise MaskImportError(path, "empty")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            coverage = painted_coverage(image)
    except UnidentifiedImageError:
        raise MaskImportError(path, "not-image") from None
    except Image.DecompressionBombError:
        raise MaskImportError(path, "too-large") from None
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise MaskImportError(path, "damaged", str(error)) from None
    original = coverage.size
    target = (size.width(), size.height())
    if original != target:
        coverage = coverage.resize(target, Image.Resampling.BILINEAR)
    pixels = np.asarray(coverage, dtype=np.uint8).copy()
    return pixels, MaskImport(path, original[0], original[1], original != target)


class MaskModel(QObject):
    """The mask of one image; see the module's docstring."""

    changed = Signal(QRect)  # the image rectangle whose pixels changed
    empty_changed = Signal(bool)
    import_finished = Signal(object)  # MaskImport
    import_failed = Signal(str, str, str)  # path, MaskImportError's code and detail
    _decoded = Signal(object)  # from the import thread: (pixels, MaskImport) or MaskImportError

    def __init__(self, size: QSize, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if size.width() <= 0 or size.height() <= 0:
            raise ValueError(f"a mask needs a size, not {size.width()}x{size.height()}")
        self._size = QSize(size)
        # Rows padded to 4 bytes, as a QImage wants its scanlines.
        self._stride = (size.width() + 3) & ~3
        self._buffer: Pixels = np.zeros((size.height(), self._stride), np.uint8)
        self.pixels: Pixels = self._buffer[:, : size.width()]
        """The coverage, rows by columns (read it; change it only through the methods)."""
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(UNDO_LIMIT)
        self._empty = True
        self._stroke: _Stroke | None = None
        self._capsule = _Capsule()
        self._decoded.connect(self._apply_import, Qt.ConnectionType.QueuedConnection)

    # -- reading --------------------------------------------------------------------------

    @property
    def size(self) -> QSize:
        return QSize(self._size)

    @property
    def is_empty(self) -> bool:
        """Nothing painted: an edit would be sent without a mask."""
        return self._empty

    def image(self, rect: QRect | None = None) -> QImage:
        """A Grayscale8 copy of the mask (255 where painted), or of ``rect`` of it."""
        whole = QRect(0, 0, self._size.width(), self._size.height())
        area = whole if rect is None else rect.intersected(whole)
        if area.isEmpty():
            return QImage()
        rows = self._buffer[area.top() : area.bottom() + 1]
        view = QImage(rows.data, self._stride, area.height(), self._stride, _GREY)
        return view.copy(area.left(), 0, area.width(), area.height())

    def coverage(self) -> Image.Image:
        """A copy of the mask as a Pillow L image (plain data: safe to hand to a worker)."""
        height, width = self.pixels.shape
        return Image.frombytes("L", (width, height), self.pixels.tobytes())

    def api_mask_png(self) -> bytes:
        """The mask as the image API takes it: a PNG of the image's size, alpha 0 where painted.
        Encoding takes a while on a large image (most of a second at 3840x2160): on the GUI
        thread, prefer ``api_mask_encoder``."""
        return api_mask(self.coverage())

    def api_mask_encoder(self) -> Callable[[], bytes]:
        """A function that makes ``api_mask_png()`` of the mask as it is now, to run on a worker
        thread (the copy it encodes is taken here, in a few milliseconds)."""
        coverage = self.coverage()
        return lambda: api_mask(coverage)

    # -- strokes --------------------------------------------------------------------------

    def begin_stroke(
        self, point: QPointF, *, radius: float, hardness: float = 1.0, erase: bool = False
    ) -> None:
        """Start a brush (or eraser) stroke at ``point`` (image pixels); ``hardness`` 0..1."""
        if self._stroke is not None:
            self.end_stroke()
        radius = min(max(radius, 0.5), MAX_RADIUS)
        self._stroke = _Stroke(radius, min(max(hardness, 0.0), 1.0), erase, point)
        self._render_segment(point, point)

    def extend_stroke(self, point: QPointF) -> None:
        stroke = self._stroke
        if stroke is None:
            return
        self._render_segment(stroke.last, point)
        stroke.last = point

    def end_stroke(self) -> None:
        """Finish the stroke: it becomes one step on the undo stack."""
        stroke, self._stroke = self._stroke, None
        if stroke is None or stroke.bounds.isEmpty():
            return
        tiles = [(y, x, before, self._tile(y, x).copy()) for (y, x), before in stroke.saved.items()]
        text = self.tr("Erase") if stroke.erase else self.tr("Brush stroke")
        self.undo_stack.push(_TilesCommand(self, text, tiles, stroke.bounds, done=True))
        self._refresh_empty()

    @property
    def stroking(self) -> bool:
        return self._stroke is not None

    def _render_segment(self, a: QPointF, b: QPointF) -> None:
        stroke = self._stroke
        assert stroke is not None
        r = stroke.radius
        left = int(np.floor(min(a.x(), b.x()) - r - 1))
        top = int(np.floor(min(a.y(), b.y()) - r - 1))
        right = int(np.ceil(max(a.x(), b.x()) + r + 1))
        bottom = int(np.ceil(max(a.y(), b.y()) + r + 1))
        left, top = max(left, 0), max(top, 0)
        right, bottom = min(right, self._size.width()), min(bottom, self._size.height())
        if right <= left or bottom <= top:
            return
        rect = QRect(left, top, right - left, bottom - top)
        self._save_tiles(stroke, rect)
        coverage = self._capsule.render(a, b, r, stroke.hardness, rect)
        region = self.pixels[top:bottom, left:right]
        if stroke.erase:
            np.minimum(region, 255 - coverage, out=region)
        else:
            np.maximum(region, coverage, out=region)
        stroke.bounds = stroke.bounds.united(rect)
        self.changed.emit(rect)

    def _save_tiles(self, stroke: _Stroke, rect: QRect) -> None:
        for ty in range(rect.top() // TILE, rect.bottom() // TILE + 1):
            for tx in range(rect.left() // TILE, rect.right() // TILE + 1):
                key = (ty * TILE, tx * TILE)
                if key not in stroke.saved:
                    stroke.saved[key] = self._tile(*key).copy()

    def _tile(self, y: int, x: int) -> Pixels:
        return self.pixels[y : y + TILE, x : x + TILE]

    # -- whole-area commands ----------------------------------------------------------------

    def fill_rect(self, rect: QRectF, *, erase: bool = False) -> None:
        """Paint (or erase) a rectangle given in image pixels."""
        self.fill_polygon(QPolygonF(rect.normalized()), erase=erase, text=self.tr("Rectangle"))

    def fill_polygon(self, polygon: QPolygonF, *, erase: bool = False, text: str = "") -> None:
        """Paint (or erase) the inside of a closed polygon (the lasso), edges antialiased."""
        whole = QRect(0, 0, self._size.width(), self._size.height())
        rect = polygon.boundingRect().toAlignedRect().adjusted(-1, -1, 1, 1).intersected(whole)
        if rect.isEmpty() or polygon.size() < 3:
            return
        shape = QImage(rect.width(), rect.height(), _GREY)
        shape.fill(0)
        painter = QPainter(shape)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255))
        painter.translate(-rect.left(), -rect.top())
        painter.drawPolygon(polygon, Qt.FillRule.WindingFill)
        painter.end()
        coverage = np.frombuffer(shape.constBits(), np.uint8).reshape(
            rect.height(), shape.bytesPerLine()
        )[:, : rect.width()]
        region = self.pixels[rect.top() : rect.bottom() + 1, rect.left() : rect.right() + 1]
        after = np.minimum(region, 255 - coverage) if erase else np.maximum(region, coverage)
        if np.array_equal(after, region):
            return
        text = text or self.tr("Lasso")
        tile = (rect.top(), rect.left(), region.copy(), after)
        self.undo_stack.push(_TilesCommand(self, text, [tile], rect))

    def invert(self) -> None:
        self.undo_stack.push(_InvertCommand(self, self.tr("Invert mask")))

    def clear(self) -> None:
        if not self._empty:
            self._replace(np.zeros_like(self.pixels), self.tr("Clear mask"))

    def import_file(self, path: str | Path) -> MaskImport:
        """Import a mask image file now (scaled to the image when its size differs);
        ``MaskImportError`` when it cannot be used."""
        pixels, report = self._read(path)
        self._replace(pixels, self.tr("Import mask"))
        return report

    def request_import(self, path: str | Path) -> None:
        """Import a mask image file, read and scaled on a worker thread; ``import_finished`` or
        ``import_failed`` follows."""

        def work() -> None:
            try:
                self._decoded.emit(self._read(path))
            except MaskImportError as error:
                self._decoded.emit(error)

        _importer.submit(work)

    def _read(self, path: str | Path) -> tuple[Pixels, MaskImport]:
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise MaskImportError(str(path), "unreadable", error.strerror or str(error)) from None
        return read_mask_file(data, self._size, str(path))

    def _apply_import(self, result: object) -> None:
        if isinstance(result, MaskImportError):
            self.import_failed.emit(result.path, result.code, result.detail)
            return
        assert isinstance(result, tuple)
        pixels, report = result
        self._replace(pixels, self.tr("Import mask"))
        self.import_finished.emit(report)

    def load(self, api_mask_png: bytes) -> None:
        """Show a stored mask (the API's format) as this one, with no undo history."""
        pixels, _ = read_mask_file(api_mask_png, self._size)
        self.undo_stack.clear()
        self._write(0, 0, pixels)
        self._finish(self._whole())

    def _replace(self, pixels: Pixels, text: str) -> None:
        tile = (0, 0, self.pixels.copy(), pixels)
        self.undo_stack.push(_TilesCommand(self, text, [tile], self._whole()))

    # -- for the commands -----------------------------------------------------------------

    def _whole(self) -> QRect:
        return QRect(0, 0, self._size.width(), self._size.height())

    def _write(self, y: int, x: int, pixels: Pixels) -> None:
        height, width = pixels.shape
        self.pixels[y : y + height, x : x + width] = pixels

    def _invert_pixels(self) -> None:
        np.subtract(255, self.pixels, out=self.pixels)
        self._finish(self._whole())

    def _finish(self, rect: QRect) -> None:
        self.changed.emit(rect)
        self._refresh_empty()

    def _refresh_empty(self) -> None:
        empty = not bool(self.pixels.any())
        if empty != self._empty:
            self._empty = empty
            self.empty_changed.emit(empty)


_GREY: Final = QImage.Format.Format_Grayscale8


class _Stroke:
    def __init__(self, radius: float, hardness: float, erase: bool, start: QPointF) -> None:
        self.radius = radius
        self.hardness = hardness
        self.erase = erase
        self.last = start
        self.bounds = QRect()
        self.saved: dict[tuple[int, int], Pixels] = {}  # tile origin (y, x) -> pixels before


class _Capsule:
    """Renders a brush of ``radius`` swept from ``a`` to ``b`` as coverage (0..255) over a
    rectangle: full out to ``hardness`` x radius (at most radius - 1, for an antialiased edge),
    none beyond the radius; pixel (x, y) is sampled at its centre.

    The work arrays are kept from one segment to the next: fresh ones of a large brush's size
    cost more in page faults than the arithmetic does."""

    def __init__(self) -> None:
        self._floats: npt.NDArray[np.float32] = np.empty(0, np.float32)
        self._bytes: Pixels = np.empty(0, np.uint8)

    def _scratch(self, height: int, width: int) -> tuple[npt.NDArray[np.float32], ...]:
        size = height * width
        if self._floats.size < 3 * size:
            self._floats = np.empty(3 * size, np.float32)
            self._bytes = np.empty(size, np.uint8)
        return tuple(
            self._floats[i * size : (i + 1) * size].reshape(height, width) for i in range(3)
        )

    def render(self, a: QPointF, b: QPointF, radius: float, hardness: float, rect: QRect) -> Pixels:
        height, width = rect.height(), rect.width()
        along, distance, work = self._scratch(height, width)
        xs = np.arange(rect.left(), rect.right() + 1, dtype=np.float32) + np.float32(0.5 - a.x())
        ys = (np.arange(rect.top(), rect.bottom() + 1, dtype=np.float32) + np.float32(0.5 - a.y()))[
            :, None
        ]
        dx, dy = np.float32(b.x() - a.x()), np.float32(b.y() - a.y())
        length2 = dx * dx + dy * dy
        # Squared distance to the segment: |p|^2 - t (2 p.d - t |d|^2), t = p.d / |d|^2 in 0..1.
        np.add(xs * xs, ys * ys, out=distance)
        if length2 > 1e-9:
            np.add(xs * dx, ys * dy, out=along)
            np.multiply(along, np.float32(1.0 / length2), out=work)
            np.clip(work, 0.0, 1.0, out=work)
            along *= np.float32(2.0 / length2)  # (2 p.d - t |d|^2) t = (2 p.d / |d|^2 - t) t |d|^2
            along -= work
            along *= work
            along *= length2
            distance -= along
            np.maximum(distance, 0.0, out=distance)
        np.sqrt(distance, out=distance)
        # Coverage (radius - d) * 255 / edge, as -d * k + (radius * k + 0.5) rounded.
        k = np.float32(255.0 / max(radius * (1.0 - hardness), 1.0))
        distance *= -k
        distance += np.float32(radius) * k + np.float32(0.5)
        np.clip(distance, 0.0, 255.0, out=distance)
        coverage = self._bytes[: height * width].reshape(height, width)
        np.copyto(coverage, distance, casting="unsafe")
        return coverage


Tile = tuple[int, int, Pixels, Pixels]  # origin y, x; pixels before; pixels after


class _TilesCommand(QUndoCommand):
    """Puts back (undo) or writes again (redo) the rectangles a change touched."""

    def __init__(
        self, mask: MaskModel, text: str, tiles: Iterable[Tile], rect: QRect, *, done: bool = False
    ) -> None:
        super().__init__(text)
        self._mask = mask
        self._tiles = list(tiles)
        self._rect = QRect(rect)
        self._done = done  # a stroke is already on the mask when it is pushed

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        for y, x, _, after in self._tiles:
            self._mask._write(y, x, after)
        self._mask._finish(self._rect)

    def undo(self) -> None:
        for y, x, before, _ in self._tiles:
            self._mask._write(y, x, before)
        self._mask._finish(self._rect)


class _InvertCommand(QUndoCommand):
    def __init__(self, mask: MaskModel, text: str) -> None:
        super().__init__(text)
        self._mask = mask

    def redo(self) -> None:
        self._mask._invert_pixels()

    def undo(self) -> None:
        self._mask._invert_pixels()
