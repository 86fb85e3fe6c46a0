"""How a field of the spec file is declared, and the declarations read back (CONTRACTS §1).

Every key of the spec file is one attribute of ``Spec`` or ``TextBlock`` (app/core/spec.py),
declared with :func:`spec_field`: its type comes from the annotation, its default from the
dataclass, and the metadata holds the description, allowed values or range, pattern and any check
a schema cannot express. The reader (``spec_json``) and the JSON Schema (``spec_schema``, shipped
as ``app/core/data/spec.schema.json``) are both derived from these declarations, so adding a key
is one attribute there and nothing else.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Literal

Check = Callable[[Any], str | None]
"""A rule beyond type, choices, range and pattern: the problem to show, or ``None``."""

Kind = Literal["string", "integer", "number", "boolean", "box", "strings", "blocks", "object"]
"""The JSON shape of a field: ``box`` is [x, y, w, h]; ``blocks`` a list of text blocks;
``object`` one nested object (a block's stroke or shadow)."""

_META: Final = "zi_spec_field"


@dataclass(frozen=True, slots=True)
class SpecFieldInfo:
    """What a declaration says beyond its Python type and default."""

    description: str
    choices: tuple[Any, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    pattern_hint: str = ""
    """How a value matching ``pattern`` is written, for the message: "W:H, for example 3:4"."""
    max_items: int | None = None
    min_items: int | None = None
    required: bool = False
    blank_message: str | None = None
    """Set when a blank string is refused: what the message says after "empty; "."""
    check: Check | None = None
    schema_checked: bool = True
    """False when ``check`` says more than the JSON Schema can (a box inside the canvas)."""


def spec_field(
    default: Any,
    description: str,
    *,
    choices: tuple[Any, ...] = (),
    minimum: float | None = None,
    maximum: float | None = None,
    pattern: str | None = None,
    pattern_hint: str = "",
    max_items: int | None = None,
    min_items: int | None = None,
    required: bool = False,
    blank_message: str | None = None,
    check: Check | None = None,
    schema_checked: bool = True,
) -> Any:
    """A dataclass field of ``Spec`` or ``TextBlock`` that is also a key of the spec file."""
    info = SpecFieldInfo(
        description=description, choices=choices, minimum=minimum, maximum=maximum,
        pattern=pattern, pattern_hint=pattern_hint, max_items=max_items, min_items=min_items,
        required=required, blank_message=blank_message, check=check, schema_checked=schema_checked,
    )  # fmt: skip
    return dataclasses.field(default=default, metadata={_META: info})


@dataclass(frozen=True, slots=True)
class SpecField:
    """One key of the spec file, read from its declaration."""

    name: str
    kind: Kind
    nullable: bool
    default: Any
    info: SpecFieldInfo
    block_type: type | None = None
    """For ``blocks`` and ``object``: the dataclass each item is read into."""

    @property
    def description(self) -> str:
        return self.info.description


_SCALARS: Final[dict[Any, Kind]] = {str: "string", int: "integer", float: "number", bool: "boolean"}


def _kind(hint: Any) -> tuple[Kind, type | None]:
    if hint in _SCALARS:
        return _SCALARS[hint], None
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return "object", hint
    args = typing.get_args(hint)
    if typing.get_origin(hint) is tuple:
        if args == (float, float, float, float):
            return "box", None
        if len(args) == 2 and args[1] is Ellipsis:
            if args[0] is str:
                return "strings", None
            if isinstance(args[0], type) and dataclasses.is_dataclass(args[0]):
                return "blocks", args[0]
    raise TypeError(f"a spec field cannot have the type {hint!r}")


def declared_fields(cls: type) -> tuple[SpecField, ...]:
    """The spec-file keys ``cls`` declares with :func:`spec_field`, in declaration order."""
    hints = typing.get_type_hints(cls)
    found = []
    for item in dataclasses.fields(cls):
        info = item.metadata.get(_META)
        if info is None:
            continue
        hint = hints[item.name]
        nullable = isinstance(hint, types.UnionType) and type(None) in typing.get_args(hint)
        if nullable:
            (hint,) = (arg for arg in typing.get_args(hint) if arg is not type(None))
        kind, block_type = _kind(hint)
        found.append(SpecField(item.name, kind, nullable, item.default, info, block_type))
    return tuple(found)
