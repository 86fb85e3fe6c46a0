"""The library's schema history: a library made at any earlier version opens with today's code.

Each earlier version (1.0, and 1.N after every step) is built with the steps of its time and a job
and an image in it; the current code must upgrade it with the rows intact and end with exactly the
schema of a freshly created library. Two steps of the kinds later changes will need (a column added,
a table rebuilt under a foreign key) are appended to the real ones, so the upgrade path is exercised
even while the library has no step of its own yet.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.core.request import ImageRequest
from app.store.db import Database, MigrationStep, Schema
from app.store.library import Library, StoreError
from app.store.migrations import LIBRARY_FIRST_VERSION, LIBRARY_SCHEMA, LIBRARY_STEPS
from app.store.paths import StudioPaths


def _add_note_column(connection: sqlite3.Connection) -> None:
    connection.execute("ALTER TABLE images ADD COLUMN note TEXT NOT NULL DEFAULT ''")


def _rebuild_jobs_with_a_title(connection: sqlite3.Connection) -> None:
    # A rebuild under a foreign key: dropping the old table must not cascade into the images.
    columns = [str(row[1]) for row in connection.execute("PRAGMA table_info(jobs)")]
    create = connection.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'jobs'"
    ).fetchone()[0]
    new_create = str(create).replace("CREATE TABLE jobs (", "CREATE TABLE jobs_new (", 1)
    title = ",\n            title TEXT NOT NULL DEFAULT ''\n        )"
    new_create = new_create.rstrip()[:-1] + title
    connection.execute(new_create)
    listed = ", ".join(columns)
    connection.execute(f"INSERT INTO jobs_new ({listed}) SELECT {listed} FROM jobs")
    connection.execute("DROP TABLE jobs")
    connection.execute("ALTER TABLE jobs_new RENAME TO jobs")
    connection.execute("CREATE INDEX jobs_by_status ON jobs (status)")
    connection.execute("CREATE INDEX jobs_by_created ON jobs (created_at)")


_NEXT = len(LIBRARY_STEPS) + 1
TEST_STEPS = (
    MigrationStep(_NEXT, "images have a note", _add_note_column),
    MigrationStep(_NEXT + 1, "jobs have a title", _rebuild_jobs_with_a_title),
)
ALL_STEPS = (*LIBRARY_STEPS, *TEST_STEPS)


def _schema(steps: tuple[MigrationStep, ...]) -> Schema:
    return Schema(LIBRARY_SCHEMA.name, LIBRARY_FIRST_VERSION, steps)


def _fill_at_first_version(path: Path) -> None:
    """A library file at format 1.0 with a job and two images, written with 1.0's columns."""
    database = Database.open(path, _schema(()))
    request = ImageRequest(kind="generate", prompt="春节海报").to_json()
    with database.transaction() as connection:
        connection.execute(
            "INSERT INTO jobs (id, kind, request_json, engine, status, owner, created_at, "
            "actual_usd) VALUES ('job1', 'generate', ?, 'local', 'done', 'someone', "
            "'2026-01-01T00:00:00+00:00', 0.25)",
            (json.dumps(request),),
        )
        for index in (0, 1):
            connection.execute(
                "INSERT INTO images (job_id, index_in_job, path, width, height, sha256, "
                "output_format, created_at, parent_image_id) VALUES ('job1', ?, ?, 64, 32, 'abc', "
                "'png', '2026-01-01T00:00:00+00:00', ?)",
                (index, f"2026/01/job1-{index}.png", None if index == 0 else 1),
            )
    database.close()


def _schema_rows(path: Path) -> list[tuple[str, str, str, str | None]]:
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
    finally:
        connection.close()
    return [tuple(row) for row in rows]


def _build_at(path: Path, steps_applied: int) -> None:
    _fill_at_first_version(path)
    Database.open(path, _schema(ALL_STEPS[:steps_applied])).close()


@pytest.mark.parametrize("steps_applied", range(len(ALL_STEPS) + 1))
def test_every_earlier_version_upgrades_to_the_schema_of_a_new_library(
    tmp_path: Path, steps_applied: int
) -> None:
    fresh = tmp_path / "fresh.sqlite"
    Database.open(fresh, _schema(ALL_STEPS)).close()
    old = tmp_path / "old.sqlite"
    _build_at(old, steps_applied)

    database = Database.open(old, _schema(ALL_STEPS))
    try:
        assert database.version == 100 + len(ALL_STEPS)
        jobs = database.query("SELECT id, status, actual_usd, title FROM jobs")
        assert [tuple(row) for row in jobs] == [("job1", "done", 0.25, "")]
        images = database.query(
            "SELECT index_in_job, job_id, parent_image_id, note FROM images ORDER BY index_in_job"
        )
        assert [tuple(row) for row in images] == [(0, "job1", None, ""), (1, "job1", 1, "")]
        assert database.integrity_check() == ["ok"]
        assert database.query("PRAGMA foreign_key_check") == []
        assert database.query_one("PRAGMA foreign_keys")[0] == 1  # type: ignore[index]
    finally:
        database.close()
    assert _schema_rows(old) == _schema_rows(fresh)
    if steps_applied < len(ALL_STEPS):
        assert (tmp_path / f"old.sqlite.v1.{steps_applied}.bak").exists()


