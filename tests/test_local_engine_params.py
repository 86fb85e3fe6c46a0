"""The local engine's request checks: the image API's refusals, parameter by parameter."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.compiler import compile_prompt
from app.core.sizes import Size
from app.core.spec import Spec, TextBlock
from app.engine.local.errors import ApiError
from app.engine.local.params import DraftRequest, draft_request, form_value, json_fields


def refusal(fields: dict[str, object], kind: str = "generate") -> ApiError:
    with pytest.raises(ApiError) as caught:
        draft_request(kind, fields)  # type: ignore[arg-type]
    assert caught.value.status == 400
    assert caught.value.type == "invalid_request_error"
    return caught.value


def test_a_prompt_alone_takes_the_api_defaults() -> None:
    assert draft_request("generate", {"prompt": "a cat"}) == DraftRequest(
        kind="generate", prompt="a cat"
    )


def test_every_field_is_read() -> None:
    request = draft_request(
        "generate",
        {
            "prompt": "p",
            "model": "gpt-image-2",
            "n": 3,
            "size": "1536x1024",
            "quality": "high",
            "background": "transparent",
            "output_format": "webp",
            "output_compression": 80,
            "stream": True,
            "partial_images": 2,
            "moderation": "low",
            "user": "someone",
        },
    )
    assert request.n == 3
    assert request.size == Size(1536, 1024)
    assert (request.quality, request.background) == ("high", "transparent")
    assert (request.output_format, request.output_compression) == ("webp", 80)
    assert request.stream and request.partial_images == 2
    assert request.event_prefix == "image_generation"


def test_nulls_mean_not_given() -> None:
    request = draft_request("generate", {"prompt": "p", "n": None, "size": None, "model": None})
    assert (request.n, request.size, request.model) == (1, None, "gpt-image-2")


@pytest.mark.parametrize(
    ("n", "code"), [(0, "integer_below_min_value"), (11, "integer_above_max_value")]
)
def test_n_outside_1_to_10_is_refused(n: int, code: str) -> None:
    error = refusal({"prompt": "p", "n": n})
    assert (error.param, error.code) == ("n", code)


@given(st.integers(min_value=1, max_value=10))
def test_n_inside_1_to_10_is_accepted(n: int) -> None:
    assert draft_request("generate", {"prompt": "p", "n": n}).n == n


def test_a_missing_prompt_is_refused() -> None:
    error = refusal({"n": 1})
    assert (error.param, error.code) == ("prompt", "missing_required_parameter")


def test_an_empty_prompt_is_refused() -> None:
    assert refusal({"prompt": "   "}).param == "prompt"


def test_prompt_length_limit_is_32000_characters() -> None:
    assert draft_request("generate", {"prompt": "字" * 32_000}).prompt == "字" * 32_000
    error = refusal({"prompt": "字" * 32_001})
    assert (error.param, error.code) == ("prompt", "string_above_max_length")


@pytest.mark.parametrize("size", ["1000x1000", "4096x4096", "256x256", "3000x600", "1024"])
def test_bad_sizes_are_refused(size: str) -> None:
    error = refusal({"prompt": "p", "size": size})
    assert error.param == "size"


def test_a_size_refusal_names_the_nearest_valid_size() -> None:
    assert "1008x1008" in refusal({"prompt": "p", "size": "1000x1000"}).message


def test_auto_size_is_none() -> None:
    assert draft_request("generate", {"prompt": "p", "size": "auto"}).size is None


@pytest.mark.parametrize(
    ("fields", "param"),
    [
        ({"model": "no-such-model"}, "model"),
        ({"model": "dall-e-3"}, "model"),
        ({"quality": "ultra"}, "quality"),
        ({"quality": "hd"}, "quality"),
        ({"background": "clear"}, "background"),
        ({"output_format": "bmp"}, "output_format"),
        ({"background": "transparent", "output_format": "jpeg"}, "output_format"),
        ({"output_compression": 101, "output_format": "jpeg"}, "output_compression"),
        ({"partial_images": 4}, "partial_images"),
        ({"moderation": "none"}, "moderation"),
        ({"response_format": "url"}, "response_format"),
    ],
)
def test_bad_values_are_refused(fields: dict[str, object], param: str) -> None:
    assert refusal({"prompt": "p", **fields}).param == param


def test_input_fidelity_is_refused_on_gpt_image_2_edits() -> None:
    error = refusal({"prompt": "p", "input_fidelity": "high"}, kind="edit")
    assert error.param == "input_fidelity"


def test_unknown_parameters_are_refused() -> None:
    error = refusal({"prompt": "p", "colour": "red"})
    assert (error.param, error.code) == ("colour", "unknown_parameter")


def test_edit_only_parameters_are_unknown_to_generations() -> None:
    assert refusal({"prompt": "p", "mask": None}).code == "unknown_parameter"


@pytest.mark.parametrize(
    ("fields", "param"),
    [
        ({"n": "2"}, "n"),
        ({"n": 2.5}, "n"),
        ({"stream": "yes"}, "stream"),
        ({"prompt": 5}, "prompt"),
    ],
)
def test_wrong_json_types_are_refused(fields: dict[str, object], param: str) -> None:
    error = refusal({"prompt": "p", **fields})
    assert (error.param, error.code) == (param, "invalid_type")


def test_form_values_are_typed_like_json() -> None:
    assert form_value("n", "2") == 2
    assert form_value("stream", "true") is True
    assert form_value("stream", "false") is False
    assert form_value("prompt", "2") == "2"
    with pytest.raises(ApiError):
        form_value("partial_images", "two")


def test_the_spec_can_come_in_an_extra_field() -> None:
    spec = {"description": "a poster", "texts": [{"role": "headline", "text": "你好"}]}
    for value in (spec, json.dumps(spec)):
        request = draft_request("generate", {"prompt": "p", "zi_spec": value})
        assert request.spec is not None
        assert request.spec.texts == (TextBlock("headline", "你好"),)


def test_a_bad_spec_field_is_refused() -> None:
    assert refusal({"prompt": "p", "zi_spec": "{not json"}).param == "zi_spec"


def test_a_body_that_is_not_json_is_refused() -> None:
    with pytest.raises(ApiError) as caught:
        json_fields(b"{nope")
    assert caught.value.status == 400
    with pytest.raises(ApiError):
        json_fields(b"[1, 2]")


def test_a_compiled_prompt_passes() -> None:
    prompt = compile_prompt(Spec(description="tea", texts=(TextBlock("headline", "有机绿茶"),)))
    assert draft_request("generate", {"prompt": prompt.text}).prompt == prompt.text
