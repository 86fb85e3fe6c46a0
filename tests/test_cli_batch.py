"""``zi-studio batch`` as users run it, on the embedded engine: rows made directly and through the
Batch API (``/v1/files``, ``/v1/batches``), a batch stopped and resumed, bad tables refused."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.cli_process import COMMAND, cli_env, run_cli
from tests.openai_schemas import unknown_keys, validate

SPEC = {
    "version": 1,
    "description": "A product card for {name} on a white table",
    "texts": [{"role": "headline", "text": "{name}"}, {"role": "price", "text": "¥{price}"}],
    "size": "1024x1024",
    "quality": "low",
    "n": 2,
}
ROWS = 'name,price\n有机绿茶,39\n乌龙茶,59\n红茶,"1,299"\n'
EXPECTED = {0: ["有机绿茶", "¥39"], 1: ["乌龙茶", "¥59"], 2: ["红茶", "¥1,299"]}


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    spec = tmp_path / "card.json"
    spec.write_text(json.dumps(SPEC, ensure_ascii=False), "utf-8")
    rows = tmp_path / "rows.csv"
    rows.write_text(ROWS, "utf-8")
    return spec, rows


def _images(stdout: str) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    return [line for line in lines if "job_id" in line]


def _texts_of(path: str) -> list[str]:
    """The exact texts the image's embedded spec carries (what the engine was asked to set)."""
    from app.core.metadata import read_metadata

    payload = read_metadata(Path(path).read_bytes())
    assert payload is not None
    return [block["text"] for block in payload["spec"]["texts"]]


def _check_rows(images: list[dict[str, Any]]) -> None:
    assert len(images) == 6
    by_row: dict[int, list[dict[str, Any]]] = {}
    for image in images:
        by_row.setdefault(image["row"], []).append(image)
    assert sorted(by_row) == [0, 1, 2]
    for row, found in by_row.items():
        assert sorted(image["index"] for image in found) == [0, 1]
        assert len({image["job_id"] for image in found}) == 1
        for image in found:
            assert _texts_of(image["path"]) == EXPECTED[row]
            assert (image["width"], image["height"]) == (1024, 1024)


