"""Mask tools over an image: brush, eraser, rectangle, lasso, size and hardness, invert, clear,
show or hide the mask, undo and redo, import a mask file, fit to view.

Built from a ``MaskModel`` and the image it masks (``set_mask``); the Edit panel keeps one model
per version and sends ``mask.api_mask_png()`` with a turn when ``mask.is_empty`` is false.
Keys while the painter has focus: B brush, E eraser, M rectangle, L lasso, [ and ] brush size,
Ctrl+I invert, H show or hide the mask, Ctrl+Z / Ctrl+Shift+Z undo / redo, 0 fit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QImage, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QSpinBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.model.mask import MaskImport, MaskModel
from app.ui.icons import icon
from app.ui.mask_canvas import MaskCanvas, Tool, check_sizes

SIZE_STEP: Final = 1.2
"""[ and ] make the brush this much smaller or larger."""
MIN_SIZE, MAX_SIZE = 1, 2000
MASK_FILES: Final = "*.png *.webp *.jpg *.jpeg *.bmp *.tif *.tiff *.gif"


class MaskPainter(QWidget):
    """The mask painter; ``canvas`` is the painted view, ``actions_by_name`` its actions."""

    message_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Mask painter")
        self.canvas = MaskCanvas()
        self._mask: MaskModel | None = None
        self._undo = QUndoGroup(self)
        self.actions_by_name: dict[str, QAction] = {}

        tools = QToolBar()
        tools.setAccessibleName("Mask tools")
        self._tool_group = QActionGroup(self)
        for tool, glyph, text, key in (
            (Tool.BRUSH, "mask-brush", self.tr("Brush"), "B"),
            (Tool.ERASER, "mask-eraser", self.tr("Eraser"), "E"),
            (Tool.RECTANGLE, "mask-rectangle", self.tr("Rectangle"), "M"),
            (Tool.LASSO, "mask-lasso", self.tr("Lasso"), "L"),
        ):
            action = self._add(tools, tool.value, glyph, text, key)
            action.setCheckable(True)
            action.setChecked(tool == self.canvas.tool)
            action.triggered.connect(lambda _=False, chosen=tool: self.set_tool(chosen))
            self._tool_group.addAction(action)
        tools.addSeparator()
        self.size_box = QSpinBox()
        self.size_box.setRange(MIN_SIZE, MAX_SIZE)
        self.size_box.setSuffix(self.tr(" px"))
        self.size_box.setValue(round(self.canvas.brush_size))
        self.size_box.setAccessibleName("Brush size")
        self.size_box.setToolTip(self.tr("Brush size in image pixels ([ smaller, ] larger)"))
        self.size_box.valueChanged.connect(self._size_changed)
        self.hardness_box = QSpinBox()
        self.hardness_box.setRange(0, 100)
        self.hardness_box.setSuffix(self.tr(" %"))
        self.hardness_box.setValue(round(self.canvas.hardness * 100))
        self.hardness_box.setAccessibleName("Brush hardness")
        self.hardness_box.setToolTip(self.tr("Brush hardness: 100% has a sharp edge"))
        self.hardness_box.valueChanged.connect(self._hardness_changed)
        tools.addWidget(QLabel(self.tr("Size")))
        tools.addWidget(self.size_box)
        tools.addWidget(QLabel(self.tr("Hardness")))
        tools.addWidget(self.hardness_box)

        commands = QToolBar()
        commands.setAccessibleName("Mask commands")
        self._add(commands, "invert", "mask-invert", self.tr("Invert mask"), "Ctrl+I", self.invert)
        self._add(commands, "clear", "mask-clear", self.tr("Clear mask"), None, self.clear)
        overlay = self._add(commands, "overlay", "mask-overlay", self.tr("Show mask"), "H")
        overlay.setCheckable(True)
        overlay.setChecked(True)
        overlay.toggled.connect(self.canvas.set_overlay_visible)
        commands.addSeparator()
        undo = self._undo.createUndoAction(self, self.tr("Undo"))
        redo = self._undo.createRedoAction(self, self.tr("Redo"))
        for name, action, keys in (
            ("undo", undo, [QKeySequence(QKeySequence.StandardKey.Undo)]),
            ("redo", redo, [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]),
        ):
            action.setIcon(icon(name))
            action.setShortcuts(keys)
            self._register(commands, name, action)
        commands.addSeparator()
        self._add(
            commands, "import", "mask-import", self.tr("Import mask…"), None, self.choose_file
        )
        self._add(commands, "fit", "zoom-fit", self.tr("Fit"), "0", self.canvas.fit_to_view)
        for name, key, factor in (("smaller", "[", 1 / SIZE_STEP), ("larger", "]", SIZE_STEP)):
            action = QAction(self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _=False, f=factor: self.scale_brush(f))
            self.addAction(action)
            self.actions_by_name[name] = action

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setContentsMargins(6, 2, 6, 4)
        self.message.setAccessibleName("Mask message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self._toolbars = (tools, commands)
        layout.addWidget(tools)
        layout.addWidget(commands)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.message)
        self.set_mask(None, None)

    def _add(
        self,
        bar: QToolBar,
        name: str,
        glyph: str,
        text: str,
        key: str | None,
        slot: object = None,
    ) -> QAction:
        action = QAction(icon(glyph), text, self)
        if key is not None:
            action.setShortcut(QKeySequence(key))
            action.setToolTip(
                f"{text} ({QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)})"
            )
        if callable(slot):
            action.triggered.connect(lambda _=False: slot())
        self._register(bar, name, action)
        return action

    def _register(self, bar: QToolBar, name: str, action: QAction) -> None:
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setObjectName(f"mask-{name}")
        self.addAction(action)
        bar.addAction(action)
        self.actions_by_name[name] = action

    # -- the mask ---------------------------------------------------------------------------

    @property
    def mask_model(self) -> MaskModel | None:
        return self._mask

    def set_mask(self, mask: MaskModel | None, image: QImage | None) -> None:
        """Paint ``mask`` over ``image`` (same size); None for nothing to paint on."""
        check_sizes(mask, image)  # before anything changes
        if self._mask is not None:
            self._mask.import_finished.disconnect(self._imported)
            self._mask.import_failed.disconnect(self._import_failed)
            self._undo.removeStack(self._mask.undo_stack)
        usable = mask is not None and image is not None and not image.isNull()
        self._mask = mask if usable else None
        self.canvas.set_mask(self._mask, image if usable else None)
        if self._mask is not None:
            self._undo.addStack(self._mask.undo_stack)
            self._undo.setActiveStack(self._mask.undo_stack)
            self._mask.import_finished.connect(self._imported)
            self._mask.import_failed.connect(self._import_failed)
        for bar in self._toolbars:
            bar.setEnabled(self._mask is not None)
        for name, action in self.actions_by_name.items():
            if name not in ("undo", "redo"):  # the undo group enables these
                action.setEnabled(self._mask is not None)
        self.show_message("")

    def set_tool(self, tool: Tool) -> None:
        self.canvas.tool = tool
        self.actions_by_name[tool.value].setChecked(True)

    def scale_brush(self, factor: float) -> None:
        size = self.size_box.value()
        new = round(size * factor)
        if new == size:
            new = size + (1 if factor > 1 else -1)
        self.size_box.setValue(max(MIN_SIZE, min(MAX_SIZE, new)))

    def _size_changed(self, value: int) -> None:
        self.canvas.brush_size = float(value)
        self.canvas.update()

    def _hardness_changed(self, value: int) -> None:
        self.canvas.hardness = value / 100

    def invert(self) -> None:
        if self._mask is not None:
            self._mask.invert()

    def clear(self) -> None:
        if self._mask is not None:
            self._mask.clear()

    # -- importing --------------------------------------------------------------------------

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import mask"),
            "",
            self.tr("Mask images ({patterns});;All files (*)").format(patterns=MASK_FILES),
        )
        if path:
            self.import_mask(path)

    def import_mask(self, path: str | Path) -> None:
        """Import a mask image file (read on a worker thread; the result is said below)."""
        if self._mask is not None:
            self.show_message(self.tr("Reading the mask…"))
            self._mask.request_import(path)

    def _imported(self, report: MaskImport) -> None:
        name = Path(report.path).name
        assert self._mask is not None
        if self._mask.is_empty:
            text = self.tr(
                "“{name}” leaves nothing for the model to change: it is opaque (or white) "
                "everywhere. A mask is transparent, or black, where the picture may change."
            ).format(name=name)
        elif report.scaled:
            size = self._mask.size
            text = self.tr(
                "Imported “{name}”: it was {width}x{height} pixels and was scaled to the "
                "image's {image_width}x{image_height}."
            ).format(
                name=name,
                width=report.width,
                height=report.height,
                image_width=size.width(),
                image_height=size.height(),
            )
        else:
            text = self.tr("Imported “{name}”.").format(name=name)
        self.show_message(text)

    def _import_failed(self, path: str, code: str, detail: str) -> None:
        reasons = {
            "empty": self.tr("the file is empty"),
            "not-image": self.tr("it is not an image file that can be read"),
            "damaged": self.tr("the file is damaged or incomplete"),
            "too-large": self.tr("the image is too large to read safely"),
            "unreadable": self.tr("the file cannot be read ({detail})").format(detail=detail),
        }
        text = self.tr(
            "“{name}” cannot be used as a mask: {reason}. Choose an image file (PNG, WebP, "
            "JPEG…), transparent or black where the picture may change. The mask is unchanged."
        ).format(name=Path(path).name, reason=reasons.get(code, detail or code))
        self.show_message(text)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.message_changed.emit(text)
