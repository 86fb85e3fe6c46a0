"""The rows panel: a CSV over the builder's spec, previewed with estimates, run directly and as a
batch on the embedded engine, every image in the library with its row and in the gallery, each
tile named by its row."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Iterator, Sequence
from pathlib import Path

import pytest

from app.core.fidelity import BlockCheck, RequiredText, TextCheck
from app.core.plan import plan_generation
from app.core.request import ImageRequest
from app.core.rows import fill_spec
from app.engine.service import ImageEvent
from app.main import Studio
from app.model.batch_model import ROW_ROLE, RowPreview
from app.model.gallery import Tile
from app.ui.tile_delegate import caption, tooltip_lines
from tests.gui_support import ScriptedService, attach, make_studio, run, shut, until

pytestmark = pytest.mark.gui

ROWS = "name,price\n有机绿茶,39\n乌龙茶,\n红茶,99\n"
THREE = "name,price\n龙井,39\n乌龙茶,29\n红茶,99\n"


class ExactChecker:
    """A text check that answers at once: every block read exactly."""

    def __init__(self) -> None:
        self.calls = 0

    async def check_async(self, image: bytes, required: Sequence[RequiredText]) -> TextCheck:
        self.calls += 1
        blocks = tuple(BlockCheck(r.text, r.role, r.text, True, 0.0) for r in required)
        return TextCheck(blocks, "\n".join(r.text for r in required))

    def close(self, timeout: float = 10.0) -> None:
        pass


@pytest.fixture
def studio(qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[Studio]:
    made = make_studio(tmp_path / "home")
    made.window.show()
    made.builder.description = "A product card for {name}"
    made.builder.blocks.add("headline", "{name}")
    made.builder.blocks.add("price", "¥{price}")
    made.builder.quality = "low"
    made.builder.n = 2
    checker = ExactChecker()
    made.text_checks._make_checker = lambda: checker
    yield made
    made.window._confirmed_close = True
    run(qloop, shut(made))


def previews(studio: Studio) -> list[RowPreview]:
    table = studio.rows.table
    return [table.index(row, 0).data(ROW_ROLE) for row in range(table.rowCount())]


def test_a_table_is_previewed_with_each_rows_estimate_and_the_bad_row_marked(
    studio: Studio, tmp_path: Path
) -> None:
    table = tmp_path / "rows.csv"
    table.write_text(ROWS, "utf-8")
    studio.rows.load(table)
    rows = previews(studio)
    assert [row.texts for row in rows] == ["有机绿茶 · ¥39", "乌龙茶 · —", "红茶 · ¥99"]
    assert [row.state for row in rows] == ["ready", "bad", "ready"]
    assert rows[1].problem is not None and "column 'price' is empty" in rows[1].problem
    assert all(row.usd is not None and row.usd > 0 for row in (rows[0], rows[2]))
    panel = studio.rows_panel
    assert panel.run_button.text() == "Run 2 row(s)"
    direct_total = studio.rows.total_usd
    assert direct_total == pytest.approx((rows[0].usd or 0) + (rows[2].usd or 0))
    assert "left out" in panel.summary.text()
    # Run directly, the rows stream their previews as a generation does, and their price counts
    # them; a batch's answers come whole, at half the price of the same images.
    spec = studio.builder.spec()
    whole = [
        plan_generation(fill_spec(spec, values)).cost.usd or 0.0
        for values in ({"name": "有机绿茶", "price": "39"}, {"name": "红茶", "price": "99"})
    ]
    assert (direct_total or 0) > sum(whole)
    panel.via.setCurrentIndex(1)  # as a Batch
    assert studio.rows.total_usd == pytest.approx(sum(whole) / 2)
    assert "half price" in panel.summary.text()


def test_a_table_missing_a_column_is_refused_naming_it(studio: Studio, tmp_path: Path) -> None:
    table = tmp_path / "rows.csv"
    table.write_text("name\n绿茶\n", "utf-8")
    studio.rows.load(table)
    assert studio.rows.table.rowCount() == 0
    assert "{price}" in studio.rows.problem
    assert studio.rows_panel.problem.isVisibleTo(studio.window)


@pytest.mark.parametrize("via", ["direct", "batch"])
def test_rows_run_on_the_embedded_engine_into_the_library(
    qloop: asyncio.AbstractEventLoop, studio: Studio, tmp_path: Path, via: str
) -> None:
    table = tmp_path / "rows.csv"
    table.write_text(ROWS, "utf-8")

    async def scenario() -> None:
        await studio.start(load_settings=False)
        studio.rows.load(table)
        studio.rows.set_via(via)
        assert studio.rows.run()
        await until(lambda: not studio.rows.running, studio.rows.running_changed, timeout=120)

    run(qloop, scenario())
    assert [row.state for row in previews(studio)] == ["done", "bad", "done"]
    assert (studio.rows.progress.done, studio.rows.progress.failed) == (2, 0)
    if via == "batch":
        assert studio.rows.batch_id.startswith("batch_")
    runs = studio.library.row_runs()
    jobs = {row.row: row.job_id for job in studio.library.jobs() if (row := runs.row_of(job.id))}
    assert sorted(jobs) == [0, 2]
    for row, job_id in jobs.items():
        images = studio.library.images(job_id)
        assert [image.index_in_job for image in images] == [0, 1]
        assert all(image.path.is_file() for image in images)
        job = studio.library.job(job_id)
        assert job is not None and job.spec is not None
        assert job.spec["texts"][0]["text"] == ("有机绿茶" if row == 0 else "红茶")


def tiles_of(studio: Studio) -> list[Tile]:
    return list(studio.gallery.tiles())


def all_done(studio: Studio, count: int) -> bool:
    tiles = tiles_of(studio)
    return len(tiles) == count and all(tile.state == "done" for tile in tiles)


def all_checked(studio: Studio) -> bool:
    found = [studio.text_checks.of_tile(tile) for tile in tiles_of(studio)]
    return all(f is not None and f.state == "done" and f.exact for f in found)


async def run_ended(studio: Studio, images: int) -> None:
    """Until the rows run has ended: every image done, each one's text checked."""
    await until(lambda: all_done(studio, images), studio.gallery.dataChanged, timeout=120)
    await until(lambda: all_checked(studio), studio.text_checks.changed, timeout=60)
    await until(lambda: not studio.rows.running, studio.rows.running_changed, timeout=60)


