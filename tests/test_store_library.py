"""The library: jobs and images, durable across crashes, never holding a credential."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.core.request import ImageRequest
from app.store.files import StoreError
from app.store.library import Library
from app.store.paths import HOME_VARIABLE, StudioPaths
from app.store.records import JobStateError, engine_label

ROOT = Path(__file__).resolve().parents[1]
KEY = "sk-proj-SECRETsecretSECRETsecret0123456789"
REQUEST = ImageRequest(kind="generate", prompt='A tea poster. Headline: "有机绿茶" exactly.', n=2)
SPEC = {"version": 1, "description": "tea", "texts": [{"role": "headline", "text": "有机绿茶"}]}


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> StudioPaths:
    monkeypatch.setenv(HOME_VARIABLE, str(tmp_path / "home"))
    return StudioPaths.from_environment()


@pytest.fixture
def library(paths: StudioPaths) -> Iterator[Library]:
    opened = Library.open(paths, clock=lambda: datetime(2026, 11, 15, 12, 0, tzinfo=UTC))
    yield opened
    opened.close()


def _job(library: Library, **changes: Any) -> str:
    values: dict[str, Any] = {"kind": "generate", "request": REQUEST, "engine": "local"}
    values.update(changes)
    return library.create_job(**values)


def test_a_job_and_its_images_round_trip(library: Library, paths: StudioPaths) -> None:
    job_id = _job(library, spec=SPEC, estimated_usd=0.106, engine=engine_label("remote"))
    library.mark_running(job_id)
    first = library.add_image(job_id, 0, b"png 0", width=1024, height=1536, output_format="png")
    second = library.add_image(job_id, 1, b"png 1", width=1024, height=1536, output_format="png")
    usage = {"input_tokens": 40, "output_tokens": 3512, "total_tokens": 3552}
    library.finish_job(job_id, usage, 0.1056)

    job = library.job(job_id)
    assert job is not None
    assert (job.kind, job.status, job.engine) == ("generate", "done", "remote:api.openai.com")
    assert job.request == REQUEST
    assert job.spec == SPEC
    assert job.usage == usage
    assert (job.estimated_usd, job.actual_usd, job.error_message) == (0.106, 0.1056, None)
    assert job.created_at <= job.started_at <= job.finished_at  # type: ignore[operator]
    assert [image.id for image in library.images(job_id)] == [first.id, second.id]

    assert (
        first.relative_path == f"2026/11/{job_id}-0-{hashlib.sha256(b'png 0').hexdigest()[:8]}.png"
    )
    assert first.path == paths.images_dir / "2026" / "11" / first.path.name
    assert first.path.read_bytes() == b"png 0"
    assert first.sha256 == hashlib.sha256(b"png 0").hexdigest()
    assert (first.width, first.height, first.output_format) == (1024, 1536, "png")
    assert library.image(second.id) == second
    assert library.image(9999) is None
    assert library.job("no-such-job") is None


def test_everything_survives_a_reopen(paths: StudioPaths) -> None:
    with Library.open(paths) as library:
        job_id = _job(library, kind="edit")
        library.mark_running(job_id)
        parent = library.add_image(job_id, 0, b"jpeg", width=16, height=16, output_format="jpeg")
        child = library.add_image(
            job_id, 1, b"webp", width=16, height=16, output_format="webp", parent_image_id=parent.id
        )
        library.finish_job(job_id, None, None)

    with Library.open(paths) as library:
        assert library.recovered == ()
        assert [job.id for job in library.jobs()] == [job_id]
        images = library.images(job_id)
        assert images[1].parent_image_id == parent.id
        assert images[1] == child
        assert images[0].path.suffix == ".jpg"
        assert library.integrity_check() == ["ok"]


def test_jobs_are_listed_newest_first_and_filtered(library: Library) -> None:
    ids = [_job(library) for _ in range(3)]
    library.mark_running(ids[1])

    assert [job.id for job in library.jobs()] == ids[::-1]
    assert [job.id for job in library.jobs(status="running")] == [ids[1]]
    assert [job.id for job in library.jobs(limit=2)] == ids[:0:-1]


def test_job_states_move_only_forward(library: Library) -> None:
    job_id = _job(library)
    library.mark_running(job_id)
    with pytest.raises(JobStateError):
        library.mark_running(job_id)
    library.finish_job(job_id, {"total_tokens": 1}, 0.01)

    assert library.cancel_job(job_id) is False
    with pytest.raises(JobStateError):
        library.fail_job(job_id, "late failure")
    with pytest.raises(KeyError):
        library.mark_running("no-such-job")
    assert library.job(job_id).status == "done"  # type: ignore[union-attr]


def test_a_cancelled_job_stays_cancelled_but_keeps_what_it_spent(library: Library) -> None:
    job_id = _job(library)
    library.mark_running(job_id)

    assert library.cancel_job(job_id) is True
    library.fail_job(job_id, "the request was cancelled")
    library.finish_job(job_id, {"output_tokens": 196}, 0.006)

    job = library.job(job_id)
    assert job is not None
    assert (job.status, job.actual_usd, job.usage) == ("cancelled", 0.006, {"output_tokens": 196})
    assert job.error_message is None


def test_a_failure_message_never_keeps_a_key(library: Library) -> None:
    job_id = _job(library)
    library.fail_job(job_id, f"401: Incorrect API key provided: {KEY}. Check it in Settings.")

    job = library.job(job_id)
    assert job is not None and job.status == "failed"
    assert KEY not in (job.error_message or "")
    assert "Incorrect API key provided" in (job.error_message or "")


def test_engine_labels_carry_no_credentials(library: Library) -> None:
    assert engine_label("local") == "local"
    assert engine_label("remote", "https://user:pw@proxy.example:8443/v1") == (
        "remote:proxy.example:8443"
    )
    for bad in ("remote:https://user:pw@proxy.example", f"remote:{KEY}", "me@host"):
        with pytest.raises(ValueError):
            _job(library, engine=bad)
    assert library.jobs() == []


def test_favourites(library: Library) -> None:
    job_id = _job(library)
    images = [
        library.add_image(job_id, i, bytes([i]), width=8, height=8, output_format="png")
        for i in range(3)
    ]
    library.set_favourite(images[1].id)

    assert [image.id for image in library.images(favourites_only=True)] == [images[1].id]
    assert library.image(images[1].id).favourite  # type: ignore[union-attr]
    library.set_favourite(images[1].id, False)
    assert library.images(favourites_only=True) == []
    with pytest.raises(KeyError):
        library.set_favourite(12345)


def test_find_image_by_path_and_by_content(library: Library, tmp_path: Path) -> None:
    job_id = _job(library)
    image = library.add_image(job_id, 0, b"bytes", width=8, height=8, output_format="png")
    elsewhere = tmp_path / "export.png"
    elsewhere.write_bytes(b"bytes")

    assert library.find_image_by_path(image.path) == image
    assert library.find_image_by_path(Path(image.relative_path)) == image
    assert library.find_image_by_path(elsewhere) is None
    assert library.find_image_by_path(image.path.with_name("missing.png")) is None
    assert library.find_images_by_sha256(hashlib.sha256(elsewhere.read_bytes()).hexdigest()) == [
        image
    ]


def test_an_image_is_not_recorded_when_its_file_cannot_be_written(
    library: Library, paths: StudioPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    job_id = _job(library)

    def disk_full(fd: int, data: Any) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", disk_full)
    with pytest.raises(StoreError, match="disk is full"):
        library.add_image(job_id, 0, b"data", width=8, height=8, output_format="png")
    monkeypatch.undo()

    assert library.images() == []
    leftovers = [path for path in paths.images_dir.rglob("*") if path.is_file()]
    assert leftovers == []


def test_bad_image_calls_write_nothing(library: Library, paths: StudioPaths) -> None:
    job_id = _job(library)
    library.add_image(job_id, 0, b"data", width=8, height=8, output_format="png")

    with pytest.raises(ValueError, match="already has an image 0"):
        library.add_image(job_id, 0, b"other", width=8, height=8, output_format="png")
    with pytest.raises(ValueError, match="output format"):
        library.add_image(job_id, 1, b"other", width=8, height=8, output_format="gif")
    with pytest.raises(KeyError):
        library.add_image("no-such-job", 0, b"other", width=8, height=8, output_format="png")
    assert len([path for path in paths.images_dir.rglob("*") if path.is_file()]) == 1


def test_another_living_process_keeps_its_running_jobs(paths: StudioPaths) -> None:
    with Library.open(paths) as window:
        job_id = _job(window)
        window.mark_running(job_id)

        with Library.open(paths) as command:  # a command run beside the open window
            assert command.recovered == ()
            assert command.job(job_id).status == "running"  # type: ignore[union-attr]

        assert window.job(job_id).status == "running"  # type: ignore[union-attr]

    with Library.open(paths) as later:  # closed mid-job: the job was interrupted
        assert later.job(job_id).status == "interrupted"  # type: ignore[union-attr]
        assert later.recovered == ()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_jobs_of_a_killed_process_are_recovered_as_interrupted(
    paths: StudioPaths, tmp_path: Path
) -> None:
    script = textwrap.dedent(
        """
        import os, signal
        from app.core.request import ImageRequest
        from app.store.library import Library
        from app.store.paths import StudioPaths

        library = Library.open(StudioPaths.from_environment())
        request = ImageRequest(kind="generate", prompt="p", n=3)
        running = library.create_job(kind="generate", request=request, engine="local")
        library.mark_running(running)
        library.add_image(running, 0, b"first image", width=8, height=8, output_format="png")
        queued = library.create_job(kind="generate", request=request, engine="local")
        done = library.create_job(kind="generate", request=request, engine="local")
        library.finish_job(done, None, None)
        print(running, queued, done, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, HOME_VARIABLE: os.environ[HOME_VARIABLE]},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    running, queued, done = result.stdout.split()

    with Library.open(paths) as library:
        assert sorted(job.id for job in library.recovered) == sorted([running, queued])
        assert all(job.status == "interrupted" for job in library.recovered)
        assert library.job(done).status == "done"  # type: ignore[union-attr]
        (image,) = library.images(running)
        assert image.path.read_bytes() == b"first image"
        assert library.integrity_check() == ["ok"]
        assert library.recover_interrupted() == []  # reported once

    with Library.open(paths) as again:
        assert again.recovered == ()


def test_a_newer_library_is_refused_and_nothing_is_left_locked(paths: StudioPaths) -> None:
    Library.open(paths).close()
    connection = sqlite3.connect(paths.library_db)
    connection.execute("PRAGMA user_version = 300")
    connection.commit()
    connection.close()

    with pytest.raises(StoreError, match="newer Zi Studio"):
        Library.open(paths)

    assert list(paths.owners_dir.iterdir()) == []


def test_the_api_key_never_reaches_the_library_files(
    paths: StudioPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    base_url = f"https://user:{KEY}@proxy.example/v1"
    with Library.open(paths) as library:
        job_id = _job(library, engine=engine_label("remote", base_url))
        library.mark_running(job_id)
        library.add_image(job_id, 0, b"image", width=8, height=8, output_format="png")
        library.fail_job(job_id, f"Connection to {base_url} failed (Authorization: Bearer {KEY})")
        files = [path for path in paths.data_dir.rglob("*") if path.is_file()]
        assert paths.library_db in files
        for path in files:  # the database, its write-ahead log, the images
            assert KEY.encode() not in path.read_bytes(), path
    for path in paths.data_dir.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path
