"""Text blocks move by dragging their grip: a drop lands the block in the gap under the pointer."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDrag, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from app.main import Studio
from app.ui.text_blocks_editor import BLOCK_MIME, TextBlocksEditor

pytestmark = pytest.mark.gui


def named(studio: Studio, name: str) -> QWidget:
    found = [w for w in studio.window.findChildren(QWidget) if w.accessibleName() == name]
    assert len(found) == 1, f"{len(found)} widgets named {name!r}"
    return found[0]


def _editor(studio: Studio) -> TextBlocksEditor:
    editor = studio.window.findChild(TextBlocksEditor)
    assert editor is not None
    return editor


def _drop(editor: TextBlocksEditor, row: int, at: QPoint, source: QWidget) -> bool:
    """Deliver what a drag of block ``row`` released at ``at`` sends; True when accepted."""
    data = QMimeData()
    data.setData(BLOCK_MIME, QByteArray(str(row).encode()))
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    action = Qt.DropAction.MoveAction
    move = QDragMoveEvent(at, action, data, buttons, mods)
    drop = QDropEvent(QPointF(at), action, data, buttons, mods)
    # Qt fills in the source of a real drag; these events carry the grip that started it.
    for event in (move, drop):
        event.source = lambda: source  # type: ignore[method-assign]
    editor.dragMoveEvent(move)
    if not move.isAccepted():
        return False
    editor.dropEvent(drop)
    return drop.isAccepted()


def _texts(studio: Studio) -> list[str]:
    return [block.text for block in studio.builder.blocks.blocks()]


def _three(studio: Studio) -> TextBlocksEditor:
    for role, text in (("headline", "一"), ("subhead", "二"), ("body", "三")):
        studio.builder.blocks.add(role, text)
    editor = _editor(studio)
    QApplication.processEvents()  # laid out
    return editor


def test_dropping_a_block_below_another_moves_it_there(studio: Studio) -> None:
    editor = _three(studio)
    grip = named(studio, "Drag text 1")
    last = named(studio, "Text 3").parentWidget()
    assert last is not None
    below_last = QPoint(10, last.geometry().bottom() - 2)

    assert _drop(editor, 0, below_last, grip)

    assert _texts(studio) == ["二", "三", "一"]
    assert named(studio, "Text 3").toPlainText() == "一"  # type: ignore[attr-defined]


def test_dropping_a_block_above_the_first_moves_it_to_the_top(studio: Studio) -> None:
    editor = _three(studio)
    first = named(studio, "Text 1").parentWidget()
    assert first is not None
    above_first = QPoint(10, first.geometry().top() + 2)

    assert _drop(editor, 2, above_first, named(studio, "Drag text 3"))

    assert _texts(studio) == ["三", "一", "二"]
    assert named(studio, "Role 1").currentData() == "body"  # type: ignore[attr-defined]


def test_a_drop_in_its_own_place_or_from_elsewhere_changes_nothing(studio: Studio) -> None:
    editor = _three(studio)
    second = named(studio, "Text 2").parentWidget()
    assert second is not None
    own_place = QPoint(10, second.geometry().top() + 2)
    assert _drop(editor, 1, own_place, named(studio, "Drag text 2"))
    assert _texts(studio) == ["一", "二", "三"]

    stranger = QWidget()  # another window's drag with the same data is not ours to take
    assert not _drop(editor, 0, own_place, stranger)
    assert _texts(studio) == ["一", "二", "三"]


def test_pulling_a_grip_starts_a_move_drag_of_its_block(
    studio: Studio, monkeypatch: pytest.MonkeyPatch, qloop: asyncio.AbstractEventLoop
) -> None:
    _three(studio)
    started: list[tuple[bytes, Qt.DropAction]] = []

    def fake_exec(drag: QDrag, action: Qt.DropAction = Qt.DropAction.MoveAction) -> None:
        started.append((bytes(drag.mimeData().data(BLOCK_MIME).data()), action))

    monkeypatch.setattr(QDrag, "exec", fake_exec)
    grip = named(studio, "Drag text 2")
    QTest.mousePress(grip, Qt.MouseButton.LeftButton, pos=QPoint(4, 4))
    QTest.mouseMove(grip, QPoint(4, 4 + 3 * QApplication.startDragDistance()))

    assert started == [(b"1", Qt.DropAction.MoveAction)]
