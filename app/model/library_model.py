"""The Library view's rows: every image in the library (or its trash), newest first, virtualised.

A search returns only ids (``Library.search_ids``: milliseconds over 10,000 images); the records
of the rows a view draws are read a page at a time on a worker thread, and their thumbnails come
from the disk thumbnail cache (``ThumbnailMaker``), decoded off the GUI thread into a bounded
in-memory cache. They are decoded at the screen's device pixel ratio (``set_pixel_ratio``: 192
pixels for a 96-point cell on a scale-2 screen) and carry it, so they are drawn sharp; both caches
are keyed by that size. Deleting puts an image in the library's trash, undoably; the trash can be
listed, restored from and emptied.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QImage, QUndoCommand, QUndoStack

from app.model.images import ImageCache, read_image
from app.model.properties import Observable
from app.model.tasks import TaskFunnel, background_priority

ROW_ROLE: Final = Qt.ItemDataRole.UserRole + 1
PAGE: Final = 60
THUMB: Final = QSize(96, 96)  # the cell's picture, in device-independent pixels
_DISK_SIDES: Final = (256, 512)  # the disk cache's sizes: the smallest that covers the screen's
THUMB_CACHE_BYTES: Final = 24 * 1024 * 1024
_DRAWN_FORMAT: Final = QImage.Format.Format_ARGB32_Premultiplied

Index = QModelIndex | QPersistentModelIndex
LibrarySource = Callable[[], Any]  # the open Library, or None while it loads


@dataclass(frozen=True, slots=True)
class LibraryRow:
    image_id: int
    job_id: str
    path: Path
    sha256: str
    title: str  # the headline (or first text, or description)
    texts: tuple[str, ...]
    created: str
    favourite: bool
    exact: bool | None  # the text check's verdict; None until checked
    width: int
    height: int
    job_in_trash: bool = False


def _title(spec: dict[str, Any] | None) -> tuple[str, tuple[str, ...]]:
    blocks = [b for b in (spec or {}).get("texts") or () if isinstance(b, dict)]
    texts = tuple(str(b.get("text") or "") for b in blocks)
    headline = next(
        (str(b["text"]) for b in blocks if b.get("role") == "headline" and b.get("text")), ""
    )
    title = headline or (texts[0] if texts else "") or str((spec or {}).get("description") or "")
    return " ".join(title.split())[:60], texts


def read_rows(library: Any, ids: Sequence[int]) -> list[LibraryRow]:
    """The rows of ``ids`` (on a worker thread): records, their jobs' titles, text checks."""
    records = library.images_by_ids(list(ids))
    if len(records) < len(ids):  # some are in the trash: the trash view lists those too
        found = {record.id for record in records}
        records += [r for r in (library.image(i) for i in ids if i not in found) if r is not None]
    jobs: dict[str, Any] = {}
    for record in records:
        if record.job_id not in jobs:
            jobs[record.job_id] = library.job(record.job_id)
    exact = library.text_exact([record.id for record in records])
    rows = []
    for record in records:
        job = jobs.get(record.job_id)
        title, texts = _title(job.spec if job is not None else None)
        rows.append(
            LibraryRow(
                record.id, record.job_id, record.path, record.sha256, title, texts,
                f"{record.created_at.astimezone():%Y-%m-%d %H:%M}", record.favourite,
                exact.get(record.id), record.width, record.height,
                job_in_trash=job is not None and job.in_trash,
            )
        )  # fmt: skip
    return rows


def search_ids(library: Any, query: Any, exact_only: bool) -> list[int]:
    """The ids a search (a ``LibraryQuery``) shows, newest first (on a worker thread)."""
    ids: list[int] = library.search_ids(query)
    if exact_only:
        exact = library.text_exact(ids)
        ids = [image_id for image_id in ids if exact.get(image_id)]
    return ids


def trash_ids(library: Any) -> list[int]:
    """The images in the trash: those deleted one by one, and those of deleted jobs."""
    trash = library.trash()
    ids = [image.id for image in trash.images]
    for job in trash.jobs:
        ids += [image.id for image in library.images(job.id, include_trash=True)]
    return ids


