"""Bringing work back into the builder and the gallery: from a file dropped on the window, or a
job opened from the library (remix).

A dropped spec opens; a studio image (its spec in PNG iTXt, or XMP in WebP/JPEG) restores its
builder and shows the image; any other image is offered as a reference. Files are read off the
GUI thread.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from PySide6.QtCore import QObject, Signal

from app.model.document import IMAGE_SUFFIXES, SpecDocument
from app.model.gallery import GalleryModel, Tile
from app.model.tasks import TaskFunnel

Kind = Literal["spec", "studio-image", "image", "other"]


@dataclass(frozen=True, slots=True)
class Classified:
    path: Path
    kind: Kind
    image_id: int | None = None  # the library's record of a studio image, when it has one
    width: int = 0
    height: int = 0


def classify(path: Path, library: Any) -> Classified:
    """What ``path`` is (on a worker thread)."""
    from app.core.metadata import MetadataError, read_metadata

    suffix = path.suffix.lower()
    if suffix == ".json":
        return Classified(path, "spec")
    try:
        data = path.read_bytes()
    except OSError:
        return Classified(path, "other")
    if suffix not in IMAGE_SUFFIXES:
        return Classified(path, "image")  # other formats: the reference checks take them or say
    try:
        payload = read_metadata(data)
    except MetadataError:
        payload = None
    if payload is None or not isinstance(payload.get("spec"), dict):
        return Classified(path, "image")
    image_id = None
    width = height = 0
    if library is not None:
        found = library.find_images_by_sha256(hashlib.sha256(data).hexdigest())
        if found:
            image_id, width, height = found[0].id, found[0].width, found[0].height
    return Classified(path, "studio-image", image_id, width, height)


class Restorer(QObject):
    reference_offered = Signal(object)  # the paths of plain images: the window asks
    restored = Signal(object)  # the path of the studio image or spec that was opened
    replace_asked = Signal(object)  # a future: the window asks whether unsaved changes may go

    def __init__(
        self,
        funnel: TaskFunnel,
        document: SpecDocument,
        gallery: GalleryModel,
        library: Any,
    ) -> None:
        super().__init__()
        self._funnel = funnel
        self._document = document
        self._gallery = gallery
        self._library = library

    def drop(self, paths: Sequence[Path]) -> None:
        self._funnel.run_task(self.route(paths), failure_code="spec.open_failed")

    async def route(self, paths: Sequence[Path]) -> list[Classified]:
        found = [await self._funnel.in_thread(classify, p, self._library()) for p in paths]
        opened = next((item for item in found if item.kind in ("spec", "studio-image")), None)
        if opened is not None and await self._open(opened.path):
            if opened.kind == "studio-image":
                self._show(opened)
            self.restored.emit(opened.path)
        plain = [item.path for item in found if item.kind == "image"]
        if plain:
            self.reference_offered.emit(plain)
        return found

    def open_job(self, job_id: str) -> None:
        self._funnel.run_task(self.reopen(job_id), failure_code="spec.open_failed")

    async def reopen(self, job_id: str) -> bool:
        """A library job: its spec into the builder (from its first image), its images shown."""
        library = self._library()
        if library is None:
            return False
        images = await self._funnel.in_thread(library.images, job_id)
        job = await self._funnel.in_thread(library.job, job_id)
        if not images or not await self._open(images[0].path):
            return False
        local = job is not None and job.engine == "local"  # a local draft has no price
        group = self._gallery.new_group()
        tiles = [
            Tile(
                (group, i),
                state="done",
                path=image.path,
                image_id=image.id,
                width=image.width,
                height=image.height,
                favourite=image.favourite,
                local=local,
            )
            for i, image in enumerate(images)
        ]
        self._gallery.show_kept(group, tiles)
        self.restored.emit(images[0].path)
        return True

    async def _open(self, path: Path) -> bool:
        """Open ``path`` in the builder; unsaved changes go only if the user agrees."""
        if self._document.dirty:
            agreed: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
            self.replace_asked.emit(agreed)
            if not await agreed:
                return False
        return await self._document.open(path)

    def _show(self, item: Classified) -> None:
        group = self._gallery.new_group()
        tile = Tile(
            (group, 0), state="done", path=item.path, image_id=item.image_id,
            width=item.width, height=item.height,
        )  # fmt: skip
        self._gallery.show_kept(group, [tile])
