"""The text blocks: for each, a role, the exact text, its warnings, and buttons to move or remove.

A handful of blocks, so each has its own editor widgets (GUI.md §4). Texts are edited in
QPlainTextEdit, where Chinese input methods compose in place. Keyboard: Alt+Up / Alt+Down move the
block being edited, Ctrl+Shift+Delete removes it, Ctrl+Shift+Enter adds one after it. A block is
also moved by dragging its grip (left of its number) to where it should go: a line shows the place.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QObject, QPoint, Qt
from PySide6.QtGui import (
    QDrag,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.spec import ROLES
from app.model.preview import PreviewModel
from app.model.text_blocks import TextBlocksModel
from app.ui.icons import icon
from app.ui.wording import block_warning_text, role_text

TEXT_LINES = 2  # a block's editor starts two lines high and grows with its text, up to five
BLOCK_MIME = "application/x-zi-studio-text-block"  # a drag's data: the dragged block's row


class _Grip(QToolButton):
    """The handle a block is dragged by (a button only for its look: clicking does nothing)."""

    def __init__(self, row: int, editor: TextBlocksEditor) -> None:
        super().__init__()
        self._row = row
        self._editor = editor
        self._pressed_at: QPoint | None = None
        self.setIcon(icon("drag"))
        self.setAutoRaise(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard moves blocks with Alt+Up/Down
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setToolTip(self.tr("Drag to move this text (or Alt+Up / Alt+Down)"))
        self.setAccessibleName(f"Drag text {row + 1}")

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._pressed_at = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        start = self._pressed_at
        if start is not None and event.buttons() & Qt.MouseButton.LeftButton:
            moved = (event.position().toPoint() - start).manhattanLength()
            if moved >= QApplication.startDragDistance():
                self._pressed_at = None
                self._editor.drag_block(self._row, self)
                return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._pressed_at = None
        super().mouseReleaseEvent(event)


class _BlockRow(QFrame):
    def __init__(self, row: int, blocks: TextBlocksModel, editor: TextBlocksEditor) -> None:
        super().__init__()
        self.row = row
        self._blocks = blocks
        number = row + 1
        block = blocks.block(row)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QGridLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setHorizontalSpacing(4)
        layout.setVerticalSpacing(2)

        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(role_text(role), role)
        self.role.setCurrentIndex(ROLES.index(block.role))
        self.role.setAccessibleName(f"Role {number}")
        self.role.setToolTip(self.tr("Role of text {number}").format(number=number))
        self.role.currentIndexChanged.connect(
            lambda _: blocks.set_role(self.row, self.role.currentData())
        )

        self.text = QPlainTextEdit()
        self.text.setPlainText(block.text)
        self.text.setAccessibleName(f"Text {number}")
        self.text.setPlaceholderText(self.tr("The exact text, as it must appear"))
        self.text.setTabChangesFocus(True)
        self.text.textChanged.connect(lambda: blocks.set_text(self.row, self.text.toPlainText()))
        self.text.textChanged.connect(self._fit_height)
        self.text.installEventFilter(editor)
        self._fit_height()

        self.up = self._button("↑", self.tr("Move up (Alt+Up)"), f"Move text {number} up")
        self.down = self._button("↓", self.tr("Move down (Alt+Down)"), f"Move text {number} down")
        self.remove = self._button(
            "✕", self.tr("Remove (Ctrl+Shift+Delete)"), f"Remove text {number}"
        )
        self.up.clicked.connect(lambda: editor.move_block(self.row, self.row - 1))
        self.down.clicked.connect(lambda: editor.move_block(self.row, self.row + 1))
        self.remove.clicked.connect(lambda: editor.remove_block(self.row))
        self.up.setEnabled(row > 0)
        self.down.setEnabled(row < blocks.rowCount() - 1)

        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setAccessibleName(f"Warning {number}")
        self.warning.setStyleSheet("color: #b45309;")
        self.warning.hide()

        self.grip = _Grip(row, editor)
        label = QLabel(f"{number}")
        label.setMinimumWidth(14)
        number_cell = QHBoxLayout()
        number_cell.setSpacing(0)
        number_cell.addWidget(self.grip)
        number_cell.addWidget(label)
        layout.addLayout(number_cell, 0, 0)
        layout.addWidget(self.role, 0, 1)
        layout.addWidget(self.up, 0, 3)
        layout.addWidget(self.down, 0, 4)
        layout.addWidget(self.remove, 0, 5)
        layout.setColumnStretch(2, 1)
        layout.addWidget(self.text, 1, 0, 1, 6)
        layout.addWidget(self.warning, 2, 0, 1, 6)

    def _button(self, symbol: str, tip: str, name: str) -> QToolButton:
        button = QToolButton()
        button.setText(symbol)
        button.setToolTip(tip)
        button.setAccessibleName(name)
        button.setAutoRaise(True)
        return button

    def _fit_height(self) -> None:
        lines = max(TEXT_LINES, min(5, self.text.document().lineCount()))
        metrics = self.text.fontMetrics()
        self.text.setFixedHeight(lines * metrics.lineSpacing() + 14)

    def show_warnings(self, texts: list[str]) -> None:
        self.warning.setText("\n".join(texts))
        self.warning.setVisible(bool(texts))

    def sync(self) -> None:
        """Show the model's block, leaving the cursor alone when the text is already there."""
        block = self._blocks.block(self.row)
        if self.text.toPlainText() != block.text:
            self.text.setPlainText(block.text)
        index = ROLES.index(block.role)
        if self.role.currentIndex() != index:
            self.role.setCurrentIndex(index)


