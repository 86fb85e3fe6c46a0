"""The version tree of the selected image: one row per version under the one it was edited from,
the current one in bold with a mark; continue from any version, revert to it, compare two."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.model.edit_session import EditSession
from app.model.versions import CURRENT_ROLE, IMAGE_ID_ROLE


class VersionTreeView(QWidget):
    def __init__(self, session: EditSession) -> None:
        super().__init__()
        self.session = session
        self.tree = QTreeView()
        self.tree.setAccessibleName("Versions")
        self.tree.setModel(session.versions)
        self.tree.setHeaderHidden(True)
        self.tree.setIconSize(QSize(32, 32))
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.tree.doubleClicked.connect(lambda index: self.continue_from())

        self.continue_action = self._action(
            "continue", self.tr("Continue from here"),
            self.tr("Make this version current: the next edit starts from it (a new branch)"),
            self.continue_from, "Continue from version",
        )  # fmt: skip
        self.revert_action = self._action(
            "revert", self.tr("Revert"),
            self.tr("Go back to this version: it becomes the current one; nothing is deleted"),
            self.revert, "Revert to version",
        )  # fmt: skip
        self.compare_action = self._action(
            "compare", self.tr("Compare"),
            self.tr("Compare the two selected versions, or the selected one with the current"),
            self.compare, "Compare versions",
        )  # fmt: skip
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for action in (self.continue_action, self.revert_action, self.compare_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setAccessibleName(action.objectName())
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)

        session.versions.modelReset.connect(self._rebuilt)
        session.versions.rowsInserted.connect(lambda *_: self.tree.expandAll())
        self.tree.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self._update()

    def _action(
        self, name: str, text: str, tip: str, slot: Callable[[], object], accessible: str
    ) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.setObjectName(accessible)
        action.triggered.connect(slot)
        self.tree.addAction(action)
        return action

    def selected_ids(self) -> list[int]:
        rows = self.tree.selectionModel().selectedIndexes()
        return [int(index.data(IMAGE_ID_ROLE)) for index in rows if index.data(IMAGE_ID_ROLE)]

    def select(self, image_id: int) -> None:
        item = self.session.versions.item_of(image_id)
        if item is not None:
            self.tree.setCurrentIndex(item.index())

    def continue_from(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.session.make_current(ids[0])

    def revert(self) -> None:
        self.continue_from()  # the same move, said as going back

    def compare(self) -> None:
        ids = self.selected_ids()
        tree = self.session.tree
        if len(ids) >= 2:
            self.session.compare(ids[0], ids[1])
        elif len(ids) == 1 and tree is not None and ids[0] != tree.current_id:
            self.session.compare(tree.current_id, ids[0])

    def _rebuilt(self) -> None:
        self.tree.expandAll()
        tree = self.session.tree
        if tree is not None:
            self._mark_current(self.tree.rootIndex())
        self._update()

    def _mark_current(self, parent: QModelIndex) -> None:
        model = self.session.versions
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            if index.data(CURRENT_ROLE):
                self.tree.scrollTo(index)
            self._mark_current(index)

    def _update(self) -> None:
        ids = self.selected_ids()
        tree = self.session.tree
        current = None if tree is None else tree.current_id
        movable = len(ids) == 1 and ids[0] != current
        self.continue_action.setEnabled(movable)
        self.revert_action.setEnabled(movable)
        self.compare_action.setEnabled(len(ids) >= 2 or movable)