class _Thumbnails(QObject):
    """Disk-cached thumbnails, made and decoded on one background-priority worker (the GUI
    thread keeps a core); ``ready`` arrives queued on the GUI thread."""

    ready = Signal(int, int, QImage)  # image id, side in pixels, the thumbnail

    def __init__(self, thumbnails_dir: Path) -> None:
        super().__init__()
        from app.store.thumbnails import ThumbnailMaker

        self.maker = ThumbnailMaker(thumbnails_dir, workers=1)  # names and sweeps the cache
        self._pool = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="zi-thumbs", initializer=background_priority
        )
        self._closed = False

    def ask(self, image_id: int, path: Path, sha256: str, ratio: float) -> None:
        """Decode (making it first when missing) ``image_id``'s thumbnail for a cell of
        ``THUMB`` on a screen of device pixel ratio ``ratio``."""
        if self._closed:
            return
        side = thumb_side(ratio)
        disk = next((d for d in _DISK_SIDES if d >= side), _DISK_SIDES[-1])
        thumbnail = self.maker.path_for(sha256, max_side=disk)
        self._pool.submit(self._make, image_id, path, thumbnail, disk, side, ratio)

    def _make(
        self, image_id: int, source: Path, thumbnail: Path, disk: int, side: int, ratio: float
    ) -> None:
        from app.store.files import StoreError
        from app.store.thumbnails import make_thumbnail

        if self._closed:
            return
        fit = QSize(side, side)
        image = read_image(thumbnail, fit)  # cached on disk already: only decoded
        if image.isNull():
            try:
                make_thumbnail(source, thumbnail, disk)
            except (StoreError, OSError):
                return  # moved or damaged: the cell keeps its blank square
            image = read_image(thumbnail, fit)
        if not image.isNull() and not self._closed:
            image.convertTo(
                _DRAWN_FORMAT if image.hasAlphaChannel() else QImage.Format.Format_RGB32
            )
            image.setDevicePixelRatio(ratio)  # drawn at its own size: one pixel per device pixel
            self.ready.emit(image_id, side, image)  # in the screen's format: drawn as it is

    def shutdown(self) -> None:
        self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)
        self.maker.shutdown(wait=False)


def thumb_side(ratio: float) -> int:
    """The side, in pixels, of a thumbnail that fills ``THUMB`` on a screen of ``ratio``."""
    return max(1, round(THUMB.width() * max(ratio, 1.0)))


