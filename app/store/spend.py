"""What the studio spent, per day and per month, from the library's jobs.

A job counts its actual cost where the service reported usage, else its estimate: a job still
running counts its estimate, so two jobs started together cannot both slip under a budget. Jobs on
the embedded engine cost nothing; a job that failed without an image counts only what was
reported. Jobs in the trash, or emptied from it, still count: the money was spent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

from app.store.db import Database
from app.store.records import timestamp

Period = Literal["day", "month"]
_PERIOD_FORMATS: Final = {"day": "%Y-%m-%d", "month": "%Y-%m"}
_JOB_COST: Final = """
    CASE
        WHEN engine = 'local' THEN 0.0
        WHEN actual_usd IS NOT NULL THEN actual_usd
        WHEN status = 'failed' AND NOT EXISTS (SELECT 1 FROM images WHERE images.job_id = jobs.id)
            THEN 0.0
        ELSE COALESCE(estimated_usd, 0.0)
    END"""
_IS_ESTIMATE: Final = "(engine != 'local' AND actual_usd IS NULL AND estimated_usd IS NOT NULL)"


@dataclass(frozen=True, slots=True)
class Spend:
    """Spending in one period (``2026-11-15`` or ``2026-11``, the user's own calendar)."""

    period: str
    usd: float
    jobs: int  # billed jobs counted
    estimated_jobs: int  # of those, counted by their estimate (no usage reported)


def spend_by(db: Database, period: Period, *, limit: int | None = None) -> list[Spend]:
    """Spending per day or per month, the latest first."""
    key = f"strftime('{_PERIOD_FORMATS[period]}', created_at, 'localtime')"
    rows = db.query(
        f"SELECT {key} AS period, SUM({_JOB_COST}) AS usd, "
        "SUM(engine != 'local') AS jobs, "
        f"SUM({_IS_ESTIMATE}) AS estimated FROM jobs "
        "GROUP BY period ORDER BY period DESC LIMIT ?",
        (-1 if limit is None else limit,),
    )
    return [
        Spend(
            str(row["period"]),
            float(row["usd"] or 0.0),
            int(row["jobs"] or 0),
            int(row["estimated"] or 0),
        )
        for row in rows
    ]


def spent_between(db: Database, start: datetime, end: datetime) -> float:
    """Everything spent from ``start`` up to (not including) ``end``."""
    row = db.query_one(
        f"SELECT SUM({_JOB_COST}) FROM jobs WHERE created_at >= ? AND created_at < ?",
        (timestamp(start), timestamp(end)),
    )
    return float(row[0] or 0.0) if row is not None else 0.0


def month_bounds(moment: datetime) -> tuple[datetime, datetime]:
    """The calendar month holding ``moment`` (in ``moment``'s own time zone)."""
    start = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if start.month == 12:
        return start, start.replace(year=start.year + 1, month=1)
    return start, start.replace(month=start.month + 1)
