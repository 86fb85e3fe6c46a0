"""The layout board's model: the canvas, each text block's box, the selected block, undo, and
each block's text as the typesetter sets it.

A block without a box is shown at its role's default place (``resolve_boxes``); moving it gives it
that box for good. Box and typography changes go into the builder's text blocks through an undo
stack. Previews are laid out and drawn by the typesetter on a worker thread at the canvas's real
pixel size, one block at a time, and arrive as QImages; a newer request for the same block makes
an older result stale, and it is dropped.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import QItemSelectionModel, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPainter, QUndoCommand, QUndoStack

from app.core.placement import resolve_boxes
from app.core.sizes import Size
from app.core.spec import Box, TextBlock
from app.model.builder import BuilderModel
from app.model.properties import Observable
from app.model.size_status import size_status

if TYPE_CHECKING:  # Pillow loads with the first preview, after the window is shown
    from PIL import Image

log = logging.getLogger(__name__)

RENDER_DELAY_MS: Final = 40  # folds a burst of edits into one render
PREVIEW_MARGIN: Final = 0.3  # ink may reach past the box (outlines, shadows): this many ems
_NUDGE_ID: Final = 0x5A4E  # consecutive nudges of one box merge into one undo step


@dataclass(frozen=True, slots=True)
class BlockPreview:
    """A block drawn alone: ``image`` goes at ``offset`` (canvas pixels) on the canvas."""

    row: int
    image: QImage
    offset: tuple[int, int]


def canvas_size(builder: BuilderModel) -> Size:
    """The size that will be requested, or (for an auto or refused size) one of its shape."""
    status = size_status(builder.spec())
    if status.size is not None:
        return status.size
    ratio = status.ratio or 1.0
    return (
        Size(1024, max(1, round(1024 / ratio))) if ratio >= 1 else Size(round(1024 * ratio), 1024)
    )


def render_block(
    block: TextBlock, box: Box, size: Size, underlay: Image.Image | None = None
) -> tuple[QImage, tuple[int, int]]:
    """``block`` set in ``box`` on a canvas of ``size``, drawn on an image just covering the box
    (and the ink that may reach past it), dark or light by what ``underlay`` (the canvas's size)
    has under the box, as a composite is. Runs on a worker thread."""
    from app.typeset.compose import palettes_for
    from app.typeset.layout import layout_blocks
    from app.typeset.render import DARK_TEXT, draw_layouts

    (layout,) = layout_blocks([dataclasses.replace(block, box=box)], size.width, size.height)
    palette = DARK_TEXT if underlay is None else palettes_for(underlay, [layout])[0]
    reach = math.ceil(PREVIEW_MARGIN * layout.font_px) + 2
    left, top, width, height = layout.box
    left, top = left - reach, top - reach
    image = QImage(width + 2 * reach, height + 2 * reach, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        painter.translate(-left, -top)
        draw_layouts(painter, [layout], palette=palette)
    finally:
        painter.end()
    return image, (left, top)


def read_underlay(path: Path, size: Size) -> tuple[QImage, Image.Image] | None:
    """The image at ``path`` (its text-free background, when it is an exact-text composite)
    filling a canvas of ``size`` (centred, cut to its shape), and a Pillow copy; None when it
    cannot be read. Runs on a worker thread."""
    from app.model.images import read_image
    from app.store.exact_parts import kept_background
    from app.typeset.compose import to_pil

    image = read_image(kept_background(path) or path, None)
    if image.isNull():
        return None
    canvas = QSize(size.width, size.height)
    scaled = image.scaled(
        canvas,
        Qt.AspectRatioMode.KeepAspectRatioByExpanding,
        Qt.TransformationMode.SmoothTransformation,
    )
    left = (scaled.width() - size.width) // 2
    top = (scaled.height() - size.height) // 2
    filled = scaled.copy(left, top, size.width, size.height)
    return filled, to_pil(filled)


class _SetBlock(QUndoCommand):
    """One change of a block's box or typography (``changes``), undoable."""

    def __init__(self, board: LayoutBoardModel, row: int, changes: dict[str, Any], text: str):
        super().__init__(text)
        self._board, self.row = board, row
        old = board.builder.blocks.block(row)
        self.before = {name: getattr(old, name) for name in changes}
        self.after = dict(changes)
        self.merge = False  # a nudge that may fold into the one before

    def id(self) -> int:
        return _NUDGE_ID if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _SetBlock) or other.row != self.row or not other.merge:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        self._board._apply(self.row, self.after)

    def undo(self) -> None:
        self._board._apply(self.row, self.before)


