"""The library's trash: deleting an image or a job hides it (undo brings it back); emptying the
trash removes the files for good.

A job emptied from the trash keeps its row (marked purged, without images), so what it cost still
counts in the month's spending and a budget cannot be reset by deleting jobs.
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from app.store.db import Database
from app.store.exact_parts import side_files
from app.store.records import ACTIVE, ImageRecord, JobRecord, image_from_row, job_from_row

log = logging.getLogger(__name__)


class TrashError(ValueError):
    """A trash action that cannot be done now; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Trash:
    """What the trash holds: whole jobs, and single images of jobs that are not in it."""

    jobs: tuple[JobRecord, ...]
    images: tuple[ImageRecord, ...]


def trash_image(db: Database, image_id: int, now: str) -> None:
    with db.transaction() as connection:
        cursor = connection.execute(
            "UPDATE images SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", (now, image_id)
        )
        if (
            cursor.rowcount == 0
            and db.query_one("SELECT 1 FROM images WHERE id = ?", (image_id,)) is None
        ):
            raise KeyError(f"no image {image_id}")


def restore_image(db: Database, image_id: int) -> None:
    with db.transaction() as connection:
        cursor = connection.execute("UPDATE images SET deleted_at = NULL WHERE id = ?", (image_id,))
        if cursor.rowcount == 0:
            raise KeyError(f"no image {image_id}")


def trash_job(db: Database, job_id: str, now: str) -> None:
    """Put a whole job in the trash; a job still running must be cancelled first."""
    with db.transaction() as connection:
        row = connection.execute(
            "SELECT status, purged_at FROM jobs WHERE id = ?", (job_id,)
        ).fetchone()
        if row is None or row["purged_at"] is not None:
            raise KeyError(f"no job {job_id}")
        if row["status"] in ACTIVE:
            raise TrashError("This job is still running: cancel it first, then delete it.")
        connection.execute(
            "UPDATE jobs SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", (now, job_id)
        )


def restore_job(db: Database, job_id: str) -> None:
    with db.transaction() as connection:
        cursor = connection.execute(
            "UPDATE jobs SET deleted_at = NULL WHERE id = ? AND purged_at IS NULL", (job_id,)
        )
        if cursor.rowcount == 0:
            raise KeyError(f"no job {job_id} in the library or its trash")


def trash_contents(db: Database, images_dir: Path) -> Trash:
    jobs = db.query(
        "SELECT * FROM jobs WHERE deleted_at IS NOT NULL AND purged_at IS NULL "
        "ORDER BY deleted_at DESC"
    )
    images = db.query(
        "SELECT * FROM images WHERE deleted_at IS NOT NULL AND job_id IN "
        "(SELECT id FROM jobs WHERE deleted_at IS NULL) ORDER BY deleted_at DESC, id DESC"
    )
    return Trash(
        tuple(job_from_row(row) for row in jobs),
        tuple(image_from_row(row, images_dir) for row in images),
    )


def empty_trash(db: Database, images_dir: Path, now: str) -> int:
    """Remove every image in the trash, its row and its file; return how many went.

    The rows go first, in one transaction, then the files: a crash in between leaves files no
    row points to (harmless), never a row without its file. An exact-text composite's kept
    background and text layer go with it.
    """
    doomed = (
        "deleted_at IS NOT NULL OR job_id IN (SELECT id FROM jobs WHERE deleted_at IS NOT NULL)"
    )
    with db.transaction() as connection:
        rows = connection.execute(f"SELECT * FROM images WHERE {doomed}").fetchall()
        files = [image_from_row(row, images_dir).path for row in rows]
        connection.execute(f"DELETE FROM images WHERE {doomed}")
        connection.execute(
            "UPDATE jobs SET purged_at = ? WHERE deleted_at IS NOT NULL AND purged_at IS NULL",
            (now,),
        )
    for path in [file for image in files for file in (image, *side_files(image))]:
        with contextlib.suppress(FileNotFoundError):
            try:
                os.unlink(path)
            except OSError as error:
                log.warning("could not remove %s from the trash: %s", path, error)
    return len(files)
