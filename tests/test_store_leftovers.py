"""Files half-saved by a process that died are removed when the library opens, at once; files a
living process is still writing are left alone."""

from __future__ import annotations

import os
import time
from pathlib import Path

from app.core.request import ImageRequest
from app.store.library import Library
from app.store.paths import StudioPaths

REQUEST = ImageRequest(kind="generate", prompt="p", n=3)
FOREIGN_JOB = "f" * 32


def _job(library: Library) -> str:
    job_id = library.create_job(kind="generate", request=REQUEST, engine="local")
    library.mark_running(job_id)
    return job_id


def _leftovers(paths: StudioPaths, job_id: str) -> tuple[Path, Path]:
    """What a kill leaves: a temporary file, and an image renamed but not recorded."""
    folder = paths.images_dir / "2026" / "11"
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / f".{job_id}-1-0123abcd.png.0123456789abcdef.tmp"
    unrecorded = folder / f"{job_id}-2-89abcdef.png"
    temp.write_bytes(b"half an image")
    unrecorded.write_bytes(b"a whole image")
    return temp, unrecorded


def _files(paths: StudioPaths) -> set[Path]:
    return {path for path in paths.images_dir.rglob("*") if path.is_file()}


def test_leftovers_of_a_dead_process_go_at_the_next_start(tmp_path: Path) -> None:
    paths = StudioPaths.under(tmp_path)
    with Library.open(paths) as dead:
        job_id = _job(dead)
        kept = dead.add_image(job_id, 0, b"recorded", width=8, height=8, output_format="png")
    temp, unrecorded = _leftovers(paths, job_id)  # fresh: written a moment ago

    with Library.open(paths) as library:
        assert _files(paths) == {kept.path}
        assert library.images(job_id)[0].path.read_bytes() == b"recorded"
    assert not temp.exists() and not unrecorded.exists()


def test_files_a_living_process_is_writing_are_left_alone(tmp_path: Path) -> None:
    paths = StudioPaths.under(tmp_path)
    with Library.open(paths) as window:
        job_id = _job(window)
        temp, unrecorded = _leftovers(paths, job_id)

        with Library.open(paths) as command:  # a command started beside the open window
            assert command.sweep_leftovers() == []
        assert temp.exists() and unrecorded.exists()

    with Library.open(paths):  # the window has closed: the same files are now leftovers
        assert _files(paths) == set()


def test_files_of_no_known_job_follow_the_age_rule(tmp_path: Path) -> None:
    paths = StudioPaths.under(tmp_path)
    with Library.open(paths):
        pass
    temp, unrecorded = _leftovers(paths, FOREIGN_JOB)
    other_temp = temp.with_name(".notes.txt.0123456789abcdef.tmp")
    other_temp.write_bytes(b"x")

    with Library.open(paths):
        pass
    assert _files(paths) == {temp, unrecorded, other_temp}  # young, and not ours to judge

    an_hour_ago = time.time() - 3600
    for path in (temp, unrecorded, other_temp):
        os.utime(path, (an_hour_ago, an_hour_ago))
    with Library.open(paths):
        pass
    assert _files(paths) == {unrecorded}  # an image file is never removed without its job
