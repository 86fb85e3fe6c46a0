"""The image models the studio knows, what each accepts, and checks of API parameters against them.

The capability table below is data: one row per model family, one line per model name, one line per
retired model. Where a capability is not published it is marked ``Support.UNKNOWN`` so that callers
warn instead of refusing; a value missing from a table is not offered.

Two entry points check a parameter dict (keys as the image API spells them):

- ``validate_params`` never raises: it returns every ``Problem`` it finds, errors and warnings.
- ``check_params`` raises ``RequestValidationError`` when there is at least one error and otherwise
  returns the warnings (a preview background, a format that may be refused).

Sizes are checked elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Final, Literal

DEFAULT_MODEL: Final = "gpt-image-2"
MAX_N: Final = 10
MAX_PROMPT_CHARS: Final = 32_000
MAX_INPUT_IMAGES: Final = 16
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
    message = f"unknown model {_quoted(name)}: use one of {', '.join(known_models())}."
    raise UnknownModelError(name, message)


# --- checking API parameters -------------------------------------------------------------------

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or risky) with a request: the API parameter and one sentence to show."""

    param: str
    message: str
    severity: Severity = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class RequestValidationError(ValueError):
    """A request with at least one error; ``problems`` holds all of them, warnings included."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(p.message for p in self.problems if p.is_error))


_DALLE_QUALITIES: Final[Mapping[str, str]] = MappingProxyType({"hd": "high", "standard": "medium"})

_TRANSPARENT_RISK: Final[Mapping[Support, str]] = MappingProxyType(
    {Support.PREVIEW: "are a preview", Support.UNKNOWN: "are not confirmed"}
)

_RESPONSE_FORMAT_MESSAGE: Final = (
    "response_format is not supported: GPT image models always return base64 images (b64_json), "
    "never URLs, so remove it."
)
_SEED_MESSAGE: Final = (
    "seed is not supported: generations can't be reproduced by seed, so keep the image you like "
    "in the library and edit it instead."
)


def _quoted(value: object) -> str:
    # JSON quoting keeps a stray newline or quote in a value from breaking the one-line message.
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _style_message(value: object) -> str:
    return (
        f"style {_quoted(value)} is a DALL·E 3 parameter that GPT image models do not support: "
        'describe the look in the prompt instead (the spec\'s "style" field).'
    )


def validate_params(params: Mapping[str, object]) -> list[Problem]:
    """Every problem with an image API parameter dict, errors first in parameter order.

    A missing ``model`` is checked as the default model (with a warning); other missing keys take
    the API's defaults. Keys this module does not know (``stream``, ``mask``...) are ignored.
    """
    problems: list[Problem] = []
    info = _check_model(params, problems)
    _check_prompt(params.get("prompt"), problems)
    _check_n(params, problems)
    _check_dalle_params(params, problems)
    _check_quality(info, params.get("quality", "auto"), problems)
    if info is not None:
        _check_background_and_format(info, params, problems)
        _check_input_fidelity(info, params, problems)
    _check_compression(params, problems)
    _check_moderation(params, problems)
    _check_partials_and_images(params, problems)
    problems.sort(key=lambda p: not p.is_error)
    return problems


def check_params(params: Mapping[str, object]) -> list[Problem]:
    """Raise ``RequestValidationError`` if ``params`` has an error; else return its warnings."""
    problems = validate_params(params)
    if any(p.is_error for p in problems):
        raise RequestValidationError(problems)
    return problems


def _check_model(params: Mapping[str, object], problems: list[Problem]) -> ModelInfo | None:
    name = params.get("model")
    if name is None:
        problems.append(
            Problem("model", f'model is missing: set it to "{DEFAULT_MODEL}".', "warning")
        )
        name = DEFAULT_MODEL
    if not isinstance(name, str):
        problems.append(
            Problem("model", f"model {_quoted(name)} is not a name: use {DEFAULT_MODEL}.")
        )
        return None
    try:
        return model_info(name)
    except ModelError as error:
        problems.append(Problem("model", str(error)))
        return None


def _check_prompt(prompt: object, problems: list[Problem]) -> None:
    if not isinstance(prompt, str) or not prompt.strip():
        problems.append(Problem("prompt", "the prompt is empty: describe the image to make."))
    elif len(prompt) > MAX_PROMPT_CHARS:
        problems.append(
            Problem(
                "prompt",
                f"the prompt is {len(prompt):,} characters, over the {MAX_PROMPT_CHARS:,} limit: "
                "shorten it.",
            )
        )


def _check_n(params: Mapping[str, object], problems: list[Problem]) -> None:
    if "n" not in params:
        return
    n = _whole(params["n"])
    if n is None or not 1 <= n <= MAX_N:
        problems.append(
            Problem(
                "n",
                f"n={_quoted(params['n'])} is not a whole number from 1 to {MAX_N}: ask for "
                f"1 to {MAX_N} images per request.",
            )
        )


def _check_dalle_params(params: Mapping[str, object], problems: list[Problem]) -> None:
    if "style" in params:
        problems.append(Problem("style", _style_message(params["style"])))
    if "response_format" in params:
        problems.append(Problem("response_format", _RESPONSE_FORMAT_MESSAGE))
    if "seed" in params:
        problems.append(Problem("seed", _SEED_MESSAGE))


def _check_quality(info: ModelInfo | None, quality: object, problems: list[Problem]) -> None:
    if isinstance(quality, str) and quality in _DALLE_QUALITIES:
        problems.append(
            Problem(
                "quality",
                f'quality "{quality}" was a DALL·E 3 setting: use quality '
                f'"{_DALLE_QUALITIES[quality]}" instead.',
            )
        )
    elif info is not None and (not isinstance(quality, str) or quality not in info.qualities):
        problems.append(
            Problem(
                "quality",
                f"quality {_quoted(quality)} is not offered by {info.name}: use one of "
                f"{', '.join(info.qualities)}.",
            )
        )


def _check_background_and_format(
    info: ModelInfo, params: Mapping[str, object], problems: list[Problem]
) -> None:
    background = params.get("background", "auto")
    output_format = params.get("output_format", "png")
    support = info.background_support(background) if isinstance(background, str) else None
    if support is None:
        problems.append(
            Problem(
                "background",
                f"background {_quoted(background)} is not offered by {info.name}: use one of "
                f"{', '.join(info.backgrounds)}.",
            )
        )
    elif background == "transparent":
        risk = _TRANSPARENT_RISK.get(support)
        if risk is not None:
            problems.append(
                Problem(
                    "background",
                    f"transparent backgrounds {risk} on {info.name} and may be refused: if so, "
                    "the studio asks for a flat key colour and removes it locally.",
                    "warning",
                )
            )
        if output_format == "jpeg":
            problems.append(
                Problem(
                    "output_format",
                    'a transparent background needs output_format "png" or "webp", not "jpeg": '
                    "change the format or make the background opaque.",
                )
            )
    confirmed = [name for name, s in info.output_formats.items() if s is _S]
    if not isinstance(output_format, str) or info.format_support(output_format) is None:
        problems.append(
            Problem(
                "output_format",
                f"output_format {_quoted(output_format)} is not offered by {info.name}: use one of "
                f"{', '.join(confirmed)}.",
            )
        )
    elif info.format_support(output_format) is not _S:
        problems.append(
            Problem(
                "output_format",
                f'output_format "{output_format}" is not confirmed on {info.name} and may be '
                f"refused: use one of {', '.join(confirmed)} to be safe.",
                "warning",
            )
        )


def _check_input_fidelity(
    info: ModelInfo, params: Mapping[str, object], problems: list[Problem]
) -> None:
    if "input_fidelity" not in params:
        return
    value = params["input_fidelity"]
    if info.input_fidelity is None:
        problems.append(
            Problem("input_fidelity", f"{info.name} does not accept input_fidelity: omit it.")
        )
    elif not isinstance(value, str) or value not in INPUT_FIDELITIES:
        problems.append(
            Problem(
                "input_fidelity",
                f'input_fidelity {_quoted(value)} is not an option: use "high" or "low".',
            )
        )
    elif info.input_fidelity is _U:
        problems.append(
            Problem(
                "input_fidelity",
                f"input_fidelity is not confirmed on {info.name} and may be refused: omit it if "
                "the request fails.",
                "warning",
            )
        )


def _check_compression(params: Mapping[str, object], problems: list[Problem]) -> None:
    value = params.get("output_compression")
    if value is None:
        return
    compression = _whole(value)
    if compression is None or not 0 <= compression <= 100:
        problems.append(
            Problem(
                "output_compression",
                f"output_compression {_quoted(value)} is not a whole number from 0 to 100: "
                "pick a value in that range.",
            )
        )
    output_format = params.get("output_format", "png")
    if output_format not in COMPRESSIBLE_FORMATS:
        problems.append(
            Problem(
                "output_compression",
                f"output_compression only applies to webp and jpeg, not {_quoted(output_format)}: "
                "remove it or change the format.",
            )
        )


def _check_moderation(params: Mapping[str, object], problems: list[Problem]) -> None:
    value = params.get("moderation")
    if value is not None and value not in MODERATIONS:
        problems.append(
            Problem(
                "moderation", f'moderation {_quoted(value)} is not an option: use "low" or "auto".'
            )
        )


def _check_partials_and_images(params: Mapping[str, object], problems: list[Problem]) -> None:
    if "partial_images" in params:
        partials = _whole(params["partial_images"])
        if partials is None or not 0 <= partials <= MAX_PARTIAL_IMAGES:
            problems.append(
                Problem(
                    "partial_images",
                    f"partial_images {_quoted(params['partial_images'])} is not a whole number "
                    f"from 0 to {MAX_PARTIAL_IMAGES}: pick a value in that range.",
                )
            )
    for key in ("image", "images"):
        images = params.get(key)
        if isinstance(images, list | tuple) and len(images) > MAX_INPUT_IMAGES:
            problems.append(
                Problem(
                    key,
                    f"{len(images)} input images is over the {MAX_INPUT_IMAGES} limit: send at "
                    f"most {MAX_INPUT_IMAGES} (the image being edited and up to "
                    f"{MAX_INPUT_IMAGES - 1} references).",
                )
            )
