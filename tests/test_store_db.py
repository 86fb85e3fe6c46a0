"""The versioned SQLite wrapper: WAL, versions, migration steps, transactions, error split."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.store.db import Database, MigrationStep, Schema, format_name
from app.store.files import StoreError

V1 = Schema(
    name="test library",
    create=("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)",),
)


def _add_column(connection: sqlite3.Connection) -> None:
    connection.execute("ALTER TABLE notes ADD COLUMN colour TEXT NOT NULL DEFAULT 'red'")


def _rename_table(connection: sqlite3.Connection) -> None:
    connection.execute("ALTER TABLE notes RENAME TO memos")


V1_2 = Schema(
    name="test library",
    create=V1.create,
    steps=(
        MigrationStep(1, "notes have a colour", _add_column),
        MigrationStep(2, "notes are memos", _rename_table),
    ),
)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database.open(tmp_path / "test.sqlite", V1)
    yield database
    database.close()


def _set_user_version(path: Path, value: int) -> None:
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {value}")
    connection.commit()
    connection.close()


def test_versions_count_the_steps_from_format_1_0() -> None:
    assert (V1.version, V1_2.version) == (100, 102)
    assert (format_name(100), format_name(102), format_name(3)) == ("1.0", "1.2", "0.3")


def test_steps_must_be_numbered_in_order() -> None:
    with pytest.raises(ValueError, match="numbered"):
        Schema("test library", V1.create, (MigrationStep(2, "skips one", _add_column),))


def test_a_new_database_runs_every_step(tmp_path: Path) -> None:
    database = Database.open(tmp_path / "new.sqlite", V1_2)
    try:
        assert database.version == 102
        columns = [row["name"] for row in database.query("PRAGMA table_info(memos)")]
        assert columns == ["id", "body", "colour"]
    finally:
        database.close()


def test_a_new_database_uses_wal_and_records_its_version(db: Database) -> None:
    assert db.version == 100
    assert db.query_one("PRAGMA user_version")[0] == 100  # type: ignore[index]
    assert db.query_one("PRAGMA journal_mode")[0] == "wal"  # type: ignore[index]
    assert db.query_one("PRAGMA synchronous")[0] == 2  # type: ignore[index]  # FULL
    assert db.query_one("PRAGMA foreign_keys")[0] == 1  # type: ignore[index]
    assert db.integrity_check() == ["ok"]


def test_a_transaction_commits_or_rolls_back_as_a_whole(db: Database) -> None:
    with db.transaction() as connection:
        connection.execute("INSERT INTO notes (body) VALUES ('kept')")

    with pytest.raises(RuntimeError), db.transaction() as connection:
        connection.execute("INSERT INTO notes (body) VALUES ('dropped 1')")
        with db.transaction() as inner:  # joins the outer transaction
            inner.execute("INSERT INTO notes (body) VALUES ('dropped 2')")
        raise RuntimeError("boom")

    assert [row["body"] for row in db.query("SELECT body FROM notes")] == ["kept"]


def test_a_reader_sees_committed_rows_only(db: Database, tmp_path: Path) -> None:
    reader = Database.open(tmp_path / "test.sqlite", V1)
    seen_during: list[int] = []
    try:
        with db.transaction() as connection:
            connection.execute("INSERT INTO notes (body) VALUES ('pending')")
            # Another thread reads while the write is open: WAL lets it, and it sees nothing yet.
            thread = threading.Thread(
                target=lambda: seen_during.append(len(reader.query("SELECT * FROM notes")))
            )
            thread.start()
            thread.join(timeout=10)
            assert not thread.is_alive()
        seen_after = len(reader.query("SELECT * FROM notes"))
    finally:
        reader.close()

    assert seen_during == [0]
    assert seen_after == 1


def test_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "test.sqlite"
    Database.open(path, V1_2).close()

    with pytest.raises(StoreError) as raised:
        Database.open(path, V1)

    message = str(raised.value)
    assert "newer Zi Studio" in message and "1.2" in message and "Update Zi Studio" in message


def test_an_older_version_is_migrated_step_by_step_after_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "test.sqlite"
    old = Database.open(path, V1)
    with old.transaction() as connection:
        connection.execute("INSERT INTO notes (body) VALUES ('from version 1')")
    old.close()

    database = Database.open(path, V1_2)
    try:
        rows = database.query("SELECT body, colour FROM memos")
        assert [tuple(row) for row in rows] == [("from version 1", "red")]
        assert database.version == 102
        assert database.integrity_check() == ["ok"]
    finally:
        database.close()
    backup = sqlite3.connect(tmp_path / "test.sqlite.v1.0.bak")
    try:
        assert backup.execute("SELECT body FROM notes").fetchall() == [("from version 1",)]
    finally:
        backup.close()


def test_a_failing_migration_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "test.sqlite"
    Database.open(path, V1).close()

    def broken(connection: sqlite3.Connection) -> None:
        _add_column(connection)
        raise RuntimeError("bug in a migration")

    schema = Schema("test library", V1.create, (MigrationStep(1, "broken", broken),))
    with pytest.raises(RuntimeError):
        Database.open(path, schema)

    database = Database.open(path, V1)
    try:
        assert database.version == 100
        columns = [row["name"] for row in database.query("PRAGMA table_info(notes)")]
        assert columns == ["id", "body"]
    finally:
        database.close()


def test_a_version_without_a_migration_path_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "test.sqlite"
    Database.open(path, V1).close()
    _set_user_version(path, 3)

    with pytest.raises(StoreError, match="too old"):
        Database.open(path, V1_2)


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE something (x)")
    connection.commit()
    connection.close()

    with pytest.raises(StoreError, match="not a Zi Studio test library"):
        Database.open(path, V1)


def test_a_damaged_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "test.sqlite"
    path.write_bytes(b"this is not a database" * 100)

    with pytest.raises(StoreError, match="damaged"):
        Database.open(path, V1)


def test_a_full_disk_is_a_known_error_and_bugs_are_not(db: Database) -> None:
    with db.transaction() as connection:
        connection.execute("PRAGMA max_page_count = 8")  # a tiny "disk"

    with pytest.raises(StoreError, match="disk is full"), db.transaction() as connection:
        connection.execute("INSERT INTO notes (body) VALUES (?)", ("x" * 200_000,))
    with pytest.raises(sqlite3.OperationalError):
        db.query("SELECT no_such_column FROM notes")
    with pytest.raises(sqlite3.IntegrityError), db.transaction() as connection:
        connection.execute("INSERT INTO notes (body) VALUES (NULL)")
    assert db.query("SELECT * FROM notes") == []
