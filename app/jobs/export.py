"""Export: library images written where the designer wants them, named by a template.

Shared by the window's export dialog and scripts. A file is overwritten only when the caller says
so for its name (``clashes``); otherwise a taken name gets ``-2``, ``-3``... (``write_unique``). A
replacement is written beside the old file and takes its name in one step, so a failed write (a
full disk) leaves the old file as it was. Encoding runs on the caller's thread: the window calls
this from a worker and shows ``progress``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from app.core.export import ClashChoice, ExportError, ExportOptions, encode_export
from app.core.file_names import DEFAULT_TEMPLATE, check_template, fill_template
from app.core.metadata import make_payload
from app.store.files import StoreError, write_atomic, write_unique
from app.store.library import Library
from app.store.records import ImageRecord, JobRecord

__all__ = [
    "ClashChoice",
    "ExportError",
    "ExportOptions",
    "Exported",
    "ReplaceError",
    "export_images",
    "export_job",
    "name_fields",
]

Progress = Callable[[int, int], object]
"""Called with (images done, images in all) after each image."""
_HEADLINE_CHARACTERS: Final = 40


@dataclass(frozen=True, slots=True)
class Exported:
    image_id: int
    path: Path


class ReplaceError(StoreError):
    """Replacing a file failed (a full disk...); the file already there, ``kept``, is as it was."""

    def __init__(self, reason: str, kept: Path) -> None:
        super().__init__(f"{reason}; {kept.name} in the folder was left as it was.", reason=reason)
        self.kept = kept


def export_images(
    library: Library,
    images: Sequence[ImageRecord],
    folder: Path,
    options: ExportOptions | None = None,
    *,
    template: str = DEFAULT_TEMPLATE,
    progress: Progress | None = None,
    clashes: Mapping[str, ClashChoice] | None = None,
) -> list[Exported]:
    """Write each image to ``folder``; return what was written, in order.

    ``clashes`` maps a file name already in the folder to what to do with it; a name it does not
    list is never overwritten (keep both). A name is replaced once: a second image of the export
    with the same name keeps both, so the export never overwrites its own files.

    Raises ``ExportError`` (a bad template, an unreadable image) or ``app.store.files.StoreError``
    (the folder cannot be written; ``ReplaceError`` when a replacement failed and the old file was
    kept); files written before the failure stay.
    """
    options = options or ExportOptions()
    check_template(template)
    choices = dict(clashes or {})
    jobs: dict[str, JobRecord | None] = {}
    written: list[Exported] = []
    for done, image in enumerate(images, start=1):
        if image.job_id not in jobs:
            jobs[image.job_id] = library.job(image.job_id)
        job = jobs[image.job_id]
        stem = fill_template(template, name_fields(image, job))
        name = f"{stem}.{options.extension}"
        choice = choices.get(name, "keep_both")
        if choice == "replace":
            del choices[name]  # replaced once: a later image of this name keeps both
        if choice == "skip":
            if progress is not None:
                progress(done, len(images))
            continue
        try:
            data = image.path.read_bytes()
        except OSError as error:
            raise ExportError(
                f"The library's image {image.path} cannot be read ({error.strerror}): "
                "it may have been moved or deleted outside the studio."
            ) from None
        payload = _payload(job, image)
        encoded = encode_export(data, options, payload)
        if choice == "replace":
            path = folder / name
            try:
                write_atomic(path, encoded)
            except StoreError as error:
                raise ReplaceError(error.reason, path) from error
        else:
            path = write_unique(folder, stem, options.extension, encoded)
        written.append(Exported(image.id, path))
        if progress is not None:
            progress(done, len(images))
    return written


def export_job(
    library: Library,
    job_id: str,
    folder: Path,
    options: ExportOptions | None = None,
    *,
    template: str = DEFAULT_TEMPLATE,
    progress: Progress | None = None,
    clashes: Mapping[str, ClashChoice] | None = None,
) -> list[Exported]:
    """Every image of a job, in the job's order (see ``export_images``)."""
    images = library.images(job_id)
    return export_images(
        library, images, folder, options, template=template, progress=progress, clashes=clashes
    )


def name_fields(image: ImageRecord, job: JobRecord | None) -> dict[str, str]:
    """The template's fields for one image: date, job, index, headline, ratio."""
    spec: Mapping[str, Any] = (job.spec if job is not None else None) or {}
    return {
        "date": f"{image.created_at.astimezone():%Y-%m-%d}",
        "job": image.job_id[:8],
        "index": str(image.index_in_job + 1),
        "headline": _headline(spec)[:_HEADLINE_CHARACTERS],
        "ratio": _ratio(spec, image),
    }


def _payload(job: JobRecord | None, image: ImageRecord) -> dict[str, Any] | None:
    if job is None or job.spec is None:
        return None
    size = f"{image.width}x{image.height}"
    return make_payload(spec=job.spec, model=job.request.model, size=size, job_id=job.id)


def _headline(spec: Mapping[str, Any]) -> str:
    texts = [block for block in spec.get("texts") or () if isinstance(block, Mapping)]
    for block in texts:
        if block.get("role") == "headline" and block.get("text"):
            return str(block["text"])
    if texts and texts[0].get("text"):
        return str(texts[0]["text"])
    return str(spec.get("description") or "")


def _ratio(spec: Mapping[str, Any], image: ImageRecord) -> str:
    ratio = spec.get("ratio")
    if isinstance(ratio, str) and ":" in ratio:
        return ratio.replace(":", "x")
    divisor = math.gcd(image.width, image.height)
    return f"{image.width // divisor}x{image.height // divisor}"
