"""Reading and writing the spec file (CONTRACTS §1), with messages that name the field."""

from __future__ import annotations

import dataclasses
import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

from app.core.params import DALLE_QUALITIES, validate_params
from app.core.spec import (
    ALIGNMENTS,
    BACKGROUNDS,
    MAX_IMAGES_PER_REQUEST,
    MAX_REFERENCES,
    OUTPUT_FORMATS,
    QUALITIES,
    ROLES,
    SPEC_VERSION,
    TIERS,
    Box,
    Spec,
    SpecError,
    TextBlock,
)

_TOP_LEVEL_KEYS: Final = frozenset(
    {
        "version", "description", "style", "texts", "ratio", "tier", "size", "quality", "n",
        "background", "output_format", "output_compression", "model", "references",
    }
)  # fmt: skip
_BLOCK_KEYS: Final = frozenset(
    {"role", "text", "box", "font", "weight", "color", "align", "vertical"}
)


SPEC_FIELDS: Final = tuple(item.name for item in dataclasses.fields(Spec) if item.name != "version")


@dataclass(frozen=True, slots=True)
class LoadedSpec:
    spec: Spec
    warnings: tuple[str, ...]
    given: frozenset[str] = frozenset()
    """The spec's fields the file wrote out: the others took their defaults."""


def _expect(value: object, kind: type | tuple[type, ...], where: str, what: str) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise SpecError(f"{where}: expected {what}, got {json.dumps(value, ensure_ascii=False)}")
    return value


def _choice(value: object, allowed: tuple[str, ...], where: str) -> str:
    text = _expect(value, str, where, "a string")
    if text not in allowed:
        raise SpecError(f"{where}: {text!r} is not one of {', '.join(allowed)}")
    return str(text)


def _box(value: object, where: str) -> Box:
    items = _expect(value, list, where, "[x, y, w, h] as fractions 0..1")
    if len(items) != 4:
        raise SpecError(f"{where}: expected [x, y, w, h] with 4 numbers, got {len(items)}")
    x, y, w, h = (float(_expect(v, (int, float), where, "numbers 0..1")) for v in items)
    if not all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in (x, y, w, h)):
        raise SpecError(f"{where}: every number must be between 0 and 1")
    if w <= 0 or h <= 0 or x + w > 1.0001 or y + h > 1.0001:
        raise SpecError(f"{where}: the box must have a size and lie inside the canvas")
    return (x, y, w, h)


def _block(value: object, index: int, warnings: list[str]) -> TextBlock:
    where = f"texts[{index}]"
    data = _expect(value, dict, where, "an object with role and text")
    for key in sorted(set(data) - _BLOCK_KEYS):
        warnings.append(f"{where}: unknown key {key!r} ignored")
    if "text" not in data:
        raise SpecError(f"{where}.text: missing (the exact text to render)")
    text = _expect(data["text"], str, f"{where}.text", "a string")
    if not text.strip():
        raise SpecError(f"{where}.text: empty; give the exact text or remove the block")
    weight = data.get("weight")
    if weight is not None:
        weight = _expect(weight, int, f"{where}.weight", "a whole number 100..900")
        if not 100 <= weight <= 1000:
            raise SpecError(f"{where}.weight: {weight} is outside 100..1000")
    return TextBlock(
        role=_choice(data.get("role", "headline"), ROLES, f"{where}.role"),
        text=text,
        box=None if data.get("box") is None else _box(data["box"], f"{where}.box"),
        font=_optional_str(data.get("font"), f"{where}.font"),
        weight=weight,
        color=_optional_str(data.get("color"), f"{where}.color"),
        align=None if data.get("align") is None else _choice(data["align"], ALIGNMENTS, where),
        vertical=bool(
            _expect(data.get("vertical", False), bool, f"{where}.vertical", "true/false")
        ),
    )


def _quality(value: object) -> str:
    if value in DALLE_QUALITIES:  # say what to use instead, not just "not one of"
        problems = validate_params({"quality": value, "prompt": "x"})
        raise SpecError(f"quality: {next(p.message for p in problems if p.param == 'quality')}")
    return _choice(value, QUALITIES, "quality")


def _optional_str(value: object, where: str) -> str | None:
    return None if value is None else str(_expect(value, str, where, "a string"))


