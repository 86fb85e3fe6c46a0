"""The gallery's tiles: one row per requested image, newest job first.

A tile appears as soon as its job is queued; partial images replace its picture as they stream;
the finished tile knows its file, size, quality and cost; a failed or cancelled one says why.
Queue entries group their tiles by the entry's id; other groups (a rows run's rows, images brought
back from the library) take a negative id from ``new_group``.
Pictures live in a bounded ``ImageCache``: a tile whose picture was dropped asks the decoder for it
again from its file when it is drawn. Discarding a tile is an undoable command.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QImage, QUndoCommand, QUndoStack

from app.model.images import THUMBNAIL_SIDE, ImageCache, ImageDecoder
from app.model.tile_drag import TILE_FORMATS, tile_mime

TILE_ROLE: Final = Qt.ItemDataRole.UserRole + 1
"""The row's ``Tile`` (a frozen dataclass) under this item-data role."""

Index = QModelIndex | QPersistentModelIndex
TileKey = tuple[int, int]  # (queue entry id, image index in the job)


@dataclass(frozen=True, slots=True)
class Tile:
    key: TileKey
    state: str = "waiting"  # waiting, streaming, done, failed, cancelled
    partials: int = 0
    path: Path | None = None
    image_id: int | None = None
    width: int = 0
    height: int = 0
    quality: str = ""
    actual_usd: float | None = None
    local: bool = False
    favourite: bool = False
    reason: tuple[str, dict[str, Any]] | None = None  # why a tile failed (a message code)
    picture_version: int = 0
    row: int | None = None
    """The table row (0-based) a rows run made this image from, or None."""
    row_name: str = ""
    """What names that row to the designer (its first value)."""

    @property
    def number(self) -> int:
        return self.key[1] + 1


