"""The canvas: ratio chips and platform presets, a custom W:H, the tier or an exact size.

Shows the WIDTHxHEIGHT that will be requested (accessible name ``Size``), the canvas's shape to
scale, "experimental" above 2560x1440's pixel count, and for a refused size the reason and a
button with the nearest valid size.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.sizes import PRESETS
from app.model.builder import BuilderModel
from app.model.preview import PreviewModel
from app.model.size_status import SizeStatus
from app.ui.theme import notice_colours
from app.ui.wording import preset_text, size_problem_text

COMMON_RATIOS = ("1:1", "3:4", "4:3", "2:3", "3:2", "9:16", "16:9")
TIERS = ("1k", "2k", "4k")
EXACT = "exact"
CHIP_COLUMNS = 4
PRESET_COLUMNS = 3  # presets have longer names: four of them overflowed the builder at 1280 px


CHECKED_CHIP = (
    "QToolButton:checked { background-color: palette(highlight); color: palette(highlighted-text);"
    " border: 1px solid palette(highlight); border-radius: 3px; padding: 3px; }"
)


class CanvasPreview(QWidget):
    """The canvas's shape, drawn to scale in a small box."""

    def __init__(self) -> None:
        super().__init__()
        self.ratio: float | None = 1.0
        self.refused = False
        self.setAccessibleName("Canvas preview")
        self.setMinimumSize(QSize(80, 80))
        self.setMaximumSize(QSize(96, 96))

    def show_ratio(self, ratio: float | None, refused: bool) -> None:
        self.ratio, self.refused = ratio, refused
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.ratio:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        ratio = self.ratio
        width = min(box.width(), box.height() * ratio)
        height = width / ratio
        if height > box.height():
            height, width = box.height(), box.height() * ratio
        rect = QRectF(0, 0, width, height)
        rect.moveCenter(box.center())
        colour = QColor("#dc2626") if self.refused else self.palette().highlight().color()
        painter.setPen(
            QPen(colour, 1.5, Qt.PenStyle.DashLine if self.refused else Qt.PenStyle.SolidLine)
        )
        fill = QColor(colour)
        fill.setAlpha(40)
        painter.setBrush(fill)
        painter.drawRect(rect)
        painter.end()