def spec_from_dict(data: object, *, base_dir: Path | None = None) -> LoadedSpec:
    """A spec from parsed JSON; references are resolved against ``base_dir``."""
    top = _expect(data, dict, "spec", "a JSON object")
    warnings = [f"unknown key {key!r} ignored" for key in sorted(set(top) - _TOP_LEVEL_KEYS)]
    version = _expect(top.get("version", SPEC_VERSION), int, "version", "the number 1")
    if version != SPEC_VERSION:
        raise SpecError(f"version: {version} is not supported (this studio reads version 1)")
    texts = tuple(
        _block(item, i, warnings)
        for i, item in enumerate(_expect(top.get("texts", []), list, "texts", "a list"))
    )
    description = _expect(top.get("description", ""), str, "description", "a string")
    if not description.strip() and not texts:
        raise SpecError("description: empty, and there are no texts: describe the image")
    if top.get("ratio") is not None and top.get("size") is not None:
        raise SpecError("ratio and size: give one of them, not both")
    n = _expect(top.get("n", 1), int, "n", "a whole number 1..10")
    if not 1 <= n <= MAX_IMAGES_PER_REQUEST:
        raise SpecError(f"n: {n} is outside 1..{MAX_IMAGES_PER_REQUEST}")
    compression = top.get("output_compression")
    if compression is not None:
        compression = _expect(compression, int, "output_compression", "a whole number 0..100")
        if not 0 <= compression <= 100:
            raise SpecError(f"output_compression: {compression} is outside 0..100")
    references = _expect(top.get("references", []), list, "references", "a list of paths")
    if len(references) > MAX_REFERENCES:
        raise SpecError(f"references: {len(references)} images, at most {MAX_REFERENCES}")
    resolved = tuple(
        _reference(_expect(ref, str, f"references[{i}]", "a path"), base_dir)
        for i, ref in enumerate(references)
    )
    spec = Spec(
        description=description,
        style=_expect(top.get("style", ""), str, "style", "a string"),
        texts=texts,
        ratio=_optional_str(top.get("ratio"), "ratio"),
        tier=_choice(top.get("tier", "1k"), TIERS, "tier"),
        size=_optional_str(top.get("size"), "size"),
        quality=_quality(top.get("quality", "medium")),
        n=n,
        background=_choice(top.get("background", "auto"), BACKGROUNDS, "background"),
        output_format=_choice(top.get("output_format", "png"), OUTPUT_FORMATS, "output_format"),
        output_compression=compression,
        model=_expect(top.get("model", "gpt-image-2"), str, "model", "a model name"),
        references=resolved,
    )
    return LoadedSpec(spec, tuple(warnings), frozenset(top) & _TOP_LEVEL_KEYS)


def _reference(path: str, base_dir: Path | None) -> str:
    candidate = Path(os.path.expanduser(path))
    if not candidate.is_absolute() and base_dir is not None:
        candidate = base_dir / candidate
    return os.path.normpath(candidate)


def spec_from_json(text: str, *, base_dir: Path | None = None) -> LoadedSpec:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SpecError(
            f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    return spec_from_dict(data, base_dir=base_dir)


def load_spec(path: Path, read: Callable[[Path], bytes] = Path.read_bytes) -> LoadedSpec:
    """Read a spec file. Errors name the file and the field."""
    try:
        text = read(path).decode("utf-8")
    except OSError as error:
        raise SpecError(f"{path}: cannot read the spec ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise SpecError(f"{path}: not UTF-8 text; save the spec as UTF-8 JSON") from None
    try:
        return spec_from_json(text, base_dir=path.parent)
    except SpecError as error:
        raise SpecError(f"{path}: {error}") from None


def _block_to_dict(block: TextBlock) -> dict[str, Any]:
    data: dict[str, Any] = {"role": block.role, "text": block.text}
    if block.box is not None:
        data["box"] = list(block.box)
    for key in ("font", "weight", "color", "align"):
        if getattr(block, key) is not None:
            data[key] = getattr(block, key)
    if block.vertical:
        data["vertical"] = True
    return data


def spec_to_dict(spec: Spec, *, base_dir: Path | None = None) -> dict[str, Any]:
    """The JSON form of a spec; references relative to ``base_dir`` when given."""
    data: dict[str, Any] = {
        "version": spec.version,
        "description": spec.description,
        "texts": [_block_to_dict(block) for block in spec.texts],
    }
    if spec.style:
        data["style"] = spec.style
    if spec.size is not None:
        data["size"] = spec.size
    else:
        data["ratio"] = spec.ratio or "1:1"
        data["tier"] = spec.tier
    data.update(
        quality=spec.quality, n=spec.n, background=spec.background,
        output_format=spec.output_format, model=spec.model,
    )  # fmt: skip
    if spec.output_compression is not None:
        data["output_compression"] = spec.output_compression
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
