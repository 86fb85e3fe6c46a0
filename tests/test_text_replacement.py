"""Typed edit instructions that replace a text, read as designers write them: English and
Chinese, every quote style, unquoted Chinese found among the image's texts, a role named."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.edit_turns import replaced_texts
from app.core.spec import TextBlock
from app.core.text_replacement import (
    Replacement,
    read_replacement,
    replaced_block,
    replacement_in,
    typed_edit,
)

KNOWN = ("AI Engineering", "春日限定", "¥39", "春日茶会 新品上市")


def old_and_new(old: str, new: str) -> Replacement:
    return Replacement(new=new, old=old)


def role_and_new(role: str, new: str) -> Replacement:
    return Replacement(new=new, role=role)


@pytest.mark.parametrize(
    ("instruction", "expected"),
    [
        (
            'change "AI Engineering" to "AI Engineer 训练营"',
            old_and_new("AI Engineering", "AI Engineer 训练营"),
        ),
        ("replace 春日限定 with 夏日冰饮", old_and_new("春日限定", "夏日冰饮")),
        ("把“春日限定”改成“夏日冰饮”", old_and_new("春日限定", "夏日冰饮")),
        ("将标题改为“夏日冰饮”", role_and_new("headline", "夏日冰饮")),
        ("make the headline say '夏日冰饮'", role_and_new("headline", "夏日冰饮")),
        ("headline: 夏日冰饮", role_and_new("headline", "夏日冰饮")),
        ("标题：夏日冰饮", role_and_new("headline", "夏日冰饮")),
        ("把春日限定改成夏日冰饮，其他不变", old_and_new("春日限定", "夏日冰饮")),
        ("请把标题里的春日限定换成夏日冰饮", old_and_new("春日限定", "夏日冰饮")),
        ("用「夏日冰饮」替换「春日限定」", old_and_new("春日限定", "夏日冰饮")),
        ("『春日限定』→『夏日冰饮』", old_and_new("春日限定", "夏日冰饮")),
        ("春日限定 -> 夏日冰饮", old_and_new("春日限定", "夏日冰饮")),
        ("把价格改成¥29", role_and_new("price", "¥29")),
        ("Change the price to ¥29.", role_and_new("price", "¥29")),
        ("副标题改为‘清爽一夏’", role_and_new("subhead", "清爽一夏")),
        ("修改标题为夏日冰饮", role_and_new("headline", "夏日冰饮")),
        ("set the subtitle to 'Fresh every day'", role_and_new("subhead", "Fresh every day")),
        ("Update headline to SUMMER SALE", role_and_new("headline", "SUMMER SALE")),
        ("the headline should read “夏日冰饮”", role_and_new("headline", "夏日冰饮")),
        ('use "夏日冰饮" instead of "春日限定"', old_and_new("春日限定", "夏日冰饮")),
        ("rename 'AI Engineering' to 'AI Engineer'", old_and_new("AI Engineering", "AI Engineer")),
        ("swap ‘AI Engineering’ for ‘AI 工程’", old_and_new("AI Engineering", "AI 工程")),
        ("把春日改成夏日", old_and_new("春日", "夏日")),
        ("replace Engineering with Engineer", old_and_new("Engineering", "Engineer")),
        (
            "Replace the text “春日” with exactly “夏日”. Change nothing else.",
            old_and_new("春日", "夏日"),
        ),
        (
            'Change the headline "AI Engineering" to "AI 工程师"',
            Replacement("AI 工程师", "AI Engineering", "headline"),
        ),
        # Not a text replacement: these ask for something else.
        ("make the background sunset", None),
        ("change the background to a sunset", None),
        ("把背景改成夕阳", None),
        ("将标题改为红色", None),
        ("the headline should be bigger", None),
        ("把标题改成竖排", None),
        ("将标题改为楷体", None),
        ("标题改成两行", None),
        ("把副标题改成英文", None),
        ("Change the headline to Chinese", None),
        ("set the headline to bold", None),
        ("turn “春日限定” into a neon sign", None),
        ("把“春日限定”改成霓虹灯效果", None),
        ("change the headline font to serif", None),
        ("change the title to something more exciting", None),
        ("把夏日冰饮改成秋日", None),  # unquoted, and not among the image's texts
        ("改成“夏日冰饮”", None),  # says neither what it replaces nor which block
    ],
)
def test_real_phrasings(instruction: str, expected: Replacement | None) -> None:
    assert read_replacement(instruction, KNOWN) == expected


BLOCKS = (TextBlock("headline", "春日限定"), TextBlock("subhead", "AI Engineering 训练营"))


def test_the_block_named_by_its_text_its_part_or_its_role() -> None:
    assert replacement_in(BLOCKS, old_and_new("春日限定", "夏日冰饮")) == (
        0,
        "春日限定",
        "夏日冰饮",
    )
    assert replacement_in(BLOCKS, old_and_new("Engineering", "Engineer")) == (
        1, "AI Engineering 训练营", "AI Engineer 训练营",
    )  # fmt: skip
    assert replacement_in(BLOCKS, role_and_new("subhead", "新")) == (
        1,
        "AI Engineering 训练营",
        "新",
    )
    assert replacement_in(BLOCKS, role_and_new("price", "¥9")) is None
    assert replacement_in(BLOCKS, old_and_new("秋日", "冬日")) is None
    # A spec sent as it will be: the block already holds the new text; its old one is cleared.
    assert replacement_in(BLOCKS, old_and_new("夏日冰饮", "春日限定")) == (
        0,
        "夏日冰饮",
        "春日限定",
    )
    assert replaced_block("将副标题改为“AI 训练营”", BLOCKS) == (1, "AI 训练营")
    assert replaced_block("make the background sunset", BLOCKS) is None
    assert replaced_block("标题：春日限定", BLOCKS) is None  # already so


_CLOSING = {"“": "”", "‘": "’", "「": "」", "『": "』", '"': '"', "'": "'"}
TEMPLATES = (
    "change {old} to {new}",
    "Replace {old} with {new}, keep the rest",
    "把{old}改成{new}",
    "将{old}替换为{new}。",
    "用{new}替换{old}",
    "{old} → {new}",
    "{new} instead of {old}",
)
_TEXT = st.text(
    st.characters(
        codec="utf-8",
        categories=("L", "N", "P", "S", "Zs"),
        exclude_characters="\x01\x02",
    ),
    min_size=1,
    max_size=12,
).filter(lambda text: text.strip() != "")


@given(
    old=_TEXT,
    new=_TEXT,
    opening=st.sampled_from(sorted(_CLOSING)),
    template=st.sampled_from(TEMPLATES),
)
def test_quoted_texts_come_back_exactly(old: str, new: str, opening: str, template: str) -> None:
    closing = _CLOSING[opening]
    if closing in old or closing in new or old == new:
        return  # a text holding its own closing mark is quoted another way
    instruction = template.format(old=f"{opening}{old}{closing}", new=f"{opening}{new}{closing}")
    assert read_replacement(instruction) == Replacement(new=new, old=old)


@given(new=_TEXT, opening=st.sampled_from(sorted(_CLOSING)))
def test_a_quoted_new_text_after_a_role_comes_back_exactly(new: str, opening: str) -> None:
    closing = _CLOSING[opening]
    if closing in new:
        return
    for template in ("将标题改为{new}", "make the headline say {new}", "headline: {new}"):
        instruction = template.format(new=f"{opening}{new}{closing}")
        assert read_replacement(instruction) == Replacement(new=new, role="headline")


def test_a_typed_replacement_is_sent_as_a_replace_text_turn_is() -> None:
    """The new text is required instead of the old, and the engine can read back which text it
    replaces; any other instruction goes as typed with the texts as they were."""
    from app.core.compiler import compile_edit_prompt

    instruction, kept = typed_edit("将标题改为“夏日冰饮”", BLOCKS)
    assert [block.text for block in kept] == ["夏日冰饮", "AI Engineering 训练营"]
    assert instruction.startswith("将标题改为“夏日冰饮”. Replace the headline text “春日限定”")
    assert replaced_texts(compile_edit_prompt(instruction, kept).text) == ((0, "春日限定"),)
    assert typed_edit("make the background sunset", BLOCKS) == (
        "make the background sunset",
        BLOCKS,
    )


_HAN = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=2, max_size=8)
_WORDS = ("改", "换", "变", "写", "替", "几个字", "这些字", "字样", "这句", "用")


@given(old=_HAN, new=_HAN, opening=st.sampled_from(sorted(_CLOSING)))
def test_an_unquoted_chinese_text_of_the_image_comes_back_exactly(
    old: str, new: str, opening: str
) -> None:
    """Unquoted, the old text is found as the image has it; the new one comes back as quoted."""
    if any(word in old for word in _WORDS) or old == new:
        return  # words of the instruction itself
    known = [f"{old}", "明前龙井"]
    instruction = f"把{old}改成{opening}{new}{_CLOSING[opening]}"
    assert read_replacement(instruction, known) == Replacement(new=new, old=old)
