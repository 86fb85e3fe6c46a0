"""The image-size rules: tier sizes, refusals that name a valid size, presets."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from app.core.sizes import (
    EXPERIMENTAL_PIXELS,
    MAX_EDGE,
    MAX_PIXELS,
    MAX_RATIO,
    MIN_PIXELS,
    PRESETS,
    STEP,
    TIER_LONG_EDGE,
    Preset,
    Size,
    SizeError,
    check_size,
    is_valid_size,
    nearest_valid_sizes,
    parse_ratio,
    parse_size,
    preset,
    size_for_ratio,
)

TIERS = st.sampled_from(sorted(TIER_LONG_EDGE))
FLOAT_RATIOS = st.floats(min_value=1 / 3, max_value=3.0)
SIDES = st.integers(min_value=1, max_value=20_000)


@st.composite
def ratio_texts(draw: st.DrawFn) -> tuple[str, float]:
    """A "W:H" string in the allowed range, with or without decimals, and its value."""
    places = draw(st.sampled_from([0, 1, 2, 3]))
    w = draw(st.integers(min_value=1, max_value=30_000)) / 10**places
    h = draw(st.integers(min_value=1, max_value=30_000)) / 10**places
    assume(1 / 3 <= w / h <= 3)
    return f"{w:g}:{h:g}", w / h


def sizes_named(message: str) -> list[Size]:
    """The sizes a refusal offers, read back from its message."""
    _, _, offer = message.partition("the nearest valid size")
    return [Size(int(w), int(h)) for w, h in re.findall(r"(\d+)x(\d+)", offer)]


def refusal(width: int, height: int) -> str:
    with pytest.raises(SizeError) as caught:
        check_size(width, height)
    return str(caught.value)


# --- constants and the Size value -------------------------------------------------------------


def test_constants_are_the_documented_limits() -> None:
    assert (MIN_PIXELS, MAX_PIXELS, EXPERIMENTAL_PIXELS) == (655_360, 8_294_400, 3_686_400)
    assert (MAX_EDGE, MAX_RATIO) == (3840, 3)
    assert TIER_LONG_EDGE == {"1k": 1024, "2k": 2048, "4k": 3840}


def test_size_properties() -> None:
    size = Size(1536, 1024)
    assert str(size) == "1536x1024"
    assert size.pixels == 1_572_864
    assert size.ratio == pytest.approx(1.5)
    assert (size.long_edge, size.short_edge) == (1536, 1024)
    assert Size(1024, 1536).long_edge == 1536
    assert not size.experimental


def test_experimental_starts_above_2560x1440() -> None:
    assert not Size(2560, 1440).experimental
    assert Size(2576, 1440).experimental
    assert Size(3840, 2160).experimental


# --- ratios and tiers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("3:4", 0.75), ("16:9", 16 / 9), ("2.35:1", 2.35), ("1:1.414", 1 / 1.414), (" 3 : 1 ", 3.0)],
)
def test_parse_ratio(text: str, value: float) -> None:
    assert parse_ratio(text) == pytest.approx(value)


def test_parse_ratio_accepts_the_full_width_colon() -> None:
    assert parse_ratio("3：4") == pytest.approx(0.75)


@pytest.mark.parametrize("text", ["", "abc", "3x4", "3:", ":4", "3:4:5", "1:two"])
def test_parse_ratio_refuses_junk(text: str) -> None:
    with pytest.raises(SizeError, match="W:H"):
        parse_ratio(text)


@pytest.mark.parametrize("text", ["0:1", "1:0", "-1:2", "2:-1"])
def test_parse_ratio_refuses_zero_and_negatives(text: str) -> None:
    with pytest.raises(SizeError, match="greater than zero"):
        parse_ratio(text)


@pytest.mark.parametrize("text", ["4:1", "1:4", "3.01:1", "1:3.001"])
def test_parse_ratio_refuses_ratios_outside_the_range(text: str) -> None:
    with pytest.raises(SizeError, match=r"1:3 to 3:1"):
        parse_ratio(text)


@pytest.mark.parametrize(
    ("ratio", "tier", "expected"),
    [
        ("3:1", "1k", Size(1440, 480)),
        ("1:3", "1k", Size(480, 1440)),
        ("1:1", "1k", Size(1024, 1024)),
        ("1:1", "2k", Size(2048, 2048)),
        ("1:1", "4k", Size(2880, 2880)),
        ("16:9", "4k", Size(3840, 2160)),
        ("9:16", "4k", Size(2160, 3840)),
        ("3:1", "4k", Size(3840, 1280)),
        ("3:2", "1k", Size(1024, 688)),
        (1.0, "1k", Size(1024, 1024)),
        (3, "1k", Size(1440, 480)),
    ],
)
def test_size_for_ratio_examples(ratio: str | float, tier: str, expected: Size) -> None:
    assert size_for_ratio(ratio, tier) == expected


def test_size_for_ratio_defaults_to_1k() -> None:
    assert size_for_ratio("1:1") == Size(1024, 1024)


def test_size_for_ratio_refuses_an_unknown_tier() -> None:
    with pytest.raises(SizeError, match=r"1k, 2k, 4k"):
        size_for_ratio("1:1", "8k")


@pytest.mark.parametrize("ratio", [0.0, -1.0, math.nan, math.inf, 3.5, 0.25])
def test_size_for_ratio_refuses_bad_float_ratios(ratio: float) -> None:
    with pytest.raises(SizeError, match="ratio"):
        size_for_ratio(ratio)


def _long_for(short: int, ratio: float) -> int:
    """The tier rule's long edge for a short edge (half-up rounding to 16)."""
    wide = max(ratio, 1 / ratio)
    return math.floor(short * wide / 16 + 0.5) * 16


