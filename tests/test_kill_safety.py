"""Killing ``generate`` at any moment loses nothing that was recorded and leaves no partial file."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image

from app.store.library import Library
from app.store.paths import StudioPaths
from tests.cli_process import COMMAND, cli_env

RUNS = 20


def start_generation(home: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            *COMMAND, "generate", "--engine", "local",
            "--text", "headline=有机绿茶", "--text", "subhead=100g 无添加",
            "--description", "Tea box on a table", "--size", "1024x1024", "-n", "10",
        ],
        env=cli_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def wait_for_lines(process: subprocess.Popen[bytes], lines: int, limit: float) -> None:
    """Read stdout until ``lines`` images were reported (or the process ends, or time is up)."""
    assert process.stdout is not None
    deadline = time.monotonic() + limit
    seen = 0
    os.set_blocking(process.stdout.fileno(), False)
    while seen < lines and time.monotonic() < deadline and process.poll() is None:
        chunk = process.stdout.read()
        seen += chunk.count(b"\n") if chunk else 0
        time.sleep(0.01)


@pytest.mark.slow
def test_sigkill_during_generation_loses_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    chance = random.Random(20261121)
    kills = 0
    for _ in range(RUNS):
        process = start_generation(home)
        # Kill anywhere from start-up to well into the batch of ten.
        wait_for_lines(process, chance.randint(0, 6), limit=60)
        time.sleep(chance.uniform(0, 0.4))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait(30)
        assert process.stdout is not None
        process.stdout.close()
    assert kills >= RUNS * 3 // 4, "the generations ended before they could be killed"

    paths = StudioPaths.under(home)
    with sqlite3.connect(paths.library_db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    with Library.open(paths) as library:
        images = library.images()
        jobs = library.jobs()
        assert RUNS // 2 <= len(jobs) <= RUNS  # a kill during start-up comes before any job
        assert {job.status for job in jobs} <= {"interrupted", "done"}
        # None is left running. A kill usually lands mid-job (interrupted); one that lands during
        # start-up leaves no job, and one between the last image and the exit leaves it done.
        assert sum(job.status == "interrupted" for job in jobs) >= kills // 2
    assert images, "no image was recorded in any run"
    for record in images:
        with Image.open(record.path) as image:
            image.load()
            assert image.size == (1024, 1024)
    recorded = {record.path for record in images}
    for path in paths.images_dir.rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            # A visible file is a whole image (written by rename), recorded or about to be.
            with Image.open(path) as image:
                image.load()
    visible = {p for p in paths.images_dir.rglob("*") if p.is_file() and not p.name.startswith(".")}
    assert len(visible - recorded) <= kills  # at most one file per kill between rename and row
