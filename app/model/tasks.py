"""The one task funnel: coroutines on the GUI's loop, work on the engine's loop or a worker thread.

Widgets never create tasks. Models call ``run_task``: the funnel keeps a reference to every task
(asyncio keeps only weak ones), and turns an exception into a message on the bridge instead of a
traceback. ``on_engine`` runs a coroutine on the engine's own loop (``EngineRunner``) and
``in_thread`` runs a plain function on a worker thread; both are awaited from the GUI's loop and
hand back plain data.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from app.core.messages import MessageBridge
from app.engine.runner import EngineRunner

T = TypeVar("T")
BACKGROUND_NICENESS = 10
ENGINE_CANCEL_WAIT = 10.0  # seconds a cancel waits for the engine's side to end
log = logging.getLogger(__name__)


def background_priority() -> None:
    """Lower the calling thread's scheduling priority (Linux: threads have their own niceness),
    so that on a busy machine the GUI thread gets a core before decoding or the engine does."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICENESS)


class EngineStop:
    """Stops a coroutine run on the engine's loop so that it finishes its clean-up first.

    Cancelling a task that awaits the engine's future returns at once, while the engine may still
    be keeping an image and marking the job cancelled; ``stop`` cancels the coroutine where it
    runs instead, so the awaiting side sees ``CancelledError`` only once the coroutine has ended
    (``on_engine`` does this on every cancel)."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None  # set when submitted
        self._task: asyncio.Task[Any] | None = None  # the engine's, once it started
        self._stopped = False

    def stop(self) -> bool:
        """Stop the coroutine (from the GUI thread); False when it was not submitted yet."""
        if self._loop is None:
            return False
        try:
            self._loop.call_soon_threadsafe(self._stop_here)
        except RuntimeError:  # the engine has stopped
            return False
        return True

    def _stop_here(self) -> None:
        self._stopped = True
        if self._task is not None:
            self._task.cancel()

    async def guard(self, coroutine: Coroutine[Any, Any, T]) -> T:
        self._task = asyncio.current_task()
        if self._stopped:  # stopped before it started
            coroutine.close()
            raise asyncio.CancelledError
        return await coroutine


class TaskFunnel:
    def __init__(
        self, messages: MessageBridge, engine: EngineRunner | None = None, *, workers: int = 2
    ) -> None:
        self.messages = messages
        self.engine = engine
        self._tasks: set[asyncio.Task[Any]] = set()
        self._pool = ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="zi-work", initializer=background_priority
        )

    def run_task(
        self,
        coroutine: Coroutine[Any, Any, T],
        *,
        on_done: Callable[[T], object] | None = None,
        failure_code: str = "task.failed",
    ) -> asyncio.Task[T]:
        """Run ``coroutine`` on the GUI's loop; its result goes to ``on_done``; an exception
        becomes an error message with ``failure_code``."""
        try:
            task = asyncio.get_event_loop().create_task(coroutine)
        except BaseException:
            coroutine.close()  # never started: no "never awaited" warning at some later moment
            raise
        self._tasks.add(task)

        def finished(done: asyncio.Task[T]) -> None:
            self._tasks.discard(done)
            if done.cancelled():
                return
            error = done.exception()
            if error is not None:
                log.error("task failed", exc_info=error)
                reason = str(error) or type(error).__name__
                self.messages.error(failure_code, reason=reason)
            elif on_done is not None:
                on_done(done.result())

        task.add_done_callback(finished)
        return task

    async def on_engine(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Await ``coroutine`` run on the engine's loop; cancelling this cancels it there.

        A cancel returns once the engine's side has ended (at most ``ENGINE_CANCEL_WAIT``): what
        it does on a cancel (a job records itself as cancelled, keeps what arrived) is done by
        the time the caller says "cancelled"."""
        stop = EngineStop()
        running = self.engine_future(coroutine, stop)
        try:
            return await asyncio.shield(running)
        except asyncio.CancelledError:
            if not running.done() and stop.stop():
                with contextlib.suppress(asyncio.CancelledError, TimeoutError, Exception):
                    await asyncio.wait_for(asyncio.shield(running), ENGINE_CANCEL_WAIT)
            raise

    def engine_future(
        self, coroutine: Coroutine[Any, Any, T], stop: EngineStop | None = None
    ) -> asyncio.Future[T]:
        """``coroutine`` submitted to the engine's loop now; ``stop`` can stop it there."""
        if self.engine is None:
            coroutine.close()
            raise RuntimeError("the engine is not running yet")
        if stop is not None:
            stop._loop = self.engine.loop
            coroutine = stop.guard(coroutine)
        return asyncio.wrap_future(self.engine.submit(coroutine))

    async def in_thread(self, function: Callable[..., T], *args: Any) -> T:
        """Run ``function(*args)`` on a worker thread (disk writes, decoding)."""
        return await asyncio.get_event_loop().run_in_executor(self._pool, function, *args)

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def drain(self) -> None:
        """Wait for every running task (used on close, so saves finish)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def shutdown(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        self._pool.shutdown(wait=True, cancel_futures=False)