def test_three_rows_times_two_make_six_images_with_each_rows_text_exact(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    spec, rows = files
    home = tmp_path / "home"
    done = run_cli(home, "batch", str(spec), "--rows", str(rows), "--json", "--concurrency", "3")
    assert done.returncode == 0, done.stderr
    images = _images(done.stdout)
    _check_rows(images)
    assert "3/3 done, 0 running, 0 failed" in done.stderr
    # The text read back from the pixels is the row's, exactly (one image of each row).
    for row in range(3):
        path = next(image["path"] for image in images if image["row"] == row)
        checked = run_cli(home, "check", path, "--json")
        assert checked.returncode == 0, checked.stderr
        assert json.loads(checked.stdout)["exact"] is True


def _uploaded_lines(home: Path) -> list[dict[str, Any]]:
    files_dir = home / "data" / "local-batches" / "files"
    lines = []
    for info in files_dir.glob("*.json"):
        if json.loads(info.read_text())["purpose"] == "batch":
            data = info.with_suffix(".data").read_bytes()
            lines += [json.loads(raw) for raw in data.splitlines()]
    return lines


def test_via_batch_gives_the_same_through_files_and_batches(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    spec, rows = files
    home = tmp_path / "home"
    done = run_cli(home, "batch", str(spec), "--rows", str(rows), "--via", "batch", "--json")
    assert done.returncode == 0, done.stderr
    first = json.loads(done.stdout.splitlines()[0])
    assert re.fullmatch(r"batch_[0-9a-f]{24}", first["batch"]) and first["requests"] == 3
    _check_rows(_images(done.stdout))
    assert "completed, 3/3 done, 0 failed" in done.stderr
    uploaded = _uploaded_lines(home)
    assert len(uploaded) == 3
    job_ids = {image["job_id"] for image in _images(done.stdout)}
    assert {line["custom_id"] for line in uploaded} == job_ids
    for line in uploaded:
        body = dict(line["body"])
        assert "zi_spec" in body  # the studio's own engine only (CONTRACTS §3)
        del body["zi_spec"]
        validate("CreateImageRequest", body)
        assert unknown_keys("CreateImageRequest", body) == set()


def test_via_batch_a_spec_with_a_reference_uploads_it_once_and_sends_edit_lines(
    tmp_path: Path,
) -> None:
    from PIL import Image

    Image.new("RGB", (640, 640), "#c0a080").save(tmp_path / "bottle.png")
    spec = tmp_path / "card.json"
    with_reference = {**SPEC, "n": 1, "references": ["bottle.png"]}
    spec.write_text(json.dumps(with_reference, ensure_ascii=False), "utf-8")
    rows = tmp_path / "rows.csv"
    rows.write_text("name,price\n有机绿茶,39\n乌龙茶,59\n", "utf-8")
    home = tmp_path / "home"
    done = run_cli(home, "batch", str(spec), "--rows", str(rows), "--via", "batch", "--json")
    assert done.returncode == 0, done.stderr
    images = _images(done.stdout)
    assert sorted(image["row"] for image in images) == [0, 1]
    for image in images:
        assert _texts_of(image["path"]) == EXPECTED[image["row"]]
        assert (image["width"], image["height"]) == (1024, 1024)
    # The reference went up once, as an image; both rows' lines name it by its file id.
    files_dir = home / "data" / "local-batches" / "files"
    infos = [json.loads(info.read_text()) for info in files_dir.glob("*.json")]
    (reference,) = [info for info in infos if info["purpose"] == "vision"]
    uploaded = _uploaded_lines(home)
    assert len(uploaded) == 2
    for line in uploaded:
        assert (line["method"], line["url"]) == ("POST", "/v1/images/edits")
        body = dict(line["body"])
        assert body["images"] == [{"file_id": reference["id"]}]
        assert "zi_spec" in body
        del body["zi_spec"]
        validate("EditImageBodyJsonParam", body)
        assert unknown_keys("EditImageBodyJsonParam", body) == set()
    jobs = {image["job_id"] for image in images}
    assert {line["custom_id"] for line in uploaded} == jobs


def test_a_stopped_batch_command_finishes_with_resume_and_loses_nothing(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    spec, rows = files
    home = tmp_path / "home"
    command = [*COMMAND, "batch", str(spec), "--rows", str(rows), "--via", "batch"]
    with subprocess.Popen(
        command, env=cli_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.fullmatch(r"batch (batch_[0-9a-f]{24})\n", line)
        assert match, line
        os.kill(process.pid, signal.SIGKILL)  # no chance to clean up
        process.communicate(timeout=30)
    batch_id = match.group(1)
    # Killed before the results were collected: the batch is in the library, no image yet.
    assert run_cli(home, "library", "--json").stdout == ""

    resumed = run_cli(home, "batch", "--resume", batch_id, "--json")
    assert resumed.returncode == 0, resumed.stderr
    _check_rows(_images(resumed.stdout))
    after = [json.loads(x) for x in run_cli(home, "library", "--json").stdout.splitlines()]
    assert len(after) == 6 and len({image["path"] for image in after}) == 6

    again = run_cli(home, "batch", "--resume", batch_id)
    assert again.returncode == 2 and "already done" in again.stderr


def test_rows_over_the_file_limit_are_split_into_several_batches(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    spec, rows = files
    home = tmp_path / "home"
    settings = home / "config" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"version": 2, "values": {"batch_max_requests": 2}}))
    done = run_cli(home, "batch", str(spec), "--rows", str(rows), "--via", "batch", "--json")
    assert done.returncode == 0, done.stderr
    batches = [json.loads(x) for x in done.stdout.splitlines() if x.startswith('{"batch"')]
    assert [batch["requests"] for batch in batches] == [2, 1]
    _check_rows(_images(done.stdout))


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ("name\n绿茶\n".encode(), r"uses \{price\}, but rows.csv has no such column"),
        ("name,price\n绿茶,39\n".encode("gbk"), r"rows.csv line 2: not UTF-8 text"),
        (b"", r"rows.csv is empty"),
        ("name,price\n绿茶,39\n红茶,\n".encode(), r"row 1 \(line 3 of rows.csv\): texts\[1\]"),
    ],
)
def test_a_bad_table_is_refused_naming_the_row_or_column_and_nothing_is_sent(
    tmp_path: Path, files: tuple[Path, Path], table: bytes, expected: str
) -> None:
    spec, rows = files
    rows.write_bytes(table)
    home = tmp_path / "home"
    refused = run_cli(home, "batch", str(spec), "--rows", str(rows), "--via", "batch")
    assert refused.returncode == 2
    assert re.search(expected, refused.stderr), refused.stderr
    assert "Traceback" not in refused.stderr and refused.stdout == ""
    assert run_cli(home, "library", "--json").stdout == ""


