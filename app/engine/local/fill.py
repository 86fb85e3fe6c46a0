"""The editable part of an edited image painted over from its surroundings, as a model does
before it draws there: whatever text stood in it is gone, and nothing outside it changes.

Each editable pixel takes the colours of the nearest kept background pixels to its left, right,
above and below, weighted by how near each is, and smoothed across neighbouring lines. A kept
pixel far from the colours around it is ink (say of another text the mask cuts) and is passed
over, with its edges. So a flat background stays flat, a gradient carries on across the cleared
part, and the fill meets its surroundings without a seam. The fill is smooth, so it is worked out
on a small copy of a window around the editable part and enlarged; the kept pixels are then
painted back over it at full size, exactly.
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
_SEEN: Final = 128  # a small pixel half of the base or more counts as known
# A known pixel this far (on any channel) from the median of its tile is ink (another text's
# strokes cut by the mask), not background, and is not carried into the fill.
_TILE: Final = 64
_OFF_BACKGROUND: Final = 24
_SMOOTH: Final = 4  # the samples of neighbouring lines are averaged this far either side


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


def _box(values: np.ndarray, axis: int) -> np.ndarray:
    """``values`` averaged over ``_SMOOTH`` pixels either side along ``axis`` (0 or 1)."""
    length = values.shape[axis]
    sums = np.cumsum(values, axis=axis, dtype=np.float32)
    zero = np.zeros_like(np.take(sums, [0], axis=axis))
    sums = np.concatenate([zero, sums], axis=axis)
    low = np.clip(np.arange(length) - _SMOOTH, 0, length)
    high = np.clip(np.arange(length) + _SMOOTH + 1, 0, length)
    count = (high - low).astype(np.float32)
    shape = [1] * values.ndim
    shape[axis] = length
    window = np.take(sums, high, axis=axis) - np.take(sums, low, axis=axis)
    return window / count.reshape(shape)


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
            # Smoothed across the lines, so that no single pixel draws a streak.
            across = 1 - axis
            total += _box(picked * near[..., None], across)
            weight += _box(near, across)
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


def _background(colours: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """The known pixels that look like background: near the median colour of the known pixels
    of their tile (strokes are the minority around a text)."""
    height, width = seen.shape
    rows, columns = -(-height // _TILE), -(-width // _TILE)
    padded = np.full((rows * _TILE, columns * _TILE, 3), np.inf, np.float32)
    padded[:height, :width] = np.where(seen[..., None], colours, np.inf)
    tiles = padded.reshape(rows, _TILE, columns, _TILE, 3).transpose(0, 2, 1, 3, 4)
    tiles = tiles.reshape(rows, columns, _TILE * _TILE, 3)
    counts = np.isfinite(tiles[..., 0]).sum(axis=2)
    middle = (np.maximum(counts, 1) - 1) // 2
    ordered = np.sort(tiles, axis=2)  # unknown pixels (inf) sort last
    median = np.take_along_axis(ordered, middle[:, :, None, None], axis=2)[:, :, 0, :]
    around = np.repeat(np.repeat(median, _TILE, axis=0), _TILE, axis=1)[:height, :width]
    ink = seen & (np.abs(colours - around).max(axis=2) > _OFF_BACKGROUND)
    # The pixels around ink are its antialiased edges and the gaps between strokes: passed over too.
    inked = ink.astype(np.float32)
    near_ink = _box(_box(inked, 0), 1) > 0
    usable = seen & ~near_ink
    return usable if usable.any() else seen


def _filled_small(known: QImage) -> QImage | None:
    """``known`` (premultiplied; alpha = how much of a pixel is known), small, its unknown
    pixels filled; None when no pixel is known."""
    pixels = _pixels(known)
    alpha = pixels[..., 3]
    seen = alpha >= _SEEN
    colours = pixels[..., :3] * (255.0 / np.maximum(alpha, 1.0))[..., None]
    if not seen.any():
        return None
    filled = _interpolated(colours, _background(colours, seen))
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
