"""Every fault mode of the embedded engine, by name, as a user meets it.

In process, each mode answers every request of a job (``FaultPlan(always=...)``) with one retry
allowed: the test sees whether the SDK retried, what was kept and how the job ended. Through
``zi-studio serve-local --fault MODE:once`` (all modes queued on one server) and the real
``generate`` command: the exit code and the one line the user reads.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2
import pytest
from PySide6.QtWidgets import QApplication

from app.cli import main
from app.core.plan import plan_generation
from app.core.spec import Spec, TextBlock
from app.core.spec_json import spec_to_dict
from app.engine.local import FaultPlan, create_app
from app.engine.local.faults import (
    FAULT_MODES,
    FaultOptionError,
    fault_plan_from_options,
)
from app.engine.service import OpenAIImageService, ServiceOptions
from app.engine.transport import LOCAL_BASE_URL, StreamingASGITransport
from app.jobs.run import JobOutcome, JobRunner
from app.store.library import Library
from app.store.paths import HOME_VARIABLE, StudioPaths

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[1]
SPEC = Spec(
    description="Tea box", texts=(TextBlock("headline", "有机绿茶"),), n=2, size="1024x1024"
)


@dataclass(frozen=True)
class Expected:
    exit_code: int
    words: str  # in the one line the user reads
    retried: bool
    kept: int  # images kept of the 2 asked for
    status: str


EXPECTED = {
    "rate-limit": Expected(3, "rate-limiting requests", True, 0, "failed"),
    "server-error": Expected(4, "The service failed (500) after retries", True, 0, "failed"),
    "bad-gateway": Expected(4, "The service failed (502) after retries", True, 0, "failed"),
    "unavailable": Expected(4, "The service failed (503) after retries", True, 0, "failed"),
    "slow": Expected(4, "did not answer in time", True, 0, "failed"),
    "drop": Expected(4, "connection dropped", False, 1, "failed"),
    "stream-cut": Expected(4, "The stream ended after 1 of 2 images", False, 1, "failed"),
    "malformed-json": Expected(4, "not valid JSON", False, 0, "failed"),
    "bad-base64": Expected(4, "not valid base64", False, 0, "failed"),
    "moderation-input": Expected(3, "blocked the prompt", False, 0, "failed"),
    "moderation-output": Expected(3, "blocked the image it made", False, 0, "failed"),
    "unauthorized": Expected(3, "refused the API key (401)", False, 0, "failed"),
    "too-large": Expected(3, "refused the request (413)", False, 0, "failed"),
    "plain-json": Expected(0, "", False, 2, "done"),
}


@pytest.fixture(autouse=True)
def _qt(qapp: QApplication) -> None:
    """The engine draws with Qt: a QApplication exists first."""


def test_the_table_covers_every_mode_and_help_lists_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert set(EXPECTED) == set(FAULT_MODES)
    with pytest.raises(SystemExit):
        main(["serve-local", "--help"])
    listed = capsys.readouterr().out
    for name, mode in FAULT_MODES.items():
        assert re.search(rf"^  {name} +{re.escape(mode.help)}$", listed, re.MULTILINE), name


def test_fault_options_queue_once_faults_then_the_lasting_one() -> None:
    plan = fault_plan_from_options(["rate-limit:once", "unavailable", "bad-base64:once"])
    taken = [plan.take() for _ in range(4)]
    assert [fault.kind if fault else None for fault in taken] == [
        "rate_limit", "bad_base64", "server_error", "server_error",
    ]  # fmt: skip
    assert taken[2] is not None and taken[2].status == 503
    with pytest.raises(FaultOptionError, match="no such mode; choose one of rate-limit"):
        fault_plan_from_options(["teapot"])
    with pytest.raises(FaultOptionError, match="only one mode"):
        fault_plan_from_options(["drop", "slow"])
    assert fault_plan_from_options([]).take() is None


def _run_job(mode: str, home: Path) -> tuple[JobOutcome, FaultPlan, Library]:
    faults = FaultPlan(always=FAULT_MODES[mode].make())
    library = Library.open(StudioPaths.under(home))

    async def run() -> JobOutcome:
        client = httpx2.AsyncClient(transport=StreamingASGITransport(create_app(faults=faults)))
        options = ServiceOptions(
            api_key="local", base_url=LOCAL_BASE_URL, timeout=1.0, max_retries=1
        )
        service = OpenAIImageService(options, http_client=client)
        runner = JobRunner(service=service, library=library, engine_label="local", billed=False)
        try:
            return await runner.run(
                plan_generation(SPEC, stream=True), spec_json=spec_to_dict(SPEC)
            )
        finally:
            await service.close()

    return asyncio.run(run()), faults, library


@pytest.mark.parametrize("mode", list(FAULT_MODES))
def test_each_mode_in_process(mode: str, tmp_path: Path) -> None:
    expected = EXPECTED[mode]
    outcome, faults, library = _run_job(mode, tmp_path)
    try:
        job = library.job(outcome.job_id)
        kept = library.images(outcome.job_id)
    finally:
        library.close()
    assert (faults.requests == 2) is expected.retried
    assert len(outcome.images) == len(kept) == expected.kept
    assert all(image.path.is_file() for image in kept)
    assert job is not None and job.status == expected.status
    if expected.exit_code:
        assert outcome.error is not None and expected.words in outcome.error.message
    else:
        assert outcome.error is None


@pytest.fixture(scope="module")
def faulty_server() -> Iterator[str]:
    """One ``serve-local`` with every mode queued once, in the table's order."""
    faults = [option for name in FAULT_MODES for option in ("--fault", f"{name}:once")]
    command = [sys.executable, "-m", "app.cli", "serve-local", "--port", "0", *faults]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.fullmatch(r"serving on (http://127\.0\.0\.1:\d+/v1)\n", line)
        assert match, line
        try:
            yield match.group(1)
        finally:
            process.send_signal(signal.SIGTERM)
            _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert "Traceback" not in err


@pytest.mark.slow
def test_each_mode_through_serve_local_and_the_command_line(
    faulty_server: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(HOME_VARIABLE, str(tmp_path))
    seen: dict[str, tuple[int, str]] = {}
    for mode in FAULT_MODES:  # each run takes the next queued fault: no retries
        code = main(["generate", "--text", "headline=有机绿茶", "--description", "Tea box",
                     "--size", "1024x1024", "-n", "2", "--base-url", faulty_server,
                     "--max-retries", "0", "--timeout", "3"])  # fmt: skip
        err = capsys.readouterr().err
        seen[mode] = (code, err)
    for mode, (code, err) in seen.items():
        expected = EXPECTED[mode]
        assert code == expected.exit_code, (mode, err)
        assert "Traceback" not in err
        lines = err.splitlines()
        assert len(lines) == (1 if expected.exit_code else 0), (mode, err)
        assert expected.words in err, (mode, err)
    with Library.open(StudioPaths.under(tmp_path)) as library:
        jobs = list(reversed(library.jobs()))
        assert [job.status for job in jobs] == [EXPECTED[mode].status for mode in FAULT_MODES]
        kept = [len(library.images(job.id)) for job in jobs]
    assert kept == [EXPECTED[mode].kept for mode in FAULT_MODES]
