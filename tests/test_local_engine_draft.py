"""Local drafts: exact texts over a scene derived from the description, edits, partials, formats."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter
from PySide6.QtWidgets import QApplication

from app.core.compiler import compile_prompt, parse_prompt
from app.core.spec import Spec, TextBlock
from app.engine.local.draft import (
    PARTIAL_SCALES,
    Drafter,
    DraftPlan,
    encode,
    has_transparency,
)
from app.engine.local.scene import motif_region, scene_for
from app.typeset.render import DARK_TEXT, LIGHT_TEXT

pytestmark = pytest.mark.gui

TEA = "Professional product packaging photography of a premium green tea box on a clean white table"
BANNER = "Landscape event banner, deep blue technology style, four small course icons in a row"


@pytest.fixture(autouse=True)
def _qt(qapp: QApplication) -> None:
    """A QApplication exists before the engine asks for a QGuiApplication."""


def decode(data: bytes) -> QImage:
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    image = QImageReader(buffer).read()
    assert not image.isNull()
    return image


def drafter(
    description: str = TEA,
    texts: tuple[TextBlock, ...] = (TextBlock("headline", "有机绿茶"),),
    size: tuple[int, int] = (768, 1024),
    **plan: object,
) -> Drafter:
    return Drafter(DraftPlan(size[0], size[1], texts, description, **plan))  # type: ignore[arg-type]


def difference(first: QImage, second: QImage) -> float:
    """Mean absolute difference per channel (0..255), on 64x64 thumbnails."""
    total = 0
    a = first.scaled(64, 64, Qt.AspectRatioMode.IgnoreAspectRatio)
    b = second.scaled(64, 64, Qt.AspectRatioMode.IgnoreAspectRatio)
    for y in range(64):
        for x in range(64):
            p, q = a.pixelColor(x, y), b.pixelColor(x, y)
            total += abs(p.red() - q.red()) + abs(p.green() - q.green()) + abs(p.blue() - q.blue())
    return total / (64 * 64 * 3)


@pytest.mark.parametrize("size", [(768, 1024), (2048, 864), (1024, 1024), (1440, 480)])
def test_a_draft_has_the_requested_size(size: tuple[int, int]) -> None:
    image = drafter(size=size).render(0)
    assert (image.width(), image.height()) == size


@pytest.mark.parametrize("output_format", ["png", "webp", "jpeg"])
def test_encoded_drafts_decode_to_their_size_and_format(output_format: str) -> None:
    data = encode(drafter().render(0), output_format, 70, alpha=False)
    assert (decode(data).width(), decode(data).height()) == (768, 1024)
    magic = {"png": b"\x89PNG", "webp": b"RIFF", "jpeg": b"\xff\xd8\xff"}[output_format]
    assert data.startswith(magic)


def test_compression_makes_smaller_jpegs() -> None:
    image = drafter().render(0)
    assert len(encode(image, "jpeg", 30, alpha=False)) < len(encode(image, "jpeg", 95, alpha=False))


def test_the_same_request_draws_the_same_image() -> None:
    first = encode(drafter().render(0), "png", None, alpha=False)
    again = encode(drafter().render(0), "png", None, alpha=False)
    assert first == again


def test_variations_and_descriptions_differ() -> None:
    base = drafter().render(0)
    assert difference(base, drafter().render(1)) > 1.0
    assert difference(base, drafter(description="a quiet lake at dawn").render(0)) > 5.0


def test_the_texts_are_laid_out_exactly_as_the_prompt_gives_them() -> None:
    texts = (
        TextBlock("headline", "“限时”特惠 ¥89"),
        TextBlock("subhead", "第一行\n第二行"),
        TextBlock("caption", "Café · 咖啡"),
    )
    parsed = parse_prompt(compile_prompt(Spec(description=TEA, texts=texts)).text)
    layouts = drafter(texts=parsed.text_blocks()).layouts
    assert [layout.text for layout in layouts] == [block.text for block in texts]
    assert ["".join(layout.lines) for layout in layouts] == [
        block.text.replace("\n", "") for block in texts
    ]


def test_text_contrasts_with_the_scene_under_it() -> None:
    assert drafter(description=TEA).palettes(0) == [DARK_TEXT]
    assert drafter(description=BANNER, size=(2048, 864)).palettes(0) == [LIGHT_TEXT]


def test_text_colour_follows_the_image_under_each_block() -> None:
    base = QImage(1024, 1024, QImage.Format.Format_RGB32)
    base.fill(QColor("#ffffff"))
    painter = QPainter(base)
    painter.fillRect(0, 512, 1024, 512, QColor("#101010"))
    painter.end()
    texts = (
        TextBlock("headline", "上", box=(0.1, 0.1, 0.8, 0.2)),
        TextBlock("caption", "下", box=(0.1, 0.7, 0.8, 0.2)),
    )
    palettes = drafter(texts=texts, size=(1024, 1024), base=base).palettes(0)
    assert palettes == [DARK_TEXT, LIGHT_TEXT]


def test_a_transparent_draft_has_a_transparent_background_and_opaque_text() -> None:
    texts = (TextBlock("headline", "新年快乐", box=(0.1, 0.4, 0.8, 0.2)),)
    image = drafter("a sticker", texts, (1024, 1024), transparent=True).render(0)
    decoded = decode(encode(image, "png", None, alpha=True))
    assert decoded.hasAlphaChannel()
    assert decoded.pixelColor(2, 2).alpha() == 0
    assert has_transparency(decoded)
    alphas = {decoded.pixelColor(x, 512).alpha() for x in range(0, 1024, 2)}
    assert 255 in alphas


def test_an_opaque_draft_has_no_alpha() -> None:
    decoded = decode(encode(drafter().render(0), "png", None, alpha=False))
    assert not has_transparency(decoded)


def test_partials_sharpen_towards_the_final_image() -> None:
    draw = drafter()
    final = draw.render(0)
    distances = []
    for scale in PARTIAL_SCALES[3]:
        partial = draw.render(0, scale)
        assert (partial.width(), partial.height()) == (768, 1024)
        distances.append(difference(partial, final))
    assert distances == sorted(distances, reverse=True)
    assert distances[-1] > 0


def solid(width: int, height: int, colour: str) -> QImage:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor(colour))
    return image


def test_an_edit_keeps_the_image_and_adds_the_texts() -> None:
    base = solid(1024, 640, "#3366aa")
    texts = (TextBlock("headline", "新品上市", box=(0.1, 0.3, 0.8, 0.4)),)
    image = drafter(texts=texts, size=(1024, 640), base=base).render(0)
    assert image.pixelColor(5, 5) == QColor("#3366aa")
    row = {image.pixelColor(x, 320).name() for x in range(0, 1024, 2)}
    assert len(row) > 2  # text crosses the middle row


def test_an_edit_covers_and_crops_a_differently_shaped_image() -> None:
    base = solid(1000, 500, "#ff0000")
    painter = QPainter(base)
    painter.fillRect(0, 0, 100, 500, QColor("#00ff00"))  # cropped away by a square output
    painter.end()
    image = drafter(texts=(), size=(1024, 1024), base=base).render(0)
    assert image.pixelColor(0, 512) == QColor("#ff0000")


def test_the_mask_limits_the_new_text_to_its_transparent_part() -> None:
    base = solid(1024, 1024, "#ffffff")
    mask = QImage(1024, 1024, QImage.Format.Format_Alpha8)
    mask.fill(255)
    painter = QPainter(mask)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
    painter.fillRect(0, 0, 512, 1024, QColor(0, 0, 0, 0))  # the left half is editable
    painter.end()
    texts = (TextBlock("headline", "左右两边都有字", box=(0.05, 0.4, 0.9, 0.2)),)
    draw = drafter(texts=texts, size=(1024, 1024), base=base, mask=mask)
    for scale in (1.0, 1 / 4):
        image = draw.render(0, scale)
        left = {image.pixelColor(x, y).name() for x in range(0, 500, 3) for y in range(410, 610, 3)}
        right = {
            image.pixelColor(x, y).name() for x in range(540, 1024, 3) for y in range(0, 1024, 8)
        }
        assert len(left) > 2, scale
        assert right == {"#ffffff"}, scale


def test_scenes_follow_the_description() -> None:
    tea = scene_for(TEA)
    assert (tea.motif, tea.subject_colour) == ("box", "#3f7d4e")
    banner = scene_for(BANNER)
    assert (banner.theme.name, banner.motif, banner.icons) == ("tech", "network", 4)
    assert scene_for("A round red lantern mascot, thick white outline").subject_colour == "#c8372d"
    assert scene_for(TEA, 0).seed != scene_for(TEA, 1).seed


def test_the_motif_goes_where_the_text_is_not() -> None:
    text_on_the_left = [(100, 100, 1100, 700)]
    region = motif_region(2048, 864, text_on_the_left)
    assert region.left() >= 1200
    text_on_top = [(60, 70, 650, 200)]
    region = motif_region(768, 1024, text_on_top)
    assert region.top() >= 270