class LibraryModel(QAbstractListModel):
    searched = Signal(int, float)  # rows found, milliseconds the search took
    trash_mode_changed = Signal(bool)
    unfinished_changed = Signal(object)  # a list of (job id, title, status, missing)
    spend_changed = Signal(float, float)  # US$ spent today, this calendar month (billed jobs)
    trash_mode = Observable(False)
    unfinished: Observable[tuple[tuple[str, str, str, int], ...]] = Observable(())

    def __init__(self, funnel: TaskFunnel, library: LibrarySource, thumbnails_dir: Path) -> None:
        super().__init__()
        self._funnel = funnel
        self._library = library
        self._ids: list[int] = []
        self._positions: dict[int, int] = {}
        self._rows: dict[int, LibraryRow] = {}
        self._asked_pages: set[int] = set()
        self._asked_thumbs: set[tuple[int, int]] = set()  # (image id, side in pixels)
        self._pixel_ratio = 1.0
        self._generation = 0
        self._cache = ImageCache(THUMB_CACHE_BYTES)
        self._thumbnails_dir = thumbnails_dir
        self._thumbnails: _Thumbnails | None = None  # made on first use (it loads Pillow)
        self.text = ""
        self.favourites_only = False
        self.exact_only = False
        self.engine: str | None = None  # "local", "remote" (any service) or None (all)
        self.within_days: int | None = None  # made in the last N days, or any time
        self.undo_stack = QUndoStack(self)
        self._closed = False

    # Qt's model interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        image_id = self._ids[index.row()]
        row = self._rows.get(image_id)
        if row is None:
            self._ask_page(index.row() // PAGE)
            return None
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            star = "★ " if row.favourite else ""
            return f"{star}{row.title or row.created}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join([*row.texts, row.created, f"{row.width}x{row.height}"])
        if role == Qt.ItemDataRole.DecorationRole:
            key = (image_id, thumb_side(self._pixel_ratio))
            image = self._cache.get(key)
            if image is None and key not in self._asked_thumbs:
                self._asked_thumbs.add(key)
                self._thumbnail_maker().ask(image_id, row.path, row.sha256, self._pixel_ratio)
            return image
        return None

    # The screen
    @property
    def pixel_ratio(self) -> float:
        return self._pixel_ratio

    def set_pixel_ratio(self, ratio: float) -> None:
        """The device pixel ratio of the screen the view is on: thumbnails are remade for it."""
        if ratio <= 0 or ratio == self._pixel_ratio:
            return
        self._pixel_ratio = ratio
        if self._ids:
            last = self.index(len(self._ids) - 1)
            self.dataChanged.emit(self.index(0), last, [Qt.ItemDataRole.DecorationRole])

    # Reading
    def row_at(self, row: int) -> LibraryRow | None:
        return self._rows.get(self._ids[row]) if 0 <= row < len(self._ids) else None

    def position_of(self, image_id: int) -> int | None:
        return self._positions.get(image_id)

    def ids(self) -> tuple[int, ...]:
        return tuple(self._ids)

    # Searching
    def search(self, text: str | None = None, *, favourites: bool | None = None,
               exact_only: bool | None = None) -> None:  # fmt: skip
        """Show what matches (the arguments given replace the current ones)."""
        if text is not None:
            self.text = text
        if favourites is not None:
            self.favourites_only = favourites
        if exact_only is not None:
            self.exact_only = exact_only
        self.refresh()

    def refresh(self) -> None:
        self._funnel.run_task(self.reload(), failure_code="library.failed")

    async def reload(self) -> None:
        library = self._library()
        if library is None or self._closed:
            return
        self._generation += 1
        generation = self._generation
        started = time.perf_counter()
        if self.trash_mode:
            ids = await self._funnel.in_thread(trash_ids, library)
        else:
            ids = await self._funnel.in_thread(search_ids, library, self.query(), self.exact_only)
        elapsed = (time.perf_counter() - started) * 1000
        if generation != self._generation:
            return  # a newer search is on its way
        self.beginResetModel()
        self._ids = ids
        self._index_positions()
        # Rows already read stay (a new job only adds rows at the top); the others are dropped.
        self._rows = {key: row for key, row in self._rows.items() if key in self._positions}
        self._asked_pages.clear()
        self.endResetModel()
        self.searched.emit(len(ids), elapsed)
        if not self.trash_mode:  # the jobs to re-run follow, after the rows are shown
            self._funnel.run_task(self._read_unfinished(library), failure_code="library.failed")
            self._funnel.run_task(self._read_spend(library), failure_code="library.failed")

    def filter_by(self, engine: str | None, within_days: int | None) -> None:
        """Only images of one engine ("local", "remote"), or made in the last days (None: all)."""
        self.engine = engine
        self.within_days = within_days
        self.refresh()

    def query(self) -> Any:
        from app.store.search import LibraryQuery

        since = None
        if self.within_days is not None:
            since = datetime.now(UTC) - timedelta(days=self.within_days)
        return LibraryQuery(
            text=self.text, favourites_only=self.favourites_only, engine=self.engine, since=since
        )

    def show_trash(self, on: bool) -> None:
        self.trash_mode = on
        self.refresh()

    async def _read_spend(self, library: Any) -> None:
        def read() -> tuple[float, float]:
            now = datetime.now().astimezone()  # the user's own calendar, as the library counts
            day = {s.period: s.usd for s in library.spend_by("day", limit=1)}
            month = {s.period: s.usd for s in library.spend_by("month", limit=1)}
            return day.get(now.strftime("%Y-%m-%d"), 0.0), month.get(now.strftime("%Y-%m"), 0.0)

        today, month = await self._funnel.in_thread(read)
        self.spend_changed.emit(today, month)

    async def _read_unfinished(self, library: Any) -> None:
        def read() -> tuple[tuple[str, str, str, int], ...]:
            from app.store.library import RESUMABLE

            found = []
            for status in RESUMABLE:
                for job in library.jobs(status=status, limit=50):
                    have = len(library.images(job.id, include_trash=True))
                    if have < job.request.n:
                        title, _ = _title(job.spec)
                        found.append((job.id, title, status, job.request.n - have))
            return tuple(found)

        self.unfinished = await self._funnel.in_thread(read)

    # Changes
    def set_favourite(self, row: int, favourite: bool) -> None:
        current = self.row_at(row)
        library = self._library()
        if current is None or library is None or current.favourite == favourite:
            return
        self._replace(replace(current, favourite=favourite))
        self._funnel.run_task(
            self._funnel.in_thread(library.set_favourite, current.image_id, favourite),
            failure_code="store.failed",
        )

    def favourite_changed_elsewhere(self, image_id: int, favourite: bool) -> None:
        """The gallery starred an image: the row here follows."""
        current = self._rows.get(image_id)
        if current is not None and current.favourite != favourite:
            self._replace(replace(current, favourite=favourite))

    def discard(self, row: int) -> None:
        """Put the image in the library's trash; Ctrl+Z takes it out again."""
        current = self.row_at(row)
        if current is not None and not self.trash_mode:
            self.undo_stack.push(_ToTrash(self, current))

    def restore(self, row: int) -> None:
        """Take an image (or its whole job) out of the trash."""
        current = self.row_at(row)
        library = self._library()
        if current is None or library is None:
            return
        self._take_row(current.image_id)

        def out() -> None:
            if current.job_in_trash:
                library.restore_job(current.job_id)
            else:
                library.restore_image(current.image_id)

        self._funnel.run_task(self._funnel.in_thread(out), failure_code="store.failed")

    def empty_trash_soon(self) -> None:
        self._funnel.run_task(self.empty_trash(), failure_code="store.failed")

    async def empty_trash(self) -> int:
        library = self._library()
        if library is None:
            return 0
        count: int = await self._funnel.in_thread(library.empty_trash)
        self.undo_stack.clear()  # what was emptied cannot come back
        await self.reload()
        return count

    # Internals
    def _ask_page(self, page: int) -> None:
        if page in self._asked_pages or self._closed:
            return
        library = self._library()
        if library is None:
            return
        self._asked_pages.add(page)
        ids = self._ids[page * PAGE : (page + 1) * PAGE]
        generation = self._generation

        def arrived(rows: list[LibraryRow]) -> None:
            if generation != self._generation:
                return
            for row in rows:
                self._rows[row.image_id] = row
            positions = [self._positions[r.image_id] for r in rows if r.image_id in self._positions]
            if positions:
                self.dataChanged.emit(self.index(min(positions)), self.index(max(positions)))

        self._funnel.run_task(
            self._funnel.in_thread(read_rows, library, ids),
            on_done=arrived,
            failure_code="library.failed",
        )

    def _replace(self, row: LibraryRow) -> None:
        self._rows[row.image_id] = row
        position = self._positions.get(row.image_id)
        if position is not None:
            index = self.index(position)
            self.dataChanged.emit(index, index)

    def _take_row(self, image_id: int) -> int | None:
        position = self._positions.get(image_id)
        if position is None:
            return None
        self.beginRemoveRows(QModelIndex(), position, position)
        self._ids.pop(position)
        self._index_positions()
        self.endRemoveRows()
        return position

    def _put_row(self, position: int, row: LibraryRow) -> None:
        position = min(position, len(self._ids))
        self.beginInsertRows(QModelIndex(), position, position)
        self._ids.insert(position, row.image_id)
        self._rows[row.image_id] = row
        self._index_positions()
        self.endInsertRows()

    def _index_positions(self) -> None:
        self._positions = {image_id: position for position, image_id in enumerate(self._ids)}

    def _thumbnail_arrived(self, image_id: int, side: int, image: QImage) -> None:
        self._asked_thumbs.discard((image_id, side))
        self._cache.put((image_id, side), image)
        position = self._positions.get(image_id)
        if position is not None and side == thumb_side(self._pixel_ratio):
            index = self.index(position)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    def _thumbnail_maker(self) -> _Thumbnails:
        if self._thumbnails is None:
            self._thumbnails = _Thumbnails(self._thumbnails_dir)
            self._thumbnails.ready.connect(self._thumbnail_arrived)
        return self._thumbnails

    def shutdown(self) -> None:
        self._closed = True
        if self._thumbnails is not None:
            self._thumbnails.shutdown()


class _ToTrash(QUndoCommand):
    def __init__(self, model: LibraryModel, row: LibraryRow) -> None:
        super().__init__(QCoreApplication.translate("LibraryModel", "Delete image"))
        self._model = model
        self._row = row
        self._position = 0

    def redo(self) -> None:
        library = self._model._library()
        self._position = self._model._take_row(self._row.image_id) or 0
        if library is not None:
            self._model._funnel.run_task(
                self._model._funnel.in_thread(library.trash_image, self._row.image_id),
                failure_code="store.failed",
            )

    def undo(self) -> None:
        library = self._model._library()
        self._model._put_row(self._position, self._row)
        if library is not None:
            self._model._funnel.run_task(
                self._model._funnel.in_thread(library.restore_image, self._row.image_id),
                failure_code="store.failed",
            )
