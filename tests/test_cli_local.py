"""The main job on the embedded engine and on ``serve-local``: compose, generate, edit, keep."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from app.core.compiler import parse_prompt
from app.core.metadata import read_metadata
from app.store.library import Library
from app.store.paths import StudioPaths
from tests.cli_process import COMMAND, cli_env, run_cli
from tests.local_server import serve_local

TEA = ("--description", "Minimal premium tea packaging on a white studio table",
       "--text", "headline=有机绿茶", "--text", "subhead=100g 无添加")  # fmt: skip


def images_of(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    return [line for line in lines if "index" in line]


def test_generate_on_the_embedded_engine_without_a_key(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli(tmp_path / "home", "generate", *TEA, "--ratio", "3:4", "-n", "2",
                     "--out", str(out), "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "using the embedded local engine" in result.stderr
    images = images_of(result)
    assert len(images) == 2
    for image in images:
        assert (image["width"], image["height"]) == (768, 1024)
        assert image["width"] % 16 == 0 and image["height"] % 16 == 0
        assert image["actual_usd"] == 0
        with Image.open(image["path"]) as picture:
            assert picture.size == (768, 1024)
            assert picture.format == "PNG"
        spec = read_metadata(Path(image["path"]).read_bytes())
        assert spec is not None
        assert [t["text"] for t in spec["spec"]["texts"]] == ["有机绿茶", "100g 无添加"]
    with Library.open(StudioPaths.under(tmp_path / "home")) as library:
        (job,) = library.jobs()
        assert job.status == "done" and job.engine == "local"
        texts = [block.text for block in parse_prompt(job.request.prompt).blocks]
        assert texts == ["有机绿茶", "100g 无添加"]
        assert len(library.images(job.id)) == 2
    # The two variations differ.
    assert Path(images[0]["path"]).read_bytes() != Path(images[1]["path"]).read_bytes()


def test_transparent_background_gives_transparent_pixels(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "generate", *TEA, "--ratio", "1:1", "--background",
                     "transparent", "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    with Image.open(images_of(result)[0]["path"]) as picture:
        alpha = picture.getchannel("A")
        assert alpha.getextrema() == (0, 255)  # clear backdrop, opaque text
        assert alpha.getpixel((2, 2)) == 0


def test_edit_keeps_the_exact_texts_and_hangs_under_its_parent(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = images_of(run_cli(home, "generate", *TEA, "--size", "1024x1024", "--json"))[0]
    mask = tmp_path / "mask.png"
    editable = Image.new("RGBA", (1024, 1024), (0, 0, 0, 255))
    editable.paste((0, 0, 0, 0), (0, 700, 1024, 1024))
    editable.save(mask)
    result = run_cli(home, "edit", first["path"], "--instruction", "Make the table dark walnut",
                     "--mask", str(mask), "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    (edited,) = images_of(result)
    assert (edited["width"], edited["height"]) == (1024, 1024)
    with Library.open(StudioPaths.under(home)) as library:
        job = library.jobs()[0]
        assert job.kind == "edit"
        assert job.request.prompt.startswith("Make the table dark walnut.")
        assert [b.text for b in parse_prompt(job.request.prompt).blocks] == [
            "有机绿茶", "100g 无添加",
        ]  # fmt: skip
        record = library.image(library.images(job.id)[0].id)
        assert record is not None
        assert record.parent_image_id == library.images(first["job_id"])[0].id


def test_an_edit_that_replaces_a_text_keeps_the_new_one_and_reads_back_exact(
    tmp_path: Path,
) -> None:
    """Typed as designers write it: the edited image carries (and requires) the new text, not
    the old, and the check of the image against its own spec reads it back exactly."""
    home = tmp_path / "home"
    first = images_of(run_cli(home, "generate", *TEA, "--size", "1024x1024", "--json"))[0]
    result = run_cli(home, "edit", first["path"], "--instruction", "把“有机绿茶”改成“明前龙井”",
                     "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    (edited,) = images_of(result)
    carried = read_metadata(Path(edited["path"]).read_bytes())
    assert carried is not None
    assert [t["text"] for t in carried["spec"]["texts"]] == ["明前龙井", "100g 无添加"]
    with Library.open(StudioPaths.under(home)) as library:
        prompt = library.jobs()[0].request.prompt
        assert prompt.startswith("把“有机绿茶”改成“明前龙井”. Replace the headline text “有机绿茶”")
        assert [b.text for b in parse_prompt(prompt).blocks] == ["明前龙井", "100g 无添加"]
    checked = run_cli(home, "check", edited["path"], "--json")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert json.loads(checked.stdout)["exact"] is True


@pytest.mark.parametrize(
    ("make_input", "words"),
    [
        (lambda p: p.write_text("not an image"), "not an image this studio can read"),
        (lambda p: Image.new("RGB", (64, 64)).save(p, "BMP"), "BMP images are not accepted"),
        (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64), "not an image"),
        (lambda p: p.mkdir(), "is a folder"),
    ],
)
def test_bad_edit_inputs_are_refused_before_sending(
    tmp_path: Path, make_input: Any, words: str
) -> None:
    path = tmp_path / "input.png"
    make_input(path)
    result = run_cli(tmp_path, "edit", str(path), "--instruction", "x")
    assert result.returncode == 2
    assert words in result.stderr
    assert result.stderr.count("\n") == 1


def test_mask_of_another_size_is_refused(tmp_path: Path) -> None:
    image, mask = tmp_path / "a.png", tmp_path / "m.png"
    Image.new("RGB", (1024, 1024)).save(image)
    Image.new("RGBA", (512, 512)).save(mask)
    result = run_cli(tmp_path, "edit", str(image), "--instruction", "x", "--mask", str(mask))
    assert result.returncode == 2
    assert "the mask must be the same size" in result.stderr


def test_generate_through_serve_local(tmp_path: Path) -> None:
    with serve_local() as base_url:
        result = run_cli(tmp_path, "generate", *TEA, "--ratio", "16:9", "-n", "2",
                         "--base-url", base_url, "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "local engine" not in result.stderr
    assert [(i["width"], i["height"]) for i in images_of(result)] == [(1088, 608)] * 2
    with Library.open(StudioPaths.under(tmp_path)) as library:
        assert library.jobs()[0].engine.startswith("remote:127.0.0.1:")


def test_a_server_that_went_away_is_exit_4(tmp_path: Path) -> None:
    with serve_local() as base_url:
        pass
    result = run_cli(tmp_path, "generate", *TEA, "--base-url", base_url, "--max-retries", "0")
    assert result.returncode == 4
    assert "Cannot reach the image service" in result.stderr
    with Library.open(StudioPaths.under(tmp_path)) as library:
        (job,) = library.jobs()
        assert job.status == "failed"
        assert job.error_message is not None and "Cannot reach" in job.error_message


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_interrupting_keeps_what_arrived_and_exits_130(tmp_path: Path, signal_number: int) -> None:
    """Ctrl+C and SIGTERM take the same path, wherever in the stream they land (several runs)."""
    command = [*COMMAND, "generate", *TEA, "-n", "10", "--json"]
    firsts: list[str] = []
    for run in range(3):
        with subprocess.Popen(
            command, env=cli_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        ) as process:  # fmt: skip
            assert process.stdout is not None and process.stderr is not None
            firsts.append(json.loads(process.stdout.readline())["library_path"])
            time.sleep(0.1 * run)  # then often just as the next image arrives
            process.send_signal(signal_number)
            _, err = process.communicate(timeout=60)
        assert process.returncode == 130, err
        assert err.splitlines()[-1] == "zi-studio: cancelled; images received so far are kept"
        assert "Traceback" not in err
    with Library.open(StudioPaths.under(tmp_path)) as library:
        jobs = library.jobs()
        assert [job.status for job in jobs] == ["cancelled"] * 3
        kept = [library.images(job.id) for job in jobs]
        recorded = {image.path for image in library.images()}
    assert all(1 <= len(images) < 10 for images in kept)
    assert set(firsts) <= {str(path) for path in recorded}
    on_disk = {path for path in StudioPaths.under(tmp_path).images_dir.rglob("*") if path.is_file()}
    assert on_disk == recorded  # nothing half-saved or unrecorded


def test_generate_with_references_sends_an_edit(tmp_path: Path) -> None:
    reference = tmp_path / "bottle.png"
    Image.new("RGB", (800, 600), "#88aa88").save(reference)
    result = run_cli(tmp_path / "home", "generate", *TEA, "--ref", str(reference),
                     "--size", "1024x1024", "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [(i["width"], i["height"]) for i in images_of(result)] == [(1024, 1024)]
    paths = StudioPaths.under(tmp_path / "home")
    with Library.open(paths) as library:
        (job,) = library.jobs()
        assert job.kind == "edit"
        (sent,) = job.request.images
    # The library's own copy is sent and kept (the original may move); unchanged, it is the same.
    assert Path(sent).parent.parent == paths.references_dir
    assert Path(sent).read_bytes() == reference.read_bytes()
    assert job.spec is not None and job.spec["references"] == [sent]


def test_a_reference_the_api_would_refuse_is_converted_and_said(tmp_path: Path) -> None:
    reference = tmp_path / "print.jpg"
    Image.new("CMYK", (640, 480), (0, 255, 255, 0)).save(reference, "JPEG")
    result = run_cli(tmp_path / "home", "generate", *TEA, "--ref", str(reference),
                     "--size", "1024x1024", "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"--ref {reference}: converted from CMYK to 8-bit RGB" in result.stderr
    with Library.open(StudioPaths.under(tmp_path / "home")) as library:
        (job,) = library.jobs()
    with Image.open(job.request.images[0]) as sent:
        assert sent.mode == "RGB"


def test_a_missing_reference_is_bad_input(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "generate", *TEA, "--ref", str(tmp_path / "nope.png"))
    assert result.returncode == 2
    assert "--ref" in result.stderr and "no such file" in result.stderr


def test_huge_images_are_refused_with_a_reason(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    Image.new("1", (20_000, 20_000)).save(bomb)  # tiny file, 400 million pixels
    result = run_cli(tmp_path, "edit", str(bomb), "--instruction", "x")
    assert result.returncode == 2
    assert "pixels (8192x8192) an input may have" in result.stderr
    heavy = tmp_path / "heavy.png"
    heavy.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(51 * 1024 * 1024))
    result = run_cli(tmp_path, "generate", *TEA, "--ref", str(heavy))
    assert result.returncode == 2
    assert f"--ref {heavy}: not an image this studio can read" in result.stderr


def test_out_must_be_a_writable_folder_before_anything_is_sent(tmp_path: Path) -> None:
    a_file = tmp_path / "taken"
    a_file.write_text("x")
    result = run_cli(tmp_path / "home", "generate", *TEA, "--out", str(a_file))
    assert result.returncode == 2
    assert "is a file, not a folder" in result.stderr
    assert not (tmp_path / "home" / "data").exists()  # no job was started
