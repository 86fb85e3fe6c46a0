"""Reading and writing the spec file (CONTRACTS §1), with messages that name the field."""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

from app.core.spec import EXCLUSIVE, ONE_OF_REQUIRED, Spec, SpecError, TextBlock
from app.core.spec_fields import SpecField, declared_fields
from app.core.text_check import TextError, check_text

SPEC_FIELDS: Final = declared_fields(Spec)
BLOCK_FIELDS: Final = declared_fields(TextBlock)
_SHOWN_VALUE_CHARS: Final = 60


@dataclass(frozen=True, slots=True)
class LoadedSpec:
    spec: Spec
    warnings: tuple[str, ...]
    given: frozenset[str] = frozenset()
    """The spec's fields the file gave a value: the others took their defaults."""


def _shown(value: object) -> str:
    """A value as JSON for a message, cut short: a message is one line."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (ValueError, RecursionError):
        text = type(value).__name__
    return text if len(text) <= _SHOWN_VALUE_CHARS else text[: _SHOWN_VALUE_CHARS - 1] + "…"


def _expect(value: object, kind: type | tuple[type, ...], where: str, what: str) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise SpecError(f"{where}: expected {what}, got {_shown(value)}")
    return value


def _range(field: SpecField) -> str:
    low, high = field.info.minimum, field.info.maximum
    return f"{low:g}..{high:g}" if low is not None and high is not None else ""


def _what(field: SpecField) -> str:
    """How a message names what the field takes: "a whole number 1..10", "true/false"."""
    choices = field.info.choices
    if field.kind == "integer":
        if len(choices) == 1:
            return f"the number {choices[0]}"
        return f"a whole number {_range(field)}".strip()
    if field.kind == "number":
        return f"a number {_range(field)}".strip()
    if field.kind == "boolean":
        return "true/false"
    if field.kind == "box":
        return "[x, y, w, h] as fractions 0..1"
    if field.kind == "strings":
        return "a list of strings"
    if field.kind == "blocks":
        return "a list of objects"
    if field.kind == "object":
        return "an object"
    return "a string"


_TYPES: Final[dict[str, type | tuple[type, ...]]] = {
    "string": str, "integer": int, "number": (int, float), "boolean": bool, "box": list,
    "strings": list, "blocks": list, "object": dict,
}  # fmt: skip


def _value(field: SpecField, value: Any, where: str, warnings: list[str]) -> Any:
    """``value`` checked against ``field``'s declaration, in the type the dataclass holds."""
    if field.kind == "integer" and isinstance(value, float) and value.is_integer():
        value = int(value)  # 2.0 is a whole number, to JSON Schema too
    value = _expect(value, _TYPES[field.kind], where, _what(field))
    info = field.info
    if field.kind == "box":
        value = _box(value, where)
    elif field.kind == "strings":
        value = tuple(
            _text(_expect(item, str, f"{where}[{i}]", "a string"), f"{where}[{i}]", warnings)
            for i, item in enumerate(value)
        )
    elif field.kind == "blocks":
        assert field.block_type is not None
        kind = field.block_type
        value = tuple(_block(item, f"{where}[{i}]", warnings, kind) for i, item in enumerate(value))
    elif field.kind == "object":
        assert field.block_type is not None
        value = field.block_type(
            **_fields(declared_fields(field.block_type), value, where, warnings)
        )
    if info.max_items is not None and len(value) > info.max_items:
        raise SpecError(f"{where}: {len(value)} items, at most {info.max_items}")
    if info.min_items is not None and len(value) < info.min_items:
        raise SpecError(f"{where}: {len(value)} items, at least {info.min_items}")
    if isinstance(value, str):
        written, value = value, _text(value, where, warnings)
        if info.blank_message is not None and not value.strip():
            raise SpecError(f"{where}: empty; {info.blank_message}")
        if info.pattern is not None and re.match(info.pattern, written) is None:
            raise SpecError(f"{where}: {written!r} is not written as {info.pattern_hint}")
    problem = info.check(value) if info.check is not None else None
    if problem is not None:
        raise SpecError(f"{where}: {problem}")
    if info.choices and value not in info.choices:
        raise SpecError(f"{where}: {value!r} is not one of {', '.join(map(str, info.choices))}")
    if field.kind in ("integer", "number"):
        if not math.isfinite(value):
            raise SpecError(f"{where}: expected {_what(field)}, got {_shown(value)}")
        low, high = info.minimum, info.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            raise SpecError(f"{where}: {value} is outside {_range(field)}")
    return float(value) if field.kind == "number" else value


