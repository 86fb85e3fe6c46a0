from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from app.core.spec import Spec, SpecError, TextBlock
from app.core.spec_json import (
    load_spec,
    spec_from_dict,
    spec_from_json,
    spec_to_json,
    with_overrides,
)

EXAMPLES = sorted((Path(__file__).parents[1] / "resources" / "examples").glob("*.json"))
SCHEMA = json.loads(
    (Path(__file__).parents[1] / "app" / "core" / "data" / "spec.schema.json").read_text("utf-8")
)


def test_examples_are_present() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_load_and_match_the_schema(path: Path) -> None:
    loaded = load_spec(path)
    assert loaded.warnings == ()
    assert loaded.spec.texts
    jsonschema.validate(json.loads(path.read_text("utf-8")), SCHEMA)


def test_defaults_for_missing_keys() -> None:
    spec = spec_from_dict({"texts": [{"role": "headline", "text": "字"}]}).spec
    assert (spec.quality, spec.n, spec.background, spec.output_format, spec.model, spec.tier) == (
        "medium",
        1,
        "auto",
        "png",
        "gpt-image-2",
        "1k",
    )


def test_unknown_keys_warned_and_ignored() -> None:
    loaded = spec_from_dict(
        {"description": "x", "colour": "red", "texts": [{"text": "字", "size": 3}]}
    )
    assert loaded.warnings == (
        "unknown key 'colour' ignored",
        "texts[0]: unknown key 'size' ignored",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"description": "x", "n": 11}, "n: 11 is outside 1..10"),
        ({"description": "x", "n": "2"}, "n: expected a whole number 1..10"),
        ({"description": "x", "quality": "hd"}, 'quality: quality "hd" was a DALL·E 3 setting'),
        ({"description": "x", "quality": "best"}, "quality: 'best' is not one of"),
        ({"description": "x", "ratio": "1:1", "size": "1024x1024"}, "ratio and size"),
        ({"description": ""}, "description: empty"),
        ({"texts": [{"role": "title", "text": "字"}]}, "texts[0].role: 'title'"),
        ({"texts": [{"role": "headline"}]}, "texts[0].text: missing"),
        ({"texts": [{"text": "字", "box": [0.5, 0.5, 0.6, 0.1]}]}, "texts[0].box: the box must"),
        ({"texts": [{"text": "字", "box": [0, 0, 1]}]}, "texts[0].box: expected [x, y, w, h]"),
        ({"description": "x", "version": 2}, "version: 2 is not supported"),
        ({"description": "x", "output_compression": 101}, "output_compression: 101"),
    ],
)
def test_bad_specs_name_the_field(data: dict[str, object], message: str) -> None:
    with pytest.raises(SpecError, match=None) as caught:
        spec_from_dict(data)
    assert message in str(caught.value)
    if "the box must" not in message:  # a box beyond the canvas is more than a schema can say
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(data, SCHEMA)


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"description": "x",\n "n": }', "utf-8")
    with pytest.raises(SpecError, match=r"bad.json: not valid JSON \(line 2, column"):
        load_spec(path)


def test_references_resolve_against_the_spec_folder(tmp_path: Path) -> None:
    path = tmp_path / "job" / "spec.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"description": "x", "references": ["ref/a.png"]}), "utf-8")
    spec = load_spec(path).spec
    assert spec.references == (str(tmp_path / "job" / "ref" / "a.png"),)
    saved = json.loads(spec_to_json(spec, base_dir=path.parent))
    assert saved["references"] == ["ref/a.png"]


def test_round_trip_keeps_every_field() -> None:
    spec = Spec(
        description="Poster", style="ink", ratio="2.35:1", tier="2k", quality="high", n=3,
        background="transparent", output_format="webp", output_compression=80,
        texts=(TextBlock("headline", "他说“好”\n下一行", box=(0.1, 0.1, 0.5, 0.2), weight=800),),
    )  # fmt: skip
    assert spec_from_json(spec_to_json(spec)).spec == spec


def test_overrides_replace_ratio_with_size_and_back() -> None:
    spec = Spec(description="x", ratio="3:4")
    assert with_overrides(spec, size="1024x1024").ratio is None
    assert with_overrides(with_overrides(spec, size="1024x1024"), ratio="1:1").size is None
    assert with_overrides(spec, quality=None).quality == "medium"
