"""The job queue as a Qt list model: queued, running, finished, failed, cancelled; newest first."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Final

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.model.properties import Observable

ENTRY_ROLE: Final = Qt.ItemDataRole.UserRole + 1
ACTIVE_STATES: Final = ("queued", "running")

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class JobEntry:
    id: int
    n: int
    size: str
    quality: str
    model: str
    local: bool
    estimated_usd: float | None
    state: str = "queued"  # queued, running, finished, failed, cancelled
    received: int = 0
    actual_usd: float | None = None
    reason: tuple[str, dict[str, Any]] | None = None
    job_id: str | None = None  # the library's id, once the job is recorded

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES


class JobQueueModel(QAbstractListModel):
    """Entries newest first. Also the session's spend: estimated and actual, billed jobs only."""

    spent_estimated_changed = Signal(float)
    spent_actual_changed = Signal(float)
    active_count_changed = Signal(int)

    spent_estimated = Observable(0.0)
    spent_actual = Observable(0.0)
    active_count = Observable(0)

    def __init__(self) -> None:
        super().__init__()
        self._entries: list[JobEntry] = []
        self._next_id = 1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == ENTRY_ROLE:
            return entry
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{entry.id}"
        return None

    def add(self, **values: Any) -> JobEntry:
        entry = JobEntry(id=self._next_id, **values)
        self._next_id += 1
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._entries.insert(0, entry)
        self.endInsertRows()
        self._count_active()
        return entry

    def entry(self, entry_id: int) -> JobEntry | None:
        return next((e for e in self._entries if e.id == entry_id), None)

    def entries(self) -> tuple[JobEntry, ...]:
        return tuple(self._entries)

    def next_queued(self) -> JobEntry | None:
        """The oldest queued entry: jobs run in the order they were asked for."""
        return next((e for e in reversed(self._entries) if e.state == "queued"), None)

    def update(self, entry_id: int, **changes: Any) -> JobEntry | None:
        for row, old in enumerate(self._entries):
            if old.id == entry_id:
                new = dataclasses.replace(old, **changes)
                self._entries[row] = new
                index = self.index(row)
                self.dataChanged.emit(index, index)
                if new.state != old.state:
                    self._count_active()
                    if new.state in ("finished", "failed", "cancelled") and not new.local:
                        self.spent_estimated += new.estimated_usd or 0.0
                        self.spent_actual += new.actual_usd or 0.0
                return new
        return None

    def _count_active(self) -> None:
        self.active_count = sum(1 for e in self._entries if e.active)
