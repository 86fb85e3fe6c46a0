"""Finalize: the current draft again at a higher quality and/or a larger tier, with the size and
the estimate shown before anything is sent."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from app.core.edit_turns import TurnError
from app.core.plan import PlanError
from app.model.edit_session import EditSession
from app.ui.wording import choice_text, usd

QUALITIES = ("medium", "high")
TIERS = ("1k", "2k", "4k")


class FinalizeDialog(QDialog):
    def __init__(self, session: EditSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("Finalize"))
        self.quality = QComboBox()
        self.quality.setAccessibleName("Finalize quality")
        for quality in QUALITIES:
            self.quality.addItem(choice_text(quality), quality)
        self.quality.setCurrentIndex(QUALITIES.index("high"))
        self.tier = QComboBox()
        self.tier.setAccessibleName("Finalize tier")
        for tier in TIERS:
            self.tier.addItem(tier.upper(), tier)
        self.tier.setCurrentIndex(TIERS.index("2k"))
        self.size_label = QLabel()
        self.size_label.setAccessibleName("Finalize size")
        self.estimate = QLabel()
        self.estimate.setAccessibleName("Finalize estimate")
        self.estimate.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(QLabel(self.tr("Render the current version again, keeping its composition.")))
        form.addRow(self.tr("Quality"), self.quality)
        form.addRow(self.tr("Size tier"), self.tier)
        form.addRow(self.tr("Size"), self.size_label)
        form.addRow(self.tr("Estimate"), self.estimate)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Finalize"))
        ok.setAccessibleName("Send finalize")
        self.buttons.accepted.connect(self.send)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.quality.currentIndexChanged.connect(self.update_estimate)
        self.tier.currentIndexChanged.connect(self.update_estimate)
        self.update_estimate()

    def choice(self) -> tuple[str, str]:
        return str(self.quality.currentData()), str(self.tier.currentData())

    def update_estimate(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        try:
            plan, _ = self.session.plan_finalize(*self.choice())
        except (PlanError, TurnError) as error:
            self.size_label.setText("")
            self.estimate.setText(str(error))
            ok.setEnabled(False)
            return
        self.size_label.setText(plan.request.size)
        local = self.session.local
        text = f"≈ {usd(plan.cost.usd)}"
        if local:
            text = self.tr("{estimate} on {model}; local drafts cost nothing").format(
                estimate=text, model=plan.request.model
            )
        self.estimate.setText(text)
        ok.setEnabled(True)

    def send(self) -> None:
        if self.session.finalize(*self.choice()):
            self.accept()
