"""The edit conversation of one version tree: one row per turn, oldest first, the pending last.

Each row is a ``TurnRow``: what was asked, of which version, how it ended (with the failure as a
message code, worded by the panel), what it cost and the versions it made.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QImage

from app.model.versions import VersionImages

TURN_ROLE: Final = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class TurnRow:
    instruction: str
    kind: str  # instruction, replace_text, finalize
    state: str  # pending, done, failed, cancelled, interrupted
    source_label: str = ""  # "v2": the version it edited
    failure: tuple[str, dict[str, Any]] | None = None
    estimated_usd: float | None = None
    actual_usd: float | None = None
    local: bool = False
    image_ids: tuple[int, ...] = ()
    image_labels: tuple[str, ...] = ()
    changed_outside_pct: float | None = None  # a masked turn pasted back


class ConversationModel(QAbstractListModel):
    def __init__(self, images: VersionImages) -> None:
        super().__init__()
        self._rows: list[TurnRow] = []
        self._paths: dict[int, Path] = {}
        self._images = images
        images.thumbnail_ready.connect(self._thumbnail)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == TURN_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.instruction
        return None

    def rows(self) -> tuple[TurnRow, ...]:
        return tuple(self._rows)

    def set_rows(self, rows: list[TurnRow], paths: dict[int, Path]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._paths = dict(paths)
        self.endResetModel()

    def thumbnail(self, image_id: int) -> QImage | None:
        path = self._paths.get(image_id)
        return None if path is None else self._images.thumbnail(image_id, path)

    def _thumbnail(self, image_id: int) -> None:
        for number, row in enumerate(self._rows):
            if image_id in row.image_ids:
                index = self.index(number)
                self.dataChanged.emit(index, index)
