"""The display copy of a mask: a translucent tint, reduced by a whole number to fit the screen.

A mask of 3840x2160 is shown through an overlay of 1920x1080: each overlay pixel is the mean of
a 2x2 block of the mask, tinted (zoomed in past that, the canvas shows one at full resolution).
A change only marks its rectangle out of date; the canvas brings up to date the part it is about
to show (``refresh``), so an overlay not shown costs nothing. That part is redrawn in bands of rows
through work arrays kept from one redraw to the next (fresh arrays of a large image's size cost
more in page faults than the arithmetic does). Two overlay pixels are written as one 64-bit word
looked up from two coverage bytes at once.
"""

from __future__ import annotations

import math
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QRegion

OVERLAY_SIDE: Final = 2048
"""The overlay is the mask reduced by a whole number until its long side fits this."""
COLOUR: Final = QColor(255, 40, 90)
OPACITY: Final = 0.5
BAND_ROWS: Final = 128
"""Overlay rows redrawn at a time: bounds the work arrays to a few megabytes."""
STALE_RECTS: Final = 64
"""Past this many rectangles out of date, their bounding rectangle is redrawn instead (each
redraw has a fixed cost; a stroke's dabs make hundreds of rectangles)."""

Bytes = npt.NDArray[np.uint8]


def tint_words() -> npt.NDArray[np.uint32]:
    """For each coverage value, the overlay's pixel as QImage's ARGB32 premultiplied word."""
    alpha = np.round(np.arange(256, dtype=np.float64) * OPACITY)
    words: npt.NDArray[np.uint32] = alpha.astype(np.uint32) << np.uint32(24)
    for shift, channel in ((16, COLOUR.red()), (8, COLOUR.green()), (0, COLOUR.blue())):
        words |= np.round(alpha * channel / 255).astype(np.uint32) << np.uint32(shift)
    return words


def _pair_words(words: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint64]:
    """For two coverage bytes read as one native 16-bit number, the two words as one 64-bit
    number in the same byte order (so a row of bytes maps onto a row of words)."""
    codes = np.arange(65536, dtype=np.uint16)
    first, second = codes.view(np.uint8).reshape(-1, 2).T  # in memory order
    pairs = np.empty((65536, 2), np.uint32)
    pairs[:, 0], pairs[:, 1] = words[first], words[second]
    return pairs.view(np.uint64).reshape(65536)


class MaskOverlay:
    """The tinted overlay of a mask of ``width`` x ``height``; ``image`` is what is drawn."""

    def __init__(self, width: int, height: int, *, reduction: int | None = None) -> None:
        """``reduction``: a whole number of mask pixels across per overlay pixel (by default
        the least that fits ``OVERLAY_SIDE``)."""
        self.width, self.height = width, height
        fitting = max(1, math.ceil(max(width, height) / OVERLAY_SIDE))
        self.reduction = fitting if reduction is None else max(1, reduction)
        self.columns = math.ceil(width / self.reduction)
        self.rows = math.ceil(height / self.reduction)
        padded = self.columns + self.columns % 2  # whole pairs of pixels, for the 64-bit writes
        self.pixels: npt.NDArray[np.uint32] = np.zeros((self.rows, padded), np.uint32)
        self.image = QImage(
            self.pixels.data,
            self.columns,
            self.rows,
            padded * 4,
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        self._pairs = _pair_words(tint_words())
        self._scratch: dict[str, npt.NDArray[Any]] = {}
        self.stale = QRegion(0, 0, width, height)  # mask pixels changed since they were drawn

    def invalidate(self, rect: QRect) -> None:
        """``rect`` (mask pixels) changed: redrawn when next shown (``refresh``)."""
        self.stale += rect
        if self.stale.rectCount() > STALE_RECTS:  # a long stroke: one rectangle costs less
            self.stale = QRegion(self.stale.boundingRect())

    def refresh(self, mask: Bytes, area: QRect | None = None) -> None:
        """Redraw what changed of ``area`` (mask pixels; all of the mask by default)."""
        todo = self.stale if area is None else self.stale.intersected(area)
        if todo.isEmpty():
            return
        if todo.rectCount() > STALE_RECTS // 4:
            todo = QRegion(todo.boundingRect())
        for rect in todo:  # type: ignore[attr-defined]  # QRegion iterates its rectangles
            self.redraw(mask, rect)
        self.stale -= todo

    def _work(self, name: str, shape: tuple[int, int], dtype: type[np.generic]) -> npt.NDArray[Any]:
        size = shape[0] * shape[1]
        buffer = self._scratch.get(name)
        if buffer is None or buffer.size < size:
            buffer = self._scratch[name] = np.empty(size, dtype)
        return buffer[:size].reshape(shape)

    def redraw(self, mask: Bytes, rect: QRect) -> None:
        """Redraw the overlay pixels that show ``rect`` (image pixels) of ``mask``."""
        k = self.reduction
        padded = self.pixels.shape[1]
        x0 = (rect.left() // k) & ~1
        x1 = min(-(-(rect.right() + 1) // k), padded)
        x1 = min(x1 + (x1 - x0) % 2, padded)
        y0 = max(rect.top() // k, 0)
        y1 = min(-(-(rect.bottom() + 1) // k), self.rows)
        if x1 <= x0 or y1 <= y0:
            return
        words = self.pixels.view(np.uint64)
        for top in range(y0, y1, BAND_ROWS):
            bottom = min(top + BAND_ROWS, y1)
            coverage = self._coverage(mask, top, bottom, x0, x1)
            codes = coverage.view(np.uint16)
            if x0 == 0 and x1 == padded:  # whole rows: straight into the overlay
                np.take(self._pairs, codes, out=words[top:bottom], mode="clip")
            else:
                out = self._work("words", codes.shape, np.uint64)
                np.take(self._pairs, codes, out=out, mode="clip")
                words[top:bottom, x0 // 2 : x1 // 2] = out

    def _coverage(self, mask: Bytes, y0: int, y1: int, x0: int, x1: int) -> Bytes:
        """The mean coverage of each overlay pixel's block, rows y0..y1, columns x0..x1."""
        k = self.reduction
        block = mask[y0 * k : y1 * k, x0 * k : x1 * k]
        rows, columns = (y1 - y0) * k, (x1 - x0) * k
        if block.shape != (rows, columns):  # the image's last blocks, or the padding column
            block = np.pad(
                block, ((0, rows - block.shape[0]), (0, columns - block.shape[1])), mode="edge"
            )
        if k == 1:
            return block if block.ctypes.data % 2 == 0 else block.copy()
        out: Bytes = self._work("coverage", (y1 - y0, x1 - x0), np.uint8)
        if k == 2 and block.ctypes.data % 2 == 0:
            # Each pair of columns read as one 16-bit number: whole rows at a time.
            pairs = block.view(np.uint16)
            across = self._work("across", pairs.shape, np.uint16)
            high = self._work("high", pairs.shape, np.uint16)
            np.bitwise_and(pairs, 0xFF, out=across)
            np.right_shift(pairs, 8, out=high)
            np.add(across, high, out=across)
            total = self._work("total", out.shape, np.uint16)
            np.add(across[0::2], across[1::2], out=total)
        else:
            total = self._work("sums", out.shape, np.uint32)
            total[...] = 0
            for dy in range(k):
                for dx in range(k):
                    np.add(total, block[dy::k, dx::k], out=total)
        np.add(total, (k * k) // 2, out=total)
        np.floor_divide(total, k * k, out=total)
        np.copyto(out, total, casting="unsafe")
        return out
