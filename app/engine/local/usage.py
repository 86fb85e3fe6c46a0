"""What the local engine reports: the settings it used and its token usage (the core's cost model).

Output tokens follow the published formula for the size and quality; prompt tokens and input image
tokens are the core's estimates. ``auto`` settings are resolved to what the engine did: quality
``auto`` is drawn (and counted) as ``medium``, size ``auto`` is 1024x1024 for a generation and the
first image's size for an edit.

In a stream, each ``completed`` event carries its own image's output tokens, with those of the
partial images streamed before it (100 each, as the official pricing counts them: DESIGN §3); the
request's input tokens are counted in the first one only, so the usages of a stream add up to the
request's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from app.core.cost import (
    counted_output_tokens,
    reference_image_tokens_estimate,
    text_tokens_estimate,
)
from app.core.models import model_info

AUTO_QUALITY: Final = "medium"


@dataclass(frozen=True, slots=True)
class Usage:
    text_tokens: int
    image_tokens: int
    output_tokens: int

    @property
    def input_tokens(self) -> int:
        return self.text_tokens + self.image_tokens

    def to_json(self) -> dict[str, Any]:
        return {
            "input_tokens": self.input_tokens,
            "input_tokens_details": {
                "text_tokens": self.text_tokens,
                "image_tokens": self.image_tokens,
            },
            "output_tokens": self.output_tokens,
            "total_tokens": self.input_tokens + self.output_tokens,
        }


def resolved_quality(quality: str) -> str:
    return AUTO_QUALITY if quality == "auto" else quality


def output_tokens(model: str, quality: str, width: int, height: int) -> int:
    """Output tokens of one image; qualities without published factors count as the stand-in."""
    family = model_info(model).family
    tokens, _ = counted_output_tokens(width, height, resolved_quality(quality), family=family)
    return tokens


def input_usage(prompt: str, input_sizes: Sequence[tuple[int, int]]) -> Usage:
    """The request's input tokens (no output)."""
    return Usage(
        text_tokens=text_tokens_estimate(prompt),
        image_tokens=sum(reference_image_tokens_estimate(w, h) for w, h in input_sizes),
        output_tokens=0,
    )


def with_output(usage: Usage, tokens: int) -> Usage:
    return Usage(usage.text_tokens, usage.image_tokens, usage.output_tokens + tokens)


NO_INPUT: Final = Usage(0, 0, 0)
