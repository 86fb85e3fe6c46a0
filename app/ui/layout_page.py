"""The canvas's Layout tab: the board, the selected block's look under it, and undo for both."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QToolButton, QVBoxLayout, QWidget

from app.model.layout_board import LayoutBoardModel
from app.model.properties import bind
from app.ui.icons import icon
from app.ui.layout_board import LayoutBoard
from app.ui.typography_bar import TypographyBar


class LayoutPage(QWidget):
    def __init__(self, board: LayoutBoardModel) -> None:
        super().__init__()
        self.board_view = LayoutBoard(board)
        self.typography = TypographyBar(board, board.font_families)
        self.undo = board.undo_stack.createUndoAction(self, self.tr("Undo"))
        self.undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo = board.undo_stack.createRedoAction(self, self.tr("Redo"))
        self.redo.setShortcut(QKeySequence.StandardKey.Redo)
        tool_buttons = QWidget()
        tools = QHBoxLayout(tool_buttons)
        tools.setContentsMargins(0, 0, 4, 0)
        for action, name in ((self.undo, "undo"), (self.redo, "redo")):
            # Ctrl+Z here undoes the board's moves; elsewhere it is the focused editor's own.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setIcon(icon(name))
            self.addAction(action)
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAccessibleName(f"Layout {name}")
            button.setAutoRaise(True)
            tools.addWidget(button)
        self.underlay = QToolButton()
        self.underlay.setIcon(icon("image"))
        self.underlay.setCheckable(True)
        self.underlay.setAutoRaise(True)
        self.underlay.setAccessibleName("Layout underlay")
        self.underlay.setToolTip(
            self.tr(
                "Show the selected variation under the boxes (an exact-text image: its text-free "
                "background, so the board shows the composite as it would be set now)"
            )
        )
        bind(board, "show_underlay", self.underlay.setChecked, self.underlay.toggled)
        tools.insertWidget(0, self.underlay)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        self.typography.add_tools(tool_buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.board_view, 1)
        layout.addWidget(line)
        layout.addWidget(self.typography)
