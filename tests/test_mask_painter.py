"""The mask painter: strokes, eraser, rectangle, lasso, invert, undo/redo and imported masks give
exactly the mask the image API is sent (alpha 0 where painted, the image's size)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.model.mask import MaskModel
from app.ui.mask_canvas import MaskCanvas, Tool
from app.ui.mask_painter import MaskPainter

pytestmark = pytest.mark.gui

WIDTH, HEIGHT = 1536, 1024
Points = list[tuple[float, float]]


@pytest.fixture
def painter(qtbot: QtBot) -> Iterator[MaskPainter]:
    widget = MaskPainter()
    qtbot.addWidget(widget)
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_RGB32)
    image.fill(QColor("#6a7f94"))
    widget.set_mask(MaskModel(QSize(WIDTH, HEIGHT)), image)
    widget.resize(900, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.canvas.fit_to_view()
    yield widget


def mask_of(painter: MaskPainter) -> MaskModel:
    mask = painter.mask_model
    assert mask is not None
    return mask


def sent_alpha(painter: MaskPainter) -> npt.NDArray[np.uint8]:
    """The alpha of the PNG the image API would be sent, checked to be the image's size."""
    with Image.open(io.BytesIO(mask_of(painter).api_mask_png())) as sent:
        assert sent.format == "PNG"
        assert sent.size == (WIDTH, HEIGHT)
        return np.asarray(sent.getchannel("A"))


def drag(
    canvas: MaskCanvas, points: list[QPoint], modifier: Qt.KeyboardModifier | None = None
) -> Points:
    """Press, move through and release at ``points`` (widget pixels); the path in image pixels."""
    keys = modifier if modifier is not None else Qt.KeyboardModifier.NoModifier
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, keys, points[0])
    for point in points[1:]:
        QTest.mouseMove(canvas, point)
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, keys, points[-1])
    return [(p.x(), p.y()) for p in (canvas.to_image(QPointF(q)) for q in points)]


def distance_to_path(path: Points) -> npt.NDArray[np.float64]:
    """Each pixel centre's distance to the polyline ``path`` (image pixels)."""
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float64) + 0.5
    best = np.full((HEIGHT, WIDTH), np.inf)
    for (ax, ay), (bx, by) in zip(path, path[1:] or path, strict=False):
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        t = np.clip(((xs - ax) * dx + (ys - ay) * dy) / length2, 0, 1) if length2 else 0.0
        best = np.minimum(best, np.hypot(xs - ax - t * dx, ys - ay - t * dy))
    return best


def assert_painted_exactly(
    alpha: npt.NDArray[np.uint8], distance: npt.NDArray[np.float64], radius: float
) -> None:
    inside, outside = distance <= radius - 1, distance >= radius
    assert inside.sum() > 1000  # the stroke is really there
    assert (alpha[inside] == 0).all()  # the model may change every pixel under the brush
    assert (alpha[outside] == 255).all()  # and not one pixel beyond it


def test_a_brush_stroke_makes_alpha_0_exactly_where_painted(painter: MaskPainter) -> None:
    painter.size_box.setValue(40)
    assert mask_of(painter).is_empty
    points = [QPoint(150, 200), QPoint(260, 230), QPoint(380, 320), QPoint(420, 330)]
    path = drag(painter.canvas, points)
    assert not mask_of(painter).is_empty
    assert_painted_exactly(sent_alpha(painter), distance_to_path(path), 20)


def test_the_eraser_gives_the_pixels_back(painter: MaskPainter) -> None:
    painter.size_box.setValue(60)
    painted = drag(painter.canvas, [QPoint(150, 300), QPoint(600, 300)])
    painter.actions_by_name["eraser"].trigger()
    painter.size_box.setValue(30)
    erased = drag(painter.canvas, [QPoint(350, 250), QPoint(350, 350)])
    alpha = sent_alpha(painter)
    to_paint, to_erase = distance_to_path(painted), distance_to_path(erased)
    assert (alpha[to_erase <= 14] == 255).all()  # erased: protected again
    kept = (to_paint <= 29) & (to_erase >= 15)
    assert kept.sum() > 1000
    assert (alpha[kept] == 0).all()
    assert (alpha[to_paint >= 30] == 255).all()
    # Alt turns the eraser into the brush for a stroke.
    centre = painter.canvas.to_image(QPointF(350, 300))
    drag(painter.canvas, [QPoint(350, 300), QPoint(351, 300)], Qt.KeyboardModifier.AltModifier)
    assert sent_alpha(painter)[int(centre.y()), int(centre.x())] == 0