def test_a_direct_rows_run_fills_the_gallery_a_tile_per_image_named_by_its_row(
    qloop: asyncio.AbstractEventLoop, studio: Studio, tmp_path: Path
) -> None:
    table = tmp_path / "rows.csv"
    table.write_text(THREE, "utf-8")
    history: dict[tuple[int, int], list[str]] = {}

    def record(*_: object) -> None:
        for tile in tiles_of(studio):
            seen = history.setdefault(tile.key, [])
            if not seen or seen[-1] != tile.state:
                seen.append(tile.state)

    studio.gallery.dataChanged.connect(record)

    async def scenario() -> None:
        await studio.start(load_settings=False)
        studio.rows.load(table)
        assert studio.rows.run()
        # A tile per requested image at once, the first row on top, each named by its row.
        assert [(t.state, t.row) for t in tiles_of(studio)] == [
            ("waiting", row) for row in (0, 0, 1, 1, 2, 2)
        ]
        assert studio.window.tabs.currentWidget() is studio.window.gallery_page
        await run_ended(studio, 6)

    run(qloop, scenario())
    tiles = tiles_of(studio)
    assert [caption(tile)[0] for tile in tiles[::2]] == [
        "row 1 · 龙井",
        "row 2 · 乌龙茶",
        "row 3 · 红茶",
    ]
    assert "row 3 · 红茶" in tooltip_lines(tiles[4]) and "1024x1024" in caption(tiles[4])[1]
    # Previews streamed into every tile before its image (the setting asks for 2).
    assert studio.settings.partial_images == 2
    for key, seen in history.items():
        assert "streaming" in seen and seen.index("streaming") < seen.index("done"), key
    # Each tile is its row's image in the library, and its text was checked.
    runs = studio.library.row_runs()
    for tile in tiles:
        image = studio.library.image(tile.image_id)
        assert image is not None and tile.path == image.path
        found = runs.row_of(image.job_id)
        assert found is not None and found.row == tile.row
    assert studio.text_checks._checker.calls == 6  # type: ignore[union-attr]


