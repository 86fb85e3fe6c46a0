"""What a killed process can leave among the library's images, and its removal at start-up.

An image is written to a hidden temporary file, renamed to its final name, and then recorded. A kill
between those steps leaves a temporary file, or an image file without a row. Both names begin with
the job's id (``JOB-INDEX-DIGEST.png``, ``.JOB-INDEX-DIGEST.png.RANDOM.tmp``), and the job's owner
holds a lock file while it lives: so a leftover is removed as soon as its writer is known to be
gone, and a file a living process is still writing is never touched. Temporary files of no known
job are removed once they are a minute old, as before.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Collection
from pathlib import Path, PurePosixPath
from typing import Final

from app.store.files import is_temp_name

log = logging.getLogger(__name__)

_JOB_FILE: Final = re.compile(
    r"^(?P<temp>\.)?(?P<job>[0-9a-f]{32})-\d+-[0-9a-f]{8}\.(?:png|webp|jpg)"
    r"(?(temp)\.[0-9a-f]{16}\.tmp)$"
)
UNKNOWN_TEMP_AGE_SECONDS: Final = 60.0

WriterAlive = Callable[[str], bool | None]
"""For a job id: whether its owner lives (True), is gone (False), or there is no such job (None)."""


def sweep_leftovers(
    images_dir: Path, recorded: Collection[str], writer_alive: WriterAlive
) -> list[Path]:
    """Remove the leftovers of dead writers below ``images_dir``; return what was removed.

    ``recorded``: the library's image paths, relative to ``images_dir`` with forward slashes.
    """
    removed: list[Path] = []
    cutoff = time.time() - UNKNOWN_TEMP_AGE_SECONDS
    for folder, _dirs, names in os.walk(images_dir):
        for name in names:
            path = Path(folder, name)
            if _is_leftover(path, images_dir, recorded, writer_alive, cutoff):
                try:
                    path.unlink()
                except OSError:
                    continue  # gone already, or not ours to remove: either way nothing to clean
                removed.append(path)
    if removed:
        log.info("removed %d file(s) left by interrupted writes", len(removed))
    return removed


def _is_leftover(
    path: Path,
    images_dir: Path,
    recorded: Collection[str],
    writer_alive: WriterAlive,
    cutoff: float,
) -> bool:
    match = _JOB_FILE.match(path.name)
    if match is None:
        return is_temp_name(path.name) and _older_than(path, cutoff)
    alive = writer_alive(match["job"])
    if match["temp"]:
        return alive is False or (alive is None and _older_than(path, cutoff))
    if alive is not False:
        return False  # still being recorded, or a file of no job: not a leftover of ours
    relative = PurePosixPath(*path.relative_to(images_dir).parts).as_posix()
    return relative not in recorded


def _older_than(path: Path, cutoff: float) -> bool:
    try:
        return path.stat().st_mtime <= cutoff
    except OSError:
        return False
