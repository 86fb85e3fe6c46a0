"""What reference images add to an estimate: a range, since no formula is published for them.

The low end counts each image as a low-detail vision input (a flat 85 tokens); the high end tiles it
at full detail (``reference_image_tokens_estimate``, the count the plan's estimate uses). The
window shows the estimate as that range and says why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from app.core.cost import TOKENS_PER_MILLION, reference_image_tokens_estimate
from app.core.prices import prices_for

LOW_DETAIL_TOKENS: Final = 85


@dataclass(frozen=True, slots=True)
class ReferenceCost:
    """Input tokens of the reference images, low and high, and the dollars between them."""

    images: int
    tokens_low: int
    tokens_high: int
    usd_spread: float | None  # how much more the high end costs; None without a price


def reference_cost(
    model: str,
    sizes: Sequence[tuple[int, int]],
    *,
    requests: int = 1,
    price_overrides: Mapping[str, Any] | None = None,
) -> ReferenceCost:
    """The range for ``sizes`` (each image's width and height), sent ``requests`` times."""
    low = LOW_DETAIL_TOKENS * len(sizes)
    high = sum(reference_image_tokens_estimate(w, h) for w, h in sizes if w > 0 and h > 0)
    high = max(high, low)
    prices = prices_for(model, price_overrides).prices
    spread = None
    if prices is not None:
        spread = (high - low) * prices.image_in * requests / TOKENS_PER_MILLION
    return ReferenceCost(len(sizes), low, high, spread)
