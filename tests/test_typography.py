"""Per-block typography in the typesetter: family, tracking, line height, stroke, shadow, align."""

from __future__ import annotations

import os
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtGui import QColor, QImage

from app.core.spec import Shadow, Stroke, TextBlock
from app.typeset.fonts import available_families, default_family, resolve_family
from app.typeset.layout import BlockLayout, layout_blocks
from app.typeset.render import render_text_layer

pytestmark = pytest.mark.gui
CANVAS = (800, 600)
BOX = (0.1, 0.1, 0.8, 0.5)


@pytest.fixture(autouse=True)
def _gui(qapp: object) -> None:
    """The typesetter needs the application object (and so the font database)."""


def _layout(**typography: Any) -> BlockLayout:
    (layout,) = layout_blocks([TextBlock("headline", "有机绿茶", box=BOX, **typography)], *CANVAS)
    return layout


def _colour_count(image: QImage, colour: str) -> int:
    wanted = QColor(colour)
    argb = image.convertToFormat(QImage.Format.Format_ARGB32)
    return sum(
        1
        for y in range(0, argb.height(), 2)
        for x in range(0, argb.width(), 2)
        if argb.pixelColor(x, y) == wanted
    )


def test_families_offer_the_default_first_and_refuse_fonts_without_chinese() -> None:
    families = available_families()
    assert families[0] == default_family() == "Noto Sans CJK SC"
    assert "Noto Sans CJK TC" in families  # another face that sets Chinese may be chosen
    assert "DejaVu Sans" not in families  # installed, but it has no Chinese glyphs
    assert resolve_family("DejaVu Sans") == default_family()
    assert resolve_family("No Such Font") == default_family()
    layout = _layout(font="Noto Sans CJK TC")
    assert layout.family == "Noto Sans CJK TC"


def test_tracking_spreads_the_characters() -> None:
    plain, spaced = _layout(), _layout(tracking=0.3)
    assert spaced.font_px < plain.font_px  # wider: set smaller
    # At the same size, the tracked line is wider by about 0.3 em a character.
    block = TextBlock("headline", "有机绿茶", box=(0.0, 0.0, 1.0, 0.2), tracking=0.3)
    narrow = TextBlock("headline", "有机绿茶", box=(0.0, 0.0, 1.0, 0.2))
    wide, tight = layout_blocks([block, narrow], *CANVAS)
    assert wide.font_px == tight.font_px
    assert wide.line_boxes[0][2] > tight.line_boxes[0][2] + 0.8 * wide.font_px


def test_line_height_sets_the_pitch() -> None:
    text = "人工智能\n摄影展"
    tall = TextBlock("headline", text, box=BOX, line_height=2.0)
    normal = TextBlock("headline", text, box=BOX)
    (spaced,) = layout_blocks([tall], *CANVAS)
    (plain,) = layout_blocks([normal], *CANVAS)
    for layout, ratio in ((spaced, 2.0), (plain, 1.18)):
        pitch = layout.origins[1][1] - layout.origins[0][1]
        assert abs(pitch - ratio * layout.font_px) <= 1


def test_stroke_and_shadow_are_drawn_around_the_glyphs() -> None:
    fill = "#1d4ed8"
    plain = render_text_layer([TextBlock("headline", "有机绿茶", box=BOX, color=fill)], *CANVAS)
    outlined = render_text_layer(
        [TextBlock("headline", "有机绿茶", box=BOX, color=fill, stroke=Stroke(0.08, "#ff0000"))],
        *CANVAS,
    )
    shaded = render_text_layer(
        [TextBlock("headline", "有机绿茶", box=BOX, color=fill,
                   shadow=Shadow("#ff00ff00", 0.1, 0.1, 0.0))],
        *CANVAS,
    )  # fmt: skip
    assert _colour_count(plain, "#ff0000") == 0
    assert _colour_count(outlined, "#ff0000") > 500  # a ring of the stroke colour
    # The outline grows outwards: the fill keeps its own pixels.
    assert _colour_count(outlined, fill) > 0.8 * _colour_count(plain, fill)
    assert _colour_count(shaded, "#00ff00") > 300  # the offset shadow shows beside the glyphs


@pytest.mark.parametrize("align", ["left", "center", "right"])
def test_alignment_places_the_lines(align: str) -> None:
    block = TextBlock("subhead", "有机绿茶", box=BOX, align=align)
    (layout,) = layout_blocks([block], *CANVAS)
    x, _, w, _ = layout.box
    line_x, _, line_w, _ = layout.line_boxes[0]
    gap_left, gap_right = line_x - x, x + w - (line_x + line_w)
    if align == "left":
        assert gap_left <= 1 < gap_right
    elif align == "right":
        assert gap_right <= 1 < gap_left
    else:
        assert abs(gap_left - gap_right) <= 2
