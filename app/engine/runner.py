"""The engine's own asyncio loop on a worker thread.

Reading and parsing a 17 MB answer on the GUI's loop froze the window for tens of milliseconds, so
the SDK never runs there: the window hands coroutines to this runner and gets plain results back
(bytes, dataclasses) through callbacks or ``concurrent.futures.Future``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")
E = TypeVar("E")


class EngineRunner:
    """An asyncio loop running on a daemon thread until ``stop()``."""

    def __init__(self, name: str = "zi-engine") -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._started = threading.Event()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.call_soon(self._started.set)
        self._loop.run_forever()
        self._loop.run_until_complete(self._loop.shutdown_asyncgens())
        # The worker threads of to_thread and run_in_executor end with the loop, not after it.
        self._loop.run_until_complete(self._loop.shutdown_default_executor())
        self._loop.close()

    def start(self) -> EngineRunner:
        self._thread.start()
        self._started.wait()
        return self

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        return self._loop

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Run ``coroutine`` on the engine loop; cancelling the future cancels the task."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    def stream(
        self,
        events: Callable[[], AsyncIterator[E]],
        on_event: Callable[[E], object],
    ) -> concurrent.futures.Future[None]:
        """Consume ``events()`` on the engine loop, calling ``on_event`` (on the engine thread)."""

        async def consume() -> None:
            async for event in events():
                on_event(event)

        return self.submit(consume())

    def call(self, function: Callable[[], Awaitable[T]], timeout: float | None = None) -> T:
        """Run a coroutine function on the engine loop and wait for its result.

        From the engine's own thread this would wait for a loop it is blocking: it raises instead.
        """
        self._refuse_own_thread("call()")

        async def wrapper() -> T:
            return await function()

        return self.submit(wrapper()).result(timeout)

    def stop(self, timeout: float = 5.0) -> None:
        """Cancel what runs on the loop, wait for its worker threads, and end the thread."""
        if not self._thread.is_alive():
            return
        self._refuse_own_thread("stop()")

        async def cancel_all() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        with_timeout = asyncio.run_coroutine_threadsafe(cancel_all(), self._loop)
        try:
            with_timeout.result(timeout)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout)

    def _refuse_own_thread(self, what: str) -> None:
        if threading.current_thread() is self._thread:
            raise RuntimeError(
                f"EngineRunner.{what} waits for the engine loop, so it cannot run on the engine's "
                "own thread: await the coroutine there instead"
            )
