"""The library: every job and every image the studio made, in SQLite plus image files.

An image is written to disk (atomically, flushed) before its row is recorded, so a crash at any
moment loses nothing: at worst a file has no row yet. Jobs left queued or running by a process that
died are marked "interrupted" the next time a library is opened, and reported so they can be re-run.
A process proves it is alive by holding a lock file (see ``ProcessLock``), so a command run beside
an open studio window does not take the window's running jobs for dead ones.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any, Final, cast, get_args

from app.core.fidelity import TextCheck
from app.core.redaction import redact
from app.core.request import ImageRequest
from app.store import trash as trash_store
from app.store.db import Database
from app.store.files import ProcessLock, StoreError, write_atomic
from app.store.leftovers import sweep_leftovers
from app.store.migrations import LIBRARY_SCHEMA
from app.store.paths import StudioPaths
from app.store.records import (
    ACTIVE,
    ImageRecord,
    JobKind,
    JobRecord,
    JobStateError,
    JobStatus,
    check_engine_label,
    engine_label,
    image_from_row,
    job_from_row,
    json_text,
    timestamp,
)
from app.store.row_runs import RowRuns
from app.store.search import (
    VISIBLE_IMAGE,
    LibraryQuery,
    images_by_ids,
    known_models,
    search_image_ids,
    search_images,
    searchable_text,
)
from app.store.spend import Period, Spend, month_bounds, spend_by, spent_between
from app.store.trash import Trash, TrashError
from app.store.versions import VersionBook

__all__ = [
    "ImageRecord",
    "JobRecord",
    "JobStateError",
    "JobStatus",
    "Library",
    "LibraryQuery",
    "Spend",
    "StoreError",
    "Trash",
    "TrashError",
    "engine_label",
]

log = logging.getLogger(__name__)

_EXTENSIONS: Final = {"png": "png", "webp": "webp", "jpeg": "jpg"}
_UNFINISHED: Final = "status IN ('queued', 'running')"
RESUMABLE: Final[tuple[JobStatus, ...]] = ("interrupted", "cancelled", "failed")
"""A job in one of these states can be taken up again for the images it lacks."""


class Library:
    """The library of one studio home. Safe to share between threads, one call at a time."""

    def __init__(
        self,
        paths: StudioPaths,
        db: Database,
        lock: ProcessLock,
        owner: str,
        clock: Callable[[], datetime],
    ) -> None:
        self.paths = paths
        self._db = db
        self._lock = lock
        self._owner = owner
        self._clock = clock
        self._closed = False
        self.recovered: tuple[JobRecord, ...] = ()
        """Jobs found interrupted when the library was opened: tell the user, offer a re-run."""

    @classmethod
    def open(cls, paths: StudioPaths, *, clock: Callable[[], datetime] | None = None) -> Library:
        """Open (or create) the library and recover jobs that a dead process left unfinished."""
        owner = uuid.uuid4().hex
        lock = ProcessLock.try_acquire(paths.owners_dir / f"{owner}.lock")
        if lock is None:  # a fresh random name cannot be taken: the folder is not usable
            raise StoreError(f"Cannot use {paths.owners_dir}: check that you may write to it.")
        try:
            db = Database.open(paths.library_db, LIBRARY_SCHEMA)
        except BaseException:
            lock.release()
            raise
        library = cls(paths, db, lock, owner, clock or (lambda: datetime.now(UTC)))
        library.recovered = tuple(library.recover_interrupted())
        library.sweep_leftovers()
        return library

    def close(self) -> None:
        """Mark this process's unfinished jobs interrupted, then release the library."""
        if self._closed:
            return
        self._closed = True
        try:
            with self._db.transaction() as connection:
                connection.execute(
                    "UPDATE jobs SET status = 'interrupted', finished_at = ? "
                    f"WHERE owner = ? AND {_UNFINISHED}",
                    (self._now(), self._owner),
                )
        except StoreError as error:
            # A full disk: the next start finds these jobs' owner gone and marks them then.
            log.warning("could not mark unfinished jobs interrupted: %s", error)
        finally:
            self._db.close()
            self._lock.release()

    def __enter__(self) -> Library:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    # Jobs

    def create_job(
        self,
        *,
        kind: JobKind,
        request: ImageRequest,
        engine: str,
        spec: Mapping[str, Any] | None = None,
        estimated_usd: float | None = None,
    ) -> str:
        """Record a new queued job and return its id. ``engine`` comes from ``engine_label``."""
        if kind not in get_args(JobKind):
            raise ValueError(f"unknown job kind {kind!r}")
        check_engine_label(engine)
        job_id = uuid.uuid4().hex
        row = (job_id, kind, json_text(request.to_json()), json_text(spec), engine, self._owner)
        found_by = searchable_text(kind, spec, request.prompt)
        with self._db.transaction() as connection:
            connection.execute(
                "INSERT INTO jobs (id, kind, request_json, spec_json, engine, owner, status, "
                "created_at, estimated_usd, search_text) "
                "VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)",
                (*row, self._now(), estimated_usd, found_by),
            )
        return job_id

    def mark_running(self, job_id: str) -> None:
        self._move(job_id, ("queued",), "running", started_at=self._now())

    def finish_job(
        self, job_id: str, usage: Mapping[str, Any] | None, actual_usd: float | None
    ) -> None:
        """The job ended well. A job cancelled meanwhile stays cancelled, but what it spent is
        recorded all the same."""
        spent = {"usage_json": json_text(usage), "actual_usd": actual_usd}
        with self._db.transaction():
            if self._status(job_id) == "cancelled":
                self._set(job_id, spent)
            else:
                self._move(job_id, ACTIVE, "done", finished_at=self._now(), **spent)

    def fail_job(
        self,
        job_id: str,
        message: str,
        *,
        usage: Mapping[str, Any] | None = None,
        actual_usd: float | None = None,
    ) -> None:
        """The job failed with ``message`` (credentials masked), after spending ``usage`` (a job
        can fail after images were made and billed). A cancelled job stays cancelled."""
        spent = {"usage_json": json_text(usage), "actual_usd": actual_usd}
        with self._db.transaction():
            if self._status(job_id) == "cancelled":
                if usage is not None or actual_usd is not None:
                    self._set(job_id, spent)
                return
            failed: dict[str, Any] = {"finished_at": self._now(), "error_message": redact(message)}
            if usage is not None or actual_usd is not None:
                failed.update(spent)
            self._move(job_id, ACTIVE, "failed", **failed)

    def reopen_job(self, job_id: str) -> None:
        """Take up an ended job again (resume): it runs in this process, and what it spent so far
        stays recorded until the new run adds to it."""
        self._move(
            job_id, RESUMABLE, "running",
            owner=self._owner, started_at=self._now(), finished_at=None, error_message=None,
        )  # fmt: skip

    def cancel_job(self, job_id: str) -> bool:
        """Cancel a queued or running job; ``False`` when it had already ended."""
        with self._db.transaction():
            if self._status(job_id) not in ACTIVE:
                return False
            self._move(job_id, ACTIVE, "cancelled", finished_at=self._now())
        return True

    def job(self, job_id: str) -> JobRecord | None:
        row = self._db.query_one("SELECT * FROM jobs WHERE id = ?", (job_id,))
        return None if row is None else job_from_row(row)

    def jobs(self, *, status: JobStatus | None = None, limit: int | None = None) -> list[JobRecord]:
        """Jobs, newest first (not those in the trash)."""
        where, params = ("AND status = ?", [status]) if status else ("", [])
        rows = self._db.query(
            f"SELECT * FROM jobs WHERE deleted_at IS NULL {where} "
            "ORDER BY created_at DESC, rowid DESC LIMIT ?",
            [*params, -1 if limit is None else limit],
        )
        return [job_from_row(row) for row in rows]

    def recover_interrupted(self) -> list[JobRecord]:
        """Mark "interrupted" the unfinished jobs of processes that are gone; return those jobs."""
        rows = self._db.query(
            f"SELECT DISTINCT owner FROM jobs WHERE {_UNFINISHED} AND owner != ?", (self._owner,)
        )
        dead = [str(row[0]) for row in rows if not ProcessLock.is_held(self._owner_lock(row[0]))]
        ids: list[str] = []
        for owner in dead:
            with self._db.transaction() as connection:
                found = connection.execute(
                    f"SELECT id FROM jobs WHERE owner = ? AND {_UNFINISHED}", (owner,)
                ).fetchall()
                connection.execute(
                    f"UPDATE jobs SET status = 'interrupted', finished_at = ? "
                    f"WHERE owner = ? AND {_UNFINISHED}",
                    (self._now(), owner),
                )
            ids += [str(row[0]) for row in found]
        if ids:
            log.info("%d interrupted job(s) recovered", len(ids))
        return [record for job_id in ids if (record := self.job(job_id)) is not None]

    def sweep_leftovers(self) -> list[Path]:
        """Remove the files that dead processes left half-saved among the images (see
        ``app.store.leftovers``); return them."""
        recorded = {str(row[0]) for row in self._db.query("SELECT path FROM images")}
        owners: dict[str, bool | None] = {}

        def writer_alive(job_id: str) -> bool | None:
            if job_id not in owners:
                row = self._db.query_one("SELECT owner FROM jobs WHERE id = ?", (job_id,))
                owner = None if row is None else str(row[0])
                owners[job_id] = (
                    None
                    if owner is None
                    else owner == self._owner or ProcessLock.is_held(self._owner_lock(owner))
                )
            return owners[job_id]

        return sweep_leftovers(self.paths.images_dir, recorded, writer_alive)

    # Images

    def add_image(
        self,
        job_id: str,
        index: int,
        data: bytes,
        *,
        width: int,
        height: int,
        output_format: str,
        parent_image_id: int | None = None,
    ) -> ImageRecord:
        """Save an image of a job: the file first (atomically), then its row.

        ``data`` is stored as given: embed the studio's metadata before calling.
        """
        extension = _EXTENSIONS.get(output_format)
        if extension is None:
            raise ValueError(f"unknown output format {output_format!r}")
        self._status(job_id)  # the job must exist before a file is written for it
        if self._db.query_one(
            "SELECT 1 FROM images WHERE job_id = ? AND index_in_job = ?", (job_id, index)
        ):
            raise ValueError(f"job {job_id} already has an image {index}")
        digest = hashlib.sha256(data).hexdigest()
        created = self._clock()
        local = created.astimezone()  # folders by the user's calendar
        name = f"{job_id}-{index}-{digest[:8]}.{extension}"
        relative = PurePosixPath(f"{local:%Y}", f"{local:%m}", name)
        path = self.paths.images_dir.joinpath(*relative.parts)
        write_atomic(path, data)
        try:
            record_id = self._record_image(
                (job_id, index, relative.as_posix(), width, height, digest, parent_image_id,
                 output_format, timestamp(created)),
            )  # fmt: skip
        except BaseException:
            path.unlink(missing_ok=True)  # a file is never left without its row
            raise
        record = self.image(record_id)
        assert record is not None
        return record

    def _record_image(self, row: tuple[Any, ...]) -> int:
        with self._db.transaction() as connection:
            cursor = connection.execute(
                "INSERT INTO images (job_id, index_in_job, path, width, height, sha256, "
                "parent_image_id, output_format, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
        return cast(int, cursor.lastrowid)

    def image(self, image_id: int) -> ImageRecord | None:
        rows = self._images_where("id = ?", (image_id,))
        return rows[0] if rows else None

    def images(
        self,
        job_id: str | None = None,
        *,
        favourites_only: bool = False,
        include_trash: bool = False,
    ) -> list[ImageRecord]:
        """The images of one job in order, or of all jobs newest first.

        Images in the trash are left out, unless ``include_trash``: a job's indexes are taken by
        its trashed images too (a resume must not ask for them again).
        """
        conditions = ["1" if include_trash else VISIBLE_IMAGE]
        params: list[Any] = []
        if job_id is not None:
            conditions.append("job_id = ?")
            params.append(job_id)
        if favourites_only:
            conditions.append("favourite = 1")
        order = "index_in_job" if job_id is not None else "created_at DESC, id DESC"
        return self._images_where(" AND ".join(conditions), params, order)

    def find_image_by_path(self, path: Path) -> ImageRecord | None:
        """The library image stored at ``path`` (absolute, or relative to the images folder)."""
        root = self.paths.images_dir.resolve()
        try:
            relative = (root / path).resolve().relative_to(root)
        except (ValueError, OSError):
            return None
        rows = self._images_where("path = ?", (PurePosixPath(*relative.parts).as_posix(),))
        return rows[0] if rows else None

    def find_images_by_sha256(self, digest: str) -> list[ImageRecord]:
        """Library images with exactly these bytes (a copy dropped back on the studio)."""
        return self._images_where("sha256 = ?", (digest,))

    def set_favourite(self, image_id: int, favourite: bool = True) -> None:
        with self._db.transaction() as connection:
            cursor = connection.execute(
                "UPDATE images SET favourite = ? WHERE id = ?", (int(favourite), image_id)
            )
            if cursor.rowcount == 0:
                raise KeyError(f"no image {image_id}")

    # Text checks

    def record_text_check(self, image_id: int, check: TextCheck) -> None:
        """Keep ``check`` as the image's latest text check (it replaces an earlier one)."""
        with self._db.transaction() as connection:
            if (
                connection.execute("SELECT 1 FROM images WHERE id = ?", (image_id,)).fetchone()
                is None
            ):
                raise KeyError(f"no image {image_id}")
            connection.execute(
                "INSERT OR REPLACE INTO text_checks (image_id, exact, wrong_count, result_json, "
                "checked_at) VALUES (?, ?, ?, ?, ?)",
                (
                    image_id,
                    int(check.exact),
                    check.wrong_count,
                    json_text(check.to_json()),
                    self._now(),
                ),
            )

    def text_check(self, image_id: int) -> TextCheck | None:
        """The image's latest text check, or ``None`` until it is checked."""
        row = self._db.query_one(
            "SELECT result_json FROM text_checks WHERE image_id = ?", (image_id,)
        )
        return None if row is None else TextCheck.from_json(json.loads(row[0]))

    def text_exact(self, image_ids: Sequence[int]) -> dict[int, bool]:
        """Whether each checked image's text came out exactly; unchecked images are left out."""
        exact: dict[int, bool] = {}
        for start in range(0, len(image_ids), 500):  # SQLite's limit on bound parameters
            chunk = list(image_ids[start : start + 500])
            marks = ", ".join("?" * len(chunk))
            rows = self._db.query(
                f"SELECT image_id, exact FROM text_checks WHERE image_id IN ({marks})", chunk
            )
            exact.update({int(row[0]): bool(row[1]) for row in rows})
        return exact

    def row_runs(self) -> RowRuns:
        """The rows jobs came from and the batches sent (``app.store.row_runs``)."""
        return RowRuns(self._db, self._now)

    # Search, trash and spending (the work is in app.store.search, .trash and .spend)

    def search(self, query: LibraryQuery | None = None) -> list[ImageRecord]:
        """Images matching ``query`` (all by default), newest first, the trash left out."""
        return search_images(self._db, self.paths.images_dir, query or LibraryQuery())

    def search_ids(self, query: LibraryQuery | None = None) -> list[int]:
        """The ids ``search`` would give, without building records (fast for any result size)."""
        return search_image_ids(self._db, query or LibraryQuery())

    def images_by_ids(self, ids: Sequence[int]) -> list[ImageRecord]:
        """Records of ``ids`` in that order: the rows a view shows of a ``search_ids`` result."""
        return images_by_ids(self._db, self.paths.images_dir, ids)

    def known_models(self) -> list[str]:
        return known_models(self._db)

    def trash_image(self, image_id: int) -> None:
        trash_store.trash_image(self._db, image_id, self._now())

    def restore_image(self, image_id: int) -> None:
        trash_store.restore_image(self._db, image_id)

    def trash_job(self, job_id: str) -> None:
        """Put a job and its images in the trash (``TrashError`` while it runs)."""
        trash_store.trash_job(self._db, job_id, self._now())

    def restore_job(self, job_id: str) -> None:
        trash_store.restore_job(self._db, job_id)

    @property
    def versions(self) -> VersionBook:
        """Version trees: edit turns, each tree's current version (``app.store.versions``)."""
        return VersionBook(self._db, self.paths.images_dir, self._now)

    def trash(self) -> Trash:
        return trash_store.trash_contents(self._db, self.paths.images_dir)

    def empty_trash(self) -> int:
        """Remove the trash's images and their files for good; return how many."""
        return trash_store.empty_trash(self._db, self.paths.images_dir, self._now())

    def spend_by(self, period: Period, *, limit: int | None = None) -> list[Spend]:
        """Spending per day or per month, latest first (actual where known, else estimated)."""
        return spend_by(self._db, period, limit=limit)

    def spent_this_month(self) -> float:
        """Spending in the current calendar month of the user's time zone."""
        start, end = month_bounds(self._clock().astimezone())
        return spent_between(self._db, start, end)

    def integrity_check(self) -> list[str]:
        """SQLite's own check of the library file: ``["ok"]`` when healthy."""
        return self._db.integrity_check()

    # Helpers

    def _now(self) -> str:
        return timestamp(self._clock())

    def _owner_lock(self, owner: str) -> Path:
        safe = "".join(character for character in owner if character.isalnum())
        return self.paths.owners_dir / f"{safe}.lock"

    def _status(self, job_id: str) -> JobStatus:
        row = self._db.query_one("SELECT status FROM jobs WHERE id = ?", (job_id,))
        if row is None:
            raise KeyError(f"no job {job_id}")
        return cast(JobStatus, row[0])

    def _set(self, job_id: str, values: Mapping[str, Any]) -> None:
        assignments = ", ".join(f"{column} = ?" for column in values)  # our own column names
        with self._db.transaction() as connection:
            connection.execute(
                f"UPDATE jobs SET {assignments} WHERE id = ?", (*values.values(), job_id)
            )

    def _move(
        self, job_id: str, sources: tuple[JobStatus, ...], target: JobStatus, **values: Any
    ) -> None:
        with self._db.transaction():
            status = self._status(job_id)
            if status not in sources:
                raise JobStateError(f"job {job_id} is {status}: it cannot become {target}")
            self._set(job_id, {"status": target, **values})

    def _images_where(self, condition: str, params: Any, order: str = "id") -> list[ImageRecord]:
        rows = self._db.query(f"SELECT * FROM images WHERE {condition} ORDER BY {order}", params)
        return [image_from_row(row, self.paths.images_dir) for row in rows]
