"""The cost model: output-token formula, estimates, actual cost from usage, and display."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from app.core.cost import (
    AUTO_SIZE,
    CostEstimate,
    actual_cost,
    estimate,
    format_usd,
    image_output_tokens,
    reference_image_tokens_estimate,
    text_tokens_estimate,
)
from app.core.models import RetiredModelError, UnknownModelError


def est(**overrides: object) -> CostEstimate:
    args: dict[str, object] = {
        "model": "gpt-image-2",
        "prompt": "",
        "width": 1024,
        "height": 1024,
        "quality": "medium",
        "n": 1,
    }
    args.update(overrides)
    return estimate(**args)  # type: ignore[arg-type]


# --- the published formula's check values --------------------------------------------------------


@pytest.mark.parametrize(
    ("width", "height", "quality", "tokens"),
    [
        (1024, 1024, "low", 196),
        (1024, 1024, "medium", 1756),
        (1024, 1024, "high", 7024),
        (1536, 1024, "low", 158),
        (1536, 1024, "medium", 1372),
        (1536, 1024, "high", 5488),
        (1024, 1536, "medium", 1372),
    ],
)
def test_output_token_check_values(width: int, height: int, quality: str, tokens: int) -> None:
    assert image_output_tokens(width, height, quality) == tokens
    assert image_output_tokens(width, height, quality, family="gpt-image-2.5") == tokens
    assert est(width=width, height=height, quality=quality).output_tokens_per_image == tokens


@pytest.mark.parametrize(
    ("quality", "usd", "shown"),
    [("low", 0.00588, "$0.006"), ("medium", 0.05268, "$0.053"), ("high", 0.21072, "$0.211")],
)
def test_price_check_values_1024_square(quality: str, usd: float, shown: str) -> None:
    estimate_ = est(quality=quality)
    assert estimate_.usd == pytest.approx(usd, abs=1e-12)
    assert format_usd(estimate_.usd) == shown
    assert estimate_.output_approximate is False


def test_issue_check_value_four_high_squares() -> None:
    result = est(quality="high", n=4)
    assert result.output_tokens_per_image == 7024
    assert result.output_tokens == 28_096
    assert result.usd == pytest.approx(28_096 * 30 / 1_000_000)
    assert result.size == "1024x1024"


def test_unknown_quality_for_the_formula_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        image_output_tokens(1024, 1024, "xhigh")
    with pytest.raises(ValueError, match="must be positive"):
        image_output_tokens(0, 1024, "low")


# --- estimates -----------------------------------------------------------------------------------


def test_input_is_counted_once_and_output_n_times() -> None:
    prompt = "a" * 4000  # 1,000 text tokens by the heuristic
    refs = [(1024, 1024), (512, 512)]
    one = est(prompt=prompt, reference_sizes=refs, n=1)
    three = est(prompt=prompt, reference_sizes=refs, n=3)
    assert one.text_tokens == three.text_tokens == 1000
    assert one.image_tokens == three.image_tokens == 765 + 255
    assert one.input_tokens == three.input_tokens == 2020
    assert three.output_tokens == 3 * one.output_tokens == 3 * 1756
    assert one.usd == pytest.approx((1000 * 5 + 1020 * 8 + 1756 * 30) / 1e6)
    assert three.usd is not None and one.usd is not None
    assert three.usd - one.usd == pytest.approx(2 * 1756 * 30 / 1e6)
    assert one.input_approximate is True
    assert any("input tokens are an offline estimate" in note for note in one.notes)


def test_auto_quality_is_estimated_as_high() -> None:
    result = est(quality="auto")
    assert result.quality == "high"
    assert result.output_tokens_per_image == 7024
    assert result.output_approximate is True
    assert 'quality "auto" is estimated as "high".' in result.notes


def test_auto_size_is_estimated_as_the_largest_standard_size() -> None:
    result = est(width=None, height=None, quality="medium")
    assert AUTO_SIZE == (1536, 1024)
    assert (result.width, result.height, result.size) == (1536, 1024, "1536x1024")
    assert result.output_tokens_per_image == 1372
    assert result.output_approximate is True
    assert any("1536x1024" in note and '"auto"' in note for note in result.notes)


@pytest.mark.parametrize("quality", ["low", "medium", "high"])
def test_2_5_family_is_priced_like_gpt_image_2(quality: str) -> None:
    for model in ("gpt-image-2.5-sunburst", "gpt-image-2.5-flare-2026-09-08"):
        assert est(model=model, quality=quality).usd == est(quality=quality).usd


@pytest.mark.parametrize(
    ("model", "quality"),
    [
        ("gpt-image-2.5-sunburst", "xhigh"),
        ("gpt-image-2.5-flare", "max"),
        ("gpt-image-1.5", "medium"),
        ("gpt-image-1-mini", "low"),
        ("gpt-image-2.6-preview", "high"),
        ("chatgpt-image-latest", "auto"),
    ],
)
def test_unknown_prices_are_usage_only(model: str, quality: str) -> None:
    result = est(model=model, quality=quality)
    assert result.usd is None
    assert format_usd(result.usd) == "usage only"
    assert result.output_approximate is True
    assert result.output_tokens_per_image > 0
    assert any(note.endswith("usage only.") for note in result.notes)
    assert any("a guide only" in note for note in result.notes)


def test_xhigh_is_counted_at_least_as_high() -> None:
    result = est(model="gpt-image-2.5-flare", quality="xhigh")
    assert result.quality == "xhigh"
    assert result.output_tokens_per_image == 7024  # high's count
    assert any('quality "xhigh" on gpt-image-2.5-flare' in note for note in result.notes)


def test_estimate_rejects_bad_input() -> None:
    with pytest.raises(RetiredModelError):
        est(model="dall-e-3")
    with pytest.raises(UnknownModelError):
        est(model="gpt-image-9")
    with pytest.raises(ValueError, match="not offered by gpt-image-2"):
        est(quality="xhigh")
    with pytest.raises(ValueError, match="both width and height"):
        est(width=None)
    with pytest.raises(ValueError, match="at least 1"):
        est(n=0)


# --- input heuristics ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("", 0),
        ("abcd", 1),
        ("abcde", 2),
        ("有机绿茶", 4),
        ("「有机绿茶」，100g", 7 + 1),  # 7 CJK characters and marks, "100g" is one token
        ("有机 green tea", 2 + 3),  # 10 Latin characters and spaces -> 3
    ],
)
def test_text_token_heuristic(text: str, tokens: int) -> None:
    assert text_tokens_estimate(text) == tokens


@pytest.mark.parametrize(
    ("size", "tokens"),
    [
        ((512, 512), 85 + 170),
        ((1024, 1024), 85 + 170 * 4),  # shrunk to 768x768: 2x2 tiles
        ((4096, 1024), 85 + 170 * 4),  # fit in 2048: 2048x512, 4x1 tiles
        ((3000, 2000), 85 + 170 * 6),  # 2048x1365 then short side 768: 1152x768, 3x2 tiles
        ((100, 100), 85 + 170),
    ],
)
def test_reference_image_heuristic(size: tuple[int, int], tokens: int) -> None:
    assert reference_image_tokens_estimate(*size) == tokens


# --- actual cost from usage ----------------------------------------------------------------------


def test_actual_cost_full_usage() -> None:
    usage = {
        "input_tokens": 300,
        "input_tokens_details": {"text_tokens": 100, "image_tokens": 200},
        "output_tokens": 7024,
        "total_tokens": 7324,
    }
    expected = (100 * 5 + 200 * 8 + 7024 * 30) / 1e6
    assert actual_cost("gpt-image-2", usage) == pytest.approx(expected)
    assert actual_cost("gpt-image-2-2026-04-21", usage) == pytest.approx(expected)


def test_actual_cost_cached_and_output_details() -> None:
    usage = {
        "input_tokens": 300,
        "input_tokens_details": {"text_tokens": 100, "image_tokens": 200, "cached_tokens": 150},
        "output_tokens": 1100,
        "output_tokens_details": {"image_tokens": 1000, "text_tokens": 100},
    }
    # cached tokens come off the text first (100 at $1.25), then the image (50 at $2)
    expected = (100 * 1.25 + 50 * 2 + 150 * 8 + 1000 * 30 + 100 * 10) / 1e6
    assert actual_cost("gpt-image-2", usage) == pytest.approx(expected)
    split = dict(usage)
    split["input_tokens_details"] = {
        "text_tokens": 100,
        "image_tokens": 200,
        "cached_tokens": 150,
        "cached_tokens_details": {"text_tokens": 0, "image_tokens": 150},
    }
    expected_split = (100 * 5 + 150 * 2 + 50 * 8 + 1000 * 30 + 100 * 10) / 1e6
    assert actual_cost("gpt-image-2", split) == pytest.approx(expected_split)


def test_actual_cost_tolerates_missing_and_odd_fields() -> None:
    # unsplit input is charged at the image rate, unsplit output at the image-output rate
    assert actual_cost("gpt-image-2", {"input_tokens": 1000, "output_tokens": 1000}) == (
        pytest.approx((1000 * 8 + 1000 * 30) / 1e6)
    )
    assert actual_cost("gpt-image-2", {"output_tokens": 196}) == pytest.approx(0.00588)
    odd = {
        "input_tokens": "many",
        "input_tokens_details": None,
        "output_tokens": 196,
        "output_tokens_details": {"image_tokens": True, "text_tokens": -3},
    }
    assert actual_cost("gpt-image-2", odd) == pytest.approx(0.00588)
    assert actual_cost("gpt-image-2", {}) is None
    assert actual_cost("gpt-image-2", {"total_tokens": 5}) is None


@pytest.mark.parametrize("model", ["gpt-image-1.5", "gpt-image-2.6-x", "dall-e-3", "nope"])
def test_actual_cost_unknown_price_is_none(model: str) -> None:
    assert actual_cost(model, {"input_tokens": 10, "output_tokens": 196}) is None


# --- display -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "usage only"),
        (0, "$0"),
        (0.0001, "< $0.001"),
        (0.00588, "$0.006"),
        (0.05268, "$0.053"),
        (0.84288, "$0.843"),
        (1.2345, "$1.23"),
        (1234.5, "$1,234.50"),
    ],
)
def test_format_usd(value: float | None, shown: str) -> None:
    assert format_usd(value) == shown


def test_format_usd_refuses_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        format_usd(-0.01)


# --- properties ----------------------------------------------------------------------------------

SIDES = st.integers(min_value=16, max_value=240).map(lambda k: k * 16)


@given(width=SIDES, height=SIDES)
def test_output_tokens_grow_strictly_with_quality(width: int, height: int) -> None:
    low, medium, high = (image_output_tokens(width, height, q) for q in ("low", "medium", "high"))
    assert 0 < low < medium < high


@given(
    a=st.integers(1, 30),
    b=st.integers(1, 30),
    k=st.integers(1, 8),
    step=st.integers(1, 8),
    quality=st.sampled_from(["low", "medium", "high"]),
)
def test_output_tokens_never_shrink_with_pixels_at_a_fixed_ratio(
    a: int, b: int, k: int, step: int, quality: str
) -> None:
    small = image_output_tokens(16 * a * k, 16 * b * k, quality)
    large = image_output_tokens(16 * a * (k + step), 16 * b * (k + step), quality)
    assert small <= large


@given(width=SIDES, height=SIDES, quality=st.sampled_from(["low", "medium", "high"]))
def test_doubling_both_sides_costs_more(width: int, height: int, quality: str) -> None:
    assume(max(width, height) <= 3 * min(width, height))
    assert image_output_tokens(width, height, quality) < image_output_tokens(
        2 * width, 2 * height, quality
    )


def test_more_pixels_can_cost_fewer_tokens_across_ratios() -> None:
    # The formula weighs the short/long edge ratio: a landscape image costs less than a square one.
    assert image_output_tokens(1536, 1024, "high") < image_output_tokens(1024, 1024, "high")


@given(
    width=SIDES,
    height=SIDES,
    n=st.integers(1, 10),
    quality=st.sampled_from(["low", "medium", "high", "auto"]),
    prompt=st.text(max_size=200),
)
def test_estimate_invariants(width: int, height: int, n: int, quality: str, prompt: str) -> None:
    result = est(width=width, height=height, n=n, quality=quality, prompt=prompt)
    assert result.output_tokens == n * result.output_tokens_per_image
    assert result.input_tokens == result.text_tokens + result.image_tokens
    assert result.output_tokens_per_image == image_output_tokens(
        width, height, "high" if quality == "auto" else quality
    )
    assert result.usd is not None
    assert result.usd == pytest.approx(
        (result.text_tokens * 5 + result.output_tokens * 30) / 1_000_000
    )
    assert result.text_tokens <= len(prompt)
    assert result.text_tokens * 4 >= len(prompt)
