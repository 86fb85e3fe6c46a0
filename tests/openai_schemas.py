"""Validation against OpenAI's official OpenAPI document for images (tests/data/...).

The document is the one in the shared spec folder (see its README), copied here so tests do not
depend on anything outside the repository. ``$ref``s are resolved within the document.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any, Final

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH: Final = Path(__file__).parent / "data" / "images-openapi.json"
_BASE: Final = "urn:zi-studio:images-openapi"

ERROR_BODY: Final = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["message", "type", "param", "code"],
            "properties": {
                "message": {"type": "string", "minLength": 1},
                "type": {"type": "string", "minLength": 1},
                "param": {"type": ["string", "null"]},
                "code": {"type": ["string", "null"]},
            },
        }
    },
}
"""The API's error body: ``{"error": {"message", "type", "param", "code"}}``."""


@functools.cache
def document() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SPEC_PATH.read_text("utf-8"))
    return data


@functools.cache
def _registry() -> Registry[Any]:
    resource: Resource[Any] = Resource.from_contents(document(), default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(_BASE, resource)
    return registry


@functools.cache
def validator(name: str) -> jsonschema.protocols.Validator:
    """A validator for ``components/schemas/<name>`` of the document."""
    if name not in document()["components"]["schemas"]:
        raise KeyError(f"{name} is not a schema of the images document")
    schema = {"$ref": f"{_BASE}#/components/schemas/{name}"}
    return jsonschema.Draft202012Validator(schema, registry=_registry())


def validate(name: str, instance: object) -> None:
    """Raises ``jsonschema.ValidationError`` unless ``instance`` matches the named schema."""
    validator(name).validate(instance)  # type: ignore[arg-type]


def validate_error(body: object) -> None:
    jsonschema.Draft202012Validator(ERROR_BODY).validate(body)


def unknown_keys(name: str, instance: dict[str, Any]) -> set[str]:
    """Top-level keys of ``instance`` that the named schema (or each of its variants) lacks."""
    schema = document()["components"]["schemas"][name]
    variants = [
        document()["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]
        for ref in schema.get("anyOf", [])
    ] or [schema]
    known: set[str] = set()
    for variant in variants:
        known |= set(variant.get("properties", {}))
    return set(instance) - known
