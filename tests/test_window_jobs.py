"""Generate, the job queue, cancel, the spending cap and the gallery's tiles."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication, QImage

from app.core.messages import Message
from app.core.request import ImageRequest
from app.engine.service import ImageEvent
from app.main import Studio
from app.model.gallery import Tile
from app.store.settings import Settings
from tests.gui_support import ScriptedService, attach, make_studio, run, shut, until

pytestmark = pytest.mark.gui


@pytest.fixture
def studio(qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[Studio]:
    made = make_studio(tmp_path, settings=Settings(spending_cap_usd=1.0))
    made.window.show()
    made.builder.description = "A tea shop poster"
    made.builder.blocks.add("headline", "春日限定")
    yield made
    made.window._confirmed_close = True
    run(qloop, shut(made))


def states(studio: Studio) -> list[str]:
    return [tile.state for tile in studio.gallery.tiles()]


def messages_of(studio: Studio) -> list[Message]:
    seen: list[Message] = []
    studio.relay.posted.connect(seen.append)
    return seen


def test_generate_on_the_embedded_engine_streams_partials_then_finals(
    qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    studio = make_studio(tmp_path / "home")
    studio.window.show()
    history: dict[tuple[int, int], list[str]] = {}

    def record(top: object, bottom: object, roles: object = None) -> None:
        for tile in studio.gallery.tiles():
            seen = history.setdefault(tile.key, [])
            if not seen or seen[-1] != tile.state:
                seen.append(tile.state)

    studio.gallery.dataChanged.connect(record)

    async def scenario() -> None:
        await studio.start(load_settings=False)
        assert studio.generator.engine is not None and studio.generator.engine.local
        assert "local drafts" in studio.window.status.engine.text()
        # The studio's own engine is sent each job's spec, so its drafts set the typography.
        assert studio._runner is not None and studio._runner._send_spec
        studio.builder.description = "A tea shop poster"
        studio.builder.blocks.add("headline", "春日限定")
        studio.builder.n = 3
        studio.builder.quality = "low"
        studio.window.generate()
        assert states(studio) == ["waiting"] * 3  # a tile per image, at once
        await until(lambda: states(studio) == ["done"] * 3, studio.gallery.dataChanged)
        await until(lambda: studio.queue.entries()[0].state == "finished", studio.queue.dataChanged)

    try:
        run(qloop, scenario())
        assert sorted(history) == [(1, 0), (1, 1), (1, 2)]
        for key, seen in history.items():
            assert seen[-1] == "done", key
            assert "streaming" in seen and seen.index("streaming") < seen.index("done"), key
        tile = studio.gallery.tile(0)
        assert tile.local and tile.path is not None and tile.path.is_file()
        assert tile.path.is_relative_to(tmp_path / "home")  # kept in the library first
        assert (tile.width, tile.height) == (1024, 1024)
        entry = studio.queue.entries()[0]
        assert entry.received == 3 and entry.local
        assert studio.queue.spent_actual == 0.0  # local drafts cost nothing
    finally:
        studio.window._confirmed_close = True
        run(qloop, studio.stop())
        studio.window.close()


def test_cancel_keeps_what_arrived_and_marks_the_rest(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    service = ScriptedService()
    studio.builder.n = 4

    async def scenario() -> None:
        await attach(studio, service)
        studio.window.generate()
        await until(lambda: states(studio).count("streaming") >= 1, studio.gallery.dataChanged)
        service.release(0)
        await until(lambda: "done" in states(studio), studio.gallery.dataChanged)
        studio.window.cancel_action.trigger()  # Esc
        await until(
            lambda: studio.queue.entries()[0].state == "cancelled", studio.queue.dataChanged
        )

    run(qloop, scenario())
    tiles = studio.gallery.tiles()
    assert [t.state for t in tiles] == ["done", "cancelled", "cancelled", "cancelled"]
    assert tiles[0].path is not None and tiles[0].path.is_file()
    assert [job.status for job in studio.library.jobs()] == ["cancelled"]
    assert all(t.reason is not None and t.reason[0] == "job.cancelled" for t in tiles[1:])


class SlowToStopService(ScriptedService):
    """Takes a moment to stop when cancelled, as a service closing its connection does."""

    async def _events(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        try:
            async for event in super()._events(request):
                yield event
        except asyncio.CancelledError:
            await asyncio.sleep(0.5)
            raise


def test_a_cancelled_job_says_so_once_the_library_has_it(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    """The queue says "cancelled" only when the job is recorded so: a window closed at that
    moment finds it cancelled at the next start, not interrupted."""
    service = SlowToStopService()
    studio.builder.n = 2

    async def scenario() -> list[str]:
        await attach(studio, service)
        studio.window.generate()
        await until(lambda: states(studio).count("streaming") >= 1, studio.gallery.dataChanged)
        studio.window.cancel_action.trigger()
        await until(
            lambda: studio.queue.entries()[0].state == "cancelled", studio.queue.dataChanged
        )
        return [job.status for job in studio.library.jobs()]

    assert run(qloop, scenario()) == ["cancelled"]
    assert states(studio) == ["cancelled", "cancelled"]


def test_a_second_job_waits_in_the_queue(studio: Studio, qloop: asyncio.AbstractEventLoop) -> None:
    service = ScriptedService()
    studio.builder.n = 1

    async def scenario() -> None:
        await attach(studio, service)
        studio.window.generate()
        studio.builder.n = 2
        studio.window.generate()
        entries = {e.id: e.state for e in studio.queue.entries()}
        assert entries == {1: "running", 2: "queued"}
        assert studio.window.jobs_panel.list.model().rowCount() == 2
        assert len(studio.gallery.tiles()) == 3  # every tile shows at once
        await until(lambda: len(service.requests) == 1, studio.gallery.dataChanged)
        service.release(0)
        await until(lambda: studio.queue.entry(1).state == "finished", studio.queue.dataChanged)  # type: ignore[union-attr]
        await until(lambda: len(service.requests) == 2, studio.gallery.dataChanged)
        assert service.requests[1].n == 2
        service.release(1)
        await until(lambda: studio.queue.entry(2).state == "finished", studio.queue.dataChanged)  # type: ignore[union-attr]

    run(qloop, scenario())
    assert states(studio) == ["done"] * 3
    assert studio.queue.spent_actual > 0  # billed on a remote engine
    assert "$" in studio.window.status.spend.text()


def test_the_spending_cap_stops_a_job_before_it_is_sent(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    service = ScriptedService(free=True)
    seen = messages_of(studio)
    studio.builder.n = 10
    studio.builder.quality = "high"
    studio.builder.tier = "2k"

    async def scenario() -> None:
        await attach(studio, service)
        studio.preview.recompute()
        assert studio.preview.plan is not None and studio.preview.plan.cost.usd > 1.0  # type: ignore[operator]
        studio.window.generate()

    run(qloop, scenario())
    assert service.requests == []
    assert studio.queue.rowCount() == 0 and studio.gallery.rowCount() == 0
    assert [m.code for m in seen] == ["cap.exceeded"]
    banner = studio.window.banner
    assert not banner.isHidden() and "spending cap" in banner.text.text()
    assert banner.action.text() == "Open settings"
    with_settings = []
    studio.window.settings_requested.connect(lambda: with_settings.append(True))
    banner.action.click()
    assert with_settings == [True]


def test_discard_and_undo_favourite_and_copy(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    service = ScriptedService(free=True)
    studio.builder.n = 2
    page = studio.window.gallery_page

    async def scenario() -> None:
        await attach(studio, service)
        studio.window.generate()
        await until(lambda: states(studio) == ["done", "done"], studio.gallery.dataChanged)
        page.select_row(1)
        page.actions_by_name["favourite"].trigger()
        await until(
            lambda: studio.library.image(studio.gallery.tile(1).image_id).favourite,
            studio.gallery.dataChanged,
            timeout=10,
        )
        QGuiApplication.clipboard().clear()
        page.actions_by_name["copy"].trigger()
        await until(
            lambda: not QGuiApplication.clipboard().image().isNull(),
            QGuiApplication.clipboard().dataChanged,
        )

    run(qloop, scenario())
    second: Tile = studio.gallery.tile(1)
    assert second.favourite
    assert QGuiApplication.clipboard().image().size().width() == 1024
    assert [
        a.shortcut().toString()
        for a in (page.actions_by_name["favourite"], page.actions_by_name["discard"])
    ] == ["F", "Del"]

    page.select_row(0)
    first = studio.gallery.tile(0)
    page.actions_by_name["discard"].trigger()
    assert [t.key for t in studio.gallery.tiles()] == [second.key]
    assert first.path is not None and first.path.is_file()  # the library keeps the file
    page.actions_by_name["undo"].trigger()
    assert [t.key for t in studio.gallery.tiles()] == [first.key, second.key]


def test_a_failed_job_says_why_on_its_tiles_and_offers_retry(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    from app.engine.errors import UnreachableError
    from app.engine.service import ImageFailed

    class Failing(ScriptedService):
        async def _events(self, request):  # type: ignore[no-untyped-def]
            self.requests.append(request)
            yield ImageFailed(UnreachableError("Cannot reach the image service."))

    service = Failing()
    studio.builder.n = 2

    async def scenario() -> None:
        await attach(studio, service)
        studio.window.generate()
        await until(lambda: states(studio) == ["failed", "failed"], studio.gallery.dataChanged)

    run(qloop, scenario())
    tile = studio.gallery.tile(0)
    assert tile.reason is not None and tile.reason[0] == "service.unreachable"
    banner = studio.window.banner
    assert not banner.isHidden() and banner.action.text() == "Retry"
    banner.action.click()
    run(qloop, until(lambda: len(service.requests) == 2, studio.gallery.dataChanged))
    assert len(studio.gallery.tiles()) == 4


def test_pictures_are_decoded_off_the_gui_thread_into_a_bounded_cache(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    from app.model.images import ImageCache

    cache = ImageCache(budget=3 * 320 * 320 * 4)
    for index in range(10):
        image = QImage(320, 320, QImage.Format.Format_ARGB32)
        cache.put(index, image)
    assert len(cache) == 3 and cache.size_in_bytes <= cache.budget
    assert 9 in cache and 0 not in cache


def test_a_rate_limited_remote_job_offers_the_local_engine(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    from app.engine.errors import RateLimitedError
    from app.engine.service import ImageFailed

    class Limited(ScriptedService):
        async def _events(self, request):  # type: ignore[no-untyped-def]
            self.requests.append(request)
            yield ImageFailed(RateLimitedError("quota", retry_after=None))

    studio.builder.n = 1
    asked: list[bool] = []
    studio.window.use_local_requested.connect(lambda: asked.append(True))

    async def scenario() -> None:
        await attach(studio, Limited())
        studio.window.generate()
        await until(lambda: states(studio) == ["failed"], studio.gallery.dataChanged)

    run(qloop, scenario())
    banner = studio.window.banner
    assert banner.action.text() == "Use the local engine"
    banner.action.click()
    assert asked == [True]


def test_compare_shows_two_selected_images_side_by_side(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    from PySide6.QtCore import QItemSelectionModel

    service = ScriptedService(free=True)
    studio.builder.n = 2
    page, compare = studio.window.gallery_page, studio.window.compare_page

    async def scenario() -> None:
        await attach(studio, service)
        studio.window.generate()
        await until(lambda: states(studio) == ["done", "done"], studio.gallery.dataChanged)
        page.select_row(0)
        selection = page.list.selectionModel()
        selection.select(page.proxy.index(1, 0), QItemSelectionModel.SelectionFlag.Select)
        studio.window.tabs.setCurrentWidget(compare)
        await until(
            lambda: compare.left.has_image and compare.right.has_image,
            studio.gallery.image_ready,
        )

    run(qloop, scenario())
    assert (compare.left.key, compare.right.key) == (
        studio.gallery.tile(0).key,
        studio.gallery.tile(1).key,
    )
    studio.window.tabs.setCurrentWidget(page)
    assert not compare.left.has_image  # only the images on screen are held


def test_the_jobs_list_counts_one_image_as_one(qapp: object) -> None:
    from app.model.job_queue import JobEntry
    from app.ui.jobs_panel import entry_text

    one = JobEntry(1, 1, "768x1024", "low", "gpt-image-2", True, None, state="finished")
    four = JobEntry(2, 4, "768x1024", "low", "gpt-image-2", True, None, state="finished")
    assert entry_text(one).startswith("Job 1: 1 image, 768x1024")
    assert entry_text(one).endswith("local draft")
    assert entry_text(four).startswith("Job 2: 4 images, 768x1024")
    assert entry_text(four).endswith("local drafts")
