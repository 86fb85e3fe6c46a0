"""The image models the studio knows and what each accepts.

The capability table below is data: one row per model family, one line per model name, one line per
retired model. Where a capability is not published it is marked ``Support.UNKNOWN`` so that callers
warn instead of refusing; a value missing from a table is not offered. Parameters are checked
against it in ``app.core.params``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Final

DEFAULT_MODEL: Final = "gpt-image-2"
MAX_N: Final = 10
MAX_PROMPT_CHARS: Final = 32_000
MAX_INPUT_IMAGES: Final = 16
MAX_INPUT_EDGE: Final = 8192
MAX_INPUT_PIXELS: Final = MAX_INPUT_EDGE * MAX_INPUT_EDGE
"""The most pixels an input image (edit source, reference, mask) may have: what the studio's own
engine decodes (Qt's image reader at four bytes a pixel) and a 45-megapixel camera's photo fits."""
MAX_PARTIAL_IMAGES: Final = 3
MODERATIONS: Final = ("low", "auto")
INPUT_FIDELITIES: Final = ("high", "low")
COMPRESSIBLE_FORMATS: Final = ("webp", "jpeg")


class Support(StrEnum):
    """How far a model is known to accept a value; a value absent from a table is not accepted."""

    SUPPORTED = "supported"
    PREVIEW = "preview"  # accepted on paper, may still be refused: callers should plan a fallback
    UNKNOWN = "unknown"  # not published either way


_S, _P, _U = Support.SUPPORTED, Support.PREVIEW, Support.UNKNOWN


@dataclass(frozen=True, slots=True)
class _Family:
    qualities: tuple[str, ...]
    backgrounds: Mapping[str, Support]
    output_formats: Mapping[str, Support]
    input_fidelity: Support | None


_BASE_QUALITIES: Final = ("low", "medium", "high", "auto")
_CLASSIC_FORMATS: Final = MappingProxyType({"png": _S, "webp": _S, "jpeg": _S})
_NEWER_FORMATS: Final = MappingProxyType({"png": _S, "webp": _S, "jpeg": _S, "gif": _U, "svg": _U})


def _backgrounds(transparent: Support) -> Mapping[str, Support]:
    return MappingProxyType({"auto": _S, "opaque": _S, "transparent": transparent})


_FAMILIES: Final[Mapping[str, _Family]] = MappingProxyType(
    {
        "gpt-image-2": _Family(_BASE_QUALITIES, _backgrounds(_P), _NEWER_FORMATS, None),
        "gpt-image-2.5": _Family(
            (*_BASE_QUALITIES, "xhigh", "max"), _backgrounds(_U), _NEWER_FORMATS, _U
        ),
        "gpt-image-2.6": _Family(_BASE_QUALITIES, _backgrounds(_U), _NEWER_FORMATS, _U),
        "gpt-image-1.5": _Family(_BASE_QUALITIES, _backgrounds(_S), _CLASSIC_FORMATS, _S),
        "gpt-image-1-mini": _Family(_BASE_QUALITIES, _backgrounds(_S), _CLASSIC_FORMATS, None),
        "chatgpt-image-latest": _Family(_BASE_QUALITIES, _backgrounds(_U), _NEWER_FORMATS, _U),
    }
)

# name -> (family, the alias this name is a dated snapshot of)
_MODELS: Final[Mapping[str, tuple[str, str | None]]] = MappingProxyType(
    {
        "gpt-image-2": ("gpt-image-2", None),
        "gpt-image-2-2026-04-21": ("gpt-image-2", "gpt-image-2"),
        "gpt-image-2.5-sunburst": ("gpt-image-2.5", None),
        "gpt-image-2.5-sunburst-2026-09-08": ("gpt-image-2.5", "gpt-image-2.5-sunburst"),
        "gpt-image-2.5-flare": ("gpt-image-2.5", None),
        "gpt-image-2.5-flare-2026-09-08": ("gpt-image-2.5", "gpt-image-2.5-flare"),
        "gpt-image-1.5": ("gpt-image-1.5", None),
        "gpt-image-1-mini": ("gpt-image-1-mini", None),
        "chatgpt-image-latest": ("chatgpt-image-latest", None),
    }
)

# Any name with one of these prefixes (and something after it) belongs to the family.
_FAMILY_PREFIXES: Final[Mapping[str, str]] = MappingProxyType({"gpt-image-2.6-": "gpt-image-2.6"})


@dataclass(frozen=True, slots=True)
class _Retirement:
    verb: str
    date: str
    replacement: str
    advice: str


_RETIRED: Final[Mapping[str, _Retirement]] = MappingProxyType(
    {
        "gpt-image-1": _Retirement(
            "shut down",
            "2026-10-23",
            DEFAULT_MODEL,
            "the same prompts and parameters work; omit input_fidelity",
        ),
        "dall-e-3": _Retirement(
            "retired",
            "2026-05-12",
            DEFAULT_MODEL,
            "describe the look in the prompt instead of style, and expect base64 images, not URLs",
        ),
        "dall-e-2": _Retirement(
            "retired",
            "2026-05-12",
            DEFAULT_MODEL,
            "edits take up to 16 images and an optional mask; expect base64 images, not URLs",
        ),
    }
)


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """What one model name accepts; ``input_fidelity`` None means the parameter must be omitted."""

    name: str
    family: str
    snapshot_of: str | None
    qualities: tuple[str, ...]
    backgrounds: Mapping[str, Support] = field(compare=False)
    output_formats: Mapping[str, Support] = field(compare=False)
    input_fidelity: Support | None
    max_n: int = MAX_N
    max_prompt_chars: int = MAX_PROMPT_CHARS
    max_input_images: int = MAX_INPUT_IMAGES

    def background_support(self, background: str) -> Support | None:
        return self.backgrounds.get(background)

    def format_support(self, output_format: str) -> Support | None:
        return self.output_formats.get(output_format)


class ModelError(ValueError):
    """A model name the studio cannot send requests to; the message says what to use instead."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


class UnknownModelError(ModelError):
    """A name that is neither a known model nor a retired one."""


class RetiredModelError(ModelError):
    """A model that the service no longer runs."""

    def __init__(self, name: str, message: str, *, retired_on: str, replacement: str) -> None:
        super().__init__(name, message)
        self.retired_on = retired_on
        self.replacement = replacement


def quoted(value: object) -> str:
    """A value for a one-line message: JSON quoting keeps a stray newline or quote harmless."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def known_models() -> tuple[str, ...]:
    """Every accepted model name, default first; prefix families are written ``prefix*``."""
    return (*_MODELS, *(f"{prefix}*" for prefix in _FAMILY_PREFIXES))


def retired_models() -> tuple[str, ...]:
    return tuple(_RETIRED)


def _family_of(name: str) -> tuple[str, str | None] | None:
    if name in _MODELS:
        return _MODELS[name]
    for prefix, family in _FAMILY_PREFIXES.items():
        if name.startswith(prefix) and len(name) > len(prefix):
            return family, None
    return None


def model_info(name: str) -> ModelInfo:
    """The capabilities of ``name``; raises ``RetiredModelError`` or ``UnknownModelError``."""
    found = _family_of(name)
    if found is not None:
        family_name, snapshot_of = found
        family = _FAMILIES[family_name]
        return ModelInfo(
            name=name,
            family=family_name,
            snapshot_of=snapshot_of,
            qualities=family.qualities,
            backgrounds=family.backgrounds,
            output_formats=family.output_formats,
            input_fidelity=family.input_fidelity,
        )
    retired = _RETIRED.get(name)
    if retired is not None:
        message = (
            f"{name} was {retired.verb} on {retired.date}: "
            f"use {retired.replacement} ({retired.advice})."
        )
        raise RetiredModelError(
            name, message, retired_on=retired.date, replacement=retired.replacement
        )
    message = f"unknown model {quoted(name)}: use one of {', '.join(known_models())}."
    raise UnknownModelError(name, message)
