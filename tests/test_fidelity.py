"""The fidelity scorer: text read back from an image compared with the blocks it had to carry."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.core.fidelity import (
    LOOK_ALIKE_GROUPS,
    ReadLine,
    RequiredText,
    check_block,
    check_texts,
    looks_alike,
    reading_order,
)
from app.core.textnorm import normalise, normalise_chars

# Common Chinese characters, none of them punctuation or whitespace.
HANZI = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
TEXTS = st.text(HANZI, min_size=1, max_size=24)
# A one-character block read as another character cannot be told from one not found at all.
LONGER = st.text(HANZI, min_size=2, max_size=24)


def line(text: str, x: int = 0, y: int = 0, size: int = 40) -> ReadLine:
    boxes = tuple((x + index * size, y, size, size) for index in range(len(text)))
    return ReadLine(text, (x, y, size * max(1, len(text)), size), 0.99, boxes)


def different(char: str) -> str:
    return chr(0x4E00 + (ord(char) - 0x4E00 + 1) % (0x9FA5 - 0x4E00))


@given(TEXTS)
def test_a_text_read_back_as_itself_is_exact(text: str) -> None:
    result = check_block(RequiredText(text), [line(text)])
    assert result.exact
    assert result.cer == 0.0
    assert result.found == text
    assert result.differences == ()


@given(LONGER, st.data())
def test_one_substitution_gives_cer_one_over_length_and_names_the_character(
    text: str, data: st.DataObject
) -> None:
    position = data.draw(st.integers(0, len(text) - 1))
    wrong = different(text[position])
    read = text[:position] + wrong + text[position + 1 :]
    result = check_block(RequiredText(text), [line(read, x=100, y=200)])
    assert not result.exact
    assert result.cer == 1 / len(text)
    [difference] = result.differences
    assert (difference.kind, difference.position) == ("wrong", position)
    assert (difference.expected, difference.found) == (text[position], wrong)
    assert difference.box == (100 + 40 * position, 200, 40, 40)


@given(TEXTS, st.data())
def test_a_missing_character_is_named_where_it_should_be(text: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(text) - 1))
    read = text[:position] + text[position + 1 :]
    result = check_block(RequiredText(text), [line(read)] if read else [])
    assert not result.exact
    assert result.cer == 1 / len(text)
    assert any(
        item.kind == "missing" and text[item.position] == item.expected
        for item in result.differences
    )


@given(TEXTS, TEXTS, TEXTS)
def test_a_block_is_found_among_other_text(before: str, text: str, after: str) -> None:
    lines = [line(before, y=0), line(text, y=100), line(after, y=200)]
    result = check_block(RequiredText(text), lines)
    assert result.exact
    assert result.found == text


@given(st.lists(TEXTS, min_size=2, max_size=4))
def test_a_block_split_over_lines_is_read_in_order(parts: list[str]) -> None:
    lines = [line(part, y=60 * index) for index, part in enumerate(parts)]
    result = check_block(RequiredText("\n".join(parts)), list(reversed(lines)))
    assert result.exact


def test_every_look_alike_substitution_is_an_error_and_marked() -> None:
    pairs = [(group[0], other) for group in LOOK_ALIKE_GROUPS for other in group[1:]]
    assert len(pairs) >= 12
    for expected, found in pairs:
        text = f"新鲜{expected}叶"
        result = check_block(RequiredText(text), [line(f"新鲜{found}叶")])
        assert not result.exact, (expected, found)
        [difference] = result.differences
        assert difference.look_alike
        assert (difference.expected, difference.found) == (expected, found)


def test_looks_alike_is_symmetric_and_never_true_for_a_character_itself() -> None:
    assert looks_alike("茶", "荼") and looks_alike("荼", "茶")
    assert not looks_alike("茶", "茶")
    assert not looks_alike("茶", "绿")


def test_punctuation_variants_are_not_errors() -> None:
    cases = [
        ("有机·绿茶", "有机・绿茶"),
        ("春——夏", "春――夏"),
        ("你好，世界！", "你好,世界!"),
        ("“好茶”", '"好茶"'),
        ("售价：¥39.9", "售价:￥39．9"),
        ("等等……", "等等......"),
        ("（新品）", "(新品)"),
        ("第１名", "第1名"),
    ]
    for expected, found in cases:
        result = check_block(RequiredText(expected), [line(found)])
        assert result.exact, (expected, found, result)


def test_whitespace_is_ignored_but_letters_are_not_mapped() -> None:
    assert check_block(RequiredText("100g 无添加"), [line("100g无添加")]).exact
    assert not check_block(RequiredText("一二三"), [line("-二三")]).exact  # 一 is not a dash
    assert not check_block(RequiredText("口味"), [line("□味")]).exact
    assert not check_block(RequiredText("Logo"), [line("L0go")]).exact


def test_normalised_characters_keep_their_place_in_the_original_text() -> None:
    chars = normalise_chars("a b...c")
    assert [(item.char, item.start, item.end) for item in chars] == [
        ("a", 0, 1),
        ("b", 2, 3),
        ("…", 3, 6),
        ("c", 6, 7),
    ]
    assert normalise(" 好 ，\n茶 ") == "好，茶"


def test_text_not_in_the_image_is_all_missing() -> None:
    result = check_block(RequiredText("有机绿茶"), [line("限时特价")])
    assert not result.exact
    assert result.cer == 1.0
    assert result.found == ""
    assert [item.kind for item in result.differences] == ["missing"] * 4


def test_an_extra_character_is_reported_with_its_box() -> None:
    result = check_block(RequiredText("绿茶"), [line("绿色茶", x=0)])
    assert result.cer == 0.5
    [difference] = result.differences
    assert (difference.kind, difference.position, difference.found) == ("extra", 1, "色")
    assert difference.box == (40, 0, 40, 40)


def test_reading_order_is_rows_then_left_to_right_and_columns_right_to_left() -> None:
    lines = [line("右", x=500, y=10), line("下", x=0, y=300), line("左", x=0, y=0)]
    assert [item.text for item in reading_order(lines)] == ["左", "右", "下"]
    left = ReadLine("左列", (100, 0, 40, 200), 1.0)
    right = ReadLine("右列", (300, 0, 40, 200), 1.0)
    assert [item.text for item in reading_order([left, right])] == ["右列", "左列"]


def test_a_block_box_narrows_the_search_to_its_place() -> None:
    # The same wrong text elsewhere must not hide the exact one inside the block's box.
    lines = [line("有机绿荼", x=0, y=0), line("有机绿茶", x=0, y=900)]
    boxed = RequiredText("有机绿茶", box=(0.0, 0.85, 0.5, 0.1))
    result = check_block(boxed, lines, image_size=(1000, 1000))
    assert result.exact
    assert result.box is not None and result.box[1] == 900


def test_vertical_block_reads_columns_right_to_left() -> None:
    # One glyph per line, two columns: 春眠 on the right, 不觉 on the left.
    glyphs = [("春", 300, 0), ("眠", 300, 50), ("不", 200, 0), ("觉", 200, 50)]
    lines = [ReadLine(char, (x, y, 40, 40), 1.0) for char, x, y in glyphs]
    required = RequiredText("春眠不觉", box=(0.1, 0.0, 0.3, 0.2), vertical=True)
    assert check_block(required, lines, image_size=(1000, 1000)).exact


def test_check_texts_is_exact_only_when_every_block_is() -> None:
    lines = [line("有机绿茶", y=0), line("清香型", y=100)]
    good = check_texts([RequiredText("有机绿茶"), RequiredText("清香型")], lines)
    assert good.exact and good.wrong_count == 0
    bad = check_texts([RequiredText("有机绿茶"), RequiredText("浓香型")], lines)
    assert not bad.exact and bad.wrong_count == 1
    assert bad.to_json()["blocks"][1] | {} == bad.blocks[1].to_json()
    assert bad.to_json()["exact"] is False
