"""Prices as data: the built-in table, the user's overrides by model, alias or family."""

from __future__ import annotations

import pytest

from app.core.cost import estimate
from app.core.plan import plan_generation
from app.core.prices import (
    BUILT_IN_SOURCE,
    PRICES,
    USER_SOURCE,
    PriceRow,
    price_table,
    prices_for,
)
from app.core.spec import Spec, TextBlock


def test_the_built_in_table_without_overrides() -> None:
    choice = prices_for("gpt-image-2-2026-04-21")
    assert (choice.prices, choice.source) == (PRICES["gpt-image-2"], BUILT_IN_SOURCE)
    assert prices_for("gpt-image-1-mini").prices is None


@pytest.mark.parametrize(
    ("model", "key"),
    [
        ("gpt-image-2-2026-04-21", "gpt-image-2-2026-04-21"),  # the name
        ("gpt-image-2-2026-04-21", "gpt-image-2"),  # its alias (and family)
        ("gpt-image-2.5-flare-2026-09-08", "gpt-image-2.5-flare"),  # its alias
        ("gpt-image-2.5-flare-2026-09-08", "gpt-image-2.5"),  # its family
    ],
)
def test_an_override_applies_to_the_name_its_alias_and_its_family(model: str, key: str) -> None:
    choice = prices_for(model, {key: {"image_out": 25}})
    assert choice.source == USER_SOURCE
    assert choice.prices is not None
    assert choice.prices.image_out == 25
    assert choice.prices.text_in == PRICES["gpt-image-2"].text_in  # the rest stays built-in


def test_an_override_for_another_model_changes_nothing() -> None:
    assert prices_for("gpt-image-2", {"gpt-image-2.5": {"image_out": 1}}).source == BUILT_IN_SOURCE


def test_input_is_billed_per_request_when_the_service_makes_one_image_each() -> None:
    args = {"model": "gpt-image-2", "prompt": "海报" * 50, "width": 1024, "height": 1024,
            "quality": "low", "n": 3}  # fmt: skip
    together = estimate(**args)  # type: ignore[arg-type]
    apart = estimate(**args, one_image_per_request=True)  # type: ignore[arg-type]
    assert apart.requests == 3 and together.requests == 1
    assert apart.input_tokens == 3 * together.input_tokens
    assert apart.output_tokens == together.output_tokens
    assert apart.usd is not None and together.usd is not None
    assert apart.usd - together.usd == pytest.approx(2 * together.text_tokens * 5e-6)
    assert any("billed 3 times" in note for note in apart.notes)


def test_the_plan_for_the_window_counts_partial_images_and_user_prices() -> None:
    spec = Spec(texts=(TextBlock("headline", "字"),), size="1024x1024", quality="low")
    plan = plan_generation(
        spec, partial_images=2, price_overrides={"gpt-image-2": {"image_out": 60}}
    )
    assert plan.request.partial_images == 2 and plan.request.stream
    assert plan.cost.output_tokens == 196 + 200
    assert plan.cost.price_source == USER_SOURCE
    assert plan.cost.usd == pytest.approx((plan.cost.input_tokens * 5 + 396 * 60) / 1e6)


def test_the_price_table_for_a_settings_page() -> None:
    rows = price_table({"gpt-image-2.5": {"image_out": 33}, "gpt-image-1.5": {"image_out": -1}})
    by_name = {row.model: row for row in rows}
    assert by_name["gpt-image-2"].source == BUILT_IN_SOURCE
    assert by_name["gpt-image-2.5"].source == USER_SOURCE
    assert by_name["gpt-image-2.5"].prices is not None
    assert by_name["gpt-image-2.5"].prices.image_out == 33
    assert by_name["gpt-image-1.5"] == PriceRow("gpt-image-1.5", None, BUILT_IN_SOURCE)  # bad entry
