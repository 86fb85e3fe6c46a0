"""The text check of every gallery image: run after each new image, kept in the library.

A tile that finishes while the window watches is checked (when the setting is on): its file is
read and its required texts taken from the spec it carries, off the GUI thread; the OCR runs in
its worker process (``app.ocr``), started on the first check and kept warm; the result is written
to the library, off the GUI thread too. A tile that shows an image made earlier (after a restart,
from the library) gets the check the library kept for it. ``changed`` says which image's result
arrived, so the gallery can badge it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from PySide6.QtCore import QModelIndex, QObject, Signal

from app.core.fidelity import RequiredText, TextCheck
from app.core.messages import MessageBridge
from app.core.metadata import MetadataError, read_metadata
from app.core.spec import SpecError
from app.core.spec_json import spec_from_dict
from app.model.gallery import GalleryModel, Tile
from app.model.tasks import TaskFunnel

FidelityState = Literal["checking", "done", "failed", "no_text"]


class Checker(Protocol):
    async def check_async(self, image: bytes, required: Sequence[RequiredText]) -> TextCheck: ...

    def close(self, timeout: float = 10.0) -> None: ...


@dataclass(frozen=True, slots=True)
class Fidelity:
    """Where one image's text check stands."""

    state: FidelityState
    check: TextCheck | None = None
    reason: str = ""

    @property
    def exact(self) -> bool | None:
        return None if self.check is None else self.check.exact

    @property
    def wrong_count(self) -> int:
        return 0 if self.check is None else self.check.wrong_count


def required_texts(image_bytes: bytes) -> list[RequiredText]:
    """The texts the image was asked to carry, from the spec embedded in it (none without)."""
    try:
        payload = read_metadata(image_bytes)
    except MetadataError:
        return []
    spec_data = None if payload is None else payload.get("spec")
    if not isinstance(spec_data, dict):
        return []
    try:
        spec = spec_from_dict(spec_data).spec
    except SpecError:
        return []
    return [RequiredText.from_block(block) for block in spec.texts if block.text.strip()]


def _read_for_check(path: Path) -> tuple[bytes, list[RequiredText]]:
    data = path.read_bytes()
    return data, required_texts(data)


def default_checker() -> Checker:
    from app.ocr import OcrWorker  # the worker process starts on its first check

    return OcrWorker()


