"""The typesetter: fonts, line breaking, fitting and the text layer."""

from __future__ import annotations

import itertools
import math
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QColor, QFont, QImage, QPainter

from app.core.spec import ROLES, TextBlock
from app.typeset import fonts
from app.typeset.breaking import single_line_layout, wrap
from app.typeset.fonts import FontError, choose_system_family, default_family, make_font
from app.typeset.layout import BlockLayout, layout_blocks
from app.typeset.render import (
    DARK_TEXT,
    LIGHT_TEXT,
    draw_layouts,
    image_to_png_bytes,
    palette_for_background,
    render_text_layer,
    text_color_for_background,
)

pytestmark = pytest.mark.gui

BANNER = (1248, 528)
BOOTCAMP = [
    TextBlock("headline", "30 天从 0 到 1 上手 AI Engineering", box=(0.06, 0.12, 0.6, 0.28)),
    TextBlock("subhead", "实战项目 · 导师答疑 · 结业证书", box=(0.06, 0.44, 0.55, 0.12)),
    TextBlock("date", "班期 04-30 启动", box=(0.06, 0.62, 0.3, 0.1)),
    TextBlock("button", "立即报名", box=(0.06, 0.78, 0.2, 0.1)),
]
TEA = [TextBlock("headline", "有机绿茶"), TextBlock("subhead", "100g 无添加")]

CLOSING = "，。、；：？！」》”）"
OPENING = "「《“（"


@pytest.fixture(autouse=True)
def _gui(qapp: object) -> None:
    """Every test here needs the application object (and so the font database)."""


def _alpha(image: QImage) -> tuple[bytes, int]:
    """The alpha byte of every pixel (row by row, with the row stride) of an ARGB32 image."""
    assert image.format() == QImage.Format.Format_ARGB32_Premultiplied
    data = bytes(image.constBits())
    return data[3::4], image.bytesPerLine() // 4


def _ink(image: QImage, threshold: int = 128) -> int:
    alpha, _ = _alpha(image)
    return sum(1 for value in alpha if value > threshold)


def _sample(font: QFont, text: str = "有机绿茶 永和直骨") -> QImage:
    image = QImage(560, 90, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor("black"))
    painter.drawText(10, 66, text)
    painter.end()
    return image


def _paragraph_lines(layout: BlockLayout) -> Iterator[list[str]]:
    """The lines of each paragraph; fails if the lines do not give back the paragraphs exactly."""
    lines = list(layout.lines)
    for paragraph in layout.text.split("\n"):
        taken = [lines.pop(0)]
        while "".join(taken) != paragraph:
            assert paragraph.startswith("".join(taken)), (paragraph, taken)
            taken.append(lines.pop(0))
        yield taken
    assert lines == []


def _colours(image: QImage, box: tuple[int, int, int, int]) -> set[str]:
    x, y, w, h = box
    return {image.pixelColor(col, row).name() for row in range(y, y + h) for col in range(x, x + w)}


def _inside(inner: tuple[int, int, int, int], outer: tuple[int, int, int, int]) -> bool:
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return ox <= x and oy <= y and x + w <= ox + ow and y + h <= oy + oh


# Fonts


def test_default_family_is_the_simplified_chinese_face() -> None:
    assert default_family() == "Noto Sans CJK SC"


def test_default_family_gives_chinese_not_japanese_glyph_forms() -> None:
    # 令 and 直 are drawn differently in Chinese and Japanese.
    chinese = _sample(make_font(64, 400), "令直骨")
    japanese = _sample(make_font(64, 400, "Noto Sans CJK JP"), "令直骨")
    assert image_to_png_bytes(chinese) != image_to_png_bytes(japanese)


def test_weights_are_set_on_the_variable_axis() -> None:
    thin, regular = _ink(_sample(make_font(48, 100))), _ink(_sample(make_font(48, 400)))
    bold, black = _ink(_sample(make_font(48, 700))), _ink(_sample(make_font(48, 900)))
    assert regular > 1.6 * thin  # Regular is not the variable font's Thin default
    assert bold > 1.3 * regular
    assert black > bold


def test_bold_is_not_emboldened_a_second_time() -> None:
    font = make_font(48, 900)
    assert font.weight().value <= QFont.Weight.DemiBold.value
    synthetic = QFont(font)
    synthetic.setWeight(QFont.Weight.Black)
    assert _ink(_sample(synthetic)) > 1.1 * _ink(_sample(font))


def test_system_family_choice() -> None:
    assert choose_system_family(["Droid Sans Fallback", "Noto Sans SC", "Zed"]) == "Noto Sans SC"
    assert choose_system_family(["Zed CJK", "Alpha CJK"]) == "Alpha CJK"
    assert choose_system_family([]) is None


def test_no_cjk_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "packaged_font_path", lambda: None)
    monkeypatch.setattr(fonts, "_system_cjk_families", list)
    with pytest.raises(FontError, match="pip install manimgx-fonts-cjk"):
        fonts.default_family.__wrapped__()


