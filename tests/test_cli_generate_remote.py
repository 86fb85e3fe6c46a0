"""``zi-studio generate`` against a scripted service: exit codes, messages, the key kept secret."""

from __future__ import annotations

import base64
import io
import json
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from app.core.metadata import read_metadata
from app.store.library import Library
from app.store.paths import StudioPaths
from tests import fake_service as fake
from tests.cli_process import run_cli

KEY = "sk-test-secret-0123456789"


def generate(home: Path, base_url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_cli(
        home, "generate", "--base-url", base_url, "--text", "headline=有机绿茶", "--size",
        "1024x1024", "--quality", "low", "--max-retries", "1", "--timeout", "30", *extra,
        key=KEY, timeout=120,
    )  # fmt: skip


def assert_key_nowhere(home: Path, result: subprocess.CompletedProcess[str]) -> None:
    assert KEY not in result.stdout + result.stderr
    assert "0123456789" not in result.stdout + result.stderr
    for path in home.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_images_are_kept_and_written_out(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with fake.fake_service([]) as service:
        result = generate(
            tmp_path / "home", service.base_url, "-n", "2", "--out", str(out), "--json"
        )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    images = [line for line in lines if "index" in line]
    assert [image["index"] for image in images] == [0, 1]
    for image in images:
        path = Path(image["path"])
        assert path.parent == out
        assert Path(image["library_path"]).is_file()
        assert (image["width"], image["height"]) == (1024, 1024)
        assert image["estimated_usd"] > 0
        metadata = read_metadata(path.read_bytes())
        assert metadata is not None
        assert metadata["spec"]["texts"][0]["text"] == "有机绿茶"
        assert metadata["job_id"] == image["job_id"]
    summary = lines[-1]["summary"]
    assert summary["images"] == 2
    # Input once, output of both images (each completed event reports its own output).
    assert summary["actual_usd"] == pytest.approx(50 * 5e-6 + 2 * 196 * 30e-6)
    assert_key_nowhere(tmp_path / "home", result)
    assert service.requests[0]["body"]["stream"] is True


def test_out_never_overwrites(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with fake.fake_service([]) as service:
        first = generate(tmp_path / "home", service.base_url, "--out", str(out))
        second = generate(tmp_path / "home", service.base_url, "--out", str(out))
    assert first.returncode == second.returncode == 0
    assert len(list(out.iterdir())) == 2


def test_rate_limit_then_success(tmp_path: Path) -> None:
    with fake.fake_service([fake.RATE_LIMITED]) as service:
        result = generate(tmp_path, service.base_url)
    assert result.returncode == 0, result.stderr
    assert len(service.requests) == 2


@pytest.mark.parametrize(
    ("script", "code", "words"),
    [
        ([fake.RATE_LIMITED, fake.RATE_LIMITED], 3, "rate-limiting"),
        ([fake.SERVER_ERROR, fake.SERVER_ERROR], 4, "failed (500)"),
        ([fake.MODERATION], 3, "safety system blocked the prompt"),
        ([fake.UNAUTHORIZED], 3, "refused the API key"),
        ([fake.MALFORMED_JSON], 4, "not valid JSON"),
        ([fake.INVALID_BASE64], 4, "not valid base64"),
        ([fake.CUT_SHORT, fake.CUT_SHORT], 4, "connection dropped"),
        ([fake.Answer(400, fake.error_body("Invalid size", param="size"))], 3, "Invalid size"),
    ],
)
def test_failures_exit_with_one_clear_line(
    tmp_path: Path, script: list[fake.Answer], code: int, words: str
) -> None:
    with fake.fake_service(script) as service:
        result = generate(tmp_path, service.base_url)
    assert result.returncode == code, result.stderr
    assert words in result.stderr
    error_lines = [line for line in result.stderr.splitlines() if "warning" not in line]
    assert len(error_lines) == 1
    assert "Traceback" not in result.stderr
    assert_key_nowhere(tmp_path, result)


def test_nothing_listening_is_exit_4(tmp_path: Path) -> None:
    result = generate(tmp_path, "http://127.0.0.1:9/v1", "--max-retries", "0")
    assert result.returncode == 4
    assert "Cannot reach" in result.stderr


def test_transparent_refused_falls_back_to_a_key_colour(tmp_path: Path) -> None:
    refusal = fake.Answer(
        400, fake.error_body("Transparent background is not supported.", param="background")
    )
    magenta = fake.image_body()
    backdrop = fake.png_bytes(color="#FF00FF")
    magenta["data"] = [{"b64_json": base64.b64encode(backdrop).decode()}]
    with fake.fake_service([refusal, fake.Answer(200, magenta)]) as service:
        result = generate(tmp_path, service.base_url, "--background", "transparent", "--json")
    assert result.returncode == 0, result.stderr
    assert "removed it locally" in result.stderr
    assert service.requests[1]["body"]["background"] == "opaque"
    assert "#FF00FF" in service.requests[1]["body"]["prompt"]
    path = Path(json.loads(result.stdout.splitlines()[0])["path"])
    with Image.open(path) as image:
        assert image.mode == "RGBA"
        assert image.getchannel("A").getpixel((10, 10)) == 0


def test_spending_cap_stops_before_sending(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    settings = {"version": 1, "values": {"spending_cap_usd": 0.01}}
    (home / "config" / "settings.json").write_text(json.dumps(settings), "utf-8")
    with fake.fake_service([]) as service:
        result = generate(home, service.base_url, "--quality", "high")
    assert result.returncode == 2
    assert "spending cap" in result.stderr
    assert service.requests == []


def test_http_base_url_off_this_machine_is_refused(tmp_path: Path) -> None:
    result = generate(tmp_path, "http://example.com/v1")
    assert result.returncode == 2
    assert "https" in result.stderr


def test_an_answer_in_another_format_is_exit_4_and_keeps_what_came_before(tmp_path: Path) -> None:
    body = fake.image_body(n=2)
    gif = io.BytesIO()
    Image.new("RGB", (1024, 1024), "#c0d8c0").save(gif, "GIF")
    body["data"][1] = {"b64_json": base64.b64encode(gif.getvalue()).decode()}
    with fake.fake_service([fake.Answer(200, body)]) as service:
        result = generate(tmp_path, service.base_url, "-n", "2", "--json")
    assert result.returncode == 4, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "zi-studio: The service sent a GIF image, not PNG, WebP or JPEG: the images received "
        "before it are kept. Try again, or use another service."
    ]
    with Library.open(StudioPaths.under(tmp_path)) as library:
        (job,) = library.jobs()
        kept = library.images(job.id)
    assert job.status == "failed"
    assert [image.index_in_job for image in kept] == [0]
    assert kept[0].path.is_file()
