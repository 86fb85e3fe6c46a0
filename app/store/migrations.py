"""The library's schema: its first version (format 1.0) and every numbered step since.

To change the schema, append a step at the end of ``LIBRARY_STEPS`` with the next number; never edit
the first version or an earlier step (files out there were made by them). A new library runs the
first version and then every step; an existing one runs the steps it has not had yet, after a
backup copy (``library.sqlite.v1.N.bak``). ``tests/test_store_migrations.py`` opens a library made
at every earlier version with the current code.

A step is a function of an open connection inside the upgrade's transaction. Foreign keys are off
while it runs: to rebuild a table, create the new one, copy the rows, drop the old one and rename
the new one (SQLite's ALTER TABLE procedure); the references are checked before the commit.
"""

from __future__ import annotations

import sqlite3
from typing import Final

from app.store.db import MigrationStep, Schema
from app.store.search import searchable_text_of_row
from app.store.versions import add_edit_turns, allow_retypeset_turns

LIBRARY_FIRST_VERSION: Final[tuple[str, ...]] = (
    """CREATE TABLE jobs (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('generate', 'edit')),
            request_json TEXT NOT NULL,
            spec_json TEXT,
            engine TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN
                ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
            owner TEXT NOT NULL,
            created_at TEXT NOT NULL,
            started_at TEXT,
            finished_at TEXT,
            usage_json TEXT,
            estimated_usd REAL,
            actual_usd REAL,
            error_message TEXT
        )""",
    "CREATE INDEX jobs_by_status ON jobs (status)",
    "CREATE INDEX jobs_by_created ON jobs (created_at)",
    """CREATE TABLE images (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            index_in_job INTEGER NOT NULL CHECK (index_in_job >= 0),
            path TEXT NOT NULL UNIQUE,
            width INTEGER NOT NULL CHECK (width > 0),
            height INTEGER NOT NULL CHECK (height > 0),
            sha256 TEXT NOT NULL,
            parent_image_id INTEGER REFERENCES images (id) ON DELETE SET NULL,
            favourite INTEGER NOT NULL DEFAULT 0 CHECK (favourite IN (0, 1)),
            output_format TEXT NOT NULL CHECK (output_format IN ('png', 'webp', 'jpeg')),
            created_at TEXT NOT NULL,
            UNIQUE (job_id, index_in_job)
        )""",
    "CREATE INDEX images_by_job ON images (job_id)",
    "CREATE INDEX images_by_sha256 ON images (sha256)",
    "CREATE INDEX images_by_parent ON images (parent_image_id)",
)


def _add_text_checks(connection: sqlite3.Connection) -> None:
    # The latest text check of each image (app.core.fidelity.TextCheck as JSON); exact and the
    # count of wrong characters are columns so the library can filter and sort by them.
    connection.execute(
        """CREATE TABLE text_checks (
            image_id INTEGER PRIMARY KEY REFERENCES images (id) ON DELETE CASCADE,
            exact INTEGER NOT NULL CHECK (exact IN (0, 1)),
            wrong_count INTEGER NOT NULL CHECK (wrong_count >= 0),
            result_json TEXT NOT NULL,
            checked_at TEXT NOT NULL
        )"""
    )
    connection.execute("CREATE INDEX text_checks_by_exact ON text_checks (exact)")


def _search_text_and_trash(connection: sqlite3.Connection) -> None:
    """Step 2: a searchable text per job, and the trash."""
    connection.execute("ALTER TABLE jobs ADD COLUMN search_text TEXT NOT NULL DEFAULT ''")
    connection.execute("ALTER TABLE jobs ADD COLUMN deleted_at TEXT")
    connection.execute("ALTER TABLE jobs ADD COLUMN purged_at TEXT")
    connection.execute("ALTER TABLE images ADD COLUMN deleted_at TEXT")
    connection.execute("CREATE INDEX images_by_created ON images (created_at)")
    rows = connection.execute("SELECT id, kind, spec_json, request_json FROM jobs").fetchall()
    for job_id, kind, spec_json, request_json in rows:
        text = searchable_text_of_row(kind, spec_json, request_json)
        connection.execute("UPDATE jobs SET search_text = ? WHERE id = ?", (text, job_id))


def _rows_and_batches(connection: sqlite3.Connection) -> None:
    """Step 4: which row of a table each job came from, and the Batch API batches sent."""
    connection.execute(
        """CREATE TABLE row_jobs (
            job_id TEXT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
            run_id TEXT NOT NULL,
            row INTEGER NOT NULL CHECK (row >= 0),
            values_json TEXT NOT NULL
        )"""
    )
    connection.execute("CREATE INDEX row_jobs_by_run ON row_jobs (run_id)")
    connection.execute(
        """CREATE TABLE batches (
            id TEXT PRIMARY KEY,
            run_id TEXT NOT NULL,
            engine TEXT NOT NULL,
            base_url TEXT,
            input_file_id TEXT NOT NULL,
            requests INTEGER NOT NULL CHECK (requests > 0),
            status TEXT NOT NULL CHECK (status IN ('submitted', 'done', 'cancelled', 'failed')),
            created_at TEXT NOT NULL,
            finished_at TEXT,
            error_message TEXT
        )"""
    )
    connection.execute("CREATE INDEX batches_by_run ON batches (run_id)")
    connection.execute(
        """CREATE TABLE batch_requests (
            batch_id TEXT NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
            job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            PRIMARY KEY (batch_id, job_id)
        )"""
    )


LIBRARY_STEPS: Final[tuple[MigrationStep, ...]] = (
    MigrationStep(1, "images have text checks", _add_text_checks),
    MigrationStep(2, "jobs have a search text; images and jobs a trash", _search_text_and_trash),
    MigrationStep(3, "edit turns and each version tree's current version", add_edit_turns),
    MigrationStep(4, "jobs keep their table row; Batch API batches", _rows_and_batches),
    MigrationStep(5, "a turn may be a text set again", allow_retypeset_turns),
)

LIBRARY_SCHEMA: Final = Schema("library", LIBRARY_FIRST_VERSION, LIBRARY_STEPS)
