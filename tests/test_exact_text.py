"""Exact-text mode end to end on the embedded engine, re-compositing, and typography in drafts."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PIL import Image

from app.core.metadata import read_metadata
from app.core.spec import TextBlock
from app.jobs.exact_text import recompose
from app.store.exact_parts import kept_parts
from app.store.library import Library
from app.store.paths import StudioPaths
from tests.cli_process import run_cli

pytestmark = pytest.mark.gui

SPEC: dict[str, Any] = {
    "version": 1,
    "description": "A calm studio table with a tea cup",
    "size": "768x1024",
    "exact_text": True,
    "texts": [
        {"role": "headline", "text": "人工智能摄影展", "box": [0.1, 0.06, 0.8, 0.16]},
        {"role": "price", "text": "¥199", "box": [0.3, 0.72, 0.4, 0.12]},
    ],
}


def _spec_file(tmp_path: Path, spec: dict[str, Any]) -> Path:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec, ensure_ascii=False), "utf-8")
    return path


def _images(stdout: str) -> list[dict[str, Any]]:
    return [line for line in map(json.loads, stdout.splitlines()) if "index" in line]


def _box(image: Image.Image, box: list[float]) -> Image.Image:
    x, y, w, h = box
    width, height = image.size
    return image.crop((round(x * width), round(y * height), round((x + w) * width),
                       round((y + h) * height)))  # fmt: skip


def _rgba(path: Path) -> Image.Image:
    with Image.open(path) as image:
        return image.convert("RGBA")


def _spread(image: Image.Image) -> int:
    """The widest range of any channel: text in an area makes it large."""
    ranges = [band.getextrema() for band in image.convert("RGB").split()]
    return max(int(high) - int(low) for low, high in ranges)  # type: ignore[arg-type]


def test_exact_text_keeps_background_layer_and_composite_and_recomposes(
    tmp_path: Path, qapp: object
) -> None:
    home = tmp_path / "home"
    result = run_cli(home, "generate", str(_spec_file(tmp_path, SPEC)), "--engine", "local",
                     "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    (made,) = _images(result.stdout)
    with Library.open(StudioPaths.under(home)) as library:
        (record,) = library.images()
    assert str(record.path) == made["path"]
    parts = kept_parts(record)
    assert parts is not None
    background, layer, composite = (
        _rgba(path) for path in (parts.background, parts.layer, record.path)
    )
    # The background is text-free where the blocks go; the composite has the text there.
    for block in SPEC["texts"]:
        assert _spread(_box(background, block["box"])) < 60, block["text"]
        assert _spread(_box(composite, block["box"])) > 150, block["text"]
    # The composite is the background with the layer over it, pixel for pixel.
    assert Image.alpha_composite(background, layer).tobytes() == composite.tobytes()
    metadata = read_metadata(record.path.read_bytes())
    assert metadata is not None and metadata["spec"]["exact_text"] is True

    # A text change: composited again from the kept background, nothing sent.
    changed = [TextBlock("headline", "今日开幕", box=(0.1, 0.06, 0.8, 0.16)),
               TextBlock("price", "¥199", box=(0.3, 0.72, 0.4, 0.12))]  # fmt: skip
    again = recompose(record, changed)
    assert again.layouts[0].lines == ("今日开幕",)
    headline_box = SPEC["texts"][0]["box"]
    assert _box(again.flat, headline_box).tobytes() != _box(composite, headline_box).tobytes()
    # Outside the headline's box nothing moved.
    mask = Image.new("L", composite.size, 255)
    _, y, _, h = headline_box
    mask.paste(0, (0, 0, composite.width, round((y + h) * composite.height) + 2))
    empty = Image.new("RGBA", composite.size)
    assert (
        Image.composite(again.flat, empty, mask).tobytes()
        == Image.composite(composite, empty, mask).tobytes()
    )


def test_recompose_refuses_an_image_without_a_kept_background(tmp_path: Path) -> None:
    home = tmp_path / "home"
    spec = {**SPEC, "exact_text": False}
    result = run_cli(home, "generate", str(_spec_file(tmp_path, spec)), "--engine", "local",
                     "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    with Library.open(StudioPaths.under(home)) as library:
        (record,) = library.images()
    assert kept_parts(record) is None
    with pytest.raises(ValueError, match="only images made in exact-text mode"):
        recompose(record, [TextBlock("headline", "字")])


def test_the_embedded_engine_draws_the_spec_typography(tmp_path: Path) -> None:
    # Colour, vertical and weight reach the local drafts through the spec the studio passes.
    box = [0.4, 0.05, 0.2, 0.9]
    spec = {
        "version": 1,
        "description": "plain wall",
        "size": "768x1024",
        "texts": [{"role": "headline", "text": "竖排标题", "box": box, "vertical": True,
                   "color": "#ff0000"}],
    }  # fmt: skip
    home = tmp_path / "home"
    result = run_cli(home, "generate", str(_spec_file(tmp_path, spec)), "--engine", "local",
                     "--json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    (made,) = _images(result.stdout)
    area = _box(_rgba(Path(made["path"])).convert("RGB"), box)
    data = area.tobytes()
    pixels = [
        (index % area.width, index // area.width)
        for index in range(area.width * area.height)
        if data[3 * index] > 200 and data[3 * index + 1] < 60 and data[3 * index + 2] < 60
    ]
    assert len(pixels) > 2000  # the block's own colour
    xs = [x for x, _ in pixels]
    ys = [y for _, y in pixels]
    assert max(ys) - min(ys) > 3 * (max(xs) - min(xs))  # one tall column, not a line