class RatioPicker(QWidget):
    def __init__(self, builder: BuilderModel, preview: PreviewModel) -> None:
        super().__init__()
        self._builder = builder
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        chips = QGridLayout()
        chips.setSpacing(3)
        presets = QGridLayout()
        presets.setSpacing(3)
        self._chips = QButtonGroup(self)
        self._chips.setExclusive(False)
        self._chip_ratio: dict[QToolButton, str] = {}
        # Accessible names stay in English in every language (CONTRACTS §5).
        entries = [(ratio, ratio, ratio) for ratio in COMMON_RATIOS]
        entries += [(preset_text(p.key, p.label), p.label, p.ratio) for p in PRESETS]
        for i, (label, name, ratio) in enumerate(entries):
            chip = QToolButton()
            chip.setText(label)
            chip.setCheckable(True)
            chip.setAccessibleName(f"Ratio {name}")
            chip.setToolTip(self.tr("Canvas ratio {ratio}").format(ratio=ratio))
            chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            chip.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            # The chosen chip must stand out in light and dark alike: the palette's highlight.
            chip.setStyleSheet(CHECKED_CHIP)
            chip.clicked.connect(lambda _=False, r=ratio: builder.use_ratio(r))
            self._chips.addButton(chip)
            self._chip_ratio[chip] = ratio
            if i < len(COMMON_RATIOS):
                chips.addWidget(chip, i // CHIP_COLUMNS, i % CHIP_COLUMNS)
            else:
                at = i - len(COMMON_RATIOS)
                presets.addWidget(chip, at // PRESET_COLUMNS, at % PRESET_COLUMNS)
        layout.addLayout(chips)
        layout.addLayout(presets)

        row = QHBoxLayout()
        self.custom = QLineEdit()
        self.custom.setPlaceholderText(self.tr("W:H"))
        self.custom.setAccessibleName("Custom ratio")
        self.custom.setToolTip(self.tr("Any ratio from 1:3 to 3:1, for example 5:4"))
        self.custom.setMaximumWidth(90)
        self.custom.editingFinished.connect(self._custom_entered)
        self.tier = QComboBox()
        self.tier.setAccessibleName("Tier")
        for tier in TIERS:
            self.tier.addItem(tier, tier)
        self.tier.addItem(self.tr("exact size"), EXACT)
        self.tier.setToolTip(self.tr("The long edge: 1k = 1024, 2k = 2048, 4k = 3840 pixels"))
        self.tier.activated.connect(self._tier_chosen)
        self.exact = QLineEdit()
        self.exact.setPlaceholderText(self.tr("WIDTHxHEIGHT"))
        self.exact.setAccessibleName("Exact size")
        self.exact.setMaximumWidth(110)
        self.exact.editingFinished.connect(self._exact_entered)
        row.addWidget(QLabel(self.tr("Ratio")))
        row.addWidget(self.custom)
        row.addWidget(self.tier)
        row.addWidget(self.exact)
        row.addStretch(1)

        info = QHBoxLayout()
        self.canvas = CanvasPreview()
        info.addWidget(self.canvas)
        details = QVBoxLayout()
        details.addLayout(row)
        self.size_label = QLabel()
        self.size_label.setAccessibleName("Size")
        self.size_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.size_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.size_label.setFont(font)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Size note")
        self.nearest = QPushButton()
        self.nearest.setAccessibleName("Use nearest size")
        self.nearest.clicked.connect(self._use_nearest)
        details.addWidget(self.size_label)
        details.addWidget(self.note)
        details.addWidget(self.nearest, 0, Qt.AlignmentFlag.AlignLeft)
        details.addStretch(1)
        info.addLayout(details, 1)
        layout.addLayout(info)

        self._status = SizeStatus()
        preview.size_status_changed.connect(self._show)
        for signal in (builder.ratio_changed, builder.size_changed, builder.tier_changed):
            signal.connect(self._sync_inputs)
        self._sync_inputs()
        self._show(preview.size_status)

    def _custom_entered(self) -> None:
        text = self.custom.text().strip()
        if text:
            self._builder.use_ratio(text)

    def _exact_entered(self) -> None:
        text = self.exact.text().strip()
        if text:
            self._builder.use_size(text)

    def _tier_chosen(self, index: int) -> None:
        tier = self.tier.itemData(index)
        if tier == EXACT:
            status = self._status
            self.exact.setText(str(status.size) if status.size else "1024x1024")
            self._builder.use_size(self.exact.text())
            self.exact.setFocus()
        else:
            self._builder.tier = tier
            if self._builder.size is not None:
                self._builder.use_ratio(self._builder.ratio or "1:1")

    def _use_nearest(self) -> None:
        status = self._status
        if status.nearest_ratio is not None:
            self._builder.use_ratio(status.nearest_ratio)
        elif status.nearest_size is not None:
            self._builder.use_size(str(status.nearest_size))

    def _sync_inputs(self, *_: object) -> None:
        ratio, size = self._builder.ratio, self._builder.size
        for chip, chip_ratio in self._chip_ratio.items():
            chip.setChecked(size is None and ratio == chip_ratio)
        exact = size is not None
        self.exact.setVisible(exact)
        if exact and self.exact.text() != size:
            self.exact.setText(size or "")
        if not exact and ratio not in self._chip_ratio.values():
            self.custom.setText(ratio or "")
        elif not exact:
            self.custom.clear()
        self.tier.setCurrentIndex(self.tier.findData(EXACT if exact else self._builder.tier))

    def _show(self, status: object) -> None:
        if not isinstance(status, SizeStatus):
            return
        self._status = status
        self.canvas.show_ratio(status.ratio, status.refused)
        if status.auto:
            self.size_label.setText("auto")
            self.note.setText(self.tr("The service picks the size."))
        elif status.refused:
            self.size_label.setText(self.tr("Not accepted"))
            self.note.setText(" ".join(size_problem_text(c, v) for c, v in status.problems))
        else:
            self.size_label.setText(str(status.size))
            self.note.setText(
                self.tr("Experimental: above 2560x1440 the service is less reliable.")
                if status.experimental
                else ""
            )
        refused, caution = notice_colours(self.palette())
        self.note.setStyleSheet(f"color: {refused if status.refused else caution};")
        self.note.setVisible(bool(self.note.text()))
        fix = status.nearest_ratio or (str(status.nearest_size) if status.nearest_size else None)
        if status.refused and fix:
            label = fix if status.nearest_ratio is None else f"{fix} ({status.nearest_size})"
            self.nearest.setText(self.tr("Use {size}").format(size=label))
            self.nearest.show()
        else:
            self.nearest.hide()
