"""A full disk tells the truth: what was sent, what was kept, what it cost; never a traceback.

The disk fills up by patching the one place files are written (``files._write_temp``) to raise
ENOSPC for chosen folders, after a number of good writes; the command runs in process so the patch
holds, on a scripted remote service (billed) and on the embedded engine.
"""

from __future__ import annotations

import errno
import logging
from pathlib import Path

import pytest

from app.cli import main
from app.store import files
from app.store.library import Library
from app.store.paths import HOME_VARIABLE, StudioPaths
from tests import fake_service as fake

KEY = "sk-test-secret-0123456789"
TEA = ("--text", "headline=有机绿茶", "--description", "Tea box", "--size", "1024x1024")


def fill_disk(monkeypatch: pytest.MonkeyPatch, folder: Path, *, good_writes: int) -> None:
    """Writes below ``folder`` fail with ENOSPC after ``good_writes`` of them succeeded."""
    real = files._write_temp
    done = [0]

    def write(directory: Path, name: str, data: bytes) -> Path:
        if directory.is_relative_to(folder):
            done[0] += 1
            if done[0] > good_writes:
                raise OSError(errno.ENOSPC, "No space left on device")
        return real(directory, name, data)

    monkeypatch.setattr(files, "_write_temp", write)


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> StudioPaths:
    monkeypatch.setenv(HOME_VARIABLE, str(tmp_path / "home"))
    return StudioPaths.from_environment()


def test_a_billed_job_on_a_full_disk_keeps_its_images_and_its_cost(
    paths: StudioPaths, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    fill_disk(monkeypatch, paths.images_dir, good_writes=1)
    with fake.fake_service([]) as service:
        code = main(["generate", *TEA, "-n", "3", "--base-url", service.base_url,
                     "--max-retries", "0"])  # fmt: skip
    out, err = capsys.readouterr()

    assert code == 4  # sent and paid for: not exit 2, "nothing was sent"
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "The disk is full" in err and "1 image(s)" in err and "are kept" in err
    assert "what it cost is recorded" in err
    assert "nothing was" not in err
    assert len(out.splitlines()) == 1  # the kept image's line
    with Library.open(paths) as library:
        (job,) = library.jobs()
        kept = library.images(job.id)
    assert job.status == "failed" and job.error_message is not None
    assert "disk is full" in job.error_message
    assert [image.index_in_job for image in kept] == [0]
    assert kept[0].path.is_file()
    # The image that could not be saved was received and billed: its output counts too.
    output_tokens = int(fake.USAGE["output_tokens"])  # type: ignore[call-overload]
    assert job.usage is not None and job.usage["output_tokens"] == 2 * output_tokens
    assert job.actual_usd is not None and job.actual_usd > 0


def test_a_full_out_folder_keeps_the_job_done_and_says_the_copies_are_missing(
    paths: StudioPaths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out_dir = tmp_path / "out"
    fill_disk(monkeypatch, out_dir, good_writes=1)
    code = main(["generate", "--engine", "local", *TEA, "-n", "3", "--out", str(out_dir)])
    out, err = capsys.readouterr()

    assert code == 4
    assert err.splitlines()[-1] == (
        f"zi-studio: 2 of the images could not be copied to {out_dir}: The disk is full: free "
        "some space and try again. They are kept in the library (the paths printed above)."
    )
    assert "Traceback" not in err
    with Library.open(paths) as library:
        (job,) = library.jobs()
        kept = library.images(job.id)
    assert job.status == "done"
    assert len(kept) == 3
    printed = [Path(line.split()[0]) for line in out.splitlines()[:3]]
    assert printed[0].parent == out_dir
    assert printed[1:] == [kept[1].path, kept[2].path]  # where the images really are
    assert len(list(out_dir.iterdir())) == 1


def test_the_local_engine_on_a_full_disk_says_one_line(
    paths: StudioPaths,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    fill_disk(monkeypatch, paths.images_dir, good_writes=1)
    with caplog.at_level(logging.ERROR):
        code = main(["generate", "--engine", "local", *TEA, "-n", "4"])
    _out, err = capsys.readouterr()

    assert code == 4
    assert "aclose()" not in caplog.text and "asynchronous generator" not in caplog.text
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert [line for line in err.splitlines() if "warning" not in line] == [
        "zi-studio: The disk is full: free some space and try again. An image that arrived could "
        f"not be saved; 1 image(s) of job {err.split('job ')[1][:8]} are kept in the library. "
        f"'zi-studio resume {err.split('job ')[1][:8]}' asks for the missing ones."
    ]
    with Library.open(paths) as library:
        (job,) = library.jobs()
        assert job.status == "failed"
        assert len(library.images(job.id)) == 1
    leftovers = {p for p in paths.images_dir.rglob("*") if p.is_file()}
    assert len(leftovers) == 1


def test_a_row_that_cannot_be_written_takes_its_file_away(
    paths: StudioPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.core.request import ImageRequest
    from app.store.files import StoreError

    with Library.open(paths) as library:
        job_id = library.create_job(
            kind="generate", request=ImageRequest(kind="generate", prompt="p"), engine="local"
        )

        def full(self: Library, row: object) -> int:
            raise StoreError("The disk is full: free some space and try again; nothing was saved.")

        monkeypatch.setattr(Library, "_record_image", full)
        with pytest.raises(StoreError):
            library.add_image(job_id, 0, b"image", width=8, height=8, output_format="png")
        assert [p for p in paths.images_dir.rglob("*") if p.is_file()] == []