def _text(value: str, where: str, warnings: list[str]) -> str:
    """Every string of a spec: nothing invisible goes on into a prompt (app.core.text_check)."""
    try:
        checked = check_text(value, where)
    except TextError as error:
        raise SpecError(str(error)) from None
    warnings.extend(checked.warnings)
    return checked.text


def _box(items: list[object], where: str) -> tuple[float, ...]:
    if len(items) != 4:
        raise SpecError(f"{where}: expected [x, y, w, h] with 4 numbers, got {len(items)}")
    numbers = tuple(float(_expect(v, (int, float), where, "numbers 0..1")) for v in items)
    if not all(0.0 <= v <= 1.0 for v in numbers):  # NaN fails this too
        raise SpecError(f"{where}: every number must be between 0 and 1")
    return numbers


def _fields(
    declared: tuple[SpecField, ...], data: dict[str, Any], where: str, warnings: list[str]
) -> dict[str, Any]:
    """The declared fields found in ``data``, checked; unknown keys are warned about."""
    prefix = f"{where}: " if where else ""
    known = {field.name for field in declared}
    warnings.extend(f"{prefix}unknown key {key!r} ignored" for key in sorted(set(data) - known))
    values: dict[str, Any] = {}
    for field in declared:
        name = f"{where}.{field.name}" if where else field.name
        value = data.get(field.name)
        if value is None:
            if field.info.required:
                raise SpecError(f"{name}: missing ({field.description})")
            if field.name not in data or field.nullable:
                continue  # null means "not given"
        values[field.name] = _value(field, value, name, warnings)
    return values


def _given(value: object) -> bool:
    return bool(value.strip()) if isinstance(value, str) else bool(value)


def _block(value: object, where: str, warnings: list[str], kind: type = TextBlock) -> Any:
    if kind is not TextBlock:
        data = _expect(value, dict, where, "an object")
        return kind(**_fields(declared_fields(kind), data, where, warnings))
    data = _expect(value, dict, where, "an object with role and text")
    return TextBlock(**_fields(BLOCK_FIELDS, data, where, warnings))


def spec_from_dict(data: object, *, base_dir: Path | None = None) -> LoadedSpec:
    """A spec from parsed JSON; references are resolved against ``base_dir``."""
    top = _expect(data, dict, "spec", "a JSON object")
    warnings: list[str] = []
    values = _fields(SPEC_FIELDS, top, "", warnings)
    if not any(_given(values.get(name)) for name in ONE_OF_REQUIRED):
        raise SpecError("description: empty, and there are no texts: describe the image")
    if all(values.get(name) is not None for name in EXCLUSIVE):
        raise SpecError(f"{' and '.join(EXCLUSIVE)}: give one of them, not both")
    if "references" in values:
        values["references"] = tuple(_reference(ref, base_dir) for ref in values["references"])
    return LoadedSpec(Spec(**values), tuple(warnings), frozenset(values))


def _reference(path: str, base_dir: Path | None) -> str:
    candidate = Path(os.path.expanduser(path))
    if not candidate.is_absolute() and base_dir is not None:
        candidate = base_dir / candidate
    return os.path.normpath(candidate)


def _no_constant(name: str) -> None:
    raise SpecError(f"not valid JSON: {name} is not a JSON number; write a number")


