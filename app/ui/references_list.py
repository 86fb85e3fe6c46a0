"""The References list in the builder: drop files or image data, paste, reorder by drag, remove.

What was done to each image (turned upright, made 8-bit RGB, first frame, scaled down) or why it
was refused is said under the list, in the user's language.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QMimeData, QPoint, QSize, Qt, QUrl
from PySide6.QtGui import (
    QAction,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.models import MAX_INPUT_PIXELS
from app.core.reference_cost import ReferenceCost
from app.model.references import ROWS_MIME, Outcome, ReferencesModel, Source
from app.ui.icons import icon
from app.ui.thumbnail_delegate import ThumbnailDelegate
from app.ui.wording import separator, usd

if TYPE_CHECKING:  # Pillow loads with it, after the window is shown
    from app.core.reference_images import Note

translate = QCoreApplication.translate
THUMB_SIDE = 72
IMAGE_FILTER = "*.png *.jpg *.jpeg *.webp *.gif *.bmp *.tif *.tiff *.heic"


def note_text(note: Note) -> str:
    """One thing done to a reference, or why it was refused, in the UI language."""
    v: Mapping[str, Any] = note.values
    texts = {
        "exif_rotated": translate("References", "turned upright as its camera orientation says"),
        "missing": translate("References", "the file is not there any more"),
        "is_folder": translate("References", "a folder, not an image"),
        "empty": translate("References", "the file is empty"),
        "not_an_image": translate(
            "References", "not an image the studio can read; use a PNG, WebP or JPEG file"
        ),
        "damaged": translate("References", "the image is damaged; export it again"),
    }
    if note.code in texts:
        return texts[note.code]
    if note.code == "made_8bit_rgb":
        bits = v.get("bits")
        return translate("References", "converted from {depth}{mode} to 8-bit {to}").format(
            depth=f"{bits}-bit " if bits not in (None, 8) else "",
            mode=v.get("mode"),
            to=v.get("to"),
        )
    if note.code == "first_frame":
        return translate(
            "References", "animated ({frames} frames): its first frame is used"
        ).format(frames=v.get("frames"))
    if note.code == "scaled_down":
        text = (
            translate("References", "scaled down from {w}x{h} to {tw}x{th} (too many pixels)")
            if v.get("reason") == "pixels"
            else translate("References", "scaled down from {w}x{h} to {tw}x{th} (over 50 MB)")
        )
        return text.format(
            w=v.get("width"), h=v.get("height"), tw=v.get("to_width"), th=v.get("to_height")
        )
    if note.code == "converted_format":
        return translate("References", "converted from {source} to {to}").format(
            source=v.get("source"), to=str(v.get("to")).upper()
        )
    if note.code == "cannot_read":
        return translate("References", "cannot be read ({reason})").format(reason=v.get("reason"))
    if note.code == "too_big_to_read":
        return translate("References", "larger than {limit} MB; export it smaller").format(
            limit=v.get("limit_mb")
        )
    if note.code == "too_large_to_open":
        return translate(
            "References", "too large: more than {pixels} pixels; export it smaller"
        ).format(pixels=f"{MAX_INPUT_PIXELS:,}")
    if note.code == "too_many":
        if v.get("editing"):
            return translate(
                "References",
                "refused: at most {limit} references beside the image being edited; remove one "
                "first",
            ).format(limit=v.get("limit"))
        return translate(
            "References", "refused: at most {limit} references; remove one first"
        ).format(limit=v.get("limit"))
    return str(note)


def outcome_text(outcome: Outcome) -> str:
    if outcome.remote:
        return translate(
            "References",
            "{name}: not added, only a link to the web came; save the image, then drop the file",
        ).format(name=outcome.name)
    if outcome.refusal is not None:
        return translate("References", "{name}: not added, {why}").format(
            name=outcome.name, why=note_text(outcome.refusal)
        )
    if not outcome.notes:
        return translate("References", "{name}: added as it is").format(name=outcome.name)
    done = separator().join(note_text(note) for note in outcome.notes)
    return translate("References", "{name}: added, {done}").format(name=outcome.name, done=done)


def reference_range_text(cost: ReferenceCost) -> str:
    """The tooltip line that says the estimate is a range, and why."""
    text = translate(
        "References",
        "{count} reference image(s) add about {low}–{high} input tokens (no formula is published:"
        " low detail to full detail), so the estimate is a range.",
    ).format(count=cost.images, low=f"{cost.tokens_low:,}", high=f"{cost.tokens_high:,}")
    if cost.usd_spread is not None:
        text += " " + translate("References", "The range spans {usd}.").format(
            usd=usd(cost.usd_spread)
        )
    return text


def sources_from_mime(mime: QMimeData) -> tuple[list[tuple[Source, str]], list[Outcome]]:
    """What a drop or the clipboard holds, as sources to take, and what cannot be used.

    Files on this computer come first (several at once); otherwise the image data a browser or
    a screenshot tool puts beside its links; a bare link to the web cannot be fetched here.
    """
    urls = mime.urls() if mime.hasUrls() else []
    files = [url for url in urls if url.isLocalFile()]
    if files:
        return [(Path(url.toLocalFile()), Path(url.toLocalFile()).name) for url in files], []
    name = _remote_name(urls) or translate("References", "dropped image")
    for kind in mime.formats():
        if kind.startswith("image/") and kind != "image/svg+xml":
            data = bytes(mime.data(kind).data())
            if data:
                return [(data, name)], []
    if mime.hasImage():
        image = mime.imageData()
        if isinstance(image, QImage) and not image.isNull():
            return [(image, name)], []
    if urls:
        return [], [Outcome(name, remote=True)]
    return [], []


def _remote_name(urls: list[QUrl]) -> str:
    for url in urls:
        name = url.fileName()
        if name:
            return name
    return ""


class ReferencesView(QListView):
    """Thumbnails in a row; drop files or image data on it, drag a thumbnail to reorder."""

    def __init__(self, model: ReferencesModel, panel: ReferencesPanel) -> None:
        super().__init__()
        self.setAccessibleName("References")
        self.setModel(model)
        self._panel = panel
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Snap)
        cell = QSize(THUMB_SIDE + 12, THUMB_SIDE + 26)
        self.setItemDelegate(ThumbnailDelegate(cell, QSize(THUMB_SIDE, THUMB_SIDE), self))
        self.setIconSize(QSize(THUMB_SIDE, THUMB_SIDE))
        self.setGridSize(cell)
        self.setUniformItemSizes(True)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setMinimumHeight(THUMB_SIDE + 34)
        self.setMaximumHeight(2 * (THUMB_SIDE + 26) + 8)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._accepts(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._accepts(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        if mime.hasFormat(ROWS_MIME):
            rows = bytes(mime.data(ROWS_MIME).data()).decode() or "-1"
            source = int(rows.split(",")[0])
            model = self.model()
            assert isinstance(model, ReferencesModel)
            model.move(source, self.drop_position(event.position().toPoint()))
            event.setDropAction(Qt.DropAction.CopyAction)  # the view must not remove the row
            event.accept()
            return
        self._panel.take_mime(mime)
        event.acceptProposedAction()

    def drop_position(self, point: QPoint) -> int:
        """Where a thumbnail dropped at ``point`` goes: before or after the one under it."""
        index = self.indexAt(point)
        if not index.isValid():
            return self.model().rowCount()
        rect = self.visualRect(index)
        return index.row() + (1 if point.x() > rect.center().x() else 0)

    @staticmethod
    def _accepts(mime: QMimeData) -> bool:
        return (
            mime.hasFormat(ROWS_MIME)
            or mime.hasUrls()
            or mime.hasImage()
            or any(kind.startswith("image/") for kind in mime.formats())
        )


class ReferencesPanel(QWidget):
    def __init__(self, model: ReferencesModel) -> None:
        super().__init__()
        self.model = model
        self.list = ReferencesView(model, self)
        self.count = QLabel()
        self.count.setAccessibleName("Reference count")
        self.add_button = QToolButton()
        self.add_button.setIcon(icon("open"))
        self.add_button.setText(self.tr("Add…"))
        self.add_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.add_button.setAccessibleName("Add references")
        self.add_button.setToolTip(
            self.tr("Add reference images; you can also drop files or images here, or paste one")
        )
        self.remove_button = QToolButton()
        self.remove_button.setIcon(icon("delete"))
        self.remove_button.setText(self.tr("Remove"))
        self.remove_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.remove_button.setAccessibleName("Remove reference")
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setAccessibleName("Reference notes")
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes.hide()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.count, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.list)
        layout.addWidget(self.notes)

        remove = QAction(self.tr("Remove reference"), self.list)
        remove.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self.remove_selected)
        self.list.addAction(remove)
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button.clicked.connect(self.remove_selected)
        model.taken.connect(self.show_outcomes)
        model.rowsInserted.connect(self._update)
        model.rowsRemoved.connect(self._update)
        model.modelReset.connect(self._update)
        model.modelReset.connect(self.notes.hide)  # another spec: its notes no longer apply
        model.editing_changed.connect(self._update)
        model.busy_changed.connect(self._update)
        self.list.selectionModel().selectionChanged.connect(self._update)
        self._update()

    def take_mime(self, mime: QMimeData) -> None:
        sources, refused = sources_from_mime(mime)
        if sources:
            self.model.add(sources)
        if refused:
            self.show_outcomes(refused)

    def paste(self) -> bool:
        """Ctrl+V: the clipboard's image (or copied image files) as a reference."""
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None:
            return False
        sources, refused = sources_from_mime(mime)
        if not sources and not refused:
            self.show_outcomes([], text=self.tr("The clipboard holds no image to paste."))
            return False
        self.take_mime(mime)
        return bool(sources)

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Add reference images"),
            "",
            self.tr("Images ({patterns})").format(patterns=IMAGE_FILTER),
        )
        if paths:
            self.model.add([(Path(path), Path(path).name) for path in paths])

    def remove_selected(self) -> None:
        index = self.list.currentIndex()
        if index.isValid():
            self.model.remove(index.row())

    def show_outcomes(self, outcomes: object, *, text: str = "") -> None:
        """What was done to each image (the refused in the warning colour); images taken as
        they were are counted, not listed."""
        items = (
            [i for i in outcomes if isinstance(i, Outcome)] if isinstance(outcomes, list) else []
        )
        plain = [i for i in items if i.refusal is None and not i.remote and not i.notes]
        lines: list[tuple[str, bool]] = []
        if len(plain) == 1:
            lines.append((outcome_text(plain[0]), False))
        elif plain:
            lines.append(
                (self.tr("{count} images added as they are").format(count=len(plain)), False)
            )
        for item in items:
            if item not in plain:
                lines.append((outcome_text(item), item.refusal is not None or item.remote))
        if text:
            lines.append((text, True))
        warning = "#b45309"
        self.notes.setText(
            "<br>".join(
                f'<span style="color:{warning}">{html.escape(line)}</span>'
                if bad
                else html.escape(line)
                for line, bad in lines
            )
        )
        self.notes.setVisible(bool(lines))

    def _update(self, *_: object) -> None:
        count = self.model.rowCount()
        text = self.tr("{count} of {limit}").format(count=count, limit=self.model.limit)
        if self.model.busy:
            text += " · " + self.tr("converting…")
        self.count.setText(text)
        self.remove_button.setEnabled(self.list.currentIndex().isValid())
