"""Paste-back and the API's mask, as pure image functions: which pixels come from where."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image, ImageChops, ImageDraw

from app.core.pasteback import (
    CHANGED_ABOVE,
    FEATHER_PX,
    PasteBackError,
    api_mask,
    editable_area,
    paste_back,
)

SIZE = (400, 300)
EDITABLE = (100, 100, 300, 250)  # left, top, right, bottom (exclusive)


def noise(size: tuple[int, int] = SIZE, seed: int = 1) -> Image.Image:
    width, height = size
    return Image.frombytes("RGB", size, random.Random(seed).randbytes(width * height * 3))


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def opened(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB")


def mask_png(box: tuple[int, int, int, int] = EDITABLE, mode: str = "RGBA") -> bytes:
    if mode == "L":  # a greyscale mask: its grey is its alpha
        mask = Image.new("L", SIZE, 255)
        mask.paste(0, box)
    else:
        mask = Image.new("RGBA", SIZE, (255, 255, 255, 255))
        mask.paste((0, 0, 0, 0), box)
    return png(mask)


def shifted(image: Image.Image, amount: int = 128) -> Image.Image:
    """Every channel of every pixel moved by ``amount`` (mod 256): a model that changed it all."""
    return ImageChops.add_modulo(image, Image.new("RGB", image.size, (amount,) * 3))


def with_hole(image: Image.Image, box: tuple[int, int, int, int] = EDITABLE) -> bytes:
    copy = image.copy()
    copy.paste((0, 0, 0), box)
    return copy.tobytes()


def inner(box: tuple[int, int, int, int], by: int) -> tuple[int, int, int, int]:
    left, top, right, bottom = box
    return left + by, top + by, right - by, bottom - by


@pytest.mark.parametrize("mask_mode", ["RGBA", "L"])
def test_outside_is_the_original_exactly_inside_the_models(mask_mode: str) -> None:
    original = noise()
    model = shifted(original)
    result = paste_back(png(original), png(model), mask_png(mode=mask_mode))
    kept = opened(result.data)
    assert with_hole(kept) == with_hole(original)  # every protected pixel, bit for bit
    deep = inner(EDITABLE, FEATHER_PX - 1)
    assert kept.crop(deep).tobytes() == model.crop(deep).tobytes()
    assert kept.crop(EDITABLE).tobytes() != model.crop(EDITABLE).tobytes()  # the blended edge
    edge = (EDITABLE[0], 175)  # on the mask's edge: part original, part model
    assert kept.getpixel(edge) not in (original.getpixel(edge), model.getpixel(edge))
    assert result.changed_outside_pct == 100.0


def test_a_model_that_kept_the_outside_changed_nothing_there() -> None:
    original = noise()
    model = original.copy()
    model.paste(shifted(original).crop(EDITABLE), EDITABLE[:2])
    result = paste_back(png(original), png(model), mask_png())
    assert result.changed_outside_pct == 0.0
    assert opened(result.data).tobytes() != original.tobytes()  # the model's change is there


def test_the_share_changed_counts_protected_pixels_only() -> None:
    original = noise()
    model = original.copy()
    model.paste(shifted(original).crop((0, 0, 200, 300)), (0, 0))  # the left half, mask or not
    # Protected: 120000 - 30000 = 90000; on the left, 60000 - 15000 (the mask's left half).
    assert paste_back(png(original), png(model), mask_png()).changed_outside_pct == 50.0


def test_small_differences_of_a_lossy_format_are_not_changes() -> None:
    original = noise().point(lambda v: v // 2)  # no channel wraps round when moved a little
    model = shifted(original, CHANGED_ABOVE)
    assert paste_back(png(original), png(model), mask_png()).changed_outside_pct == 0.0
    model = shifted(original, CHANGED_ABOVE + 1)
    assert paste_back(png(original), png(model), mask_png()).changed_outside_pct == 100.0


def test_without_paste_the_models_image_is_kept_as_it_came() -> None:
    original = noise()
    model_bytes = png(shifted(original))
    result = paste_back(png(original), model_bytes, mask_png(), paste=False)
    assert result.data == model_bytes
    assert result.changed_outside_pct == 100.0


def test_images_of_other_sizes_are_refused_with_the_sizes() -> None:
    with pytest.raises(PasteBackError, match=r"model's image is 512x512, the original 400x300"):
        paste_back(png(noise()), png(noise((512, 512))), mask_png())
    with pytest.raises(PasteBackError, match="cannot be read"):
        paste_back(b"not an image", png(noise()), mask_png())


@pytest.mark.parametrize("mode", ["L", "1"])
def test_a_brush_stroke_makes_the_apis_mask(mode: str) -> None:
    coverage = Image.new(mode, (1536, 1024), 0)
    draw = ImageDraw.Draw(coverage)
    draw.line((80, 120, 1400, 900), fill=255 if mode == "L" else 1, width=48)
    draw.ellipse((1200, 80, 1500, 300), fill=255 if mode == "L" else 1)
    with Image.open(io.BytesIO(api_mask(coverage))) as mask:
        assert mask.format == "PNG" and mask.mode == "RGBA"
        assert mask.size == (1536, 1024)
        alpha = mask.getchannel("A")
    painted = coverage.convert("L")
    assert alpha.getextrema() == (0, 255)
    assert alpha.tobytes() == ImageChops.invert(painted).tobytes()  # 0 exactly where painted
    assert painted.histogram()[255] > 60_000  # the stroke is there to be checked
    assert editable_area(Image.open(io.BytesIO(api_mask(coverage)))).tobytes() == painted.tobytes()


def test_a_soft_brush_gives_a_partly_transparent_mask() -> None:
    coverage = Image.new("L", (64, 64), 0)
    coverage.paste(100, (0, 0, 32, 64))
    with Image.open(io.BytesIO(api_mask(coverage))) as mask:
        assert mask.getchannel("A").getpixel((10, 10)) == 155
        assert mask.getchannel("A").getpixel((50, 10)) == 255