def test_a_batch_rows_run_fills_the_gallery_once_the_results_are_collected(
    qloop: asyncio.AbstractEventLoop, studio: Studio, tmp_path: Path
) -> None:
    table = tmp_path / "rows.csv"
    table.write_text(THREE, "utf-8")

    async def scenario() -> None:
        await studio.start(load_settings=False)
        studio.rows.load(table)
        studio.rows.set_via("batch")
        assert studio.rows.run()
        assert tiles_of(studio) == []  # nothing to show before the batch's results come back
        await run_ended(studio, 6)

    run(qloop, scenario())
    tiles = tiles_of(studio)
    # Each row's tiles below the row collected before it, as a direct run shows them.
    assert [caption(tile)[0] for tile in tiles[::2]] == [
        "row 1 · 龙井",
        "row 2 · 乌龙茶",
        "row 3 · 红茶",
    ]
    assert [(t.row, t.number) for t in tiles] == [(0, 1), (0, 2), (1, 1), (1, 2), (2, 1), (2, 2)]
    assert all(tile.partials == 0 for tile in tiles)  # a batch's answers come whole
    runs = studio.library.row_runs()
    for tile in tiles:
        image = studio.library.image(tile.image_id)
        assert image is not None
        found = runs.row_of(image.job_id)
        assert found is not None and found.row == tile.row


class RefusesOolong(ScriptedService):
    """Makes every image at once, except for the 乌龙茶 row: the safety system blocks it."""

    def __init__(self) -> None:
        super().__init__(free=True)

    async def _events(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        from app.engine.errors import ModerationBlockedError
        from app.engine.service import ImageFailed

        if "乌龙茶" in request.prompt:
            self.requests.append(request)
            yield ImageFailed(ModerationBlockedError("blocked", stage="input", categories=()))
            return
        async for event in super()._events(request):
            yield event


def test_a_failed_rows_tiles_say_why(
    qloop: asyncio.AbstractEventLoop, studio: Studio, tmp_path: Path
) -> None:
    table = tmp_path / "rows.csv"
    table.write_text(THREE, "utf-8")

    async def scenario() -> None:
        await attach(studio, RefusesOolong())
        runner = studio.generator.runner
        assert runner is not None
        studio.rows.set_engine(runner, None, studio.library, "remote:api.openai.com", True)  # type: ignore[arg-type]
        studio.rows.load(table)
        assert studio.rows.run()
        await until(
            lambda: all(t.state in ("done", "failed") for t in tiles_of(studio)),
            studio.gallery.dataChanged,
        )
        await until(lambda: not studio.rows.running, studio.rows.running_changed)

    run(qloop, scenario())
    states = [(t.row, t.state) for t in tiles_of(studio)]
    assert states == [
        (0, "done"),
        (0, "done"),
        (1, "failed"),
        (1, "failed"),
        (2, "done"),
        (2, "done"),
    ]
    failed = tiles_of(studio)[2]
    assert failed.reason is not None and failed.reason[0] == "service.moderation"
    first, second = caption(failed)
    assert first == "row 2 · 乌龙茶" and "safety system blocked" in second and "blocked" in second
    assert previews(studio)[1].state == "failed"
