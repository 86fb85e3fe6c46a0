"""The task funnel's engine calls: a cancel returns once the engine's side has ended."""

from __future__ import annotations

import asyncio
import contextlib
import threading

from app.core.messages import MessageBridge
from app.engine.runner import EngineRunner
from app.model.tasks import TaskFunnel
from tests.gui_support import run


def test_a_cancelled_engine_call_returns_once_the_engine_has_cleaned_up(
    qloop: asyncio.AbstractEventLoop,
) -> None:
    """What the engine does on a cancel (a rows run or a series recording itself as cancelled)
    is done by the time the caller hears "cancelled"."""
    engine = EngineRunner().start()
    funnel = TaskFunnel(MessageBridge(), engine)
    started, cleaned_up = threading.Event(), threading.Event()

    async def on_the_engine() -> None:
        started.set()
        try:
            await asyncio.Event().wait()  # until cancelled
        except asyncio.CancelledError:
            await asyncio.sleep(0.3)  # a clean-up that takes a while (a library write)
            cleaned_up.set()
            raise

    async def scenario() -> bool:
        call = asyncio.ensure_future(funnel.on_engine(on_the_engine()))
        while not started.is_set():
            await asyncio.sleep(0.01)
        call.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await call
        return cleaned_up.is_set()

    try:
        assert run(qloop, scenario())
    finally:
        engine.stop()
        funnel.shutdown()
