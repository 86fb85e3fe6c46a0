"""Many jobs through the Batch API: submitted at half price, followed, collected into the library.

Shared by ``zi-studio batch --via batch`` (and ``--resume``, ``--cancel``) and the window. Each
row is a library job, recorded (with its row) before anything is sent; its request becomes one
JSONL line whose ``custom_id`` is the job's id. A row with references is an edit line: each
distinct reference is uploaded once (``/v1/files``) and named by its file id. Generations and
edits go in separate batches (a batch has one endpoint); rows over the limits of one file are
split over several batches. Each batch id is kept in the library the moment the service gives
it, so a stopped command or a closed window loses nothing: ``follow`` and ``collect`` take it up
again, from any process. Collecting is safe to repeat: a job already complete is left alone,
and a job half saved asks only for the images it lacks.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import hashlib
import uuid
from collections.abc import AsyncGenerator, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.batch_lines import (
    BatchResult,
    batch_usd,
    line_url,
    parse_results,
    request_line,
    split_lines,
)
from app.core.request import ImageRequest
from app.engine.batch_client import BatchClient, BatchState
from app.engine.errors import MalformedAnswerError, ServiceError
from app.engine.service import CompletedImage, ImageEvent, ImageFailed, decode_image
from app.jobs.row_run import RowTask
from app.jobs.run import JobCallbacks, JobRunner, SavedImage
from app.store.library import Library
from app.store.records import JobRecord
from app.store.row_runs import BatchRecord, BatchStatus


@dataclass(frozen=True, slots=True)
class BatchLimits:
    max_requests: int
    max_bytes: int


@dataclass(frozen=True, slots=True)
class Backoff:
    """How long to wait between polls: ``first``, then ``factor`` times longer, up to ``most``."""

    first: float = 2.0
    factor: float = 1.5
    most: float = 60.0

    def delays(self) -> Any:
        delay = self.first
        while True:
            yield delay
            delay = min(self.most, delay * self.factor)


@dataclass(frozen=True, slots=True)
class FailedRow:
    job_id: str
    row: int | None
    message: str
    answered: bool = True


@dataclass(frozen=True, slots=True)
class TakenRow:
    """A job of the batch as collecting takes it up: the images it is to keep, or why it has
    none (told before its images are kept, so a window can show where they will go)."""

    job_id: str
    row: int | None
    values: Mapping[str, str]
    indexes: tuple[int, ...]
    """The job's image indexes this collection brings (or lacks, when it failed)."""
    quality: str
    model: str
    failure: str | None = None


@dataclass(frozen=True, slots=True)
class Collected:
    """What one batch brought into the library."""

    batch_id: str
    status: BatchStatus
    images: tuple[tuple[int | None, SavedImage], ...]
    failed: tuple[FailedRow, ...]
    usd: float | None


def batch_request(request: ImageRequest) -> ImageRequest:
    """A request as a batch line sends it: answered whole, never streamed."""
    return dataclasses.replace(request, stream=False, partial_images=0)


async def submit(
    library: Library,
    client: BatchClient,
    tasks: Sequence[RowTask],
    *,
    engine: str,
    base_url: str | None,
    limits: BatchLimits,
    extra_for: Callable[[RowTask], Mapping[str, Any] | None] = lambda task: None,
    run_id: str | None = None,
    on_submitted: Callable[[BatchRecord], object] = lambda record: None,
) -> list[BatchRecord]:
    """Record a job per task, then send their lines as one batch per file; each batch is kept in
    the library as soon as the service accepts it. A file the service refuses fails its jobs
    (the batches sent before it go on) and raises the service's error."""
    run_id = run_id or uuid.uuid4().hex
    rows = library.row_runs()
    requests = [batch_request(task.plan.request) for task in tasks]
    file_ids = await upload_images(client, requests)
    job_ids: list[str] = []
    by_url: dict[str, list[tuple[str, bytes]]] = {}
    for task, request in zip(tasks, requests, strict=True):
        job_id = library.create_job(
            kind=request.kind, request=request, engine=engine, spec=task.spec_json,
            estimated_usd=batch_usd(task.plan.cost.usd),
        )  # fmt: skip
        rows.record_row(job_id, run_id, task.row, task.values)
        job_ids.append(job_id)
        line = request_line(job_id, request, extra_for(task), file_ids=file_ids)
        by_url.setdefault(line_url(request), []).append((job_id, line))
    batches: list[tuple[str, list[str], list[bytes]]] = []
    for url, lines in by_url.items():
        ids = [job_id for job_id, _ in lines]
        files = split_lines([line for _, line in lines], max_requests=limits.max_requests,
                            max_bytes=limits.max_bytes)  # fmt: skip
        for file in files:
            batches.append((url, ids[: len(file)], file))
            ids = ids[len(file) :]
    records: list[BatchRecord] = []
    for number, (url, ids, file) in enumerate(batches):
        try:
            state = await client.submit(b"".join(file), endpoint=url)
        except ServiceError as error:
            for _, unsent, _ in batches[number:]:
                for job_id in unsent:
                    library.fail_job(job_id, f"The batch was not accepted: {error.message}")
            raise
        rows.add_batch(
            state.id, run_id=run_id, engine=engine, base_url=base_url,
            input_file_id=state.input_file_id, job_ids=ids,
        )  # fmt: skip
        record = rows.batch(state.id)
        assert record is not None
        records.append(record)
        on_submitted(record)
    return records


