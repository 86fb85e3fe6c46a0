"""Taking up an interrupted, cancelled or failed job again: only the images it lacks are asked for.

Shared by ``zi-studio resume`` and the window's re-run. The job's own request is sent again with
``n`` = the number of missing images, and the new images get the missing indexes, so the job ends
with the images it was asked for; what it spent before stays recorded and the new cost is added.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from app.core.cost import CostEstimate, estimate
from app.core.models import ModelError
from app.core.request import ImageRequest
from app.core.sizes import SizeError, parse_size
from app.jobs.run import JobCallbacks, JobOutcome, JobRunner
from app.store.library import RESUMABLE, Library
from app.store.records import JobRecord


class ResumeRefused(Exception):
    """A job that cannot be resumed; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Resumption:
    job: JobRecord
    request: ImageRequest  # the job's request, for the missing images only
    missing: tuple[int, ...]  # the job's indexes the new images take, in order
    parent_image_id: int | None
    estimate: CostEstimate | None  # of the new request; None when it cannot be priced


def find_job(library: Library, reference: str) -> JobRecord:
    """The job with this id, or the only one whose id starts with it (as the messages show it)."""
    reference = reference.strip().lower()
    found = library.job(reference)
    if found is not None:
        return found
    matches = [job for job in library.jobs() if reference and job.id.startswith(reference)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise ResumeRefused(
            f"there is no job {reference!r} in the library: give the id a message or "
            "'--json' printed"
        )
    raise ResumeRefused(f"{len(matches)} jobs start with {reference!r}: give more of the id")


def plan_resume(library: Library, reference: str) -> Resumption:
    """What resuming the job would send. Raises ``ResumeRefused`` for a job that is complete,
    still running, or whose input files are gone."""
    job = find_job(library, reference)
    kept = library.images(job.id, include_trash=True)  # a trashed image's index is taken
    have = {image.index_in_job for image in kept}
    missing = tuple(index for index in range(job.request.n) if index not in have)
    if job.status == "done" or not missing:
        raise ResumeRefused(
            f"job {job.id[:8]} is complete: its {len(kept)} image(s) are in the library"
        )
    if job.status not in RESUMABLE:
        raise ResumeRefused(
            f"job {job.id[:8]} is still running in another Zi Studio window or command: let it "
            "finish, or cancel it there"
        )
    inputs = [Path(path) for path in (*job.request.images, *_mask(job.request))]
    sizes = [_input_size(Path(path)) for path in job.request.images]
    for path in inputs[len(sizes) :]:
        _input_size(path)
    request = dataclasses.replace(job.request, n=len(missing))
    parents = [image.parent_image_id for image in kept if image.parent_image_id is not None]
    parent = parents[0] if parents else _source_image_id(library, job)
    return Resumption(job, request, missing, parent, _estimate(request, sizes))


async def resume_job(
    runner: JobRunner, resumption: Resumption, callbacks: JobCallbacks | None = None
) -> JobOutcome:
    """Send the missing images' request and keep them under the job (see ``JobRunner.resume``)."""
    job = resumption.job
    return await runner.resume(
        job.id,
        resumption.request,
        indexes=resumption.missing,
        spec_json=job.spec or {},
        spent_before=(job.usage, job.actual_usd),
        parent_image_id=resumption.parent_image_id,
        callbacks=callbacks,
    )


async def resume_recorded(
    runner: JobRunner,
    library: Library,
    job_id: str,
    callbacks: JobCallbacks,
    *,
    paste_back: bool = True,
    parent_image_id: int | None = None,
) -> JobOutcome:
    """Plan (off the loop: it reads the job's inputs) and send the missing images of ``job_id``;
    the window's Retry of an edit turn, whose versions stay the turn's (under
    ``parent_image_id``, the version it edited, when known). Raises ResumeRefused."""
    resumption = await asyncio.to_thread(plan_resume, library, job_id)
    callbacks.on_job(job_id)
    job = resumption.job
    return await runner.resume(
        job.id,
        resumption.request,
        indexes=resumption.missing,
        spec_json=job.spec or {},
        spent_before=(job.usage, job.actual_usd),
        parent_image_id=parent_image_id or resumption.parent_image_id,
        callbacks=callbacks,
        paste_back=paste_back,
    )


def _mask(request: ImageRequest) -> Sequence[str]:
    return () if request.mask is None else (request.mask,)


def _input_size(path: Path) -> tuple[int, int]:
    try:
        with Image.open(path) as image:
            return image.size
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise ResumeRefused(
            f"the job's input {path} cannot be read any more ({type(error).__name__}): put it "
            "back, or make a new job"
        ) from None


def _source_image_id(library: Library, job: JobRecord) -> int | None:
    """For an edit: the library's record of the edited image, found by its bytes."""
    if job.kind != "edit" or not job.request.images:
        return None
    digest = hashlib.sha256(Path(job.request.images[0]).read_bytes()).hexdigest()
    found = library.find_images_by_sha256(digest)
    return found[0].id if found else None


def _estimate(request: ImageRequest, sizes: Sequence[tuple[int, int]]) -> CostEstimate | None:
    try:
        size = parse_size(request.size)
        return estimate(
            model=request.model,
            prompt=request.prompt,
            width=None if size is None else size.width,
            height=None if size is None else size.height,
            quality=request.quality,
            n=request.n,
            reference_sizes=sizes,
        )
    except (ModelError, SizeError, ValueError):
        return None
