"""Exact-text images follow the texts: a text, box or look changed in the builder sets the
selected exact-text image's text again over its kept background, with no request and no cost.

The result is kept as a new version of that image (``app.jobs.retypeset``: a child in its
version tree) and takes its place in the gallery, so the tile, the large view, export and the
library all hold what the board shows. One version per pause: changes are folded together until
``DELAY_MS`` pass without another, and while one is being saved the newest wanted texts wait
(replacing any that waited before them), so typing a word makes one version, not one a letter.
Other images are left as they are. Composing and saving run on a worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.spec import TextBlock
from app.model.builder import BuilderModel
from app.model.gallery import GalleryModel, Tile, TileKey
from app.model.properties import Observable
from app.model.tasks import TaskFunnel

if TYPE_CHECKING:
    from app.store.records import ImageRecord

DELAY_MS: Final = 400  # after the last change: one version per pause in typing or dragging


@dataclass(frozen=True, slots=True)
class _Wanted:
    key: TileKey
    blocks: tuple[TextBlock, ...]


class Retypesetter(QObject):
    busy_changed = Signal(bool)
    saved = Signal(object, object)  # tile key, the new version's ImageRecord

    busy = Observable(False)

    def __init__(
        self,
        funnel: TaskFunnel,
        builder: BuilderModel,
        gallery: GalleryModel,
        *,
        library: Callable[[], Any],
        current_tile: Callable[[], Tile | None],
    ) -> None:
        super().__init__()
        self._funnel = funnel
        self._builder = builder
        self._gallery = gallery
        self._library = library
        self._current_tile = current_tile
        self._seen = builder.spec().texts
        self._loaded = False  # the builder was given another spec: its texts are no change
        self._pending: _Wanted | None = None  # waits for the pause
        self._queued: _Wanted | None = None  # waits for the save under way
        self._saving = False
        self._task: asyncio.Task[None] | None = None
        self._plain: set[int] = set()  # images found not to be exact-text composites
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.flush)
        builder.blocks.modelReset.connect(self._reset)
        builder.spec_changed.connect(self._spec_changed)

    def _reset(self) -> None:
        self._loaded = True

    def _spec_changed(self) -> None:
        texts = self._builder.spec().texts
        if self._loaded:  # a spec opened or restored: its texts are what its images have
            self._loaded = False
            self._seen = texts
            self.flush()  # a change typed just before is kept, on the image it was typed for
            return
        if texts == self._seen:
            return  # the description, the size...: nothing the text layer shows
        self._seen = texts
        tile = self._current_tile()
        if tile is None or tile.state != "done" or tile.image_id in self._plain | {None}:
            return
        if self._pending is not None and self._pending.key != tile.key:
            self.flush()  # another image was selected meanwhile: the first keeps its change
        self._pending = _Wanted(tile.key, texts)
        self.busy = True
        self._timer.start()

    def flush(self) -> None:
        """Set the waiting change now (the pause is over, or the studio closes)."""
        self._timer.stop()
        wanted, self._pending = self._pending, None
        if wanted is None:
            return
        if self._saving:
            self._queued = wanted  # only the newest waits
        else:
            self._start(wanted)
        self.busy = self._saving

    def _start(self, wanted: _Wanted) -> None:
        library = self._library()
        row = self._gallery.row_of(wanted.key)
        tile = None if row is None else self._gallery.tile(row)
        if library is None or tile is None or tile.image_id is None:
            return  # the library is still loading, or the tile was discarded meanwhile
        image_id = tile.image_id
        self._saving = True
        self.busy = True

        def save() -> tuple[ImageRecord | None, bool]:
            from app.jobs.retypeset import is_exact_text_image, save_retypeset

            record = save_retypeset(library, image_id, wanted.blocks)
            return record, record is None and not is_exact_text_image(library, image_id)

        async def saving() -> None:
            try:
                record, plain = await self._funnel.in_thread(save)
                if plain:
                    self._plain.add(image_id)
                elif record is not None:
                    self._show(wanted.key, image_id, record)
            finally:
                self._saving = False
                queued, self._queued = self._queued, None
                if queued is not None:
                    self._start(queued)
                self.busy = self._saving or self._pending is not None or self._timer.isActive()

        self._task = self._funnel.run_task(saving(), failure_code="store.failed")

    def _show(self, key: TileKey, parent_id: int, record: ImageRecord) -> None:
        row = self._gallery.row_of(key)
        if row is None or self._gallery.tile(row).image_id != parent_id:
            return  # discarded, or another version shown meanwhile: it stays in the tree
        self._gallery.show_version(
            key, image_id=record.id, path=record.path, width=record.width, height=record.height
        )
        self.saved.emit(key, record)

    async def close(self) -> None:
        """Keep a change still waiting for its pause, and let a save under way finish."""
        self.flush()
        while self._saving and self._task is not None:
            with contextlib.suppress(Exception):  # a failure was said by the funnel
                await asyncio.shield(self._task)
