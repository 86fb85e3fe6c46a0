"""The job queue, visible: one row per job with its state, and a button to cancel the selected."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.model.job_queue import ENTRY_ROLE, JobEntry, JobQueueModel
from app.ui.wording import choice_text, problem_text, separator, state_text, usd


def entry_text(entry: JobEntry) -> str:
    if entry.n == 1:
        what = QCoreApplication.translate("JobsPanel", "Job {id}: 1 image, {size}")
    else:
        what = QCoreApplication.translate("JobsPanel", "Job {id}: {n} images, {size}")
    parts = [
        what.format(id=entry.id, n=entry.n, size=entry.size),
        choice_text(entry.quality),
        state_text(entry.state),
    ]
    if entry.state == "running":
        parts[-1] += f" {entry.received}/{entry.n}"
    if entry.local:
        if entry.n == 1:
            parts.append(QCoreApplication.translate("JobsPanel", "local draft"))
        else:
            parts.append(QCoreApplication.translate("JobsPanel", "local drafts"))
    elif entry.actual_usd is not None:
        parts.append(usd(entry.actual_usd))
    elif entry.estimated_usd is not None:
        parts.append(f"≈ {usd(entry.estimated_usd)}")
    if entry.reason is not None and entry.state == "failed":
        parts.append(problem_text(*entry.reason))
    return separator().join(parts)


class _EntryDelegate(QStyledItemDelegate):
    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        entry = index.data(ENTRY_ROLE)
        if isinstance(entry, JobEntry):
            option.text = entry_text(entry)


class JobsPanel(QWidget):
    cancel_requested = Signal(int)

    def __init__(self, queue: JobQueueModel) -> None:
        super().__init__()
        self.queue = queue
        self.list = QListView()
        self.list.setAccessibleName("Jobs")
        self.list.setModel(queue)
        self.list.setItemDelegate(_EntryDelegate(self.list))
        self.list.setAlternatingRowColors(True)
        self.cancel = QPushButton(self.tr("Cancel job"))
        self.cancel.setAccessibleName("Cancel job")
        self.cancel.setToolTip(self.tr("Cancel the selected job; images that arrived are kept"))
        self.cancel.clicked.connect(self._cancel_selected)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel)
        layout.addLayout(row)
        self.list.selectionModel().currentChanged.connect(lambda *_: self._update())
        queue.dataChanged.connect(lambda *_: self._update())
        self._update()

    def _selected(self) -> JobEntry | None:
        entry = self.list.currentIndex().data(ENTRY_ROLE)
        return entry if isinstance(entry, JobEntry) else None

    def _update(self) -> None:
        entry = self._selected()
        self.cancel.setEnabled(entry is not None and entry.active)

    def _cancel_selected(self) -> None:
        entry = self._selected()
        if entry is not None:
            self.cancel_requested.emit(entry.id)
