"""The gallery as the view shows it: sorted and filtered by how exactly the text came out.

A proxy over ``GalleryModel`` that adds each tile's text check (``FIDELITY_ROLE``) from
``TextChecks``. Sorted "newest" it keeps the gallery's own order; "fidelity" puts exact images
first, then the fewest wrong characters, then those not checked yet. The filter shows all images,
the exact ones, or those with text to fix. A tile's accessible description says its check, in the
words the view gives (``describe_check``), so a screen reader hears what the badge shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from app.model.gallery import TILE_ROLE, GalleryModel, Tile
from app.model.text_checks import Fidelity, TextChecks

FIDELITY_ROLE: Final = Qt.ItemDataRole.UserRole + 20
"""The row's ``Fidelity`` (or None: not checked) under this item-data role."""

SORTS: Final = ("newest", "fidelity")
FILTERS: Final = ("all", "exact", "wrong")

Index = QModelIndex | QPersistentModelIndex
DescribeCheck = Callable[[Fidelity | None], str]


def fidelity_rank(fidelity: Fidelity | None) -> tuple[int, int]:
    """Lower is better: exact, then fewer wrong characters, then unknown."""
    if fidelity is None or fidelity.check is None or fidelity.state != "done":
        return (2, 0)
    return (0, 0) if fidelity.check.exact else (1, fidelity.wrong_count)


class FidelityProxy(QSortFilterProxyModel):
    def __init__(self, gallery: GalleryModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.gallery = gallery
        self.checks: TextChecks | None = None
        self.describe_check: DescribeCheck | None = None  # the view's words for a check
        self._sort = "newest"
        self._filter = "all"
        self.setSourceModel(gallery)
        self.setDynamicSortFilter(True)

    def set_checks(self, checks: TextChecks) -> None:
        self.checks = checks
        checks.changed.connect(self._check_changed)

    # The user's choices
    @property
    def sort_mode(self) -> str:
        return self._sort

    @property
    def filter_mode(self) -> str:
        return self._filter

    def set_sort(self, mode: str) -> None:
        if mode not in SORTS or mode == self._sort:
            return
        self._sort = mode
        if mode == "newest":
            self.sort(-1)  # the gallery's own order
            self.invalidate()
        else:
            self.sort(0, Qt.SortOrder.AscendingOrder)

    def set_filter(self, mode: str) -> None:
        if mode not in FILTERS or mode == self._filter:
            return
        self.beginFilterChange()
        self._filter = mode
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    # Reading
    def fidelity_of(self, tile: Tile) -> Fidelity | None:
        return None if self.checks is None else self.checks.of_tile(tile)

    def source_row(self, row: int) -> int | None:
        """The gallery's row for the view's ``row``."""
        source = self.mapToSource(self.index(row, 0))
        return source.row() if source.isValid() else None

    def view_row(self, source_row: int) -> int | None:
        index = self.mapFromSource(self.gallery.index(source_row))
        return index.row() if index.isValid() else None

    # Qt's proxy interface
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == FIDELITY_ROLE:
            tile = super().data(index, TILE_ROLE)
            return self.fidelity_of(tile) if isinstance(tile, Tile) else None
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and self.describe_check is not None:
            tile = super().data(index, TILE_ROLE)
            if isinstance(tile, Tile):
                return self.describe_check(self.fidelity_of(tile)) or None
        return super().data(index, role)

    def lessThan(self, left: Index, right: Index) -> bool:
        first = fidelity_rank(self.fidelity_of(self.gallery.tile(left.row())))
        second = fidelity_rank(self.fidelity_of(self.gallery.tile(right.row())))
        if first != second:
            return first < second
        return left.row() < right.row()  # ties keep the gallery's order

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._filter == "all":
            return True
        fidelity = self.fidelity_of(self.gallery.tile(source_row))
        if fidelity is None or fidelity.check is None or fidelity.state != "done":
            return False
        return fidelity.check.exact == (self._filter == "exact")

    def _check_changed(self, image_id: int) -> None:
        if self._sort != "newest" or self._filter != "all":
            self.invalidate()
        for row, tile in enumerate(self.gallery.tiles()):
            if tile.image_id == image_id:
                index = self.mapFromSource(self.gallery.index(row))
                if index.isValid():
                    self.dataChanged.emit(
                        index, index, [FIDELITY_ROLE, Qt.ItemDataRole.AccessibleDescriptionRole]
                    )
