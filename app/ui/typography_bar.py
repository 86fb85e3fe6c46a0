"""The selected text block's look, under the layout board: font, weight, colour, alignment,
vertical setting, tracking, line height, outline and shadow (the spec's per-block typography).

Each control writes through the board model, so every change is one undo step; "Auto" leaves the
field out of the spec and the role's default applies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QToolButton,
    QWidget,
)

from app.core.spec import Shadow, Stroke, TextBlock
from app.model.layout_board import LayoutBoardModel
from app.ui.flow_layout import FlowLayout, flow_group

WEIGHTS: Final = (100, 300, 400, 500, 700, 900)


def _swatch(color: str | None) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(color) if color else Qt.GlobalColor.transparent)
    return QIcon(pixmap)


class TypographyBar(QWidget):
    def __init__(self, board: LayoutBoardModel, families: Callable[[], list[str]]) -> None:
        super().__init__()
        self._board = board
        self._families: Callable[[], list[str]] | None = families  # listed on first use
        self._showing = False
        # The controls wrap into as many rows as the canvas's width needs: the board shares
        # the window with the builder and the edit dock, at 1280 pixels too.
        self._flow = FlowLayout(self, spacing=6)
        self._flow.setContentsMargins(6, 2, 6, 2)

        self.heading = QLabel()
        self.font_family = self._combo("Font", self.tr("The font family"))
        self.font_family.addItem(self.tr("Auto"), None)
        self.weight = self._combo("Weight", self.tr("The font weight"))
        self.weight.addItem(self.tr("Auto"), None)
        names = {100: self.tr("Thin"), 300: self.tr("Light"), 400: self.tr("Regular"),
                 500: self.tr("Medium"), 700: self.tr("Bold"), 900: self.tr("Black")}  # fmt: skip
        for weight in WEIGHTS:
            self.weight.addItem(f"{weight} {names[weight]}", weight)
        self.align = self._combo("Alignment", self.tr("How the lines align in the box"))
        alignments = ((self.tr("Auto"), None), (self.tr("Left"), "left"),
                      (self.tr("Centre"), "center"), (self.tr("Right"), "right"))  # fmt: skip
        for text, value in alignments:
            self.align.addItem(text, value)
        self.color = QToolButton()
        self.color.setText(self.tr("Colour…"))
        self.color.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.color.setAccessibleName("Text colour")
        self.color.setToolTip(self.tr("The text colour (Auto: dark or light, by the background)"))
        self.auto_color = QToolButton()
        self.auto_color.setText(self.tr("Auto"))
        self.auto_color.setAccessibleName("Automatic colour")
        self.auto_color.setToolTip(self.tr("Dark or light text, by the background"))
        self.vertical = QCheckBox(self.tr("Vertical"))
        self.vertical.setAccessibleName("Vertical")
        self.vertical.setToolTip(self.tr("Set in columns, right to left (竖排)"))
        self.outline = QCheckBox(self.tr("Outline"))
        self.outline.setAccessibleName("Outline")
        self.shadow = QCheckBox(self.tr("Shadow"))
        self.shadow.setAccessibleName("Shadow")
        self.tracking = self._spin("Tracking", self.tr("Extra space between characters, in ems"),
                                   -0.2, 1.0, 0.02)  # fmt: skip
        self.tracking.setSpecialValueText(self.tr("Auto"))
        self.tracking.setMinimum(-0.22)  # the special value, below the spec's -0.2
        self.line_height = self._spin("Line height", self.tr("The line pitch, times the size"),
                                      0.7, 3.0, 0.05)  # fmt: skip
        self.line_height.setSpecialValueText(self.tr("Auto"))

        self.heading.setMinimumWidth(48)
        self._flow.addWidget(self.heading)
        groups = (
            (QLabel(self.tr("Font")), self.font_family),
            (QLabel(self.tr("Weight")), self.weight),
            (QLabel(self.tr("Align")), self.align),
            (self.color, self.auto_color),
            (QLabel(self.tr("Tracking")), self.tracking),
            (QLabel(self.tr("Line height")), self.line_height),
            (self.vertical, self.outline, self.shadow),
        )
        for group in groups:
            self._flow.addWidget(flow_group(*group))

        self.font_family.activated.connect(lambda _: self._set(font=self.font_family.currentData()))
        self.weight.activated.connect(lambda _: self._set(weight=self.weight.currentData()))
        self.align.activated.connect(lambda _: self._set(align=self.align.currentData()))
        self.vertical.toggled.connect(lambda on: self._set(vertical=on))
        self.outline.toggled.connect(lambda on: self._set(stroke=Stroke() if on else None))
        self.shadow.toggled.connect(lambda on: self._set(shadow=Shadow() if on else None))
        self.tracking.valueChanged.connect(
            lambda value: self._set(tracking=None if value < -0.2 else round(value, 3))
        )
        self.line_height.valueChanged.connect(
            lambda value: self._set(line_height=None if value < 0.8 else round(value, 3))
        )
        self.color.clicked.connect(self._choose_color)
        self.auto_color.clicked.connect(lambda: self._set(color=None))
        board.selection.selectionChanged.connect(lambda *_: self.show_block())
        board.blocks.dataChanged.connect(lambda *_: self.show_block())
        board.blocks.modelReset.connect(self.show_block)
        self.show_block()

    def _list_families(self) -> None:
        """The fonts, once: listing them loads the bundled font, which the first window does
        not wait for."""
        if self._families is not None:
            for family in self._families():
                if self.font_family.findData(family) < 0:
                    self.font_family.addItem(family, family)
            self._families = None

    def _controls(self) -> list[QWidget]:
        return [
            self.font_family, self.weight, self.align, self.color, self.auto_color,
            self.tracking, self.line_height, self.vertical, self.outline, self.shadow,
        ]  # fmt: skip

    def add_tools(self, tools: QWidget) -> None:
        """Put ``tools`` (the board's own buttons) at the end of the bar."""
        self._flow.addWidget(tools)

    def _combo(self, name: str, tip: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.setToolTip(tip)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.setMaximumWidth(170)
        return combo

    def _spin(self, name: str, tip: str, low: float, high: float, step: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setAccessibleName(name)
        spin.setToolTip(tip)
        spin.setRange(low, high)
        spin.setSingleStep(step)
        spin.setDecimals(2)
        return spin

    def _set(self, **changes: Any) -> None:
        row = self._board.selected_row()
        if row is not None and not self._showing:
            self._board.set_typography(row, **changes)

    def _choose_color(self) -> None:
        row = self._board.selected_row()
        if row is None:
            return
        current = QColor(self._board.blocks.block(row).color or "#1b1b1f")
        chosen = QColorDialog.getColor(current, self, self.tr("Text colour"))
        if chosen.isValid():
            self._set(color=chosen.name())

    def show_block(self) -> None:
        """Show the selected block's look; without a selection the controls are disabled."""
        row = self._board.selected_row()
        block = self._board.blocks.block(row) if row is not None else TextBlock()
        self._showing = True
        try:
            for control in self._controls():
                control.setEnabled(row is not None)
            if row is None:
                self.heading.setText(self.tr("Select a box to change its look"))
            else:
                self._list_families()
                self.heading.setText(self.tr("Text {0}").format(row + 1))
            _pick(self.font_family, block.font)
            _pick(self.weight, block.weight)
            _pick(self.align, block.align)
            self.vertical.setChecked(block.vertical)
            self.outline.setChecked(block.stroke is not None)
            self.shadow.setChecked(block.shadow is not None)
            self.tracking.setValue(-0.22 if block.tracking is None else block.tracking)
            self.line_height.setValue(0.7 if block.line_height is None else block.line_height)
            self.color.setIcon(_swatch(block.color))
        finally:
            self._showing = False


def _pick(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    if index < 0 and isinstance(value, str):  # a family this computer lacks: shown, kept
        combo.addItem(value, value)
        index = combo.count() - 1
    combo.setCurrentIndex(max(index, 0))
