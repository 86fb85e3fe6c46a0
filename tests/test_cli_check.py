"""``zi-studio check`` as users run it: exit codes, output, the image's own spec, the library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.metadata import embed_metadata, make_payload
from app.core.request import ImageRequest
from app.core.spec import Spec, TextBlock
from app.core.spec_json import spec_to_dict
from app.core.textnorm import normalise
from app.store.library import Library
from app.store.paths import StudioPaths
from tests.cli_process import run_cli
from tests.ocr_images import render

pytestmark = pytest.mark.gui

BLOCKS = (
    TextBlock("headline", "有机绿茶", (0.1, 0.1, 0.8, 0.18)),
    TextBlock("subhead", "明前龙井·清香型", (0.15, 0.4, 0.7, 0.08)),
)


@pytest.fixture(autouse=True)
def _gui(qapp: object) -> None:
    """The typesetter draws the test images: pytest-qt's application object comes first."""


@pytest.fixture(scope="module")
def poster(qapp: object) -> bytes:
    """A PNG of BLOCKS that carries its own spec, as the studio writes them."""
    spec = spec_to_dict(Spec(description="tea", texts=BLOCKS))
    payload = make_payload(spec=spec, model="gpt-image-2", size="1024x1024", job_id=None)
    return embed_metadata(render(BLOCKS, background="gradient"), payload)


def test_an_image_in_the_library_is_checked_against_its_own_spec_and_the_result_kept(
    tmp_path: Path, poster: bytes
) -> None:
    paths = StudioPaths.under(tmp_path / "home")
    with Library.open(paths) as library:
        job = library.create_job(
            kind="generate", request=ImageRequest(kind="generate", prompt="tea"), engine="local"
        )
        image = library.add_image(job, 0, poster, width=1024, height=1024, output_format="png")

    done = run_cli(tmp_path / "home", "check", str(image.path), "--json")

    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    result = json.loads(done.stdout)
    assert result["exact"] is True
    assert [(b["text"], b["exact"], b["cer"]) for b in result["blocks"]] == [
        ("有机绿茶", True, 0.0),
        ("明前龙井·清香型", True, 0.0),
    ]
    # What was found is shown as read (the OCR may give ・ for ·, which is not an error).
    assert [normalise(b["found"]) for b in result["blocks"]] == ["有机绿茶", "明前龙井·清香型"]
    assert result["library_image_ids"] == [image.id]
    with Library.open(paths) as library:
        stored = library.text_check(image.id)
        assert stored is not None and stored.exact
        assert library.text_exact([image.id]) == {image.id: True}


def test_a_wrong_character_is_exit_1_and_named(tmp_path: Path, poster: bytes) -> None:
    path = tmp_path / "poster.png"
    path.write_bytes(poster)

    done = run_cli(
        tmp_path / "home", "check", str(path), "--text", "headline=有机绿荼", "--text", "清香型"
    )

    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "NOT EXACT  headline: 有机绿荼"
    assert "found 有机绿茶 — 1 character off: 荼→茶 at 4 (look-alike)" in lines[1]
    assert lines[2] == "exact      清香型"
    assert lines[-1].startswith("1 of 2 blocks exact")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "missing.png"], "missing.png: no such file"),
        (["check", "notes.txt", "--text", "茶"], "not an image"),
        (["check", "plain.png"], "carries no studio spec: give SPEC.json or --text"),
        (["check", "plain.png", "--text", "headline=  "], "the text is empty"),
        (["check", "plain.png", "empty.json"], "the spec has no texts to check"),
        (["check", "plain.png", "broken.json"], "broken.json"),
        (["check"], "the following arguments are required: IMAGE"),
    ],
)
def test_bad_input_is_exit_2_with_one_line_and_reads_nothing(
    tmp_path: Path, argv: list[str], message: str
) -> None:
    (tmp_path / "notes.txt").write_text("not an image")
    (tmp_path / "plain.png").write_bytes(render([], 64, 64))
    (tmp_path / "empty.json").write_text('{"version": 1, "description": "a scene"}')
    (tmp_path / "broken.json").write_text('{"version": 1, "texts": [')
    argv = [str(tmp_path / arg) if "." in arg else arg for arg in argv]

    done = run_cli(tmp_path / "home", *argv, timeout=60)

    assert done.returncode == 2
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith("zi-studio: ") and message in line
    assert "Traceback" not in done.stderr
