"""Reading a file the user named, never more than a limit: ``/dev/zero`` or an endless pipe is
refused after ``limit + 1`` bytes instead of filling the memory."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class FileTooLarge(OSError):
    """The file holds more than the limit; ``strerror`` says so in words."""

    def __init__(self, path: Path, limit: int) -> None:
        super().__init__(errno.EFBIG, f"larger than {describe_bytes(limit)}", str(path))
        self.limit = limit


def describe_bytes(count: int) -> str:
    """``4 MB``, ``50 MB``, ``512 KB``: a limit as people read it."""
    if count >= 1_048_576 and count % 1_048_576 == 0:
        return f"{count // 1_048_576} MB"
    if count >= 1024 and count % 1024 == 0:
        return f"{count // 1024} KB"
    return f"{count:,} bytes"


def read_at_most(path: Path, limit: int) -> bytes:
    """The bytes of ``path``; :class:`FileTooLarge` when there are more than ``limit``.

    A regular file is measured first; anything else (a device, a pipe, a FIFO) is read up to
    ``limit + 1`` bytes and no further.
    """
    with open(path, "rb") as file:
        info = os.fstat(file.fileno())
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise FileTooLarge(path, limit)
        data = file.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(path, limit)
    return data