class TextChecks(QObject):
    """Every gallery image's text check, by library image id."""

    changed = Signal(int)  # image id whose check started, finished or failed

    def __init__(
        self,
        funnel: TaskFunnel,
        messages: MessageBridge,
        *,
        library: Callable[[], Any] = lambda: None,
        enabled: bool = True,
        make_checker: Callable[[], Checker] = default_checker,
    ) -> None:
        super().__init__()
        self._funnel = funnel
        self._messages = messages
        self.enabled = enabled
        self._make_checker = make_checker
        self._checker: Checker | None = None
        self._library = library  # the library once it is open (``Studio.start``), else None
        self._results: dict[int, Fidelity] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._records: set[asyncio.Future[None]] = set()  # library writes under way
        self._closed = False
        self._unfinished: set[object] = set()  # tiles seen before they had their image
        self._looked_up: set[int] = set()

    # Reading
    def fidelity(self, image_id: int | None) -> Fidelity | None:
        return None if image_id is None else self._results.get(image_id)

    def of_tile(self, tile: Tile) -> Fidelity | None:
        return self.fidelity(tile.image_id)

    # Watching the gallery
    def watch(self, gallery: GalleryModel) -> None:
        """Check the gallery's new images as they finish; look up the others' kept checks."""

        def rows_changed(first: int, last: int) -> None:
            for row in range(first, last + 1):
                if 0 <= row < gallery.rowCount():
                    self._tile_seen(gallery.tile(row))

        gallery.rowsInserted.connect(lambda _parent, first, last: rows_changed(first, last))
        gallery.dataChanged.connect(
            lambda top, bottom, *_: rows_changed(QModelIndex(top).row(), QModelIndex(bottom).row())
        )
        rows_changed(0, gallery.rowCount() - 1)

    def _tile_seen(self, tile: Tile) -> None:
        if tile.state != "done" or tile.image_id is None or tile.path is None:
            if tile.state in ("waiting", "streaming"):
                self._unfinished.add(tile.key)
            return
        if tile.image_id in self._results:
            return
        new = tile.key in self._unfinished  # finished while we watched
        self._unfinished.discard(tile.key)
        self.look_up(tile.image_id, check_path=tile.path if new and self.enabled else None)

    # Work
    def check(self, image_id: int, path: Path) -> None:
        """Check the image now (again, if it was checked); the result arrives by ``changed``."""
        if self.fidelity(image_id) is not None and self._results[image_id].state == "checking":
            return
        self._set(image_id, Fidelity("checking"))
        self._run(self._check(image_id, path))

    def look_up(self, image_id: int, *, check_path: Path | None = None) -> None:
        """The check the library kept for the image (a badge after a restart); when it has none,
        the image at ``check_path`` is checked (a new image)."""
        library = self._library()
        if image_id in self._looked_up:
            return
        if library is None:
            if check_path is not None:
                self.check(image_id, check_path)
            return
        self._looked_up.add(image_id)
        if check_path is not None:
            self._set(image_id, Fidelity("checking"))
        self._run(self._look_up(library, image_id, check_path))

    def _run(self, work: Coroutine[Any, Any, None]) -> None:
        if self._closed:
            work.close()
            return
        task = self._funnel.run_task(work, failure_code="check.failed")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _look_up(self, library: Any, image_id: int, check_path: Path | None) -> None:
        check = await self._funnel.in_thread(library.text_check, image_id)
        if check is not None:
            self._set(image_id, self._result(check))
        elif check_path is not None:
            await self._check(image_id, check_path)

    async def _check(self, image_id: int, path: Path) -> None:
        try:
            await self._run_check(image_id, path)
        finally:  # whatever went wrong, the badge does not stay at "checking…"
            current = self._results.get(image_id)
            if current is not None and current.state == "checking":
                self._set(image_id, Fidelity("failed", reason="interrupted"))

    async def _run_check(self, image_id: int, path: Path) -> None:
        try:
            data, required = await self._funnel.in_thread(_read_for_check, path)
        except OSError as error:
            self._failed(image_id, error.strerror or str(error))
            return
        if not required:
            self._set(image_id, Fidelity("no_text"))
            return
        if self._checker is None:
            self._checker = self._make_checker()
        from app.ocr import OcrError

        try:
            check = await self._checker.check_async(data, required)
        except OcrError as error:
            self._failed(image_id, str(error))
            return
        library = self._library()
        if library is not None:
            # Kept before the badge shows, and finished even when the window closes meanwhile:
            # a badge the designer saw must come back after a restart.
            record = asyncio.ensure_future(
                self._funnel.in_thread(library.record_text_check, image_id, check)
            )
            self._records.add(record)
            record.add_done_callback(self._records.discard)
            await asyncio.shield(record)
        self._set(image_id, self._result(check))

    def _result(self, check: TextCheck) -> Fidelity:
        return Fidelity("done" if check.blocks else "no_text", check)

    def _failed(self, image_id: int, reason: str) -> None:
        self._set(image_id, Fidelity("failed", reason=reason))
        self._messages.warning("check.failed", reason=reason)

    def _set(self, image_id: int, fidelity: Fidelity) -> None:
        self._results[image_id] = fidelity
        self.changed.emit(image_id)

    async def close(self) -> None:
        """Stop the checks under way (before the library closes) and the OCR worker process (off
        the GUI thread: it waits for the process)."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._records:
            await asyncio.gather(*self._records, return_exceptions=True)
        checker, self._checker = self._checker, None
        if checker is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._funnel.in_thread(checker.close), 15)
