"""The text check end to end on images the typesetter draws: the real OCR engine, offline.

One warm worker serves the whole module, with every network connection in it made to fail.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest

from app.core.fidelity import RequiredText, TextCheck
from app.core.spec import TextBlock
from app.ocr import OcrWorker
from tests.ocr_fakes import offline_reader
from tests.ocr_images import Background, render

pytestmark = pytest.mark.gui

# 12+ look-alike substitutions: (the text asked for, the same text with one look-alike in it).
LOOK_ALIKES = [
    ("有机绿茶", "有机绿荼"),
    ("日出东方", "曰出东方"),
    ("未来可期", "末来可期"),
    ("知己知彼", "知已知彼"),
    ("大吉大利", "大吉太利"),
    ("干杯朋友", "千杯朋友"),
    ("白云深处", "自云深处"),
    ("乌龙名茶", "鸟龙名茶"),
    ("今日特价", "令日特价"),
    ("往来无阻", "住来无阻"),
    ("休闲时光", "体闲时光"),
    ("土豆烧肉", "士豆烧肉"),
    ("美酒佳肴", "美洒佳肴"),
    ("板栗香甜", "板粟香甜"),
]


@pytest.fixture(autouse=True)
def _gui(qapp: object) -> None:
    """The typesetter draws the test images: pytest-qt's application object comes first."""


@pytest.fixture(scope="module")
def ocr() -> Iterator[OcrWorker]:
    with OcrWorker(make_reader=offline_reader) as worker:
        yield worker


def required(blocks: Sequence[TextBlock]) -> list[RequiredText]:
    """What each block asks for (a glyph-per-line column asks for its glyphs)."""
    return [
        RequiredText(
            block.text.replace("\n", "") if block.vertical else block.text,
            block.role,
            block.box,
            block.vertical,
        )
        for block in blocks
    ]


def summary(check: TextCheck) -> str:
    lines = [f"{block.text!r} -> {block.found!r} cer={block.cer:.2f}" for block in check.blocks]
    return "\n".join([*lines, "read:", check.read_text])


POSTER = [
    TextBlock("headline", "有机绿茶", (0.1, 0.06, 0.8, 0.16), weight=900),
    TextBlock("subhead", "明前龙井·清香型", (0.15, 0.26, 0.7, 0.07), font="Noto Sans CJK TC"),
    TextBlock(
        "body", "采自高山云雾茶园，手工杀青，三道工序。", (0.1, 0.36, 0.72, 0.05), weight=300
    ),
    TextBlock("label", "春眠不觉晓", (0.84, 0.48, 0.08, 0.44), vertical=True),  # a column
    TextBlock("price", "¥39.9", (0.3, 0.8, 0.3, 0.08), weight=700),
    TextBlock("caption", "100g 无添加 净含量", (0.1, 0.94, 0.4, 0.03)),
]


@pytest.mark.parametrize("background", ["plain", "gradient", "noise"])
def test_correct_images_pass(ocr: OcrWorker, background: Background) -> None:
    png = render(POSTER, background=background, seed=7)
    check = ocr.check(png, required(POSTER))
    assert check.exact, summary(check)
    assert all(block.cer == 0.0 and block.box is not None for block in check.blocks)