@given(ratio=FLOAT_RATIOS, tier=TIERS)
@example(ratio=1 / 3, tier="1k")
@example(ratio=3.0, tier="4k")
def test_size_for_a_float_ratio_is_valid_and_keeps_the_shape(ratio: float, tier: str) -> None:
    size = size_for_ratio(ratio, tier)
    assert check_size(size.width, size.height) == size
    assert size.ratio == pytest.approx(ratio, rel=0.03)
    # Landscape stays landscape and portrait stays portrait (a near-square may round to square).
    assert (size.width - size.height) * (ratio - 1) >= 0


@given(ratio=ratio_texts(), tier=TIERS)
def test_size_for_a_ratio_text_is_valid_and_keeps_the_shape(
    ratio: tuple[str, float], tier: str
) -> None:
    text, value = ratio
    size = size_for_ratio(text, tier)
    assert check_size(size.width, size.height) == size
    assert size.ratio == pytest.approx(value, rel=0.03)


@given(ratio=FLOAT_RATIOS, tier=TIERS)
def test_size_for_ratio_scales_only_as_far_as_needed(ratio: float, tier: str) -> None:
    size = size_for_ratio(ratio, tier)
    edge = TIER_LONG_EDGE[tier]
    if size.long_edge == edge:
        return
    # Off the tier's edge, one 16-pixel step back towards it must leave the pixel range.
    if size.long_edge > edge:
        smaller = size.short_edge - 16
        assert _long_for(smaller, ratio) * smaller < MIN_PIXELS
    else:
        larger = size.short_edge + 16
        long = _long_for(larger, ratio)
        assert long * larger > MAX_PIXELS or long > MAX_EDGE


def test_2k_keeps_the_long_edge_for_every_preset() -> None:
    assert {size_for_ratio(p.ratio, "2k").long_edge for p in PRESETS} == {2048}


# --- sizes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["auto", "AUTO", " auto "])
def test_parse_size_auto_is_none(text: str) -> None:
    assert parse_size(text) is None


@pytest.mark.parametrize("text", ["1536x1024", "1536X1024", "1536×1024", " 1536 x 1024 "])
def test_parse_size_spellings(text: str) -> None:
    assert parse_size(text) == Size(1536, 1024)


@pytest.mark.parametrize("text", ["", "big", "1536", "1536x", "x1024", "1536*1024", "-16x16"])
def test_parse_size_refuses_junk(text: str) -> None:
    with pytest.raises(SizeError, match="WIDTHxHEIGHT"):
        parse_size(text)


def test_parse_size_checks_the_rules() -> None:
    with pytest.raises(SizeError, match="1008x1008"):
        parse_size("1000x1000")


def test_1000x1000_names_both_neighbours() -> None:
    assert refusal(1000, 1000) == (
        "1000x1000 is not a valid size: both sides must be multiples of 16; "
        "the nearest valid sizes are 992x992 and 1008x1008."
    )


@pytest.mark.parametrize(
    ("width", "height", "reason"),
    [
        (1000, 1000, "multiples of 16"),
        (1030, 1024, "multiples of 16"),
        (3072, 1008, "between 1:3 and 3:1"),
        (480, 1456, "between 1:3 and 3:1"),
        (3856, 2000, "at most 3840"),
        (2000, 3856, "at most 3840"),
        (800, 800, "at least 655,360 pixels"),
        (320, 320, "at least 655,360 pixels"),
        (3840, 2176, "at most 8,294,400 pixels"),
        (3008, 3008, "at most 8,294,400 pixels"),
        (5000, 100, "between 1:3 and 3:1"),
    ],
)
def test_refusals_name_the_rule_and_a_valid_size(width: int, height: int, reason: str) -> None:
    message = refusal(width, height)
    assert message.startswith(f"{width}x{height} is not a valid size: ")
    assert reason in message
    assert message.endswith(".") and "\n" not in message
    offered = sizes_named(message)
    assert 1 <= len(offered) <= 2
    assert offered == nearest_valid_sizes(width, height)
    for size in offered:
        assert check_size(size.width, size.height) == size


