"""Helpers for window tests: run a coroutine on the session's qasync loop, wait on Qt signals, and
a scripted image service whose pace a test controls."""

from __future__ import annotations

import asyncio
import dataclasses
import io
from collections.abc import AsyncGenerator, Awaitable, Callable, Coroutine, Mapping
from pathlib import Path
from typing import Any, TypeVar

from PIL import Image
from PySide6.QtCore import SignalInstance

from app.core.request import ImageRequest
from app.engine.runner import EngineRunner
from app.engine.service import CompletedImage, ImageEvent, PartialImage
from app.main import Studio
from app.model.generation import EngineInfo
from app.store.paths import StudioPaths
from app.store.settings import Settings

T = TypeVar("T")
TIMEOUT = 60.0


def run(loop: asyncio.AbstractEventLoop, coroutine: Coroutine[Any, Any, T]) -> T:
    return loop.run_until_complete(asyncio.wait_for(coroutine, TIMEOUT))


async def until(
    condition: Callable[[], bool], *signals: SignalInstance, timeout: float = TIMEOUT
) -> None:
    """Wait until ``condition()`` holds, checking it again each time one of ``signals`` fires."""
    if condition():
        return
    woken = asyncio.Event()
    slots = []
    for signal in signals:
        slot = lambda *_: woken.set()  # noqa: E731
        signal.connect(slot)
        slots.append((signal, slot))
    try:
        async with asyncio.timeout(timeout):
            while not condition():
                await woken.wait()
                woken.clear()
    finally:
        for signal, slot in slots:
            signal.disconnect(slot)


def png(width: int = 1024, height: int = 1024, colour: str = "#88aa88") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


USAGE = {"input_tokens": 100, "output_tokens": 1756, "total_tokens": 1856}


class ScriptedService:
    """An ImageService whose images come when the test opens their gate.

    For each image: one partial, then (once ``release(index)`` is called, or at once when
    ``free`` is set) the completed image.
    """

    def __init__(self, *, free: bool = False) -> None:
        self.free = free
        self.requests: list[ImageRequest] = []
        self._gates: dict[int, asyncio.Event] = {}
        self.loop: asyncio.AbstractEventLoop | None = None

    def release(self, index: int) -> None:
        assert self.loop is not None
        self.loop.call_soon_threadsafe(self._gate(index).set)

    def _gate(self, index: int) -> asyncio.Event:
        return self._gates.setdefault(index, asyncio.Event())

    def generate(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        return self._events(request)

    edit = generate

    async def _events(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        self.loop = asyncio.get_running_loop()
        self.requests.append(request)
        for index in range(request.n):
            yield PartialImage(index, 0, png(256, 256, "#cccccc"))
            if not self.free:
                await self._gate(index).wait()
            yield CompletedImage(index, png(), 1024, 1024, "png", USAGE)


def make_studio(home: Path, *, settings: Settings | None = None) -> Studio:
    return Studio(StudioPaths.under(home), settings=settings)


async def attach(studio: Studio, service: object, *, local: bool = False) -> EngineRunner:
    """Give ``studio`` a library and an engine thread running ``service`` (no SDK involved)."""
    from app.jobs.run import JobRunner
    from app.store.library import Library

    studio.library = await studio.funnel.in_thread(Library.open, studio.paths)
    studio.edits.attach_library(studio.library)
    engine = EngineRunner().start()
    studio.engine = engine
    studio.funnel.engine = engine
    runner = JobRunner(
        service=service,  # type: ignore[arg-type]
        library=studio.library,
        engine_label="local" if local else "remote:api.openai.com",
        billed=not local,
    )
    studio.generator.set_engine(runner, EngineInfo("local" if local else "openai"))
    return engine


class Misspelling:
    """The embedded engine's service (through the SDK), except that its generated drafts set
    ``wrong`` for ``right`` (a look-alike character off, as a model gets it); edits go through
    as sent. Stands in for the window's service: ``studio._runner._service = Misspelling(...)``."""

    def __init__(
        self, engine: Any, right: str, wrong: str, extra: Mapping[str, Any] | None = None
    ) -> None:
        self._engine = engine
        self._right, self._wrong = right, wrong
        self._extra = dict(extra or {})

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)

    def with_extra_body(self, extra: Mapping[str, Any]) -> Misspelling:
        return Misspelling(self._engine, self._right, self._wrong, extra)

    def generate(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        right, wrong = self._right, self._wrong
        extra = {key: str(value).replace(right, wrong) for key, value in self._extra.items()}
        misspelt = dataclasses.replace(request, prompt=request.prompt.replace(right, wrong))
        events: AsyncGenerator[ImageEvent, None]
        events = self._engine.with_extra_body(extra).generate(misspelt)
        return events

    def edit(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        events: AsyncGenerator[ImageEvent, None]
        events = self._engine.with_extra_body(self._extra).edit(request)
        return events


async def shut(studio: Studio) -> None:
    studio.service = None  # a scripted service has nothing to close
    await studio.stop()
    studio.window.close()
    studio.window.deleteLater()


Waiter = Callable[[], Awaitable[None]]
