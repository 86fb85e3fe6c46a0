"""Per-block typography and exact_text in the spec file: read, written back, and checked."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from app.core.spec import Shadow, SpecError, Stroke, TextBlock
from app.core.spec_json import spec_from_dict, spec_to_dict

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "app" / "core" / "data" / "spec.schema.json").read_text("utf-8")
)
TYPESET = {
    "description": "a tea poster",
    "exact_text": True,
    "texts": [
        {
            "role": "headline",
            "text": "有机绿茶",
            "font": "Noto Sans CJK SC",
            "weight": 800,
            "color": "#1d4ed8",
            "align": "left",
            "vertical": True,
            "tracking": 0.05,
            "line_height": 1.4,
            "stroke": {"width": 0.05, "color": "#ffffff"},
            "shadow": {"color": "#80000000", "x": 0.02, "y": 0.04, "blur": 0.1},
        }
    ],
}


def test_typography_is_read_and_written_back_unchanged() -> None:
    jsonschema.validate(TYPESET, SCHEMA)
    loaded = spec_from_dict(TYPESET)
    assert loaded.warnings == ()
    spec = loaded.spec
    assert spec.exact_text
    assert spec.texts[0] == TextBlock(
        role="headline",
        text="有机绿茶",
        font="Noto Sans CJK SC",
        weight=800,
        color="#1d4ed8",
        align="left",
        vertical=True,
        tracking=0.05,
        line_height=1.4,
        stroke=Stroke(0.05, "#ffffff"),
        shadow=Shadow("#80000000", 0.02, 0.04, 0.1),
    )
    written = spec_to_dict(spec)
    assert written["exact_text"] is True
    assert written["texts"] == TYPESET["texts"]


def test_shadow_parts_default_and_unknown_parts_are_warned_about() -> None:
    loaded = spec_from_dict({"texts": [{"text": "字", "shadow": {"spread": 2}}]})
    assert loaded.spec.texts[0].shadow == Shadow()
    assert loaded.warnings == ("texts[0].shadow: unknown key 'spread' ignored",)


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ({"tracking": 5}, "texts[0].tracking: 5 is outside -0.2..1"),
        ({"line_height": "tall"}, "texts[0].line_height: expected a number 0.8..3"),
        ({"stroke": {"color": "#fff"}}, "texts[0].stroke.width: missing"),
        ({"stroke": {"width": 6}}, "texts[0].stroke.width: 6 is outside 0..0.3"),
        ({"stroke": {"width": 0.1, "color": "white"}}, "texts[0].stroke.color: 'white' is not"),
        ({"shadow": {"blur": -1}}, "texts[0].shadow.blur: -1 is outside 0..1"),
        ({"shadow": 3}, "texts[0].shadow: expected an object"),
    ],
)
def test_bad_typography_names_the_field(block: dict[str, object], message: str) -> None:
    data = {"texts": [{"text": "字", **block}]}
    with pytest.raises(SpecError) as caught:
        spec_from_dict(data)
    assert message in str(caught.value)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_exact_text_must_be_a_boolean() -> None:
    with pytest.raises(SpecError, match="exact_text: expected true/false"):
        spec_from_dict({"description": "x", "exact_text": "yes"})
