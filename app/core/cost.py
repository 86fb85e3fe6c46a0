"""What a request will cost before it is sent, and what it did cost after.

Prices and the output-token quality factors are data, per model family. Where a model or quality
has no published price or token count, the estimate still gives token counts (marked approximate)
but its price is ``None``, shown as "usage only": the ``usage`` the service returns is the truth.

What is exact and what is not:

- Output tokens follow the published formula for gpt-image-2 (and the 2.5 family at low, medium and
  high): ``s = (2*Q*S + L) // (2*L)``, ``ceil(Q * s * (2_000_000 + W*H) / 4_000_000)``.
- Prompt tokens are approximated offline (tokenizers fetch their tables at run time): about one
  token per CJK character and one per four other characters.
- Reference images have no published formula; they are approximated with the tiling rule used for
  vision input: fit within 2048x2048, shrink the short side to 768, then 85 + 170 per 512 px tile.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from app.core.models import MAX_PARTIAL_IMAGES, ModelError, model_info
from app.core.prices import USER_SOURCE, prices_for

_GPT_IMAGE_2_FACTORS: Final = MappingProxyType({"low": 16, "medium": 48, "high": 96})
QUALITY_FACTORS: Final[Mapping[str, Mapping[str, int]]] = MappingProxyType(
    {"gpt-image-2": _GPT_IMAGE_2_FACTORS, "gpt-image-2.5": _GPT_IMAGE_2_FACTORS}
)
# Families or qualities without published factors are counted with this family's, as a guide.
STAND_IN_FAMILY: Final = "gpt-image-2"
STAND_IN_QUALITY: Final = "high"

PARTIAL_IMAGE_TOKENS: Final = 100  # output tokens per streamed partial image (DESIGN §3)
AUTO_SIZE: Final = (1536, 1024)  # "auto" is estimated as the largest standard size
TOKENS_PER_MILLION: Final = 1_000_000

_CJK: Final = re.compile(
    "[\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]"
)


@dataclass(frozen=True, slots=True)
class CostEstimate:
    """A request's estimated tokens and price; input is counted once, output once per image."""

    model: str
    width: int
    height: int
    quality: str  # the quality the output was counted at ("auto" is counted as "high")
    n: int
    text_tokens: int
    image_tokens: int
    input_tokens: int
    output_tokens_per_image: int
    output_tokens: int
    usd: float | None
    notes: tuple[str, ...]
    input_approximate: bool
    output_approximate: bool
    price_source: str = ""
    """Where the prices came from: "built-in table 2026-11" or "your settings"."""
    partial_image_tokens: int = 0  # included in output_tokens
    requests: int = 1  # input is billed once per request

    @property
    def size(self) -> str:
        return f"{self.width}x{self.height}"

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens


def image_output_tokens(
    width: int, height: int, quality: str, *, family: str = "gpt-image-2"
) -> int:
    """Output tokens of one image by the published formula; ``KeyError`` for an unknown quality."""
    if width <= 0 or height <= 0:
        raise ValueError(f"image size {width}x{height} must be positive")
    q = QUALITY_FACTORS[family][quality]
    long_edge, short_edge = max(width, height), min(width, height)
    s = (2 * q * short_edge + long_edge) // (2 * long_edge)
    return -(-q * s * (2_000_000 + width * height) // 4_000_000)


def text_tokens_estimate(text: str) -> int:
    """Approximate prompt tokens: one per CJK character, one per four other characters."""
    cjk = len(_CJK.findall(text))
    return cjk + math.ceil((len(text) - cjk) / 4)


def reference_image_tokens_estimate(width: int, height: int) -> int:
    """Approximate input tokens of one input image (no formula is published; see module doc)."""
    if width <= 0 or height <= 0:
        raise ValueError(f"image size {width}x{height} must be positive")
    scale = min(1.0, 2048 / max(width, height))
    w, h = width * scale, height * scale
    if min(w, h) > 768:
        shrink = 768 / min(w, h)
        w, h = w * shrink, h * shrink
    tiles = math.ceil(w / 512) * math.ceil(h / 512)
    return 85 + 170 * tiles


def counted_output_tokens(
    width: int, height: int, quality: str, *, family: str
) -> tuple[int, str | None]:
    """Output tokens of one image, and the stand-in quality used when ``family`` publishes no
    factor for ``quality`` (then the count is the stand-in family's, a guide only)."""
    if quality in QUALITY_FACTORS.get(family, {}):
        return image_output_tokens(width, height, quality, family=family), None
    fallback = quality if quality in QUALITY_FACTORS[STAND_IN_FAMILY] else STAND_IN_QUALITY
    return image_output_tokens(width, height, fallback, family=STAND_IN_FAMILY), fallback


def estimate(
    *,
    model: str,
    prompt: str,
    width: int | None,
    height: int | None,
    quality: str,
    n: int,
    reference_sizes: Sequence[tuple[int, int]] = (),
    partial_images: int = 0,
    one_image_per_request: bool = False,
    price_overrides: Mapping[str, object] | None = None,
) -> CostEstimate:
    """Estimate one request (``width``/``height`` None mean size "auto").

    ``partial_images`` streamed per image add their output tokens; ``one_image_per_request``
    (a service without n > 1) bills the input once for each of the ``n`` requests;
    ``price_overrides`` are the user's prices (``app.core.prices``).

    Raises ``ModelError`` for an unknown or retired model and ``ValueError`` for a quality the
    model does not offer, a size given by half, or ``n`` below 1.
    """
    info = model_info(model)
    if quality not in info.qualities:
        raise ValueError(f'quality "{quality}" is not offered by {model}')
    if n < 1:
        raise ValueError(f"n={n} must be at least 1")
    if not 0 <= partial_images <= MAX_PARTIAL_IMAGES:
        raise ValueError(f"partial_images={partial_images} must be 0..{MAX_PARTIAL_IMAGES}")
    notes: list[str] = []
    output_approximate = False
    if width is None and height is None:
        width, height = AUTO_SIZE
        output_approximate = True
        notes.append(f'size "auto" is estimated as {width}x{height}, the largest standard size.')
    elif width is None or height is None:
        raise ValueError("give both width and height, or neither for size auto")
    counted = quality
    if quality == "auto":
        counted = "high"
        output_approximate = True
        notes.append('quality "auto" is estimated as "high".')

    choice = prices_for(model, price_overrides)
    prices = choice.prices
    subject = f'quality "{counted}" on {model}' if info.family in QUALITY_FACTORS else model
    per_image, fallback = counted_output_tokens(width, height, counted, family=info.family)
    if fallback is not None:
        output_approximate = True
        notes.append(
            f"no token count is published for {subject}: output tokens are counted as "
            f'{STAND_IN_FAMILY} at "{fallback}", a guide only.'
        )
        if choice.source != USER_SOURCE:  # the user's own prices make a guide price
            prices = None
    if prices is None:
        notes.append(f"no price is published for {subject}: usage only.")

    text_tokens = text_tokens_estimate(prompt)
    image_tokens = sum(reference_image_tokens_estimate(w, h) for w, h in reference_sizes)
    notes.append("input tokens are an offline estimate.")
    requests = n if one_image_per_request and n > 1 else 1
    if requests > 1:
        notes.append(
            f"the service makes one image per request: the input is billed {requests} times."
        )
    partial_tokens = PARTIAL_IMAGE_TOKENS * partial_images * n
    if partial_images:
        notes.append(
            f"{partial_images} partial image(s) add {PARTIAL_IMAGE_TOKENS * partial_images} "
            "output tokens per image."
        )
    output_tokens = per_image * n + partial_tokens
    usd = None
    if prices is not None:
        usd = (
            (text_tokens * prices.text_in + image_tokens * prices.image_in) * requests
            + output_tokens * prices.image_out
        ) / TOKENS_PER_MILLION
    return CostEstimate(
        model=model,
        width=width,
        height=height,
        quality=counted,
        n=n,
        text_tokens=text_tokens,
        image_tokens=image_tokens,
        input_tokens=(text_tokens + image_tokens) * requests,
        output_tokens_per_image=per_image,
        output_tokens=output_tokens,
        usd=usd,
        notes=tuple(notes),
        input_approximate=True,
        output_approximate=output_approximate,
        price_source="" if prices is None else choice.source,
        partial_image_tokens=partial_tokens,
        requests=requests,
    )


def _count(data: object, key: str) -> int | None:
    if not isinstance(data, Mapping):
        return None
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def actual_cost(
    model: str, usage: Mapping[str, object], price_overrides: Mapping[str, object] | None = None
) -> float | None:
    """The price of a finished call from the ``usage`` the service returned, or None if unknown.

    Tolerates missing fields. Input tokens not split into text and image are charged at the image
    rate, and output tokens not split at the image-output rate (the higher rates, so a missing
    field never makes a call look cheaper). Cached input tokens without their own split are
    taken from the text tokens first, for the same reason.
    """
    try:
        model_info(model)
    except ModelError:
        return None
    prices = prices_for(model, price_overrides).prices
    input_total = _count(usage, "input_tokens")
    output_total = _count(usage, "output_tokens")
    if prices is None or (input_total is None and output_total is None):
        return None

    in_details = usage.get("input_tokens_details")
    text_in = _count(in_details, "text_tokens") or 0
    image_in = _count(in_details, "image_tokens") or 0
    image_in += max(0, (input_total or 0) - text_in - image_in)
    cached = _count(in_details, "cached_tokens") or 0
    cached_details = (
        in_details.get("cached_tokens_details") if isinstance(in_details, Mapping) else None
    )
    cached_text = _count(cached_details, "text_tokens")
    cached_image = _count(cached_details, "image_tokens")
    if cached_text is None and cached_image is None:
        cached_text = min(cached, text_in)
        cached_image = min(cached - cached_text, image_in)
    cached_text = min(cached_text or 0, text_in)
    cached_image = min(cached_image or 0, image_in)

    out_details = usage.get("output_tokens_details")
    text_out = _count(out_details, "text_tokens") or 0
    image_out = _count(out_details, "image_tokens") or 0
    image_out += max(0, (output_total or 0) - text_out - image_out)

    dollars = (
        (text_in - cached_text) * prices.text_in
        + cached_text * prices.text_in_cached
        + (image_in - cached_image) * prices.image_in
        + cached_image * prices.image_in_cached
        + image_out * prices.image_out
        + text_out * prices.text_out
    )
    return dollars / TOKENS_PER_MILLION


def format_usd(value: float | None) -> str:
    """A price for display: "$0.053", "$1.27", "< $0.001", or "usage only" when unknown."""
    if value is None:
        return "usage only"
    if value < 0:
        raise ValueError(f"a price cannot be negative: {value}")
    if value == 0:
        return "$0"
    if value < 0.0005:
        return "< $0.001"
    if value < 1:
        return f"${value:.3f}"
    return f"${value:,.2f}"
