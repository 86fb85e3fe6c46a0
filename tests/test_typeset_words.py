"""Word-aware line breaking and vertical text: properties over random texts and boxes."""

from __future__ import annotations

import itertools
import json
import os
import unicodedata
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QImage

from app.core.spec import ROLES, TextBlock
from app.typeset.balance import is_orphan
from app.typeset.fitting import WORD_TIERS
from app.typeset.layout import BlockLayout, layout_blocks
from app.typeset.render import render_text_layer
from app.typeset.words import split_words, word_starts

pytestmark = pytest.mark.gui

DATA = json.loads((Path(__file__).parent / "data" / "headline_words.json").read_text("utf-8"))
WORD_LIST: list[str] = DATA["words"]
TEXTS: list[str] = DATA["headlines"] + DATA["contexts"]
WORD_ROLES = ("headline", "subhead", "button", "label", "price", "date")
CLOSING = "，。、；：？！」》”）"
OPENING = "「《“（"
CANVAS = (1024, 1024)
FAST = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def _gui(qapp: object) -> None:
    """Every test here needs the application object (and so the font database)."""


def splits(lines: tuple[str, ...], words: list[str]) -> list[str]:
    """The listed words that a break between ``lines`` cuts, outside a place marked '|'."""
    text = "".join(lines)
    breaks = set(itertools.accumulate(len(line) for line in lines[:-1]))
    found = []
    for word in words:
        plain = word.replace("|", "")
        allowed = {word.index("|")} if "|" in word else set()
        start = text.find(plain)
        while start >= 0:
            if {b - start for b in breaks if start < b < start + len(plain)} - allowed:
                found.append(plain)
            start = text.find(plain, start + 1)
    return found


def _inside(inner: tuple[int, int, int, int], outer: tuple[int, int, int, int]) -> bool:
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return ox - 1 <= x and oy - 1 <= y and x + w <= ox + ow + 1 and y + h <= oy + oh + 1


# The segmenter and the units kept whole


def test_every_listed_word_is_one_word_in_its_headline() -> None:
    assert len(WORD_LIST) >= 60
    for text in TEXTS:
        starts = word_starts(text)
        for word in WORD_LIST:
            plain = word.replace("|", "")
            at = text.find(plain)
            allowed = {at + word.index("|")} if "|" in word else set()
            if at >= 0:
                assert not {s for s in starts if at < s < at + len(plain)} - allowed, (text, word)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("有机绿茶100g仅售¥199", ["有机", "绿茶", "100g", "仅售", "¥199"]),
        ("24点前下单", ["24点", "前", "下单"]),
        ("04-30前预约", ["04-30", "前", "预约"]),
        ("iPhone 17 以旧换新", ["iPhone 17", " ", "以旧换新"]),
        ("全场9.9元3折起", ["全场", "9.9元", "3折起"]),
        ("2026年5月20日开售", ["2026年5月20日", "开售"]),
        ("零基础一周上手", ["零基础", "一周", "上手"]),
    ],
)
def test_units_dates_and_latin_stay_whole(text: str, words: list[str]) -> None:
    assert split_words(text, word_starts(text)) == words


# Headlines: whole words, balanced, no lone last character, the largest good size


def test_twelve_shop_headlines_in_a_narrow_box() -> None:
    split_count = orphans = 0
    for headline in DATA["headlines"]:
        block = TextBlock("headline", headline, box=(0.33, 0.1, 0.34, 0.5))
        (layout,) = layout_blocks([block], *CANVAS)
        split_count += len(splits(layout.lines, WORD_LIST))
        orphans += len(layout.lines) > 1 and is_orphan(layout.lines[-1])
    assert (split_count, orphans) == (0, 0)


def test_a_larger_size_that_splits_a_word_loses_to_a_smaller_whole_word_setting() -> None:
    # At 108 px this box holds three characters a line: 人工智|能摄影|展今日|开幕.
    block = TextBlock("headline", "人工智能摄影展今日开幕", box=(0.33, 0.1, 0.34, 0.5))
    (layout,) = layout_blocks([block], *CANVAS)
    assert layout.lines == ("人工智能", "摄影展", "今日开幕")
    assert layout.tier == WORD_TIERS[0]
    assert 80 <= layout.font_px < 108


def test_manual_breaks_win_over_word_breaking() -> None:
    block = TextBlock("headline", "人工\n智能摄影展", box=(0.1, 0.1, 0.8, 0.5))
    (layout,) = layout_blocks([block], *CANVAS)
    assert layout.lines[0] == "人工"


def test_body_may_break_inside_words() -> None:
    text = "新手也能看懂的保姆级教程从零开始学会人工智能实战项目导师答疑结业证书" * 2
    (layout,) = layout_blocks([TextBlock("body", text, box=(0.1, 0.1, 0.3, 0.4))], *CANVAS)
    ends = set(itertools.accumulate(len(line) for line in layout.lines[:-1]))
    assert ends - word_starts(text)  # at least one break inside a word: lines stay full


def test_headline_punctuation_hangs_at_the_line_end() -> None:
    block = TextBlock("headline", "新品上市，全场包邮。", box=(0.1, 0.1, 0.5, 0.5))
    (layout,) = layout_blocks([block], *CANVAS)
    assert layout.lines == ("新品上市，", "全场包邮。")
    # Centred on the text: the comma's blank half hangs past the measure.
    first, second = layout.line_boxes
    assert abs(first[2] - 4.5 * layout.font_px) <= 2
    assert abs((first[0] + first[2] / 2) - (second[0] + second[2] / 2)) <= 1


# Properties over random texts and boxes

