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
    Shadow,
    Spec,
    SpecError,
    Stroke,
    TextBlock,
)

_TOP_LEVEL_KEYS: Final = frozenset(
    {
        "version", "description", "style", "texts", "ratio", "tier", "size", "quality", "n",
        "background", "output_format", "output_compression", "model", "references",
        "exact_text",
    }
)  # fmt: skip
_BLOCK_KEYS: Final = frozenset(
    {
        "role", "text", "box", "font", "weight", "color", "align", "vertical", "tracking",
        "line_height", "stroke", "shadow",
    }
)  # fmt: skip
_STROKE_KEYS: Final = frozenset({"width", "color"})
_SHADOW_KEYS: Final = frozenset({"color", "x", "y", "blur"})
# Typography in ems: generous bounds that still refuse a typo (a width of 6 instead of 0.06).
MAX_TRACKING: Final = 1.0
LINE_HEIGHTS: Final = (0.8, 3.0)
MAX_STROKE: Final = 0.3
MAX_SHADOW: Final = 1.0


@dataclass(frozen=True, slots=True)
class LoadedSpec:
    spec: Spec
    warnings: tuple[str, ...]


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
        tracking=_number(data.get("tracking"), f"{where}.tracking", -0.2, MAX_TRACKING),
        line_height=_number(data.get("line_height"), f"{where}.line_height", *LINE_HEIGHTS),
        stroke=_stroke(data.get("stroke"), f"{where}.stroke", warnings),
        shadow=_shadow(data.get("shadow"), f"{where}.shadow", warnings),
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


def _number(value: object, where: str, low: float, high: float) -> float | None:
    if value is None:
        return None
    number = float(_expect(value, (int, float), where, f"a number {low:g}..{high:g}"))
    if not (math.isfinite(number) and low <= number <= high):
        raise SpecError(f"{where}: {number:g} is outside {low:g}..{high:g}")
    return number


def _color(value: object, where: str) -> str:
    text = str(_expect(value, str, where, 'a colour such as "#ffffff"'))
    if not _COLOR.fullmatch(text):
        raise SpecError(f'{where}: {text!r} is not a colour; write "#rrggbb" or "#aarrggbb"')
    return text


_COLOR: Final = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")


def _parts(value: object, keys: frozenset[str], where: str, warnings: list[str]) -> dict[str, Any]:
    data = _expect(value, dict, where, "an object")
    for key in sorted(set(data) - keys):
        warnings.append(f"{where}: unknown key {key!r} ignored")
    return dict(data)


def _stroke(value: object, where: str, warnings: list[str]) -> Stroke | None:
    if value is None:
        return None
    data = _parts(value, _STROKE_KEYS, where, warnings)
    if "width" not in data:
        raise SpecError(f"{where}.width: missing (the outline's width in ems, e.g. 0.05)")
    width = _number(data["width"], f"{where}.width", 0.0, MAX_STROKE)
    assert width is not None
    color = _color(data.get("color", "#ffffff"), f"{where}.color")
    return Stroke(width=width, color=color)


def _shadow(value: object, where: str, warnings: list[str]) -> Shadow | None:
    if value is None:
        return None
    data = _parts(value, _SHADOW_KEYS, where, warnings)
    default = Shadow()
    numbers = {
        key: _number(data.get(key, getattr(default, key)), f"{where}.{key}", low, MAX_SHADOW)
        for key, low in (("x", -MAX_SHADOW), ("y", -MAX_SHADOW), ("blur", 0.0))
    }
    return Shadow(
        color=_color(data.get("color", default.color), f"{where}.color"),
        x=numbers["x"] or 0.0,
        y=numbers["y"] or 0.0,
        blur=numbers["blur"] or 0.0,
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
        exact_text=_expect(top.get("exact_text", False), bool, "exact_text", "true or false"),
    )
    return LoadedSpec(spec, tuple(warnings))


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
    for key in ("font", "weight", "color", "align", "tracking", "line_height"):
        if getattr(block, key) is not None:
            data[key] = getattr(block, key)
    if block.vertical:
        data["vertical"] = True
    if block.stroke is not None:
        data["stroke"] = {"width": block.stroke.width, "color": block.stroke.color}
    if block.shadow is not None:
        shadow = block.shadow
        data["shadow"] = {"color": shadow.color, "x": shadow.x, "y": shadow.y, "blur": shadow.blur}
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
    if spec.exact_text:
        data["exact_text"] = True
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