async def upload_images(client: BatchClient, requests: Sequence[ImageRequest]) -> dict[str, str]:
    """Each distinct input image of ``requests`` uploaded once: its file id, by path (two paths
    with the same bytes share one upload). Read off the loop: references can be large."""
    file_ids: dict[str, str] = {}
    by_digest: dict[str, str] = {}
    for request in requests:
        for path in request.images:
            if path in file_ids:
                continue
            data = await asyncio.to_thread(Path(path).read_bytes)
            digest = hashlib.sha256(data).hexdigest()
            if digest not in by_digest:
                by_digest[digest] = await client.upload_image(data, Path(path).name)
            file_ids[path] = by_digest[digest]
    return file_ids


async def follow(
    client: BatchClient,
    batch_id: str,
    *,
    backoff: Backoff,
    on_state: Callable[[BatchState], object] = lambda state: None,
) -> BatchState:
    """Poll until the batch has ended, waiting longer each time."""
    delays = backoff.delays()
    while True:
        state = await client.state(batch_id)
        on_state(state)
        if state.ended:
            return state
        await asyncio.sleep(next(delays))


class AnsweredService:
    """An ImageService whose answer is already here: a batch result's body, replayed as the
    events a direct call gives, so the job keeps its images exactly as a direct job does."""

    def __init__(self, body: Mapping[str, Any], indexes: Sequence[int]) -> None:
        self._body = body
        self._indexes = tuple(indexes)

    def generate(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        return self._replay()

    def edit(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        return self._replay()

    async def _replay(self) -> AsyncGenerator[ImageEvent, None]:
        items = self._body.get("data")
        items = items if isinstance(items, list) else []
        usage = self._body.get("usage")
        for position, index in enumerate(self._indexes):
            item = items[index] if index < len(items) else None
            if not isinstance(item, Mapping):
                yield ImageFailed(
                    MalformedAnswerError("The batch's answer holds fewer images than asked for.")
                )
                return
            try:
                data, width, height, fmt = await decode_image(item.get("b64_json"))
            except ServiceError as error:
                yield ImageFailed(error)
                return
            first = isinstance(usage, Mapping) and index == 0
            yield CompletedImage(position, data, width, height, fmt, usage if first else None)


RunnerMaker = Callable[[AnsweredService], JobRunner]
"""A JobRunner of the library over the given service (billed at the batch price)."""


async def collect(
    library: Library,
    client: BatchClient,
    record: BatchRecord,
    state: BatchState,
    runner_for: RunnerMaker,
    *,
    on_image: Callable[[int | None, SavedImage], object] = lambda row, image: None,
    on_row: Callable[[TakenRow], object] = lambda taken: None,
) -> Collected:
    """Bring an ended batch's results into the library and close it there; ``on_row`` is told
    each job as it is taken up, before its images."""
    results: dict[str, BatchResult] = {}
    for file_id in (state.output_file_id, state.error_file_id):
        if file_id:
            results.update({r.custom_id: r for r in parse_results(await client.content(file_id))})
    rows = library.row_runs()
    images: list[tuple[int | None, SavedImage]] = []
    failed: list[FailedRow] = []
    usd: float | None = None
    for job_id in record.job_ids:
        job = library.job(job_id)
        if job is None or job.status == "done":
            continue  # in the trash for good, or collected before
        found = rows.row_of(job_id)
        row = None if found is None else found.row
        values: Mapping[str, str] = {} if found is None else found.values
        have = {image.index_in_job for image in library.images(job_id, include_trash=True)}
        missing = [index for index in range(job.request.n) if index not in have]
        result = results.pop(job_id, None)  # each body (its images) freed once kept
        if result is None or result.body is None:
            message = _why_missing(state, result)
            on_row(TakenRow(job_id, row, values, tuple(missing), job.request.quality,
                           job.request.model, message))  # fmt: skip
            _take(library, job)
            if state.status == "cancelled" and result is None:
                library.cancel_job(job_id)
            else:
                library.fail_job(job_id, message)
            failed.append(FailedRow(job_id, row, message, result is not None))
            continue
        request = job.request
        on_row(TakenRow(job_id, row, values, tuple(missing), request.quality, request.model))
        _take(library, job)
        runner = runner_for(AnsweredService(result.body, missing))
        callbacks = JobCallbacks(on_image=functools.partial(on_image, row))
        outcome = await runner.continue_job(
            job_id, dataclasses.replace(job.request, n=len(missing)),
            spec_json=job.spec or {}, callbacks=callbacks, indexes=missing,
        )  # fmt: skip
        images += [(row, image) for image in outcome.images]
        if outcome.actual_usd is not None:
            usd = (usd or 0.0) + outcome.actual_usd
        error = outcome.error.message if outcome.error is not None else outcome.not_saved
        if error is not None:
            failed.append(FailedRow(job_id, row, error, False))
    status: BatchStatus = "done" if state.status == "completed" else "failed"
    if state.status == "cancelled":
        status = "cancelled"
    problem = "; ".join(state.problems) or None
    rows.end_batch(record.id, status, problem)
    return Collected(record.id, status, tuple(images), tuple(failed), usd)


def _take(library: Library, job: JobRecord) -> None:
    """The job made running in this process, whatever process recorded it."""
    current = library.job(job.id)
    status = job.status if current is None else current.status
    if status == "queued":
        library.mark_running(job.id)
    elif status != "running":
        library.reopen_job(job.id)


def _why_missing(state: BatchState, result: BatchResult | None) -> str:
    if result is not None and result.error:
        return f"The service refused this row: {result.error}"
    if state.status == "cancelled":
        return "The batch was cancelled before this row was made."
    if state.status == "expired":
        return "The batch expired (24 hours) before this row was made; send it again."
    if state.problems:
        return f"The service refused the batch: {'; '.join(state.problems)}"
    return "The batch ended without an answer for this row; send it again."
