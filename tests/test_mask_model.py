"""The mask model: soft and hard strokes, undo of strokes across tiles, emptiness, stored masks,
and agreement with what paste-back reads as the editable area."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from PySide6.QtCore import QPointF, QRectF, QSize
from PySide6.QtGui import QPolygonF
from pytestqt.qtbot import QtBot

from app.core.pasteback import editable_area
from app.model.mask import TILE, MaskImportError, MaskModel, read_mask_file

pytestmark = pytest.mark.gui


def stroke(mask: MaskModel, points: list[tuple[float, float]], **brush: float | bool) -> None:
    first, *rest = (QPointF(x, y) for x, y in points)
    mask.begin_stroke(first, **brush)  # type: ignore[arg-type]
    for point in rest:
        mask.extend_stroke(point)
    mask.end_stroke()


def test_a_soft_brush_fades_from_full_to_nothing(qapp: object) -> None:
    mask = MaskModel(QSize(400, 200))
    stroke(mask, [(100, 100), (300, 100)], radius=40, hardness=0.25)
    column = mask.pixels[:, 200].astype(int)  # across the stroke, at its middle
    assert column[100] == 255 and column[99] == 255  # full within hardness x radius (10 px)
    below = column[100:150]
    assert (np.diff(below) <= 0).all()  # falls off steadily
    assert 0 < below[30] < 255  # partly painted between 10 and 40 pixels out
    assert below[41] == 0 and column[59] == 0  # and nothing beyond the radius
    # Painting the same place again never darkens or streaks: coverage is a maximum.
    before = mask.pixels.copy()
    stroke(mask, [(100, 100), (300, 100)], radius=40, hardness=0.25)
    assert (mask.pixels == before).all()


def test_undo_puts_back_every_tile_a_long_stroke_crossed(qapp: object) -> None:
    mask = MaskModel(QSize(1000, 700))
    mask.fill_rect(QRectF(50, 50, 300, 300))
    first = mask.pixels.copy()
    points = [(10 + i * 9.7, 350 + 300 * np.sin(i / 9)) for i in range(100)]
    stroke(mask, points, radius=25, erase=False)
    stroke(mask, [(0, 0), (999, 699)], radius=60, erase=True)
    after = mask.pixels.copy()
    assert not (after == first).all()
    mask.undo_stack.undo()
    mask.undo_stack.undo()
    assert (mask.pixels == first).all()
    mask.undo_stack.redo()
    mask.undo_stack.redo()
    assert (mask.pixels == after).all()
    assert mask.undo_stack.count() == 3
    assert TILE < 1000  # the strokes crossed many tiles


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.tuples(st.floats(-50, 350), st.floats(-50, 250)), min_size=1, max_size=6),
            st.floats(0.5, 80),
            st.floats(0, 1),
            st.booleans(),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_any_strokes_undo_to_nothing_and_redo_to_the_same(
    qapp: object, strokes: list[tuple[list[tuple[float, float]], float, float, bool]]
) -> None:
    mask = MaskModel(QSize(301, 203))  # not a multiple of the tile size, nor of 4
    for points, radius, hardness, erase in strokes:
        stroke(mask, points, radius=radius, hardness=hardness, erase=erase)
    painted = mask.pixels.copy()
    while mask.undo_stack.canUndo():
        mask.undo_stack.undo()
    assert not mask.pixels.any() and mask.is_empty
    while mask.undo_stack.canRedo():
        mask.undo_stack.redo()
    assert (mask.pixels == painted).all()
    assert mask.is_empty == (not painted.any())


def test_empty_changes_are_signalled_once_each(qapp: object, qtbot: QtBot) -> None:
    mask = MaskModel(QSize(200, 100))
    seen: list[bool] = []
    mask.empty_changed.connect(seen.append)
    stroke(mask, [(50, 50), (60, 50)], radius=10)
    stroke(mask, [(70, 50), (80, 50)], radius=10)
    mask.clear()
    mask.clear()  # already clear: nothing on the undo stack, no signal
    assert seen == [False, True]
    assert mask.undo_stack.count() == 3
    mask.fill_polygon(QPolygonF([QPointF(10, 10), QPointF(90, 10), QPointF(50, 90)]))
    mask.fill_rect(QRectF(0, 0, 100, 100), erase=True)  # whole pixels: no antialiased edge
    assert seen == [False, True, False, True]


def test_the_sent_mask_is_what_paste_back_protects(qapp: object) -> None:
    mask = MaskModel(QSize(640, 480))
    stroke(mask, [(100, 100), (500, 380)], radius=30)
    mask.fill_rect(QRectF(400, 20, 200, 100))
    mask.invert()
    encode = mask.api_mask_encoder()
    sent = mask.api_mask_png()
    mask.clear()  # the encoder took its copy before
    assert encode() == sent
    mask.undo_stack.undo()
    with Image.open(io.BytesIO(sent)) as image:
        editable = np.asarray(editable_area(image))
    assert ((editable == 255) == (mask.pixels >= 128)).all()
    # A stored mask comes back as it was sent, with no undo history.
    again = MaskModel(QSize(640, 480))
    again.load(sent)
    assert (again.pixels == mask.pixels).all()
    assert again.undo_stack.count() == 0 and not again.is_empty


def test_greyscale_masks_read_black_as_editable_and_bad_data_is_refused(qapp: object) -> None:
    grey = Image.new("L", (100, 50), 255)
    grey.paste(0, (10, 10, 30, 20))
    buffer = io.BytesIO()
    grey.save(buffer, "PNG")
    pixels, report = read_mask_file(buffer.getvalue(), QSize(100, 50), "grey.png")
    assert pixels[15, 20] == 255 and pixels[40, 80] == 0 and not report.scaled
    with pytest.raises(MaskImportError) as refused:
        read_mask_file(b"GIF89a broken", QSize(100, 50), "broken.gif")
    assert (refused.value.path, refused.value.code) == ("broken.gif", "not-image")
    with pytest.raises(MaskImportError) as refused:
        read_mask_file(
            b"\x89PNG\r\n\x1a\n" + b"not really a picture" * 20, QSize(100, 50), "cut.png"
        )
    assert refused.value.code == "damaged" and refused.value.detail
    with pytest.raises(MaskImportError) as refused:
        read_mask_file(b"", QSize(100, 50), "empty.png")
    assert refused.value.code == "empty"
    with pytest.raises(ValueError, match="0x10"):
        MaskModel(QSize(0, 10))


def test_the_image_copy_is_the_mask_at_full_size(qapp: object) -> None:
    mask = MaskModel(QSize(1537, 1023))  # odd sizes: rows are padded in memory
    stroke(mask, [(1500, 1000), (1530, 1010)], radius=5)
    image = mask.image()
    assert image.size() == QSize(1537, 1023)
    assert image.pixelColor(1515, 1005).red() == 255 and image.pixelColor(10, 10).red() == 0
    mask.begin_stroke(QPointF(10.5, 10.5), radius=3)
    assert image.pixelColor(10, 10).red() == 0  # a copy: later strokes do not reach it
    mask.end_stroke()
    assert mask.image().pixelColor(10, 10).red() == 255
