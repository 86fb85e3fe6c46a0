"""The rows panel: a CSV of values over the builder's spec, previewed row by row, then run.

Each row shows its filled texts, its estimate and, for a row that would be refused, why (marked);
the total is under the table (halved when sent as a Batch). Run sends the good rows, directly
(N at a time) or as one Batch; progress, Retry failed and Cancel follow the run.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.model.batch_model import ROW_ROLE, BatchModel, RowPreview, RunProgress
from app.ui.flow_layout import FlowLayout
from app.ui.wording import separator, usd

_BAD = QColor(220, 60, 60, 60)
_FAILED = QColor(220, 120, 40, 60)
_DONE = QColor(60, 170, 90, 50)


class _RowDelegate(QStyledItemDelegate):
    """Marks bad and failed rows, and words each row's state in the status column."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        preview = index.data(ROW_ROLE)
        if not isinstance(preview, RowPreview):
            return
        colour = {"bad": _BAD, "failed": _FAILED, "done": _DONE}.get(preview.state)
        if colour is not None:
            option.backgroundBrush = QBrush(colour)
        if index.column() == 3:
            parts = [state_word(preview.state)]
            if preview.problem or preview.error:
                parts.append(preview.problem or preview.error or "")
            option.text = separator().join(parts)


def state_word(state: str) -> str:
    words = {
        "ready": QCoreApplication.translate("BatchPanel", "ready"),
        "bad": QCoreApplication.translate("BatchPanel", "left out"),
        "running": QCoreApplication.translate("BatchPanel", "running"),
        "done": QCoreApplication.translate("BatchPanel", "done"),
        "failed": QCoreApplication.translate("BatchPanel", "failed"),
    }
    return words.get(state, state)


class BatchPanel(QWidget):
    def __init__(self, model: BatchModel) -> None:
        super().__init__()
        self.model = model
        self.load_button = QPushButton(self.tr("Load CSV…"))
        self.load_button.setAccessibleName("Load rows")
        self.load_button.setToolTip(
            self.tr("A UTF-8 CSV with a header: each row fills the spec's {column} placeholders")
        )
        self.load_button.clicked.connect(self._choose)
        self.table_label = QLabel()
        self.table_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.via = QComboBox()
        self.via.setAccessibleName("Send rows")
        self.via.addItem(self.tr("Directly, a few at a time"), "direct")
        self.via.addItem(self.tr("As a Batch (half price, within 24 h)"), "batch")
        self.via.currentIndexChanged.connect(lambda _: model.set_via(self.via.currentData()))
        self.run_button = QPushButton(self.tr("Run rows"))
        self.run_button.setAccessibleName("Run rows")
        self.run_button.clicked.connect(model.run)
        self.retry_button = QPushButton(self.tr("Retry failed"))
        self.retry_button.setAccessibleName("Retry failed rows")
        self.retry_button.clicked.connect(model.retry_failed)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setAccessibleName("Cancel rows")
        self.cancel_button.setToolTip(self.tr("Stop the run; images that arrived are kept"))
        self.cancel_button.clicked.connect(model.cancel)

        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c0392b;")
        self.view = QTableView()
        self.view.setAccessibleName("Rows")
        self.view.setModel(model.table)
        self.view.setItemDelegate(_RowDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        self.summary.setAccessibleName("Rows estimate")
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName("Rows progress")
        self.progress_label = QLabel()

        # The buttons wrap under one another in a narrow dock; the table's name has its own
        # line, so a long file name never widens the dock.
        buttons = QWidget()
        top = FlowLayout(buttons)
        top.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.load_button, self.via, self.run_button, self.retry_button, self.cancel_button
        ):  # fmt: skip
            top.addWidget(widget)
        self.table_label.setWordWrap(True)
        # Each on its own line and wrapped: long texts never widen the dock (the builder
        # beside it was squeezed when the progress line appeared).
        self.summary.setWordWrap(True)
        self.progress_label.setWordWrap(True)
        self.progress_bar.setMaximumWidth(160)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress_label, 1)
        bottom.addWidget(self.progress_bar)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(buttons)
        layout.addWidget(self.table_label)
        layout.addWidget(self.problem)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)
        layout.addLayout(bottom)

        for signal in (
            model.table_name_changed, model.total_usd_changed, model.bad_count_changed,
            model.via_changed, model.running_changed, model.progress_changed,
            model.batch_id_changed, model.failed_count_changed, model.problem_changed,
        ):  # fmt: skip
            signal.connect(lambda *_: self._update())
        model.table.modelReset.connect(self._update)
        self._headers()
        self._update()

    def _headers(self) -> None:
        titles = (self.tr("Row"), self.tr("Texts"), self.tr("Estimate"), self.tr("Status"))
        for column, title in enumerate(titles):
            self.model.table.setHeaderData(column, Qt.Orientation.Horizontal, title)

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Load rows"), "", self.tr("CSV tables (*.csv);;All files (*)")
        )
        if path:
            self.model.load(Path(path))

    def _update(self) -> None:
        model = self.model
        rows = model.table.rowCount()
        self.table_label.setText(model.table_name or self.tr("No table loaded"))
        self.problem.setText(model.problem)
        self.problem.setVisible(bool(model.problem))
        good = rows - model.bad_count
        self.run_button.setEnabled(good > 0 and not model.running)
        self.run_button.setText(self.tr("Run %n row(s)", "", good) if good else self.tr("Run rows"))
        self.retry_button.setEnabled(model.failed_count > 0 and not model.running)
        self.cancel_button.setEnabled(model.running)
        self.via.setEnabled(not model.running)
        self.summary.setText(self._summary(rows, good))
        self._show_progress(model.progress)

    def _summary(self, rows: int, good: int) -> str:
        if not rows:
            return self.tr("Load a CSV: one job per row, its values in the spec's {column}s.")
        parts = [self.tr("%n row(s)", "", rows)]
        if self.model.bad_count:
            parts.append(self.tr("%n left out (marked)", "", self.model.bad_count))
        total = usd(self.model.total_usd)
        if self.model.via == "batch":
            parts.append(self.tr("about {usd} in all, at the Batch API's half price").format(
                usd=total))  # fmt: skip
        else:
            parts.append(self.tr("about {usd} in all").format(usd=total))
        if self.model.batch_id:
            parts.append(self.tr("batch {id}").format(id=self.model.batch_id))
        return separator().join(parts)

    def _show_progress(self, progress: RunProgress) -> None:
        shown = progress.total > 0
        self.progress_bar.setVisible(shown)
        self.progress_label.setVisible(shown)
        if not shown:
            return
        self.progress_bar.setRange(0, progress.total)
        self.progress_bar.setValue(progress.done + progress.failed)
        self.progress_label.setText(
            self.tr("{done}/{total} done, {running} running, {failed} failed, {usd} so far").format(
                done=progress.done, total=progress.total, running=progress.running,
                failed=progress.failed, usd=usd(progress.usd),
            )
        )  # fmt: skip
