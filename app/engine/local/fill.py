"""The editable part of an edited image painted over from its surroundings, as a model does
before it draws there: whatever text stood in it is gone, and nothing outside it changes.

Each editable pixel takes the colours of the nearest kept pixels to its left, right, above and
below, weighted by how near each is: a flat background stays flat, a gradient carries on across
the cleared part, and the fill meets its surroundings without a seam. The fill is smooth, so it is
worked out on a small copy of a window around the editable part and enlarged; the kept pixels are
then painted back over it at full size, exactly.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage, QPainter

_PREMULTIPLIED: Final = QImage.Format.Format_ARGB32_Premultiplied
_ALPHA8: Final = QImage.Format.Format_Alpha8
_PAINTABLE: Final = (_PREMULTIPLIED, QImage.Format.Format_RGB32, QImage.Format.Format_ARGB32)
# The surroundings the fill draws on: a ring this part of the editable part's shorter side wide.
_RING: Final = 0.25
_MIN_RING: Final = 16
_WORK_EDGE: Final = 512  # the fill is worked out this small (it is smooth), then enlarged
_SEEN: Final = 8  # a small pixel this opaque has enough of the base in it to count as known


def editable_bounds(keep: QImage) -> QRect | None:
    """The smallest rectangle holding every pixel of ``keep`` (Alpha8) below 255, or None."""
    alpha = keep if keep.format() == _ALPHA8 else keep.convertToFormat(_ALPHA8)
    rows = np.frombuffer(alpha.constBits(), np.uint8, alpha.sizeInBytes())
    values = rows.reshape(alpha.height(), alpha.bytesPerLine())[:, : alpha.width()]
    editable = values < 255
    across = np.flatnonzero(editable.any(axis=0))
    if across.size == 0:
        return None
    down = np.flatnonzero(editable.any(axis=1))
    left, right = int(across[0]), int(across[-1])
    top, bottom = int(down[0]), int(down[-1])
    return QRect(left, top, right - left + 1, bottom - top + 1)


def _pixels(image: QImage) -> np.ndarray:
    """An ARGB32 (premultiplied) image as a height x width x 4 array (B, G, R, A), copied."""
    data = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
    rows = data.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 4]
    return rows.reshape(image.height(), image.width(), 4).astype(np.float32)


def _nearest(known: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """For every pixel, the index of the nearest known pixel before it and after it along
    ``axis`` (-1 and ``length`` when there is none)."""
    length = known.shape[axis]
    shape = [1, 1]
    shape[axis] = length
    places = np.arange(length).reshape(shape)
    before = np.maximum.accumulate(np.where(known, places, -1), axis=axis)
    flipped = np.flip(np.where(known, places, length), axis=axis)
    after = np.flip(np.minimum.accumulate(flipped, axis=axis), axis=axis)
    return before, after


def _interpolated(colours: np.ndarray, known: np.ndarray) -> np.ndarray | None:
    """``colours`` (h x w x 3) with every unknown pixel set to the known pixels nearest to it
    left, right, above and below, each weighted by how near it is; None when none is known."""
    if not known.any():
        return None
    height, width = known.shape
    total = np.zeros((height, width, 3), np.float32)
    weight = np.zeros((height, width), np.float32)
    rows = np.arange(height)[:, None]
    columns = np.arange(width)[None, :]
    for axis, here, length in ((1, columns, width), (0, rows, height)):
        for found in _nearest(known, axis):
            present = (found >= 0) & (found < length)
            at = np.clip(found, 0, length - 1)
            picked = colours[rows, at] if axis == 1 else colours[at, columns]
            near = np.where(present, 1.0 / np.maximum(1, np.abs(here - found)), 0.0)
            total += picked * near[..., None]
            weight += near
    mean = colours[known].mean(axis=0)  # for pixels no known pixel lines up with
    filled = np.where(weight[..., None] > 0, total / np.maximum(weight, 1e-6)[..., None], mean)
    return np.where(known[..., None], colours, filled)


def _image(colours: np.ndarray) -> QImage:
    """An opaque premultiplied QImage from an h x w x 3 array of B, G, R."""
    height, width, _ = colours.shape
    pixels = np.empty((height, width, 4), np.uint8)
    pixels[..., :3] = np.clip(np.rint(colours), 0, 255)
    pixels[..., 3] = 255
    image = QImage(pixels.data, width, height, width * 4, _PREMULTIPLIED)
    return image.copy()  # off the array's memory


def _filled_small(known: QImage) -> QImage | None:
    """``known`` (premultiplied; alpha = how much of a pixel is known), small, its unknown
    pixels filled; None when no pixel is known."""
    pixels = _pixels(known)
    alpha = pixels[..., 3]
    seen = alpha >= _SEEN
    colours = pixels[..., :3] * (255.0 / np.maximum(alpha, 1.0))[..., None]
    filled = _interpolated(colours, seen)
    return None if filled is None else _image(filled)


def fill_editable(base: QImage, keep: QImage) -> QImage:
    """``base`` (opaque) with its editable part, where ``keep`` (Alpha8, its size) is below 255,
    painted over from the surroundings; where ``keep`` is 255 the pixels are exactly the base's.
    Returns ``base`` itself when nothing is editable or nothing around it is known."""
    bounds = editable_bounds(keep)
    if bounds is None:
        return base
    ring = max(_MIN_RING, round(_RING * min(bounds.width(), bounds.height())))
    window = bounds.adjusted(-ring, -ring, ring, ring).intersected(base.rect())
    known = base.copy(window).convertToFormat(_PREMULTIPLIED)
    weights = keep.copy(window).convertToFormat(_PREMULTIPLIED)  # black, with keep as its alpha
    painter = QPainter(known)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_DestinationIn)
    painter.drawImage(0, 0, weights)
    painter.end()
    factor = max(1.0, max(window.width(), window.height()) / _WORK_EDGE)
    small = known.scaled(
        max(1, round(window.width() / factor)),
        max(1, round(window.height() / factor)),
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    pulled = _filled_small(small)
    if pulled is None:
        return base
    filled = pulled.scaled(
        window.width(),
        window.height(),
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    painter = QPainter(filled)
    painter.drawImage(0, 0, known)  # the base, exactly, wherever it is kept
    painter.end()
    result = base.copy() if base.format() in _PAINTABLE else base.convertToFormat(_PREMULTIPLIED)
    painter = QPainter(result)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
    painter.drawImage(QPoint(window.left(), window.top()), filled)
    painter.end()
    return result


def cleared(base: QImage, keep: QImage) -> QImage:
    """``base`` with its editable part made transparent (a transparent draft's fill): what
    surrounds a text on a transparent image is mostly nothing."""
    result = base.convertToFormat(_PREMULTIPLIED)
    painter = QPainter(result)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_DestinationIn)
    painter.drawImage(0, 0, keep.convertToFormat(_PREMULTIPLIED))
    painter.end()
    return result
