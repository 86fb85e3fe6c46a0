"""Export for the window: library images written off the GUI thread, with progress and cancel.

The work is ``app.jobs.export`` (shared with scripts). Before writing, ``clashes`` says which
names are taken in the folder, so the dialog can ask: replace the file there (written beside it and
swapped in, so a full disk never loses it), keep both (the new one gets ``-2``, ``-3``...) or skip
the image. A name the user was not asked about is never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from app.model.properties import Observable
from app.model.tasks import TaskFunnel

if TYPE_CHECKING:  # Pillow loads with it, when the first export starts
    from app.core.export import ClashChoice, ExportOptions

LibrarySource = Callable[[], Any]  # the open Library, or None before it is loaded


class ExportCancelled(Exception):
    """The user cancelled the export; the files written so far stay."""


@dataclass(frozen=True, slots=True)
class ExportResult:
    paths: tuple[Path, ...]
    cancelled: bool = False
    error: str | None = None
    kept: Path | None = None  # a file the export failed to replace, left as it was
    skipped: int = 0


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
                if name not in taken and (folder / name).exists():  # asked once a name
                    taken.append(name)
            return taken

        names: list[str] = await self._funnel.in_thread(check)
        return names

    def start(
        self,
        image_ids: Sequence[int],
        folder: Path,
        options: ExportOptions,
        template: str,
        clashes: Mapping[str, ClashChoice] | None = None,
    ) -> None:
        """Export; ``clashes`` says what to do with each name already in the folder."""
        self._cancelled = False
        self.busy = True
        self._funnel.run_task(
            self._export(list(image_ids), folder, options, template, dict(clashes or {})),
            on_done=self._done,
            failure_code="export.failed",
        )

    def cancel(self) -> None:
        self._cancelled = True

    async def _export(
        self,
        image_ids: list[int],
        folder: Path,
        options: ExportOptions,
        template: str,
        clashes: dict[str, ClashChoice],
    ) -> ExportResult:
        from app.core.export import ExportError
        from app.jobs.export import ReplaceError
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
            for count, image in enumerate(images, start=1):
                # One at a time, so a failure keeps what was written.
                done = export_images(
                    library, [image], folder, options, template=template, clashes=clashes
                )
                for item in done:  # a name is replaced once, never by this export's own file
                    clashes.pop(item.path.name, None)
                written.extend(item.path for item in done)
                skipped[0] += not done
                step(count, len(images))

        skipped = [0]
        try:
            await self._funnel.in_thread(work)
        except ExportCancelled:
            return ExportResult(tuple(written), cancelled=True, skipped=skipped[0])
        except ReplaceError as error:
            return ExportResult(
                tuple(written), error=error.reason, kept=error.kept, skipped=skipped[0]
            )
        except (ExportError, StoreError) as error:
            return ExportResult(tuple(written), error=str(error), skipped=skipped[0])
        finally:
            self.busy = False
        return ExportResult(tuple(written), skipped=skipped[0])

    def _done(self, result: ExportResult) -> None:
        self.finished.emit(result)
