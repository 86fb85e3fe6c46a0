"""The series strip: a spec's shots in order, made one after another; any shot again alone;
the series exported as numbered files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QSize
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QListView,
    QPushButton,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.model.series_model import SHOT_ROLE, THUMB_EDGE, SeriesModel, ShotEntry
from app.ui.flow_layout import FlowLayout


def shot_state(state: str) -> str:
    words = {
        "waiting": QCoreApplication.translate("SeriesPanel", "waiting"),
        "running": QCoreApplication.translate("SeriesPanel", "making…"),
        "done": "",
        "failed": QCoreApplication.translate("SeriesPanel", "failed"),
    }
    return words.get(state, state)


class _ShotDelegate(QStyledItemDelegate):
    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        shot = index.data(SHOT_ROLE)
        if isinstance(shot, ShotEntry):
            state = shot_state(shot.state)
            option.text = f"{shot.index + 1}. {shot.label}" + (f"\n{state}" if state else "")


class SeriesPanel(QWidget):
    def __init__(self, model: SeriesModel) -> None:
        super().__init__()
        self.model = model
        self.open_button = QPushButton(self.tr("Open series…"))
        self.open_button.setAccessibleName("Open series")
        self.open_button.setToolTip(self.tr("A spec with 2 to 16 shots"))
        self.open_button.clicked.connect(self._choose)
        self.name_label = QLabel()
        self.name_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.make_button = QPushButton(self.tr("Make series"))
        self.make_button.setAccessibleName("Make series")
        self.make_button.clicked.connect(model.make)
        self.again_button = QPushButton(self.tr("Make shot again"))
        self.again_button.setAccessibleName("Make shot again")
        self.again_button.setToolTip(self.tr("The selected shot alone, from the same reference"))
        self.again_button.clicked.connect(self._again)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setAccessibleName("Export series")
        self.export_button.setToolTip(self.tr("The shots as numbered files, in order"))
        self.export_button.clicked.connect(self._export)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c0392b;")
        self.strip = QListView()
        self.strip.setAccessibleName("Series")
        self.strip.setModel(model.shots)
        self.strip.setItemDelegate(_ShotDelegate(self.strip))
        self.strip.setViewMode(QListView.ViewMode.IconMode)
        self.strip.setFlow(QListView.Flow.LeftToRight)
        self.strip.setWrapping(False)
        self.strip.setMovement(QListView.Movement.Static)
        self.strip.setIconSize(QSize(THUMB_EDGE, THUMB_EDGE))
        self.strip.setGridSize(QSize(THUMB_EDGE + 40, THUMB_EDGE + 56))
        self.strip.setWordWrap(True)

        # Buttons wrap in a narrow dock; the series' name has a line of its own.
        buttons = QWidget()
        top = FlowLayout(buttons)
        top.setContentsMargins(0, 0, 0, 0)
        for widget in (self.open_button, self.make_button, self.again_button, self.export_button):
            top.addWidget(widget)
        self.name_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(buttons)
        layout.addWidget(self.name_label)
        layout.addWidget(self.problem)
        layout.addWidget(self.strip, 1)
        for signal in (model.name_changed, model.running_changed, model.problem_changed,
                       model.chain_changed):  # fmt: skip
            signal.connect(lambda *_: self._update())
        model.shots.dataChanged.connect(lambda *_: self._update())
        model.shots.modelReset.connect(self._update)
        self.strip.selectionModel().currentChanged.connect(lambda *_: self._update())
        self._update()

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open series"), "", self.tr("Specs (*.json)")
        )
        if path:
            self.model.load(Path(path))

    def _again(self) -> None:
        index = self.strip.currentIndex()
        if index.isValid():
            self.model.again(index.row())

    def _export(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export series"))
        if folder:
            self.model.export(Path(folder))

    def _update(self) -> None:
        model = self.model
        shots = model.shots.shots()
        if model.name:
            chain = (
                self.tr("each shot after the first carries the previous one")
                if model.chain == "previous"
                else self.tr("each shot after the first carries the first")
            )
            self.name_label.setText(f"{model.name} — {chain}")
        else:
            self.name_label.setText(self.tr("No series loaded"))
        self.problem.setText(model.problem)
        self.problem.setVisible(bool(model.problem))
        self.make_button.setEnabled(bool(shots) and not model.running)
        current = self.strip.currentIndex()
        self.again_button.setEnabled(current.isValid() and not model.running)
        self.export_button.setEnabled(any(shot.path for shot in shots) and not model.running)
