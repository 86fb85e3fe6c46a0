"""The "Jobs at once" setting: that many jobs run side by side, and a change applies at once."""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path

import pytest

from app.model.tasks import BACKGROUND_NICENESS
from app.store.settings import Settings
from tests.gui_support import ScriptedService, attach, make_studio, run, shut, until

pytestmark = pytest.mark.gui


def test_jobs_run_as_many_at_once_as_the_settings_say(
    qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    studio = make_studio(tmp_path, settings=Settings(concurrency=2))
    studio.window.show()
    studio.builder.description = "A tea shop poster"
    studio.builder.blocks.add("headline", "春日限定")
    studio.builder.n = 1
    service = ScriptedService()

    def states() -> dict[int, str]:
        return {entry.id: entry.state for entry in studio.queue.entries()}

    async def scenario() -> None:
        await attach(studio, service)
        for _ in range(4):
            studio.window.generate()
        assert states() == {1: "running", 2: "running", 3: "queued", 4: "queued"}
        await until(lambda: len(service.requests) == 2, studio.gallery.dataChanged)

        studio.settings_model.set_value("concurrency", 3)  # applies without a restart
        assert states()[3] == "running" and states()[4] == "queued"
        await until(lambda: len(service.requests) == 3, studio.gallery.dataChanged)

        studio.settings_model.set_value("concurrency", 1)  # the running ones finish
        started_4: list[dict[int, str]] = []
        studio.queue.dataChanged.connect(
            lambda *_: (
                started_4.append(states()) if states()[4] != "queued" and not started_4 else None
            )
        )
        service.release(0)  # every request's one image
        await until(lambda: states()[4] == "finished", studio.queue.dataChanged)
        # The fourth started only once all three had finished (one at a time now).
        assert [started_4[0][n] for n in (1, 2, 3, 4)] == ["finished"] * 3 + ["running"]

    try:
        run(qloop, scenario())
        assert len(service.requests) == 4
        assert [tile.state for tile in studio.gallery.tiles()] == ["done"] * 4
    finally:
        studio.window._confirmed_close = True
        run(qloop, shut(studio))


def test_the_engines_worker_threads_yield_to_the_gui_thread(
    qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    """Answers are decoded, checked and saved (asyncio.to_thread) at the background priority,
    like the engine's loop itself (Linux: threads have their own niceness)."""
    studio = make_studio(tmp_path)
    engine = studio.ensure_engine()

    def niceness() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    async def on_engine() -> tuple[int, int]:
        return niceness(), await asyncio.to_thread(niceness)

    try:
        loop_thread, worker = engine.submit(on_engine()).result(30)
        assert loop_thread == worker == BACKGROUND_NICENESS
        assert niceness() < BACKGROUND_NICENESS  # the GUI thread keeps its own
    finally:
        run(qloop, shut(studio))
