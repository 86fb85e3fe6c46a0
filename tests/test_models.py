"""The model capability table, retired models, and checks of API parameters."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.models import (
    DEFAULT_MODEL,
    ModelError,
    RetiredModelError,
    Support,
    UnknownModelError,
    known_models,
    model_info,
    retired_models,
)
from app.core.params import Problem, RequestValidationError, check_params, validate_params

NAMED_MODELS = [name for name in known_models() if not name.endswith("*")]


def params(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"model": "gpt-image-2", "prompt": "a tea box, 标题「有机绿茶」"}
    base.update(overrides)
    return base


def messages(problems: list[Problem], param: str | None = None) -> list[str]:
    return [p.message for p in problems if param is None or p.param == param]


# --- the table ----------------------------------------------------------------------------------


def test_default_model_is_first_and_is_gpt_image_2() -> None:
    assert DEFAULT_MODEL == "gpt-image-2"
    assert known_models()[0] == DEFAULT_MODEL


def test_every_model_named_in_the_design_is_known() -> None:
    expected = {
        "gpt-image-2",
        "gpt-image-2-2026-04-21",
        "gpt-image-2.5-sunburst",
        "gpt-image-2.5-sunburst-2026-09-08",
        "gpt-image-2.5-flare",
        "gpt-image-2.5-flare-2026-09-08",
        "gpt-image-1.5",
        "gpt-image-1-mini",
        "chatgpt-image-latest",
    }
    assert set(NAMED_MODELS) == expected
    assert "gpt-image-2.6-*" in known_models()


@pytest.mark.parametrize(
    ("name", "family", "snapshot_of"),
    [
        ("gpt-image-2", "gpt-image-2", None),
        ("gpt-image-2-2026-04-21", "gpt-image-2", "gpt-image-2"),
        ("gpt-image-2.5-flare-2026-09-08", "gpt-image-2.5", "gpt-image-2.5-flare"),
        ("gpt-image-2.5-sunburst", "gpt-image-2.5", None),
        ("gpt-image-2.6-preview", "gpt-image-2.6", None),
        ("gpt-image-2.6-aurora-2026-11-30", "gpt-image-2.6", None),
    ],
)
def test_family_and_snapshot(name: str, family: str, snapshot_of: str | None) -> None:
    info = model_info(name)
    assert (info.name, info.family, info.snapshot_of) == (name, family, snapshot_of)


@pytest.mark.parametrize("name", NAMED_MODELS)
def test_common_limits(name: str) -> None:
    info = model_info(name)
    assert (info.max_n, info.max_prompt_chars, info.max_input_images) == (10, 32_000, 16)
    assert {"low", "medium", "high", "auto"} <= set(info.qualities)
    for fmt in ("png", "webp", "jpeg"):
        assert info.format_support(fmt) is Support.SUPPORTED


@pytest.mark.parametrize("name", [*NAMED_MODELS, "gpt-image-2.6-x"])
def test_xhigh_and_max_only_on_the_2_5_family(name: str) -> None:
    info = model_info(name)
    extra = {"xhigh", "max"} & set(info.qualities)
    assert extra == ({"xhigh", "max"} if info.family == "gpt-image-2.5" else set())


def test_gpt_image_2_transparent_is_preview_and_input_fidelity_omitted() -> None:
    info = model_info("gpt-image-2")
    assert info.background_support("transparent") is Support.PREVIEW
    assert info.background_support("opaque") is Support.SUPPORTED
    assert info.background_support("white") is None
    assert info.input_fidelity is None
    assert info.format_support("gif") is Support.UNKNOWN
    assert info.format_support("bmp") is None


def test_older_models_do_not_offer_gif_or_svg() -> None:
    assert model_info("gpt-image-1.5").format_support("gif") is None
    assert model_info("gpt-image-1-mini").format_support("svg") is None


def test_model_info_is_hashable_and_equal_for_the_same_name() -> None:
    assert model_info("gpt-image-2") == model_info("gpt-image-2")
    assert len({model_info("gpt-image-2"), model_info("gpt-image-2")}) == 1


# --- unknown and retired models ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("dall-e-3", "dall-e-3 was retired on 2026-05-12: use gpt-image-2 ("),
        ("dall-e-2", "dall-e-2 was retired on 2026-05-12: use gpt-image-2 ("),
        ("gpt-image-1", "gpt-image-1 was shut down on 2026-10-23: use gpt-image-2 ("),
    ],
)
def test_retired_models_raise_with_a_migration_message(name: str, start: str) -> None:
    with pytest.raises(RetiredModelError) as caught:
        model_info(name)
    message = str(caught.value)
    assert message.startswith(start)
    assert message.endswith(").")
    assert caught.value.replacement == "gpt-image-2"
    assert caught.value.name == name
    assert isinstance(caught.value, ModelError)
    assert isinstance(caught.value, ValueError)


def test_retired_models_listed() -> None:
    assert set(retired_models()) == {"gpt-image-1", "dall-e-2", "dall-e-3"}
    assert not set(retired_models()) & set(known_models())


@pytest.mark.parametrize("name", ["gpt-image-3", "GPT-IMAGE-2", "gpt-image-2.6-", "", "dall-e-4"])
def test_unknown_models_raise_naming_the_known_ones(name: str) -> None:
    with pytest.raises(UnknownModelError) as caught:
        model_info(name)
    message = str(caught.value)
    assert message.startswith(f'unknown model "{name}": use one of gpt-image-2, ')
    for known in known_models():
        assert known in message
    assert not isinstance(caught.value, RetiredModelError)


# --- validate_params: clean requests -------------------------------------------------------------


def test_a_plain_request_has_no_problems() -> None:
    full = params(
        size="1024x1024",
        quality="high",
        n=4,
        background="opaque",
        output_format="webp",
        output_compression=80,
        moderation="low",
        partial_images=2,
    )
    assert validate_params(full) == []
    assert check_params(full) == []


@pytest.mark.parametrize("n", [1, 10])
def test_n_limits_are_inclusive(n: int) -> None:
    assert validate_params(params(n=n)) == []


# --- DALL·E-era parameters ------------------------------------------------------------------------


def test_quality_hd_migrates_to_high() -> None:
    assert messages(validate_params(params(quality="hd"))) == [
        'quality "hd" was a DALL·E 3 setting: use quality "high" instead.'
    ]


def test_quality_standard_migrates_to_medium() -> None:
    assert messages(validate_params(params(quality="standard"))) == [
        'quality "standard" was a DALL·E 3 setting: use quality "medium" instead.'
    ]


def test_style_points_to_the_prompt() -> None:
    assert messages(validate_params(params(style="vivid"))) == [
        'style "vivid" is a DALL·E 3 parameter that GPT image models do not support: '
        'describe the look in the prompt instead (the spec\'s "style" field).'
    ]


def test_response_format_is_always_base64() -> None:
    assert messages(validate_params(params(response_format="url"))) == [
        "response_format is not supported: GPT image models always return base64 images "
        "(b64_json), never URLs, so remove it."
    ]


def test_seed_points_to_the_library() -> None:
    assert messages(validate_params(params(seed=42))) == [
        "seed is not supported: generations can't be reproduced by seed, so keep the image you "
        "like in the library and edit it instead."
    ]


def test_a_dall_e_3_request_gets_every_migration_message() -> None:
    problems = validate_params(
        {
            "model": "dall-e-3",
            "prompt": "a cat",
            "quality": "hd",
            "style": "natural",
            "response_format": "url",
        }
    )
    assert [p.param for p in problems] == ["model", "style", "response_format", "quality"]
    assert problems[0].message.startswith("dall-e-3 was retired on 2026-05-12: use gpt-image-2 (")
    assert all(p.is_error for p in problems)


# --- validate_params: limits and combinations ---------------------------------------------------


@pytest.mark.parametrize(
    ("n", "shown"), [(0, "0"), (11, "11"), (-1, "-1"), (True, "True"), (2.0, "2.0"), ("2", '"2"')]
)
def test_n_outside_range_or_not_whole(n: object, shown: str) -> None:
    assert messages(validate_params(params(n=n))) == [
        f"n={shown} is not a whole number from 1 to 10: ask for 1 to 10 images per request."
    ]


def test_quality_not_offered_names_the_offered_ones() -> None:
    assert messages(validate_params(params(quality="xhigh"))) == [
        'quality "xhigh" is not offered by gpt-image-2: use one of low, medium, high, auto.'
    ]
    assert validate_params(params(model="gpt-image-2.5-flare", quality="xhigh")) == []
    assert validate_params(params(model="gpt-image-2.5-sunburst-2026-09-08", quality="max")) == []


def test_transparent_with_jpeg_needs_png_or_webp() -> None:
    problems = validate_params(
        params(model="gpt-image-1.5", background="transparent", output_format="jpeg")
    )
    assert messages(problems) == [
        'a transparent background needs output_format "png" or "webp", not "jpeg": '
        "change the format or make the background opaque."
    ]


def test_transparent_on_gpt_image_2_is_a_warning_with_a_fallback() -> None:
    warnings = check_params(params(background="transparent", output_format="png"))
    assert [(p.param, p.severity) for p in warnings] == [("background", "warning")]
    assert "preview on gpt-image-2" in warnings[0].message
    assert "flat key colour" in warnings[0].message


def test_transparent_on_gpt_image_1_5_is_fine() -> None:
    assert validate_params(params(model="gpt-image-1.5", background="transparent")) == []


def test_transparent_on_2_5_is_unconfirmed() -> None:
    problems = validate_params(params(model="gpt-image-2.5-flare", background="transparent"))
    assert [p.severity for p in problems] == ["warning"]
    assert "not confirmed on gpt-image-2.5-flare" in problems[0].message


def test_unknown_background_is_an_error() -> None:
    assert messages(validate_params(params(background="white"))) == [
        'background "white" is not offered by gpt-image-2: use one of auto, opaque, transparent.'
    ]


@pytest.mark.parametrize(
    ("value", "shown"), [(101, "101"), (-1, "-1"), (50.5, "50.5"), ("80", '"80"')]
)
def test_compression_out_of_range(value: object, shown: str) -> None:
    problems = validate_params(params(output_format="jpeg", output_compression=value))
    assert messages(problems) == [
        f"output_compression {shown} is not a whole number from 0 to 100: "
        "pick a value in that range."
    ]


@pytest.mark.parametrize("value", [0, 100])
def test_compression_bounds_are_inclusive(value: int) -> None:
    assert validate_params(params(output_format="webp", output_compression=value)) == []


@pytest.mark.parametrize("fmt", [{"output_format": "png"}, {}])
def test_compression_with_png_is_an_error(fmt: dict[str, str]) -> None:
    assert messages(validate_params(params(output_compression=80, **fmt))) == [
        'output_compression only applies to webp and jpeg, not "png": '
        "remove it or change the format."
    ]


def test_prompt_length_limit() -> None:
    assert validate_params(params(prompt="字" * 32_000)) == []
    assert messages(validate_params(params(prompt="字" * 32_001))) == [
        "the prompt is 32,001 characters, over the 32,000 limit: shorten it."
    ]


@pytest.mark.parametrize("prompt", ["", "   ", None, 5])
def test_empty_prompt(prompt: object) -> None:
    assert messages(validate_params(params(prompt=prompt))) == [
        "the prompt is empty: describe the image to make."
    ]


def test_input_fidelity_must_be_omitted_for_gpt_image_2() -> None:
    assert messages(validate_params(params(input_fidelity="high"))) == [
        "gpt-image-2 does not accept input_fidelity: omit it."
    ]
    assert messages(validate_params(params(model="gpt-image-1-mini", input_fidelity="low"))) == [
        "gpt-image-1-mini does not accept input_fidelity: omit it."
    ]


def test_input_fidelity_elsewhere() -> None:
    assert validate_params(params(model="gpt-image-1.5", input_fidelity="high")) == []
    bad = validate_params(params(model="gpt-image-1.5", input_fidelity="max"))
    assert messages(bad) == ['input_fidelity "max" is not an option: use "high" or "low".']
    unsure = validate_params(params(model="gpt-image-2.6-x", input_fidelity="low"))
    assert [p.severity for p in unsure] == ["warning"]


def test_output_formats() -> None:
    assert messages(validate_params(params(output_format="bmp"))) == [
        'output_format "bmp" is not offered by gpt-image-2: use one of png, webp, jpeg.'
    ]
    gif = validate_params(params(output_format="gif"))
    assert [(p.param, p.severity) for p in gif] == [("output_format", "warning")]
    assert messages(validate_params(params(model="gpt-image-1.5", output_format="svg"))) == [
        'output_format "svg" is not offered by gpt-image-1.5: use one of png, webp, jpeg.'
    ]


def test_moderation_partials_and_image_count() -> None:
    assert messages(validate_params(params(moderation="high"))) == [
        'moderation "high" is not an option: use "low" or "auto".'
    ]
    assert [p.param for p in validate_params(params(partial_images=4))] == ["partial_images"]
    assert validate_params(params(images=["a.png"] * 16)) == []
    assert messages(validate_params(params(image=["a.png"] * 17))) == [
        "17 input images is over the 16 limit: send at most 16 "
        "(the image being edited and up to 15 references)."
    ]


def test_missing_model_is_checked_as_the_default_with_a_warning() -> None:
    problems = validate_params({"prompt": "x", "quality": "xhigh"})
    assert [(p.param, p.severity) for p in problems] == [("quality", "error"), ("model", "warning")]


def test_unknown_model_skips_capability_checks_but_not_the_rest() -> None:
    problems = validate_params(params(model="gpt-image-9", quality="xhigh", n=20))
    assert [p.param for p in problems] == ["model", "n"]


def test_check_params_raises_with_every_problem() -> None:
    bad = params(n=0, background="transparent", output_format="jpeg")
    with pytest.raises(RequestValidationError) as caught:
        check_params(bad)
    error = caught.value
    assert [p.param for p in error.problems] == ["n", "output_format", "background"]
    assert [p.severity for p in error.problems] == ["error", "error", "warning"]
    assert str(error).splitlines() == [p.message for p in error.problems if p.is_error]


# --- properties ----------------------------------------------------------------------------------

KEYS = [
    "model",
    "prompt",
    "size",
    "quality",
    "n",
    "background",
    "output_format",
    "output_compression",
    "moderation",
    "input_fidelity",
    "style",
    "response_format",
    "seed",
    "partial_images",
    "image",
]
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 200),
    st.floats(allow_nan=True),
    st.text(max_size=8),
    st.sampled_from([*NAMED_MODELS, *retired_models(), "hd", "standard", "jpeg", "transparent"]),
    st.lists(st.just("a.png"), max_size=20),
)


@given(st.dictionaries(st.sampled_from(KEYS), VALUES))
def test_any_params_give_one_sentence_problems_and_never_raise(data: dict[str, object]) -> None:
    problems = validate_params(data)
    for problem in problems:
        assert problem.param in KEYS
        assert ": " in problem.message  # what is wrong: what to do
        assert problem.message.endswith(".")
        assert "\n" not in problem.message
    severities = [p.severity for p in problems]
    assert severities == sorted(severities)  # errors before warnings
    assert "prompt" in [p.param for p in problems] or isinstance(data.get("prompt"), str)


@given(
    model=st.sampled_from(NAMED_MODELS),
    n=st.integers(1, 10),
    fmt=st.sampled_from(["png", "webp", "jpeg"]),
    background=st.sampled_from(["auto", "opaque"]),
)
def test_valid_choices_from_the_table_have_no_errors(
    model: str, n: int, fmt: str, background: str
) -> None:
    for quality in model_info(model).qualities:
        request = params(model=model, n=n, output_format=fmt, background=background)
        request["quality"] = quality
        assert [p for p in validate_params(request) if p.is_error] == []
