"""A small versioned SQLite wrapper: WAL, a schema version, transactions, and readable errors.

A schema is a first version (format 1.0) plus numbered migration steps; the file's format is 1.N
after step N, kept in ``PRAGMA user_version`` as ``100 + N`` (so format 1.0 is 100, as it always
was). A new database runs the first version's statements and then every step, so a fresh file and an
upgraded one are built by the same code. An older file is upgraded step by step inside one
transaction, after a backup copy of it is made; a file from a newer Zi Studio is refused.

Errors are split in two: what a user can meet (disk full, file damaged, library busy, read-only)
becomes a ``StoreError`` with a message; everything else is a bug and propagates unchanged.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from app.store.files import StoreError, make_dirs

log = logging.getLogger(__name__)

_BUSY_TIMEOUT_SECONDS: Final = 10.0
# SQLite's primary result codes (the low byte of an extended code).
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 11, 13, 14
_SQLITE_NOTADB = 26

Params = Sequence[Any]


FIRST_VERSION: Final = 100
"""``user_version`` of format 1.0: the first version's statements, no step applied."""


def format_name(version: int) -> str:
    """How a user reads a stored ``user_version``: ``100 + N`` is format ``1.N``."""
    return f"1.{version - FIRST_VERSION}" if version >= FIRST_VERSION else f"0.{version}"


@dataclass(frozen=True, slots=True)
class MigrationStep:
    """One numbered change of a schema; after step N the file's format is 1.N.

    ``apply`` runs inside the upgrade's transaction with foreign keys off (so a table can be
    rebuilt without cascading deletes); the references are checked before the commit.
    """

    number: int
    summary: str
    apply: Callable[[sqlite3.Connection], None]


@dataclass(frozen=True, slots=True)
class Schema:
    """What a database should look like: its first version and the steps taken since."""

    name: str  # how the user knows this file, for messages: "library"
    create: tuple[str, ...]  # format 1.0
    steps: tuple[MigrationStep, ...] = ()

    def __post_init__(self) -> None:
        numbers = [step.number for step in self.steps]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"{self.name} migration steps must be numbered 1, 2, ...: {numbers}")

    @property
    def version(self) -> int:
        """The ``user_version`` this schema writes: ``100 +`` the number of steps."""
        return FIRST_VERSION + len(self.steps)


