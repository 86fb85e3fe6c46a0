"""Killing ``generate`` and ``edit`` at any moment loses nothing recorded and leaves nothing behind.

Rounds of concurrent commands on the embedded engine, all on one library, are each SIGKILLed at a
random moment (start-up, drafting, writing a file, recording it). After the next start: every
recorded image opens with the bytes it was recorded with, the database passes its integrity check,
no job is left running, and there is no unrecorded image file and no temporary file.

The commands are the real ``zi-studio`` entry point, started from a fork server that has already
imported the studio: a kill hits the same code at the same moments, and 50 kills fit in a minute
instead of paying the interpreter's start-up each time.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import random
import signal
import sqlite3
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from app.store.library import Library
from app.store.paths import HOME_VARIABLE, StudioPaths

KILLS = 50
CONCURRENT = 6
MAX_ROUNDS = 20
PRELOAD = [
    "app.cli", "app.cli.making", "app.engine.local.app", "app.jobs.run", "openai",
    "openai.resources.images", "anyio", "PIL.PngImagePlugin", "concurrent.futures.thread",
]  # fmt: skip
TEA = ("--text", "headline=有机绿茶", "--text", "subhead=100g 无添加",
       "--description", "Tea box on a table")  # fmt: skip


def _command(argv: Sequence[str], home: str, out: str) -> None:
    """One ``zi-studio`` run in a forked child, its output to ``out`` (a line per image)."""
    os.environ[HOME_VARIABLE] = home
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    output = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(output, 1)
    os.dup2(output, 2)
    from app.cli import main

    sys.exit(main(list(argv)))


@dataclass
class Figures:
    kills: int = 0
    runs: int = 0
    temp_files_left: int = 0  # by the kills, before the next start
    unrecorded_files_left: int = 0
    recorded_images: int = 0
    lost_images: int = 0
    integrity_failures: int = 0
    temp_files_after: int = 0
    unrecorded_files_after: int = 0


def _files(paths: StudioPaths) -> tuple[set[Path], set[Path]]:
    """(visible image files, hidden temporary files) below the images folder."""
    found = [path for path in paths.images_dir.rglob("*") if path.is_file()]
    hidden = {path for path in found if path.name.startswith(".")}
    return set(found) - hidden, hidden


def _recorded_paths(paths: StudioPaths) -> set[Path]:
    """The image rows, read without opening the library (which would clean up)."""
    with sqlite3.connect(f"file:{paths.library_db}?mode=ro", uri=True) as connection:
        rows = connection.execute("SELECT path FROM images").fetchall()
    return {paths.images_dir.joinpath(*str(row[0]).split("/")) for row in rows}


@dataclass
class _Victim:
    process: multiprocessing.process.BaseProcess
    out: Path
    images_before: int  # lines (images) to wait for before the kill
    delay: float  # then this many seconds
    due: float | None = None


def _kill_when_due(batch: list[_Victim], limit: float) -> None:
    deadline = time.monotonic() + limit
    waiting = list(batch)
    while waiting and time.monotonic() < deadline:
        now = time.monotonic()
        for victim in list(waiting):
            if not victim.process.is_alive():
                waiting.remove(victim)
            elif victim.due is None:
                lines = victim.out.read_bytes().count(b"\n") if victim.out.exists() else 0
                if lines >= victim.images_before:
                    victim.due = now + victim.delay
            elif now >= victim.due:
                victim.process.kill()
                waiting.remove(victim)
        time.sleep(0.01)
    for victim in waiting:
        victim.process.kill()


@pytest.mark.slow
def test_sigkill_during_generations_and_edits_loses_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    source = tmp_path / "poster.png"
    Image.new("RGB", (1024, 640), "#c8d8c0").save(source)
    commands = [  # the smallest size the model takes: the time goes to start-ups and saves
        ["generate", "--engine", "local", *TEA, "--size", "1024x640", "-n", "4"],
        ["edit", str(source), "--engine", "local", "--instruction", "warmer light",
         "--text", "headline=有机绿茶", "-n", "2"],
    ]  # fmt: skip
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    chance = random.Random(20261130)
    figures = Figures()
    started = time.monotonic()
    for round_number in range(MAX_ROUNDS):
        if figures.kills >= KILLS:
            break
        batch = []
        for slot in range(CONCURRENT):
            command = chance.choice(commands)
            out = tmp_path / f"out-{round_number}-{slot}.txt"
            process = context.Process(target=_command, args=(command, str(home), str(out)))
            process.start()
            # Kill after a random number of images, a random moment later: anywhere from
            # start-up to the middle of writing or recording the next image.
            images_before = chance.randint(0, int(command[-1]) - 1)
            batch.append(_Victim(process, out, images_before, chance.uniform(0, 0.6)))
        _kill_when_due(batch, limit=60)
        for victim in batch:
            victim.process.join(30)
            figures.runs += 1
            figures.kills += victim.process.exitcode == -signal.SIGKILL
    assert figures.kills >= KILLS, f"only {figures.kills} kills landed in {figures.runs} runs"

    paths = StudioPaths.under(home)
    visible, temp = _files(paths)
    figures.temp_files_left = len(temp)
    figures.unrecorded_files_left = len(visible - _recorded_paths(paths))

    with Library.open(paths) as library:  # the next start
        figures.integrity_failures = int(library.integrity_check() != ["ok"])
        jobs = library.jobs()
        images = library.images()
    figures.recorded_images = len(images)
    for record in images:
        try:
            data = record.path.read_bytes()
            with Image.open(record.path) as image:
                image.load()
                whole = image.size == (record.width, record.height)
        except OSError:
            data, whole = b"", False
        figures.lost_images += not whole or hashlib.sha256(data).hexdigest() != record.sha256
    visible, temp = _files(paths)
    figures.temp_files_after = len(temp)
    figures.unrecorded_files_after = len(visible - {record.path for record in images})
    elapsed = time.monotonic() - started
    print(f"\nkill test: {figures} in {elapsed:.0f} s")  # the figures the issue asks for

    assert figures.integrity_failures == 0
    assert figures.lost_images == 0
    assert figures.unrecorded_files_after == 0 and figures.temp_files_after == 0
    assert figures.recorded_images > 0, "no image was recorded in any run"
    assert not [job for job in jobs if job.active], "a job of a killed process is still running"
    assert {job.kind for job in jobs} == {"generate", "edit"}
