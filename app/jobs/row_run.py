"""Many jobs sent directly, a few at a time: one per row of a table (or per spec).

Shared by ``zi-studio batch --via direct`` and the window's rows panel. Each job is an ordinary
library job (its images kept as they arrive) and its row is recorded beside it the moment the job
exists. Progress (done, running, failed, cost so far) is told after every change; cancelling the
run cancels the jobs in flight (their images stay); the failed rows can be retried alone, each
asking only for the images its job lacks.
"""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.plan import Plan
from app.engine.errors import ServiceError
from app.engine.service import PartialImage
from app.jobs.resume import ResumeRefused, plan_resume, resume_job
from app.jobs.run import JobCallbacks, JobOutcome, JobRunner, SavedImage
from app.store.library import Library


@dataclass(frozen=True, slots=True)
class RowTask:
    """One job to make: the row it comes from and its checked plan."""

    row: int
    values: Mapping[str, str]
    plan: Plan
    spec_json: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class RowResult:
    task: RowTask
    job_id: str | None
    images: tuple[SavedImage, ...]
    error: str | None
    """Why the row failed (the service's message, or what kept its images from being saved)."""
    usd: float | None
    answered: bool = True
    """For a failed row: whether the service answered (4xx) rather than not at all."""
    service_error: ServiceError | None = None
    """The service's error that ended the row, when that was the reason."""

    @property
    def failed(self) -> bool:
        return self.error is not None


@dataclass(slots=True)
class Progress:
    total: int
    done: int = 0
    running: int = 0
    failed: int = 0
    usd: float = 0.0
    failed_rows: list[int] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.done}/{self.total} done, {self.running} running, {self.failed} failed, "
            f"${self.usd:.3f} so far"
        )


RunnerFor = Callable[[RowTask], JobRunner]
"""The runner for a row's job (the embedded engine takes each row's spec with its request)."""


class DirectRun:
    """Sends ``tasks`` through their runners, ``concurrency`` at a time."""

    def __init__(
        self,
        library: Library,
        runner_for: RunnerFor,
        *,
        concurrency: int,
        run_id: str | None = None,
        on_progress: Callable[[Progress], object] = lambda progress: None,
        on_image: Callable[[RowTask, SavedImage], object] = lambda task, image: None,
        on_partial: Callable[[RowTask, PartialImage], object] = lambda task, partial: None,
        on_result: Callable[[RowResult], object] = lambda result: None,
        on_note: Callable[[str], object] = lambda note: None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.library = library
        self.run_id = run_id or uuid.uuid4().hex
        self._runner_for = runner_for
        self._concurrency = concurrency
        self._on_progress = on_progress
        self._on_image = on_image
        self._on_partial = on_partial
        self._on_result = on_result
        self._on_note = on_note

    async def run(self, tasks: Sequence[RowTask]) -> list[RowResult]:
        """Every task once; the results in the tasks' order."""
        return await self._each(tasks, self._first_run)

    async def retry(self, failed: Sequence[RowResult]) -> list[RowResult]:
        """The failed rows again, alone: each job asks only for the images it lacks."""
        return await self._each([result.task for result in failed], self._retry_of(failed))

    async def _each(
        self, tasks: Sequence[RowTask], attempt: Callable[[RowTask], Any]
    ) -> list[RowResult]:
        progress = Progress(total=len(tasks))
        slots = asyncio.Semaphore(self._concurrency)

        async def one(task: RowTask) -> RowResult:
            async with slots:
                progress.running += 1
                self._on_progress(progress)
                try:
                    result: RowResult = await attempt(task)
                finally:
                    progress.running -= 1
                if result.failed:
                    progress.failed += 1
                    progress.failed_rows.append(task.row)
                else:
                    progress.done += 1
                progress.usd += result.usd or 0.0
                self._on_result(result)
                self._on_progress(progress)
                return result

        self._on_progress(progress)
        return list(await asyncio.gather(*(one(task) for task in tasks)))

    def _callbacks(self, task: RowTask, indexes: Sequence[int] | None = None) -> JobCallbacks:
        """The job's callbacks; a partial image is told by its index in the job (``indexes``:
        the job's indexes the request asks for, when it asks for only some)."""

        def recorded(job_id: str) -> None:
            self.library.row_runs().record_row(job_id, self.run_id, task.row, task.values)

        def partial(image: PartialImage) -> None:
            if indexes is not None and 0 <= image.image_index < len(indexes):
                image = dataclasses.replace(image, image_index=indexes[image.image_index])
            self._on_partial(task, image)

        return JobCallbacks(
            on_image=lambda image: self._on_image(task, image),
            on_partial=partial,
            on_note=self._on_note,
            on_job=recorded,
        )

    async def _first_run(self, task: RowTask) -> RowResult:
        runner = self._runner_for(task)
        outcome = await runner.run(
            task.plan, spec_json=task.spec_json, callbacks=self._callbacks(task)
        )
        return _result(task, outcome)

    def _retry_of(self, failed: Sequence[RowResult]) -> Callable[[RowTask], Any]:
        jobs = {id(result.task): result.job_id for result in failed}

        async def retry(task: RowTask) -> RowResult:
            job_id = jobs[id(task)]
            if job_id is None:
                return await self._first_run(task)
            try:
                resumption = plan_resume(self.library, job_id)
            except ResumeRefused as refused:
                return RowResult(task, job_id, (), str(refused), None)
            callbacks = self._callbacks(task, resumption.missing)
            outcome = await resume_job(self._runner_for(task), resumption, callbacks)
            return _result(task, outcome)

        return retry


def _result(task: RowTask, outcome: JobOutcome) -> RowResult:
    error = outcome.error.message if outcome.error is not None else outcome.not_saved
    answered = outcome.error.answered if outcome.error is not None else True
    return RowResult(
        task, outcome.job_id, outcome.images, error, outcome.actual_usd, answered, outcome.error
    )
