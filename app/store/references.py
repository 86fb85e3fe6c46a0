"""Reference images kept in the library, so a spec's references survive the originals moving.

Each image is stored once, named by the SHA-256 of its bytes (``references/ab/abcdef….png``): the
same picture dropped twice is one file, and a file's name proves its content.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Final

from app.core.reference_images import Note, ReferenceRefused
from app.store.files import write_atomic
from app.store.reading import FileTooLarge, read_at_most

READ_LIMIT: Final = 256 * 1024 * 1024
"""Files larger than this are refused unread; up to it, an image over the API's 50 MB is shrunk."""


def read_reference(path: Path, limit: int = READ_LIMIT) -> bytes:
    """The bytes of ``path``, refused (``ReferenceRefused``) when unreadable or over ``limit``.

    Reads at most ``limit + 1`` bytes (``read_at_most``), so an endless file (a device, a growing
    log) cannot hang the studio or fill its memory.
    """
    try:
        if stat.S_ISFIFO(path.stat().st_mode):
            # Opening a pipe waits for a writer that may never come.
            raise ReferenceRefused(Note("cannot_read", {"reason": "not a regular file"}))
        return read_at_most(path, limit)
    except FileNotFoundError:
        raise ReferenceRefused(Note("missing")) from None
    except IsADirectoryError:
        raise ReferenceRefused(Note("is_folder")) from None
    except FileTooLarge:
        raise ReferenceRefused(Note("too_big_to_read", {"limit_mb": limit // 1_048_576})) from None
    except OSError as error:
        raise ReferenceRefused(Note("cannot_read", {"reason": _reason(error)})) from None


class ReferenceStore:
    """The library's folder of reference images."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def keep(self, data: bytes, extension: str) -> Path:
        """The stored copy of ``data`` (written now unless an identical one is there already)."""
        digest = hashlib.sha256(data).hexdigest()
        path = self.directory / digest[:2] / f"{digest}.{extension}"
        if not _holds(path, len(data)):
            write_atomic(path, data)
        return path


def _holds(path: Path, size: int) -> bool:
    try:
        return path.stat().st_size == size
    except OSError:
        return False


def _reason(error: OSError) -> str:
    return error.strerror or os.strerror(error.errno or 0) or type(error).__name__
