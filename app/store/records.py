"""What the library hands out: frozen records of jobs and images, and how rows become records."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Literal, cast
from urllib.parse import urlsplit

from app.core.redaction import SECRET_TOKEN
from app.core.request import ImageRequest

JobKind = Literal["generate", "edit"]
JobStatus = Literal["queued", "running", "done", "failed", "cancelled", "interrupted"]
ACTIVE: Final[tuple[JobStatus, ...]] = ("queued", "running")
"""A job in one of these states has a process working on it (or had, until it died)."""
_DEFAULT_REMOTE_HOST: Final = "api.openai.com"


class JobStateError(RuntimeError):
    """A job asked to move to a state it cannot reach from where it is (a bug in the caller)."""


@dataclass(frozen=True, slots=True)
class JobRecord:
    id: str
    kind: JobKind
    request: ImageRequest
    spec: dict[str, Any] | None
    engine: str
    status: JobStatus
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    usage: dict[str, Any] | None
    estimated_usd: float | None
    actual_usd: float | None
    error_message: str | None
    in_trash: bool = False

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


@dataclass(frozen=True, slots=True)
class ImageRecord:
    id: int
    job_id: str
    index_in_job: int
    path: Path  # absolute
    relative_path: str  # below the images folder, with forward slashes, as stored
    width: int
    height: int
    sha256: str
    parent_image_id: int | None
    favourite: bool
    output_format: str
    created_at: datetime
    in_trash: bool = False


def engine_label(engine: Literal["local", "remote"], base_url: str | None = None) -> str:
    """How a job records where it ran: ``local`` or ``remote:HOST[:PORT]``; never credentials."""
    if engine == "local":
        return "local"
    host = _DEFAULT_REMOTE_HOST
    if base_url:
        parts = urlsplit(base_url)
        host = parts.hostname or _DEFAULT_REMOTE_HOST
        if parts.port is not None:
            host = f"{host}:{parts.port}"
    return f"remote:{host}"


def check_engine_label(engine: str) -> None:
    """Refuse a label that could carry credentials (a URL, ``user@``, a key)."""
    if "@" in engine or "://" in engine or SECRET_TOKEN.search(engine):
        raise ValueError("the engine label must come from engine_label(): no URL, no credentials")


def job_from_row(row: Any) -> JobRecord:
    return JobRecord(
        id=str(row["id"]),
        kind=row["kind"],
        request=ImageRequest.from_json(json.loads(row["request_json"])),
        spec=json_object(row["spec_json"]),
        engine=str(row["engine"]),
        status=row["status"],
        created_at=datetime.fromisoformat(row["created_at"]),
        started_at=_parse_time(row["started_at"]),
        finished_at=_parse_time(row["finished_at"]),
        usage=json_object(row["usage_json"]),
        estimated_usd=row["estimated_usd"],
        actual_usd=row["actual_usd"],
        error_message=row["error_message"],
        in_trash=_column(row, "deleted_at") is not None,
    )


def image_from_row(row: Any, images_dir: Path) -> ImageRecord:
    relative = str(row["path"])
    return ImageRecord(
        id=int(row["id"]),
        job_id=str(row["job_id"]),
        index_in_job=int(row["index_in_job"]),
        # Forward slashes are separators on Windows too; one join is half the cost of parts.
        path=images_dir / relative,
        relative_path=relative,
        width=int(row["width"]),
        height=int(row["height"]),
        sha256=str(row["sha256"]),
        parent_image_id=row["parent_image_id"],
        favourite=bool(row["favourite"]),
        output_format=str(row["output_format"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        in_trash=_column(row, "deleted_at") is not None,
    )


def _column(row: Any, name: str) -> Any:
    """A column added by a later schema step (absent from rows of older queries)."""
    return row[name] if name in row.keys() else None  # noqa: SIM118 (Row's "in" tests values)


def timestamp(moment: datetime) -> str:
    """How times are stored: ISO 8601 in UTC, so text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def json_text(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False)


def json_object(text: str | None) -> dict[str, Any] | None:
    return None if text is None else cast(dict[str, Any], json.loads(text))


def _parse_time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)
