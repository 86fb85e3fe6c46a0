"""The prices estimates use, as a table the settings page shows and lets the user correct.

Rows come from ``app.core.prices.price_table``: the built-in families and every model the user
priced, in US dollars per 1M tokens. Editing a price makes it the user's own for that row; the
page applies ``overrides()`` to the ``prices`` setting with the other fields (OK), and "Use the
built-in prices" drops them.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from typing import Any, Final

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.core.prices import USER_SOURCE, PriceRow, price_table

Index = QModelIndex | QPersistentModelIndex

PRICE_COLUMNS: Final = ("text_in", "image_in", "image_out")
"""The editable columns, after the model's name; the source comes last."""


class PriceTableModel(QAbstractTableModel):
    def __init__(self, overrides: Mapping[str, Any] | None = None) -> None:
        super().__init__()
        self._overrides: dict[str, dict[str, Any]] = {}
        self._rows: list[PriceRow] = []
        self.load(overrides or {})

    def load(self, overrides: Mapping[str, Any]) -> None:
        """Show the settings' prices (what Cancel goes back to)."""
        self.beginResetModel()
        self._overrides = {
            str(model): dict(given) for model, given in copy.deepcopy(dict(overrides)).items()
        }
        self._rows = price_table(self._overrides)
        self.endResetModel()

    def overrides(self) -> dict[str, dict[str, Any]]:
        """The user's prices, as the ``prices`` setting holds them."""
        return copy.deepcopy(self._overrides)

    def use_built_in(self) -> None:
        self.load({})

    def row(self, row: int) -> PriceRow:
        return self._rows[row]

    # Qt's model interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2 + len(PRICE_COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and 1 <= index.column() <= len(PRICE_COLUMNS):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and 1 <= column <= len(PRICE_COLUMNS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.EditRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        if column == 0:
            return row.model
        if column <= len(PRICE_COLUMNS):
            if row.prices is None:
                return "" if role == Qt.ItemDataRole.EditRole else "—"
            value = float(getattr(row.prices, PRICE_COLUMNS[column - 1]))
            return value if role == Qt.ItemDataRole.EditRole else f"{value:g}"
        return self.tr("yours") if row.source == USER_SOURCE else self.tr("built-in")

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """A new price for a cell; False (nothing changes) for what is not a price."""
        if role != Qt.ItemDataRole.EditRole or not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        try:
            price = float(str(value).strip().lstrip("$").replace(",", "."))
        except ValueError:
            return False
        if not math.isfinite(price) or price < 0:
            return False
        row = self._rows[index.row()]
        key = PRICE_COLUMNS[index.column() - 1]
        self._overrides.setdefault(row.model, {})[key] = price
        self._rows = price_table(self._overrides)
        first, last = self.index(index.row(), 0), self.index(index.row(), self.columnCount() - 1)
        self.dataChanged.emit(first, last)
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (
            self.tr("Model"),
            self.tr("Text in"),
            self.tr("Image in"),
            self.tr("Image out"),
            self.tr("Source"),
        )
        return titles[section]
