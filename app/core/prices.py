"""Which prices an estimate uses: the built-in table, or the user's own where they set one.

Published prices for the image models disagree between sources, so prices are data the user can
correct: a mapping from a model name (or a family, e.g. ``gpt-image-2.5``) to US dollars per 1M
tokens, any of ``text_in``, ``text_in_cached``, ``image_in``, ``image_in_cached``, ``image_out``,
``text_out``. Keys left out keep the built-in price; a model without one must give the three that
an estimate needs (``text_in``, ``image_in``, ``image_out``). Every estimate names its source.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

from app.core.models import ModelError, ModelInfo, model_info

BUILT_IN_SOURCE: Final = "built-in table 2026-11"
USER_SOURCE: Final = "your settings"


@dataclass(frozen=True, slots=True)
class Prices:
    """US dollars per 1M tokens."""

    text_in: float
    text_in_cached: float
    image_in: float
    image_in_cached: float
    image_out: float
    text_out: float


PRICE_KEYS: Final = tuple(item.name for item in dataclasses.fields(Prices))
REQUIRED_WITHOUT_BUILT_IN: Final = ("text_in", "image_in", "image_out")

_GPT_IMAGE_2_PRICES: Final = Prices(5.0, 1.25, 8.0, 2.0, 30.0, 10.0)
PRICES: Final[Mapping[str, Prices]] = MappingProxyType(
    {"gpt-image-2": _GPT_IMAGE_2_PRICES, "gpt-image-2.5": _GPT_IMAGE_2_PRICES}
)
_FAMILIES: Final = frozenset({"gpt-image-2", "gpt-image-2.5", "gpt-image-2.6", "gpt-image-1.5",
                              "gpt-image-1-mini", "chatgpt-image-latest"})  # fmt: skip


@dataclass(frozen=True, slots=True)
class PriceChoice:
    prices: Prices | None  # None: no price known ("usage only")
    source: str


def _info(name: str) -> ModelInfo | None:
    try:
        return model_info(name)
    except ModelError:
        return None


def _built_in(name: str) -> Prices | None:
    if name in PRICES:
        return PRICES[name]
    info = _info(name)
    return None if info is None else PRICES.get(info.family)


def _number(model: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{model}: {key} must be a number of US dollars per 1M tokens")
    if value < 0:
        raise ValueError(f"{model}: {key} cannot be negative")
    return float(value)


def _one_override(model: str, given: Any) -> Prices:
    if model not in _FAMILIES and _info(model) is None:
        raise ValueError(f"{model!r} is not a model or model family the studio knows")
    if not isinstance(given, Mapping) or not given:
        raise ValueError(f'{model}: give prices as {{"image_out": 30, ...}}')
    unknown = sorted(set(given) - set(PRICE_KEYS))
    if unknown:
        raise ValueError(f"{model}: unknown price {unknown[0]!r}; use {', '.join(PRICE_KEYS)}")
    values = {key: _number(model, key, value) for key, value in given.items()}
    base = _built_in(model)
    if base is None:
        missing = [key for key in REQUIRED_WITHOUT_BUILT_IN if key not in values]
        if missing:
            raise ValueError(f"{model} has no built-in price: give {', '.join(missing)} too")
        values.setdefault("text_in_cached", values["text_in"])
        values.setdefault("image_in_cached", values["image_in"])
        values.setdefault("text_out", values["text_in"])
        return Prices(**values)
    return dataclasses.replace(base, **values)


def parse_price_overrides(data: Any) -> dict[str, Prices]:
    """The user's prices, checked; ``ValueError`` naming the first problem."""
    if not isinstance(data, Mapping):
        raise ValueError('give prices as {"gpt-image-2": {"image_out": 30, ...}}')
    return {str(model): _one_override(str(model), given) for model, given in data.items()}


def prices_for(model: str, overrides: Mapping[str, Any] | None = None) -> PriceChoice:
    """The prices for ``model``: the user's for the name, its alias or its family, else built-in.

    ``overrides`` is the settings' mapping (checked when saved; a bad entry here is ignored).
    """
    info = _info(model)
    names = [model]
    if info is not None:
        names += [name for name in (info.snapshot_of, info.family) if name]
    for name in names:
        if overrides and name in overrides:
            try:
                return PriceChoice(_one_override(name, overrides[name]), USER_SOURCE)
            except ValueError:
                break
    built_in = None if info is None else PRICES.get(info.family)
    return PriceChoice(built_in, BUILT_IN_SOURCE)


@dataclass(frozen=True, slots=True)
class PriceRow:
    """One line of a price table (a settings page): a model or family and what it costs."""

    model: str
    prices: Prices | None
    source: str


def price_table(overrides: Mapping[str, Any] | None = None) -> list[PriceRow]:
    """The built-in families and every overridden name, with the prices an estimate would use."""
    names = [*PRICES, *sorted(set(overrides or {}) - set(PRICES))]
    rows = []
    for name in names:
        if overrides and name in overrides:
            try:
                rows.append(PriceRow(name, _one_override(name, overrides[name]), USER_SOURCE))
                continue
            except ValueError:
                pass
        rows.append(PriceRow(name, _built_in(name), BUILT_IN_SOURCE))
    return rows