def test_rectangle_and_lasso_fill_their_inside(painter: MaskPainter) -> None:
    canvas = painter.canvas
    painter.actions_by_name["rectangle"].trigger()
    corner_path = drag(canvas, [QPoint(100, 100), QPoint(200, 150), QPoint(300, 250)])
    (x0, y0), (x1, y1) = corner_path[0], corner_path[-1]
    alpha = sent_alpha(painter)
    top, bottom, left, right = round(y0), round(y1), round(x0), round(x1)
    assert (alpha[top + 1 : bottom - 1, left + 1 : right - 1] == 0).all()
    outside = np.ones_like(alpha, dtype=bool)
    outside[top - 1 : bottom + 2, left - 1 : right + 2] = False
    assert (alpha[outside] == 255).all()

    painter.actions_by_name["lasso"].trigger()
    corners = [QPoint(500, 100), QPoint(700, 100), QPoint(600, 300)]
    path = drag(canvas, [*corners, QPoint(560, 220), QPoint(520, 140)])
    lasso = sent_alpha(painter).copy()
    lasso[~outside] = 255  # leave the rectangle out of the count
    ys, xs = np.nonzero(lasso < 128)
    assert len(xs) > 1000
    min_x, max_x = min(p[0] for p in path), max(p[0] for p in path)
    min_y, max_y = min(p[1] for p in path), max(p[1] for p in path)
    assert min_x - 1 <= xs.min() and xs.max() <= max_x + 1
    assert min_y - 1 <= ys.min() and ys.max() <= max_y + 1
    (ax, ay), (bx, by), (cx, cy) = path[:3]
    centre = round((ay + by + cy) / 3), round((ax + bx + cx) / 3)
    assert lasso[centre] == 0
    # The lasso's area: the shoelace formula of the points the pointer went through.
    xs_path, ys_path = np.array([p[0] for p in path]), np.array([p[1] for p in path])
    area = 0.5 * abs(np.dot(xs_path, np.roll(ys_path, 1)) - np.dot(ys_path, np.roll(xs_path, 1)))
    assert abs(len(xs) - area) < 0.02 * area