class GalleryModel(QAbstractListModel):
    favourite_changed = Signal(int, bool)  # image id, favourite: the library is told off-thread
    discarded = Signal(int)  # image id: into the library's trash
    undiscarded = Signal(int)  # image id: out of the trash again (undo)
    image_ready = Signal(str, object, QImage)  # purpose, tile key, the full image

    def __init__(self, decoder: ImageDecoder, cache: ImageCache | None = None) -> None:
        super().__init__()
        self._tiles: list[Tile] = []
        self._rows: dict[TileKey, int] = {}
        self._decoder = decoder
        self._cache = cache if cache is not None else ImageCache()
        self._asked: set[tuple[TileKey, int]] = set()
        # The newest picture each tile has shown: kept until the next one is decoded, so a tile
        # does not go blank between two previews.
        self._shown: dict[TileKey, tuple[TileKey, int]] = {}
        self.undo_stack = QUndoStack(self)
        self._last_group = 0
        decoder.decoded.connect(self._picture_arrived)

    # Qt's model interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._tiles)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._tiles):
            return None
        tile = self._tiles[index.row()]
        if role == TILE_ROLE:
            return tile
        if role == Qt.ItemDataRole.DecorationRole:
            return self.picture(tile)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{tile.number}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self._tiles[index.row()].path is not None:
            flags |= Qt.ItemFlag.ItemIsDragEnabled  # out to the desktop or another application
        return flags

    def mimeTypes(self) -> list[str]:
        return list(TILE_FORMATS)

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        paths = [self._tiles[i.row()].path for i in indexes if i.isValid()]
        return tile_mime([path for path in paths if path is not None])

    # Reading
    def tile(self, row: int) -> Tile:
        return self._tiles[row]

    def tiles(self) -> tuple[Tile, ...]:
        return tuple(self._tiles)

    def row_of(self, key: TileKey) -> int | None:
        return self._rows.get(key)

    def picture(self, tile: Tile) -> QImage | None:
        """The tile's picture if it is cached; else asks for it (from its file) and says None."""
        key = (tile.key, tile.picture_version)
        image = self._cache.get(key)
        if image is None and tile.path is not None and key not in self._asked:
            self._asked.add(key)
            self._decoder.submit(
                key, tile.path, QSize(THUMBNAIL_SIDE, THUMBNAIL_SIDE), group=tile.key
            )
        if image is None and tile.key in self._shown:
            image = self._cache.get(self._shown[tile.key])
        return image

    def request_image(self, purpose: str, row: int, fit: QSize | None = None) -> bool:
        """Decode the tile's file in full (or to ``fit``) for ``purpose`` (a large view, the
        clipboard); ``image_ready`` brings it. False when the tile has no file yet."""
        tile = self._tiles[row]
        if tile.path is None:
            return False
        self._decoder.submit((purpose, tile.key, tile.picture_version), tile.path, fit)
        return True

    # Changes from the job queue
    def new_group(self) -> int:
        """A group id no queue entry has (negative), for tiles that are not a queue entry's."""
        self._last_group -= 1
        return self._last_group

    def add_job(
        self,
        entry_id: int,
        count: int,
        *,
        quality: str,
        local: bool,
        row: int | None = None,
        row_name: str = "",
        at: int = 0,
    ) -> None:
        """The tiles of a newly queued job, at the top (or from the gallery's row ``at``);
        ``row``: the table row it is made from."""
        at = max(0, min(at, len(self._tiles)))
        self.beginInsertRows(QModelIndex(), at, at + count - 1)
        new = [
            Tile((entry_id, i), quality=quality, local=local, row=row, row_name=row_name)
            for i in range(count)
        ]
        self._tiles[at:at] = new
        self.endInsertRows()
        self._reindex()

    def show_partial(self, key: TileKey, data: bytes) -> None:
        row = self._rows.get(key)
        if row is None or self._tiles[row].state not in ("waiting", "streaming"):
            return  # a preview that arrives after its job ended changes nothing
        tile = self._update(key, state="streaming", bump=True)
        if tile is not None and tile.state == "streaming":
            self._decoder.submit(
                (key, tile.picture_version),
                data,
                QSize(THUMBNAIL_SIDE, THUMBNAIL_SIDE),
                group=key,
            )

    def finish(self, key: TileKey, **values: Any) -> None:
        self._update(key, state="done", bump=True, **values)

    def show_version(
        self, key: TileKey, *, image_id: int, path: Path, width: int, height: int
    ) -> None:
        """The tile shows another version of its image (its text set again): nothing spent."""
        self._update(
            key, bump=True, image_id=image_id, path=path, width=width, height=height,
            actual_usd=0.0,
        )  # fmt: skip

    def end_job(self, entry_id: int, state: str, reason: tuple[str, dict[str, Any]] | None) -> None:
        """Tiles of a job that ended without an image say why (failed or cancelled)."""
        for tile in list(self._tiles):
            if tile.key[0] == entry_id and tile.state in ("waiting", "streaming"):
                self._update(tile.key, state=state, reason=reason)

    def reopen(self, entry_id: int) -> None:
        """Tiles of the group that failed or were cancelled wait again (their job is retried)."""
        for tile in list(self._tiles):
            if tile.key[0] == entry_id and tile.state in ("failed", "cancelled"):
                self._update(tile.key, state="waiting", reason=None)

    def show_kept(self, entry_id: int, tiles: Sequence[Tile]) -> None:
        """Images already in the library (a job opened from it, a dropped studio image), at the
        top, as a group keyed by ``entry_id`` (negative: not a queue entry)."""
        if not tiles:
            return
        self.beginInsertRows(QModelIndex(), 0, len(tiles) - 1)
        self._tiles[0:0] = [
            dataclasses.replace(tile, key=(entry_id, i), state="done")
            for i, tile in enumerate(tiles)
        ]
        self.endInsertRows()
        self._reindex()

    def set_favourite(self, row: int, favourite: bool) -> None:
        tile = self._tiles[row]
        if tile.state != "done" or tile.favourite == favourite:
            return
        self._update(tile.key, favourite=favourite)
        if tile.image_id is not None:
            self.favourite_changed.emit(tile.image_id, favourite)

    def discard(self, row: int) -> None:
        """Take the tile out of the gallery (its image goes to the library's trash); Ctrl+Z puts
        it back."""
        self.undo_stack.push(_Discard(self, row))

    # Internals
    def _insert(self, row: int, tile: Tile) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self._tiles.insert(row, tile)
        self.endInsertRows()
        self._reindex()

    def _take(self, row: int) -> Tile:
        self.beginRemoveRows(QModelIndex(), row, row)
        tile = self._tiles.pop(row)
        self.endRemoveRows()
        self._reindex()
        return tile

    def _reindex(self) -> None:
        self._rows = {tile.key: row for row, tile in enumerate(self._tiles)}

    def _update(self, key: TileKey, *, bump: bool = False, **changes: Any) -> Tile | None:
        row = self._rows.get(key)
        if row is None:  # discarded meanwhile
            return None
        old = self._tiles[row]
        if old.state == "done" and changes.get("state") not in (None, "done"):
            return old  # a finished image is never marked failed by a late end of its job
        if bump:
            changes["picture_version"] = old.picture_version + 1
        if "state" in changes and changes["state"] == "streaming":
            changes["partials"] = old.partials + 1
        new = dataclasses.replace(old, **changes)
        self._tiles[row] = new
        index = self.index(row)
        self.dataChanged.emit(index, index)
        return new

    def _picture_arrived(self, key: object, image: QImage) -> None:
        if isinstance(key, tuple) and len(key) == 3 and isinstance(key[0], str):
            if not image.isNull():
                self.image_ready.emit(key[0], key[1], image)
            return
        if not isinstance(key, tuple) or len(key) != 2 or image.isNull():
            return
        self._asked.discard(key)  # once dropped from the cache, it may be asked for again
        tile_key, version = key
        row = self._rows.get(tile_key)
        if row is None or self._tiles[row].picture_version != version:
            return  # a newer picture is on its way, or the tile is gone
        previous = self._shown.get(tile_key)
        if previous is not None and previous != key:
            self._cache.discard(previous)
        self._shown[tile_key] = key
        self._cache.put(key, image)
        index = self.index(row)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


class _Discard(QUndoCommand):
    def __init__(self, gallery: GalleryModel, row: int) -> None:
        super().__init__()
        self._gallery = gallery
        self._row = row
        self._tile: Tile | None = None
        self.setText(gallery.tr("Discard image"))

    def redo(self) -> None:
        self._tile = self._gallery._take(self._row)
        if self._tile.image_id is not None:
            self._gallery.discarded.emit(self._tile.image_id)

    def undo(self) -> None:
        if self._tile is not None:
            self._gallery._insert(self._row, self._tile)
            if self._tile.image_id is not None:
                self._gallery.undiscarded.emit(self._tile.image_id)
