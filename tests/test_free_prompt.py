"""Hand-written prompts read as people write them: every quote style, cues, roles, apostrophes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.compiler import parse_prompt
from app.core.free_prompt import QUOTE_PAIRS, read_free_prompt


def found(prompt: str) -> list[tuple[str, str]]:
    return [(item.role, item.text) for item in read_free_prompt(prompt)[1]]


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("海报中央写着‘有机绿茶 100g 无添加’,极简包装风格", [("headline", "有机绿茶 100g 无添加")]),
        (
            "Chinese text on label exactly: '有机绿茶 100g 无添加'.",
            [("headline", "有机绿茶 100g 无添加")],
        ),
        ("with the text 'TECH 2026' glowing on the screen", [("headline", "TECH 2026")]),
        (
            "包装上的文字「春节快乐」,下方写着『阖家团圆』",
            [("headline", "春节快乐"), ("subhead", "阖家团圆")],
        ),
        ('A neon sign that reads "OPEN 24H", don\'t add anything else', [("headline", "OPEN 24H")]),
        ("A Women's Day poster that says 'Don't stop' in bold", [("headline", "Don't stop")]),
        ("The students' mural, text reads ’no quote’ here", []),
    ],
)
def test_guide_prompts_give_their_texts(prompt: str, expected: list[tuple[str, str]]) -> None:
    assert found(prompt) == expected


def test_roles_come_from_the_words_before_each_text() -> None:
    prompt = (
        "主标题“春节快乐”，副标题「阖家团圆」，日期『2027.01.28』，按钮\"立即购买\"，价格 '¥99'"
    )
    assert found(prompt) == [
        ("headline", "春节快乐"),
        ("subhead", "阖家团圆"),
        ("date", "2027.01.28"),
        ("button", "立即购买"),
        ("price", "¥99"),
    ]
    english = "Subtitle 'Fresh every day', headline “Green Tea”, a button saying 'Buy now', '¥39'"
    assert found(english) == [
        ("subhead", "Fresh every day"),
        ("headline", "Green Tea"),
        ("button", "Buy now"),
        ("price", "¥39"),
    ]
    assert found("An update 'v2' for the app") == [("headline", "v2")]  # "update" is no date


def test_cued_texts_without_quotes() -> None:
    assert found("标题：新品上市，副标题：限时八折。白色背景") == [
        ("headline", "新品上市"),
        ("subhead", "限时八折"),
    ]
    assert found("Poster, exactly: SALE 50%. Red background") == [("headline", "SALE 50%")]
    assert found("Style: minimal, context: none") == []


def test_a_text_repeated_is_drawn_once_and_the_description_loses_the_texts() -> None:
    description, texts = read_free_prompt("写着“好茶”，再强调一次“好茶”要大")
    assert [t.text for t in texts] == ["好茶"]
    assert "“" not in description.split("再")[0]


def test_compiled_prompts_are_still_read_by_their_own_format() -> None:
    parsed = parse_prompt('A poster that says “春节快乐” and below it "2027"')
    assert not parsed.structured
    assert [(b.role, b.text) for b in parsed.blocks] == [
        ("headline", "春节快乐"),
        ("subhead", "2027"),
    ]


LEAD_INS = (
    "", "A poster with the text ", "海报中央写着", "Chinese text on label exactly: ", "标题",
    "文字",
    "A Women's Day card that says ", "Don't crowd it; it reads ", "包装上印着", "with the words ",
)  # fmt: skip
LEAD_OUTS = (
    "", ".", ", glowing on the screen", ",极简包装风格", " — don't add other text", "。白色背景",
    " in the students' style", "，不要其他文字",
)  # fmt: skip
text_chars = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.sampled_from(list("ABCXYZabcxyz0123456789 %¥.-!")),
)
texts = st.text(text_chars, min_size=1, max_size=16).filter(
    lambda t: t == t.strip() and t.strip() != ""
)


@settings(max_examples=300, deadline=None)
@given(
    text=texts,
    opening=st.sampled_from(sorted(QUOTE_PAIRS)),
    lead_in=st.sampled_from(LEAD_INS),
    lead_out=st.sampled_from(LEAD_OUTS),
)
def test_a_quoted_text_in_any_style_is_found_exactly_once(
    text: str, opening: str, lead_in: str, lead_out: str
) -> None:
    prompt = f"{lead_in}{opening}{text}{QUOTE_PAIRS[opening]}{lead_out}"
    assert [item.text for item in read_free_prompt(prompt)[1]] == [text]


@settings(max_examples=200, deadline=None)
@given(
    chosen=st.lists(texts, min_size=1, max_size=4, unique=True),
    openings=st.lists(st.sampled_from(sorted(QUOTE_PAIRS)), min_size=4, max_size=4),
    lead_ins=st.lists(st.sampled_from(LEAD_INS), min_size=4, max_size=4),
)
def test_several_texts_come_out_in_order(
    chosen: list[str], openings: list[str], lead_ins: list[str]
) -> None:
    prompt = "".join(
        f"{lead} {mark}{text}{QUOTE_PAIRS[mark]}, "
        for text, mark, lead in zip(chosen, openings, lead_ins, strict=False)
    )
    assert [item.text for item in read_free_prompt(prompt)[1]] == chosen
