"""The spec file's JSON Schema, derived from the declarations in ``app.core.spec``.

The studio ships it as ``app/core/data/spec.schema.json`` for editors and other tools; a test
regenerates it and compares, so the file can never say something the reader does not. After
changing a declaration: ``python -m app.core.spec_schema > app/core/data/spec.schema.json``.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Final

from app.core.spec import EXCLUSIVE, ONE_OF_REQUIRED, Spec
from app.core.spec_fields import SpecField, declared_fields
from app.core.text_check import REFUSED_CHARACTERS, VISIBLE_CHARACTER

_NOT_BLANK: Final = VISIBLE_CHARACTER
_TEXT_DEF: Final = "text"
_TEXT: Final = {"$ref": f"#/$defs/{_TEXT_DEF}"}
_JSON_TYPES: Final = {
    "string": "string", "integer": "integer", "number": "number", "boolean": "boolean",
    "box": "array", "strings": "array", "blocks": "array", "object": "object",
}  # fmt: skip


def _property(field: SpecField) -> dict[str, Any]:
    info = field.info
    schema: dict[str, Any] = {"description": info.description}
    json_type: str | list[str] = _JSON_TYPES[field.kind]
    if field.nullable:
        json_type = [_JSON_TYPES[field.kind], "null"]
    if len(info.choices) == 1:
        schema["const"] = info.choices[0]
    elif info.choices:
        schema["enum"] = [*info.choices, *([None] if field.nullable else [])]
    else:
        schema["type"] = json_type
    if field.kind in ("integer", "number"):
        if info.minimum is not None:
            schema["minimum"] = info.minimum
        if info.maximum is not None:
            schema["maximum"] = info.maximum
    if field.kind == "box":
        number = {"type": "number", "minimum": info.minimum, "maximum": info.maximum}
        schema.update(items=number, minItems=4, maxItems=4)
    elif field.kind == "strings":
        schema["items"] = {"type": "string", **_TEXT}
    elif field.kind == "blocks":
        assert field.block_type is not None
        schema["items"] = _object(declared_fields(field.block_type))
    elif field.kind == "object":
        assert field.block_type is not None
        nested = _object(declared_fields(field.block_type))
        nested.pop("type")  # the field's own type says it, null included when nullable
        schema.update(nested)
    if info.max_items is not None:
        schema["maxItems"] = info.max_items
    if info.min_items is not None:
        schema["minItems"] = info.min_items
    if info.pattern is not None:
        schema["pattern"] = info.pattern
    if info.blank_message is not None:
        schema.update(minLength=1, pattern=_NOT_BLANK)
    if field.kind == "string":
        schema.update(_TEXT)
    return schema


def _object(declared: tuple[SpecField, ...]) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {field.name: _property(field) for field in declared},
    }
    required = [field.name for field in declared if field.info.required]
    if required:
        schema["required"] = required
    return schema


def _given(name: str, field: SpecField) -> dict[str, Any]:
    """A schema that holds when ``name`` is given: present, not null, not blank or empty."""
    if field.kind == "string":
        return {"properties": {name: {"type": "string", "pattern": _NOT_BLANK}}, "required": [name]}
    return {"properties": {name: {"not": {"type": "null"}, "minItems": 1}}, "required": [name]}


def spec_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a spec file of this version."""
    declared = declared_fields(Spec)
    by_name = {field.name: field for field in declared}
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://zi-studio.local/spec.schema.json",
        "title": "Zi Studio prompt spec",
        "description": (
            "A designer's image described as data (CONTRACTS §1). Unknown keys are warned about "
            "and ignored by the studio. Generated from app/core/spec.py: do not edit."
        ),
        **_object(declared),
        "not": {
            "properties": {name: {"not": {"type": "null"}} for name in EXCLUSIVE},
            "required": list(EXCLUSIVE),
        },
        "anyOf": [_given(name, by_name[name]) for name in ONE_OF_REQUIRED],
        "$defs": {
            _TEXT_DEF: {
                "description": "No control, direction-control or lone surrogate characters.",
                "not": {"type": "string", "pattern": REFUSED_CHARACTERS},
            }
        },
    }
    return schema


def spec_schema_text() -> str:
    """The schema as the shipped file holds it."""
    return json.dumps(spec_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    sys.stdout.write(spec_schema_text())
