"""The builder's reference images: taken in off the GUI thread, listed in order, sent with the job.

Files (several at once), dropped or pasted image data all go through ``take_reference``: checked,
converted where the API would refuse them, and kept in the library, so the spec's references survive
the originals being moved. Each taking ends in an ``Outcome`` that says what was done (or why the
image was refused), for the window to word. The rows are the builder's ``references``: the order
here is the order they are sent in; a spec opened elsewhere shows its own references here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import (
    QAbstractListModel,
    QBuffer,
    QByteArray,
    QIODevice,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QImage, QImageWriter

from app.model.builder import BuilderModel
from app.model.images import ImageDecoder
from app.model.preview import PreviewModel
from app.model.properties import Observable
from app.model.tasks import TaskFunnel

if TYPE_CHECKING:  # Pillow loads with these, after the window is shown
    from app.core.reference_images import Note
    from app.store.references import ReferenceStore

REFERENCE_ROLE: Final = Qt.ItemDataRole.UserRole + 1
ROWS_MIME: Final = "application/x-zi-studio-reference-rows"
THUMBNAIL: Final = QSize(160, 160)
LIMIT: Final = 16
LIMIT_BESIDE_EDIT: Final = 15

Index = QModelIndex | QPersistentModelIndex
Source = Path | bytes | QImage  # a file, dropped image data, or a pasted picture


@dataclass(frozen=True, slots=True)
class Reference:
    path: Path  # the library's kept copy: what is sent
    name: str  # what the user knows it by (the dropped file's name, or "pasted image")
    width: int = 0
    height: int = 0
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one dropped or pasted image: taken (with notes), or refused (``refusal``)."""

    name: str
    notes: tuple[Note, ...] = ()
    refusal: Note | None = None
    remote: bool = False  # only a web link came, no image data: nothing to take