_PIECES = [
    *"有机绿茶无添加实战项目导师答疑上午十点人工智能新手也能看懂的保姆级教程",
    *WORD_LIST[:40],
    *("AI", "Engineering", "ChatGPT", "100g", "2026", " ", "\n", "——", "……", "·"),
    *CLOSING,
    *OPENING,
]
_texts = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=20).map("".join)
_boxes = st.tuples(
    st.floats(0.0, 0.5), st.floats(0.0, 0.4), st.floats(0.12, 0.5), st.floats(0.1, 0.6)
)


def _check_lines(layout: BlockLayout, text: str) -> None:
    assert "".join(layout.lines) == text.replace("\n", "")
    if layout.tier is None or layout.tier.anywhere:
        return
    lines = list(layout.lines)
    for paragraph in text.split("\n"):  # a manual break may come anywhere: pairs within one
        taken = [lines.pop(0)]
        while "".join(taken) != paragraph:
            taken.append(lines.pop(0))
        for before, after in itertools.pairwise(taken):
            assert not after or after[0] not in CLOSING, (before, after)
            ending = before.rstrip(" ")
            assert not ending or ending[-1] not in OPENING, (before, after)


@FAST
@given(text=_texts, box=_boxes, role=st.sampled_from(ROLES), vertical=st.booleans())
def test_no_glyph_lost_no_line_too_wide_no_forbidden_break(
    text: str, box: tuple[float, float, float, float], role: str, vertical: bool
) -> None:
    if not any(not unicodedata.category(c).startswith("Z") and c != "\n" for c in text):
        text += "茶"
    (layout,) = layout_blocks([TextBlock(role, text, box=box, vertical=vertical)], *CANVAS)
    _check_lines(layout, text)
    if layout.overflow:
        return
    for line_box in layout.line_boxes:
        assert _inside(line_box, layout.box), (line_box, layout.box)
    if role in WORD_ROLES and layout.tier == WORD_TIERS[0] and "\n" not in text:
        # (A random text's words are the segmenter's: 有限时有 is 有限|时有, not 有|限时|有.)
        breaks = set(itertools.accumulate(len(line) for line in layout.lines[:-1]))
        assert breaks <= word_starts(text)


@FAST
@given(
    text=st.sampled_from(TEXTS),
    box=_boxes,
    role=st.sampled_from(WORD_ROLES),
    vertical=st.booleans(),
)
def test_listed_words_are_never_split_when_a_whole_word_setting_fits(
    text: str, box: tuple[float, float, float, float], role: str, vertical: bool
) -> None:
    # Every box here holds a whole-word setting at the smallest size (6 px).
    (layout,) = layout_blocks([TextBlock(role, text, box=box, vertical=vertical)], *CANVAS)
    assert layout.tier is not None and layout.tier.words
    assert not splits(layout.lines, WORD_LIST), layout.lines
    assert not (len(layout.lines) > 1 and is_orphan(layout.lines[-1])), layout.lines


# Vertical text


def test_vertical_headline_runs_in_columns_right_to_left() -> None:
    block = TextBlock("headline", "人工智能摄影展", box=(0.1, 0.1, 0.3, 0.6), vertical=True)
    (layout,) = layout_blocks([block], *CANVAS)
    assert layout.vertical is not None
    assert len(layout.lines) >= 2
    assert not splits(layout.lines, WORD_LIST)
    columns = [box[0] for box in layout.line_boxes]
    assert columns == sorted(columns, reverse=True)  # the first column is the rightmost
    for column in layout.line_boxes:
        assert column[3] > column[2]  # taller than wide
        assert _inside(column, layout.box)
    inside, outside = _ink_inside_and_outside(render_text_layer([layout], *CANVAS), layout.box)
    assert inside > 0.1 * layout.font_px**2 * len(block.text)
    assert outside == 0


def _ink_inside_and_outside(layer: QImage, box: tuple[int, int, int, int]) -> tuple[int, int]:
    alpha = layer.convertToFormat(QImage.Format.Format_Alpha8)
    data = bytes(alpha.constBits())
    stride = alpha.bytesPerLine()
    x, y, w, h = box
    inside = outside = 0
    for row in range(alpha.height()):
        line = data[row * stride : row * stride + alpha.width()]
        inner = sum(1 for value in line[x : x + w] if value > 64) if y <= row < y + h else 0
        inside += inner
        outside += sum(1 for value in line if value > 64) - inner
    return inside, outside


def test_vertical_latin_is_rotated_and_punctuation_uses_vertical_forms() -> None:
    block = TextBlock("headline", "新品iPhone上市，", box=(0.4, 0.05, 0.2, 0.9), vertical=True)
    (layout,) = layout_blocks([block], *CANVAS)
    assert layout.vertical is not None
    cells = {cell.text: cell for cell in layout.vertical.cells}
    assert not cells["iPhone"].upright and cells["新"].upright
    # The Latin run takes its own length along the column, more than one square cell.
    assert cells["iPhone"].length > 1.5 * layout.font_px
    layer = render_text_layer([layout], *CANVAS)
    comma = cells["，"]
    # The vertical comma sits in the upper right of its cell, not the lower left.
    left = int(comma.centre_x - layout.font_px / 2)
    top = int(comma.top)
    half = layout.font_px // 2
    image = layer.convertToFormat(layer.Format.Format_ARGB32)

    def ink(x0: int, y0: int) -> int:
        return sum(image.pixelColor(x, y).alpha() for x in range(x0, x0 + half, 2)
                   for y in range(y0, y0 + half, 2))  # fmt: skip

    assert ink(left + half, top) > ink(left, top + half)