@pytest.mark.parametrize("steps_applied", range(len(LIBRARY_STEPS) + 1))
def test_the_library_opens_every_earlier_version_of_its_own(
    tmp_path: Path, steps_applied: int
) -> None:
    paths = StudioPaths.under(tmp_path / "home")
    paths.library_db.parent.mkdir(parents=True, exist_ok=True)
    _fill_at_first_version(paths.library_db)
    Database.open(paths.library_db, _schema(LIBRARY_STEPS[:steps_applied])).close()

    with Library.open(paths, clock=lambda: datetime(2026, 1, 2, tzinfo=UTC)) as library:
        job = library.job("job1")
        assert job is not None and job.status == "done" and job.actual_usd == 0.25
        assert job.request.prompt == "春节海报"
        assert [image.index_in_job for image in library.images("job1")] == [0, 1]
        assert library.integrity_check() == ["ok"]
    fresh = tmp_path / "fresh.sqlite"
    Database.open(fresh, LIBRARY_SCHEMA).close()
    assert _schema_rows(paths.library_db) == _schema_rows(fresh)


def test_a_library_from_a_newer_zi_studio_is_refused(tmp_path: Path) -> None:
    paths = StudioPaths.under(tmp_path / "home")
    paths.library_db.parent.mkdir(parents=True, exist_ok=True)
    Database.open(paths.library_db, _schema(ALL_STEPS)).close()

    with pytest.raises(StoreError, match="newer Zi Studio"):
        Library.open(paths)


@pytest.mark.parametrize("steps_applied", range(len(LIBRARY_STEPS)))
def test_edit_turns_are_kept_and_a_text_set_again_becomes_a_turn_kind(
    tmp_path: Path, steps_applied: int
) -> None:
    """Step 5 rebuilds ``edit_turns`` to allow ``retypeset``: the turns of a library at 1.3 or
    1.4 come through with their foreign keys; at every earlier format the new kind is taken."""
    paths = StudioPaths.under(tmp_path / "home")
    paths.library_db.parent.mkdir(parents=True, exist_ok=True)
    _fill_at_first_version(paths.library_db)
    Database.open(paths.library_db, _schema(LIBRARY_STEPS[:steps_applied])).close()
    had_turns = steps_applied >= 3
    if had_turns:
        connection = sqlite3.connect(paths.library_db)
        with connection:
            connection.execute(
                "INSERT INTO edit_turns (job_id, kind, instruction, source_image_id, created_at) "
                "VALUES ('job1', 'instruction', '加一只猫', 1, '2026-01-01T00:00:01+00:00')"
            )
            with pytest.raises(sqlite3.IntegrityError):  # not a kind before step 5
                connection.execute("UPDATE edit_turns SET kind = 'retypeset'")
        connection.close()

    with Library.open(paths, clock=lambda: datetime(2026, 1, 2, tzinfo=UTC)) as library:
        tree = library.versions.tree_of(1)
        assert tree is not None
        if had_turns:
            assert [(t.kind, t.instruction, t.source_image_id) for t in tree.turns] == [
                ("instruction", "加一只猫", 1)
            ]
        library.versions.record_turn(
            "job1", kind="retypeset", instruction="Headline: 春日限定 → 夏日冰饮", source_image_id=1
        )
        tree = library.versions.tree_of(1)
        assert tree is not None
        assert [(t.kind, t.instruction) for t in tree.turns] == [
            ("retypeset", "Headline: 春日限定 → 夏日冰饮")
        ]
        assert library.integrity_check() == ["ok"]
    connection = sqlite3.connect(paths.library_db)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        indexes = connection.execute("PRAGMA index_list(edit_turns)").fetchall()
        assert "edit_turns_by_source" in [row[1] for row in indexes]
        with connection:
            connection.execute("DELETE FROM images WHERE id = 1")  # the edited version goes
        assert connection.execute("SELECT source_image_id FROM edit_turns").fetchall() == [(None,)]
        with connection:
            connection.execute("DELETE FROM jobs WHERE id = 'job1'")  # the job takes its turn
        assert connection.execute("SELECT COUNT(*) FROM edit_turns").fetchone() == (0,)
    finally:
        connection.close()
