"""Fix text: an edit that puts one wrong text block right, made from the image and its check.

Two ways, both a masked edit of the image (paste-back keeps everything outside the mask):

- ``edit``: the model is asked for exactly the right text in place of what it wrote;
- ``typeset``: the model is asked to clear the wrong text's region, and the typesetter sets the
  exact text there (the job's exact-text compositing), in the found ink's median colour, its ink
  as tall as the found ink (so its line box is within ``HEIGHT_TOLERANCE`` of the OCR's box
  around the found text, which has some margin around the ink).

``prepare_fix`` reads the image and writes the mask: it runs on a worker thread, and the
typesetter needs a QGuiApplication (the window has one).
"""

from __future__ import annotations

import dataclasses
import io
import statistics
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from PIL import Image

from app.core.fidelity import BlockCheck, PixelBox
from app.core.metadata import MetadataError, read_metadata
from app.core.pasteback import api_mask
from app.core.plan import Plan, PlanError, plan_edit
from app.core.sizes import Size, is_valid_size
from app.core.spec import Spec, SpecError, TextBlock
from app.core.spec_json import spec_from_dict, spec_to_dict
from app.typeset.compose import compose

FixWay = Literal["edit", "typeset"]

HEIGHT_TOLERANCE: Final = 0.10
"""The set text's height may differ from the found text's by this part of it."""
_AIM: Final = 0.03  # the fitting stops this close, well inside the tolerance
_FIT_ROUNDS: Final = 6
MASK_PAD: Final = 0.35
"""The mask reaches this part of the found text's height beyond its box (strokes, shadows)."""
_INK_DISTANCE: Final = 60  # an RGB distance from the background that counts as ink
_SAMPLE_SIDE: Final = 480
_NO_PILL: Final = {"button": "label"}  # a pill would cover what the model kept around the text


class FixError(ValueError):
    """A fix that cannot be prepared; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class PreparedFix:
    plan: Plan
    spec_json: Mapping[str, Any]
    exact_text: tuple[TextBlock, ...] | None  # ``typeset``: set over the cleared image
    mask_path: Path | None  # None when the text was not found: the edit has no mask


def replace_instruction(block: BlockCheck) -> str:
    return (
        f'Replace the text "{block.found}" with exactly "{block.text}", character for '
        "character: same place, size, typeface, weight and colour. Change nothing else."
    )


def clear_instruction() -> str:
    return (
        "Remove every letter and character inside the masked area and fill it with the "
        "surrounding background, continuing its colours, texture and lighting seamlessly. Leave "
        "no text there. Change nothing else."
    )


def mask_box(box: PixelBox, size: tuple[int, int]) -> PixelBox:
    """The found text's box, padded, inside the image."""
    x, y, w, h = box
    pad = max(4, round(MASK_PAD * min(w, h)))
    left, top = max(0, x - pad), max(0, y - pad)
    right, bottom = min(size[0], x + w + pad), min(size[1], y + h + pad)
    return (left, top, right - left, bottom - top)


def region_mask(size: tuple[int, int], box: PixelBox) -> bytes:
    """The API's mask: transparent (editable) over ``box``, opaque elsewhere."""
    coverage = Image.new("L", size, 0)
    x, y, w, h = box
    coverage.paste(255, (x, y, x + w, y + h))
    return api_mask(coverage)


@dataclass(frozen=True, slots=True)
class FoundInk:
    """The wrong text as drawn: its ink's median colour and the box its ink fills."""

    colour: str  # #rrggbb
    box: PixelBox