def test_fonts_work_without_a_display() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    script = (
        "from app.typeset.fonts import ensure_gui_application, default_family;"
        "app = ensure_gui_application(); print(app.platformName(), default_family())"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split("\n")[0] == "offscreen Noto Sans CJK SC"


# Layout


def test_packaging_texts_fill_their_boxes() -> None:
    headline, subhead = layout_blocks(TEA, 768, 1024)
    assert headline.lines == ("有机绿茶",) and subhead.lines == ("100g 无添加",)
    assert headline.weight == 900 and subhead.weight == 500
    _, _, w, h = headline.box
    assert headline.font_px >= 0.9 * min(w / 4, h / 1.18)  # the largest size, not just any


def test_banner_headline_keeps_words_whole() -> None:
    headline = layout_blocks(BOOTCAMP, *BANNER)[0]
    assert headline.lines == ("30 天从 0 到 1 上手 ", "AI Engineering")
    assert headline.align == "left"  # its box is on the left of the banner


def test_manual_line_breaks_are_honoured() -> None:
    (layout,) = layout_blocks([TextBlock("headline", "有机\n绿茶")], 1024, 1024)
    assert layout.lines == ("有机", "绿茶")
    (layout,) = layout_blocks([TextBlock("body", "春\n\n秋")], 1024, 1024)
    assert layout.lines == ("春", "", "秋")


@pytest.mark.parametrize(
    "text",
    ["有机绿茶限时特惠今日发货", "人工智能训练营火热报名中", "每日上午十点准时开播"],
)
@pytest.mark.parametrize("width", [0.2, 0.3, 0.45])
def test_headlines_have_no_one_character_last_line(text: str, width: float) -> None:
    block = TextBlock("headline", text, box=(0.1, 0.1, width, 0.5))
    (layout,) = layout_blocks([block], 1024, 1024)
    assert len(layout.lines) > 1
    assert len(layout.lines[-1]) > 1
    # Balanced: no line much shorter than the longest.
    assert min(len(line) for line in layout.lines) >= max(len(line) for line in layout.lines) - 2


def test_body_avoids_a_one_character_last_line() -> None:
    source = "新手也能看懂的保姆级教程从零开始学会人工智能实战项目导师答疑结业证书"
    orphans = greedy_orphans = 0
    for length in range(8, len(source) + 1):
        block = TextBlock("body", source[:length], box=(0.1, 0.1, 0.3, 0.25))
        (layout,) = layout_blocks([block], 1024, 1024)
        font = make_font(layout.font_px, layout.weight, layout.family)
        greedy = wrap(block.text, font, layout.box[2] - math.ceil(layout.font_px * 0.05))
        greedy_orphans += len(greedy) > 1 and len(greedy[-1].text) == 1
        orphans += len(layout.lines) > 1 and len(layout.lines[-1]) == 1
    assert greedy_orphans > 0  # the texts do give a plain wrap one-character last lines
    assert orphans == 0


def test_layout_is_deterministic() -> None:
    assert layout_blocks(BOOTCAMP, *BANNER) == layout_blocks(BOOTCAMP, *BANNER)


def test_no_glyph_is_lost_duplicated_or_missing_from_the_font() -> None:
    # (—— and …… are left out: the font joins each pair into one glyph.)
    text = "有机绿茶，无添加！「实战」项目、导师答疑；结业证书《指南》100g"
    (layout,) = layout_blocks([TextBlock("body", text, box=(0.1, 0.1, 0.2, 0.6))], 1024, 1024)
    assert len(layout.lines) > 3
    font = make_font(layout.font_px, layout.weight, layout.family)
    glyphs = 0
    for line in layout.lines:
        for run in single_line_layout(line, font).glyphRuns():
            indexes = run.glyphIndexes()
            assert 0 not in indexes  # no .notdef box
            assert run.rawFont().familyName() == "Noto Sans CJK SC"
            glyphs += len(indexes)
    assert glyphs == len(text)


_WORDS = [
    *"有机绿茶无添加实战项目导师答疑结业证书上午十点人工智能新手也能看懂的保姆级教程",
    *("AI", "Engineering", "ChatGPT", "100g", "2026", "x"),
    *(" ", " ", "\n", "——", "……", "𠮷", "·"),
    *CLOSING,
    *OPENING,
]
_texts = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=24).map("".join)
_boxes = st.tuples(
    st.floats(0.0, 0.5), st.floats(0.0, 0.5), st.floats(0.25, 0.5), st.floats(0.12, 0.5)
)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=_texts, box=_boxes, role=st.sampled_from(ROLES))
def test_layout_invariants(text: str, box: tuple[float, float, float, float], role: str) -> None:
    (layout,) = layout_blocks([TextBlock(role, text, box=box)], *BANNER)
    assert not layout.overflow
    # Joined lines give back the text exactly, less the manual breaks, each of which ends a line.
    assert "".join(layout.lines) == text.replace("\n", "")
    for lines in _paragraph_lines(layout):
        for before, after in itertools.pairwise(lines):
            assert not after or after[0] not in CLOSING, (before, after)
            ending = before.rstrip(" ")
            assert not ending or ending[-1] not in OPENING, (before, after)
            assert not (before.endswith("—") and after.startswith("—"))
            assert not (before.endswith("…") and after.startswith("…"))
    assert len(layout.line_boxes) == len(layout.lines) == len(layout.origins)
    for line_box in layout.line_boxes:
        assert _inside(line_box, layout.box), (line_box, layout.box)


