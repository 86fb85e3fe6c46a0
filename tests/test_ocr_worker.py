"""The OCR worker process: one warm process, a queue, restarts, clear errors, async and sync use.

These use a scripted reader (no models), so they test the process plumbing quickly.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import pytest

from app.core.fidelity import RequiredText
from app.ocr import OcrError, OcrWorker
from app.ocr.reader import MODEL_FILES, model_paths
from tests.ocr_fakes import broken_reader, scripted_reader

TEA = [RequiredText("有机绿茶", "headline")]


@pytest.fixture
def worker() -> Iterator[OcrWorker]:
    with OcrWorker(make_reader=scripted_reader) as running:
        yield running


def test_ten_checks_share_one_warm_process(worker: OcrWorker) -> None:
    futures = [worker.submit("有机绿茶".encode(), TEA) for _ in range(5)]
    futures += [worker.submit("有机绿荼".encode(), TEA) for _ in range(5)]
    results = [future.result(60) for future in futures]
    assert [result.exact for result in results] == [True] * 5 + [False] * 5
    assert results[-1].blocks[0].differences[0].found == "荼"
    assert worker.starts == 1
    assert worker.pid is not None and worker.pid != os.getpid()


def test_the_async_api_awaits_on_the_loop_without_blocking_it(worker: OcrWorker) -> None:
    async def main() -> tuple[list[bool], int]:
        ticks = 0
        done = asyncio.Event()

        async def tick() -> None:
            nonlocal ticks
            while not done.is_set():
                ticks += 1
                await asyncio.sleep(0.005)

        ticker = asyncio.create_task(tick())
        results = await asyncio.gather(
            *(worker.check_async(text.encode(), TEA) for text in ("有机绿茶", "有机红茶"))
        )
        done.set()
        await ticker
        return [result.exact for result in results], ticks

    exact, ticks = asyncio.run(main())
    assert exact == [True, False]
    assert ticks > 1  # the loop kept running while the worker read


def test_a_killed_worker_is_started_again_and_the_check_still_answers(
    worker: OcrWorker, tmp_path: Path
) -> None:
    assert worker.check("有机绿茶".encode(), TEA).exact
    first = worker.pid
    assert first is not None
    os.kill(first, signal.SIGKILL)
    assert worker.check("有机绿茶".encode(), TEA).exact
    assert worker.starts == 2 and worker.pid != first
    # A crash in the middle of a check: the check is sent once more to a new worker.
    marker = tmp_path / "crashed"
    assert worker.check(f"crash-once:{marker}".encode(), TEA).exact
    assert marker.exists() and worker.starts == 3


def test_an_image_that_kills_the_worker_twice_fails_clearly_and_the_next_one_works(
    worker: OcrWorker,
) -> None:
    with pytest.raises(OcrError, match="stopped working twice"):
        worker.check(b"crash", TEA)
    assert worker.check("有机绿茶".encode(), TEA).exact


def test_an_unreadable_image_or_an_engine_bug_fails_that_check_only(worker: OcrWorker) -> None:
    with pytest.raises(OcrError, match="not an image"):
        worker.check(b"bad", TEA)
    with pytest.raises(OcrError, match="failed on this image"):
        worker.check(b"bug", TEA)
    assert worker.check("有机绿茶".encode(), TEA).exact
    assert worker.starts == 1


def test_an_engine_that_cannot_load_gives_a_clear_error() -> None:
    with (
        OcrWorker(make_reader=broken_reader) as worker,
        pytest.raises(OcrError, match=r"could not start its OCR engine.*onnxruntime"),
    ):
        worker.check(b"anything", TEA)


def test_close_stops_the_process_and_refuses_new_checks() -> None:
    worker = OcrWorker(make_reader=scripted_reader)
    assert worker.check("有机绿茶".encode(), TEA).exact
    pid = worker.pid
    worker.close()
    assert worker.pid is None
    assert pid is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    with pytest.raises(OcrError, match="shut down"):
        worker.submit(b"x", TEA)
    assert not [thread for thread in threading.enumerate() if "ocr-feeder" in thread.name]


def test_the_worker_is_a_fresh_spawned_interpreter_not_a_fork(worker: OcrWorker) -> None:
    # A forked child would carry this test process's modules (pytest) and Qt; a spawned one not.
    result = worker.check(b"modules", [RequiredText("clean")])
    assert result.blocks[0].found == "clean", result.read_text


def test_the_models_ship_inside_the_rapidocr_package() -> None:
    """Nothing is downloaded: every model file the reader names is in the installed wheel."""
    paths = model_paths()
    assert set(paths) == set(MODEL_FILES)
    for path in paths.values():
        assert path.is_file() and path.stat().st_size > 100_000
        assert "site-packages" in path.parts or "dist-packages" in path.parts


@pytest.mark.parametrize("name", ["opencv-python", "opencv-contrib-python", "rapidocr-onnxruntime"])
def test_the_ocr_brings_no_second_qt(name: str) -> None:
    """The non-headless OpenCV wheels carry their own Qt, which clashes with PySide6; and the older
    rapidocr-onnxruntime pulls one in (and "corrects" look-alike characters)."""
    with pytest.raises(PackageNotFoundError):
        distribution(name)
    assert distribution("opencv-python-headless").version