class _Relay(QObject):
    """Lives on the GUI thread; emitted from the worker, so delivery is queued."""

    rendered = Signal(object, object)  # key, (image, offset) or None
    underlay_read = Signal(object, object)  # (path, size), (QImage, Pillow image) or None


class LayoutBoardModel(QObject):
    canvas_changed = Signal(object)  # Size
    boxes_changed = Signal()
    preview_ready = Signal(object)  # BlockPreview
    underlay_changed = Signal(object)  # QImage (the canvas's size) or None
    show_underlay_changed = Signal(bool)

    show_underlay = Observable(False)
    """Whether the board shows ``underlay_source`` (the selected variation) under the boxes."""

    def __init__(self, builder: BuilderModel) -> None:
        super().__init__()
        self.builder = builder
        self.blocks = builder.blocks
        self.selection = QItemSelectionModel(self.blocks)
        self.undo_stack = QUndoStack(self)
        self.canvas = canvas_size(builder)
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="zi-board")
        self._wanted: dict[int, tuple[object, ...]] = {}  # row -> key of the preview it needs
        self._shown: dict[int, tuple[object, ...]] = {}  # row -> key of the preview it has
        self._relay = _Relay()
        self._relay.rendered.connect(self._rendered)
        self._relay.underlay_read.connect(self._underlay_read)
        self.underlay_source: Path | None = None
        self.underlay: QImage | None = None
        self._underlay_pixels: Image.Image | None = None
        self._underlay_wanted: tuple[Path, Size] | None = None
        self.show_underlay_changed.connect(lambda _: self._load_underlay())
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RENDER_DELAY_MS)
        self._timer.timeout.connect(self.render_previews)
        builder.spec_changed.connect(self._spec_changed)
        self.blocks.modelReset.connect(
            self.undo_stack.clear
        )  # another spec: old steps mean nothing
        self.blocks.rowsRemoved.connect(self.undo_stack.clear)
        self.blocks.rowsMoved.connect(self.undo_stack.clear)

    # Reading
    def boxes(self) -> list[Box]:
        """Every block's box: its own, or its role's default place."""
        return resolve_boxes(self.blocks.blocks())

    def font_families(self) -> list[str]:
        """The families a block may name: the packaged font first, then the system's CJK fonts."""
        from app.typeset.fonts import FontError, available_families

        try:
            return available_families()
        except FontError:
            return []  # no CJK font at all: the typesetter says so where it sets text

    def selected_row(self) -> int | None:
        index = self.selection.currentIndex()
        return index.row() if index.isValid() and self.selection.isSelected(index) else None

    # Changing
    def select(self, row: int | None) -> None:
        flags = QItemSelectionModel.SelectionFlag
        if row is None or not 0 <= row < self.blocks.rowCount():
            self.selection.clear()
            return
        if self.selected_row() != row:
            self.selection.setCurrentIndex(self.blocks.index(row), flags.ClearAndSelect)

    def set_box(self, row: int, box: Box, *, nudge: bool = False) -> None:
        """Place block ``row`` at ``box``; nudges of one box in a row make one undo step."""
        if self.boxes()[row] == box and self.blocks.block(row).box is not None:
            return
        command = _SetBlock(self, row, {"box": box}, self.tr("Move text {0}").format(row + 1))
        command.merge = nudge
        self.undo_stack.push(command)

    def set_typography(self, row: int, **changes: Any) -> None:
        block = self.blocks.block(row)
        if all(getattr(block, name) == value for name, value in changes.items()):
            return
        text = self.tr("Change the look of text {0}").format(row + 1)
        self.undo_stack.push(_SetBlock(self, row, changes, text))

    def _apply(self, row: int, changes: dict[str, Any]) -> None:
        box = changes.get("box", ...)
        rest = {name: value for name, value in changes.items() if name != "box"}
        if box is not ...:
            self.blocks.set_box(row, box)
        if rest:
            self.blocks.set_typography(row, **rest)

    # Previews
    def set_underlay_source(self, path: Path | None) -> None:
        """The image to show under the boxes when ``show_underlay`` is on."""
        if path != self.underlay_source:
            self.underlay_source = path
            self._load_underlay()

    def _load_underlay(self) -> None:
        path = self.underlay_source if self.show_underlay else None
        wanted = None if path is None else (path, self.canvas)
        if wanted == self._underlay_wanted:
            return
        self._underlay_wanted = wanted
        if wanted is None:
            self._underlay_read(None, None)
        else:
            self._pool.submit(
                lambda: self._relay.underlay_read.emit(wanted, read_underlay(*wanted))
            )

    def _read_underlay(self, wanted: tuple[Path, Size]) -> None:
        self._relay.underlay_read.emit(wanted, read_underlay(*wanted))

    def _underlay_read(
        self, wanted: tuple[Path, Size] | None, read: tuple[QImage, Image.Image] | None
    ) -> None:
        if wanted != self._underlay_wanted:
            return  # another image was asked for since
        self.underlay, self._underlay_pixels = read if read is not None else (None, None)
        self.underlay_changed.emit(self.underlay)
        self.render_previews()  # dark or light text follows what is under each box

    def _spec_changed(self) -> None:
        size = canvas_size(self.builder)
        if size != self.canvas:
            self.canvas = size
            self.canvas_changed.emit(size)
            self._load_underlay()
        self.boxes_changed.emit()
        self._timer.start()

    def render_previews(self) -> None:
        """Ask for the preview of every block whose text, look, box or canvas changed."""
        self._timer.stop()
        size = self.canvas
        blocks = self.blocks.blocks()
        self._wanted = {}
        for row, (block, box) in enumerate(zip(blocks, self.boxes(), strict=True)):
            if not block.text.strip():
                continue
            key = (row, dataclasses.replace(block, box=box), size, id(self._underlay_pixels))
            self._wanted[row] = key
            if self._shown.get(row) != key:
                self._pool.submit(self._render, key)

    def _render(self, key: tuple[Any, ...]) -> None:
        row, block, size, _ = key
        underlay = self._underlay_pixels
        if self._wanted.get(row) != key:
            self._relay.rendered.emit(key, None)  # stale before it started
            return
        try:
            result = render_block(block, block.box, size, underlay)
        except Exception as error:  # a preview that cannot be drawn is simply not shown
            log.warning("the preview of text %d could not be drawn: %s", row + 1, error)
            result = None
        self._relay.rendered.emit(key, result)

    def _rendered(
        self, key: tuple[Any, ...], result: tuple[QImage, tuple[int, int]] | None
    ) -> None:
        row = key[0]
        if result is None or self._wanted.get(row) != key:
            return
        image, offset = result
        self._shown[row] = key
        self.preview_ready.emit(BlockPreview(row, image, offset))

    def forget_previews(self) -> None:
        """The view lost its pictures (it was rebuilt): draw every block again."""
        self._shown.clear()
        self._timer.start()

    def shutdown(self) -> None:
        self._timer.stop()
        self._pool.shutdown(wait=True, cancel_futures=True)
