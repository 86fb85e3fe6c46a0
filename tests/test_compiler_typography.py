"""The compiler says a block's typography in words, reads it back, and asks for text-free scenes."""

from __future__ import annotations

from app.core.compiler import compile_prompt, parse_prompt
from app.core.spec import Spec, Stroke, TextBlock

VERTICAL_LEFT = TextBlock(
    "headline",
    "有机绿茶",
    box=(0.3, 0.1, 0.4, 0.6),
    weight=800,
    color="#1D4ED8",
    align="left",
    vertical=True,
    stroke=Stroke(0.05, "#FFFFFF"),
)


def test_colour_weight_alignment_and_vertical_are_described() -> None:
    prompt = compile_prompt(Spec(description="a tea poster", texts=(VERTICAL_LEFT,))).text
    line = next(line for line in prompt.splitlines() if "有机绿茶" in line)
    assert "centred" not in line  # the box is centred, the text is not
    assert "set vertically, top to bottom, columns from right to left" in line
    assert "left-aligned" in line
    assert "extra bold (weight 800)" in line
    assert "colour #1D4ED8" in line
    assert "outlined in #FFFFFF" in line


def test_typography_reads_back_from_the_prompt() -> None:
    blocks = (VERTICAL_LEFT, TextBlock("subhead", "100g 无添加", align="center", weight=400))
    parsed = parse_prompt(compile_prompt(Spec(description="x", texts=blocks)).text)
    assert parsed.structured
    first, second = parsed.text_blocks()
    assert (first.text, first.weight, first.color, first.align, first.vertical) == (
        "有机绿茶", 800, "#1D4ED8", "left", True,
    )  # fmt: skip
    assert (second.text, second.align, second.weight, second.vertical) == (
        "100g 无添加", "center", 400, False,
    )  # fmt: skip


def test_a_colour_that_would_break_the_format_is_not_said() -> None:
    block = TextBlock("headline", "字", color="rgb(1: 2)")
    prompt = compile_prompt(Spec(description="x", texts=(block,))).text
    assert "rgb" not in prompt
    assert parse_prompt(prompt).text_blocks()[0].text == "字"


def test_exact_text_asks_for_clean_space_and_no_text() -> None:
    spec = Spec(description="a tea poster", texts=(VERTICAL_LEFT,), exact_text=True)
    prompt = compile_prompt(spec).text
    assert "有机绿茶" not in prompt
    assert "(left 30%, top 10%, width 40%, height 60%)" in prompt
    assert "empty space" in prompt
    assert prompt.endswith("No text, letters, numbers, logos or signage anywhere in the image.")
    assert parse_prompt(prompt).blocks == ()
