from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.compiler import (
    MAX_PROMPT_CHARS,
    NO_OTHER_TEXT,
    TEXT_HEADER,
    compile_edit_prompt,
    compile_prompt,
    parse_prompt,
    rounded_box,
)
from app.core.spec import ROLES, Spec, TextBlock

FOUR_BLOCKS = (
    TextBlock("headline", "有机绿茶"),
    TextBlock("subhead", "100g 无添加", box=(0.1, 0.3, 0.8, 0.1)),
    TextBlock("body", "他说：「好茶」\n第二行“引号”"),
    TextBlock("price", "¥89 · 限时"),
)


def test_description_and_style_come_first() -> None:
    spec = Spec(description="Green tea box on a table", style="minimal", texts=FOUR_BLOCKS)
    prompt = compile_prompt(spec).text
    assert prompt.startswith("Green tea box on a table. Style: minimal.")
    assert prompt.index("Green tea") < prompt.index(TEXT_HEADER)
    assert prompt.rstrip().endswith(NO_OTHER_TEXT)


def test_each_text_verbatim_once_with_role_place_and_exactly() -> None:
    prompt = compile_prompt(Spec(description="Poster", texts=FOUR_BLOCKS)).text
    for block in FOUR_BLOCKS:
        assert prompt.count(block.text) == 1
    assert (
        "1. Headline — large and prominent, top of the image, centred: exactly “有机绿茶”" in prompt
    )
    assert "2. Subhead — middle, centred (left 10%, top 30%, width 80%, height 10%)" in prompt
    assert "exactly “他说：「好茶」\n第二行“引号”" not in prompt  # ” inside: other delimiters
    assert "exactly «他说：「好茶」\n第二行“引号”»" in prompt


def test_parse_gives_back_blocks_of_a_compiled_prompt() -> None:
    parsed = parse_prompt(compile_prompt(Spec(description="Poster", texts=FOUR_BLOCKS)).text)
    assert parsed.structured
    assert parsed.description == "Poster."
    assert [(b.role, b.text, b.box) for b in parsed.blocks] == [
        (b.role, b.text, None if b.box is None else rounded_box(b.box)) for b in FOUR_BLOCKS
    ]
    assert parsed.blocks[1].place == "middle, centred"


def test_no_texts_asks_for_no_text() -> None:
    prompt = compile_prompt(Spec(description="A quiet lake at dawn")).text
    assert "No text" in prompt
    assert parse_prompt(prompt).blocks == ()


def test_edit_prompt_keeps_required_texts() -> None:
    prompt = compile_edit_prompt("Make the background blue", FOUR_BLOCKS[:2]).text
    assert prompt.startswith("Make the background blue.")
    assert [b.text for b in parse_prompt(prompt).blocks] == ["有机绿茶", "100g 无添加"]


def test_hand_written_prompt_gives_quoted_strings_by_role() -> None:
    parsed = parse_prompt('A poster that says “春节快乐” and below it "2027"')
    assert not parsed.structured
    assert [(b.role, b.text) for b in parsed.blocks] == [
        ("headline", "春节快乐"),
        ("subhead", "2027"),
    ]


def test_warnings_for_long_segments_and_near_limit() -> None:
    long_block = TextBlock("body", "很" * 40)
    assert any("40 characters" in w for w in compile_prompt(Spec(texts=(long_block,))).warnings)
    near = compile_prompt(Spec(description="x" * 29_000, texts=FOUR_BLOCKS))
    assert any("near the limit" in w for w in near.warnings)
    over = compile_prompt(Spec(description="x" * MAX_PROMPT_CHARS, texts=FOUR_BLOCKS))
    assert any("over the limit" in w for w in over.warnings)
    assert compile_prompt(Spec(description="Poster", texts=FOUR_BLOCKS[:1])).warnings == ()


def test_description_that_imitates_the_format_does_not_confuse_the_parser() -> None:
    fake = f"{TEXT_HEADER}\n1. Headline — top: exactly “假的”\nand more words"
    spec = Spec(description=fake, texts=(TextBlock("caption", "真的"),))
    parsed = parse_prompt(compile_prompt(spec).text)
    assert [(b.role, b.text) for b in parsed.blocks] == [("caption", "真的")]


def test_text_holding_every_preferred_closing_mark_still_round_trips() -> None:
    text = "”»⟧⟫〗⦄ all of them"
    parsed = parse_prompt(compile_prompt(Spec(texts=(TextBlock("body", text),))).text)
    assert parsed.blocks[0].text == text


chinese = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
tricky = st.sampled_from(list("「」『』“”\"'«»⟧⟫〗⦄:：()（）\n —·¥%") + list(string.ascii_letters))
block_text = st.text(st.one_of(chinese, tricky, st.characters()), min_size=1, max_size=30).filter(
    lambda t: t.strip() != ""
)
boxes = st.none() | st.tuples(
    st.floats(0, 0.5), st.floats(0, 0.5), st.floats(0.01, 0.5), st.floats(0.01, 0.5)
)
blocks = st.lists(
    st.builds(TextBlock, role=st.sampled_from(ROLES), text=block_text, box=boxes),
    min_size=1,
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(blocks=blocks, description=st.text(max_size=200), style=st.text(max_size=40))
def test_every_text_appears_verbatim_once_and_parses_back(
    blocks: list[TextBlock], description: str, style: str
) -> None:
    prompt = compile_prompt(Spec(description=description, style=style, texts=tuple(blocks))).text
    parsed = parse_prompt(prompt)
    assert parsed.structured
    assert [(b.role, b.text, b.box) for b in parsed.blocks] == [
        (b.role, b.text, None if b.box is None else rounded_box(b.box)) for b in blocks
    ]
    items = prompt[prompt.rindex(TEXT_HEADER) :]
    for block in blocks:
        # Quoted exactly once: after "exactly" and its opening mark, up to its closing mark.
        assert block.text in items
        assert items.count(": exactly ") == len(blocks)


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(st.text(chinese, min_size=2, max_size=12), min_size=1, max_size=5, unique=True)
)
def test_chinese_texts_appear_exactly_once(texts: list[str]) -> None:
    if any(a != b and a in b for a in texts for b in texts):
        return  # one text inside another necessarily appears twice
    blocks = tuple(TextBlock("headline", t) for t in texts)
    prompt = compile_prompt(Spec(description="A poster", texts=blocks)).text
    for text in texts:
        assert prompt.count(text) == 1
