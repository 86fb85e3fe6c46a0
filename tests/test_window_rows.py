"""The rows panel: a CSV over the builder's spec, previewed with estimates, run directly and as a
batch on the embedded engine, every image in the library with its row."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.main import Studio
from app.model.batch_model import ROW_ROLE, RowPreview
from tests.gui_support import make_studio, run, shut, until

pytestmark = pytest.mark.gui

ROWS = "name,price\n有机绿茶,39\n乌龙茶,\n红茶,99\n"


@pytest.fixture
def studio(qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[Studio]:
    made = make_studio(tmp_path / "home")
    made.window.show()
    made.builder.description = "A product card for {name}"
    made.builder.blocks.add("headline", "{name}")
    made.builder.blocks.add("price", "¥{price}")
    made.builder.quality = "low"
    made.builder.n = 2
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
    panel.via.setCurrentIndex(1)  # as a Batch
    assert studio.rows.total_usd == pytest.approx((direct_total or 0) / 2)
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