def found_ink(image: Image.Image, box: PixelBox) -> FoundInk:
    """The ink in ``box`` (the OCR's box around the found text): the pixels far from the
    background, the median of the box's border. Large boxes are sampled at most
    ``_SAMPLE_SIDE`` pixels a side."""
    x, y, w, h = box
    patch = image.convert("RGB").crop((x, y, x + w, y + h))
    if patch.width < 3 or patch.height < 3:
        return FoundInk("#000000", box)
    scale = min(1.0, _SAMPLE_SIDE / max(patch.size))
    if scale < 1.0:
        patch = patch.resize(
            (max(3, round(w * scale)), max(3, round(h * scale))), Image.Resampling.NEAREST
        )
    raw = patch.tobytes()
    pixels = list(zip(raw[0::3], raw[1::3], raw[2::3], strict=True))
    width, height = patch.size
    border = [
        pixels[row * width + column]
        for row in range(height)
        for column in range(width)
        if row in (0, height - 1) or column in (0, width - 1)
    ]
    background = tuple(statistics.median_low(channel) for channel in zip(*border, strict=True))

    def distance(pixel: tuple[int, int, int]) -> int:
        return sum(abs(a - b) for a, b in zip(pixel, background, strict=True))

    threshold = _INK_DISTANCE
    if not any(distance(pixel) >= threshold for pixel in pixels):  # a faint text
        threshold = max(1, distance(max(pixels, key=distance)) // 2)
    inked = [i for i, pixel in enumerate(pixels) if distance(pixel) >= threshold]
    rows = [i // width for i in inked]
    columns = [i % width for i in inked]
    red, green, blue = (
        statistics.median_low(channel) for channel in zip(*(pixels[i] for i in inked), strict=True)
    )
    left, top = min(columns) / scale, min(rows) / scale
    right, bottom = (max(columns) + 1) / scale, (max(rows) + 1) / scale
    ink_box = (x + round(left), y + round(top), round(right - left), round(bottom - top))
    return FoundInk(f"#{red:02x}{green:02x}{blue:02x}", ink_box)


def _fractions(
    box: tuple[float, float, float, float], size: tuple[int, int]
) -> tuple[float, float, float, float]:
    width, height = size
    x, y, w, h = box
    left, top = max(0.0, x / width), max(0.0, y / height)
    return (left, top, min(w / width, 1.0 - left), min(h / height, 1.0 - top))


def set_ink(block: TextBlock, size: tuple[int, int]) -> PixelBox | None:
    """Where the typesetter puts ink for ``block`` on a canvas of ``size`` (None: nowhere)."""
    blank = Image.new("RGBA", size, (0, 0, 0, 0))
    bounds = compose(blank, [block]).text.getchannel("A").getbbox()
    if bounds is None:
        return None
    return (bounds[0], bounds[1], bounds[2] - bounds[0], bounds[3] - bounds[1])


def fitted_block(block: TextBlock, found: FoundInk, size: tuple[int, int]) -> TextBlock:
    """``block``'s text set where the wrong text's ink is, in its colour, scaled until its ink is
    as tall as the wrong text's (for vertical text: as wide)."""
    x, y, w, h = found.box
    vertical = block.vertical
    along, across = (h, w) if vertical else (w, h)
    # Room for the right number of characters: the found extent grown by the length it lacks.
    characters = max(1, len(block.text.replace("\n", "").replace(" ", "")))
    found_chars = max(1, round(along / max(1, across)))
    grow = max(1.0, characters / found_chars) * 1.1
    box_w, box_h = (w * 1.4, h * grow) if vertical else (w * grow, h * 1.4)
    role = _NO_PILL.get(block.role, block.role)
    centre = (x + w / 2, y + h / 2)
    fixed = dataclasses.replace(block, role=role, color=found.colour, stroke=None, shadow=None)
    for _ in range(_FIT_ROUNDS):
        left, top, width, height = _fractions(
            (centre[0] - box_w / 2, centre[1] - box_h / 2, box_w, box_h), size
        )
        fixed = dataclasses.replace(fixed, box=(left, top, width, height))
        ink = set_ink(fixed, size)
        if ink is None:
            break
        ratio = (w / ink[2]) if vertical else (h / ink[3])
        if abs(1 - ratio) <= _AIM:
            break
        box_w, box_h = box_w * ratio, box_h * ratio
    return fixed


def _spec_of(data: bytes) -> Spec:
    try:
        payload = read_metadata(data)
    except MetadataError:
        payload = None
    spec_data = None if payload is None else payload.get("spec")
    if isinstance(spec_data, dict):
        try:
            return spec_from_dict(spec_data).spec
        except SpecError:
            pass
    return Spec()


def prepare_fix(
    image_path: Path,
    block: BlockCheck,
    way: FixWay,
    *,
    mask_dir: Path,
    price_overrides: Mapping[str, object] | None = None,
) -> PreparedFix:
    """The edit job that fixes ``block`` of the image at ``image_path`` (raises ``FixError``)."""
    if block.exact:
        raise FixError("This text came out exactly; there is nothing to fix.")
    if (block.box is None or not block.found) and way == "typeset":
        raise FixError(
            "This text was not found in the image, so there is no region to clear: ask the "
            "model for it instead."
        )
    try:
        data = image_path.read_bytes()
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            image = opened.convert("RGB")
    except OSError as error:
        raise FixError(f"The image cannot be read ({error.strerror or error}).") from None
    size = image.size
    spec = dataclasses.replace(_spec_of(data), n=1, references=(), exact_text=False)
    required = next((item for item in spec.texts if item.text == block.text), None)
    if required is None:
        required = TextBlock(role=block.role or "headline", text=block.text)
    region = None if block.box is None else mask_box(block.box, size)
    mask_path: Path | None = None
    if region is not None:
        mask_dir.mkdir(parents=True, exist_ok=True)
        mask_path = mask_dir / f"fix-{uuid.uuid4().hex}.png"
        mask_path.write_bytes(region_mask(size, region))
    exact_text = None
    kept: tuple[TextBlock, ...]
    if way == "typeset":
        assert block.box is not None
        exact_text = (fitted_block(required, found_ink(image, block.box), size),)
        instruction, kept = clear_instruction(), ()
    else:
        instruction, kept = replace_instruction(block), spec.texts
    try:
        plan = plan_edit(
            spec,
            instruction=instruction,
            image=str(image_path),
            blocks=kept,
            mask=None if mask_path is None else str(mask_path),
            input_sizes=[size],
            size=Size(*size) if is_valid_size(*size) else None,
            price_overrides=price_overrides,
        )
    except PlanError as error:
        raise FixError(f"The fix cannot be sent: {error}") from None
    return PreparedFix(plan, spec_to_dict(spec), exact_text, mask_path)
