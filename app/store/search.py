"""Finding images again: what a job is searched by, and the library's filtered, newest-first query.

Each job keeps a ``search_text`` column: its exact texts, its description and (for an edit) its
instruction, case-folded, one per line. A search is then a substring test over one short column
(``instr``), so any part of a text matches from one character up, Chinese included, with no
tokenizer to split words wrongly; over 10,000 images it takes a few milliseconds
(``packaging/bench_library.py``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from app.core.compiler import parse_prompt
from app.store.db import Database
from app.store.records import ImageRecord, image_from_row, timestamp

_NO_TEXT_SENTENCE: Final = "No text, letters or numbers anywhere in the image."
VISIBLE_IMAGE: Final = (
    "images.deleted_at IS NULL AND images.job_id IN (SELECT id FROM jobs WHERE deleted_at IS NULL)"
)
"""Images that are not in the trash, themselves or through their job."""


def exact_texts(spec: Mapping[str, Any] | None, prompt: str) -> list[str]:
    """The texts a job asked for exactly: the spec's, else those its prompt names."""
    if spec is not None:
        blocks = spec.get("texts") or ()
        return [str(block["text"]) for block in blocks if isinstance(block, Mapping)]
    return [block.text for block in parse_prompt(prompt).blocks]


def searchable_text(kind: str, spec: Mapping[str, Any] | None, prompt: str) -> str:
    """What a job is found by: its texts, its description and its edit instruction."""
    parts = exact_texts(spec, prompt)
    if spec is not None:
        parts.append(str(spec.get("description") or ""))
    if kind == "edit" or spec is None:
        lead = parse_prompt(prompt).description
        parts.append(lead.removesuffix(_NO_TEXT_SENTENCE).strip())
    return "\n".join(part for part in parts if part).casefold()


def searchable_text_of_row(kind: str, spec_json: str | None, request_json: str) -> str:
    """``searchable_text`` from a job row's stored JSON."""
    spec = json.loads(spec_json) if spec_json else None
    prompt = str(json.loads(request_json).get("prompt") or "")
    return searchable_text(kind, spec if isinstance(spec, dict) else None, prompt)


@dataclass(frozen=True, slots=True)
class LibraryQuery:
    """Which images to list; every field narrows the list, the default lists them all."""

    text: str = ""  # any part of the texts, the description or the edit instruction
    favourites_only: bool = False
    engine: str | None = None  # "local", "remote" (any service) or an engine label
    model: str | None = None
    since: datetime | None = None  # created at or after
    until: datetime | None = None  # created before
    job_id: str | None = None
    limit: int | None = None


def search_images(db: Database, images_dir: Path, query: LibraryQuery) -> list[ImageRecord]:
    """The images matching ``query``, newest first, trash left out."""
    where, params = _where(query)
    rows = db.query(f"SELECT * FROM images WHERE {where} {_ORDER_AND_LIMIT}", params)
    return [image_from_row(row, images_dir) for row in rows]


def search_image_ids(db: Database, query: LibraryQuery) -> list[int]:
    """The ids of the images matching ``query``, newest first: what a virtualised view needs
    to show a result of any size at once, fetching the records of the rows it draws."""
    where, params = _where(query)
    rows = db.query(f"SELECT id FROM images WHERE {where} {_ORDER_AND_LIMIT}", params)
    return [int(row[0]) for row in rows]


def images_by_ids(db: Database, images_dir: Path, ids: Sequence[int]) -> list[ImageRecord]:
    """The records of ``ids``, in that order (ids no longer in the library are left out)."""
    found: dict[int, ImageRecord] = {}
    for start in range(0, len(ids), _IDS_PER_QUERY):
        chunk = list(ids[start : start + _IDS_PER_QUERY])
        marks = ", ".join("?" * len(chunk))
        for row in db.query(f"SELECT * FROM images WHERE id IN ({marks})", chunk):
            record = image_from_row(row, images_dir)
            found[record.id] = record
    return [found[image_id] for image_id in ids if image_id in found]


_ORDER_AND_LIMIT: Final = "ORDER BY images.created_at DESC, images.id DESC LIMIT ?"
_IDS_PER_QUERY: Final = 500


def _where(query: LibraryQuery) -> tuple[str, list[Any]]:
    """The WHERE clause and its parameters (the limit last) for ``query``."""
    conditions = [VISIBLE_IMAGE]
    job_conditions: list[str] = []
    params: list[Any] = []
    job_params: list[Any] = []
    if query.text.strip():
        job_conditions.append("instr(search_text, ?) > 0")
        job_params.append(query.text.strip().casefold())
    if query.engine == "remote":
        job_conditions.append("engine LIKE 'remote:%'")
    elif query.engine:
        job_conditions.append("engine = ?")
        job_params.append(query.engine)
    if query.model:
        job_conditions.append("json_extract(request_json, '$.model') = ?")
        job_params.append(query.model)
    if job_conditions:
        matching_jobs = " AND ".join(job_conditions)
        conditions.append(f"images.job_id IN (SELECT id FROM jobs WHERE {matching_jobs})")
        params += job_params
    if query.favourites_only:
        conditions.append("favourite = 1")
    if query.job_id is not None:
        conditions.append("images.job_id = ?")
        params.append(query.job_id)
    if query.since is not None:
        conditions.append("images.created_at >= ?")
        params.append(timestamp(query.since))
    if query.until is not None:
        conditions.append("images.created_at < ?")
        params.append(timestamp(query.until))
    params.append(-1 if query.limit is None else query.limit)
    return " AND ".join(conditions), params


def known_models(db: Database) -> list[str]:
    """The models jobs in the library used, for a filter's choices."""
    rows = db.query(
        "SELECT DISTINCT json_extract(request_json, '$.model') FROM jobs "
        "WHERE deleted_at IS NULL ORDER BY 1"
    )
    return [str(row[0]) for row in rows if row[0]]
