from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator

import pytest

from app.engine.runner import EngineRunner


@pytest.fixture
def runner() -> Iterator[EngineRunner]:
    engine = EngineRunner().start()
    yield engine
    engine.stop()


def test_work_runs_on_the_engine_thread(runner: EngineRunner) -> None:
    async def where() -> str:
        await asyncio.sleep(0)
        return threading.current_thread().name

    assert runner.call(where, timeout=5) == "zi-engine"
    assert threading.current_thread().name != "zi-engine"


def test_streamed_events_reach_the_callback_in_order(runner: EngineRunner) -> None:
    received: list[int] = []

    async def events() -> AsyncIterator[int]:
        for index in range(5):
            await asyncio.sleep(0)
            yield index

    runner.stream(events, received.append).result(5)
    assert received == [0, 1, 2, 3, 4]


def test_cancelling_the_future_cancels_the_engine_task(runner: EngineRunner) -> None:
    started = threading.Event()
    cancelled = threading.Event()

    async def forever() -> None:
        started.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    future = runner.submit(forever())
    assert started.wait(5)
    future.cancel()
    assert cancelled.wait(5)


def test_stop_cancels_what_is_still_running() -> None:
    engine = EngineRunner().start()
    cancelled = threading.Event()

    async def forever() -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    engine.submit(forever())
    engine.stop()
    assert cancelled.is_set()


def test_call_from_the_engine_thread_raises_instead_of_deadlocking(runner: EngineRunner) -> None:
    async def inner() -> int:
        return 1

    async def calls_back() -> str:
        try:
            runner.call(inner, timeout=2)
        except RuntimeError as error:
            return str(error)
        return "no error"

    message = runner.submit(calls_back()).result(5)
    assert "cannot run on the engine's own thread" in message


def test_stop_waits_for_the_loops_worker_threads() -> None:
    engine = EngineRunner().start()
    started = threading.Event()
    workers: list[threading.Thread] = []

    def blocking() -> None:
        workers.append(threading.current_thread())
        started.set()
        time.sleep(0.3)

    async def offload() -> None:
        await asyncio.get_running_loop().run_in_executor(None, blocking)

    engine.submit(offload())
    assert started.wait(5)
    engine.stop()
    assert not workers[0].is_alive()  # the default executor was shut down with the loop
