"""The mask's display overlay: each pixel the tinted mean of its block of the mask, whatever
rectangles were redrawn, for images of any size (odd ones, and ones reduced by 2 or 3)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QRect

from app.ui.mask_overlay import MaskOverlay, tint_words


def expected(mask: npt.NDArray[np.uint8], k: int) -> npt.NDArray[np.uint32]:
    height, width = mask.shape
    rows, columns = -(-height // k), -(-width // k)
    padded = np.pad(mask, ((0, rows * k - height), (0, columns * k - width)), mode="edge")
    sums = padded.reshape(rows, k, columns, k).astype(np.uint32).sum(axis=(1, 3))
    means = (sums + (k * k) // 2) // (k * k)
    words: npt.NDArray[np.uint32] = tint_words()[means]
    return words


@settings(max_examples=30, deadline=None)
@given(
    st.sampled_from([(7, 5), (64, 33), (2049, 11), (4100, 9), (6145, 7)]),
    st.integers(0, 2**32 - 1),
    st.lists(
        st.tuples(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1)), max_size=4
    ),
)
def test_the_overlay_is_the_tinted_block_mean_of_the_mask(
    size: tuple[int, int], seed: int, rects: list[tuple[float, float, float, float]]
) -> None:
    width, height = size
    overlay = MaskOverlay(width, height)
    assert overlay.reduction == -(-max(width, height) // 2048)
    rng = np.random.default_rng(seed)
    mask = np.zeros((height, width), np.uint8)
    for a, b, c, d in rects:  # change a rectangle, redraw only it
        left, right = sorted((int(a * width), int(b * width)))
        top, bottom = sorted((int(c * height), int(d * height)))
        mask[top : bottom + 1, left : right + 1] = rng.integers(
            0,
            256,
            (min(bottom, height - 1) - top + 1, min(right, width - 1) - left + 1),
            dtype=np.uint8,
        )
        overlay.redraw(mask, QRect(left, top, right - left + 1, bottom - top + 1))
    overlay.redraw(mask, QRect(0, 0, 1, 1))
    shown = overlay.pixels[:, : overlay.columns]
    assert shown.shape == (overlay.rows, overlay.columns)
    assert (shown == expected(mask, overlay.reduction)).all()
    assert overlay.image.width() == overlay.columns and overlay.image.height() == overlay.rows


def test_a_whole_redraw_of_a_4k_mask_matches(qapp: object) -> None:
    rng = np.random.default_rng(7)
    mask = rng.integers(0, 256, (2160, 3840), dtype=np.uint8)
    overlay = MaskOverlay(3840, 2160)
    overlay.redraw(mask, QRect(0, 0, 3840, 2160))
    assert (overlay.pixels == expected(mask, 2)).all()
    pixel = overlay.image.pixelColor(100, 50)
    assert pixel.alpha() == round(round((mask[100:102, 200:202].astype(int).sum() + 2) // 4) * 0.5)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 200), st.sampled_from([1, 2, 3]))
def test_changes_marked_then_refreshed_where_shown_match_the_mask(
    seed: int, changes: int, reduction: int
) -> None:
    width, height = 301, 203
    overlay = MaskOverlay(width, height, reduction=reduction)
    rng = np.random.default_rng(seed)
    mask = np.zeros((height, width), np.uint8)
    overlay.refresh(mask)
    for _ in range(changes):  # many small changes: past the cap they merge into one rectangle
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        w, h = int(rng.integers(1, 40)), int(rng.integers(1, 40))
        mask[y : y + h, x : x + w] = rng.integers(0, 256, dtype=np.uint8)
        overlay.invalidate(QRect(x, y, w, h))
    overlay.refresh(mask, QRect(0, 0, width // 2, height))  # the part shown first
    overlay.refresh(mask)
    assert overlay.stale.isEmpty()
    assert (overlay.pixels[:, : overlay.columns] == expected(mask, reduction)).all()
