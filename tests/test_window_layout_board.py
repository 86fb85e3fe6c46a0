"""The layout board in the window: drag, resize, snap, nudge, undo, selection both ways, the
typesetter's previews, and the selected block's typography."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.core.snapping import Guide
from app.core.spec import TextBlock
from app.main import Studio
from app.model import layout_board as board_module
from app.ui.layout_board import LayoutBoard

pytestmark = pytest.mark.gui
Modifier = Qt.KeyboardModifier


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        QTest.qWait(20)


def set_up(studio: Studio) -> LayoutBoard:
    studio.builder.use_ratio("3:4")  # 768x1024
    studio.builder.blocks.set_blocks([
        TextBlock("headline", "春日限定", box=(0.1, 0.1, 0.4, 0.2)),
        TextBlock("subhead", "茉莉花茶 新品上市"),  # at its role's default place
        TextBlock("price", "¥19.9", box=(0.6, 0.7, 0.3, 0.1)),
    ])  # fmt: skip
    window = studio.window
    window.tabs.setCurrentWidget(window.layout_page)
    view = window.layout_page.board_view
    wait_for(lambda: view.isVisible() and view.scale_factor() > 0.1)
    return view


def _mouse(view: LayoutBoard, kind: QEvent.Type, scene: QPointF, buttons: Qt.MouseButton,
           modifiers: Qt.KeyboardModifier) -> None:  # fmt: skip
    point = QPointF(view.mapFromScene(scene))
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    global_point = QPointF(view.viewport().mapToGlobal(point.toPoint()))
    event = QMouseEvent(kind, point, global_point, button, buttons, modifiers)
    QApplication.sendEvent(view.viewport(), event)


def drag(view: LayoutBoard, start: QPointF, end: QPointF, modifiers: Modifier = Modifier.NoModifier,
         ) -> None:  # fmt: skip
    """Press at ``start`` (scene, canvas pixels), move in steps to ``end``, release there."""
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    _mouse(view, QEvent.Type.MouseButtonPress, start, left, modifiers)
    for step in range(1, 6):
        _mouse(view, QEvent.Type.MouseMove, start + (end - start) * (step / 5), left, modifiers)
    _mouse(view, QEvent.Type.MouseButtonRelease, end, none, modifiers)


def box(studio: Studio, row: int) -> tuple[float, float, float, float]:
    found = studio.builder.blocks.block(row).box
    assert found is not None
    return found


def test_dragging_a_box_moves_the_block_in_the_spec_and_undo_puts_it_back(studio: Studio) -> None:
    view = set_up(studio)
    # From inside the headline's box (below the subhead's), 100 px right and 170 px down, to
    # where no line is near enough to snap to.
    drag(view, QPointF(150, 250), QPointF(250, 420))
    x, y, w, h = box(studio, 0)
    assert (x, y) == pytest.approx((0.1 + 100 / 768, 0.1 + 170 / 1024), abs=2 / 768)
    assert (w, h) == pytest.approx((0.4, 0.2))
    assert studio.builder.spec().texts[0].box == (x, y, w, h)  # what Generate would send
    studio.preview.recompute()
    assert f"left {round(x * 100)}%, top {round(y * 100)}%" in studio.preview.prompt
    assert studio.layout_board.selected_row() == 0
    studio.window.layout_page.undo.trigger()
    assert box(studio, 0) == (0.1, 0.1, 0.4, 0.2)
    studio.window.layout_page.redo.trigger()
    assert box(studio, 0) == (x, y, w, h)


def test_a_block_at_its_default_place_gets_a_box_when_dragged(studio: Studio) -> None:
    view = set_up(studio)
    assert studio.builder.blocks.block(1).box is None
    before = studio.layout_board.boxes()[1]
    centre = view.box_rect(before).center()
    drag(view, centre, centre + QPointF(0, 230), Modifier.AltModifier)  # Alt: no snapping
    x, y, _, _ = box(studio, 1)
    assert x == pytest.approx(before[0], abs=1e-3)
    assert y == pytest.approx(before[1] + 230 / 1024, abs=2 / 1024)


def test_a_move_snaps_to_the_centre_line_unless_alt_is_held(studio: Studio) -> None:
    view = set_up(studio)
    # The headline (0.1..0.5 wide) moved so that its centre lands 10 canvas px (about 4 on
    # screen) right of the canvas's centre line: it snaps onto it; the guide shows while dragging.
    start = QPointF(0.3 * 768, 0.25 * 1024)
    drag(view, start, start + QPointF(0.2 * 768 + 10, 0))
    x, _, w, _ = box(studio, 0)
    assert x + w / 2 == pytest.approx(0.5, abs=1e-4)
    # Without snapping (Alt) the same move stays off the line (a screen pixel is 2.2 canvas px).
    studio.window.layout_page.undo.trigger()
    drag(view, start, start + QPointF(0.2 * 768 + 10, 0), Modifier.AltModifier)
    x, _, w, _ = box(studio, 0)
    assert (x + w / 2) * 768 == pytest.approx(394, abs=2.5)


def test_a_snapped_drag_shows_its_guide_until_released(studio: Studio) -> None:
    view = set_up(studio)
    start = QPointF(0.3 * 768, 0.25 * 1024)
    left = Qt.MouseButton.LeftButton
    _mouse(view, QEvent.Type.MouseButtonPress, start, left, Modifier.NoModifier)
    _mouse(view, QEvent.Type.MouseMove, start + QPointF(0.2 * 768 + 10, 0), left,
           Modifier.NoModifier)  # fmt: skip
    assert Guide("x", 0.5) in view._guides
    _mouse(view, QEvent.Type.MouseButtonRelease, start, Qt.MouseButton.NoButton,
           Modifier.NoModifier)  # fmt: skip
    assert view._guides == ()


def test_handles_resize_the_selected_box(studio: Studio) -> None:
    view = set_up(studio)
    studio.layout_board.select(0)
    # The bottom-right handle of the headline box (0.1..0.5 x 0.1..0.3): 60 px wider, 40 taller.
    corner = QPointF(0.5 * 768, 0.3 * 1024)
    drag(view, corner, corner + QPointF(60, 40), Modifier.AltModifier)
    x, y, w, h = box(studio, 0)
    assert (x, y) == pytest.approx((0.1, 0.1), abs=1e-3)
    assert (w, h) == pytest.approx((0.4 + 60 / 768, 0.2 + 40 / 1024), abs=2 / 768)
    # The left edge's handle, dragged past the canvas: it stops at the edge.
    middle_left = QPointF(0.1 * 768, 0.2 * 1024 + 20)
    drag(view, middle_left, middle_left - QPointF(200, 0))
    x2, y2, w2, _ = box(studio, 0)
    assert x2 == 0.0 and y2 == pytest.approx(0.1, abs=1e-3)
    assert x2 + w2 == pytest.approx(x + w, abs=1e-3)


def test_arrow_keys_nudge_the_selected_box_as_one_undo_step(studio: Studio) -> None:
    view = set_up(studio)
    studio.layout_board.select(2)
    view.setFocus()
    QTest.keyClick(view.viewport(), Qt.Key.Key_Right)
    QTest.keyClick(view.viewport(), Qt.Key.Key_Right)
    QTest.keyClick(view.viewport(), Qt.Key.Key_Down, Modifier.ShiftModifier)
    x, y, _, _ = box(studio, 2)
    assert x == pytest.approx(0.6 + 2 / 768, abs=1e-4)
    assert y == pytest.approx(0.7 + 10 / 1024, abs=1e-4)
    studio.window.layout_page.undo.trigger()
    assert box(studio, 2) == (0.6, 0.7, 0.3, 0.1)


def test_selection_follows_between_the_board_and_the_builder(studio: Studio) -> None:
    view = set_up(studio)
    texts = studio.window.builder_panel.texts
    price = view.items_by_row()[2]
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Modifier.NoModifier,
                     view.mapFromScene(price.rect.center()))  # fmt: skip
    assert studio.layout_board.selected_row() == 2
    assert texts.row_widget(2).property("selected") is True
    assert texts.row_widget(0).property("selected") is not True
    assert view.scene().selectedItems() == [price]

    texts.editor(0).setFocus()
    wait_for(lambda: texts.editor(0).hasFocus())
    assert studio.layout_board.selected_row() == 0
    assert view.scene().selectedItems() == [view.items_by_row()[0]]
    assert texts.row_widget(0).property("selected") is True

    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Modifier.NoModifier,
                     QPoint(2, 2))  # the grey around the canvas: nothing selected  # fmt: skip
    assert studio.layout_board.selected_row() is None
    assert texts.row_widget(0).property("selected") is not True


def _inked(image: QImage) -> int:
    alpha = image.convertToFormat(QImage.Format.Format_Alpha8)
    data = bytes(alpha.constBits())[: alpha.sizeInBytes()]
    return sum(1 for value in data if value > 128)


def test_boxes_show_the_typesetters_text_drawn_off_the_gui_thread(
    studio: Studio, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    real = board_module.render_block

    def recording(*args: object) -> object:
        threads.append(threading.current_thread())
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(board_module, "render_block", recording)
    view = set_up(studio)
    item = view.items_by_row()[0]
    wait_for(lambda: all(i._preview is not None for i in view.items_by_row()))
    assert threads and threading.main_thread() not in threads
    first = item._preview
    assert first is not None and _inked(first.toImage()) > 500

    studio.builder.blocks.set_text(0, "春")  # one character: set larger, so more ink
    wait_for(lambda: item._preview is not first)
    assert item._preview is not None and _inked(item._preview.toImage()) != _inked(first.toImage())


def test_the_typography_bar_changes_the_selected_block_undoably(studio: Studio) -> None:
    set_up(studio)
    bar = studio.window.layout_page.typography
    assert not bar.vertical.isEnabled()  # nothing selected yet
    studio.layout_board.select(0)
    assert bar.vertical.isEnabled() and not bar.vertical.isChecked()
    bar.vertical.click()
    bar.outline.click()
    bar.weight.setCurrentIndex(bar.weight.findData(900))
    bar.weight.activated.emit(bar.weight.currentIndex())
    block = studio.builder.spec().texts[0]
    assert block.vertical and block.stroke is not None and block.weight == 900
    studio.preview.recompute()
    assert "vertical" in studio.preview.prompt
    studio.window.layout_page.undo.trigger()  # the weight
    studio.window.layout_page.undo.trigger()  # the outline
    block = studio.builder.blocks.block(0)
    assert block.vertical and block.stroke is None and block.weight is None
    assert bar.vertical.isChecked() and not bar.outline.isChecked()
    assert bar.weight.currentData() is None


def _ink_lightness(image: QImage) -> float:
    """The mean lightness (0..255) of a preview's opaque pixels."""
    pixels = image.convertToFormat(QImage.Format.Format_RGBA8888)
    data = bytes(pixels.constBits())[: pixels.sizeInBytes()]
    inked = [data[i : i + 3] for i in range(0, len(data), 4) if data[i + 3] > 200]
    assert inked
    return sum(sum(rgb) / 3 for rgb in inked) / len(inked)


