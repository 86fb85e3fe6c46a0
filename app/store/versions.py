"""Version trees: every edit of an image is a library image whose parent is the image edited.

A tree is found from any of its images: up the ``parent_image_id`` chain to its root, then down to
every descendant. Each edit job is one *turn* (``edit_turns``): the instruction as the designer
typed it, what kind of turn it was and which version it edited, so a conversation comes back
after a restart, failed turns included. ``version_trees`` remembers which version of a tree is
current (the one the next turn edits).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal, get_args

from app.core.compiler import parse_prompt
from app.store.db import Database
from app.store.records import ImageRecord, image_from_row, json_object
from app.store.search import VISIBLE_IMAGE

_NO_TEXT: Final = "No text, letters or numbers anywhere in the image."  # an edit without texts
TurnKind = Literal["instruction", "replace_text", "finalize"]
TURN_KINDS: Final = get_args(TurnKind)

_ROOT_OF: Final = """
    WITH RECURSIVE up (id, parent) AS (
        SELECT id, parent_image_id FROM images WHERE id = ?
        UNION ALL
        SELECT images.id, images.parent_image_id FROM images JOIN up ON images.id = up.parent
    )
    SELECT id FROM up WHERE parent IS NULL
"""
_TREE_OF: Final = f"""
    WITH RECURSIVE down (id) AS (
        SELECT ?
        UNION ALL
        SELECT images.id FROM images JOIN down ON images.parent_image_id = down.id
    )
    SELECT images.*, jobs.spec_json AS job_spec_json FROM images
    JOIN jobs ON jobs.id = images.job_id
    WHERE images.id IN (SELECT id FROM down) AND {VISIBLE_IMAGE}
    ORDER BY images.created_at, images.id
