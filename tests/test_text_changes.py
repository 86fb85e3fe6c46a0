"""What changed between two versions' texts, in words (``app.core.text_changes``)."""

from __future__ import annotations

import dataclasses

from app.core.spec import TextBlock
from app.core.text_changes import TextChange, describe, short, text_changes

HEAD = TextBlock("headline", "春日限定", box=(0.1, 0.1, 0.8, 0.2))
SUB = TextBlock("subhead", "新品上市", box=(0.1, 0.4, 0.8, 0.1))


def said(old: tuple[TextBlock, ...], new: tuple[TextBlock, ...]) -> str:
    return describe(text_changes(old, new))


def test_a_new_headline_is_said_with_its_old_and_new_words() -> None:
    new = (dataclasses.replace(HEAD, text="夏日冰饮"), SUB)
    change = TextChange("text", "headline", 0, "春日限定", "夏日冰饮")
    assert text_changes((HEAD, SUB), new) == (change,)
    assert said((HEAD, SUB), new) == "Headline: 春日限定 → 夏日冰饮"


def test_a_moved_box_a_resized_box_and_a_new_look_are_named_by_role() -> None:
    moved = (HEAD, dataclasses.replace(SUB, box=(0.1, 0.6, 0.8, 0.1)))
    assert said((HEAD, SUB), moved) == "Moved the subhead"
    resized = (dataclasses.replace(HEAD, box=(0.1, 0.1, 0.6, 0.3)), SUB)
    assert said((HEAD, SUB), resized) == "Resized the headline's box"
    placed = (dataclasses.replace(HEAD, box=None), SUB)
    assert said(placed, (HEAD, SUB)) == "Moved the headline"
    bolder = (dataclasses.replace(HEAD, weight=800, color="#ff0000"), SUB)
    assert said((HEAD, SUB), bolder) == "Typography of the headline"


def test_several_changes_are_listed_and_after_three_counted() -> None:
    new = (
        dataclasses.replace(HEAD, text="夏日冰饮", weight=900),
        dataclasses.replace(SUB, text="今日开售", box=(0.2, 0.5, 0.6, 0.1)),
    )
    assert said((HEAD, SUB), new) == (
        "Headline: 春日限定 → 夏日冰饮; Typography of the headline; Subhead: 新品上市 → 今日开售; "
        "1 more change"
    )


def test_blocks_added_removed_reordered_or_given_another_role() -> None:
    price = TextBlock("price", "¥18")
    assert said((HEAD, SUB), (HEAD, SUB, price)) == "Added a price: ¥18"
    assert said((HEAD, SUB), (HEAD,)) == "Removed the subhead: 新品上市"
    assert said((HEAD, SUB), (SUB,)) == "Removed the headline: 春日限定"
    assert said((HEAD, SUB), (SUB, HEAD)) == "Order of the texts"
    assert said((HEAD,), (dataclasses.replace(HEAD, role="caption"),)) == (
        "The headline is now a caption"
    )
    assert text_changes((HEAD, SUB), (HEAD, SUB)) == ()


def test_blocks_sharing_a_role_are_numbered_and_long_texts_cut() -> None:
    one, two = TextBlock("body", "第一段"), TextBlock("body", "第二段")
    moved = (one, dataclasses.replace(two, box=(0.0, 0.0, 0.5, 0.5)))
    assert said((one, two), moved) == "Moved the body 2"
    long = "一二三四五六七八九十" * 4
    (change,) = text_changes((one,), (dataclasses.replace(one, text=long),))
    assert change.new == short(long) and len(change.new) == 24 and change.new.endswith("…")
    assert short("两行\n文字") == "两行 文字"


def test_describe_takes_other_words() -> None:
    changes = text_changes((HEAD,), (dataclasses.replace(HEAD, text="夏日冰饮"),))
    assert describe(changes, lambda c: f"{c.old}→{c.new}", separator="、") == "春日限定→夏日冰饮"
