"""The Edit dock: the conversation with the selected image, its version tree, the mask, and the
instruction field (Enter sends, Shift+Enter makes a new line).

Built from the ``EditSession`` model; it never touches the engine or the library. "Paint mask"
opens the mask painter over the current version (its full-size picture decoded off the GUI
thread); a painted mask goes with the next turns of that version.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QImage, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.model.conversation import TURN_ROLE, TurnRow
from app.model.edit_session import MAX_VARIATIONS, EditAbilities, EditSession, spec_of
from app.ui.edit_wording import edit_problem_text, no_edits_text, no_masks_text
from app.ui.finalize_dialog import FinalizeDialog
from app.ui.turn_delegate import TurnDelegate, heading, spoken_turn, tree_label
from app.ui.version_tree import VersionTreeView
from app.ui.wording import usd

if TYPE_CHECKING:
    from app.ui.mask_painter import MaskPainter


class _EnterSends(QObject):
    """Enter sends the instruction; Shift+Enter is a new line (an input method's own Enter,
    which commits its composition, never reaches here as a key press)."""

    def __init__(self, panel: EditPanel) -> None:
        super().__init__(panel)
        self._panel = panel

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            plain = not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            if enter and plain and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self._panel.send()
                return True
        return False


class EditPanel(QWidget):
    def __init__(self, session: EditSession) -> None:
        super().__init__()
        self.session = session
        session.turn_label, session.turn_heading = tree_label, heading  # words for the tree
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName("Edit notice")
        self.notice.hide()

        self.versions = VersionTreeView(session)
        self.conversation = QListView()
        self.conversation.setAccessibleName("Edit conversation")
        self.conversation.setModel(session.conversation)
        session.conversation.describe_turn = spoken_turn
        self.conversation.setItemDelegate(TurnDelegate(self.conversation))
        self.conversation.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.conversation.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.conversation.setWordWrap(True)
        self.conversation.setResizeMode(QListView.ResizeMode.Adjust)
        self.empty = QLabel(self.tr("Select an image in Variations, then say what to change."))
        self.empty.setWordWrap(True)
        self.empty.setEnabled(False)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("edit-splitter")
        splitter.addWidget(self.versions)
        splitter.addWidget(self.conversation)
        self._painter: MaskPainter | None = None  # made when first opened (it loads numpy)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([200, 300, 0])
        self.splitter = splitter
        self._painting: int | None = None  # the version whose mask the painter shows
        self._followed_masks: set[int] = set()

        self.mask_area = QVBoxLayout()
        self.mask_area.setContentsMargins(0, 0, 0, 0)
        self.mask_label = QLabel()
        self.mask_label.setAccessibleName("Mask state")
        self.paint_mask = QToolButton()
        self.paint_mask.setText(self.tr("Paint mask"))
        self.paint_mask.setAccessibleName("Paint mask")
        self.paint_mask.setCheckable(True)
        self.paint_mask.setToolTip(self.tr("Paint where the image may change; the rest is kept"))
        self.paint_mask.toggled.connect(self.show_painter)
        self.import_mask = QToolButton()
        self.import_mask.setText(self.tr("Import mask…"))
        self.import_mask.setAccessibleName("Import mask")
        self.import_mask.setToolTip(
            self.tr("A PNG of the image's size: transparent (or black) where the image may change")
        )
        self.import_mask.clicked.connect(self.choose_mask_file)
        self.clear_mask = QToolButton()
        self.clear_mask.setText(self.tr("Clear mask"))
        self.clear_mask.setAccessibleName("Clear mask")
        self.clear_mask.clicked.connect(session.clear_mask)
        self.paste_back = QCheckBox(self.tr("Keep the original outside the mask"))
        self.paste_back.setAccessibleName("Paste back")
        self.paste_back.setToolTip(
            self.tr(
                "Models change pixels they were told to keep: this puts the original's back. "
                "Switch it off to keep the model's whole image."
            )
        )
        self.paste_back.setChecked(session.paste_back)
        self.paste_back.toggled.connect(lambda on: setattr(session, "paste_back", on))
        mask_row = QHBoxLayout()
        mask_row.addWidget(self.paint_mask)
        mask_row.addWidget(self.import_mask)
        mask_row.addWidget(self.clear_mask)
        mask_row.addStretch(1)
        state_row = QHBoxLayout()
        state_row.addWidget(self.mask_label)
        state_row.addWidget(self.paste_back, 1)
        self.mask_area.addLayout(mask_row)
        self.mask_area.addLayout(state_row)

        self.replace_row = QWidget()
        replace_layout = QHBoxLayout(self.replace_row)
        replace_layout.setContentsMargins(0, 0, 0, 0)
        self.replace_block = QComboBox()
        self.replace_block.setAccessibleName("Replace which text")
        self.replace_text = QLineEdit()
        self.replace_text.setAccessibleName("Replacement text")
        self.replace_text.setPlaceholderText(self.tr("The new text, exactly"))
        self.replace_text.returnPressed.connect(self.send_replacement)
        self.replace_block.currentIndexChanged.connect(self._block_chosen)
        self.replace_send = QPushButton(self.tr("Replace"))
        self.replace_send.setAccessibleName("Send replacement")
        self.replace_send.clicked.connect(self.send_replacement)
        replace_layout.addWidget(self.replace_block)
        replace_layout.addWidget(self.replace_text, 1)
        replace_layout.addWidget(self.replace_send)
        self.replace_row.hide()

        self.instruction = QPlainTextEdit()
        self.instruction.setAccessibleName("Edit instruction")
        self.instruction.setPlaceholderText(
            self.tr("Say what to change, e.g. “swap the background to a sunset, keep the rest”")
        )
        self.instruction.setTabChangesFocus(True)
        self.instruction.setMaximumHeight(72)
        self.instruction.installEventFilter(_EnterSends(self))
        self.problem = QLabel()
        self.problem.setAccessibleName("Edit problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c62828")
        self.problem.hide()

        self.variations = QSpinBox()
        self.variations.setRange(1, MAX_VARIATIONS)
        self.variations.setAccessibleName("Edit variations")
        self.variations.setToolTip(self.tr("Versions per turn"))
        self.variations.setPrefix("×")
        self.variations.valueChanged.connect(lambda _: self.update_estimate())
        self.estimate = QLabel()
        self.estimate.setAccessibleName("Edit estimate")
        self.replace_button = QToolButton()
        self.replace_button.setText(self.tr("Replace text…"))
        self.replace_button.setAccessibleName("Replace text")
        self.replace_button.setCheckable(True)
        self.replace_button.toggled.connect(self.replace_row.setVisible)
        self.finalize_button = QToolButton()
        self.finalize_button.setText(self.tr("Finalize…"))
        self.finalize_button.setAccessibleName("Finalize")
        self.finalize_button.setToolTip(
            self.tr("Render this draft again at a higher quality or a larger size")
        )
        self.finalize_button.clicked.connect(self.open_finalize)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setAccessibleName("Send edit")
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send)
        turns_row = QHBoxLayout()
        turns_row.addWidget(self.replace_button)
        turns_row.addWidget(self.finalize_button)
        turns_row.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.variations)
        bottom.addWidget(self.estimate, 1)
        bottom.addWidget(self.send_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.notice)
        layout.addWidget(self.empty)
        layout.addWidget(splitter, 1)
        layout.addLayout(self.mask_area)
        layout.addLayout(turns_row)
        layout.addWidget(self.replace_row)
        layout.addWidget(self.instruction)
        layout.addWidget(self.problem)
        layout.addLayout(bottom)
        self.finalize_dialog: FinalizeDialog | None = None

        session.tree_changed.connect(self._tree_changed)
        session.abilities_changed.connect(lambda _: self._update())
        session.mask_changed.connect(lambda _: self._update())
        session.busy_changed.connect(lambda _: self._update())
        session.refused.connect(self.show_problem)
        session.turn_failed.connect(self._offer_again)
        session.paste_back_changed.connect(self.paste_back.setChecked)
        session.conversation.modelReset.connect(self.conversation.scrollToBottom)
        session.images.image_ready.connect(self._picture_for_painter)
        self.conversation.clicked.connect(self._turn_clicked)
        self._tree_changed(session.tree)

    # The painted mask
    @property
    def painter(self) -> MaskPainter:
        if self._painter is None:
            from app.ui.mask_painter import MaskPainter

            self._painter = MaskPainter()
            self._painter.hide()
            self.splitter.addWidget(self._painter)
        return self._painter

    def show_painter(self, on: bool) -> None:
        if not on and self._painter is None:
            return
        self.painter.setVisible(on)
        if on:
            sizes = self.splitter.sizes()
            total = sum(sizes)
            self.splitter.setSizes([total // 5, total // 5, total - 2 * (total // 5)])
        self._paint_current()

    def _paint_current(self) -> None:
        """Show the current version's mask in the painter (asking for its full picture)."""
        if self._painter is None:
            return
        version = self.session.current() if self.painter.isVisible() else None
        image_id = None if version is None else version.image.id
        if image_id == self._painting:
            return
        self._painting = image_id
        self.painter.set_mask(None, None)
        if version is not None:
            self.session.images.request("mask", version.image.id, version.image.path, None)

    def _picture_for_painter(self, purpose: str, image_id: int, image: QImage) -> None:
        if purpose != "mask" or image_id != self._painting:
            return
        mask = self.session.painted_mask()
        if mask is not None and mask.size == image.size():
            self.painter.set_mask(mask, image)
            if id(mask) not in self._followed_masks:
                self._followed_masks.add(id(mask))
                mask.empty_changed.connect(lambda _: self._update())
            self._update()

    # Sending
    def send(self) -> None:
        text = self.instruction.toPlainText()
        self.show_problem("", {})
        if self.session.send(text, n=self.variations.value()):
            self.instruction.clear()

    def send_replacement(self) -> None:
        self.show_problem("", {})
        index = self.replace_block.currentIndex()
        if self.session.replace_text(index, self.replace_text.text(), n=self.variations.value()):
            self.replace_button.setChecked(False)

    def open_finalize(self) -> None:
        self.finalize_dialog = FinalizeDialog(self.session, self)
        self.finalize_dialog.open()

    def choose_mask_file(self) -> None:
        # Into the painter when it is open, where the imported mask can be touched up.
        if self._painter is not None and self._painter.mask_model is not None:
            self.paint_mask.setChecked(True)
            self.painter.choose_file()
            return
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import a mask"), "", self.tr("Mask image (*.png)")
        )
        if path:
            self.session.use_mask_file(Path(path))

    def show_problem(self, code: str, values: object) -> None:
        if not code or code == "edit.unsupported":  # the notice above already says it
            self.problem.hide()
            return
        self.problem.setText(edit_problem_text(code, values if isinstance(values, dict) else {}))
        self.problem.show()

    def _turn_clicked(self, index: QModelIndex) -> None:
        """A turn's row selects the first version it made (to compare, continue or revert)."""
        row = index.data(TURN_ROLE)
        if isinstance(row, TurnRow) and row.image_ids:
            self.versions.select(row.image_ids[0])

    def _offer_again(self, instruction: str) -> None:
        """A turn that made nothing: its instruction comes back to be changed and sent again."""
        if instruction and not self.instruction.toPlainText().strip():
            self.instruction.setPlainText(instruction)

    # Showing
    def _tree_changed(self, tree: object) -> None:
        self.empty.setVisible(tree is None)
        self.replace_block.blockSignals(True)
        self.replace_block.clear()
        version = self.session.current()
        if version is not None:
            for block in spec_of(version).texts:
                first_line = block.text.splitlines()[0] if block.text else ""
                self.replace_block.addItem(f"{block.role}: {first_line[:24]}", block.text)
        self.replace_block.blockSignals(False)
        self._block_chosen()
        self._paint_current()
        self._update()

    def _block_chosen(self) -> None:
        text = self.replace_block.currentData()
        self.replace_text.setText(text if isinstance(text, str) else "")

    def update_estimate(self) -> None:
        usd_value = self.session.estimate(self.variations.value())
        if self.session.tree is None:
            self.estimate.setText("")
        elif self.session.local:
            self.estimate.setText(self.tr("local draft"))
        else:
            self.estimate.setText(f"≈ {usd(usd_value)}")

    def _update(self) -> None:
        abilities: EditAbilities = self.session.abilities
        has_image = self.session.tree is not None
        can_edit = abilities.edits and has_image
        for widget in (self.instruction, self.send_button, self.variations, self.finalize_button):
            widget.setEnabled(can_edit)
        has_blocks = self.replace_block.count() > 0
        self.replace_button.setEnabled(can_edit and has_blocks)
        self.replace_row.setEnabled(can_edit and has_blocks)
        if not has_blocks:
            self.replace_button.setChecked(False)
        masks = can_edit and abilities.masks
        painted = self.session.painted_mask(create=False)
        has_mask = self.session.mask is not None or (painted is not None and not painted.is_empty)
        self.import_mask.setEnabled(masks)
        self.paint_mask.setEnabled(masks)
        if not masks:
            self.paint_mask.setChecked(False)
        self.clear_mask.setEnabled(masks and has_mask)
        self.paste_back.setEnabled(masks)
        if not abilities.edits:
            self.notice.setText(no_edits_text())
        elif not abilities.masks:
            self.notice.setText(no_masks_text())
        self.notice.setVisible(not (abilities.edits and abilities.masks))
        if not has_mask:
            self.mask_label.setText(self.tr("Mask: none"))
            self.mask_label.setToolTip(self.tr("Without a mask the whole image may change"))
        else:
            self.mask_label.setText(self.tr("Mask: on"))
            self.mask_label.setToolTip(self.tr("Only the marked area changes"))
        self.update_estimate()
