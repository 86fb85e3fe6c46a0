"""Direct runs of many rows on the embedded engine: N at a time, progress, every image with its
row in the library, a failed row retried alone, a cancel that keeps what arrived."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from app.core.plan import plan_generation
from app.core.rows import plan_rows, read_table
from app.core.spec import Spec, TextBlock
from app.core.spec_json import spec_to_dict
from app.engine.connect import local_spec_service
from app.engine.local import Fault, FaultPlan, create_app
from app.engine.transport import StreamingASGITransport
from app.jobs.row_run import DirectRun, Progress, RowTask
from app.jobs.run import JobRunner
from app.store.library import Library
from app.store.paths import StudioPaths

pytestmark = pytest.mark.gui

TEMPLATE = Spec(
    description="A card for {name}",
    texts=(TextBlock("headline", "{name}"),),
    size="1024x1024",
    quality="low",
    n=2,
)
NAMES = ("绿茶", "红茶", "白茶", "黑茶")


@pytest.fixture(autouse=True)
def _gui(qapp: object) -> None:
    """The engine draws with Qt: pytest-qt's application object comes first."""


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library.open(StudioPaths.under(tmp_path)) as opened:
        yield opened


def _tasks() -> list[RowTask]:
    table = read_table(("name\n" + "\n".join(NAMES) + "\n").encode(), "t.csv")
    return [
        RowTask(job.row.index, job.row.values, job.plan, spec_to_dict(job.spec))
        for job in plan_rows(TEMPLATE, table, plan_generation)
        if job.plan is not None and job.spec is not None
    ]


def _run(library: Library, faults: FaultPlan, progress: list[Progress]) -> DirectRun:
    http = httpx2.AsyncClient(transport=StreamingASGITransport(create_app(faults=faults)))

    def runner_for(task: RowTask) -> JobRunner:
        service = local_spec_service(http, timeout=60, max_retries=0, spec=task.spec_json)
        return JobRunner(service=service, library=library, engine_label="local", billed=False)

    def seen(state: Progress) -> None:
        progress.append(Progress(state.total, state.done, state.running, state.failed))

    return DirectRun(library, runner_for, concurrency=2, on_progress=seen)


def test_rows_run_two_at_a_time_and_a_failed_row_is_retried_alone(library: Library) -> None:
    faults = FaultPlan().queue(None, Fault.server_error())  # the second request fails
    progress: list[Progress] = []
    run = _run(library, faults, progress)

    async def first_then_retry() -> tuple[list[int], list[int], int]:
        results = await run.run(_tasks())
        failed = [result for result in results if result.failed]
        sent = faults.requests
        retried = await run.retry(failed)
        retry_requests = faults.requests - sent
        return [r.task.row for r in failed], [len(r.images) for r in retried], retry_requests

    failed_rows, retried_images, retry_requests = asyncio.run(first_then_retry())
    assert len(failed_rows) == 1 and retried_images == [2]
    assert retry_requests == 1  # the failed row alone
    assert max(state.running for state in progress) == 2
    assert (progress[-1].done, progress[-1].failed) == (1, 0)  # the retry's own progress
    rows = library.row_runs().rows_of_run(run.run_id)
    assert sorted(row.row for row in rows) == [0, 1, 2, 3]
    for row in rows:
        images = library.images(row.job_id)
        assert [image.index_in_job for image in images] == [0, 1]
        assert row.values == {"name": NAMES[row.row]}
        job = library.job(row.job_id)
        assert job is not None and job.status == "done"
        assert job.spec is not None and job.spec["texts"][0]["text"] == NAMES[row.row]


def test_a_cancelled_run_keeps_the_images_that_arrived(library: Library) -> None:
    faults = FaultPlan().queue(None, None, Fault.delay(60), Fault.delay(60))
    progress: list[Progress] = []
    run = _run(library, faults, progress)

    async def cancel_when_two_are_done() -> None:
        task = asyncio.ensure_future(run.run(_tasks()))
        while not progress or progress[-1].done < 2:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)  # the delayed two are in flight
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(cancel_when_two_are_done())
    statuses = sorted(job.status for job in library.jobs())
    assert statuses == ["cancelled", "cancelled", "done", "done"]
    assert len(library.images()) == 4