def test_invert_undo_and_redo(painter: MaskPainter, qtbot: QtBot) -> None:
    painter.size_box.setValue(50)
    drag(painter.canvas, [QPoint(200, 200), QPoint(400, 260)])
    stroke = sent_alpha(painter).copy()
    painter.actions_by_name["invert"].trigger()
    assert (sent_alpha(painter) == 255 - stroke).all()
    painter.canvas.setFocus()
    qtbot.waitUntil(painter.canvas.hasFocus)
    QTest.keyClick(painter.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert (sent_alpha(painter) == stroke).all()
    QTest.keyClick(painter.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert (sent_alpha(painter) == 255).all()
    assert mask_of(painter).is_empty
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(painter.canvas, Qt.Key.Key_Z, redo)
    assert (sent_alpha(painter) == stroke).all()
    QTest.keyClick(painter.canvas, Qt.Key.Key_Z, redo)
    assert (sent_alpha(painter) == 255 - stroke).all()
    painter.actions_by_name["clear"].trigger()
    assert mask_of(painter).is_empty
    painter.actions_by_name["undo"].trigger()
    assert (sent_alpha(painter) == 255 - stroke).all()


def test_brackets_change_the_brush_size_and_the_overlay_hides(
    painter: MaskPainter, qtbot: QtBot
) -> None:
    painter.size_box.setValue(50)
    painter.canvas.setFocus()
    qtbot.waitUntil(painter.canvas.hasFocus)
    QTest.keyClick(painter.canvas, Qt.Key.Key_BracketRight)
    assert painter.canvas.brush_size == 60
    QTest.keyClick(painter.canvas, Qt.Key.Key_BracketLeft)
    QTest.keyClick(painter.canvas, Qt.Key.Key_BracketLeft)
    assert painter.canvas.brush_size == 42
    drag(painter.canvas, [QPoint(300, 300), QPoint(301, 300)])
    shown = painter.canvas.grab().toImage().pixelColor(300, 300)
    painter.actions_by_name["overlay"].trigger()
    hidden = painter.canvas.grab().toImage().pixelColor(300, 300)
    assert hidden == QColor("#6a7f94")  # the image itself
    assert shown.red() > hidden.red() + 40  # tinted by the overlay


def test_a_mask_of_another_size_is_scaled_to_the_image(
    painter: MaskPainter, qtbot: QtBot, tmp_path: Path
) -> None:
    file = tmp_path / "small mask.png"
    small = Image.new("RGBA", (768, 512), (0, 0, 0, 255))
    small.paste((0, 0, 0, 0), (100, 50, 300, 250))  # may change: 200x200 at (100, 50)
    small.save(file)
    with qtbot.waitSignal(mask_of(painter).import_finished, timeout=5000):
        painter.import_mask(file)
    alpha = sent_alpha(painter)
    assert (alpha[102:498, 202:598] == 0).all()  # twice the size, at twice the place
    assert (alpha[:98] == 255).all() and (alpha[502:] == 255).all()
    assert (alpha[:, :198] == 255).all() and (alpha[:, 602:] == 255).all()
    assert "768x512" in painter.message.text() and "1536x1024" in painter.message.text()
    painter.actions_by_name["undo"].trigger()
    assert mask_of(painter).is_empty


def test_a_corrupt_mask_file_is_refused_and_loses_nothing(
    painter: MaskPainter, qtbot: QtBot, tmp_path: Path
) -> None:
    painter.size_box.setValue(40)
    drag(painter.canvas, [QPoint(200, 200), QPoint(300, 200)])
    before = sent_alpha(painter).copy()
    broken = tmp_path / "mask.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a picture" * 20)
    with qtbot.waitSignal(mask_of(painter).import_failed, timeout=5000):
        painter.import_mask(broken)
    text = painter.message.text()
    assert "“mask.png” cannot be used as a mask: the file is damaged or incomplete" in text
    assert "unchanged" in text and "object at 0x" not in text
    assert (sent_alpha(painter) == before).all()
    with qtbot.waitSignal(mask_of(painter).import_failed, timeout=5000):
        painter.import_mask(tmp_path / "missing.png")
    assert (
        "“missing.png” cannot be used as a mask: the file cannot be read ("
        in painter.message.text()
    )


def test_a_4k_image_is_shown_through_a_reduced_overlay(qtbot: QtBot) -> None:
    canvas = MaskCanvas()
    qtbot.addWidget(canvas)
    image = QImage(3840, 2160, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    mask = MaskModel(QSize(3840, 2160))
    canvas.set_mask(mask, image)
    assert canvas.reduction == 2
    assert canvas.overlay_image().size() == QSize(1920, 1080)
    canvas.tool = Tool.BRUSH
    mask.begin_stroke(QPointF(1000, 1000), radius=50)
    mask.extend_stroke(QPointF(1200, 1000))
    mask.end_stroke()
    overlay = canvas.overlay_image()
    assert overlay.pixelColor(550, 500).alpha() > 100  # under the stroke, at half the size
    assert overlay.pixelColor(550, 540).alpha() == 0
    assert mask.pixels[1000, 1100] == 255 and mask.pixels[1100, 1100] == 0


def test_switching_images_keeps_a_stroke_in_progress_and_no_image_turns_the_tools_off(
    painter: MaskPainter,
) -> None:
    first = mask_of(painter)
    canvas = painter.canvas
    QTest.mousePress(
        canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(300, 300)
    )
    QTest.mouseMove(canvas, QPoint(400, 300))
    other = QImage(800, 600, QImage.Format.Format_RGB32)
    other.fill(QColor("white"))
    second = MaskModel(QSize(800, 600))
    painter.set_mask(second, other)  # mid-stroke: the stroke is finished on the first mask
    QTest.mouseRelease(
        canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(400, 300)
    )
    assert first.undo_stack.count() == 1 and not first.is_empty
    assert second.is_empty and not first.stroking and not second.stroking
    painter.actions_by_name["undo"].trigger()  # the undo actions follow the mask shown
    assert not first.is_empty and first.undo_stack.canUndo()
    with pytest.raises(ValueError, match="size"):
        painter.set_mask(MaskModel(QSize(10, 10)), other)
    painter.set_mask(None, None)
    assert not painter.actions_by_name["brush"].isEnabled()
    assert not painter.actions_by_name["invert"].isEnabled()
    drag(canvas, [QPoint(100, 100), QPoint(200, 200)])  # nothing to paint on: nothing happens
    assert second.is_empty


def test_zoom_and_pan_keep_painting_where_the_pointer_is(
    painter: MaskPainter, qtbot: QtBot
) -> None:
    canvas = painter.canvas
    fitted = canvas.zoom
    canvas.setFocus()
    qtbot.waitUntil(canvas.hasFocus)
    QTest.mouseMove(canvas, QPoint(300, 300))
    under = canvas.to_image(QPointF(300, 300))
    QTest.keyClick(canvas, Qt.Key.Key_Plus)
    QTest.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas.zoom == pytest.approx(fitted * 1.25**2)
    after = canvas.to_image(QPointF(300, 300))
    assert abs(after.x() - under.x()) < 2 and abs(after.y() - under.y()) < 2  # zoomed about it
    QTest.mousePress(
        canvas, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier, QPoint(300, 300)
    )
    QTest.mouseMove(canvas, QPoint(200, 250))
    QTest.mouseRelease(
        canvas, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier, QPoint(200, 250)
    )
    panned = canvas.to_image(QPointF(200, 250))
    assert (
        abs(panned.x() - after.x()) < 2 and abs(panned.y() - after.y()) < 2
    )  # the image moved along
    assert mask_of(painter).is_empty  # panning paints nothing
    painter.size_box.setValue(10)
    path = drag(canvas, [QPoint(400, 400), QPoint(420, 400)])
    alpha = sent_alpha(painter)
    assert alpha[round(path[0][1]), round((path[0][0] + path[1][0]) / 2)] == 0
    painter.actions_by_name["fit"].trigger()
    assert canvas.zoom == pytest.approx(fitted)


@pytest.mark.parametrize("zoom", [1.0, 2.0])
def test_at_100_percent_and_more_a_4k_overlay_shows_the_mask_pixel_for_pixel(
    qtbot: QtBot, zoom: float
) -> None:
    from app.ui.mask_overlay import tint_words

    canvas = MaskCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(640, 400)
    image = QImage(3840, 2160, QImage.Format.Format_RGB32)
    image.fill(QColor("black"))  # the tint over black is the overlay's own premultiplied pixel
    mask = MaskModel(QSize(3840, 2160))
    canvas.set_mask(mask, image)
    canvas.show()
    qtbot.waitExposed(canvas)
    # Single pixels on and off around the centre: finer than a 2x2 block of a reduced overlay.
    pattern = np.zeros((2160, 3840), np.uint8)
    rng = np.random.default_rng(3)
    pattern[780:1380, 1520:2320] = rng.integers(0, 2, (600, 800), dtype=np.uint8) * 255
    api = np.zeros((2160, 3840, 4), np.uint8)
    api[..., 3] = 255 - pattern  # the API's mask: transparent where painted
    buffer = io.BytesIO()
    Image.fromarray(api, "RGBA").save(buffer, "PNG", compress_level=1)
    mask.load(buffer.getvalue())
    assert (mask.pixels == pattern).all()
    canvas.zoom_by(zoom / canvas.zoom)  # about the centre, which the pattern covers
    assert canvas.zoom == pytest.approx(zoom)

    shown = canvas.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    width, height = shown.width(), shown.height()
    screen = np.frombuffer(shown.constBits(), np.uint32, count=height * shown.bytesPerLine() // 4)
    red = (screen.reshape(height, -1)[:, :width] >> 16) & 0xFF
    ys, xs = np.mgrid[0:height, 0:width]
    corner = canvas.to_image(QPointF(0, 0))
    columns = np.floor(corner.x() + (xs + 0.5) / zoom).astype(int)
    rows = np.floor(corner.y() + (ys + 0.5) / zoom).astype(int)
    assert columns.min() >= 1520 and columns.max() < 2320 and rows.min() >= 780
    assert rows.max() < 1380  # the whole view is over the pattern
    expected = (tint_words()[pattern[rows, columns]] >> 16) & 0xFF
    assert (red == expected).all()
