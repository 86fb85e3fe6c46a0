"""Export for the window: library images written off the GUI thread, with progress and cancel.

The work is ``app.jobs.export`` (shared with scripts). Before writing, ``clashes`` says which
names are taken in the folder, so the dialog can ask: the studio never overwrites a file (a taken
name gets ``-2``, ``-3``... when the user says to keep both).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from app.model.properties import Observable
from app.model.tasks import TaskFunnel

if TYPE_CHECKING:  # Pillow loads with it, when the first export starts
    from app.core.export import ExportOptions

LibrarySource = Callable[[], Any]  # the open Library, or None before it is loaded


class ExportCancelled(Exception):
    """The user cancelled the export; the files written so far stay."""


@dataclass(frozen=True, slots=True)
class ExportResult:
    paths: tuple[Path, ...]
    cancelled: bool = False
    error: str | None = None


class Exporter(QObject):
    progress = Signal(int, int)  # images done, images in all (from the worker: queued)
    finished = Signal(object)  # ExportResult
    busy_changed = Signal(bool)

    busy = Observable(False)

    def __init__(self, funnel: TaskFunnel, library: LibrarySource) -> None:
        super().__init__()
        self._funnel = funnel
        self._library = library
        self._cancelled = False

    async def name_fields(self, image_id: int) -> dict[str, str] | None:
        """The template's fields for one image (the dialog previews the name from them)."""
        library = self._library()
        if library is None:
            return None

        def read() -> dict[str, str] | None:
            from app.jobs.export import name_fields

            image = library.image(image_id)
            return None if image is None else name_fields(image, library.job(image.job_id))

        fields: dict[str, str] | None = await self._funnel.in_thread(read)
        return fields

    async def job_image_ids(self, image_id: int) -> list[int]:
        """The images of ``image_id``'s job, in the job's order (for "all of the job")."""
        library = self._library()
        if library is None:
            return []

        def read() -> list[int]:
            image = library.image(image_id)
            return [] if image is None else [other.id for other in library.images(image.job_id)]

        ids: list[int] = await self._funnel.in_thread(read)
        return ids

    async def clashes(
        self, image_ids: Sequence[int], folder: Path, options: ExportOptions, template: str
    ) -> list[str]:
        """The file names the export would take that are already in ``folder``."""
        library = self._library()
        if library is None:
            return []

        def check() -> list[str]:
            from app.core.file_names import fill_template
            from app.jobs.export import name_fields

            taken = []
            for image in library.images_by_ids(list(image_ids)):
                stem = fill_template(template, name_fields(image, library.job(image.job_id)))
                name = f"{stem}.{options.extension}"
                if (folder / name).exists():
                    taken.append(name)
            return taken

        names: list[str] = await self._funnel.in_thread(check)
        return names

    def start(
        self, image_ids: Sequence[int], folder: Path, options: ExportOptions, template: str
    ) -> None:
        self._cancelled = False
        self.busy = True
        self._funnel.run_task(
            self._export(list(image_ids), folder, options, template),
            on_done=self._done,
            failure_code="export.failed",
        )

    def cancel(self) -> None:
        self._cancelled = True

    async def _export(
        self, image_ids: list[int], folder: Path, options: ExportOptions, template: str
    ) -> ExportResult:
        from app.core.export import ExportError
        from app.store.files import StoreError

        library = self._library()
        if library is None:
            self.busy = False
            return ExportResult((), error="the library is still loading")
        written: list[Path] = []

        def step(done: int, total: int) -> None:
            self.progress.emit(done, total)
            if self._cancelled and done < total:
                raise ExportCancelled

        def work() -> None:
            from app.jobs.export import export_images

            images = library.images_by_ids(image_ids)
            self.progress.emit(0, len(images))
            for image in images:  # one at a time, so a failure keeps what was written
                done = export_images(library, [image], folder, options, template=template)
                written.extend(item.path for item in done)
                step(len(written), len(images))

        try:
            await self._funnel.in_thread(work)
        except ExportCancelled:
            return ExportResult(tuple(written), cancelled=True)
        except (ExportError, StoreError) as error:
            return ExportResult(tuple(written), error=str(error))
        finally:
            self.busy = False
        return ExportResult(tuple(written))

    def _done(self, result: ExportResult) -> None:
        self.finished.emit(result)