def test_the_underlay_shows_a_texts_free_background_and_the_text_turns_light_on_dark(
    studio: Studio, tmp_path: Path
) -> None:
    view = set_up(studio)
    composite = tmp_path / "poster.png"
    Image.new("RGB", (768, 1024), "#f8f8f8").save(composite)  # the composite: light
    Image.new("RGB", (768, 1024), "#101820").save(tmp_path / "poster.background.png")  # dark
    Image.new("RGBA", (768, 1024)).save(tmp_path / "poster.layer.png")
    board = studio.layout_board
    item = view.items_by_row()[0]
    wait_for(lambda: item._preview is not None)
    assert item._preview is not None and _ink_lightness(item._preview.toImage()) < 80

    studio.window.layout_page.underlay.click()
    assert board.show_underlay
    board.set_underlay_source(composite)
    wait_for(lambda: board.underlay is not None)
    assert board.underlay is not None
    assert board.underlay.size().toTuple() == (768, 1024)
    assert QColor(board.underlay.pixel(10, 10)).name() == "#101820"  # the background, not it
    wait_for(lambda: item._preview is not None and _ink_lightness(item._preview.toImage()) > 170)

    studio.window.layout_page.underlay.click()  # off again: the plain canvas
    wait_for(lambda: board.underlay is None)