"""


@dataclass(frozen=True, slots=True)
class Version:
    image: ImageRecord
    spec: dict[str, Any] | None  # the spec its job carried (its exact texts, ratio, ...)


@dataclass(frozen=True, slots=True)
class Turn:
    """One edit call: what was asked, of which version, and how it ended."""

    job_id: str
    kind: TurnKind
    instruction: str
    source_image_id: int | None
    status: str  # the job's: done, failed, cancelled, interrupted, running, queued
    error_message: str | None
    actual_usd: float | None
    estimated_usd: float | None
    created_at: str
    image_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class VersionTree:
    root_id: int
    current_id: int
    versions: tuple[Version, ...]  # oldest first
    turns: tuple[Turn, ...]  # oldest first

    def version(self, image_id: int) -> Version | None:
        return next((v for v in self.versions if v.image.id == image_id), None)


class VersionBook:
    """The version trees of one library (``Library.versions``)."""

    def __init__(self, db: Database, images_dir: Path, now: Callable[[], str]) -> None:
        self._db = db
        self._images_dir = images_dir
        self._now = now

    def root_of(self, image_id: int) -> int | None:
        row = self._db.query_one(_ROOT_OF, (image_id,))
        return None if row is None else int(row[0])

    def record_turn(
        self, job_id: str, *, kind: TurnKind, instruction: str, source_image_id: int | None
    ) -> None:
        if kind not in TURN_KINDS:
            raise ValueError(f"unknown turn kind {kind!r}")
        # Recorded again (a retried turn): it keeps its place in the conversation.
        with self._db.transaction() as connection:
            connection.execute(
                "INSERT INTO edit_turns (job_id, kind, instruction, source_image_id, created_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (job_id) DO UPDATE SET kind = excluded.kind, "
                "instruction = excluded.instruction, source_image_id = excluded.source_image_id",
                (job_id, kind, instruction, source_image_id, self._now()),
            )

    def set_current(self, image_id: int) -> None:
        """Make ``image_id`` the current version of its tree (revert, or continue from it)."""
        root = self.root_of(image_id)
        if root is None:
            raise KeyError(f"no image {image_id}")
        with self._db.transaction() as connection:
            connection.execute(
                "INSERT OR REPLACE INTO version_trees (root_image_id, current_image_id) "
                "VALUES (?, ?)",
                (root, image_id),
            )

    def tree_of(self, image_id: int) -> VersionTree | None:
        """The whole tree ``image_id`` belongs to; None when the image is not in the library."""
        root = self.root_of(image_id)
        if root is None:
            return None
        rows = self._db.query(_TREE_OF, (root,))
        versions = tuple(
            Version(image_from_row(row, self._images_dir), json_object(row["job_spec_json"]))
            for row in rows
        )
        if not versions:
            return None
        ids = {v.image.id for v in versions}
        stored = self._db.query_one(
            "SELECT current_image_id FROM version_trees WHERE root_image_id = ?", (root,)
        )
        current = stored[0] if stored is not None and stored[0] in ids else None
        if current is None:
            current = image_id if image_id in ids else versions[-1].image.id
        return VersionTree(root, int(current), versions, self._turns(ids))

    def _turns(self, ids: set[int]) -> tuple[Turn, ...]:
        marks = ", ".join("?" * len(ids))
        rows = self._db.query(
            "SELECT edit_turns.*, jobs.status, jobs.error_message, jobs.actual_usd, "
            "jobs.estimated_usd FROM edit_turns JOIN jobs ON jobs.id = edit_turns.job_id "
            f"WHERE edit_turns.source_image_id IN ({marks}) AND jobs.deleted_at IS NULL "
            "ORDER BY edit_turns.created_at, edit_turns.job_id",
            sorted(ids),
        )
        images: dict[str, list[int]] = {}
        if rows:
            job_marks = ", ".join("?" * len(rows))
            for row in self._db.query(
                f"SELECT id, job_id FROM images WHERE job_id IN ({job_marks}) AND "
                "deleted_at IS NULL ORDER BY index_in_job",
                [row["job_id"] for row in rows],
            ):
                images.setdefault(str(row["job_id"]), []).append(int(row["id"]))
        return tuple(
            Turn(
                job_id=str(row["job_id"]),
                kind=row["kind"],
                instruction=str(row["instruction"]),
                source_image_id=row["source_image_id"],
                status=str(row["status"]),
                error_message=row["error_message"],
                actual_usd=row["actual_usd"],
                estimated_usd=row["estimated_usd"],
                created_at=str(row["created_at"]),
                image_ids=tuple(images.get(str(row["job_id"]), ())),
            )
            for row in rows
        )


def add_edit_turns(connection: sqlite3.Connection) -> None:
    """Library step 3: edit turns and each tree's current version.

    Edits made before (by ``zi-studio edit``) become turns: their instruction is read back from
    the prompt, and the image they edited is their images' parent."""
    connection.execute(
        """CREATE TABLE edit_turns (
            job_id TEXT PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('instruction', 'replace_text', 'finalize')),
            instruction TEXT NOT NULL,
            source_image_id INTEGER REFERENCES images (id) ON DELETE SET NULL,
            created_at TEXT NOT NULL
        )"""
    )
    connection.execute("CREATE INDEX edit_turns_by_source ON edit_turns (source_image_id)")
    connection.execute(
        """CREATE TABLE version_trees (
            root_image_id INTEGER PRIMARY KEY REFERENCES images (id) ON DELETE CASCADE,
            current_image_id INTEGER REFERENCES images (id) ON DELETE SET NULL
        )"""
    )
    rows = connection.execute(
        "SELECT jobs.id, jobs.request_json, jobs.created_at, MIN(images.parent_image_id) "
        "FROM jobs JOIN images ON images.job_id = jobs.id "
        "WHERE jobs.kind = 'edit' AND images.parent_image_id IS NOT NULL GROUP BY jobs.id"
    ).fetchall()
    for job_id, request_json, created_at, source in rows:
        prompt = str((json_object(request_json) or {}).get("prompt") or "")
        instruction = parse_prompt(prompt).description.removesuffix(_NO_TEXT).strip()
        connection.execute(
            "INSERT INTO edit_turns (job_id, kind, instruction, source_image_id, created_at) "
            "VALUES (?, 'instruction', ?, ?, ?)",
            (job_id, instruction, source, created_at),
        )
