"""JobRunner with a scripted image service: what is kept, recorded and said for each outcome."""

from __future__ import annotations

import asyncio
import errno
import os
from collections.abc import AsyncGenerator, Iterator
from pathlib import Path

import pytest
from PIL import Image

from app.core.metadata import read_metadata
from app.core.plan import plan_generation
from app.core.request import ImageRequest
from app.core.spec import Spec, TextBlock
from app.core.spec_json import spec_to_dict
from app.engine.errors import RefusedError, ServerFailedError
from app.engine.service import CompletedImage, ImageEvent, ImageFailed, PartialImage
from app.jobs.run import (
    TRANSPARENCY_FALLBACK_NOTE,
    JobCallbacks,
    JobOutcome,
    JobRunner,
    merge_usage,
)
from app.store.library import Library
from app.store.paths import StudioPaths
from tests.fake_service import png_bytes

SPEC = Spec(
    description="Tea box", texts=(TextBlock("headline", "有机绿茶"),), n=3, size="1024x1024"
)
USAGE = {"input_tokens": 40, "input_tokens_details": {"text_tokens": 40, "image_tokens": 0},
         "output_tokens": 196, "total_tokens": 236}  # fmt: skip


class ScriptedService:
    """An ImageService that answers each call with the next list of events."""

    def __init__(self, *scripts: list[ImageEvent], pause: float = 0) -> None:
        self.scripts = list(scripts)
        self.requests: list[ImageRequest] = []
        self.pause = pause

    async def _events(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        self.requests.append(request)
        for event in self.scripts.pop(0):
            await asyncio.sleep(self.pause)
            yield event

    def generate(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        return self._events(request)

    def edit(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        return self._events(request)


def completed(index: int, color: str = "#c0d8c0") -> CompletedImage:
    usage = dict(USAGE) if index == 0 else {**USAGE, "input_tokens": 0}
    return CompletedImage(index, png_bytes(color=color), 1024, 1024, "png", usage)


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library.open(StudioPaths.under(tmp_path)) as opened:
        yield opened


def run(
    service: ScriptedService,
    library: Library,
    spec: Spec = SPEC,
    callbacks: JobCallbacks | None = None,
) -> JobOutcome:
    runner = JobRunner(service=service, library=library, engine_label="remote:example.com")
    plan = plan_generation(spec, stream=True)
    return asyncio.run(runner.run(plan, spec_json=spec_to_dict(spec), callbacks=callbacks))


def test_every_image_is_kept_with_its_spec_and_the_cost_recorded(library: Library) -> None:
    partials: list[PartialImage] = []
    kept: list[int] = []
    service = ScriptedService(
        [PartialImage(0, 0, png_bytes(64, 64)), completed(0), completed(1), completed(2)]
    )
    callbacks = JobCallbacks(on_partial=partials.append, on_image=lambda i: kept.append(i.index))
    outcome = run(service, library, callbacks=callbacks)
    assert kept == [0, 1, 2] and len(partials) == 1
    job = library.job(outcome.job_id)
    assert job is not None and job.status == "done"
    later = {**USAGE, "input_tokens": 0}
    assert job.usage == merge_usage([USAGE, later, later])
    assert job.usage is not None and job.usage["output_tokens"] == 3 * 196
    assert job.actual_usd == pytest.approx(40 * 5e-6 + 3 * 196 * 30e-6)
    assert job.estimated_usd is not None and job.estimated_usd > 0
    for record in library.images(job.id):
        payload = read_metadata(record.path.read_bytes())
        assert payload is not None and payload["job_id"] == job.id
        assert payload["spec"]["texts"][0]["text"] == "有机绿茶"


def test_a_failure_after_two_images_keeps_both(library: Library) -> None:
    error = ServerFailedError("The service failed (500) after retries.", status=500)
    outcome = run(ScriptedService([completed(0), completed(1), ImageFailed(error)]), library)
    assert outcome.error is error
    job = library.job(outcome.job_id)
    assert job is not None and job.status == "failed"
    assert job.error_message == error.message
    assert len(library.images(job.id)) == 2


def test_refused_transparency_falls_back_to_a_key_colour(library: Library) -> None:
    refusal = RefusedError(
        "Transparent backgrounds are not supported", status=400, param="background"
    )
    notes: list[str] = []
    service = ScriptedService([ImageFailed(refusal)], [completed(0, "#FF00FF")])
    spec = Spec(description="Lantern sticker", n=1, size="1024x1024", background="transparent")
    outcome = run(service, library, spec, callbacks=JobCallbacks(on_note=notes.append))
    assert notes == [TRANSPARENCY_FALLBACK_NOTE]
    assert outcome.error is None
    retry = service.requests[1]
    assert (retry.background, retry.output_format) == ("opaque", "png")
    assert "#FF00FF" in retry.prompt
    (record,) = library.images(outcome.job_id)
    with Image.open(record.path) as image:
        assert image.getchannel("A").getextrema() == (0, 0)


def test_other_refusals_are_not_retried(library: Library) -> None:
    refusal = RefusedError("Invalid size", status=400, param="size")
    service = ScriptedService([ImageFailed(refusal)])
    spec = Spec(description="Lantern", n=1, size="1024x1024", background="transparent")
    outcome = run(service, library, spec)
    assert outcome.error is refusal
    assert len(service.requests) == 1


def test_cancelling_marks_the_job_cancelled_and_keeps_what_arrived(library: Library) -> None:
    service = ScriptedService([completed(0), completed(1), completed(2)], pause=0.2)

    async def cancel_after_first() -> str:
        first = asyncio.Event()
        runner = JobRunner(service=service, library=library, engine_label="local", billed=False)
        plan = plan_generation(SPEC, stream=True)
        task = asyncio.create_task(
            runner.run(
                plan, spec_json=spec_to_dict(SPEC),
                callbacks=JobCallbacks(on_image=lambda image: first.set()),
            )
        )  # fmt: skip
        await first.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return library.jobs()[0].id

    job_id = asyncio.run(cancel_after_first())
    job = library.job(job_id)
    assert job is not None and job.status == "cancelled"
    assert len(library.images(job_id)) == 1


def test_a_full_disk_stops_the_job_with_a_clear_message(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = os.write
    writes = {"count": 0}

    def write(fd: int, data: bytes | memoryview) -> int:
        if bytes(data[:8]) == b"\x89PNG\r\n\x1a\n":  # image files, not the database's pages
            writes["count"] += 1
            if writes["count"] > 1:
                raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    outcome = run(ScriptedService([completed(0), completed(1), completed(2)]), library)
    monkeypatch.undo()
    assert outcome.not_saved is not None and outcome.not_saved.startswith("The disk is full")
    assert len(outcome.images) == 1 and outcome.error is None
    (job,) = library.jobs()
    assert job.status == "failed"
    assert job.error_message == outcome.not_saved
    assert job.actual_usd == outcome.actual_usd and outcome.actual_usd is not None
    kept = library.images(job.id)
    assert len(kept) == 1 and kept[0].path.is_file()
    leftovers = [p for p in library.paths.images_dir.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_local_jobs_cost_nothing(library: Library) -> None:
    runner = JobRunner(
        service=ScriptedService([completed(0)]), library=library, engine_label="local", billed=False
    )
    spec = Spec(description="x", n=1, size="1024x1024")
    outcome = asyncio.run(runner.run(plan_generation(spec), spec_json=spec_to_dict(spec)))
    assert outcome.actual_usd == 0.0
    assert library.job(outcome.job_id).actual_usd == 0.0  # type: ignore[union-attr]
