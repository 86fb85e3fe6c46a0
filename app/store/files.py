"""Safe file writes: a file is either fully written or not there at all.

A write goes to a hidden temporary file in the same folder (``.NAME.RANDOM.tmp``, never mistaken for
an image), is flushed to the disk, and then takes its final name in one step. Failures a user can
meet become a ``StoreError`` whose message says what happened and what to do.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Final

TEMP_SUFFIX: Final = ".tmp"
_TEMP_NAME: Final = re.compile(r"^\..+\.[0-9a-f]{16}\.tmp$")
_MAX_NAME_IN_TEMP: Final = 120
_MAX_UNIQUE_ATTEMPTS: Final = 10_000
# Filesystems without hard links (FAT, some network shares) answer link() with one of these.
_NO_HARD_LINKS: Final = frozenset(
    {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}
)
_BINARY: Final = getattr(os, "O_BINARY", 0)


class StoreError(Exception):
    """A failure the user can meet and act on; the message says what happened and what to do.

    ``reason``, for a failed write, says what happened without the message's "nothing was saved",
    for callers that did save other things and say so themselves.
    """

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason if reason is not None else message


def write_error(error: OSError, path: Path) -> StoreError:
    """The ``StoreError`` for a failed write of ``path``."""
    reason = os_error_reason(error, path)
    return StoreError(f"{reason}; nothing was saved.", reason=reason)


def os_error_message(error: OSError, path: Path) -> str:
    """One sentence for a failed write of ``path``: what happened, what to do."""
    return f"{os_error_reason(error, path)}; nothing was saved."


def os_error_reason(error: OSError, path: Path) -> str:
    """What went wrong writing ``path`` and what to do, without saying what was lost."""
    code = error.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "The disk is full: free some space and try again"
    if code in (errno.EACCES, errno.EPERM):
        return (
            f"Zi Studio is not allowed to write in {path.parent}: fix the folder's permissions "
            "or choose another folder"
        )
    if code == errno.EROFS:
        return f"{path.parent} is on a read-only disk: choose another folder"
    reason = error.strerror or str(error)
    return f"Could not save {path}: {reason}. Check the disk and try again"


def make_dirs(directory: Path) -> Path:
    """Make ``directory`` and its parents when missing; return it."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise write_error(error, directory / "-") from error
    return directory


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: a crash leaves the old file or the new one, never half.

    Raises ``StoreError`` (and leaves no temporary file behind) when the write fails.
    """
    directory = make_dirs(path.parent)
    temp: Path | None = None
    try:
        temp = _write_temp(directory, path.name, data)
        os.replace(temp, path)
        temp = None
    except OSError as error:
        raise write_error(error, path) from error
    finally:
        if temp is not None:
            _remove_quietly(temp)
    _fsync_directory(directory)


def link_or_copy(source: Path, target: Path) -> None:
    """``target`` becomes the same file as ``source`` (a hard link: nothing copied), or a copy of
    it written atomically where the file system has no hard links."""
    make_dirs(target.parent)
    try:
        os.link(source, target)
    except FileExistsError:
        if not target.samefile(source):
            raise write_error(
                FileExistsError(errno.EEXIST, "exists", str(target)), target
            ) from None
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise write_error(error, target) from error
        try:
            data = source.read_bytes()
        except OSError as read_error:
            raise write_error(read_error, source) from read_error
        write_atomic(target, data)
        return
    _fsync_directory(target.parent)


def unique_path(directory: Path, stem: str, suffix: str) -> Path:
    """The first of ``stem.suffix``, ``stem-2.suffix``, ... that does not exist yet."""
    for candidate in _candidates(directory, stem, suffix):
        if not os.path.lexists(candidate):
            return candidate
    raise StoreError(f"{directory} has too many files named {stem}: choose another folder.")


def write_unique(directory: Path, stem: str, suffix: str, data: bytes) -> Path:
    """Write ``data`` under a new name in ``directory`` (see ``unique_path``); never overwrites.

    Unlike checking ``unique_path`` and then writing, this cannot lose a race with another writer:
    the finished file takes a name only if nothing has it. Returns the path written.
    """
    make_dirs(directory)
    temp: Path | None = None
    target = directory / f"{stem}{_dotted(suffix)}"
    try:
        temp = _write_temp(directory, target.name, data)
        for candidate in _candidates(directory, stem, suffix):
            target = candidate
            if _claim(temp, candidate):
                temp = None
                _fsync_directory(directory)
                return candidate
    except OSError as error:
        raise write_error(error, target) from error
    finally:
        if temp is not None:
            _remove_quietly(temp)
    raise StoreError(f"{directory} has too many files named {stem}: choose another folder.")


def is_temp_name(name: str) -> bool:
    """Whether ``name`` is one of the hidden temporary files ``write_atomic`` writes."""
    return _TEMP_NAME.match(name) is not None


def remove_stale_temp_files(
    directory: Path, *, min_age_seconds: float = 300.0, recursive: bool = False
) -> list[Path]:
    """Delete temporary files left by a process that died mid-write; return what was removed.

    Only files older than ``min_age_seconds`` go, so a write in progress elsewhere is left alone.
    """
    if not directory.is_dir():
        return []
    cutoff = time.time() - min_age_seconds
    removed: list[Path] = []
    for folder, names in _walk(directory, recursive):
        for name in names:
            if not _TEMP_NAME.match(name):
                continue
            candidate = folder / name
            try:
                if candidate.stat().st_mtime <= cutoff:
                    candidate.unlink()
                    removed.append(candidate)
            except OSError:
                continue  # gone already, or not ours to remove: either way nothing to clean
    return removed


class ProcessLock:
    """An exclusive lock on a file, held until released or until the process ends.

    The operating system drops the lock when its holder dies, even on a kill, so another process
    can tell whether the holder is still alive with ``is_held``.
    """

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd = fd

    @classmethod
    def try_acquire(cls, path: Path) -> ProcessLock | None:
        """The lock, or ``None`` when another holder has it."""
        make_dirs(path.parent)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | _BINARY, 0o666)
        except OSError as error:
            raise StoreError(os_error_message(error, path)) from error
        if _lock(fd):
            return cls(path, fd)
        os.close(fd)
        return None

    @staticmethod
    def is_held(path: Path) -> bool:
        """Whether a living holder has the lock at ``path`` (a missing file is not held)."""
        if not path.exists():
            return False
        lock = ProcessLock.try_acquire(path)
        if lock is None:
            return True
        lock.release()
        return False

    def release(self) -> None:
        """Drop the lock and remove its file; safe to call twice."""
        if self._fd < 0:
            return
        if sys.platform != "win32":
            _remove_quietly(self.path)  # while still held, so nobody locks a file about to go
        os.close(self._fd)
        self._fd = -1
        if sys.platform == "win32":
            _remove_quietly(self.path)


def _write_temp(directory: Path, name: str, data: bytes) -> Path:
    """A fully written, flushed hidden temporary file in ``directory``."""
    while True:
        temp = directory / f".{name[:_MAX_NAME_IN_TEMP]}.{uuid.uuid4().hex[:16]}{TEMP_SUFFIX}"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o666)
        except FileExistsError:
            continue
        break
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        _remove_quietly(temp)
        raise
    try:
        os.close(fd)
    except OSError:
        _remove_quietly(temp)
        raise
    return temp


def _claim(temp: Path, candidate: Path) -> bool:
    """Give the finished ``temp`` file the name ``candidate`` unless something has it already."""
    try:
        os.link(temp, candidate)
    except FileExistsError:
        return False
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        # No hard links here: reserve the name with an exclusive create, then move onto it.
        try:
            os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o666))
        except FileExistsError:
            return False
        os.replace(temp, candidate)
        return True
    _remove_quietly(temp)
    return True


def _candidates(directory: Path, stem: str, suffix: str) -> Iterator[Path]:
    dotted = _dotted(suffix)
    yield directory / f"{stem}{dotted}"
    for number in range(2, _MAX_UNIQUE_ATTEMPTS):
        yield directory / f"{stem}-{number}{dotted}"


def _dotted(suffix: str) -> str:
    return suffix if not suffix or suffix.startswith(".") else f".{suffix}"


def _walk(directory: Path, recursive: bool) -> Iterator[tuple[Path, list[str]]]:
    if not recursive:
        try:
            yield directory, [entry.name for entry in os.scandir(directory) if entry.is_file()]
        except OSError:
            return
        return
    for folder, _dirs, names in os.walk(directory):
        yield Path(folder), names


def _fsync_directory(directory: Path) -> None:
    """Make a rename durable (POSIX); some filesystems cannot, and then there is nothing to do."""
    if sys.platform == "win32":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
