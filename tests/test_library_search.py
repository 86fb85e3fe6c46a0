"""The library found again: search by any part of the texts, filters, the trash, spending."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.core.compiler import compile_edit_prompt
from app.core.request import ImageRequest
from app.core.spec import TextBlock
from app.store.db import Database, Schema
from app.store.library import Library, LibraryQuery, TrashError
from app.store.migrations import LIBRARY_FIRST_VERSION, LIBRARY_SCHEMA
from app.store.paths import StudioPaths
from app.store.records import engine_label


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def library(tmp_path: Path, clock: Clock) -> Iterator[Library]:
    opened = Library.open(StudioPaths.under(tmp_path / "home"), clock=clock)
    yield opened
    opened.close()


def _spec(headline: str, description: str = "a poster") -> dict[str, Any]:
    return {"version": 1, "description": description,
            "texts": [{"role": "headline", "text": headline}]}  # fmt: skip


def _job(
    library: Library,
    spec: dict[str, Any] | None,
    *,
    images: int = 1,
    engine: str = "local",
    model: str = "gpt-image-2",
    prompt: str = "p",
    kind: Any = "generate",
    estimated: float | None = None,
    finish: bool = True,
) -> tuple[str, list[int]]:
    request = ImageRequest(kind=kind, prompt=prompt, model=model, n=max(images, 1))
    job_id = library.create_job(
        kind=kind, request=request, engine=engine, spec=spec, estimated_usd=estimated
    )
    ids = []
    for index in range(images):
        record = library.add_image(
            job_id, index, f"{job_id}-{index}".encode(), width=64, height=64, output_format="png"
        )
        ids.append(record.id)
    if finish:
        library.mark_running(job_id)
        library.finish_job(job_id, None, None)
    return job_id, ids


def _found(library: Library, text: str, **filters: Any) -> list[int]:
    return [image.id for image in library.search(LibraryQuery(text=text, **filters))]


def test_search_by_any_part_of_a_chinese_text(library: Library) -> None:
    _, green = _job(library, _spec("有机绿茶"))
    _, milk = _job(library, _spec("珍珠奶茶"))
    _, coffee = _job(library, _spec("手冲咖啡"))
    assert _found(library, "茶") == [*milk, *green]  # both teas, newest first
    assert _found(library, "绿茶") == green
    assert _found(library, "奶") == milk
    assert _found(library, "红茶") == []
    assert _found(library, "") == [*coffee, *milk, *green]


def test_search_ids_and_the_records_of_a_page(library: Library) -> None:
    _, green = _job(library, _spec("有机绿茶"), images=3)
    _, milk = _job(library, _spec("珍珠奶茶"), images=2)
    ids = library.search_ids(LibraryQuery(text="茶"))
    assert ids == _found(library, "茶") == [*reversed(milk), *reversed(green)]
    page = [ids[3], ids[0], 99_999]
    assert [image.id for image in library.images_by_ids(page)] == [ids[3], ids[0]]


def test_search_covers_the_description_and_the_edit_instruction(library: Library) -> None:
    _, described = _job(library, _spec("春", description="Jasmine Tea on a Tray"))
    prompt = compile_edit_prompt("把背景换成竹林", [TextBlock("headline", "春")]).text
    _, edited = _job(library, _spec("春"), kind="edit", prompt=prompt)
    bare = compile_edit_prompt("make it warmer", []).text
    _, warmer = _job(library, None, kind="edit", prompt=bare)
    assert _found(library, "jasmine tea") == described  # case does not matter
    assert _found(library, "竹林") == edited
    assert _found(library, "warmer") == warmer
    assert _found(library, "letters") == []  # the compiler's own sentences are not searched
    assert _found(library, "春") == [*edited, *described]


def test_filters_favourites_engine_model_and_dates(library: Library, clock: Clock) -> None:
    _, local = _job(library, _spec("绿茶"))
    _, remote = _job(library, _spec("绿茶"), engine=engine_label("remote"), model="gpt-image-1.5")
    middle = clock.now + timedelta(seconds=30)
    _, later = _job(library, _spec("绿茶"), images=2)
    library.set_favourite(later[1])
    assert _found(library, "茶", favourites_only=True) == [later[1]]
    assert _found(library, "", engine="remote") == remote
    assert _found(library, "", engine="local") == [*reversed(later), *local]
    assert _found(library, "", model="gpt-image-1.5") == remote
    assert _found(library, "", since=middle) == list(reversed(later))
    assert _found(library, "", until=middle) == [*remote, *local]
    assert _found(library, "", limit=2) == list(reversed(later))
    assert library.known_models() == ["gpt-image-1.5", "gpt-image-2"]


def test_a_deleted_image_is_hidden_and_undo_brings_it_back(library: Library) -> None:
    job_id, (first, second) = _job(library, _spec("绿茶"), images=2)
    library.trash_image(first)
    assert _found(library, "茶") == [second]
    assert [image.id for image in library.images(job_id)] == [second]
    image = library.image(first)
    assert image is not None and image.in_trash
    assert [image.id for image in library.trash().images] == [first]
    assert [image.id for image in library.images(job_id, include_trash=True)] == [first, second]
    library.restore_image(first)
    assert _found(library, "茶") == [second, first]
    assert library.trash().images == ()


def test_a_deleted_job_hides_its_images_until_restored(library: Library) -> None:
    kept, _ = _job(library, _spec("奶茶"))
    gone, gone_images = _job(library, _spec("绿茶"), images=2)
    library.trash_job(gone)
    assert [job.id for job in library.jobs()] == [kept]
    assert _found(library, "绿茶") == []
    assert library.images(gone) == []
    assert [job.id for job in library.trash().jobs] == [gone]
    library.restore_job(gone)
    assert _found(library, "绿茶") == list(reversed(gone_images))


def test_emptying_the_trash_removes_the_files(library: Library) -> None:
    kept, (kept_image, trashed_image) = _job(library, _spec("奶茶"), images=2)
    gone, gone_images = _job(library, _spec("绿茶"), images=2)
    paths = {i: library.image(i).path for i in (kept_image, trashed_image, *gone_images)}  # type: ignore[union-attr]
    library.trash_image(trashed_image)
    library.trash_job(gone)
    assert library.empty_trash() == 3
    assert paths[kept_image].exists()
    assert not any(paths[i].exists() for i in (trashed_image, *gone_images))
    assert library.image(trashed_image) is None
    assert library.trash().jobs == () and library.trash().images == ()
    with pytest.raises(KeyError):
        library.restore_job(gone)
    assert [job.id for job in library.jobs()] == [kept]
    assert library.integrity_check() == ["ok"]


def test_a_running_job_cannot_be_deleted(library: Library) -> None:
    job_id, _ = _job(library, _spec("绿茶"), finish=False)
    library.mark_running(job_id)
    with pytest.raises(TrashError, match="cancel it first"):
        library.trash_job(job_id)


def test_spend_counts_actual_else_estimate_per_day_and_month(
    library: Library, clock: Clock
) -> None:
    remote = engine_label("remote")
    done, _ = _job(library, _spec("a"), engine=remote, estimated=0.20, finish=False)
    library.mark_running(done)
    library.finish_job(done, {"output_tokens": 1}, 0.25)  # actual wins
    _job(library, _spec("b"), engine=remote, estimated=0.10, finish=False)  # queued: estimate
    failed, _ = _job(library, _spec("c"), engine=remote, images=0, estimated=5.0, finish=False)
    library.fail_job(failed, "refused")  # nothing made, nothing reported: 0
    _job(library, _spec("d"), engine="local", estimated=3.0)  # the local engine is free
    clock.now += timedelta(days=1)
    trashed, _ = _job(library, _spec("e"), engine=remote, estimated=0.05)
    library.trash_job(trashed)
    library.empty_trash()  # still spent
    days = library.spend_by("day")
    assert [day.usd for day in days] == pytest.approx([0.05, 0.35])
    assert [(day.jobs, day.estimated_jobs) for day in days] == [(1, 1), (3, 2)]
    local_day = clock.now.astimezone().strftime("%Y-%m-%d")
    assert days[0].period == local_day
    (month,) = library.spend_by("month")
    assert month.usd == pytest.approx(0.40)
    assert library.spent_this_month() == pytest.approx(0.40)


def test_an_older_library_gets_its_search_text_when_upgraded(tmp_path: Path) -> None:
    paths = StudioPaths.under(tmp_path / "home")
    paths.library_db.parent.mkdir(parents=True)
    Database.open(paths.library_db, Schema("library", LIBRARY_FIRST_VERSION)).close()
    spec = json.dumps(_spec("龙井新茶", description="Spring Harvest"), ensure_ascii=False)
    request = json.dumps(ImageRequest(kind="generate", prompt="p").to_json())
    connection = sqlite3.connect(paths.library_db)
    with connection:
        connection.execute(
            "INSERT INTO jobs (id, kind, request_json, spec_json, engine, status, owner, "
            "created_at) VALUES ('old', 'generate', ?, ?, 'local', 'done', 'x', ?)",
            (request, spec, "2026-10-01T00:00:00+00:00"),
        )
        connection.execute(
            "INSERT INTO images (job_id, index_in_job, path, width, height, sha256, "
            "output_format, created_at) VALUES ('old', 0, 'a.png', 8, 8, 'x', 'png', ?)",
            ("2026-10-01T00:00:00+00:00",),
        )
    connection.close()
    with Library.open(paths) as library:
        assert [image.job_id for image in library.search(LibraryQuery(text="龙井"))] == ["old"]
        assert [image.job_id for image in library.search(LibraryQuery(text="harvest"))] == ["old"]
    assert LIBRARY_SCHEMA.version == 100 + len(LIBRARY_SCHEMA.steps)