def _png_bytes(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    QImageWriter(buffer, QByteArray(b"png")).write(image)
    return bytes(buffer.data().data())


def _size_of(path: Path) -> tuple[int, int]:
    from PIL import Image

    try:
        with Image.open(path) as image:
            return image.size
    except (OSError, ValueError, Image.DecompressionBombError):
        return (0, 0)


class ReferencesModel(QAbstractListModel):
    taken = Signal(object)  # a list of Outcome, after each drop or paste
    editing_changed = Signal(bool)
    busy_changed = Signal(bool)

    editing = Observable(False)  # beside an image being edited: one fewer
    busy = Observable(False)

    def __init__(
        self,
        builder: BuilderModel,
        preview: PreviewModel,
        funnel: TaskFunnel,
        store_dir: Path,
        decoder: ImageDecoder | None = None,
    ) -> None:
        super().__init__()
        self._builder = builder
        self._preview = preview
        self._funnel = funnel
        self._store_dir = store_dir
        self._store: ReferenceStore | None = None  # made on first use
        self._decoder = decoder or ImageDecoder()
        self._rows: list[Reference] = []
        self._pictures: dict[Path, QImage] = {}
        self._lock = asyncio.Lock()
        self._pending = 0  # being taken now: counted against the limit
        self._decoder.decoded.connect(self._picture_arrived)
        builder.references_changed.connect(self._follow_builder)
        self._follow_builder(builder.references)

    # Qt's model interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == REFERENCE_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.name
        if role == Qt.ItemDataRole.DecorationRole:
            return self._pictures.get(row.path)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return base | Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [ROWS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({index.row() for index in indexes if index.isValid()})
        data.setData(ROWS_MIME, QByteArray(",".join(map(str, rows)).encode()))
        return data

    # Reading
    def references(self) -> tuple[Reference, ...]:
        return tuple(self._rows)

    @property
    def limit(self) -> int:
        """16, or 15 beside an edited image (``reference_limit``'s numbers: that module loads
        Pillow, which must wait until the window is shown; a test keeps the two the same)."""
        return LIMIT_BESIDE_EDIT if self.editing else LIMIT

    # Changes
    def add(self, sources: Sequence[tuple[Source, str]]) -> asyncio.Task[list[Outcome]]:
        """Take each (file or image data, the name to show) in; ``taken`` says what happened."""
        return self._funnel.run_task(self.take(sources), failure_code="references.failed")

    async def take(self, sources: Sequence[tuple[Source, str]]) -> list[Outcome]:
        from app.jobs.references import ReferenceRefused, take_reference  # Pillow loads here
        from app.store.references import ReferenceStore

        if self._store is None:
            self._store = ReferenceStore(self._store_dir)
        store = self._store

        outcomes: list[Outcome] = []
        self._pending += len(sources)
        self.busy = True
        try:
            async with self._lock:  # one drop after another, in the order they came
                for source, name in sources:
                    self._pending -= 1
                    if isinstance(source, QImage):  # encoded off the GUI thread too
                        source = await self._funnel.in_thread(_png_bytes, source)
                    try:
                        taken = await self._funnel.in_thread(
                            lambda s=source: take_reference(
                                store, s, count_before=len(self._rows), editing=self.editing
                            )
                        )
                    except ReferenceRefused as refused:
                        outcomes.append(Outcome(name, refusal=refused.note))
                        continue
                    row = Reference(taken.path, name, taken.width, taken.height, taken.notes)
                    self._insert(len(self._rows), row)
                    outcomes.append(Outcome(name, taken.notes))
        finally:
            self.busy = self._pending > 0
        self.taken.emit(outcomes)
        return outcomes

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            gone = self._rows.pop(row)
            self.endRemoveRows()
            if all(other.path != gone.path for other in self._rows):
                self._pictures.pop(gone.path, None)
            self._publish()

    def move(self, source: int, target: int) -> bool:
        """Put row ``source`` at position ``target`` (0..rowCount, as a drop between rows)."""
        count = len(self._rows)
        if not 0 <= source < count or not 0 <= target <= count or target in (source, source + 1):
            return False
        self.beginMoveRows(QModelIndex(), source, source, QModelIndex(), target)
        row = self._rows.pop(source)
        self._rows.insert(target - 1 if target > source else target, row)
        self.endMoveRows()
        self._publish()
        return True

    # Internals
    def _insert(self, position: int, row: Reference) -> None:
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.insert(position, row)
        self.endInsertRows()
        self._decoder.submit(("reference", row.path), row.path, THUMBNAIL)
        self._publish()

    def _publish(self) -> None:
        """The builder and the estimate follow the rows."""
        paths = tuple(str(row.path) for row in self._rows)
        if self._builder.references != paths:
            self._builder.references = paths
        self._preview.set_reference_sizes(
            tuple((row.width, row.height) for row in self._rows if row.width and row.height)
        )

    def _follow_builder(self, paths: object) -> None:
        """A spec opened or restored: show its references (sizes read off the GUI thread)."""
        wanted = tuple(paths) if isinstance(paths, tuple) else ()
        if wanted == tuple(str(row.path) for row in self._rows):
            return
        self.beginResetModel()
        self._rows = [Reference(Path(path), Path(path).name) for path in wanted]
        self._pictures.clear()
        self.endResetModel()
        for row in self._rows:
            self._decoder.submit(("reference", row.path), row.path, THUMBNAIL)
        if self._rows:
            self._funnel.run_task(self._read_sizes(wanted), failure_code="references.failed")
        else:
            self._preview.set_reference_sizes(())

    async def _read_sizes(self, paths: tuple[str, ...]) -> None:
        sizes = [await self._funnel.in_thread(_size_of, Path(path)) for path in paths]
        if tuple(str(row.path) for row in self._rows) != paths:
            return  # changed meanwhile
        self._rows = [
            Reference(row.path, row.name, w, h, row.notes)
            for row, (w, h) in zip(self._rows, sizes, strict=True)
        ]
        self._publish()

    def _picture_arrived(self, key: object, image: QImage) -> None:
        if not (isinstance(key, tuple) and len(key) == 2 and key[0] == "reference"):
            return
        path = key[1]
        if image.isNull() or all(row.path != path for row in self._rows):
            return
        self._pictures[path] = image
        for number, row in enumerate(self._rows):
            if row.path == path:
                index = self.index(number)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])
