"""Runs of many jobs: the table row each job came from, and the Batch API batches sent.

A job made from a row of a table (``zi-studio batch --rows``) is an ordinary job of the library; its
row is kept beside it, so every image can be traced to its row. A batch is recorded the moment
the service gives its id, with the jobs it carries, so a stopped command or a closed window loses
nothing: the batch is picked up again from here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal, cast

from app.store.db import Database
from app.store.records import check_engine_label

BatchStatus = Literal["submitted", "done", "cancelled", "failed"]
OPEN: Final = "submitted"


@dataclass(frozen=True, slots=True)
class RowOfJob:
    job_id: str
    run_id: str
    row: int
    values: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class BatchRecord:
    id: str
    run_id: str
    engine: str
    base_url: str | None
    input_file_id: str
    requests: int
    status: BatchStatus
    created_at: datetime
    finished_at: datetime | None
    error_message: str | None
    job_ids: tuple[str, ...]

    @property
    def open(self) -> bool:
        return self.status == OPEN


class RowRuns:
    """The library's rows and batches (see ``Library.row_runs``)."""

    def __init__(self, db: Database, now: Callable[[], str]) -> None:
        self._db = db
        self._now = now

    def record_row(self, job_id: str, run_id: str, row: int, values: Mapping[str, str]) -> None:
        with self._db.transaction() as connection:
            connection.execute(
                "INSERT OR REPLACE INTO row_jobs (job_id, run_id, row, values_json) "
                "VALUES (?, ?, ?, ?)",
                (job_id, run_id, row, json.dumps(dict(values), ensure_ascii=False)),
            )

    def row_of(self, job_id: str) -> RowOfJob | None:
        found = self._db.query_one("SELECT * FROM row_jobs WHERE job_id = ?", (job_id,))
        return None if found is None else _row(found)

    def rows_of_run(self, run_id: str) -> list[RowOfJob]:
        found = self._db.query("SELECT * FROM row_jobs WHERE run_id = ? ORDER BY row", (run_id,))
        return [_row(row) for row in found]

    def add_batch(
        self,
        batch_id: str,
        *,
        run_id: str,
        engine: str,
        base_url: str | None,
        input_file_id: str,
        job_ids: Sequence[str],
    ) -> None:
        """Keep a batch the service has just accepted, with the jobs its lines carry."""
        check_engine_label(engine)
        with self._db.transaction() as connection:
            connection.execute(
                "INSERT INTO batches (id, run_id, engine, base_url, input_file_id, requests, "
                "status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'submitted', ?)",
                (batch_id, run_id, engine, base_url, input_file_id, len(job_ids), self._now()),
            )
            connection.executemany(
                "INSERT INTO batch_requests (batch_id, job_id) VALUES (?, ?)",
                [(batch_id, job_id) for job_id in job_ids],
            )

    def end_batch(self, batch_id: str, status: BatchStatus, error: str | None = None) -> None:
        with self._db.transaction() as connection:
            connection.execute(
                "UPDATE batches SET status = ?, finished_at = ?, error_message = ? WHERE id = ?",
                (status, self._now(), error, batch_id),
            )

    def batch(self, batch_id: str) -> BatchRecord | None:
        found = self._db.query_one("SELECT * FROM batches WHERE id = ?", (batch_id,))
        return None if found is None else self._batch(found)

    def batches_of_run(self, run_id: str) -> list[BatchRecord]:
        found = self._db.query(
            "SELECT * FROM batches WHERE run_id = ? ORDER BY created_at, rowid", (run_id,)
        )
        return [self._batch(row) for row in found]

    def open_batches(self) -> list[BatchRecord]:
        """Batches sent and not yet collected, oldest first: what the studio picks up again."""
        found = self._db.query(
            "SELECT * FROM batches WHERE status = 'submitted' ORDER BY created_at, rowid"
        )
        return [self._batch(row) for row in found]

    def _batch(self, row: Any) -> BatchRecord:
        jobs = self._db.query(
            "SELECT job_id FROM batch_requests WHERE batch_id = ? ORDER BY rowid", (row["id"],)
        )
        finished = row["finished_at"]
        return BatchRecord(
            id=str(row["id"]),
            run_id=str(row["run_id"]),
            engine=str(row["engine"]),
            base_url=row["base_url"],
            input_file_id=str(row["input_file_id"]),
            requests=int(row["requests"]),
            status=cast(BatchStatus, row["status"]),
            created_at=_when(row["created_at"]),
            finished_at=None if finished is None else _when(finished),
            error_message=row["error_message"],
            job_ids=tuple(str(job[0]) for job in jobs),
        )


def _row(found: Any) -> RowOfJob:
    values = json.loads(found["values_json"])
    return RowOfJob(
        str(found["job_id"]), str(found["run_id"]), int(found["row"]),
        {str(k): str(v) for k, v in values.items()},
    )  # fmt: skip


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text)
