"""The request fields of a generation or an edit, typed and checked as the image API checks them.

A JSON body (generations) and multipart form fields (edits) both become a ``DraftRequest``, or an
``ApiError`` (HTTP 400) naming the parameter. The checks are the core's (``validate_params`` and
the size rules), so the engine refuses exactly what the studio warns about; warnings (a preview
transparent background, for example) are not refusals here: the engine does them for real.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

from app.core.models import DEFAULT_MODEL, MAX_N, MAX_PROMPT_CHARS
from app.core.params import validate_params
from app.core.sizes import Size, SizeError, parse_size
from app.core.spec import Spec, SpecError
from app.core.spec_json import spec_from_dict
from app.engine.local.errors import ApiError, invalid

Kind = Literal["generate", "edit"]

SPEC_FIELD: Final = "zi_spec"
"""An extra field the studio may send its own engine: the spec as JSON (object or string)."""

_INT_FIELDS: Final = ("n", "output_compression", "partial_images", "frame_count")
_BOOL_FIELDS: Final = ("stream",)
_STR_FIELDS: Final = (
    "prompt", "model", "size", "quality", "background", "output_format", "moderation",
    "input_fidelity", "response_format", "style", "user", "safety_identifier", "complexity",
)  # fmt: skip
# Everything the openai SDK can send for each call; anything else is an unknown parameter.
_COMMON: Final = frozenset(
    {
        "prompt", "model", "n", "size", "quality", "background", "output_format",
        "output_compression", "partial_images", "stream", "response_format", "user",
        "safety_identifier", "complexity", "frame_count", "frame_duration_ms", "svg", SPEC_FIELD,
    }
)  # fmt: skip
KNOWN_FIELDS: Final[Mapping[Kind, frozenset[str]]] = {
    "generate": _COMMON | {"moderation", "style"},
    "edit": _COMMON | {"input_fidelity", "image", "image[]", "mask", "markup"},
}
_TYPE_NAMES: Final = {int: "an integer", bool: "a boolean", str: "a string"}


@dataclass(frozen=True, slots=True)
class DraftRequest:
    """One checked request. ``size`` None means "auto"; ``quality``/``background`` as asked."""

    kind: Kind
    prompt: str
    model: str = DEFAULT_MODEL
    n: int = 1
    size: Size | None = None
    quality: str = "auto"
    background: str = "auto"
    output_format: str = "png"
    output_compression: int | None = None
    stream: bool = False
    partial_images: int = 0
    spec: Spec | None = None

    @property
    def event_prefix(self) -> str:
        return "image_generation" if self.kind == "generate" else "image_edit"


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


def _type_error(name: str, expected: type, value: object) -> ApiError:
    return invalid(
        f"Invalid type for '{name}': expected {_TYPE_NAMES[expected]}, but got "
        f"{_json_type(value)} instead.",
        name,
        "invalid_type",
    )


def _typed(fields: Mapping[str, object]) -> dict[str, object]:
    """The fields without nulls, each checked to have its JSON type."""
    typed: dict[str, object] = {}
    for name, value in fields.items():
        if value is None:
            continue  # the API treats null as "not given"
        if name in _INT_FIELDS and (not isinstance(value, int) or isinstance(value, bool)):
            raise _type_error(name, int, value)
        if name in _BOOL_FIELDS and not isinstance(value, bool):
            raise _type_error(name, bool, value)
        if name in _STR_FIELDS and not isinstance(value, str):
            raise _type_error(name, str, value)
        typed[name] = value
    return typed


def form_value(name: str, text: str) -> object:
    """A multipart text field as the JSON value it stands for ("2" → 2, "true" → True)."""
    if name in _INT_FIELDS:
        try:
            return int(text.strip())
        except ValueError:
            raise _type_error(name, int, text) from None
    if name in _BOOL_FIELDS:
        lowered = text.strip().lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise _type_error(name, bool, text)
    return text


def _first_problem(params: Mapping[str, object]) -> ApiError | None:
    errors = [problem for problem in validate_params(params) if problem.is_error]
    if not errors:
        return None
    problem = errors[0]
    code = "invalid_value"
    if problem.param == "n":
        n = params["n"]
        code = "integer_above_max_value" if isinstance(n, int) and n > MAX_N else "invalid_value"
        if isinstance(n, int) and n < 1:
            code = "integer_below_min_value"
    elif problem.param == "prompt":
        prompt = params.get("prompt")
        too_long = isinstance(prompt, str) and len(prompt) > MAX_PROMPT_CHARS
        code = "string_above_max_length" if too_long else "empty_string"
    elif problem.param in ("style", "response_format", "seed", "input_fidelity"):
        code = "unsupported_parameter"
    return invalid(problem.message, problem.param, code)


def _spec(value: object) -> Spec:
    try:
        data = json.loads(value) if isinstance(value, str) else value
        return spec_from_dict(data).spec
    except (ValueError, SpecError) as error:
        raise invalid(f"Invalid '{SPEC_FIELD}': {error}", SPEC_FIELD) from None


def draft_request(kind: Kind, fields: Mapping[str, object]) -> DraftRequest:
    """The checked request from its fields (images and mask excluded); ``ApiError`` if refused."""
    for name in fields:
        if name not in KNOWN_FIELDS[kind]:
            raise invalid(f"Unknown parameter: '{name}'.", name, "unknown_parameter")
    values = _typed(fields)
    if "prompt" not in values:
        raise invalid(
            "Missing required parameter: 'prompt'.", "prompt", "missing_required_parameter"
        )
    params = {key: value for key, value in values.items() if key != SPEC_FIELD}
    params.setdefault("model", DEFAULT_MODEL)
    problem = _first_problem(params)
    if problem is not None:
        raise problem
    size: Size | None = None
    size_text = values.get("size", "auto")
    assert isinstance(size_text, str)
    try:
        size = parse_size(size_text)
    except SizeError as error:
        raise invalid(f"Invalid 'size': {error}", "size") from None

    def text(name: str, default: str) -> str:
        value = values.get(name, default)
        return value if isinstance(value, str) else default

    def whole(name: str) -> int | None:
        value = values.get(name)
        return value if isinstance(value, int) else None

    return DraftRequest(
        kind=kind,
        prompt=text("prompt", ""),
        model=text("model", DEFAULT_MODEL),
        n=whole("n") or 1,
        size=size,
        quality=text("quality", "auto"),
        background=text("background", "auto"),
        output_format=text("output_format", "png"),
        output_compression=whole("output_compression"),
        stream=values.get("stream") is True,
        partial_images=whole("partial_images") or 0,
        spec=_spec(values[SPEC_FIELD]) if SPEC_FIELD in values else None,
    )


def json_fields(body: bytes) -> dict[str, object]:
    """The fields of a JSON request body; ``ApiError`` when it is not a JSON object."""
    try:
        data = json.loads(body)
        # A lone surrogate escape ("\ud800") parses, but is no text: strict UTF-8 says so.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError):  # UnicodeError is a ValueError
        raise ApiError(
            400,
            "We could not parse the JSON body of your request. (HINT: This likely means you "
            "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload.)",
        ) from None
    if not isinstance(data, dict):
        raise invalid(
            f"Invalid type for the request body: expected an object, but got {_json_type(data)} "
            "instead.",
            None,
            "invalid_type",
        )
    return data
