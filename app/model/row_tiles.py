"""A rows run's images in the gallery, as a generation's are: a group of tiles per row.

Run directly, every row's tiles appear when the run starts (one per requested image, named by the
row), previews replace their pictures as they stream, and each finished image fills its tile;
a row that fails says why on its tiles. Collected from a Batch, a row's tiles appear as its
results are taken into the library (no previews), each row below the one collected before it.
The tiles are the gallery's own (``GalleryModel.add_job``/``show_partial``/``finish``/
``end_job``), so the bounded picture cache and the text check (``TextChecks`` watches the
gallery) apply to them as to any image.

The ``tell_*`` methods may be called from the engine's thread: they reach the gallery through
queued signals, in the order they were called.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from app.model.gallery import GalleryModel
from app.model.generation import failure_of

if TYPE_CHECKING:
    from app.engine.service import PartialImage
    from app.jobs.batch_run import TakenRow
    from app.jobs.row_run import RowResult
    from app.jobs.run import SavedImage

Reason = tuple[str, dict[str, Any]]


def row_name(values: Mapping[str, str]) -> str:
    """What names a row to the designer: its first value that is not empty."""
    return next((value for value in values.values() if value.strip()), "")


def result_reason(result: RowResult) -> Reason | None:
    """Why a direct row has no (or not all) images, as a tile says it; None when it succeeded."""
    if result.service_error is not None:
        code, _ = failure_of(result.service_error)
        return code, {"detail": result.service_error.message}
    if result.error is not None:
        return "store.failed", {"reason": result.error}
    return None


@dataclass(slots=True)
class _Group:
    group: int
    indexes: tuple[int, ...]  # the job's image index of each tile, in the tiles' order


class _Relay(QObject):
    """Emitted on the engine's thread, delivered on the GUI thread, in order."""

    partial = Signal(object, object)  # row key, PartialImage
    image = Signal(object, object, object)  # row key, SavedImage, actual usd
    ended = Signal(object, object)  # row key, Reason (or None: done)
    taken = Signal(object, bool)  # TakenRow, local
    collecting = Signal()


class RowTiles(QObject):
    def __init__(self, gallery: GalleryModel) -> None:
        super().__init__()
        self.gallery = gallery
        self._groups: dict[Hashable, _Group] = {}
        self._anchor: Hashable | None = None  # the row a batch's collection showed last
        self._relay = _Relay()
        self._relay.partial.connect(self._partial)
        self._relay.image.connect(self._image)
        self._relay.ended.connect(self._ended)
        self._relay.taken.connect(self._taken)
        self._relay.collecting.connect(lambda: setattr(self, "_anchor", None))

    # On the GUI thread
    def add_rows(
        self, rows: Sequence[tuple[Hashable, int, Mapping[str, str], int, str]], *, local: bool
    ) -> None:
        """Tiles for each ``(key, row, values, count, quality)`` at once, the first row on top."""
        for key, row, values, count, quality in reversed(rows):
            self._add(key, row, values, tuple(range(count)), quality, local)

    def reopen(self, keys: Iterable[Hashable]) -> None:
        """The rows' failed tiles wait again: the rows are retried."""
        for key in keys:
            found = self._groups.get(key)
            if found is not None:
                self.gallery.reopen(found.group)

    def cancel(self, keys: Iterable[Hashable]) -> None:
        """The rows' tiles still waiting say the run was cancelled (the images that came stay)."""
        for key in keys:
            found = self._groups.get(key)
            if found is not None:
                self.gallery.end_job(found.group, "cancelled", ("job.cancelled", {}))

    # From any thread
    def tell_partial(self, key: Hashable, partial: PartialImage) -> None:
        self._relay.partial.emit(key, partial)

    def tell_image(self, key: Hashable, saved: SavedImage, usd: float | None) -> None:
        self._relay.image.emit(key, saved, usd)

    def tell_ended(self, key: Hashable, reason: Reason | None) -> None:
        """The row's job ended: tiles still waiting failed (for ``reason``, or fewer images)."""
        self._relay.ended.emit(key, reason)

    def tell_collecting(self) -> None:
        """A batch's collection starts: its first row's tiles go on top."""
        self._relay.collecting.emit()

    def tell_taken(self, taken: TakenRow, *, local: bool) -> None:
        """A batch's row is being collected: its tiles appear (failed, if it has no answer)."""
        self._relay.taken.emit(taken, local)

    # Slots
    def _add(
        self,
        key: Hashable,
        row: int | None,
        values: Mapping[str, str],
        indexes: tuple[int, ...],
        quality: str,
        local: bool,
        at: int = 0,
    ) -> None:
        if not indexes:
            return
        group = self.gallery.new_group()
        self._groups[key] = _Group(group, indexes)
        self.gallery.add_job(
            group, len(indexes), quality=quality, local=local, row=row, row_name=row_name(values),
            at=at,
        )  # fmt: skip

    def _below(self, key: Hashable | None) -> int:
        """The gallery's row just below the tiles of ``key`` (0 when it shows none)."""
        found = None if key is None else self._groups.get(key)
        if found is None:
            return 0
        rows = [self.gallery.row_of((found.group, i)) for i in range(len(found.indexes))]
        shown = [row for row in rows if row is not None]
        return max(shown) + 1 if shown else 0

    def _tile_key(self, key: Hashable, index: int) -> tuple[int, int] | None:
        found = self._groups.get(key)
        if found is None or index not in found.indexes:
            return None
        return found.group, found.indexes.index(index)

    def _partial(self, key: Hashable, partial: PartialImage) -> None:
        tile = self._tile_key(key, partial.image_index)
        if tile is not None:
            self.gallery.show_partial(tile, partial.data)

    def _image(self, key: Hashable, saved: SavedImage, usd: float | None) -> None:
        tile = self._tile_key(key, saved.index)
        if tile is None:
            return
        record = saved.record
        self.gallery.finish(
            tile, path=record.path, image_id=record.id, width=record.width,
            height=record.height, actual_usd=usd,
        )  # fmt: skip

    def _ended(self, key: Hashable, reason: Reason | None) -> None:
        found = self._groups.get(key)
        if found is not None:
            self.gallery.end_job(found.group, "failed", reason or ("job.incomplete", {}))

    def _taken(self, taken: TakenRow, local: bool) -> None:
        at = self._below(self._anchor)
        self._add(taken.job_id, taken.row, taken.values, taken.indexes, taken.quality, local, at)
        if taken.indexes:
            self._anchor = taken.job_id
        if taken.failure is not None:
            self._ended(taken.job_id, ("row.failed", {"detail": taken.failure}))