def spec_from_json(text: str, *, base_dir: Path | None = None) -> LoadedSpec:
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise SpecError(
            f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except SpecError:
        raise
    except RecursionError:
        raise SpecError("not a usable spec: nested too deeply; check the file") from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise SpecError("not a usable spec: a number in it has thousands of digits") from None
    return spec_from_dict(data, base_dir=base_dir)


MAX_SPEC_BYTES: Final = 4 * 1024 * 1024
"""Far above any spec (a prompt is at most 32,000 characters); /dev/zero stops here."""


def _read_spec_file(path: Path) -> bytes:
    """At most ``MAX_SPEC_BYTES`` + 1 bytes, whatever ``path`` is (a device, an endless pipe)."""
    with open(path, "rb") as file:
        return file.read(MAX_SPEC_BYTES + 1)


def load_spec(path: Path, read: Callable[[Path], bytes] = _read_spec_file) -> LoadedSpec:
    """Read a spec file. Errors name the file and the field."""
    try:
        data = read(path)
        if len(data) > MAX_SPEC_BYTES:
            raise SpecError(
                f"{path}: larger than {MAX_SPEC_BYTES // 1_048_576} MB, too large to be a spec; "
                "give the spec's JSON file"
            )
        text = data.decode("utf-8")
    except IsADirectoryError:
        raise SpecError(f"{path}: is a folder; give the spec's JSON file") from None
    except OSError as error:
        raise SpecError(f"{path}: cannot read the spec ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise SpecError(f"{path}: not UTF-8 text; save the spec as UTF-8 JSON") from None
    try:
        return spec_from_json(text, base_dir=path.parent)
    except SpecError as error:
        raise SpecError(f"{path}: {error}") from None


_ALWAYS_WRITTEN: Final = frozenset({"version", "description", "texts", "role", "text"})


def _written(declared: tuple[SpecField, ...], value: object) -> dict[str, Any]:
    """The fields of ``value`` for the file: those set, and a few always, so it reads well."""
    data: dict[str, Any] = {}
    for field in declared:
        item = getattr(value, field.name)
        if item is None:
            continue  # not given (a shot's description or texts come from the spec)
        left_out = item == field.default and not field.default
        if left_out and field.name not in _ALWAYS_WRITTEN:
            continue
        if field.kind == "blocks":
            item = [_written(declared_fields(type(block)), block) for block in item]
        elif field.kind == "object":
            item = _written(declared_fields(type(item)), item)
        elif isinstance(item, tuple):
            item = list(item)
        data[field.name] = item
    return data


def spec_to_dict(spec: Spec, *, base_dir: Path | None = None) -> dict[str, Any]:
    """The JSON form of a spec; references relative to ``base_dir`` when given."""
    data = {"version": spec.version, **_written(SPEC_FIELDS, spec)}
    if spec.size is None:
        data.setdefault("ratio", "1:1")  # the canvas said, not left to a default
    else:
        data.pop("tier", None)  # a tier only goes with a ratio
    if spec.references:
        data["references"] = [_relative(ref, base_dir) for ref in spec.references]
    return data


def _relative(path: str, base_dir: Path | None) -> str:
    if base_dir is None:
        return path
    try:
        return os.path.relpath(path, base_dir)
    except ValueError:  # another drive
        return path


def spec_to_json(spec: Spec, *, base_dir: Path | None = None) -> str:
    return json.dumps(spec_to_dict(spec, base_dir=base_dir), ensure_ascii=False, indent=2) + "\n"


def with_overrides(spec: Spec, **changes: Any) -> Spec:
    """The spec with command-line or builder values over it (None means 'keep')."""
    values = {key: value for key, value in changes.items() if value is not None}
    if "ratio" in values:
        values.setdefault("size", None)
    elif "size" in values:
        values["ratio"] = None
    return replace(spec, **values)
