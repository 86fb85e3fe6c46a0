"""``typeset`` and ``compose``: the text layer, the flat composite, PSD and OpenRaster read back."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PIL import Image, ImageDraw
from psd_tools import PSDImage

from app.cli import main
from app.core.metadata import read_metadata
from tests.cli_process import run_cli

pytestmark = pytest.mark.gui

LONG = "限时包邮全场新品上市人工智能摄影展今日开幕欢迎光临本店选购"  # 30 characters and more
SPEC = {
    "version": 1,
    "description": "a tea table",
    "texts": [
        {"role": "headline", "text": "人工智能摄影展今日开幕", "box": [0.1, 0.08, 0.8, 0.22]},
        {"role": "subhead", "text": LONG, "box": [0.1, 0.34, 0.8, 0.12], "color": "#fdb022"},
        {"role": "price", "text": "¥199", "box": [0.3, 0.6, 0.4, 0.14]},
        {"role": "headline", "text": "竖排标题", "box": [0.82, 0.5, 0.14, 0.45], "vertical": True,
         "stroke": {"width": 0.05, "color": "#000000"}},
    ],
}  # fmt: skip
SIZE = (600, 800)


@pytest.fixture(autouse=True)
def _gui(qapp: object) -> None:
    """The typesetter needs the application object (and so the font database)."""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC, ensure_ascii=False), "utf-8")
    background = Image.new("RGB", SIZE, (236, 230, 214))
    draw = ImageDraw.Draw(background)
    draw.rectangle((0, 560, 600, 800), fill=(40, 50, 44))  # dark lower part: light text there
    path = tmp_path / "background.png"
    background.save(path)
    return path, spec


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(list(argv)) == 0
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def test_typeset_writes_the_transparent_layer_and_reports_the_lines(
    tmp_path: Path, files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, spec = files
    out = tmp_path / "layer.png"
    report = _run(capsys, "typeset", str(spec), "--size", "1200x1600", "--out", str(out), "--json")
    assert [block["role"] for block in report["blocks"]] == ["headline", "subhead", "price",
                                                             "headline"]  # fmt: skip
    headline = report["blocks"][0]
    assert "".join(headline["lines"]) == "人工智能摄影展今日开幕"
    assert headline["box"] == [120, 128, 960, 352]
    assert headline["font_px"] > 60
    with Image.open(out) as layer:
        assert layer.size == (1200, 1600) and layer.mode == "RGBA"
        alpha = layer.getchannel("A")
        assert alpha.getpixel((0, 0)) == 0
        x, y, w, h = headline["box"]
        assert alpha.crop((x, y, x + w, y + h)).getextrema()[1] == 255


def _flat_expected(background: Path, layer_png: Path) -> Image.Image:
    with Image.open(background) as base, Image.open(layer_png) as text:
        return Image.alpha_composite(base.convert("RGBA"), text.convert("RGBA"))


def test_flat_composite_is_the_background_with_the_text_layer_over_it(
    tmp_path: Path, files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    background, spec = files
    out = tmp_path / "flat.png"
    _run(capsys, "compose", str(background), str(spec), "--out", str(out), "--json")
    ora = tmp_path / "layers.ora"
    _run(capsys, "compose", str(background), str(spec), "--out", str(ora), "--json")
    with zipfile.ZipFile(ora) as archive:
        layers = _ora_layers(archive)
    # The text layer: every text block of the ORA stacked on a transparent canvas.
    text = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    for _, image, offset in layers[1:]:
        piece = Image.new("RGBA", SIZE, (0, 0, 0, 0))
        piece.paste(image, offset)
        text = Image.alpha_composite(text, piece)
    with Image.open(background) as base:
        expected = Image.alpha_composite(base.convert("RGBA"), text)
    with Image.open(out) as flat:
        assert flat.size == SIZE
        assert _same(flat.convert("RGBA"), expected)  # pixel for pixel
        assert not _same(flat.convert("RGBA"), layers[0][1])  # and the text is there
    # The PNG carries its spec.
    metadata = read_metadata(out.read_bytes())
    assert metadata is not None and metadata["spec"]["texts"][0]["text"] == "人工智能摄影展今日开幕"


def _same(first: Image.Image, second: Image.Image) -> bool:
    """Equal pixel for pixel, every channel (``getbbox`` of an RGBA difference sees alpha only)."""
    return (
        first.mode == second.mode
        and first.size == second.size
        and (first.tobytes() == second.tobytes())
    )


def _ora_layers(archive: zipfile.ZipFile) -> list[tuple[str, Image.Image, tuple[int, int]]]:
    """The layers bottom first, read with zipfile and Pillow."""
    assert archive.namelist()[0] == "mimetype"
    assert archive.read("mimetype") == b"image/openraster"
    assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
    root = ElementTree.fromstring(archive.read("stack.xml"))
    assert (root.get("w"), root.get("h")) == (str(SIZE[0]), str(SIZE[1]))
    layers = []
    for element in reversed(root.find("stack") or []):
        with Image.open(io.BytesIO(archive.read(element.get("src", "")))) as image:
            offset = (int(element.get("x", "0")), int(element.get("y", "0")))
            layers.append((element.get("name", ""), image.convert("RGBA"), offset))
    return layers


EXPECTED_NAMES = [
    "background",
    "headline: 人工智能摄影展今日开幕",
    f"subhead: {LONG[:30]}",
    "price: ¥199",
    "headline: 竖排标题",
]


def test_ora_holds_the_background_and_one_named_layer_per_block(
    tmp_path: Path, files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    background, spec = files
    out = tmp_path / "poster.ora"
    report = _run(capsys, "compose", str(background), str(spec), "--out", str(out), "--json")
    assert [layer["name"] for layer in report["layers"]] == EXPECTED_NAMES[1:]
    with zipfile.ZipFile(out) as archive:
        layers = _ora_layers(archive)
        with Image.open(io.BytesIO(archive.read("mergedimage.png"))) as merged:
            assert merged.size == SIZE
    assert [name for name, _, _ in layers] == EXPECTED_NAMES
    with Image.open(background) as original:
        assert _same(layers[0][1], original.convert("RGBA"))
    for (name, image, (x, _)), block in zip(layers[1:], report["layers"], strict=True):
        bx, _, bw, bh = block["box"]
        # Cropped to its ink, which lies in its box (a stroke may reach a few pixels past it).
        assert 0 < image.width <= bw + 8 and 0 < image.height <= bh + 8, name
        assert bx - 4 <= x and x + image.width <= bx + bw + 4, name
        assert image.getchannel("A").getextrema()[1] == 255, name


def test_psd_read_back_with_psd_tools(tmp_path: Path, files: tuple[Path, Path]) -> None:
    background, spec = files
    out = tmp_path / "poster.psd"
    ora = tmp_path / "poster.ora"
    for target in (out, ora):  # as users run it: a process of its own
        result = run_cli(tmp_path / "home", "compose", str(background), str(spec),
                         "--out", str(target))  # fmt: skip
        assert result.returncode == 0, result.stderr
    document = PSDImage.open(out)
    assert document.size == SIZE
    assert [layer.name for layer in document] == EXPECTED_NAMES
    with zipfile.ZipFile(ora) as archive:
        ora_layers = _ora_layers(archive)
    for layer, (name, image, offset) in zip(document, ora_layers, strict=True):
        pixels = layer.topil()
        assert pixels is not None
        assert (layer.left, layer.top) == offset, name
        assert pixels.size == image.size, name
        assert _same(pixels.convert("RGBA"), image), name
    flat = document.composite()
    assert flat is not None and flat.size == SIZE


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["compose", "{bg}", "{spec}", "--out", "{tmp}/x.gif"], "end the name in .png"),
        (["compose", "{tmp}/none.png", "{spec}", "--out", "{tmp}/x.png"], "no such file"),
        (["compose", "{spec}", "{spec}", "--out", "{tmp}/x.png"], "not an image"),
        (["compose", "{bg}", "{bg}", "--out", "{tmp}/x.png"], "not UTF-8"),
        (["typeset", "{spec}", "--size", "big", "--out", "{tmp}/x.png"], "write WIDTHxHEIGHT"),
        (["typeset", "{spec}", "--size", "10x10", "--out", "{tmp}/x.psd"], "end the name in .png"),
        (["typeset", "{spec}", "--size", "10x10", "--out", "{tmp}/no/x.png"], "does not exist"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(
    tmp_path: Path,
    files: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    background, spec = files
    filled = [a.format(bg=background, spec=spec, tmp=tmp_path) for a in argv]
    assert main(filled) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