def test_refusals_name_every_broken_rule() -> None:
    message = refusal(5000, 100)
    for reason in ("multiples of 16", "between 1:3 and 3:1", "at most 3840", "at least 655,360"):
        assert reason in message


@pytest.mark.parametrize(("width", "height"), [(0, 1024), (1024, 0), (-16, 1024)])
def test_non_positive_sides_are_refused(width: int, height: int) -> None:
    with pytest.raises(SizeError, match="positive"):
        check_size(width, height)
    with pytest.raises(SizeError, match="positive"):
        nearest_valid_sizes(width, height)


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [
        (1000, 1000, [Size(992, 992), Size(1008, 1008)]),
        (1010, 1010, [Size(1008, 1008)]),
        (4000, 4000, [Size(2880, 2880)]),
        (320, 320, [Size(816, 816)]),
        (1024, 336, [Size(1440, 480)]),
        (1536, 1024, [Size(1536, 1024)]),
    ],
)
def test_nearest_valid_sizes_examples(width: int, height: int, expected: list[Size]) -> None:
    assert nearest_valid_sizes(width, height) == expected


def test_nearest_to_a_too_wide_size_is_about_3_to_1() -> None:
    for size in nearest_valid_sizes(3000, 500):
        assert size.ratio == pytest.approx(3, rel=0.02)
        assert is_valid_size(size.width, size.height)


@given(width=SIDES, height=SIDES)
@example(width=1, height=1)
@example(width=20_000, height=1)
@example(width=1402, height=467)
def test_nearest_valid_sizes_are_always_valid(width: int, height: int) -> None:
    nearest = nearest_valid_sizes(width, height)
    assert 1 <= len(nearest) <= 2
    assert len(set(nearest)) == len(nearest)
    for size in nearest:
        assert check_size(size.width, size.height) == size


@st.composite
def sizes_off_the_grid_only(draw: st.DrawFn) -> tuple[int, int]:
    """A width and height within the ratio and pixel limits, on any grid: drawn inside the limits
    rather than filtered, so nearly every example counts (filtering left too few on a slow run)."""
    width = draw(st.integers(min_value=468, max_value=3840))
    low = max(300, math.ceil(width / 3), math.ceil(MIN_PIXELS / width))
    high = min(3840, 3 * width, MAX_PIXELS // width)
    return width, draw(st.integers(min_value=low, max_value=high))


@given(size=sizes_off_the_grid_only())
def test_nearest_stays_close_when_only_the_grid_is_off(size: tuple[int, int]) -> None:
    width, height = size
    assert max(width, height) <= 3 * min(width, height)
    assert MIN_PIXELS <= width * height <= MAX_PIXELS
    # Usually a step or two; three steps where the shape wins over the scale at the limits
    # (468x1401, just over the fewest pixels and near 1:3, becomes 480x1440, exactly 1:3).
    for nearest in nearest_valid_sizes(width, height):
        assert abs(nearest.width - width) <= 3 * STEP
        assert abs(nearest.height - height) <= 3 * STEP


@given(width=st.integers(1, 240), height=st.integers(1, 240))
def test_a_valid_size_is_its_own_nearest(width: int, height: int) -> None:
    w, h = width * 16, height * 16
    assume(is_valid_size(w, h))
    assert nearest_valid_sizes(w, h) == [Size(w, h)]
    assert check_size(w, h) == Size(w, h)
    assert parse_size(f"{w}x{h}") == Size(w, h)


# --- presets ----------------------------------------------------------------------------------


def test_presets_cover_the_platforms() -> None:
    ratios = {p.label: p.ratio for p in PRESETS}
    assert ratios["小红书 3:4"] == "3:4"
    assert ratios["抖音/视频号 9:16"] == "9:16"
    assert ratios["公众号封面 2.35:1"] == "2.35:1"
    assert ratios["淘宝主图 1:1"] == "1:1"
    assert {"16:9", "3:1", "1:1.414"} <= set(ratios.values())
    assert len({p.key for p in PRESETS}) == len(PRESETS)


def test_preset_lookup() -> None:
    assert preset("xiaohongshu") == Preset("xiaohongshu", "小红书 3:4", "3:4")
    with pytest.raises(SizeError, match="xiaohongshu"):
        preset("instagram")


@pytest.mark.parametrize("item", PRESETS, ids=lambda p: p.key)
def test_every_preset_gives_a_valid_size_at_every_tier(item: Preset) -> None:
    for tier in TIER_LONG_EDGE:
        size = size_for_ratio(item.ratio, tier)
        assert is_valid_size(size.width, size.height)
        assert size.ratio == pytest.approx(parse_ratio(item.ratio), rel=0.02)
