"""Resuming a job: only the missing images are asked for, under the job's own indexes and request;
what it spent adds up; a job that is complete, running or unknown is refused (exit 2)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path

import pytest
from PIL import Image

from app.cli import main
from app.core.metadata import read_metadata
from app.core.plan import plan_generation
from app.core.request import ImageRequest
from app.core.spec_json import spec_to_dict
from app.engine.errors import UnreachableError
from app.engine.service import ImageFailed
from app.jobs.resume import ResumeRefused, plan_resume, resume_job
from app.jobs.run import JobRunner, add_usage, merge_usage
from app.store.library import Library
from app.store.paths import HOME_VARIABLE, StudioPaths
from tests import fake_service as fake
from tests.test_disk_full import KEY, TEA, fill_disk
from tests.test_job_runner import SPEC, USAGE, ScriptedService, completed


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> StudioPaths:
    monkeypatch.setenv(HOME_VARIABLE, str(tmp_path / "home"))
    return StudioPaths.from_environment()


def _failed_job_with_gaps(library: Library) -> str:
    """A job of n=4 that kept images 0 and 2 before the connection dropped."""
    plan = plan_generation(dataclasses.replace(SPEC, n=4), stream=True)
    drop = ImageFailed(UnreachableError("The connection dropped."))
    runner = JobRunner(service=ScriptedService([completed(0), drop]), library=library,
                       engine_label="remote:example.com")  # fmt: skip
    outcome = asyncio.run(runner.run(plan, spec_json=spec_to_dict(SPEC)))
    # Image 2 arrived in an earlier resume that was cut short as well.
    library.reopen_job(outcome.job_id)
    library.add_image(outcome.job_id, 2, b"third", width=8, height=8, output_format="png")
    library.fail_job(outcome.job_id, "dropped again")
    return outcome.job_id


def test_only_the_missing_images_are_asked_for_and_take_their_indexes(paths: StudioPaths) -> None:
    with Library.open(paths) as library:
        job_id = _failed_job_with_gaps(library)
        before = library.job(job_id)
        assert before is not None and before.actual_usd is not None
        resumption = plan_resume(library, job_id[:8])
        assert resumption.missing == (1, 3)
        assert resumption.request == dataclasses.replace(before.request, n=2)
        service = ScriptedService([completed(0, "#112233"), completed(1, "#445566")])
        runner = JobRunner(service=service, library=library, engine_label="remote:example.com")
        outcome = asyncio.run(resume_job(runner, resumption))

        assert service.requests == [resumption.request]
        assert [image.index for image in outcome.images] == [1, 3]
        job = library.job(job_id)
        images = library.images(job_id)
    assert job is not None and job.status == "done" and job.error_message is None
    assert [image.index_in_job for image in images] == [0, 1, 2, 3]
    payload = read_metadata(images[3].path.read_bytes())
    assert payload is not None and payload["job_id"] == job_id
    # Both runs were billed: input once per request, every image's output.
    new_usage = merge_usage([USAGE, {**USAGE, "input_tokens": 0}])
    assert job.usage == add_usage(before.usage, new_usage)
    assert job.actual_usd == pytest.approx(before.actual_usd + (outcome.actual_usd or 0))
    assert outcome.actual_usd is not None and outcome.actual_usd > 0


def test_jobs_that_cannot_be_resumed_say_why(paths: StudioPaths, tmp_path: Path) -> None:
    request = ImageRequest(kind="generate", prompt="p", n=2)
    with Library.open(paths) as library:
        with pytest.raises(ResumeRefused, match="there is no job 'abc'"):
            plan_resume(library, "abc")
        done = library.create_job(kind="generate", request=request, engine="local")
        library.finish_job(done, None, None)
        with pytest.raises(ResumeRefused, match="is complete"):
            plan_resume(library, done)
        running = library.create_job(kind="generate", request=request, engine="local")
        library.mark_running(running)
        with pytest.raises(ResumeRefused, match="still running"):
            plan_resume(library, running)
        source = tmp_path / "gone.png"
        Image.new("RGB", (64, 64)).save(source)
        edit = ImageRequest(kind="edit", prompt="p", images=(str(source),))
        orphan = library.create_job(kind="edit", request=edit, engine="local")
        library.fail_job(orphan, "dropped")
        source.unlink()
        with pytest.raises(ResumeRefused, match=r"gone\.png cannot be read"):
            plan_resume(library, orphan)


def test_resume_on_the_command_line_finishes_a_job_the_disk_stopped(
    paths: StudioPaths, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with monkeypatch.context() as full:
        fill_disk(full, paths.images_dir, good_writes=1)
        assert main(["generate", "--engine", "local", *TEA, "-n", "3"]) == 4
    capsys.readouterr()
    with Library.open(paths) as library:
        (job,) = library.jobs()

    assert main(["resume", job.id[:8], "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["index"] for line in lines if "index" in line] == [1, 2]
    assert lines[-1]["summary"]["images"] == 2
    with Library.open(paths) as library:
        after = library.job(job.id)
        images = library.images(job.id)
    assert after is not None and after.status == "done"
    assert [image.index_in_job for image in images] == [0, 1, 2]
    assert all(image.path.is_file() for image in images)

    assert main(["resume", job.id]) == 2
    assert "is complete: its 3 image(s) are in the library" in capsys.readouterr().err
    assert main(["resume", "0123456789abcdef"]) == 2
    assert "there is no job" in capsys.readouterr().err


def test_resume_of_a_billed_job_asks_the_service_for_the_rest_only(
    paths: StudioPaths, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with fake.fake_service([fake.CUT_SHORT]) as service:
        common = ["--base-url", service.base_url, "--max-retries", "0"]
        assert main(["generate", *TEA, "-n", "2", *common]) == 4
        capsys.readouterr()
        with Library.open(paths) as library:
            (job,) = library.jobs()
            assert len(library.images(job.id)) == 1
        assert main(["resume", job.id, *common]) == 0
    out = capsys.readouterr().out
    assert service.requests[1]["body"]["n"] == 1
    assert service.requests[1]["body"]["prompt"] == service.requests[0]["body"]["prompt"]
    assert out.splitlines()[-1].startswith(f"job {job.id[:8]}: 1 image(s); estimated $")
    with Library.open(paths) as library:
        after = library.job(job.id)
        assert after is not None and after.status == "done"
        assert [image.index_in_job for image in library.images(job.id)] == [0, 1]
    assert job.actual_usd is not None and after.actual_usd is not None
    assert after.actual_usd > job.actual_usd