class Database:
    """One SQLite connection, usable from any thread, one thread at a time (a lock guards it)."""

    def __init__(self, connection: sqlite3.Connection, path: Path, schema: Schema) -> None:
        self._connection = connection
        self._lock = threading.RLock()
        self._depth = 0
        self.path = path
        self.schema = schema

    @classmethod
    def open(cls, path: Path, schema: Schema) -> Database:
        """Open (or create) the database at ``path`` and bring it to ``schema``'s version."""
        make_dirs(path.parent)
        try:
            connection = sqlite3.connect(
                path, timeout=_BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as error:
            known = _known_error(error, path, schema.name)
            if known is None:
                raise
            raise known from error
        database = cls(connection, path, schema)
        try:
            with database._translated():
                database._configure()
                database._prepare()
        except BaseException:
            connection.close()
            raise
        return database

    @property
    def version(self) -> int:
        """The ``user_version`` stored in the file."""
        row = self.query_one("PRAGMA user_version")
        assert row is not None
        return int(row[0])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: committed when the block ends, rolled back when it raises.

        Nested blocks join the outer transaction. ``BEGIN IMMEDIATE`` takes the write lock at the
        start, so two writers wait for each other instead of failing half-way.
        """
        with self._lock, self._translated():
            if self._depth:
                self._depth += 1
                try:
                    yield self._connection
                finally:
                    self._depth -= 1
                return
            self._connection.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self._connection
            except BaseException:
                self._depth = 0
                if self._connection.in_transaction:
                    self._connection.rollback()
                raise
            self._depth = 0
            try:
                self._connection.commit()
            except BaseException:
                if self._connection.in_transaction:
                    self._connection.rollback()
                raise

    def query(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Rows of a read; it sees committed data only (and the caller's own open transaction)."""
        with self._lock, self._translated():
            cursor = self._connection.execute(sql, params)
            return list(cursor.fetchall())

    def query_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def integrity_check(self) -> list[str]:
        """SQLite's own check: ``["ok"]`` for a healthy file, else the problems it found."""
        return [str(row[0]) for row in self.query("PRAGMA integrity_check")]

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def _configure(self) -> None:
        connection = self._connection
        connection.row_factory = sqlite3.Row
        mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            # Some network filesystems cannot share memory for WAL; the default journal still works.
            log.warning("%s: write-ahead log unavailable, using journal mode %s", self.path, mode)
        # FULL syncs the log on every commit. Commits here are rare (a few per image, and an image
        # takes seconds to make), so the cost is invisible, and a row never lags behind its image
        # file after a power cut. NORMAL would be enough to survive a killed process.
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA foreign_keys=ON")

    def _prepare(self) -> None:
        schema = self.schema
        if self.version == 0:
            self._create()
        stored = self.version
        if stored > schema.version:
            raise StoreError(
                f"The {schema.name} at {self.path} was made by a newer Zi Studio (format "
                f"{format_name(stored)}; this version reads up to format "
                f"{format_name(schema.version)}). Update Zi Studio to open it."
            )
        if stored < FIRST_VERSION:
            raise StoreError(
                f"The {schema.name} format {format_name(stored)} is too old for this Zi Studio to "
                "upgrade: open it once with an older Zi Studio release first."
            )
        if stored < schema.version:
            self._migrate(stored)

    def _create(self) -> None:
        with self.transaction() as connection:
            if self.version != 0:
                return  # another process created it while this one waited for the write lock
            if self.query("SELECT name FROM sqlite_master WHERE type = 'table'"):
                raise StoreError(
                    f"{self.path} is not a Zi Studio {self.schema.name}: move it away (or choose "
                    "another folder with ZI_STUDIO_HOME) and start again."
                )
            for statement in self.schema.create:
                connection.execute(statement)
            for step in self.schema.steps:
                step.apply(connection)
            connection.execute(f"PRAGMA user_version = {self.schema.version}")

    def _migrate(self, stored: int) -> None:
        self._backup(stored)
        # Off outside the transaction (SQLite ignores the switch inside one): a step that rebuilds
        # a table must not cascade its DROP into the rows that refer to it.
        self._connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with self.transaction() as connection:
                current = self.version
                if current != stored:
                    return  # another process upgraded it while this one waited for the write lock
                for step in self.schema.steps[current - FIRST_VERSION :]:
                    log.info("%s: format 1.%d: %s", self.path, step.number, step.summary)
                    step.apply(connection)
                broken = connection.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left {len(broken)} broken reference(s)")
                connection.execute(f"PRAGMA user_version = {self.schema.version}")
        finally:
            self._connection.execute("PRAGMA foreign_keys=ON")

    def _backup(self, stored: int) -> None:
        """A copy of the file as it was, kept next to it, before a migration changes it."""
        copy_path = self.path.with_name(f"{self.path.name}.v{format_name(stored)}.bak")
        copy = sqlite3.connect(copy_path)
        try:
            self._connection.backup(copy)
        finally:
            copy.close()

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            known = _known_error(error, self.path, self.schema.name)
            if known is None:
                raise
            raise known from error


def _known_error(error: sqlite3.Error, path: Path, name: str) -> StoreError | None:
    """The user-facing error for ``error``, or ``None`` when it is a bug."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return None
    primary = int(code) & 0xFF
    if primary == _SQLITE_FULL:
        reason = "The disk is full: free some space and try again"
        return StoreError(f"{reason}; nothing was saved.", reason=reason)
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return StoreError(
            f"The {name} is busy in another Zi Studio window or command: try again in a moment."
        )
    if primary in (_SQLITE_READONLY, _SQLITE_PERM):
        return StoreError(
            f"The {name} at {path} is read-only: fix the file's permissions or choose another "
            "folder with ZI_STUDIO_HOME."
        )
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return StoreError(
            f"The {name} file {path} is damaged: move it away and start again; image files next "
            "to it are not affected."
        )
    if primary == _SQLITE_CANTOPEN:
        return StoreError(
            f"The {name} at {path} cannot be opened: check that its folder exists and that you "
            "may write to it."
        )
    if primary == _SQLITE_IOERR:
        return StoreError(
            f"The disk could not read or write the {name} at {path}: check the disk and try again."
        )
    return None
