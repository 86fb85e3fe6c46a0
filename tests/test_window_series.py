"""The series strip: shots made in order on the embedded engine, one made again alone from the
same reference, the series exported as numbered files."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.series import KEEP_THE_LOOK
from app.main import Studio
from tests.gui_support import make_studio, run, shut, until

pytestmark = pytest.mark.gui

SERIES = {
    "version": 1,
    "description": "A carousel about green tea, soft daylight",
    "texts": [{"role": "headline", "text": "有机绿茶"}],
    "size": "1024x1536",
    "quality": "low",
    "shots": [
        {"texts": [{"role": "headline", "text": "第一步 选茶"}]},
        {"texts": [{"role": "headline", "text": "第二步 冲泡"}]},
        {"texts": [{"role": "headline", "text": "第三步 品茶"}]},
        {"description": "A teacup, close up"},
    ],
}


@pytest.fixture
def studio(qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[Studio]:
    made = make_studio(tmp_path / "home")
    made.window.show()
    yield made
    made.window._confirmed_close = True
    run(qloop, shut(made))


def test_a_spec_without_shots_is_refused(studio: Studio, tmp_path: Path) -> None:
    spec = tmp_path / "plain.json"
    spec.write_text(json.dumps({"description": "tea"}), "utf-8")
    studio.series.load(spec)
    assert "no shots" in studio.series.problem and studio.series.shots.rowCount() == 0


def test_a_series_is_made_in_order_one_shot_again_and_exported_numbered(
    qloop: asyncio.AbstractEventLoop, studio: Studio, tmp_path: Path
) -> None:
    spec = tmp_path / "tea-carousel.json"
    spec.write_text(json.dumps(SERIES, ensure_ascii=False), "utf-8")
    series = studio.series

    async def scenario() -> None:
        await studio.start(load_settings=False)
        series.load(spec)
        assert [shot.label for shot in series.shots.shots()] == [
            "第一步 选茶", "第二步 冲泡", "第三步 品茶", "有机绿茶",
        ]  # fmt: skip
        assert series.make()
        await until(lambda: not series.running, series.running_changed, timeout=120)
        first = [shot.path for shot in series.shots.shots()]
        assert all(path is not None for path in first)
        assert series.again(2)
        await until(lambda: not series.running, series.running_changed, timeout=120)
        again = series.shots.shots()[2].path
        assert again is not None and again != first[2]
        job = studio.library.find_image_by_path(again)
        assert job is not None
        record = studio.library.job(job.job_id)
        assert record is not None and record.kind == "edit"
        assert record.request.images[0] == str(first[0])  # the same reference: the first shot
        assert KEEP_THE_LOOK in record.request.prompt
        await until(
            lambda: all(shot.thumbnail is not None for shot in series.shots.shots()),
            series.shots.dataChanged,
        )

    run(qloop, scenario())
    assert [shot.state for shot in series.shots.shots()] == ["done"] * 4
    written = series.export(tmp_path / "out")
    assert [path.name for path in written] == [f"0{i}-tea-carousel.png" for i in range(1, 5)]
    assert written[2].read_bytes() == Path(str(series.shots.shots()[2].path)).read_bytes()
