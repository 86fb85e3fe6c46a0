"""Masks that are honoured: the original's pixels outside the mask, the model's inside it.

Image models are known to change pixels they were told to leave alone. After a masked edit the
studio pastes the original back over the protected area, exactly, and blends the model's pixels in
over a few pixels just inside the mask's edge so no seam shows. It also measures how much the model
had changed outside the mask, so a designer can decide to keep the model's whole image instead.

The mask is the one the image API takes: a PNG of the image's size whose alpha is 0 where the model
may change pixels (a greyscale mask's grey is its alpha). ``api_mask`` builds one from painted
coverage (white where painted).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Final

from PIL import Image, ImageChops, ImageFilter

FEATHER_PX: Final = 4
"""How many pixels inside the mask's edge the model's pixels are blended in over."""
CHANGED_ABOVE: Final = 8
"""A protected pixel counts as changed when a channel differs by more than this (out of 255):
smaller differences are the noise of lossy formats, not a change anyone sees."""
_EDITABLE_BELOW: Final = 128
"""A mask alpha under this marks a pixel the model may change."""


class PasteBackError(ValueError):
    """The images cannot be combined (sizes differ, or one cannot be read); the message says why."""


@dataclass(frozen=True, slots=True)
class PasteBack:
    data: bytes
    """The combined image, as PNG (a lossy format would change the original's pixels); the
    model's own bytes when nothing was pasted."""
    changed_outside_pct: float
    """How many of the protected pixels the model had changed, in percent."""


def _open(data: bytes, what: str) -> Image.Image:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return image.copy()
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise PasteBackError(f"the {what} cannot be read ({error})") from None


def editable_area(mask: Image.Image) -> Image.Image:
    """An L image: 255 where the mask lets the model change pixels, 0 where they are protected."""
    if mask.mode in ("RGBA", "LA", "PA") or "transparency" in mask.info:
        alpha = mask.convert("RGBA").getchannel("A")
    else:
        alpha = mask.convert("L")  # a greyscale mask's grey is its alpha, as the API reads it
    return alpha.point(lambda v: 255 if v < _EDITABLE_BELOW else 0)


def _model_weight(editable: Image.Image, feather: int) -> Image.Image:
    """How much of the model's pixel to keep: 0 outside the mask, rising over ``feather`` pixels
    inside its edge, 255 deeper in."""
    if feather <= 1:
        return editable
    depth = editable.point(lambda v: 1 if v else 0)
    eroded = editable
    for _ in range(feather - 1):
        eroded = eroded.filter(ImageFilter.MinFilter(3))
        depth = ImageChops.add(depth, eroded.point(lambda v: 1 if v else 0))
    return depth.point(lambda d: round(255 * min(d, feather) / feather))


def _changed(original: Image.Image, edited: Image.Image) -> Image.Image:
    """An L image: 255 where any channel differs by more than ``CHANGED_ABOVE``."""
    channels = ImageChops.difference(original, edited).split()
    most = channels[0]
    for channel in channels[1:]:
        most = ImageChops.lighter(most, channel)
    return most.point(lambda v: 255 if v > CHANGED_ABOVE else 0)


def paste_back(
    original: bytes, edited: bytes, mask: bytes, *, paste: bool = True, feather: int = FEATHER_PX
) -> PasteBack:
    """``edited`` with ``original``'s pixels outside ``mask``, and the share of those the model
    had changed. With ``paste`` off, the model's image is returned as it came (measured only)."""
    source = _open(original, "original image")
    result = _open(edited, "edited image")
    mask_image = _open(mask, "mask")
    if source.size != result.size or mask_image.size != source.size:
        raise PasteBackError(
            f"the model's image is {result.width}x{result.height}, the original "
            f"{source.width}x{source.height} and the mask {mask_image.width}x{mask_image.height}: "
            "only images of the same size can be pasted back"
        )
    mode = "RGBA" if "A" in source.getbands() or "A" in result.getbands() else "RGB"
    source, result = source.convert(mode), result.convert(mode)
    editable = editable_area(mask_image)
    protected = ImageChops.invert(editable)
    protected_count = protected.histogram()[255]
    changed_count = ImageChops.multiply(_changed(source, result), protected).histogram()[255]
    pct = 100.0 * changed_count / protected_count if protected_count else 0.0
    if not paste:
        return PasteBack(edited, pct)
    result = Image.composite(result, source, _model_weight(editable, feather))
    buffer = io.BytesIO()
    result.save(buffer, "PNG")
    return PasteBack(buffer.getvalue(), pct)


def api_mask(coverage: Image.Image) -> bytes:
    """The mask the image API takes, from painted ``coverage`` (an L or 1 image of the picture's
    size, white where painted): a PNG whose alpha is 0 where painted, 255 elsewhere, partly
    transparent where a soft brush partly painted."""
    painted = coverage.convert("L")
    mask = Image.new("RGBA", painted.size, (0, 0, 0, 255))
    mask.putalpha(ImageChops.invert(painted))
    buffer = io.BytesIO()
    mask.save(buffer, "PNG")
    return buffer.getvalue()


def painted_coverage(mask: Image.Image) -> Image.Image:
    """The inverse of ``api_mask``: an L image, 255 where ``mask`` lets the model change pixels,
    0 where they are protected, in between where it partly does (a greyscale mask's grey is its
    alpha, as ``editable_area`` reads it)."""
    if mask.mode in ("RGBA", "LA", "PA") or "transparency" in mask.info:
        alpha = mask.convert("RGBA").getchannel("A")
    else:
        alpha = mask.convert("L")
    return ImageChops.invert(alpha)