class TextBlocksEditor(QWidget):
    def __init__(self, blocks: TextBlocksModel, preview: PreviewModel) -> None:
        super().__init__()
        self._blocks = blocks
        self._preview = preview
        self._rows: list[_BlockRow] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._list = QVBoxLayout()
        self._list.setSpacing(4)
        layout.addLayout(self._list)
        self.add_button = QPushButton(icon("add"), self.tr("Add text"))
        self.add_button.setAccessibleName("Add text")
        self.add_button.setToolTip(self.tr("Add a text block (Ctrl+Shift+Enter)"))
        self.add_button.clicked.connect(lambda: self.add_block(None))
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.setAcceptDrops(True)
        self._drop_line = QFrame(self)  # where a dragged block would land
        self._drop_line.setFrameShape(QFrame.Shape.NoFrame)
        self._drop_line.setAutoFillBackground(True)
        self._drop_line.setBackgroundRole(self.palette().ColorRole.Highlight)
        self._drop_line.hide()
        for signal in (blocks.rowsInserted, blocks.rowsRemoved, blocks.rowsMoved):
            signal.connect(self._rebuild)
        blocks.modelReset.connect(self._rebuild)
        blocks.dataChanged.connect(self._sync)
        preview.block_warnings_changed.connect(self._show_warnings)
        self._rebuild()

    def editor(self, row: int) -> QPlainTextEdit:
        return self._rows[row].text

    def add_block(self, after: int | None) -> None:
        row = self._blocks.add(row=None if after is None else after + 1)
        self._rows[row].text.setFocus()

    def remove_block(self, row: int) -> None:
        self._blocks.remove(row)
        if self._rows:
            self._rows[min(row, len(self._rows) - 1)].text.setFocus()
        else:
            self.add_button.setFocus()

    def move_block(self, row: int, to: int) -> None:
        if self._blocks.move(row, to):
            self._rows[to].text.setFocus()

    # Dragging a block by its grip
    def drag_block(self, row: int, grip: QWidget) -> None:
        """Start dragging the block at ``row`` (its grip was pulled); a drop here moves it."""
        data = QMimeData()
        data.setData(BLOCK_MIME, QByteArray(str(row).encode()))
        drag = QDrag(grip)
        drag.setMimeData(data)
        drag.setPixmap(self._rows[row].grab().scaledToWidth(240))
        drag.exec(Qt.DropAction.MoveAction)

    def _dragged_row(self, event: QDropEvent) -> int | None:
        """The row a drag carries, when it is one of this editor's blocks."""
        source = event.source()
        if not event.mimeData().hasFormat(BLOCK_MIME) or not isinstance(source, QWidget):
            return None
        if not self.isAncestorOf(source):
            return None
        try:
            row = int(bytes(event.mimeData().data(BLOCK_MIME).data()).decode())
        except ValueError:
            return None
        return row if 0 <= row < len(self._rows) else None

    def _gap_at(self, y: int) -> int:
        """The gap between blocks nearest to ``y``: 0 before the first, N after the last."""
        return sum(1 for r in self._rows if r.geometry().center().y() < y)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dragged_row(event) is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self._show_drop_line(self._gap_at(event.position().toPoint().y()))

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._dragged_row(event) is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self._show_drop_line(self._gap_at(event.position().toPoint().y()))

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._drop_line.hide()
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self._drop_line.hide()
        row = self._dragged_row(event)
        if row is None:
            event.ignore()
            return
        gap = self._gap_at(event.position().toPoint().y())
        to = gap - 1 if gap > row else gap  # the gaps after a block count it once more
        event.acceptProposedAction()
        self.move_block(row, to)

    def _show_drop_line(self, gap: int) -> None:
        if not self._rows:
            return
        spacing = self._list.spacing()
        if gap < len(self._rows):
            y = self._rows[gap].geometry().top() - spacing // 2 - 1
        else:
            y = self._rows[-1].geometry().bottom() + spacing // 2
        self._drop_line.setGeometry(0, max(0, y), self.width(), 2)
        self._drop_line.raise_()
        self._drop_line.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            row = next((r.row for r in self._rows if r.text is watched), None)
            if row is not None and self._key(row, event):
                return True
        return super().eventFilter(watched, event)

    def _key(self, row: int, event: QKeyEvent) -> bool:
        key, mods = event.key(), event.modifiers()
        alt = mods == Qt.KeyboardModifier.AltModifier
        ctrl_shift = mods == (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        )
        if alt and key == Qt.Key.Key_Up:
            self.move_block(row, row - 1)
        elif alt and key == Qt.Key.Key_Down:
            self.move_block(row, row + 1)
        elif ctrl_shift and key == Qt.Key.Key_Delete:
            self.remove_block(row)
        elif ctrl_shift and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.add_block(row)
        else:
            return False
        return True

    def _rebuild(self, *_: object) -> None:
        for old in self._rows:
            self._list.removeWidget(old)
            old.hide()
            old.setParent(None)  # out of the tree at once: automation must not find two "Text 1"
            old.deleteLater()
        self._rows = [_BlockRow(row, self._blocks, self) for row in range(self._blocks.rowCount())]
        for row_widget in self._rows:
            self._list.addWidget(row_widget)
        self._show_warnings(self._preview.block_warnings)

    def _sync(self, *_: object) -> None:
        for row_widget in self._rows:
            row_widget.sync()

    def _show_warnings(self, warnings: object) -> None:
        if not isinstance(warnings, tuple):
            return
        for row_widget, problems in zip(self._rows, warnings, strict=False):
            row_widget.show_warnings([block_warning_text(code, v) for code, v in problems])
