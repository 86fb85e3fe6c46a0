"""The builder's text blocks as a Qt list model: one row per required text, in prompt order."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, Final

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.core.spec import ROLES, Box, TextBlock

ROLE_ROLE: Final = Qt.ItemDataRole.UserRole + 1
"""The block's role (headline, subhead...), under this item-data role."""

Index = QModelIndex | QPersistentModelIndex
_TYPOGRAPHY: Final = frozenset(
    ("font", "weight", "color", "align", "vertical", "tracking", "line_height", "stroke", "shadow")
)


class TextBlocksModel(QAbstractListModel):
    """Each row a ``TextBlock``; edits keep its other fields (box, font...) as they were."""

    blocks_changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._blocks: list[TextBlock] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._blocks)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._blocks):
            return None
        block = self._blocks[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return block.text
        if role == ROLE_ROLE:
            return block.role
        return None

    def blocks(self) -> tuple[TextBlock, ...]:
        return tuple(self._blocks)

    def block(self, row: int) -> TextBlock:
        return self._blocks[row]

    def set_blocks(self, blocks: Sequence[TextBlock]) -> None:
        if list(blocks) == self._blocks:
            return
        self.beginResetModel()
        self._blocks = list(blocks)
        self.endResetModel()
        self.blocks_changed.emit()

    def add(self, role: str | None = None, text: str = "", row: int | None = None) -> int:
        """Add a block (after the last by default); its role follows the one before it."""
        at = len(self._blocks) if row is None else max(0, min(row, len(self._blocks)))
        if role is None:
            role = _next_role(self._blocks[at - 1].role) if at > 0 else ROLES[0]
        self.beginInsertRows(QModelIndex(), at, at)
        self._blocks.insert(at, TextBlock(role=role, text=text))
        self.endInsertRows()
        self.blocks_changed.emit()
        return at

    def remove(self, row: int) -> TextBlock:
        self.beginRemoveRows(QModelIndex(), row, row)
        removed = self._blocks.pop(row)
        self.endRemoveRows()
        self.blocks_changed.emit()
        return removed

    def move(self, row: int, to: int) -> bool:
        """Move the block at ``row`` to position ``to``; False when it cannot move."""
        if row == to or not (0 <= row < len(self._blocks) and 0 <= to < len(self._blocks)):
            return False
        destination = to + 1 if to > row else to  # Qt counts the destination before removal
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        self._blocks.insert(to, self._blocks.pop(row))
        self.endMoveRows()
        self.blocks_changed.emit()
        return True

    def set_text(self, row: int, text: str) -> None:
        self._replace(row, text=text)

    def set_role(self, row: int, role: str) -> None:
        if role not in ROLES:
            raise ValueError(f"{role!r} is not one of {', '.join(ROLES)}")
        self._replace(row, role=role)

    def set_box(self, row: int, box: Box | None) -> None:
        """Place the block (fractions of the canvas), or give it back its role's default place."""
        if box is not None:
            x, y, w, h = (round(value, 4) for value in box)
            box = (x, y, w, h)
        self._replace(row, box=box)

    def set_typography(self, row: int, **changes: Any) -> None:
        """Change the block's typography fields (font, weight, color, align, vertical...)."""
        unknown = set(changes) - _TYPOGRAPHY
        if unknown:
            raise ValueError(f"not typography: {', '.join(sorted(unknown))}")
        self._replace(row, **changes)

    def _replace(self, row: int, **changes: Any) -> None:
        old = self._blocks[row]
        new = dataclasses.replace(old, **changes)
        if new == old:
            return
        self._blocks[row] = new
        index = self.index(row)
        self.dataChanged.emit(index, index)
        self.blocks_changed.emit()


def _next_role(previous: str) -> str:
    """A headline is usually followed by a subhead, a subhead by body text."""
    following = {"headline": "subhead", "subhead": "body"}
    return following.get(previous, previous)
