"""The "Jobs at once" setting: that many jobs run side by side, and a change applies at once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

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
        service.release(0)  # every request's one image
        await until(lambda: states()[3] == "finished", studio.queue.dataChanged)
        assert [states()[n] for n in (1, 2, 3)] == ["finished"] * 3
        await until(lambda: states()[4] == "finished", studio.queue.dataChanged)

    try:
        run(qloop, scenario())
        assert len(service.requests) == 4
        assert [tile.state for tile in studio.gallery.tiles()] == ["done"] * 4
    finally:
        studio.window._confirmed_close = True
        run(qloop, shut(studio))