def test_bad_rows_can_be_skipped(tmp_path: Path, files: tuple[Path, Path]) -> None:
    spec, rows = files
    rows.write_text("name,price\n绿茶,39\n红茶,\n", "utf-8")
    home = tmp_path / "home"
    done = run_cli(home, "batch", str(spec), "--rows", str(rows), "--skip-bad-rows", "--json")
    assert done.returncode == 0, done.stderr
    assert "left out: row 1" in done.stderr
    assert {image["row"] for image in _images(done.stdout)} == {0}


def _serve_with_faults(home: Path, *faults: str) -> subprocess.Popen[str]:
    command = [*COMMAND, "serve-local", "--port", "0", *(f"--fault={f}" for f in faults)]
    return subprocess.Popen(
        command, env=cli_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_a_failed_row_of_a_batch_is_reported_and_retried_alone(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    spec, rows = files
    home = tmp_path / "home"
    with _serve_with_faults(tmp_path / "server", "server-error:once") as server:
        assert server.stdout is not None
        url = server.stdout.readline().split()[-1]
        try:
            done = run_cli(
                home, "batch", str(spec), "--rows", str(rows), "--via", "batch", "--json",
                "--base-url", url, "--max-retries", "0",
            )  # fmt: skip
            assert done.returncode == 3, done.stderr
            images = _images(done.stdout)
            assert len(images) == 4
            # Billed at half price: each job's actual cost (on its first image) is half of what
            # the same usage costs directly.
            from app.core.cost import actual_cost

            for image in images:
                if image["index"] == 0:
                    direct = actual_cost("gpt-image-2", image["usage"])
                    assert direct is not None
                    assert image["actual_usd"] == pytest.approx(direct / 2)
            failed = re.search(r"row (\d) \(job ([0-9a-f]{8})\): The service refused this row: "
                               r"\(500\)", done.stderr)  # fmt: skip
            assert failed, done.stderr
            row, job = int(failed.group(1)), failed.group(2)
            assert row not in {image["row"] for image in images}
            retried = run_cli(home, "resume", job, "--json", "--base-url", url)
            assert retried.returncode == 0, retried.stderr
            again = [json.loads(x) for x in retried.stdout.splitlines() if '"index"' in x]
            assert sorted(image["index"] for image in again) == [0, 1]
            assert {image["job_id"][:8] for image in again} == {job}
        finally:
            server.send_signal(signal.SIGTERM)
            server.communicate(timeout=30)
    library = [json.loads(x) for x in run_cli(home, "library", "--json").stdout.splitlines()]
    assert len(library) == 6


def test_the_progress_line_says_when_a_batch_completes_with_the_same_counts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The last poll often changes only the status: that line is the one saying it is over."""
    from app.cli.batch_making import BatchProgress
    from app.engine.batch_client import BatchState

    progress = BatchProgress("batch_1")
    for status, completed in [("in_progress", 2), ("in_progress", 3), ("in_progress", 3),
                              ("completed", 3)]:  # fmt: skip
        progress(BatchState("batch_1", status, "file_1", total=3, completed=completed))
    assert capsys.readouterr().err.splitlines() == [
        "zi-studio: batch batch_1: in_progress, 2/3 done, 0 failed",
        "zi-studio: batch batch_1: in_progress, 3/3 done, 0 failed",
        "zi-studio: batch batch_1: completed, 3/3 done, 0 failed",
    ]
