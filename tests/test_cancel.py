"""A cancel always wins: in the in-process transport, while an image is saved, and from a signal."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncGenerator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from app.core.plan import plan_generation
from app.core.request import ImageRequest
from app.core.spec_json import spec_to_dict
from app.engine.service import ImageEvent
from app.engine.transport import _Exchange
from app.jobs.run import JobCallbacks, JobRunner, SavedImage
from app.store.library import Library
from app.store.paths import StudioPaths
from tests.test_job_runner import SPEC, completed

SCOPE: dict[str, Any] = {"type": "http", "method": "POST", "path": "/", "headers": []}


async def _idle_app(scope: Any, receive: Any, send: Any) -> None:
    await asyncio.sleep(3600)


async def _cancel_as_a_message_arrives() -> str:
    exchange = _Exchange(_idle_app, dict(SCOPE), httpx2.ByteStream(b""))
    reader = asyncio.create_task(exchange.next_message(30))
    for _ in range(3):
        await asyncio.sleep(0)  # the reader is now waiting on the queue
    exchange._messages.put_nowait({"type": "http.response.body", "body": b"x"})
    reader.cancel()  # in the same loop step as the message
    try:
        await reader
    except asyncio.CancelledError:
        outcome = "cancelled"
    else:
        outcome = "message returned"
    await exchange.close()
    return outcome


def test_a_cancel_at_the_moment_a_message_arrives_wins() -> None:
    outcomes = [asyncio.run(_cancel_as_a_message_arrives()) for _ in range(20)]
    assert outcomes == ["cancelled"] * 20


def test_closing_an_exchange_does_not_swallow_the_callers_cancel() -> None:
    async def stubborn_app(scope: Any, receive: Any, send: Any) -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            await asyncio.sleep(0.05)  # ends normally after a short clean-up

    async def main() -> str:
        exchange = _Exchange(stubborn_app, dict(SCOPE), httpx2.ByteStream(b""))
        await asyncio.sleep(0)
        closing = asyncio.create_task(exchange.close())
        await asyncio.sleep(0.01)
        closing.cancel()
        try:
            await closing
        except asyncio.CancelledError:
            return "cancelled"
        return "cancel lost"

    assert asyncio.run(main()) == "cancelled"


class _OneImageService:
    """Sends one image, then waits forever for the next."""

    async def _events(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        yield completed(0)
        await asyncio.sleep(3600)

    def generate(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        return self._events(request)

    def edit(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        return self._events(request)


def test_a_cancel_while_an_image_is_saved_records_it_before_the_job_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = StudioPaths.under(tmp_path)
    library = Library.open(paths)
    writing = threading.Event()
    release = threading.Event()
    original = Library.add_image

    def slow_add_image(self: Library, *args: Any, **kwargs: Any) -> Any:
        writing.set()
        release.wait(10)  # the write is under way in its thread when the cancel comes
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Library, "add_image", slow_add_image)
    told: list[SavedImage] = []

    async def main() -> None:
        runner = JobRunner(service=_OneImageService(), library=library, engine_label="local")
        job = asyncio.create_task(
            runner.run(
                plan_generation(SPEC, stream=True),
                spec_json=spec_to_dict(SPEC),
                callbacks=JobCallbacks(on_image=told.append),
            )
        )
        while not writing.is_set():
            await asyncio.sleep(0.01)
        job.cancel()
        await asyncio.sleep(0.05)
        job.cancel()  # a second Ctrl+C while the image is still being written
        threading.Timer(0.2, release.set).start()
        with pytest.raises(asyncio.CancelledError):
            await job

    asyncio.run(main())
    # Before the job ended: the image was recorded, announced, and the job is cancelled.
    (job,) = library.jobs()
    images = library.images(job.id)
    library.close()
    assert job.status == "cancelled"
    assert job.usage == completed(0).usage  # what the image received cost stays recorded
    assert [image.index_in_job for image in images] == [0]
    assert [image.record.id for image in told] == [images[0].id]
    files = [path for path in paths.images_dir.rglob("*") if path.is_file()]
    assert files == [images[0].path]