def test_every_look_alike_substitution_is_caught(ocr: OcrWorker) -> None:
    drawn = [
        TextBlock("body", wrong, (0.05 + 0.5 * (index % 2), 0.03 + 0.135 * (index // 2), 0.4, 0.09))
        for index, (_right, wrong) in enumerate(LOOK_ALIKES)
    ]
    asked = [
        RequiredText(right, "body", block.box)
        for (right, _wrong), block in zip(LOOK_ALIKES, drawn, strict=True)
    ]
    check = ocr.check(render(drawn, background="gradient"), asked)
    caught = []
    for (right, wrong), block in zip(LOOK_ALIKES, check.blocks, strict=True):
        position = next(i for i, (a, b) in enumerate(zip(right, wrong, strict=True)) if a != b)
        expected = [("wrong", position, right[position], wrong[position])]
        found = [(d.kind, d.position, d.expected, d.found) for d in block.differences]
        if not block.exact and found == expected and block.cer == 1 / len(right):
            caught.append(right)
    assert len(caught) == len(LOOK_ALIKES) >= 12, summary(check)


def test_punctuation_variants_do_not_count_as_errors(ocr: OcrWorker) -> None:
    drawn = [
        TextBlock("headline", "新品上市!限时特惠", (0.08, 0.08, 0.84, 0.1)),
        TextBlock("subhead", "绿茶・红茶・花茶", (0.12, 0.25, 0.76, 0.08)),
        TextBlock("body", "春・夏(限定)", (0.12, 0.4, 0.76, 0.08)),
        TextBlock("body", "\u201c好茶\u201d:只需39.9元", (0.12, 0.55, 0.76, 0.08)),
    ]
    asked = [
        RequiredText("新品上市！限时特惠"),
        RequiredText("绿茶·红茶·花茶"),
        RequiredText("春·夏（限定）"),
        RequiredText('"好茶"：只需39.9元'),
    ]
    check = ocr.check(render(drawn), asked)
    assert check.exact, summary(check)
    # ... while a real difference in the same image is still one.
    wrong = ocr.check(render(drawn), [RequiredText("绿茶·黑茶·花茶")])
    assert not wrong.exact
    assert [(d.expected, d.found) for d in wrong.blocks[0].differences] == [("黑", "红")]


SMALL_4K = [
    # Small text (about 30-40 px tall) across a 3840x2160 canvas, one line across a tile edge.
    TextBlock("body", "春风又绿江南岸", (0.04, 0.05, 0.14, 0.02)),
    TextBlock("body", "明月何时照我还", (0.44, 0.47, 0.14, 0.02)),
    TextBlock("caption", "京口瓜洲一水间，钟山只隔数重山", (0.62, 0.9, 0.3, 0.02)),
]


@pytest.mark.slow
def test_a_4k_image_with_small_text_is_read_by_tiles(ocr: OcrWorker) -> None:
    png = render(SMALL_4K, 3840, 2160, background="gradient")
    asked = [RequiredText(block.text, block.role) for block in SMALL_4K]  # no boxes: tiles
    check = ocr.check(png, asked)
    assert check.exact, summary(check)
    x, y, w, h = check.blocks[1].box or (0, 0, 0, 0)  # where the typesetter put it
    assert x >= 1690 and x + w <= 1690 + 538 and y >= 1010 and y + h <= 1060


@pytest.mark.slow
def test_a_4k_image_with_small_text_is_read_by_its_blocks_boxes(ocr: OcrWorker) -> None:
    png = render(SMALL_4K, 3840, 2160, background="noise")
    check = ocr.check(png, required(SMALL_4K))
    assert check.exact, summary(check)


def test_a_wrong_character_in_a_line_with_a_space_has_its_own_box(ocr: OcrWorker) -> None:
    """The engine gives no box for a space; the characters after it keep theirs, so the outline
    of a wrong character is that character, not its whole line."""
    drawn = TextBlock("subhead", "休闲时光 新品土市", (0.15, 0.3, 0.7, 0.07))
    asked = [RequiredText("休闲时光 新品上市", "subhead", drawn.box)]
    check = ocr.check(render([drawn], 768, 1024, background="gradient"), asked)
    (block,) = check.blocks
    (difference,) = block.differences
    assert (difference.expected, difference.found) == ("上", "土"), summary(check)
    assert block.box is not None and difference.box is not None
    character_width = block.box[2] / 9
    assert difference.box[2] < 1.5 * character_width
    # 土 is the eighth of nine characters: its box is in the last quarter of the line.
    assert difference.box[0] > block.box[0] + 0.7 * block.box[2]