# Rendering


def test_text_layer_has_ink_inside_the_boxes_and_nothing_elsewhere() -> None:
    layouts = layout_blocks(BOOTCAMP, *BANNER)
    image = render_text_layer(layouts, *BANNER)
    assert (image.width(), image.height()) == BANNER
    alpha, stride = _alpha(image)
    for layout in layouts:
        x, y, w, h = layout.box
        inside = [alpha[row * stride + x : row * stride + x + w] for row in range(y, y + h)]
        assert sum(sum(1 for a in part if a) for part in inside) > w * h // 20, layout.role
    covered = [bytearray(BANNER[0]) for _ in range(BANNER[1])]
    for layout in layouts:
        x, y, w, h = layout.box
        for row in range(y, y + h):
            covered[row][x : x + w] = b"\x01" * w
    stray = [
        (col, row)
        for row in range(BANNER[1])
        for col in range(BANNER[0])
        if alpha[row * stride + col] and not covered[row][col]
    ]
    assert stray == []


def test_render_lays_out_text_blocks_itself() -> None:
    direct = render_text_layer(BOOTCAMP, *BANNER)
    laid_out = render_text_layer(layout_blocks(BOOTCAMP, *BANNER), *BANNER)
    assert image_to_png_bytes(direct) == image_to_png_bytes(laid_out)


def test_rendering_is_deterministic() -> None:
    first = image_to_png_bytes(render_text_layer(BOOTCAMP, *BANNER))
    assert first == image_to_png_bytes(render_text_layer(BOOTCAMP, *BANNER))
    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    assert QImage.fromData(first).size() == render_text_layer(BOOTCAMP, *BANNER).size()


def test_price_takes_the_accent_and_the_button_a_pill() -> None:
    blocks = [
        TextBlock("price", "¥89", box=(0.1, 0.1, 0.3, 0.3)),
        TextBlock("button", "立即报名", box=(0.1, 0.6, 0.3, 0.15)),
    ]
    price, button = layout_blocks(blocks, 800, 800)
    image = render_text_layer([price, button], 800, 800).convertToFormat(
        QImage.Format.Format_ARGB32
    )
    accent = QColor(DARK_TEXT.accent)
    reds = sum(
        1
        for y in range(price.box[1], price.box[1] + price.box[3], 2)
        for x in range(price.box[0], price.box[0] + price.box[2], 2)
        if image.pixelColor(x, y) == accent
    )
    assert reds > 100
    assert button.backdrop is not None and _inside(button.backdrop, button.box)
    x, y, w, _ = button.backdrop
    assert image.pixelColor(x + w // 2, y + 2) == QColor(DARK_TEXT.fill)  # above the text
    assert all(_inside(line, button.backdrop) for line in button.line_boxes)


def test_light_or_dark_text_by_background() -> None:
    assert text_color_for_background((255, 255, 255)) == DARK_TEXT.text
    assert text_color_for_background((240, 235, 220)) == DARK_TEXT.text
    assert text_color_for_background((14, 30, 80)) == LIGHT_TEXT.text
    assert palette_for_background((0, 0, 0)) is LIGHT_TEXT


def test_color_option_and_drawing_over_a_background() -> None:
    (layout,) = layout_blocks([TextBlock("headline", "有机绿茶")], 400, 300)
    image = QImage(400, 300, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(14, 30, 80))
    painter = QPainter(image)
    draw_layouts(painter, [layout], palette=palette_for_background((14, 30, 80)))
    painter.end()
    assert "#ffffff" in _colours(image, layout.box)
    layer = render_text_layer([layout], 400, 300, color="#00ff00")
    greens = _colours(layer, layout.box)
    assert "#00ff00" in greens and DARK_TEXT.text not in greens


def test_block_colour_wins() -> None:
    block = TextBlock("caption", "新手也能看懂", box=(0.1, 0.1, 0.8, 0.8), color="#0000ff")
    image = render_text_layer([block], 300, 200)
    colours = {image.pixelColor(x, y).name() for y in range(200) for x in range(300)}
    assert "#0000ff" in colours


def test_unicode_outside_the_basic_plane_keeps_its_place() -> None:
    text = "𠮷野家 牛丼 𠮷"
    (layout,) = layout_blocks([TextBlock("body", text, box=(0.1, 0.1, 0.1, 0.8))], 1024, 1024)
    assert "".join(layout.lines) == text and len(layout.lines) > 1
    assert all(unicodedata.category(line[0]) != "Cs" for line in layout.lines if line)
