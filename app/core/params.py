"""Checks of image API parameters against the model table.

Two entry points check a parameter dict (keys as the image API spells them):

- ``validate_params`` never raises: it returns every ``Problem`` it finds, errors and warnings.
- ``check_params`` raises ``RequestValidationError`` when there is at least one error and otherwise
  returns the warnings (a preview background, a format that may be refused).

Sizes are checked in ``app.core.sizes``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

from app.core.models import (
    COMPRESSIBLE_FORMATS,
    DEFAULT_MODEL,
    INPUT_FIDELITIES,
    MAX_INPUT_IMAGES,
    MAX_N,
    MAX_PARTIAL_IMAGES,
    MAX_PROMPT_CHARS,
    MODERATIONS,
    ModelError,
    ModelInfo,
    Support,
    model_info,
    quoted,
)

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


DALLE_QUALITIES: Final[Mapping[str, str]] = MappingProxyType({"hd": "high", "standard": "medium"})
"""DALL·E 3 quality names and what to use instead."""

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


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _style_message(value: object) -> str:
    return (
        f"style {quoted(value)} is a DALL·E 3 parameter that GPT image models do not support: "
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
            Problem("model", f"model {quoted(name)} is not a name: use {DEFAULT_MODEL}.")
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
                f"n={quoted(params['n'])} is not a whole number from 1 to {MAX_N}: ask for "
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
    if isinstance(quality, str) and quality in DALLE_QUALITIES:
        problems.append(
            Problem(
                "quality",
                f'quality "{quality}" was a DALL·E 3 setting: use quality '
                f'"{DALLE_QUALITIES[quality]}" instead.',
            )
        )
    elif info is not None and (not isinstance(quality, str) or quality not in info.qualities):
        problems.append(
            Problem(
                "quality",
                f"quality {quoted(quality)} is not offered by {info.name}: use one of "
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
                f"background {quoted(background)} is not offered by {info.name}: use one of "
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
    confirmed = [name for name, s in info.output_formats.items() if s is Support.SUPPORTED]
    if not isinstance(output_format, str) or info.format_support(output_format) is None:
        problems.append(
            Problem(
                "output_format",
                f"output_format {quoted(output_format)} is not offered by {info.name}: use one of "
                f"{', '.join(confirmed)}.",
            )
        )
    elif info.format_support(output_format) is not Support.SUPPORTED:
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
                f'input_fidelity {quoted(value)} is not an option: use "high" or "low".',
            )
        )
    elif info.input_fidelity is Support.UNKNOWN:
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
                f"output_compression {quoted(value)} is not a whole number from 0 to 100: "
                "pick a value in that range.",
            )
        )
    output_format = params.get("output_format", "png")
    if output_format not in COMPRESSIBLE_FORMATS:
        problems.append(
            Problem(
                "output_compression",
                f"output_compression only applies to webp and jpeg, not {quoted(output_format)}: "
                "remove it or change the format.",
            )
        )


def _check_moderation(params: Mapping[str, object], problems: list[Problem]) -> None:
    value = params.get("moderation")
    if value is not None and value not in MODERATIONS:
        problems.append(
            Problem(
                "moderation", f'moderation {quoted(value)} is not an option: use "low" or "auto".'
            )
        )


def _check_partials_and_images(params: Mapping[str, object], problems: list[Problem]) -> None:
    if "partial_images" in params:
        partials = _whole(params["partial_images"])
        if partials is None or not 0 <= partials <= MAX_PARTIAL_IMAGES:
            problems.append(
                Problem(
                    "partial_images",
                    f"partial_images {quoted(params['partial_images'])} is not a whole number "
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
