"""The spec is declared once: the shipped JSON Schema and the reader agree on every file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.spec import SpecError
from app.core.spec_fields import SpecField
from app.core.spec_json import BLOCK_FIELDS, SPEC_FIELDS, spec_from_dict
from app.core.spec_schema import spec_schema, spec_schema_text

SHIPPED = Path(__file__).parents[1] / "app" / "core" / "data" / "spec.schema.json"
VALIDATOR = jsonschema.Draft202012Validator(spec_schema())


def schema_accepts(data: object) -> bool:
    return VALIDATOR.is_valid(data)


def reader_accepts(data: object) -> bool:
    try:
        spec_from_dict(data)
    except SpecError:
        return False
    return True


def test_the_shipped_schema_is_the_generated_one() -> None:
    # After changing app/core/spec.py, regenerate the file:
    #     python -m app.core.spec_schema > app/core/data/spec.schema.json
    assert SHIPPED.read_text("utf-8") == spec_schema_text()
    jsonschema.Draft202012Validator.check_schema(json.loads(SHIPPED.read_text("utf-8")))


@pytest.mark.parametrize("ratio", ["3：4", "2.35:1", " 16 : 9 ", "３：４"])
def test_a_ratio_the_reader_takes_the_schema_takes(ratio: str) -> None:
    data = {"description": "x", "ratio": ratio}
    assert reader_accepts(data)
    assert schema_accepts(data)


@pytest.mark.parametrize("size", ["1024×1536", "auto", "AUTO", "1024X1024"])
def test_a_size_the_reader_takes_the_schema_takes(size: str) -> None:
    data = {"description": "x", "size": size}
    assert reader_accepts(data)
    assert schema_accepts(data)


@pytest.mark.parametrize("weight", [99, 901, 1000])
def test_a_weight_outside_its_range_is_refused_by_both_with_the_range_named(weight: int) -> None:
    data = {"texts": [{"text": "字", "weight": weight}]}
    with pytest.raises(SpecError, match=rf"texts\[0\]\.weight: {weight} is outside 100\.\.900"):
        spec_from_dict(data)
    assert not schema_accepts(data)
    with pytest.raises(SpecError, match=r"texts\[0\]\.weight: expected a whole number 100\.\.900"):
        spec_from_dict({"texts": [{"text": "字", "weight": "bold"}]})


def test_null_means_not_given_for_both() -> None:
    data = {"description": "x", "ratio": None, "size": "1024x1024", "output_compression": None}
    assert reader_accepts(data)
    assert schema_accepts(data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 2000) | st.floats(-1, 2) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=8,
)


def field_values(field: SpecField) -> st.SearchStrategy[Any]:
    """Values near the field's declaration, and any JSON at all."""
    options: list[st.SearchStrategy[Any]] = [json_values, st.just(field.default), st.none()]
    info = field.info
    if info.choices:
        options.append(st.sampled_from(info.choices))
    if info.pattern is not None:
        options.append(st.from_regex(info.pattern, fullmatch=True))
    if info.minimum is not None and info.maximum is not None:
        low, high = int(info.minimum), int(info.maximum)
        options.append(st.integers(low - 2, high + 2))
    if field.kind == "box":
        options.append(st.lists(st.floats(-0.1, 1.1), min_size=3, max_size=5))
    if field.kind == "strings":
        options.append(st.lists(st.text(max_size=4), max_size=18))
    if field.kind == "blocks":
        options.append(st.lists(objects(BLOCK_FIELDS, {"text": "字"}), max_size=3))
    if field.kind == "string":
        invisible = ["\u200b", "\ufeff字", "a\u200db", "\u00ad", "3\u200b:4"]
        refused = ["a\x1b[2J", "\u202e字", "\ud800", "\x00", "字\x85", "\r\n字"]
        options.append(st.sampled_from(["", " ", "字", "\u3000", *invisible, *refused]))
    return st.one_of(options)


def objects(
    declared: tuple[SpecField, ...], base: dict[str, Any]
) -> st.SearchStrategy[dict[str, Any]]:
    """A valid ``base`` with one to three keys set to values near (or far from) their rules."""
    changed = st.lists(st.sampled_from(declared), min_size=1, max_size=3, unique=True)
    return changed.flatmap(
        lambda fields: st.fixed_dictionaries({f.name: field_values(f) for f in fields})
    ).map(lambda values: {**base, **values})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(objects(SPEC_FIELDS, {"description": "x"}))
def test_the_reader_and_the_schema_agree_on_any_spec(data: dict[str, Any]) -> None:
    texts = data.get("texts")
    blocks = texts if isinstance(texts, list) else []
    boxes = [block.get("box") for block in blocks if isinstance(block, dict)]
    accepted = reader_accepts(data)
    if accepted or not any(isinstance(box, list) for box in boxes):
        # A box beyond the canvas is the one rule the schema cannot say.
        assert schema_accepts(data) == accepted, data
